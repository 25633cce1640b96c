"""The benchmark's query mix: the competency questions and the queries a linked-data site sends.

Each class makes as many distinct query texts as asked, so an uncached run never repeats one
(lookups vary the resource; the others vary a parameter, or a trailing comment where the
question itself is fixed, which every server ignores but no cache can).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.synthetic import TOPICS, decision_count

PROJECT = Path(__file__).resolve().parents[1]
PREFIXES = """PREFIX pg: <https://data.policygraph.be/ns/policygraph#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX cito: <http://purl.org/spar/cito/>
"""
DECISION = "https://data.policygraph.be/id/beslissing/D{:07d}"
# cq05a is left out: its NOT EXISTS per section takes minutes on a million triples in pyoxigraph,
# in every server alike, and would measure nothing but that.
COMPETENCY = ("cq02", "cq06", "cq07")


@dataclass(frozen=True)
class QueryClass:
    name: str
    make: Callable[[int], str]
    """The i-th distinct query text of the class."""
    cheap: bool = False


def query_classes(triples: int) -> list[QueryClass]:
    decisions = decision_count(triples)

    def lookup(i: int) -> str:
        return f"SELECT ?p ?o WHERE {{ <{DECISION.format((i * 7919) % decisions)}> ?p ?o }}"

    def describe(i: int) -> str:
        return f"DESCRIBE <{DECISION.format((i * 104729) % decisions)}>"

    def date_range(i: int) -> str:
        year, month = 2005 + i % 20, 1 + (i // 20) % 12
        return PREFIXES + (
            "SELECT ?d ?date ?title WHERE { ?d a pg:GovernmentDecision ; dct:date ?date ; "
            f'dct:title ?title FILTER(?date >= "{year}-{month:02d}-01"^^xsd:date && '
            f'?date < "{year}-{month:02d}-28"^^xsd:date) }} ORDER BY ?date LIMIT 50'
        )

    def group_by(i: int) -> str:
        return PREFIXES + (
            "SELECT ?year ?kind (COUNT(?d) AS ?n) WHERE { ?d a pg:GovernmentDecision ; "
            "dct:date ?date ; pg:decisionKind ?kind BIND(YEAR(?date) AS ?year) } "
            f"GROUP BY ?year ?kind ORDER BY ?year ?kind\n# {i}"
        )

    def text_filter(i: int) -> str:
        topic = TOPICS[i % len(TOPICS)]
        return PREFIXES + (
            "SELECT ?d ?title WHERE { ?d a pg:GovernmentDecision ; dct:title ?title "
            f'FILTER(CONTAINS(LCASE(STR(?title)), "{topic}")) }} LIMIT 20\n# {i}'
        )

    def construct(i: int) -> str:
        year, month = 2005 + i % 20, 1 + (i // 20) % 12
        return PREFIXES + (
            "CONSTRUCT { ?d dct:title ?title ; dct:date ?date } "
            "WHERE { ?d a pg:GovernmentDecision ; "
            f'dct:date ?date ; dct:title ?title FILTER(?date >= "{year}-{month:02d}-01"^^xsd:date '
            f'&& ?date < "{year}-{month:02d}-15"^^xsd:date) }}'
        )

    classes = [
        QueryClass("lookup", lookup, cheap=True),
        QueryClass("describe", describe, cheap=True),
        QueryClass("date range", date_range),
        QueryClass("group by", group_by),
        QueryClass("text filter", text_filter),
        QueryClass("construct", construct),
    ]
    for prefix in COMPETENCY:
        path = next((PROJECT / "queries").glob(f"{prefix}-*.rq"))
        text = path.read_text(encoding="utf-8")
        classes.append(QueryClass(prefix, lambda i, text=text: f"{text}\n# {i}"))
    return classes


__all__ = ["COMPETENCY", "QueryClass", "query_classes"]
