"""Decisions ranked by how much of a text's vocabulary they share: BM25 with the Dutch analyzer.

The derived evidence (how well a citation holds, which decisions a section's assessment did not
cite) needs one question answered many times: given a text — a claim, a section — how well does
each decision match it? ``DecisionRanking`` holds every decision of a version in an index in
memory (tantivy, the analyzer of ``search.analyzer``) and answers with BM25: the text's content
words (function words dropped, each distinct term once) are looked for in the decision's titles
and its text, a title match weighing more. BM25 is deterministic for a given set of decisions,
so the same version gives the same scores on every machine.

The ranking is over the decisions it is given: those of the published version, the corpus's and
any harvested later.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import tantivy
from pyoxigraph import Literal, NamedNode, QuerySolutions, Store

from policygraph.namespaces import sparql_prologue
from policygraph.search.analyzer import ANALYZER, analyze, register, remove_stopwords

TITLE_BOOST = 2.0
"""A term in a decision's title says more about what it decides than the same term in its text."""
MAX_QUERY_TERMS = 1024
"""A section or claim longer than this many distinct terms is cut (none of the corpus is)."""
WRITER_HEAP_BYTES = 32_000_000

_DECISIONS = (
    sparql_prologue()
    + """
SELECT ?decision ?title ?text ?date WHERE {
  ?decision a pg:GovernmentDecision .
  OPTIONAL { ?decision dct:title ?title }
  OPTIONAL { ?decision prov:value ?text }
  OPTIONAL { ?decision dct:date ?date }
}
"""
)


@dataclass(frozen=True)
class DecisionText:
    """What a decision says, as far as ranking reads it."""

    iri: str
    titles: tuple[str, ...]
    text: str
    date: str | None = None


@dataclass(frozen=True)
class Ranked:
    """A decision's place in a ranking: its rank (1 is best) and BM25 score."""

    iri: str
    rank: int
    score: float


def read_decisions(store: Store) -> list[DecisionText]:
    """Every decision of ``store`` with its titles (all graphs' titles, distinct), text and date,
    ordered by IRI so that the index is the same for the same content."""
    titles: dict[str, set[str]] = defaultdict(set)
    texts: dict[str, set[str]] = defaultdict(set)
    dates: dict[str, str] = {}
    solutions = store.query(_DECISIONS, use_default_graph_as_union=True)
    assert isinstance(solutions, QuerySolutions)
    for row in solutions:
        decision = row["decision"]
        if not isinstance(decision, NamedNode):
            continue
        iri = decision.value
        titles[iri]
        for name, values in (("title", titles[iri]), ("text", texts[iri])):
            value = row[name]
            if isinstance(value, Literal) and value.value.strip():
                values.add(value.value.strip())
        date = row["date"]
        if isinstance(date, Literal):
            dates[iri] = min(dates.get(iri, date.value), date.value)
    return [
        DecisionText(iri, tuple(sorted(titles[iri])), "\n".join(sorted(texts[iri])), dates.get(iri))
        for iri in sorted(titles)
    ]


def query_terms(text: str) -> list[str]:
    """The distinct analyzed content terms of ``text``, in order of first appearance."""
    return list(dict.fromkeys(analyze(remove_stopwords(text))))[:MAX_QUERY_TERMS]


class DecisionRanking:
    """An index of decisions in memory, asked with texts."""

    def __init__(self, decisions: Iterable[DecisionText]) -> None:
        self.decisions = {decision.iri: decision for decision in decisions}
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("iri", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", stored=False, tokenizer_name=ANALYZER)
        builder.add_text_field("body", stored=False, tokenizer_name=ANALYZER)
        self._schema = builder.build()
        index = tantivy.Index(self._schema)
        register(index)
        writer = index.writer(WRITER_HEAP_BYTES, 1)
        for decision in sorted(self.decisions.values(), key=lambda d: d.iri):
            writer.add_document(
                tantivy.Document(
                    iri=decision.iri, title=" \n".join(decision.titles), body=decision.text
                )
            )
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        self._searcher = index.searcher()

    def __len__(self) -> int:
        return len(self.decisions)

    def rank(self, text: str, limit: int) -> list[Ranked]:
        """The ``limit`` decisions that match ``text`` best, best first (ties by IRI)."""
        query = self._query(query_terms(text))
        if query is None or limit < 1:
            return []
        return self._ranked(query, limit)

    def scores(self, text: str, iris: Sequence[str]) -> dict[str, float]:
        """The BM25 score of each of ``iris`` for ``text`` (0.0 for a decision that shares no
        term with it, or that the ranking does not hold)."""
        query = self._query(query_terms(text))
        known = [iri for iri in iris if iri in self.decisions]
        found: dict[str, float] = {}
        if query is not None and known:
            # A filter that matches or not: it must add nothing to the text's BM25 score.
            only = tantivy.Query.const_score_query(
                tantivy.Query.term_set_query(self._schema, "iri", known), 0.0
            )
            both = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, query), (tantivy.Occur.Must, only)]
            )
            found = {hit.iri: hit.score for hit in self._ranked(both, len(known))}
        return {iri: found.get(iri, 0.0) for iri in iris}

    def _query(self, terms: list[str]) -> tantivy.Query | None:
        if not terms:
            return None
        clauses = []
        for term in terms:
            in_title = tantivy.Query.boost_query(
                tantivy.Query.term_query(self._schema, "title", term), TITLE_BOOST
            )
            in_body = tantivy.Query.term_query(self._schema, "body", term)
            clauses.append((tantivy.Occur.Should, in_title))
            clauses.append((tantivy.Occur.Should, in_body))
        return tantivy.Query.boolean_query(clauses)

    def _ranked(self, query: tantivy.Query, limit: int) -> list[Ranked]:
        result = self._searcher.search(query, limit)
        hits = []
        for score, address in result.hits:
            iri = self._searcher.doc(address)["iri"][0]
            hits.append((-score, str(iri)))
        # tantivy orders equal scores by document address; by IRI they read the same anywhere.
        hits.sort()
        return [Ranked(iri, rank, -negative) for rank, (negative, iri) in enumerate(hits, 1)]


__all__ = ["DecisionRanking", "DecisionText", "Ranked", "query_terms", "read_decisions"]
