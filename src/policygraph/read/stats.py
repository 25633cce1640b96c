"""Counts that describe a store: quads per named graph, instances per class, and how many
references of the reports agree with the raw answers of the language model (the renumbering
check of ``sources.generation``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyoxigraph import QuerySolutions

from policygraph.store import GraphStore

_PER_GRAPH = """
SELECT ?graph (COUNT(*) AS ?quads) WHERE { GRAPH ?graph { ?s ?p ?o } }
GROUP BY ?graph ORDER BY ?graph
"""
_PER_CLASS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?instances) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?instances) ?class
"""
_PER_RENUMBERING_OUTCOME = """
SELECT ?outcome (COUNT(DISTINCT ?reference) AS ?references) WHERE {
  ?reference <https://data.policygraph.be/ns/policygraph#renumberingOutcome> ?outcome
}
GROUP BY ?outcome ORDER BY DESC(?references) ?outcome
"""


@dataclass(frozen=True)
class Statistics:
    version: str
    quads: int
    per_graph: tuple[tuple[str, int], ...]
    per_class: tuple[tuple[str, int], ...]
    per_renumbering_outcome: tuple[tuple[str, int], ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "quads": self.quads,
            "graphs": dict(self.per_graph),
            "classes": dict(self.per_class),
            "renumbering": dict(self.per_renumbering_outcome),
        }

    def as_text(self) -> str:
        """Tables of quads per graph, instances per class and references per renumbering
        outcome (when the store has any), each ended by a blank line."""
        text = _table(
            f"store version {self.version}: {self.quads} quads", self.per_graph, "graph", "quads"
        ) + _table("", self.per_class, "class", "instances")
        if self.per_renumbering_outcome:
            text += _table("", self.per_renumbering_outcome, "renumbering outcome", "references")
        return text


def statistics(store: GraphStore) -> Statistics:
    return Statistics(
        version=store.version,
        quads=len(store),
        per_graph=_pairs(store.query(_PER_GRAPH, union_default_graph=False), "graph", "quads"),
        per_class=_pairs(store.query(_PER_CLASS), "class", "instances"),
        per_renumbering_outcome=_pairs(
            store.query(_PER_RENUMBERING_OUTCOME), "outcome", "references"
        ),
    )


def _pairs(result: object, key: str, count: str) -> tuple[tuple[str, int], ...]:
    assert isinstance(result, QuerySolutions)
    return tuple((row[key].value, int(row[count].value)) for row in result)


def _table(title: str, rows: tuple[tuple[str, int], ...], key: str, count: str) -> str:
    width = max((len(name) for name, _ in rows), default=len(key))
    lines = [title] if title else []
    lines.append(f"{key:<{width}}  {count:>9}")
    lines += [f"{name:<{width}}  {n:>9}" for name, n in rows]
    return "\n".join(lines) + "\n\n"
