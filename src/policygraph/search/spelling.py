"""Misspelt words: the indexed term a person most likely meant.

tantivy finds the documents holding a term one edit away (a fuzzy term query, in Rust, over
the whole term dictionary), but not which term it was. The terms of the first few of those
documents are few, so they are analyzed again here and the nearest, most frequent one is taken:
the query then searches for that term as if it had been typed, with BM25 and highlighted
snippets, and the page can say what it searched for instead.
"""

from __future__ import annotations

import tantivy

from policygraph.search.analyzer import analyze

FIELDS = ("title", "body")
SAMPLE_DOCUMENTS = 20
MIN_CHARS = 5
"""Shorter terms are not corrected: one edit away from a four-letter word is another word."""
LONG_CHARS = 9
"""Terms this long may be two edits away from what was meant."""


def max_edits(term: str) -> int:
    return 2 if len(term) >= LONG_CHARS else 1


def correction(schema: tantivy.Schema, searcher: tantivy.Searcher, term: str) -> str | None:
    """The indexed term nearest to ``term`` (by edits, then frequency), or None when ``term``
    is in the index as it is, is short, or has no near neighbour."""
    if len(term) < MIN_CHARS or known(searcher, term):
        return None
    edits = max_edits(term)
    query = tantivy.Query.boolean_query(
        [
            (tantivy.Occur.Should, tantivy.Query.fuzzy_term_query(schema, name, term, edits))
            for name in FIELDS
        ]
    )
    found = searcher.search(query, limit=SAMPLE_DOCUMENTS, count=False)
    candidates: set[str] = set()
    for _, address in found.hits:
        document = searcher.doc(address)
        for name in FIELDS:
            for text in document.get_all(name):
                candidates.update(analyze(str(text)))
    ranked = sorted(
        (distance, -frequency(searcher, candidate), candidate)
        for candidate in candidates
        if abs(len(candidate) - len(term)) <= edits
        and (distance := edit_distance(candidate, term, edits)) <= edits
    )
    return ranked[0][2] if ranked else None


def known(searcher: tantivy.Searcher, term: str) -> bool:
    return frequency(searcher, term) > 0


def frequency(searcher: tantivy.Searcher, term: str) -> int:
    return sum(int(searcher.doc_freq(name, term)) for name in FIELDS)


def edit_distance(a: str, b: str, bound: int) -> int:
    """Optimal string alignment distance (an adjacent swap counts one), or ``bound`` + 1 once
    it exceeds ``bound``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > bound:
            return bound + 1
        previous2, previous = previous, current
    return previous[-1]


__all__ = ["correction", "edit_distance", "known"]
