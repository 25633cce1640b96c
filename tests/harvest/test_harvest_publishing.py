"""A harvest published into the store, updated by the next harvest; and the CLI command."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import rdflib
from click.testing import CliRunner
from pyoxigraph import Variable

from policygraph.build.publishing import publish
from policygraph.cli import main
from policygraph.config import load_settings
from policygraph.harvest import harvest_themis, publish_harvest, themis_http
from policygraph.namespaces import PG, Minter, sparql_prologue
from policygraph.sources.curated import read_curated
from policygraph.store.local import LocalStore

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("themis")]

MARCH = (date(2020, 3, 1), date(2020, 4, 1))  # meetings 8-11: items 32-47, item 40 changes
PG_DECISION = PG.GovernmentDecision
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
PGSH = rdflib.Namespace("https://data.policygraph.be/ns/shapes#")


def decision_shapes(settings, folder):
    """The project's shapes for decisions, alone: the rest of the store is not under test here."""
    shapes = rdflib.Graph()
    for file in sorted(settings.shapes_dir.glob("*.ttl")):
        shapes.parse(file)
    kept = rdflib.Graph()
    todo = [PGSH.GovernmentDecisionShape, PGSH.DecisionInLegislatureShape]
    seen = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in shapes.predicate_objects(node):
            kept.add((node, p, o))
            if isinstance(o, rdflib.BNode) or (
                isinstance(o, rdflib.URIRef) and str(o).startswith(str(PGSH)[:-1])
            ):
                todo.append(o)
            if p == SH.prefixes:
                todo.append(o)
    folder.mkdir()
    kept.serialize(folder / "decisions.shapes.ttl", format="turtle")
    return folder


def settings_for(tmp_path):
    settings = load_settings(
        env={},
        overrides={
            "store_dir": str(tmp_path / "store"),
            "harvest_min_interval": 0,
            "harvest_page_size": 5,
        },
    )
    return settings.replace(shapes_dir=str(decision_shapes(settings, tmp_path / "shapes")))


def with_organisations(tmp_path):
    """Settings of a new store, and its minter, where the curated organisations are published
    (the graph a harvest links its decisions to)."""
    settings = settings_for(tmp_path)
    minter = Minter(settings.base_iri)
    organisations = [
        g for g in read_curated(settings.data_dir, minter) if g.name == minter.graph("organisaties")
    ]
    publish(settings, organisations, {"organisaties": datetime.now(UTC)}, replace_all=True)
    return settings, minter


def harvest(settings, endpoint):
    http = themis_http(settings)
    try:
        return harvest_themis(settings, endpoint, since=MARCH[0], until=MARCH[1], http=http)
    finally:
        http.close()


def rows(store, where, **bound):
    """Solutions as dicts; IRIs are bound to projected variables, never spliced into the text."""
    substitutions = {Variable(name): value for name, value in bound.items()}
    result = store.query(sparql_prologue() + where, substitutions=substitutions or None)
    return [{v.value: s[v].value for v in result.variables if s[v] is not None} for s in result]


def test_a_harvest_is_published_and_the_next_one_updates_it(tmp_path, proxy_to, themis_servers):
    settings, minter = with_organisations(tmp_path)
    proxy = proxy_to(1)
    endpoint = proxy.url + "/query"

    first = harvest(settings, endpoint)
    assert (first.counts.added, first.needs_publishing) == (16, True)
    published = publish_harvest(settings, first)
    store = LocalStore.open(settings.store_dir)
    assert store.version == published.version
    themis = minter.graph("themis")
    decisions = {q.subject for q in store.quads(themis) if q.object == PG_DECISION}
    assert len(decisions) == 16
    (source,) = rows(
        store,
        "SELECT ?graph ?origin ?sum { GRAPH ?g { ?graph prov:wasDerivedFrom ?doc . "
        "?doc dct:source ?origin ; spdx:checksum/spdx:checksumValue ?sum } }",
        graph=themis,
    )
    assert source["origin"] == endpoint
    assert minter.graph("organisaties") in set(store.named_graphs())

    proxy.upstream = themis_servers[2].url
    second = harvest(settings, endpoint)
    # Version 2 adds two items to a meeting of March and retitles item 40.
    assert (second.counts.added, second.counts.changed, second.counts.unchanged) == (2, 1, 15)
    republished = publish_harvest(settings, second)
    assert republished.version != published.version
    store = LocalStore.open(settings.store_dir)
    decision = minter.decision("5E0000000000000000000028")  # item 40
    titles = rows(store, "SELECT ?d ?t { GRAPH ?g { ?d dct:title ?t } }", d=decision)
    assert [row["t"] for row in titles] == ["Beslissing 40, herziene titel"]

    third = harvest(settings, endpoint)
    assert (third.counts.unchanged, third.needs_publishing) == (18, False)


def test_the_cli_harvests_and_reports(tmp_path, proxy_to):
    proxy = proxy_to(1)
    runner = CliRunner()
    arguments = [
        "harvest",
        "themis",
        "--endpoint",
        proxy.url + "/query",
        "--since",
        "2020-03-01",
        "--until",
        "2020-04-01",
        "--store",
        str(tmp_path / "store"),
        "--no-publish",
    ]
    env = {"POLICYGRAPH_HARVEST_MIN_INTERVAL": "0"}
    result = runner.invoke(main, arguments, env=env)
    assert result.exit_code == 0, result.output
    assert "1 windows; 16 items seen, 16 added, 0 changed, 0 unchanged" in result.output
    assert "2 requests, 0 retries" in result.output  # the count, one page

    proxy.refuse_after(0)
    env["POLICYGRAPH_HARVEST_RETRIES"] = "0"
    failed = runner.invoke(main, arguments, env=env)
    assert failed.exit_code == 2
    assert "run the harvest again to resume" in failed.output


def test_a_bad_date_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(
        main, ["harvest", "themis", "--endpoint", "http://127.0.0.1:9/q", "--since", "March"]
    )
    assert result.exit_code == 2
    assert "March" in result.output
