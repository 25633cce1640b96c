"""A person's search, answered from a version's index: ranked hits, snippets, facet counts.

Text is never handed to tantivy's query parser, so nothing a person types is a syntax error:
``"quoted words"`` are phrases, every other run of letters and digits is a word, the rest is
ignored. Each word is analyzed like the text (``analyzer.py``) and looked for in the title, the
body and the extra words, with BM25, the title weighing most; a word that is not in the index as
typed is taken for the nearest term that is (``spelling.py``: "kinderopvnag" → "kinderopvang"),
and the page says so (``SearchPage.corrections``). Resources with every word are found; when
fewer than a page of them exist, those with some of the words follow them, and the page says so
(``SearchPage.relaxed``): measured on the judged set's tune half, requiring every word ranks the
first relevant result highest, and letting some words follow a short list finds more of the
rest. Function words ("de", "van") never have to match. Two neighbouring words also match
the compound they make ("vaccinatie campagne", "vaccinatiecampagne").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import tantivy

from policygraph.errors import SearchRequestError
from policygraph.search.analyzer import analyze, fold, is_stopword
from policygraph.search.documents import TYPES

MAX_TERMS = 32
"""Words of a query beyond this many are ignored: no person types more, a script gains nothing."""
MAX_PER_PAGE = 100
MAX_RESULTS = 1000
"""The deepest result a page may reach (page × per_page): ranking past it means nothing."""
SNIPPET_CHARS = 240
FACET_SIZE = 100

BOOSTS = {"title": 3.0, "body": 1.0, "extra": 0.5}
EXPANSION_BOOST = 0.5
"""The weight of a word's compounds beside the word itself."""

_PHRASE = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class SearchRequest:
    """What a person asks: text, the types wanted, facet filters, the page."""

    text: str
    types: tuple[str, ...] = ()
    page: int = 1
    per_page: int = 10
    chapters: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    cited: tuple[str, ...] = ()

    def check(self) -> None:
        """Raise ``SearchRequestError`` for parameters out of bounds."""
        unknown = sorted(set(self.types) - set(TYPES))
        if unknown:
            raise SearchRequestError(
                f"unknown type {', '.join(unknown)}: choose from {', '.join(TYPES)}"
            )
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise SearchRequestError(f"per_page must be between 1 and {MAX_PER_PAGE}")
        if self.page < 1:
            raise SearchRequestError("page must be 1 or more")
        if self.page * self.per_page > MAX_RESULTS + self.per_page - 1:
            raise SearchRequestError(
                f"only the first {MAX_RESULTS} results can be paged through: narrow the search"
            )
        if any(value not in ("true", "false") for value in self.cited):
            raise SearchRequestError("cited must be true or false")

    def filters(self) -> dict[str, tuple[str, ...]]:
        """Facet field → the values asked for (any of them matches)."""
        return {
            "type": self.types,
            "chapter": self.chapters,
            "year": self.years,
            "kind": self.kinds,
            "organisation": self.organisations,
            "cited": self.cited,
        }


@dataclass(frozen=True)
class Hit:
    """One resource found: what a result list shows of it."""

    iri: str
    type: str
    title: str
    date: str | None
    score: float
    snippet: str
    highlights: tuple[tuple[int, int], ...] = ()
    """Character ranges of ``snippet`` that match the query (start, end)."""
    chapters: tuple[str, ...] = ()
    year: str | None = None
    kind: str | None = None
    organisations: tuple[str, ...] = ()
    cited: bool | None = None


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int


@dataclass(frozen=True)
class SearchPage:
    """One page of ranked hits, the number of all, and the facet counts of all."""

    request: SearchRequest
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetCount, ...]] = field(default_factory=dict)
    relaxed: bool = False
    """True when few resources have every word, and resources with some of them follow."""
    corrections: dict[str, str] = field(default_factory=dict)
    """A misspelt term → the indexed term searched for instead."""

    @property
    def pages(self) -> int:
        reachable = min(self.total, MAX_RESULTS)
        return max(1, -(-reachable // self.request.per_page))


@dataclass(frozen=True)
class Word:
    """A word of a person's text: its term, and what the index may hold instead."""

    term: str
    """As the index holds it (analyzed: folded and stemmed)."""
    written: str
    """Folded but not stemmed: where its compounds and parts are looked for."""
    expansions: tuple[str, ...] = ()
    """Indexed compounds it begins ("waterstof" → "waterstofdistributie"), weighed less."""
    parts: tuple[str, ...] = ()
    """The indexed terms it is made of, when the index lacks the word itself."""
    joined: str | None = None
    """The indexed compound this word and the next make when written as one ("vaccinatie
    campagne" → "vaccinatiecampagne"): it matches both."""


@dataclass(frozen=True)
class ParsedText:
    """The words and phrases of a person's text, analyzed."""

    required: tuple[Word, ...]
    optional: tuple[Word, ...]
    phrases: tuple[tuple[str, ...], ...]

    @property
    def empty(self) -> bool:
        return not (self.required or self.optional or self.phrases)


def parse_text(text: str) -> ParsedText:
    """Phrases in double quotes, words elsewhere; an unclosed quote is ignored."""
    phrases: list[tuple[str, ...]] = []
    for found in _PHRASE.findall(text):
        phrase = tuple(analyze(found))[:MAX_TERMS]
        if phrase:
            phrases.append(phrase)
    rest = _PHRASE.sub(" ", text).replace('"', " ")
    required: dict[str, Word] = {}
    optional: dict[str, Word] = {}
    for typed in rest.split()[: MAX_TERMS * 4]:
        chosen = optional if is_stopword(typed) else required
        for term, written in zip(analyze(typed), fold(typed), strict=False):
            chosen.setdefault(term, Word(term, written))
    budget = max(MAX_TERMS - sum(len(p) for p in phrases), 0)
    words = list(required.values())[:budget]
    extra = [w for t, w in optional.items() if t not in required][: budget - len(words)]
    return ParsedText(tuple(words), tuple(extra), tuple(phrases))


def text_query(schema: tantivy.Schema, parsed: ParsedText, *, every_word: bool) -> tantivy.Query:
    """The scored query of ``parsed``: every word required, or any word when not ``every_word``."""
    occur = tantivy.Occur.Must if every_word else tantivy.Occur.Should
    clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
    words = list(parsed.required)
    while words:
        word = words.pop(0)
        if word.joined is not None and words:
            both = [(tantivy.Occur.Must, _word(schema, w)) for w in (word, words.pop(0))]
            either = [
                (tantivy.Occur.Should, tantivy.Query.boolean_query(both)),
                (tantivy.Occur.Should, _fields(schema, word.joined)),
            ]
            clauses.append((occur, tantivy.Query.boolean_query(either)))
        else:
            clauses.append((occur, _word(schema, word)))
    for word in parsed.optional:
        clauses.append((tantivy.Occur.Should, _fields(schema, word.term)))
    for phrase in parsed.phrases:
        clauses.append((occur, _phrase(schema, phrase)))
    return tantivy.Query.boolean_query(clauses)


def _word(schema: tantivy.Schema, word: Word) -> tantivy.Query:
    """The word, its compounds (weighed less), or its parts together."""
    alternatives = [(tantivy.Occur.Should, _fields(schema, word.term))]
    alternatives += [
        (
            tantivy.Occur.Should,
            tantivy.Query.boost_query(_fields(schema, expansion), EXPANSION_BOOST),
        )
        for expansion in word.expansions
    ]
    if word.parts:
        together = [(tantivy.Occur.Must, _fields(schema, part)) for part in word.parts]
        alternatives.append((tantivy.Occur.Should, tantivy.Query.boolean_query(together)))
    return tantivy.Query.boolean_query(alternatives)


def filter_query(schema: tantivy.Schema, request: SearchRequest) -> tantivy.Query | None:
    """The facet filters as a query that matches or not (no score), or None without filters."""
    clauses = []
    for name, values in request.filters().items():
        if values:
            alternatives = [
                (tantivy.Occur.Should, tantivy.Query.term_query(schema, name, value))
                for value in values
            ]
            clauses.append((tantivy.Occur.Must, tantivy.Query.boolean_query(alternatives)))
    if not clauses:
        return None
    return tantivy.Query.const_score_query(tantivy.Query.boolean_query(clauses), 0.0)


def _fields(schema: tantivy.Schema, term: str) -> tantivy.Query:
    """``term`` in any text field, each weighed by its boost."""
    return tantivy.Query.boolean_query(
        [
            (
                tantivy.Occur.Should,
                tantivy.Query.boost_query(tantivy.Query.term_query(schema, name, term), boost),
            )
            for name, boost in BOOSTS.items()
        ]
    )


def _phrase(schema: tantivy.Schema, terms: tuple[str, ...]) -> tantivy.Query:
    if len(terms) == 1:
        return _fields(schema, terms[0])
    return tantivy.Query.boolean_query(
        [
            (
                tantivy.Occur.Should,
                tantivy.Query.boost_query(
                    tantivy.Query.phrase_query(schema, name, list(terms)), boost
                ),
            )
            for name, boost in BOOSTS.items()
        ]
    )


__all__ = [
    "MAX_PER_PAGE",
    "MAX_RESULTS",
    "FacetCount",
    "Hit",
    "ParsedText",
    "SearchPage",
    "SearchRequest",
    "Word",
    "filter_query",
    "parse_text",
    "text_query",
]
