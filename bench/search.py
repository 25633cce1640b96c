"""Benchmark of full-text search: its index, its relevance, its latency.

    python -m bench search [--store DIR] [--work var/bench] [--varied 300] [--seconds 10]
                           [--builds 3] [--no-http] [--per-query]

Without ``--store``, the corpus in ``data/`` is built and published into ``--work`` (kept, and
kept as it is while sources and code are unchanged); with it, that store's published version is
measured. Then:

- the index: built again from the published store ``--builds`` times (median seconds), its
  documents and its size on disk; the last one built is the one measured below, so that the
  current code is (the published index is compared with it);
- relevance on the judged set (``tests/fixtures/search/judgements.toml``): MRR@10 and nDCG@10
  on the tune half, the held half and all, and per kind of query (``--per-query`` lists every
  query); beside it the peer a researcher has without the index, SPARQL over the same store:
  every resource whose title, text or label ``CONTAINS`` each word (lower-cased), titles
  first, with its latency;
- latency of a first page (10 results), over the judged queries and ``--varied`` queries made
  from the corpus's own titles (words, word pairs, quoted phrases, typos, type filters), at
  concurrency 1 and 8: in this process (``SearchIndex.search`` from threads) and through the
  real ``/search`` route of a ``policygraph serve`` on 127.0.0.1 (JSON), p50 and p99. Every
  run stops after each query has been sent twice or after ``--seconds``, whichever comes first.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, QuerySolutions, Variable

from bench.endpoint import LOOPBACK, Server, policygraph
from policygraph.build.pipeline import build
from policygraph.config import load_settings
from policygraph.search import SearchIndex, SearchRequest, index_dir, index_store, open_index
from policygraph.search.relevance import (
    JudgedQuery,
    QueryScore,
    evaluate,
    load_judgements,
    score,
    summaries,
)
from policygraph.store.local import LocalStore, current_version_dir

PROJECT = Path(__file__).resolve().parents[1]
JUDGEMENTS = PROJECT / "tests" / "fixtures" / "search" / "judgements.toml"
CONCURRENCY = (1, 8)
PER_PAGE = 10
ROUNDS = 2
"""Each query is sent at most this many times per run."""
TYPES = ("decision", "section", "claim")


@dataclass(frozen=True)
class Query:
    text: str
    types: tuple[str, ...] = ()


@dataclass
class Latencies:
    seconds: list[float] = field(default_factory=list)
    failures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    wall: float = 0.0

    def add(self, seconds: float, ok: bool) -> None:
        with self.lock:
            self.seconds.append(seconds)
            self.failures += not ok

    def row(self) -> str:
        ordered = sorted(self.seconds) or [0.0]
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        rate = len(self.seconds) / self.wall if self.wall else 0.0
        return (
            f"{len(self.seconds):>6} {statistics.median(ordered) * 1000:>9.2f} "
            f"{p99 * 1000:>9.2f} {rate:>9.0f} {self.failures:>6}"
        )


def published_store(args: argparse.Namespace) -> Path:
    """The store to measure: ``--store``, or the corpus built into ``--work`` (a build with the
    same sources and code keeps the version it published, so only the first run waits)."""
    if args.store is not None:
        return Path(args.store)
    store_dir: Path = args.work / "search-store"
    print("building the corpus (kept when unchanged) …", file=sys.stderr)
    settings = load_settings(
        env={}, overrides={"store_dir": str(store_dir), "data_dir": str(PROJECT / "data")}
    )
    build(settings)
    return store_dir


def index_figures(store_dir: Path, builds: int, work: Path) -> tuple[list[str], Path]:
    """Median seconds to index the published store, documents, the size on disk; and the last
    index built, which the current code made (a version kept unchanged keeps an older one)."""
    store = LocalStore.open(store_dir)
    fresh, timings, documents = work / "search-index", [], 0
    try:
        for _ in range(max(1, builds)):
            shutil.rmtree(fresh, ignore_errors=True)
            clock = time.perf_counter()
            documents = index_store(store, fresh)
            timings.append(time.perf_counter() - clock)
    finally:
        store.close()
    size = sum(path.stat().st_size for path in fresh.rglob("*") if path.is_file())
    lines = [
        f"index build (median of {len(timings)}) {statistics.median(timings):>8.2f} s",
        f"documents                    {documents:>8}",
        f"size on disk                 {size / 1e6:>8.2f} MB",
    ]
    return lines, fresh


def relevance_figures(scores: Sequence[QueryScore], per_query: bool) -> list[str]:
    lines = [f"{'split':<8} {'queries':>7} {'MRR@10':>8} {'nDCG@10':>8}"]
    lines += [
        f"{s.split:<8} {s.queries:>7} {s.mrr:>8.3f} {s.ndcg:>8.3f}" for s in summaries(scores)
    ]
    kinds = sorted({item.query.kind for item in scores})
    lines.append("")
    lines.append(f"{'kind':<12} {'queries':>7} {'MRR@10':>8} {'nDCG@10':>8}")
    for kind in kinds:
        of_kind = [item for item in scores if item.query.kind == kind]
        mrr = statistics.mean(item.reciprocal_rank for item in of_kind)
        gain = statistics.mean(item.ndcg for item in of_kind)
        lines.append(f"{kind:<12} {len(of_kind):>7} {mrr:>8.3f} {gain:>8.3f}")
    if per_query:
        lines.append("")
        lines += [
            f"{item.query.split:<5} {item.query.id:<34} RR {item.reciprocal_rank:.2f}"
            f"  nDCG {item.ndcg:.2f}  {item.query.text}"
            for item in scores
        ]
    return lines


PEER_CLASSES = {
    "section": "pg:Section",
    "claim": "pg:Claim",
    "decision": "pg:GovernmentDecision",
    "campaign": "pg:Campaign",
    "organisation": "pg:GovernmentBody pg:Agency pg:Company org:Site",
}
PEER_QUERY = """
PREFIX pg: <https://data.policygraph.be/ns/policygraph#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?r (MAX(?inTitle) AS ?title) BOUND_WORDS WHERE {
  VALUES ?class { CLASSES }
  ?r a ?class ; ?p ?text .
  VALUES ?p { dct:title pg:text pg:claimText prov:value skos:prefLabel skos:altLabel
              dct:description }
  BIND(LCASE(STR(?text)) AS ?lower)
  FILTER(WORDS)
  BIND(IF(?p IN (dct:title, skos:prefLabel), 1, 0) AS ?inTitle)
} GROUP BY ?r BOUND_WORDS ORDER BY DESC(?title) ?r LIMIT 10
"""


def peer_words(text: str) -> list[str]:
    """Quoted phrases whole and the other words of three letters or more, lower-cased."""
    rest = re.sub(r'"[^"]*"', " ", text)
    phrases = [phrase.lower() for phrase in re.findall(r'"([^"]+)"', text)]
    return phrases + [word.lower() for word in re.findall(r"\w+", rest) if len(word) > 2]


def sparql_peer(store_dir: Path, judged: Sequence[JudgedQuery]) -> tuple[QueryScore, ...]:
    """The judged queries answered by SPARQL ``CONTAINS`` over the store, the words bound as
    values (never spliced into the text): the search a researcher writes without the index."""
    store = LocalStore.open(store_dir)
    scores = []
    try:
        for query in judged:
            words = peer_words(query.text)
            kinds = query.types or tuple(PEER_CLASSES)
            classes = " ".join(PEER_CLASSES[kind] for kind in kinds)
            matches = " && ".join(f"CONTAINS(?lower, ?w{n})" for n in range(len(words)))
            # pyoxigraph binds only projected variables; the words are constants, so grouping
            # by them changes nothing.
            projected = " ".join(f"?w{n}" for n in range(len(words)))
            text = (
                PEER_QUERY.replace("BOUND_WORDS", projected)
                .replace("CLASSES", classes)
                .replace("WORDS", matches or "true")
            )
            bound = {Variable(f"w{n}"): Literal(word) for n, word in enumerate(words)}
            clock = time.perf_counter()
            rows = store.query(text, substitutions=bound)
            assert isinstance(rows, QuerySolutions)
            ranking = [row["r"].value for row in rows]
            scores.append(score(query, ranking, time.perf_counter() - clock))
    finally:
        store.close()
    return tuple(scores)


def varied_queries(count: int, seed: int = 7) -> list[Query]:
    """Queries a person might type, drawn from the decisions' titles: words, pairs, phrases,
    typos, some with a type filter; the same ones on every run."""
    random_ = random.Random(seed)
    titles = []
    with (PROJECT / "data" / "corpus" / "decisions.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            title = json.loads(line).get("title")
            if title:
                titles.append([w for w in title.split() if w.isalpha() and len(w) > 3])
    titles = [words for words in titles if len(words) >= 3]
    queries: list[Query] = []
    while len(queries) < count:
        words = random_.choice(titles)
        start = random_.randrange(len(words) - 2)
        shape = len(queries) % 5
        if shape == 0:
            text = words[start]
        elif shape == 1:
            text = f"{words[start]} {words[start + 2]}"
        elif shape == 2:
            text = f'"{words[start]} {words[start + 1]}"'
        elif shape == 3:
            word = words[start]
            cut = random_.randrange(1, len(word) - 1)
            text = word[:cut] + word[cut + 1] + word[cut] + word[cut + 2 :]
        else:
            text = " ".join(words[start : start + 3])
        types = (random_.choice(TYPES),) if random_.random() < 0.2 else ()
        queries.append(Query(text.lower(), types))
    return queries


def run(
    call: Callable[[Query], bool], queries: Sequence[Query], clients: int, seconds: float
) -> Latencies:
    """Send each query at most ``ROUNDS`` times from ``clients`` threads, for ``seconds``."""
    latencies = Latencies()
    until = time.monotonic() + seconds
    work = [queries[i % len(queries)] for i in range(len(queries) * ROUNDS)]

    def client(offset: int) -> None:
        for query in work[offset::clients]:
            if time.monotonic() > until:
                return
            clock = time.perf_counter()
            ok = call(query)
            latencies.add(time.perf_counter() - clock, ok)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    clock = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.wall = time.perf_counter() - clock
    return latencies


def in_process(index: SearchIndex) -> Callable[[Query], bool]:
    def call(query: Query) -> bool:
        index.search(SearchRequest(text=query.text, types=query.types, per_page=PER_PAGE))
        return True

    return call


def search_path(query: Query) -> str:
    """The contract's URL of a first page as JSON: ``/search?q=…&format=json&per_page=10``."""
    parameters = [("q", query.text), ("format", "json"), ("per_page", str(PER_PAGE))]
    return "/search?" + urllib.parse.urlencode(parameters + [("type", t) for t in query.types])


def over_http(server: Server) -> Callable[[Query], bool]:
    """One keep-alive connection per thread, ``GET /search?…&format=json``."""
    local = threading.local()

    def call(query: Query) -> bool:
        path = search_path(query)
        for attempt in (1, 2):
            connection = getattr(local, "connection", None)
            if connection is None:
                connection = local.connection = http.client.HTTPConnection(
                    LOOPBACK, server.port, timeout=60
                )
            try:
                connection.request("GET", path, headers={"Accept": "application/json"})
                response = connection.getresponse()
                body = response.read()
                return response.status == 200 and b'"results"' in body
            except (OSError, http.client.HTTPException):
                connection.close()
                local.connection = None
                if attempt == 2:
                    return False
        return False

    return call


def http_agreement(server: Server, index: SearchIndex, queries: Sequence[Query]) -> str:
    """How many queries get the same first page over HTTP as in this process."""
    same = 0
    for query in queries:
        connection = http.client.HTTPConnection(LOOPBACK, server.port, timeout=60)
        try:
            connection.request("GET", search_path(query))
            answer = json.loads(connection.getresponse().read())
        finally:
            connection.close()
        over = [result["iri"] for result in answer.get("results", [])]
        request = SearchRequest(text=query.text, types=query.types, per_page=PER_PAGE)
        same += over == [hit.iri for hit in index.search(request).hits]
    return f"same first page over HTTP as in process: {same} of {len(queries)} judged queries"


def latency_table(rows: list[tuple[str, str, int, Latencies]]) -> list[str]:
    lines = [
        f"{'path':<11} {'queries':<8} {'conc.':>5} {'calls':>6} {'p50 ms':>9} {'p99 ms':>9} "
        f"{'calls/s':>9} {'failed':>6}"
    ]
    lines += [f"{p:<11} {q:<8} {c:>5} {r.row()}" for p, q, c, r in rows]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", type=Path, default=None, help="a built store to measure")
    parser.add_argument("--work", type=Path, default=PROJECT / "var" / "bench")
    parser.add_argument("--varied", type=int, default=300, help="queries made from the corpus")
    parser.add_argument("--seconds", type=float, default=10.0, help="longest latency run")
    parser.add_argument("--builds", type=int, default=3, help="index builds to time")
    parser.add_argument("--no-http", action="store_true", help="skip the /search route")
    parser.add_argument("--per-query", action="store_true", help="list every judged query")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)

    store_dir = published_store(args)
    print(f"search benchmark of {current_version_dir(store_dir)}\n")
    lines, fresh = index_figures(store_dir, args.builds, args.work)
    print("\n".join(lines), "\n")

    judged = load_judgements(JUDGEMENTS)
    index = open_index(fresh)
    scores = evaluate(index, judged)
    published = evaluate(open_index(index_dir(current_version_dir(store_dir))), judged)
    if [item.ranking for item in published] != [item.ranking for item in scores]:
        print("note: the store's published index ranks differently: it was built by older code\n")
    print("search index")
    print("\n".join(relevance_figures(scores, args.per_query)), "\n")
    peer = sparql_peer(store_dir, judged)
    timings = sorted(item.seconds for item in peer)
    print("peer: SPARQL CONTAINS over the store")
    print("\n".join(relevance_figures(peer, per_query=False)))
    print(
        f"latency at concurrency 1: p50 {statistics.median(timings) * 1000:.1f} ms, "
        f"max {timings[-1] * 1000:.1f} ms over {len(timings)} judged queries\n"
    )

    sets = {
        "judged": [Query(query.text, query.types) for query in judged],
        "varied": varied_queries(args.varied),
    }
    rows = [
        ("in process", name, clients, run(in_process(index), queries, clients, args.seconds))
        for name, queries in sets.items()
        for clients in CONCURRENCY
    ]
    if not args.no_http:
        with (
            tempfile.TemporaryDirectory(dir=args.work) as scratch,
            policygraph(store_dir, Path(scratch) / "serve.log") as server,
        ):
            agreement = http_agreement(server, index, sets["judged"])
            for name, queries in sets.items():
                call = over_http(server)
                run(call, queries[:20], 1, args.seconds)  # warm each web worker's index
                for clients in CONCURRENCY:
                    rows.append(("HTTP", name, clients, run(call, queries, clients, args.seconds)))
        print(agreement)
    print("\n".join(latency_table(rows)))


if __name__ == "__main__":
    main()
