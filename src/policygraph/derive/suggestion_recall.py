"""How well the section ranking finds what the reports cite, beside the seed's own retrieval.

For each published report the relevant set is the decisions its references resolve to. Two
rankings of decisions are scored against it by recall at 20, 50 and 200:

- ``ours``: every decision of the version ranked by the section's text
  (``derive.section_ranking``), the ranking the suggestions are taken from;
- ``seed``: the candidates the language model was shown, in prompt order, each standing for
  the decisions whose text it is (a candidate that matches no decision finds nothing). The
  prompt was cut at some 20,000 tokens, so the seed's list is shorter than 200 for most
  sections: its recall at 200 is its recall at its whole list;
- ``seed_pool``: the seed's list without the candidates that match no decision of the version,
  the rest closing up. The version holds only the decisions some report cites, so ``ours``
  ranks a much smaller pool than the embedding search did; this is the seed on that pool.

The bias to keep in mind: the relevant set was chosen by a model that saw only the seed's
candidates, so the seed's recall at its whole list is 1 up to the references that resolve to
a decision none of its candidates is.

Sections are split in two halves by a hash of their IRI: choices of the ranking are tuned on
``tune`` and reported on ``held``.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from statistics import fmean

from pyoxigraph import Literal, NamedNode, QuerySolutions, Store

from policygraph.derive.decision_ranking import Ranked
from policygraph.derive.section_ranking import rank_for_section
from policygraph.derive.suggested_evidence import Part, read_parts
from policygraph.derive.vector_ranking import VectorRanking
from policygraph.namespaces import sparql_prologue

CUTOFFS = (20, 50, 200)
SPLITS = ("tune", "held")
ALL = "all"
RANKINGS = ("ours", "seed", "seed_pool")

_REPORTS = (
    sparql_prologue()
    + """
SELECT ?report ?part ?chapter ?decision WHERE {
  ?report a pg:AssessmentReport ; pg:assesses ?part .
  OPTIONAL { ?part pg:inChapter/dct:title ?chapter }
  OPTIONAL { ?part a pg:Chapter ; dct:title ?chapter }
  OPTIONAL { ?report pg:hasReference/pg:refersTo ?decision }
}
"""
)

_SEED = (
    sparql_prologue()
    + """
SELECT ?part ?index ?decision WHERE {
  ?generation a pg:AssessmentGeneration ; prov:used ?part, ?prompt .
  ?prompt a pg:ModelPrompt ; pg:hasCandidate ?candidate .
  ?candidate pg:promptIndex ?index .
  OPTIONAL { ?candidate pg:candidateDecision ?decision }
}
"""
)


def split_of(iri: str) -> str:
    """``tune`` or ``held``, by the first byte of the SHA-256 of the section's IRI."""
    return SPLITS[hashlib.sha256(iri.encode("utf-8")).digest()[0] % 2]


@dataclass(frozen=True)
class Case:
    """One report to score: its part, chapter, relevant decisions and the seed's list."""

    report: str
    part: str
    chapter: str
    relevant: frozenset[str]
    seed: tuple[frozenset[str], ...]
    """The prompt's candidates in index order, each as the decisions it stands for."""

    @property
    def split(self) -> str:
        return split_of(self.part)


@dataclass(frozen=True)
class CaseScore:
    case: Case
    recall: dict[tuple[str, int], float]
    """(ranking, cutoff) -> recall."""
    found: dict[tuple[str, int], int]
    """(ranking, cutoff) -> relevant decisions found, for micro averages."""


def read_cases(store: Store) -> list[Case]:
    """Every report that cites at least one decision, by report IRI."""
    parts: dict[str, str] = {}
    chapters: dict[str, str] = {}
    relevant: dict[str, set[str]] = defaultdict(set)
    for row in _select(store, _REPORTS):
        report = _value(row["report"])
        parts[report] = _value(row["part"])
        chapters[report] = _value(row["chapter"])
        if row["decision"] is not None:
            relevant[report].add(_value(row["decision"]))
    candidates: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in _select(store, _SEED):
        shown = candidates[_value(row["part"])][int(_value(row["index"]))]
        if row["decision"] is not None:
            shown.add(_value(row["decision"]))
    return [
        Case(
            report,
            parts[report],
            chapters[report],
            frozenset(relevant[report]),
            tuple(
                frozenset(found) for _, found in sorted(candidates.get(parts[report], {}).items())
            ),
        )
        for report in sorted(parts)
        if relevant[report]
    ]


Ranker = Callable[[Part], Sequence[Ranked]]


def our_ranker(ranking: VectorRanking, limit: int = max(CUTOFFS)) -> Ranker:
    return lambda part: rank_for_section(ranking, part.section, limit)


def score_cases(cases: Iterable[Case], parts: Sequence[Part], ranker: Ranker) -> list[CaseScore]:
    by_iri = {part.iri: part for part in parts}
    ranked_for: dict[str, list[frozenset[str]]] = {}
    scores = []
    for case in cases:
        if case.part not in ranked_for:
            ranked_for[case.part] = [frozenset({hit.iri}) for hit in ranker(by_iri[case.part])]
        pooled = tuple(shown for shown in case.seed if shown)
        lists = {"ours": ranked_for[case.part], "seed": case.seed, "seed_pool": pooled}
        found = {
            (name, cutoff): len(case.relevant & frozenset().union(*listed[:cutoff]))
            for name, listed in lists.items()
            for cutoff in CUTOFFS
        }
        recall = {key: count / len(case.relevant) for key, count in found.items()}
        scores.append(CaseScore(case, recall, found))
    return scores


@dataclass(frozen=True)
class Row:
    """Averages over a group of reports: macro (mean of recalls) and micro (pooled)."""

    group: str
    split: str
    reports: int
    macro: dict[tuple[str, int], float]
    micro: dict[tuple[str, int], float]


def summarize(scores: Sequence[CaseScore], group: str, split: str) -> Row | None:
    chosen = [s for s in scores if split == ALL or s.case.split == split]
    if not chosen:
        return None
    relevant = sum(len(s.case.relevant) for s in chosen)
    keys = [(name, cutoff) for name in RANKINGS for cutoff in CUTOFFS]
    return Row(
        group,
        split,
        len(chosen),
        {key: fmean(s.recall[key] for s in chosen) for key in keys},
        {key: sum(s.found[key] for s in chosen) / relevant for key in keys},
    )


def table(scores: Sequence[CaseScore]) -> list[Row]:
    """Overall rows (tune, held, all), then one row per chapter (all its reports)."""
    rows = [summarize(scores, "overall", split) for split in (*SPLITS, ALL)]
    chapters = sorted({s.case.chapter for s in scores})
    for chapter in chapters:
        rows.append(summarize([s for s in scores if s.case.chapter == chapter], chapter, ALL))
    return [row for row in rows if row is not None]


def _select(store: Store, query: str) -> QuerySolutions:
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, QuerySolutions)
    return solutions


def _value(term: object) -> str:
    if isinstance(term, NamedNode | Literal):
        return term.value
    return ""


__all__ = [
    "ALL",
    "CUTOFFS",
    "RANKINGS",
    "SPLITS",
    "Case",
    "CaseScore",
    "Row",
    "our_ranker",
    "read_cases",
    "read_parts",
    "score_cases",
    "split_of",
    "summarize",
    "table",
]
