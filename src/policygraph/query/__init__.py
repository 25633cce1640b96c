"""Query execution for the SPARQL endpoint, without HTTP: worker processes, policy, caching.

The web layer (``policygraph.web``), the only caller, uses three calls: ``QueryPool.prepare``
turns a request into a ``QueryJob`` (reading its text once and refusing what is refused, before
any worker is asked), ``InlineLane.answer`` answers a job that is a single index scan in the
web process, and ``QueryPool.execute`` runs any job in a killable worker process that streams
its serialized answer back. ``AnswerCache`` keeps whole answers per dataset version.
"""

from __future__ import annotations

from policygraph.query.admission import prepare_job
from policygraph.query.cache import AnswerCache, CachedAnswer
from policygraph.query.dataset import (
    DatasetSource,
    DatasetVersion,
    FixedStore,
    InMemoryDataset,
    PublishedStore,
    VersionOpener,
    VersionTracker,
    source_for,
)
from policygraph.query.inline import InlineLane
from policygraph.query.lease import Hangup
from policygraph.query.messages import Complete, Limits, QueryJob, ResultKind
from policygraph.query.pool import QueryPool, StreamedResult
from policygraph.sparql.inspection import QueryText, inspect_query
from policygraph.sparql.single_scan import is_single_scan

__all__ = [
    "AnswerCache",
    "CachedAnswer",
    "Complete",
    "DatasetSource",
    "DatasetVersion",
    "FixedStore",
    "Hangup",
    "InMemoryDataset",
    "InlineLane",
    "Limits",
    "PublishedStore",
    "QueryJob",
    "QueryPool",
    "QueryText",
    "ResultKind",
    "StreamedResult",
    "VersionOpener",
    "VersionTracker",
    "inspect_query",
    "is_single_scan",
    "prepare_job",
    "source_for",
]
