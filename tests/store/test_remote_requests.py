"""What a remote store sends for a query, per engine, without a server: text and dataset."""

from __future__ import annotations

import pytest
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, Variable

from policygraph.errors import QueryError, QueryRefusedError, QuerySyntaxError
from policygraph.store.remote import ENGINES
from policygraph.store.remote.binding import query_text
from policygraph.store.remote.catalogue import Catalogue, content_version
from policygraph.store.remote.dataset import EMPTY_GRAPH, dataset_for

OURS = ("https://example.org/graph/a", "https://example.org/graph/b")
SYSTEM = "http://www.openlinksw.com/schemas/virtrdf#"
SELECT = "SELECT * WHERE { ?s ?p ?o }"


class Catalogues:
    """The catalogue an engine holding our two graphs and a system graph reports, with a count
    of how often it was asked for: each time is a round trip to the engine."""

    def __init__(self) -> None:
        self.reads = 0

    def __call__(self) -> Catalogue:
        self.reads += 1
        return Catalogue("v1", OURS, (SYSTEM,))


def dataset(engine: str, text: str = SELECT, **kwargs: object):
    catalogues = Catalogues()
    options = {"default_graph": None, "named_graphs": None, "union": True, **kwargs}
    pragmas, params = dataset_for(ENGINES[engine], text, catalogues, **options)  # type: ignore[arg-type]
    return pragmas, params, catalogues.reads


def test_oxigraph_asks_for_the_union_with_its_parameter_and_reads_no_catalogue():
    assert dataset("oxigraph") == ("", [("union-default-graph", "true")], 0)


def test_oxigraph_names_the_union_beside_named_graphs():
    graph = NamedNode(OURS[0])
    _, params, reads = dataset("oxigraph", named_graphs=[graph])
    assert params == [
        ("default-graph-uri", OURS[0]),
        ("default-graph-uri", OURS[1]),
        ("named-graph-uri", OURS[0]),
    ]
    assert reads == 1


def test_virtuoso_leaves_its_system_graphs_out_with_pragmas():
    pragmas, params, _ = dataset("virtuoso")
    assert pragmas == f"define input:default-graph-exclude <{SYSTEM}>\n"
    assert params == []


def test_virtuoso_names_our_graphs_for_a_graph_pattern():
    # Any exclusion pragma breaks GRAPH <iri> on Virtuoso 7.2: our graphs are named instead.
    pragmas, params, _ = dataset("virtuoso", "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert pragmas == "".join(
        f"define input:{kind}-graph-uri <{graph}>\n"
        for kind in ("default", "named")
        for graph in OURS
    )
    assert params == []


def test_without_the_union_virtuoso_gets_an_empty_default_graph():
    assert dataset("virtuoso", union=False)[1] == [("default-graph-uri", EMPTY_GRAPH)]
    assert dataset("oxigraph", union=False)[1] == []


def test_a_generic_engine_is_told_every_graph_of_the_dataset():
    _, params, _ = dataset("generic")
    assert params == [("default-graph-uri", g) for g in OURS] + [
        ("named-graph-uri", g) for g in OURS
    ]


def test_a_query_that_names_its_dataset_is_sent_as_it_is():
    text = "SELECT * FROM <https://example.org/graph/a> WHERE { ?s ?p ?o }"
    for engine in ENGINES:
        assert dataset(engine, text) == ("", [], 0)


def test_the_default_graph_is_either_the_engines_own_or_named_graphs():
    assert dataset("oxigraph", default_graph=[DefaultGraph()])[1] == []
    assert dataset("virtuoso", default_graph=[DefaultGraph()])[1] == [
        ("default-graph-uri", EMPTY_GRAPH)
    ]
    assert dataset("oxigraph", default_graph=[])[1] == [("default-graph-uri", EMPTY_GRAPH)]
    with pytest.raises(QueryError):
        dataset("oxigraph", default_graph=[DefaultGraph(), NamedNode(OURS[0])])


def test_bindings_and_base_travel_in_the_text():
    form, text = query_text(
        "SELECT ?t WHERE { ?s ?p ?t }",
        {Variable("s"): NamedNode("https://example.org/id/x")},
        base_iri="https://example.org/",
    )
    assert form == "SELECT"
    assert text.startswith("BASE <https://example.org/>\n")
    assert "VALUES" in text
    assert "<https://example.org/id/x>" in text


def test_text_that_is_no_query_is_refused_before_it_is_sent():
    with pytest.raises(QueryRefusedError):
        query_text("INSERT DATA { <a:b> <a:c> <a:d> }")
    with pytest.raises(QuerySyntaxError):
        query_text("hello")


def test_the_content_version_counts_only_our_graphs():
    s, p = NamedNode("https://example.org/id/x"), NamedNode("https://example.org/p")
    ours = [Quad(s, p, Literal("1"), NamedNode(OURS[0]))]
    theirs = [Quad(s, p, Literal("1"), NamedNode(SYSTEM))]
    prefix = "https://example.org/graph/"
    assert content_version(ours + theirs, prefix) == content_version(ours, prefix)
    assert content_version(ours + theirs) != content_version(ours)
