"""Answering single-scan queries in the web process, without the round trip to a worker.

A query worker exists to be killed: it is the only way to stop pyoxigraph mid-evaluation. A
query that is one index scan (a fact of its job: ``QueryText.single_scan``) needs no killing:
each of its rows costs a few index steps, so a byte budget bounds its time as well as its size.
Such a query (the lookups and ``DESCRIBE``s of a linked-data site, most of an endpoint's
traffic) is evaluated here, in the thread that received it, with the same code a worker runs;
one whose answer outgrows the budget is given up and goes to a worker, which answers it in full
or streams it.
"""

from __future__ import annotations

import dataclasses

from policygraph.query.dataset import VersionOpener
from policygraph.query.evaluation import evaluate_whole
from policygraph.query.messages import Complete, Limits, QueryJob


class InlineLane:
    """Evaluates single-scan jobs in this process, on the version each job names."""

    def __init__(self, opener: VersionOpener, limits: Limits, *, budget_bytes: int) -> None:
        if budget_bytes <= 0:
            raise ValueError("an inline lane needs a positive byte budget")
        self._opener = opener
        self._limits = dataclasses.replace(
            limits, result_buffer_bytes=min(budget_bytes, limits.result_buffer_bytes)
        )

    @staticmethod
    def accepts(job: QueryJob) -> bool:
        return job.facts.single_scan

    def answer(self, job: QueryJob) -> Complete | None:
        """The whole answer, or None when it outgrows the budget (a worker must answer)."""
        return evaluate_whole(self._opener.store(job.version_path), job, self._limits)


__all__ = ["InlineLane"]
