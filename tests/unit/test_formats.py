"""The one table of result formats, and the lists derived from it: negotiation's offers and
aliases, the service description's format IRIs, the facts the query workers use."""

from __future__ import annotations

import pytest
from pyoxigraph import Store

from policygraph.formats import (
    BY_NAME,
    RESULT_FORMATS,
    W3C_FORMATS,
    ResultFormat,
    ResultKind,
    formats_for,
)
from policygraph.web.negotiation import RESULT_OFFERS
from policygraph.web.service_description import FORMAT_IRIS, service_description

SOLUTION_FORMATS = [f for f in RESULT_FORMATS if ResultKind.SOLUTIONS in f.kinds]
GRAPH_FORMATS = [f for f in RESULT_FORMATS if ResultKind.GRAPH in f.kinds]


def test_each_kind_is_offered_in_the_formats_of_the_table_its_default_first() -> None:
    assert [f.name for f in formats_for(ResultKind.SOLUTIONS)] == ["json", "xml", "csv", "tsv"]
    assert [f.name for f in formats_for(ResultKind.BOOLEAN)] == ["json", "xml"]
    assert formats_for(ResultKind.GRAPH)[0].name == "turtle"
    for kind, offers in RESULT_OFFERS.items():
        assert offers.names == tuple(f.name for f in formats_for(kind))
        for fmt in formats_for(kind):
            for alias in fmt.aliases:
                assert offers.by_name[alias] == fmt.name  # no alias taken twice in one kind


def test_a_format_serialises_exactly_the_kinds_it_is_offered_for() -> None:
    for fmt in RESULT_FORMATS:
        assert (fmt.results is not None) == bool(
            fmt.kinds & {ResultKind.SOLUTIONS, ResultKind.BOOLEAN}
        )
        assert (fmt.rdf is not None) == (ResultKind.GRAPH in fmt.kinds)
        serialiser = fmt.results or fmt.rdf
        assert serialiser is not None
        # pyoxigraph adds "; charset=utf-8" to CSV and TSV; the table keeps the bare type.
        assert serialiser.media_type.split(";")[0] == fmt.media_type
        if fmt.quads:
            assert fmt.rdf is not None
            assert fmt.rdf.supports_datasets


def test_the_service_description_names_each_format_by_its_w3c_iri() -> None:
    assert {iri.value for iri in FORMAT_IRIS.values()} == {f.iri for f in RESULT_FORMATS}
    for fmt in RESULT_FORMATS:
        assert fmt.iri.startswith(W3C_FORMATS)
        serialiser = fmt.results or fmt.rdf
        assert serialiser is not None
        if fmt.name != "jsonld":  # pyoxigraph names the JSON-LD 1.1 data IRI; ns/formats has one
            assert serialiser.iri == fmt.iri
    described = service_description(
        "https://example.org/sparql", union_default_graph=True, service_allowlist=()
    )
    result_formats = {t.object.value for t in described if t.predicate.value.endswith("Format")}
    assert result_formats == {f.iri for f in RESULT_FORMATS}


@pytest.mark.parametrize("fmt", SOLUTION_FORMATS, ids=lambda f: f.name)
def test_no_row_of_solutions_is_shorter_than_its_formats_bound(fmt: ResultFormat) -> None:
    """The workers bound a body's rows by its size; a row without a value is the shortest."""
    assert fmt.results is not None

    def size(rows: int) -> int:
        query = "SELECT ?x WHERE { VALUES ?x { " + "UNDEF " * rows + "} }"
        body = Store().query(query).serialize(format=fmt.results)  # type: ignore[union-attr]
        assert body is not None
        return len(body)

    assert (size(11) - size(1)) / 10 >= fmt.min_row_bytes > 0


def test_names_are_unique_and_every_graph_format_has_no_row_bound() -> None:
    assert len(BY_NAME) == len(RESULT_FORMATS)
    assert all(f.min_row_bytes == 0 for f in GRAPH_FORMATS)


def test_the_format_parameter_of_a_link_selects_its_format() -> None:
    for kind, offers in RESULT_OFFERS.items():
        for fmt in formats_for(kind):
            assert offers.by_name[fmt.parameter] == fmt.name
    # Links to linked-data documents use these (URLs in the wild: they stay).
    assert [BY_NAME[n].parameter for n in ("turtle", "jsonld", "ntriples", "rdfxml")] == [
        "ttl",
        "jsonld",
        "nt",
        "rdf",
    ]
