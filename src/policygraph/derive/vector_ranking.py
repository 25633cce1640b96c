"""Decisions ranked by the cosine of TF-IDF vectors, with pseudo-relevance feedback.

BM25 (``decision_ranking``) answers a short text well — a claim, a person's query. A section of
the agreement is a document of its own, a few hundred words, and the question "which decisions
are about the same things" is one document against another. Measured on what the reports cite
(``derive.suggestion_recall``), the cosine of sublinear TF-IDF vectors finds more of it than
BM25 of the same words, and one round of Rocchio feedback (the best few decisions' vectors
added to the text's) more again: decisions of a policy field share words a section does not
use. See ``derive/methods/suggesties.md`` for the figures.

Vectors: the Dutch analyzer's terms of a decision's titles and text (function words dropped),
weight ``(1 + ln tf) * idf`` with ``idf = 1 + ln((N + 1) / (df + 1))``, scaled to length 1.
Everything is computed in a fixed order, so the same decisions give the same scores anywhere.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from policygraph.derive.decision_ranking import DecisionText, Ranked
from policygraph.search.analyzer import analyze, remove_stopwords

Vector = dict[str, float]


def term_counts(text: str) -> Counter[str]:
    """How often each content term (analyzed, function words dropped) occurs in ``text``."""
    return Counter(analyze(remove_stopwords(text)))


def _unit(vector: Mapping[str, float]) -> Vector:
    norm = math.sqrt(sum(value * value for value in vector.values()))
    return {term: value / norm for term, value in vector.items()} if norm else {}


class VectorRanking:
    """Unit TF-IDF vectors of decisions, asked with weighted term counts."""

    def __init__(self, decisions: Iterable[DecisionText]) -> None:
        counts: dict[str, Counter[str]] = {}
        frequency: Counter[str] = Counter()
        for decision in sorted(decisions, key=lambda d: d.iri):
            count = term_counts(decision.text)
            count.update(term_counts(" \n".join(decision.titles)))
            counts[decision.iri] = count
            frequency.update(count.keys())
        total = len(counts)
        self.idf = {
            term: 1.0 + math.log((total + 1) / (df + 1)) for term, df in sorted(frequency.items())
        }
        self.vectors: dict[str, Vector] = {}
        self._iris = list(counts)
        # Decisions by their place in ``_iris``: the sums below index a list, not a dict.
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for place, (iri, count) in enumerate(counts.items()):
            vector = _unit(
                {term: (1.0 + math.log(n)) * self.idf[term] for term, n in sorted(count.items())}
            )
            self.vectors[iri] = vector
            for term, weight in vector.items():
                postings[term].append((place, weight))
        self._postings = dict(postings)

    def __len__(self) -> int:
        return len(self.vectors)

    def query_vector(self, counts: Mapping[str, float]) -> Vector:
        """The unit vector of weighted term counts (terms no decision has are left out)."""
        return _unit(
            {
                term: (1.0 + math.log(n)) * self.idf[term]
                for term, n in sorted(counts.items())
                if n >= 1 and term in self.idf
            }
        )

    def rank(
        self,
        counts: Mapping[str, float],
        limit: int,
        *,
        feedback: int = 0,
        feedback_weight: float = 0.5,
        max_terms: int = 200,
    ) -> list[Ranked]:
        """The ``limit`` decisions closest to ``counts``, best first (ties by IRI).

        With ``feedback``, the unit vectors of the first round's best ``feedback`` decisions
        are added to the query, each weighing ``feedback_weight / feedback``; the expanded
        query keeps its ``max_terms`` heaviest terms (they carry nearly all of its length, and
        each term costs a pass over its decisions) and is scaled to length 1 again, so a score
        is a cosine, between 0 and 1.
        """
        query = self.query_vector(counts)
        if not query or limit < 1:
            return []
        if feedback > 0:
            expanded = dict(query)
            for hit in self._search(query, feedback):
                for term, weight in self.vectors[hit.iri].items():
                    expanded[term] = expanded.get(term, 0.0) + feedback_weight * weight / feedback
            heaviest = sorted(expanded.items(), key=lambda item: (-item[1], item[0]))
            query = _unit(dict(heaviest[:max_terms]))
        return self._search(query, limit)

    def _search(self, query: Mapping[str, float], limit: int) -> list[Ranked]:
        scores = [0.0] * len(self._iris)
        for term, weight in sorted(query.items()):
            for place, value in self._postings.get(term, ()):
                scores[place] += weight * value
        iris = self._iris
        found = [(-score, iris[place]) for place, score in enumerate(scores) if score > 0.0]
        best = heapq.nsmallest(limit, found)
        return [Ranked(iri, rank, -negative) for rank, (negative, iri) in enumerate(best, 1)]


__all__ = ["VectorRanking", "term_counts"]
