"""``SearchIndex``: one version's index, opened read-only, answering ``SearchRequest``s.

Opened once per process and version and shared by its threads (tantivy's searcher is safe to
share). ``scores`` gives the score of every resource matching a text, for the SPARQL function
``pg:textScore``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import tantivy

from policygraph.config import Settings
from policygraph.errors import SearchUnavailableError
from policygraph.search.analyzer import analyze
from policygraph.search.compounds import expansions, split
from policygraph.search.index import FACET_FIELDS, index_dir, open_tantivy, read_labels
from policygraph.search.query import (
    FACET_SIZE,
    MAX_RESULTS,
    SNIPPET_CHARS,
    FacetCount,
    Hit,
    ParsedText,
    SearchPage,
    SearchRequest,
    Word,
    filter_query,
    parse_text,
    text_query,
)
from policygraph.search.spelling import correction, known
from policygraph.store.local import current_version_dir

FEW_MATCHES = 10
"""Fewer resources than this with every word (a first page): those with some follow them."""
EVERY_WORD_BOOST = 10.0
"""Enough that a resource with every word ranks above one with some of them."""


class SearchIndex:
    """The search index of one version."""

    def __init__(self, index: tantivy.Index, labels: dict[str, str], path: Path) -> None:
        self._index = index
        self._schema = index.schema
        self._searcher = index.searcher()
        self.labels = labels
        """Chapter, organisation and kind IRIs → their names, for showing facets."""
        self.path = path

    @property
    def size(self) -> int:
        """How many resources the index holds."""
        return int(self._searcher.num_docs)

    def search(self, request: SearchRequest) -> SearchPage:
        """One page of the resources matching ``request``, best first."""
        request.check()
        offset = (request.page - 1) * request.per_page
        return self._page(request, request, limit=request.per_page, offset=offset, facets=True)

    def everything(self, request: SearchRequest) -> SearchPage:
        """Every hit of ``request`` up to ``MAX_RESULTS``, best first, whatever page it names
        (a download)."""
        request.check()
        whole = replace(request, page=1, per_page=MAX_RESULTS)
        return self._page(request, whole, limit=MAX_RESULTS, offset=0, facets=False)

    def _page(
        self, request: SearchRequest, shown: SearchRequest, *, limit: int, offset: int, facets: bool
    ) -> SearchPage:
        parsed, corrections = self._parsed(request.text)
        if parsed.empty:
            return SearchPage(shown, 0, ())
        query = self._query(parsed, request, every_word=True)
        found = self._searcher.search(query, limit=limit, offset=offset, count=True)
        relaxed = False
        if _count(found) < FEW_MATCHES and len(parsed.required) + len(parsed.phrases) > 1:
            # Few resources have every word: those first, then those with some of them.
            every = tantivy.Query.boost_query(query, EVERY_WORD_BOOST)
            some = self._query(parsed, request, every_word=False)
            query = tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, every), (tantivy.Occur.Should, some)]
            )
            before = _count(found)
            found = self._searcher.search(query, limit=limit, offset=offset, count=True)
            relaxed = _count(found) > before
        total = _count(found)
        if total == 0:
            return SearchPage(shown, 0, (), corrections=corrections)
        snippets = _Snippets(self._searcher, query, self._schema)
        hits = tuple(
            self._hit(float(score), self._searcher.doc(address), snippets)
            for score, address in found.hits
        )
        counts = self._facets(query) if facets else {}
        return SearchPage(shown, total, hits, counts, relaxed, corrections)

    def scores(self, text: str) -> dict[str, float]:
        """IRI → score of every resource matching ``text`` (every word, as ``search`` ranks)."""
        parsed, _ = self._parsed(text)
        if parsed.empty:
            return {}
        query = text_query(self._schema, parsed, every_word=True)
        found = self._searcher.search(query, limit=max(self.size, 1), count=False)
        return {
            str(self._searcher.doc(address).get_first("iri")): float(score)
            for score, address in found.hits
        }

    def _parsed(self, text: str) -> tuple[ParsedText, dict[str, str]]:
        """The words of ``text``, each with its compounds; a word the index lacks cut into
        the words it is made of, or else taken for the nearest indexed term."""
        parsed = parse_text(text)
        corrections: dict[str, str] = {}
        words = []
        for word in parsed.required:
            if not known(self._searcher, word.term):
                parts = split(self._searcher, word.written)
                if parts is not None:
                    words.append(replace(word, parts=parts))
                    continue
                found = correction(self._schema, self._searcher, word.term)
                if found is not None:
                    corrections[word.written] = found
                    word = Word(found, found)
            prefixes = (word.term, word.written)
            words.append(replace(word, expansions=expansions(self._searcher, prefixes)))
        return replace(parsed, required=tuple(self._joined(words))), corrections

    def _joined(self, words: list[Word]) -> list[Word]:
        """Each pair of neighbouring words that the index holds as one compound, marked."""
        marked = list(words)
        at = 0
        while at < len(marked) - 1:
            whole = analyze(marked[at].written + marked[at + 1].written)
            if len(whole) == 1 and known(self._searcher, whole[0]):
                marked[at] = replace(marked[at], joined=whole[0])
                at += 2
            else:
                at += 1
        return marked

    def _query(
        self, parsed: ParsedText, request: SearchRequest, *, every_word: bool
    ) -> tantivy.Query:
        scored = text_query(self._schema, parsed, every_word=every_word)
        filters = filter_query(self._schema, request)
        if filters is None:
            return scored
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, scored), (tantivy.Occur.Must, filters)]
        )

    def _facets(self, query: tantivy.Query) -> dict[str, tuple[FacetCount, ...]]:
        aggregations = {
            name: {"terms": {"field": name, "size": FACET_SIZE}} for name in FACET_FIELDS
        }
        counted = self._searcher.aggregate(query, aggregations)
        return {
            name: tuple(
                FacetCount(str(bucket["key"]), int(bucket["doc_count"]))
                for bucket in counted.get(name, {}).get("buckets", [])
            )
            for name in FACET_FIELDS
        }

    def _hit(self, score: float, document: tantivy.Document, snippets: _Snippets) -> Hit:
        snippet, highlights = snippets.of(document)
        cited = document.get_first("cited")
        title = str(document.get_first("title") or "")
        return Hit(
            iri=str(document.get_first("iri")),
            type=str(document.get_first("type")),
            title=title or _shortened(str(document.get_first("body") or ""), 120),
            date=_optional(document.get_first("date")),
            score=score,
            snippet=snippet,
            highlights=highlights,
            chapters=tuple(str(v) for v in document.get_all("chapter")),
            year=_optional(document.get_first("year")),
            kind=_optional(document.get_first("kind")),
            organisations=tuple(str(v) for v in document.get_all("organisation")),
            cited=None if cited is None else cited == "true",
        )


class _Snippets:
    """The passage of a hit's body that best matches the query, with the matches marked; the
    body's beginning when it does not match; the title, marked, when there is no body."""

    def __init__(
        self, searcher: tantivy.Searcher, query: tantivy.Query, schema: tantivy.Schema
    ) -> None:
        self._generators = []
        for name in ("body", "title"):
            generator = tantivy.SnippetGenerator.create(searcher, query, schema, name)
            generator.set_max_num_chars(SNIPPET_CHARS)
            self._generators.append(generator)

    def of(self, document: tantivy.Document) -> tuple[str, tuple[tuple[int, int], ...]]:
        body = _shortened(str(document.get_first("body") or ""), SNIPPET_CHARS)
        for name, generator in zip(("body", "title"), self._generators, strict=True):
            snippet = generator.snippet_from_doc(document)
            fragment = snippet.fragment()
            if snippet.highlighted() and fragment.strip():
                # An ellipsis where the passage is cut out of a longer text.
                text = str(document.get_first(name) or "")
                lead = "" if text.startswith(fragment) else "… "
                tail = "" if text.endswith(fragment) else " …"
                ranges = _character_ranges(fragment, snippet.highlighted())
                shifted = tuple((start + len(lead), end + len(lead)) for start, end in ranges)
                return lead + fragment + tail, shifted
            if body:
                return body, ()  # the body's beginning says more than the title again
        return body, ()


def _character_ranges(fragment: str, ranges: list[tantivy.Range]) -> tuple[tuple[int, int], ...]:
    """tantivy's byte ranges of the UTF-8 fragment, as character ranges of the string."""
    encoded = fragment.encode("utf-8")
    found = []
    for byte_range in ranges:
        start = len(encoded[: byte_range.start].decode("utf-8", errors="ignore"))
        end = len(encoded[: byte_range.end].decode("utf-8", errors="ignore"))
        if end > start:
            found.append((start, end))
    return tuple(found)


def _shortened(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def _count(found: tantivy.SearchResult) -> int:
    # The number of all matches, which tantivy's type stubs leave out.
    return int(getattr(found, "count", 0) or 0)


def _optional(value: object) -> str | None:
    return None if value is None else str(value)


def open_published(settings: Settings) -> SearchIndex:
    """The index of the version published in ``settings.store_dir``.

    A remote engine (``store_url``) keeps no index: ``SearchUnavailableError``.
    """
    if settings.store_url:
        raise SearchUnavailableError(
            "a remote store keeps no search index; search a local store (--store DIR)"
        )
    return open_index(index_dir(current_version_dir(settings.store_dir)))


def open_index(path: Path) -> SearchIndex:
    """The index at ``path`` (a version's ``index_dir``), opened read-only.

    Raises ``SearchUnavailableError`` when there is none.
    """
    return SearchIndex(open_tantivy(Path(path)), read_labels(Path(path)), Path(path))


__all__ = ["SearchIndex", "open_index", "open_published"]
