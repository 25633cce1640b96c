"""The one Dutch text analyzer: how text is cut into the terms the search index holds.

Words are split on anything that is not a letter or a digit, lower-cased, folded to ASCII
("subsidiëring" → "subsidiering", "café" → "cafe") and stemmed with the Snowball stemmer for
Dutch ("subsidiering" and "subsidies" → "subsidier"/"subsidie"). The index, the queries and any
later reader of the same words (``analyze``) use this one definition, so that a term found in a
query is the term the index holds.

Folding comes before stemming: the Snowball rules are written for unaccented Dutch, and a
query typed without its diaeresis must meet the text written with it.
"""

from __future__ import annotations

from functools import cache

import tantivy

ANALYZER = "dutch"
"""The name the analyzer is registered under in every index (a tantivy tokenizer name)."""

MAX_TERM_CHARS = 64
"""Longer runs of letters are no words (hashes, URLs run together) and are not indexed."""

STOPWORDS_LANGUAGE = "dutch"


@cache
def dutch_analyzer() -> tantivy.TextAnalyzer:
    """The analyzer, built once per process."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(MAX_TERM_CHARS))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stemmer(STOPWORDS_LANGUAGE))
        .build()
    )


@cache
def _folding_analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(MAX_TERM_CHARS))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


@cache
def _stopword_analyzer() -> tantivy.TextAnalyzer:
    # Snowball's Dutch stop list is written with its accents ("één"), so it is applied before
    # folding; what survives is then analyzed like any word.
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.stopword(STOPWORDS_LANGUAGE))
        .build()
    )


def analyze(text: str) -> list[str]:
    """The terms of ``text`` as the index holds them, in order (repeats kept)."""
    return list(dutch_analyzer().analyze(text))


def fold(text: str) -> list[str]:
    """The words of ``text`` as ``analyze`` cuts them, lower-cased and folded but not stemmed
    (for what needs the word as written: its compounds, its parts)."""
    return list(_folding_analyzer().analyze(text))


def is_stopword(word: str) -> bool:
    """Whether ``word`` (one word, as typed) is a Dutch function word such as "de" or "van"."""
    words = [w for w in word.split() if w]
    return bool(words) and not _stopword_analyzer().analyze(word)


def remove_stopwords(text: str) -> str:
    """``text`` without its Dutch function words, lower-cased, the other words as written (for
    a long text asked as a query, where "de" and "van" would only add noise to the ranking)."""
    return " ".join(_stopword_analyzer().analyze(text))


def register(index: tantivy.Index) -> None:
    """Make the analyzer known to ``index`` (tantivy keeps custom analyzers out of the files)."""
    index.register_tokenizer(ANALYZER, dutch_analyzer())


__all__ = [
    "ANALYZER",
    "analyze",
    "dutch_analyzer",
    "fold",
    "is_stopword",
    "register",
    "remove_stopwords",
]
