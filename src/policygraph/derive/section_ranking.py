"""Decisions ranked against a part of the agreement: its text, its heading, its chapter's name.

A section is a long query (a median of some 230 words), a document in its own right, so it is
compared with decisions as one document with another (``derive.vector_ranking``: cosine of
TF-IDF vectors, one round of Rocchio feedback). Its heading and its chapter's name say what it
is about in few words, so their terms count again, each occurrence as ``HEADING_WEIGHT`` or
``CHAPTER_WEIGHT`` occurrences in the text. The parameters were chosen on the tune half of the
sections (``derive.suggestion_recall``); the method's description gives what each gained.
"""

from __future__ import annotations

from dataclasses import dataclass

from policygraph.derive.decision_ranking import Ranked
from policygraph.derive.vector_ranking import VectorRanking, term_counts

HEADING_WEIGHT = 2.0
CHAPTER_WEIGHT = 1.0
FEEDBACK_DECISIONS = 10
FEEDBACK_WEIGHT = 0.5
FEEDBACK_TERMS = 200


@dataclass(frozen=True)
class SectionText:
    """What the ranking reads of a part of the agreement."""

    text: str
    title: str = ""
    chapter: str = ""


def section_terms(section: SectionText) -> dict[str, float]:
    """The weighted term counts of a section: its text, then its heading and chapter's name."""
    counts: dict[str, float] = dict(term_counts(section.text))
    for words, weight in ((section.title, HEADING_WEIGHT), (section.chapter, CHAPTER_WEIGHT)):
        for term, n in term_counts(words).items():
            counts[term] = counts.get(term, 0.0) + weight * n
    return counts


def rank_for_section(ranking: VectorRanking, section: SectionText, limit: int) -> list[Ranked]:
    """The ``limit`` decisions that look most related to ``section``, best first."""
    return ranking.rank(
        section_terms(section),
        limit,
        feedback=FEEDBACK_DECISIONS,
        feedback_weight=FEEDBACK_WEIGHT,
        max_terms=FEEDBACK_TERMS,
    )


__all__ = ["SectionText", "rank_for_section", "section_terms"]
