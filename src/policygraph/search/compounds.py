"""Dutch compounds: a word is often part of a longer one, and a long one is two words.

Dutch writes compounds as one word: "waterstof" is in "waterstofdistributie", and a person
typing "leerkrachtentekort" wants the texts that say "tekort aan leerkrachten". Two helpers,
both reading the index's own term dictionary:

- ``expansions``: the indexed terms that begin with a word (its compounds), most frequent
  first, searched beside the word with a lower weight;
- ``split``: a word the index does not hold, cut into two words it does (with the linking
  "s" or "en" of Dutch compounds), both then required.
"""

from __future__ import annotations

import tantivy

from policygraph.search.analyzer import analyze

FIELDS = ("title", "body")
MIN_PREFIX_CHARS = 5
"""Shorter words are not expanded: too many words begin with "zorg" or "werk"."""
MAX_EXPANSIONS = 8
MIN_PART_CHARS = 4
LINKS = ("", "s", "en", "e")
"""What may join the two parts of a Dutch compound (tussen-s, tussen-en)."""


def expansions(searcher: tantivy.Searcher, prefixes: tuple[str, ...]) -> tuple[str, ...]:
    """Indexed terms longer than and beginning with one of ``prefixes``, most frequent first."""
    frequency: dict[str, int] = {}
    for prefix in dict.fromkeys(p for p in prefixes if len(p) >= MIN_PREFIX_CHARS):
        for name in FIELDS:
            for term, count in searcher.terms_with_prefix(name, prefix):
                if term != prefix and term not in prefixes:
                    frequency[term] = frequency.get(term, 0) + int(count)
    ranked = sorted(frequency, key=lambda term: (-frequency[term], term))
    return tuple(ranked[:MAX_EXPANSIONS])


def split(searcher: tantivy.Searcher, word: str) -> tuple[str, str] | None:
    """The two indexed terms ``word`` (folded, unstemmed) is made of, or None.

    Of the possible cuts the one whose rarer part is most frequent wins: a cut into two common
    words is likelier meant than one that leaves a rare fragment.
    """
    best: tuple[int, tuple[str, str]] | None = None
    for cut in range(MIN_PART_CHARS, len(word) - MIN_PART_CHARS + 1):
        head, tail = word[:cut], word[cut:]
        for link in LINKS:
            if link and not head.endswith(link):
                continue
            stem = head[: len(head) - len(link)] if link else head
            if len(stem) < MIN_PART_CHARS:
                continue
            parts = analyze(stem), analyze(tail)
            if len(parts[0]) != 1 or len(parts[1]) != 1:
                continue
            weakest = min(_frequency(searcher, parts[0][0]), _frequency(searcher, parts[1][0]))
            if weakest > 0 and (best is None or weakest > best[0]):
                best = (weakest, (parts[0][0], parts[1][0]))
    return best[1] if best else None


def _frequency(searcher: tantivy.Searcher, term: str) -> int:
    return sum(int(searcher.doc_freq(name, term)) for name in FIELDS)


__all__ = ["expansions", "split"]
