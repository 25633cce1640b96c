"""The declared sources run in the order their needs imply; wrong declarations stop the build."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Triple

from policygraph.errors import ConfigurationError, SourceError
from policygraph.namespaces import RDF, Minter
from policygraph.sources import SourceDocument, SourceGraph
from policygraph.sources.registry import SOURCES, Given, Read, Source, run, run_order

MINTER = Minter("https://data.policygraph.be")
DOCUMENT = SourceDocument(
    "test",
    "test",
    Path("test.ttl"),
    "test.ttl",
    "https://example.org/",
    "https://example.org/",
    "text/turtle",
)


def names(sources: tuple[Source, ...]) -> list[str]:
    return [source.name for source in sources]


def nothing(given: Given) -> Read:
    return Read(())


def test_the_declared_sources_run_after_what_they_need() -> None:
    order = names(run_order(SOURCES))
    assert sorted(order) == sorted(s.name for s in SOURCES)
    for source in SOURCES:
        for need in source.needs:
            assert order.index(need) < order.index(source.name), (need, source.name)
    assert order.index("decisions") < order.index("reports")
    assert order.index("curated") < order.index("mentions")


def test_ties_keep_the_order_of_declaration() -> None:
    sources = (
        Source("c", nothing, needs=("a",)),
        Source("b", nothing),
        Source("a", nothing),
    )
    assert names(run_order(sources)) == ["b", "a", "c"]


def test_a_missing_need_is_named() -> None:
    with pytest.raises(ConfigurationError, match="'reports' needs 'decisions'"):
        run_order((Source("reports", nothing, needs=("decisions",)),))


def test_a_cycle_is_named() -> None:
    sources = (
        Source("a", nothing, needs=("c",)),
        Source("b", nothing, needs=("a",)),
        Source("c", nothing, needs=("b",)),
    )
    with pytest.raises(ConfigurationError, match=r"circle: .*a.*→.*a"):
        run_order(sources)


def test_a_source_declared_twice_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="declared twice"):
        run_order((Source("a", nothing), Source("a", nothing)))


def test_a_source_is_given_what_it_needs_and_only_that(tmp_path: Path) -> None:
    node = NamedNode("https://example.org/x")
    graph = SourceGraph(MINTER.graph("a"), "a", DOCUMENT, (Triple(node, RDF.type, node),))

    def first(given: Given) -> Read:
        return Read((graph,), 42)

    def second(given: Given) -> Read:
        assert given.graphs("first") == (graph,)
        assert given.value("first", int) == 42
        with pytest.raises(TypeError):
            given.value("first", str)
        with pytest.raises(ConfigurationError, match="without declaring"):
            given.graphs("third")
        return Read((), "second")

    done = run(
        (
            Source("second", second, needs=("first",)),
            Source("first", first),
            Source("third", nothing),
        ),
        tmp_path,
        tmp_path,
        MINTER,
    )
    assert done["second"].value == "second"


def test_a_missing_input_is_named_before_anything_is_read(tmp_path: Path) -> None:
    read: list[str] = []

    def reader(given: Given) -> Read:
        read.append("read")
        return Read(())

    sources = (Source("early", reader), Source("decisions", reader, inputs=("corpus/d.jsonl",)))
    with pytest.raises(SourceError, match=r"'decisions' reads .*corpus/d\.jsonl"):
        run(sources, tmp_path, tmp_path, MINTER)
    assert read == []


def test_an_input_past_max_input_bytes_is_named_before_anything_is_read(tmp_path: Path) -> None:
    read: list[str] = []

    def reader(given: Given) -> Read:
        read.append("read")
        return Read(())

    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "d.jsonl").write_bytes(b"{}\n" * 1000)
    sources = (Source("early", reader), Source("decisions", reader, inputs=("corpus/*.jsonl",)))
    with pytest.raises(SourceError, match=r"d\.jsonl: larger than 100 bytes \(max_input_bytes\)"):
        run(sources, tmp_path, tmp_path, MINTER, max_input_bytes=100)
    assert read == []
    assert run(sources, tmp_path, tmp_path, MINTER, max_input_bytes=10_000).keys() == {
        "early",
        "decisions",
    }
