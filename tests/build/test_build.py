"""The whole corpus: two builds agree quad for quad, and every fact names its source."""

from __future__ import annotations

from pyoxigraph import NamedNode

from policygraph.build.pipeline import build
from policygraph.build.publishing import build_graph_name
from policygraph.namespaces import Minter
from policygraph.store.local import LocalStore


def content(store: LocalStore, minter: Minter) -> set[str]:
    build_graph = build_graph_name(minter)
    return {str(q) for q in store.quads() if q.graph_name != build_graph}


def test_two_builds_give_identical_quads(built, settings_for):
    settings, first = built
    again = settings_for()
    second = build(again)
    minter = Minter(settings.base_iri)
    assert second.version == first.version
    assert content(LocalStore.open(again.store_dir), minter) == content(
        LocalStore.open(settings.store_dir), minter
    )


def test_every_quad_sits_in_a_described_named_graph(corpus_store, built):
    settings, _ = built
    minter = Minter(settings.base_iri)
    described = {
        row["g"].value
        for row in corpus_store.query(
            "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> "
            "PREFIX prov: <http://www.w3.org/ns/prov#> "
            "SELECT ?g WHERE { GRAPH ?s { ?g a sd:NamedGraph ; prov:wasDerivedFrom ?doc } }",
            union_default_graph=False,
        )
    }
    graphs = {g.value for g in corpus_store.named_graphs() if isinstance(g, NamedNode)}
    undescribed = (
        graphs - described - {minter.graph("bronnen").value, build_graph_name(minter).value}
    )
    assert undescribed == set()
    assert not bool(corpus_store.query("ASK { ?s ?p ?o }", union_default_graph=False))


def test_the_build_records_when_it_read_each_source(corpus_store, built):
    settings, _ = built
    rows = list(
        corpus_store.query(
            "PREFIX prov: <http://www.w3.org/ns/prov#> SELECT ?doc ?at WHERE { GRAPH ?g {"
            " ?build prov:qualifiedUsage ?u . ?u prov:entity ?doc ; prov:atTime ?at } }",
            union_default_graph=False,
        )
    )
    documents = {row["doc"].value for row in rows}
    assert Minter(settings.base_iri).source("artikel-fit-lifesciences-campagne").value in documents
    assert len(documents) >= 195  # 193 reports, decisions, agreement, curated files, ontology
