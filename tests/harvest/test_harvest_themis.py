"""The Themis harvester against a real Oxigraph server, through a real, faulty HTTP proxy."""

from __future__ import annotations

import json
from datetime import date
from itertools import pairwise

import pytest
from pyoxigraph import Literal, NamedNode, Variable
from themis_data import (
    CORPUS_IDS,
    MINISTER_CHANGED,
    TEXT_CHANGED,
    THEMES,
    TITLE_CHANGED,
    WITHDRAWN,
    meeting_date,
    uuid_for,
    version_1,
    version_2,
)

from policygraph.config import Settings, load_settings
from policygraph.errors import SourceError
from policygraph.harvest import Harvest, harvest_themis, themis_http
from policygraph.harvest.queries import Window, windows
from policygraph.harvest.state import load_state, state_lock, state_path
from policygraph.namespaces import Minter, sparql_prologue
from policygraph.store.local import LocalStore

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("themis")]

SINCE, UNTIL = date(2020, 1, 1), date(2022, 1, 1)
WINDOWS = windows(SINCE, UNTIL, 31)
BACKOFF = 0.05


def harvest_settings(tmp_path, **overrides: object) -> Settings:
    values = {
        "store_dir": str(tmp_path / "store"),
        "harvest_page_size": 5,
        "harvest_min_interval": 0,
        "harvest_retries": 2,
        "harvest_window_days": 31,
        **overrides,
    }
    return load_settings(env={}, overrides=values)


def run(settings: Settings, endpoint: str, **kwargs: object) -> Harvest:
    http = themis_http(settings)
    http.backoff = BACKOFF
    try:
        return harvest_themis(settings, endpoint, since=SINCE, until=UNTIL, http=http, **kwargs)
    finally:
        http.close()


def counts(harvest: Harvest) -> dict[str, int]:
    keys = ("windows", "seen", "added", "changed", "unchanged", "removed", "skipped")
    return {key: getattr(harvest.counts, key) for key in keys}


def select(harvest: Harvest, where: str, uuid: str | None = None) -> list[dict[str, str]]:
    """Solutions of a query on the harvested graph; a uuid is bound to ?uuid, not spliced."""
    store = LocalStore.in_memory(harvest.graph.quads())
    bound = {Variable("uuid"): Literal(uuid)} if uuid is not None else None
    solutions = store.query(sparql_prologue() + where, substitutions=bound)
    return [
        {str(v.value): s[v].value for v in solutions.variables if s[v] is not None}  # type: ignore[union-attr]
        for s in solutions  # type: ignore[union-attr]
    ]


def window_literal(window: Window) -> str:
    return f'("{window.start.isoformat()}" "{window.end.isoformat()}")'


def test_a_first_harvest_adds_every_decision_and_retries_the_page_that_fails(tmp_path, proxy_to):
    proxy = proxy_to(1)
    failing = WINDOWS[2]
    proxy.fail_once(lambda q: window_literal(failing) in q and "OFFSET 5\n" in q)
    harvest = run(harvest_settings(tmp_path), proxy.url + "/query")

    assert counts(harvest) == {
        "windows": 24,
        "seen": 400,
        "added": 400,
        "changed": 0,
        "unchanged": 0,
        "removed": 0,
        "skipped": 0,
    }
    assert harvest.counts.retries == 1
    assert harvest.counts.requests == len(proxy.seen)
    assert harvest.summary() == (
        f"harvested {harvest.since} .. {harvest.until}: 24 windows; 400 items seen, 400 added, "
        f"0 changed, 0 unchanged, 0 removed, 0 skipped; {len(proxy.seen)} requests, 1 retries"
    )
    failures = [i for i, seen in enumerate(proxy.seen) if seen.status == 503]
    assert len(failures) == 1
    failed, retried = proxy.seen[failures[0]], proxy.seen[failures[0] + 1]
    assert retried.query == failed.query
    assert retried.status == 200
    assert retried.at - failed.at >= BACKOFF
    assert all(s.user_agent.startswith("policygraph/") for s in proxy.seen)
    assert all("(+https://data.policygraph.be)" in s.user_agent for s in proxy.seen)


def test_the_harvested_graph_maps_news_items_to_decisions(tmp_path, proxy_to):
    harvest = run(harvest_settings(tmp_path), proxy_to(1).url + "/query")
    items = version_1().items
    minter = Minter("https://data.policygraph.be")
    assert harvest.graph.name == minter.graph("themis")

    (row,) = select(harvest, "SELECT (COUNT(DISTINCT ?d) AS ?n) { ?d a pg:GovernmentDecision }")
    assert int(row["n"]) == 400
    (row,) = select(
        harvest,
        "SELECT (COUNT(*) AS ?n) "
        "{ ?d a pg:GovernmentDecision FILTER NOT EXISTS { ?d dct:title ?t } }",
    )
    assert int(row["n"]) == sum(1 for i in items if i.title is None) == 40
    kinds = select(
        harvest,
        "SELECT ?kind (COUNT(?d) AS ?n) { ?d pg:decisionKind ?kind } GROUP BY ?kind ORDER BY ?kind",
    )
    assert {r["kind"].rsplit("/", 1)[1]: int(r["n"]) for r in kinds} == {
        "nota": 199,
        "mededeling": 193,
    }

    # The corpus decision 5FDC…: the corpus's own IRI, with the Themis links.
    corpus_id = CORPUS_IDS[(49, 0)]
    decision = minter.decision(corpus_id)
    assert decision.value == "https://data.policygraph.be/id/beslissing/5FDC61446B34EF0008000DA4"
    triples = {
        (t.predicate.value, t.object) for t in harvest.graph.triples if t.subject == decision
    }
    pg = "https://data.policygraph.be/ns/policygraph#"
    assert (
        pg + "themisNewsItem",
        NamedNode(f"http://themis.vlaanderen.be/id/nieuwsbericht/{corpus_id}"),
    ) in triples
    assert (
        "http://purl.org/dc/terms/date",
        Literal("2020-12-18", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#date")),
    ) in triples
    assert (
        pg + "decisionKind",
        NamedNode("https://data.policygraph.be/ns/concept/nota"),
    ) in triples
    assert (
        "http://www.w3.org/ns/prov#wasAttributedTo",
        minter.organisation("vlaamse-regering-jambon"),
    ) in triples
    assert (
        "http://purl.org/dc/terms/title",
        Literal('Beslissing 196: "titel" & co', language="nl"),
    ) in triples
    assert not any(p == "http://www.w3.org/2002/07/owl#sameAs" for p, _ in triples)

    # Item 9 has two themes and a literal "theme": the literal is not made into a link.
    subjects = select(
        harvest, "SELECT ?uuid ?s { ?d mu:uuid ?uuid ; dct:subject ?s } ORDER BY ?s", uuid_for(9)
    )
    assert [r["s"] for r in subjects] == sorted([THEMES[9 % 6], THEMES[10 % 6]])
    # Item 5 is on the agendas of meetings 1 and 6: one decision, dated by the first meeting.
    dates = select(harvest, "SELECT ?uuid ?date { ?d mu:uuid ?uuid ; dct:date ?date }", uuid_for(5))
    assert [r["date"] for r in dates] == [meeting_date(1).isoformat()]
    # Text keeps its line break; every decision has its minister link.
    (text,) = select(harvest, "SELECT ?uuid ?t { ?d mu:uuid ?uuid ; prov:value ?t }", uuid_for(4))
    assert text["t"] == "Tekst van beslissing 4.\nTweede regel."
    (row,) = select(harvest, "SELECT (COUNT(DISTINCT ?d) AS ?n) { ?d pg:responsibleMinister ?m }")
    assert int(row["n"]) == 400
    # The graph is also written as N-Triples beside the state, the document of its provenance.
    assert harvest.graph.document.path.read_bytes().count(b"\n") == len(harvest.graph.triples)


def test_a_second_harvest_finds_what_was_added_changed_and_withdrawn(
    tmp_path, proxy_to, themis_servers
):
    settings = harvest_settings(tmp_path)
    proxy = proxy_to(1)
    run(settings, proxy.url + "/query")
    proxy.upstream = themis_servers[2].url  # Themis, some weeks later: same endpoint
    second = run(settings, proxy.url + "/query")

    changed = len(TITLE_CHANGED) + len(TEXT_CHANGED) + len(MINISTER_CHANGED)
    assert counts(second) == {
        "windows": 24,
        "seen": 404,
        "added": 6,
        "changed": changed,
        "unchanged": 400 - 2 - changed,
        "removed": len(WITHDRAWN),
        "skipped": 0,
    }
    assert not second.resumed
    v2 = version_2()
    (row,) = select(second, "SELECT (COUNT(DISTINCT ?d) AS ?n) { ?d a pg:GovernmentDecision }")
    assert int(row["n"]) == len(v2.items) == 404
    titles = select(second, "SELECT ?uuid ?t { ?d mu:uuid ?uuid ; dct:title ?t }", uuid_for(40))
    assert [r["t"] for r in titles] == ["Beslissing 40, herziene titel"]
    gone = select(
        second,
        "SELECT ?uuid ?d { ?d mu:uuid ?uuid }",
        uuid_for(WITHDRAWN[0]),
    )
    assert gone == []

    third = run(settings, proxy.url + "/query")
    assert counts(third) == {
        "windows": 24,
        "seen": 404,
        "added": 0,
        "changed": 0,
        "unchanged": 404,
        "removed": 0,
        "skipped": 0,
    }
    assert third.graph.triples == second.graph.triples


def test_a_harvest_that_fails_midway_resumes_with_the_windows_it_had_not_done(tmp_path, proxy_to):
    settings = harvest_settings(tmp_path, harvest_retries=1)
    proxy = proxy_to(1)
    proxy.refuse_after(40)
    with pytest.raises(SourceError, match="run the harvest again to resume"):
        run(settings, proxy.url + "/query")

    saved = json.loads(state_path(settings.store_dir).read_text(encoding="utf-8"))
    done = [Window.parse(w) for w in saved["run"]["completed"]]
    assert 0 < len(done) < len(WINDOWS)
    assert done == WINDOWS[: len(done)]
    assert saved["run"]["counts"]["windows"] == len(done)

    proxy.heal()
    first_request = len(proxy.seen)
    resumed = run(settings, proxy.url + "/query")
    assert resumed.resumed
    assert resumed.windows_now == len(WINDOWS) - len(done)
    assert counts(resumed) == {
        "windows": 24,
        "seen": 400,
        "added": 400,
        "changed": 0,
        "unchanged": 0,
        "removed": 0,
        "skipped": 0,
    }
    later = proxy.seen[first_request:]
    assert not any(window_literal(w) in s.query for w in done for s in later)
    assert load_state(state_path(settings.store_dir), proxy.url + "/query").run is None


def test_requests_keep_the_least_interval(tmp_path, proxy_to):
    settings = harvest_settings(tmp_path, harvest_min_interval=0.4)
    proxy = proxy_to(1)
    http = themis_http(settings)
    harvest = harvest_themis(
        settings, proxy.url + "/query", since=SINCE, until=date(2020, 2, 1), http=http
    )
    assert harvest.counts.seen == 16
    starts = [s.at for s in proxy.seen]
    assert len(starts) == 5  # the window's count, then its four pages
    # Measured where the requests arrive, so allow for the scheduling of a busy machine.
    assert min(b - a for a, b in pairwise(starts)) >= 0.3
    assert starts[-1] - starts[0] >= 4 * 0.4 - 0.1


def test_an_endpoint_that_is_not_sparql_is_a_source_error(tmp_path, proxy_to):
    proxy = proxy_to(1)
    with pytest.raises(SourceError, match="HTTP 404"):
        run(harvest_settings(tmp_path), proxy.url + "/no-such-endpoint")


def test_two_harvests_do_not_share_a_state_file(tmp_path):
    settings = harvest_settings(tmp_path)
    with (
        state_lock(state_path(settings.store_dir)),
        pytest.raises(SourceError, match="another harvest"),
    ):
        harvest_themis(settings, "http://127.0.0.1:9/query", since=SINCE, until=UNTIL)
