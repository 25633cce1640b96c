"""The harvester against Virtuoso, the engine Themis itself runs on, with the same fixture."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from pyoxigraph import NamedNode, RdfFormat, parse
from servers import VirtuosoServer, virtuoso_binaries
from themis_data import ntriples, version_1

from policygraph.config import load_settings
from policygraph.harvest import harvest_themis, themis_http
from policygraph.store.remote import RemoteStore

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("engines")]


@pytest.fixture(scope="module")
def themis_on_virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if virtuoso_binaries() is None:
        pytest.skip("Virtuoso 7 is not installed: apt-get install virtuoso-opensource")
    server = VirtuosoServer(tmp_path_factory.mktemp("themis-virtuoso")).start()
    try:
        store = RemoteStore.open("sparql+" + server.url + "/sparql")
        text = ntriples(version_1())
        triples = [quad.triple for quad in parse(text, format=RdfFormat.N_TRIPLES)]
        assert len(triples) == text.count("\n")
        store.put_graph(NamedNode("http://themis.vlaanderen.be/graph/public"), triples)
        store.close()
        yield server.url + "/sparql"
    finally:
        server.stop()


def test_the_harvest_reads_a_virtuoso_endpoint_as_it_reads_oxigraph(tmp_path, themis_on_virtuoso):
    settings = load_settings(
        env={},
        overrides={
            "store_dir": str(tmp_path / "store"),
            "harvest_min_interval": 0,
            "harvest_page_size": 5,
        },
    )
    http = themis_http(settings)
    try:
        harvest = harvest_themis(
            settings, themis_on_virtuoso, since=date(2020, 1, 1), until=date(2022, 1, 1), http=http
        )
    finally:
        http.close()
    counts = harvest.counts
    assert (counts.windows, counts.seen, counts.added, counts.skipped) == (24, 400, 400, 0)
    decisions = {t.subject for t in harvest.graph.triples}
    assert len(decisions) == 400
