"""The values evidence is made of, and how they are read from the rows of a SELECT.

Every query of the evidence runs with the resource bound through ``substitutions`` (never
spliced into the text), and every row is read with the same few helpers, so that a missing
value, a malformed date or a label in another language is handled alike everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

from pyoxigraph import Literal, NamedNode, QuerySolution, QuerySolutions, Variable

from policygraph.namespaces import sparql_prologue
from policygraph.read.describe import best_literal, labels_for
from policygraph.store import GraphStore

PROLOGUE = sparql_prologue(("pg", "pgc", "dct", "cito", "skos", "rdfs", "prov", "schema", "mu"))


@dataclass(frozen=True)
class Link:
    """A resource and the words to show for it."""

    iri: str
    label: str


@dataclass(frozen=True)
class CitedDecision:
    iri: str
    date: date | None
    title: str
    kind: str | None = None


def select_rows(store: GraphStore, query: str, **bound: NamedNode) -> Iterator[QuerySolution]:
    """The solutions of the SELECT ``query``, its variables bound to the ``bound`` IRIs."""
    result = store.query(
        PROLOGUE + query, substitutions={Variable(k): v for k, v in bound.items()} or None
    )
    if not isinstance(result, QuerySolutions):
        raise TypeError("expected SELECT solutions")
    yield from result


def text(row: QuerySolution, name: str) -> str | None:
    term = row[name]
    return None if term is None else str(term.value)


def date_of(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def moment_of(value: str | None) -> datetime:
    """A timestamp as written (naive ones read as UTC); the earliest moment when malformed."""
    try:
        moment = datetime.fromisoformat(value or "")
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def decision_order(decision: CitedDecision) -> tuple[date, str]:
    return (decision.date or date.max, decision.iri)


def local_name(iri: str | None) -> str | None:
    if iri is None:
        return None
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def link_to(store: GraphStore, iri: str, language: str) -> Link:
    label = labels_for(store, [NamedNode(iri)], language).get(iri)
    return Link(iri, label or local_name(iri) or iri)


def prefer(rows: list[QuerySolution], name: str, language: str) -> str | None:
    """The value of ``name`` in the wanted language, else in another, else any."""
    chosen = best_literal((row[name] for row in rows if isinstance(row[name], Literal)), language)
    return None if chosen is None else chosen.value


def int_of(value: str | None) -> int:
    try:
        return int(value) if value is not None else 0
    except ValueError:
        return 0


def number_key(number: str | None) -> tuple[int, ...]:
    """Section numbers in their order (2.10 after 2.9); parts without a number last."""
    if not number:
        return (10**6,)
    return tuple(int_of(part) for part in number.split(".") if part.isdigit()) or (10**6,)


def agreement_order(
    chapter: Link | None, part: Link, number: str | None
) -> tuple[str, tuple[int, ...]]:
    """A part's place in the agreement: by its chapter's name (its own without one), then its
    number."""
    return ((chapter.label if chapter else part.label).casefold(), number_key(number))


__all__ = [
    "PROLOGUE",
    "CitedDecision",
    "Link",
    "agreement_order",
    "date_of",
    "decision_order",
    "int_of",
    "link_to",
    "local_name",
    "moment_of",
    "number_key",
    "prefer",
    "select_rows",
    "text",
]
