"""The support of citations on the built corpus: every citation assessed exactly once, the
summaries agree with the assessments, and the levels agree with the held hand labels at least
as well as when the thresholds were set."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import QuerySolutions

from policygraph.derive.support_evaluation import evaluate, load_labels
from policygraph.store.local import LocalStore

LABELS = Path(__file__).resolve().parents[1] / "fixtures" / "citation-labels.csv"
PROLOGUE = """PREFIX pg: <https://data.policygraph.be/ns/policygraph#>
PREFIX pgc: <https://data.policygraph.be/ns/concept/>
PREFIX cito: <http://purl.org/spar/cito/>
"""
LEVEL = "https://data.policygraph.be/ns/concept/citation-"

# Measured on the held half (54 citations) when the thresholds were set on the tune half
# (2026-12-07, `python -m bench citations`): unsupported precision 0.375, recall 0.500; weak
# precision 0.500, recall 0.500; accuracy 0.648. The floors sit just below, so that a
# regression fails; raise them when the method gets better.
HELD_FLOORS = {
    ("unsupported", "precision"): 0.35,
    ("unsupported", "recall"): 0.45,
    ("weak", "precision"): 0.45,
    ("weak", "recall"): 0.45,
}
HELD_ACCURACY_FLOOR = 0.60

pytestmark = pytest.mark.slow


def _rows(store: LocalStore, query: str) -> list[dict[str, str]]:
    result = store.query(PROLOGUE + query)
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def test_every_citation_has_exactly_one_assessment(corpus_store: LocalStore) -> None:
    citations = _rows(
        corpus_store,
        """SELECT ?claim ?decision (COUNT(DISTINCT ?a) AS ?n) WHERE {
          ?claim a pg:Claim ; cito:citesAsEvidence ?decision .
          OPTIONAL { ?claim pg:citationAssessment ?a . ?a pg:assessedDecision ?decision }
        } GROUP BY ?claim ?decision""",
    )
    assert len(citations) == 6738
    assert {row["n"] for row in citations} == {"1"}
    assessments = _rows(
        corpus_store, "SELECT (COUNT(?a) AS ?n) WHERE { ?a a pg:CitationAssessment }"
    )
    assert assessments == [{"n": "6738"}]


def test_the_agreements_summary_counts_every_level(corpus_store: LocalStore) -> None:
    levels = _rows(
        corpus_store,
        """SELECT ?level (COUNT(?a) AS ?n) WHERE { ?a pg:supportLevel ?level }
        GROUP BY ?level ORDER BY ?level""",
    )
    counts = {row["level"].removeprefix(LEVEL): int(row["n"]) for row in levels}
    print("citations per level:", counts)
    (summary,) = _rows(
        corpus_store,
        """SELECT ?citations ?supported ?weak ?unsupported WHERE {
          ?s pg:summarises <https://data.policygraph.be/id/regeerakkoord/2019-2024> ;
             pg:citationCount ?citations ; pg:supportedCitationCount ?supported ;
             pg:weakCitationCount ?weak ; pg:unsupportedCitationCount ?unsupported .
        }""",
    )
    assert int(summary["citations"]) == sum(counts.values()) == 6738
    for level in ("supported", "weak", "unsupported"):
        assert int(summary[level]) == counts[level]
        assert counts[level] > 0


def test_the_held_labels_are_met_at_least_as_well_as_when_tuned(
    corpus_store: LocalStore,
) -> None:
    labels = load_labels(LABELS)
    rows = _rows(
        corpus_store,
        "SELECT ?claim ?decision ?level WHERE { "
        "?a pg:assessedClaim ?claim ; pg:assessedDecision ?decision ; pg:supportLevel ?level }",
    )
    levels = {(r["claim"], r["decision"]): r["level"].removeprefix(LEVEL) for r in rows}
    held = evaluate(labels, levels, "held")
    assert held.total == sum(1 for label in labels if label.split == "held")
    for (level, measure), floor in HELD_FLOORS.items():
        value = getattr(held, measure)(level)
        assert value is not None, (level, measure)
        assert value >= floor, (level, measure, value)
    assert held.accuracy >= HELD_ACCURACY_FLOOR
