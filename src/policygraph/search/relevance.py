"""How well search ranks what people want, measured on a judged set of queries.

A judged set is a TOML file (the project's is ``tests/fixtures/search/judgements.toml``): per
query the text a person types, the type filter they chose (if any), the half it belongs to
(``tune`` may be used to choose settings, ``held`` never is) and the results a person wants,
each graded 2 (exactly that) or 1 (relevant) with the reason. Whatever is not listed counts as
not relevant.

Two measures, per query and averaged over a half or over all:

- **MRR@k**, the mean of 1/rank of the first relevant result (grade 1 or 2) in the top ``k``,
  0 when there is none: how far down a person reads before finding something worth having.
- **nDCG@k**, with graded gains ``2**grade - 1`` (so a grade 2 is worth three grade 1s) and
  the logarithmic discount of Järvelin and Kekäläinen; the ideal ranking is the judged
  results sorted by grade, so 1.0 means the best judged results fill the top in the best
  order, whatever else exists.

The engine is reached only through ``search(SearchRequest) -> SearchPage``, so any engine with
that method can be measured; ``evaluate`` times each query as it runs it.
"""

from __future__ import annotations

import math
import time
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from policygraph.errors import SourceFormatError
from policygraph.search.documents import TYPES
from policygraph.search.query import SearchPage, SearchRequest

GRADES = (1, 2)
SPLITS = ("tune", "held")
ALL = "all"
DEPTH = 10
"""Results read per query: the first page a person sees."""


class Searcher(Protocol):
    """What is measured: anything that answers a ``SearchRequest`` with a ``SearchPage``."""

    def search(self, request: SearchRequest) -> SearchPage: ...


@dataclass(frozen=True)
class Judgement:
    """One result a person wants for a query, how much, and why."""

    iri: str
    grade: int
    reason: str


@dataclass(frozen=True)
class JudgedQuery:
    """A query as a person types it, with the results they want at the top."""

    id: str
    text: str
    kind: str
    split: str
    types: tuple[str, ...]
    judgements: tuple[Judgement, ...]
    note: str = ""

    @property
    def grades(self) -> dict[str, int]:
        """IRI → grade of every judged result."""
        return {judgement.iri: judgement.grade for judgement in self.judgements}

    def request(self, depth: int = DEPTH) -> SearchRequest:
        """The first page of this query, ``depth`` results long."""
        return SearchRequest(text=self.text, types=self.types, page=1, per_page=depth)


@dataclass(frozen=True)
class QueryScore:
    """One query's ranking and what it is worth."""

    query: JudgedQuery
    ranking: tuple[str, ...]
    reciprocal_rank: float
    ndcg: float
    seconds: float


@dataclass(frozen=True)
class Summary:
    """The measures averaged over the queries of one half (or of all)."""

    split: str
    queries: int
    mrr: float
    ndcg: float


def load_judgements(path: Path) -> tuple[JudgedQuery, ...]:
    """The judged set at ``path``; ``SourceFormatError`` names the first thing malformed."""
    try:
        with Path(path).open("rb") as file:
            document = tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SourceFormatError(f"cannot read the judged set {path}: {exc}") from exc
    entries = document.get("queries")
    if not isinstance(entries, list) or not entries:
        raise SourceFormatError(f"{path}: no [[queries]]")
    queries = tuple(_judged_query(entry, path) for entry in entries)
    ids = [query.id for query in queries]
    repeated = sorted({name for name in ids if ids.count(name) > 1})
    if repeated:
        raise SourceFormatError(f"{path}: query ids used twice: {', '.join(repeated)}")
    return queries


def _judged_query(entry: object, path: Path) -> JudgedQuery:
    if not isinstance(entry, dict):
        raise SourceFormatError(f"{path}: a query is not a table")
    name = _text(entry, "id", path, "a query")
    where = f"query {name!r}"
    split = _text(entry, "split", path, where)
    if split not in SPLITS:
        raise SourceFormatError(f"{path}: {where}: split must be one of {', '.join(SPLITS)}")
    types = (entry["type"],) if "type" in entry else ()
    if any(value not in TYPES for value in types):
        raise SourceFormatError(f"{path}: {where}: type must be one of {', '.join(TYPES)}")
    results = entry.get("results")
    if not isinstance(results, list) or not results:
        raise SourceFormatError(f"{path}: {where}: no [[queries.results]]")
    judgements = tuple(_judgement(result, path, where) for result in results)
    iris = [judgement.iri for judgement in judgements]
    if len(set(iris)) != len(iris):
        raise SourceFormatError(f"{path}: {where}: a result is judged twice")
    note = entry.get("note", "")
    return JudgedQuery(
        id=name,
        text=_text(entry, "text", path, where),
        kind=_text(entry, "kind", path, where),
        split=split,
        types=types,
        judgements=judgements,
        note=note if isinstance(note, str) else "",
    )


def _judgement(result: object, path: Path, where: str) -> Judgement:
    if not isinstance(result, dict):
        raise SourceFormatError(f"{path}: {where}: a result is not a table")
    iri = _text(result, "iri", path, where)
    grade = result.get("grade")
    if isinstance(grade, bool) or grade not in GRADES:
        raise SourceFormatError(f"{path}: {where}: <{iri}> has grade {grade!r}, not 1 or 2")
    return Judgement(iri, int(grade), _text(result, "reason", path, f"{where}, <{iri}>"))


def _text(table: Mapping[str, object], key: str, path: Path, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise SourceFormatError(f"{path}: {where} has no {key}")
    return value


def reciprocal_rank(ranking: Sequence[str], grades: Mapping[str, int], k: int = DEPTH) -> float:
    """1/rank of the first result in the top ``k`` with a grade, 0.0 when none has."""
    for rank, iri in enumerate(ranking[:k], start=1):
        if grades.get(iri, 0) > 0:
            return 1.0 / rank
    return 0.0


def discounted_gain(grades: Iterable[int]) -> float:
    """DCG of grades in rank order: gain ``2**grade - 1`` discounted by ``log2(rank + 1)``."""
    return sum((2.0**grade - 1) / math.log2(rank + 1) for rank, grade in enumerate(grades, start=1))


def ndcg(ranking: Sequence[str], grades: Mapping[str, int], k: int = DEPTH) -> float:
    """DCG of the top ``k`` of ``ranking`` over the DCG of the judged results in grade order."""
    ideal = discounted_gain(sorted(grades.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return discounted_gain(grades.get(iri, 0) for iri in ranking[:k]) / ideal


def score(query: JudgedQuery, ranking: Sequence[str], seconds: float = 0.0) -> QueryScore:
    """What ``ranking`` (IRIs, best first) is worth for ``query``."""
    grades = query.grades
    return QueryScore(
        query=query,
        ranking=tuple(ranking),
        reciprocal_rank=reciprocal_rank(ranking, grades),
        ndcg=ndcg(ranking, grades),
        seconds=seconds,
    )


def evaluate(
    searcher: Searcher, queries: Iterable[JudgedQuery], depth: int = DEPTH
) -> tuple[QueryScore, ...]:
    """Run every query's first page through ``searcher`` and score its ranking."""
    scores = []
    for query in queries:
        clock = time.perf_counter()
        page = searcher.search(query.request(depth))
        seconds = time.perf_counter() - clock
        scores.append(score(query, [hit.iri for hit in page.hits], seconds))
    return tuple(scores)


def summarize(scores: Sequence[QueryScore], split: str = ALL) -> Summary:
    """The mean MRR and nDCG of the queries of ``split`` (``"all"``: of every query)."""
    chosen = [item for item in scores if split == ALL or item.query.split == split]
    if not chosen:
        return Summary(split, 0, 0.0, 0.0)
    return Summary(
        split=split,
        queries=len(chosen),
        mrr=sum(item.reciprocal_rank for item in chosen) / len(chosen),
        ndcg=sum(item.ndcg for item in chosen) / len(chosen),
    )


def summaries(scores: Sequence[QueryScore]) -> tuple[Summary, ...]:
    """``summarize`` for each half and for all, in that order."""
    return tuple(summarize(scores, split) for split in (*SPLITS, ALL))


__all__ = [
    "ALL",
    "DEPTH",
    "GRADES",
    "SPLITS",
    "JudgedQuery",
    "Judgement",
    "QueryScore",
    "Searcher",
    "Summary",
    "discounted_gain",
    "evaluate",
    "load_judgements",
    "ndcg",
    "reciprocal_rank",
    "score",
    "summaries",
    "summarize",
]
