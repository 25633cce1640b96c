"""The search index is built with each published version and switches with it: an unchanged
build keeps it, an update (a harvest) gets a fresh one, a version published without one gets
one at the next build, and a restored backup gets one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Triple

from policygraph.build.publishing import backup, publish, restore
from policygraph.config import Settings, load_settings
from policygraph.namespaces import DCT, PG, RDF
from policygraph.search import SearchRequest, ensure_index, index_dir, open_index
from policygraph.sources import SourceDocument, SourceGraph
from policygraph.store.local import current_version_dir

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:NothingShape a sh:NodeShape ; sh:targetClass ex:Nothing .
"""


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "s.ttl").write_text(SHAPES)
    return load_settings(
        env={},
        overrides={
            "store_dir": str(tmp_path / "store"),
            "shapes_dir": str(shapes),
            "base_iri": "https://example.org",
        },
    )


def decisions(tmp_path: Path, slug: str, titles: dict[str, str]) -> SourceGraph:
    path = tmp_path / f"{slug}.txt"
    path.write_text(repr(sorted(titles.items())))
    triples = []
    for ref, title in titles.items():
        decision = NamedNode(f"https://example.org/id/beslissing/{ref}")
        triples += [
            Triple(decision, RDF.type, PG.GovernmentDecision),
            Triple(decision, DCT.title, Literal(title, language="nl")),
        ]
    document = SourceDocument(
        slug,
        slug,
        path,
        path.name,
        "https://example.org/origin",
        "https://opensource.org/licenses/MIT",
        "text/plain",
    )
    return SourceGraph(
        NamedNode(f"https://example.org/graph/{slug}"), slug, document, tuple(triples)
    )


def found(settings: Settings, text: str) -> list[str]:
    index = open_index(index_dir(current_version_dir(settings.store_dir)))
    return [hit.iri for hit in index.search(SearchRequest(text=text)).hits]


def test_a_published_version_holds_its_index(settings: Settings, tmp_path: Path) -> None:
    publish(settings, [decisions(tmp_path, "a", {"1": "Waterstofvisie"})], {}, replace_all=True)
    assert found(settings, "waterstofvisie") == ["https://example.org/id/beslissing/1"]


def test_an_unchanged_build_keeps_the_index(settings: Settings, tmp_path: Path) -> None:
    graphs = [decisions(tmp_path, "a", {"1": "Waterstofvisie"})]
    first = publish(settings, graphs, {}, replace_all=True)
    written = (index_dir(first.version_dir) / "meta.json").stat().st_mtime_ns
    again = publish(settings, graphs, {}, replace_all=True)
    assert (again.written, again.version_dir) == (False, first.version_dir)
    assert (index_dir(again.version_dir) / "meta.json").stat().st_mtime_ns == written


def test_an_update_gets_a_fresh_index(settings: Settings, tmp_path: Path) -> None:
    publish(settings, [decisions(tmp_path, "a", {"1": "Waterstofvisie"})], {}, replace_all=True)
    publish(settings, [decisions(tmp_path, "b", {"2": "Kinderopvang"})], {}, replace_all=False)
    assert (found(settings, "waterstofvisie"), found(settings, "kinderopvang")) == (
        ["https://example.org/id/beslissing/1"],
        ["https://example.org/id/beslissing/2"],
    )


def test_a_version_published_without_an_index_gets_one_at_the_next_build(
    settings: Settings, tmp_path: Path
) -> None:
    graphs = [decisions(tmp_path, "a", {"1": "Waterstofvisie"})]
    first = publish(settings, graphs, {}, replace_all=True)
    shutil.rmtree(index_dir(first.version_dir).resolve())
    index_dir(first.version_dir).unlink()
    again = publish(settings, graphs, {}, replace_all=True)
    assert "search index" in again.seconds
    assert found(settings, "waterstofvisie") == ["https://example.org/id/beslissing/1"]


def test_an_index_built_by_other_search_code_is_built_anew_and_switched_whole(
    settings: Settings, tmp_path: Path
) -> None:
    first = publish(
        settings, [decisions(tmp_path, "a", {"1": "Waterstofvisie"})], {}, replace_all=True
    )
    version_dir = first.version_dir
    built_by_this_code = index_dir(version_dir).resolve()
    assert ensure_index(version_dir) is False  # the same code: kept
    assert ensure_index(version_dir, stamp="other-code") is True
    assert index_dir(version_dir).resolve() == version_dir / "search-other-code"
    assert not built_by_this_code.exists()  # the index it replaced is gone
    assert found(settings, "waterstofvisie") == ["https://example.org/id/beslissing/1"]
    # The next build, by this code, keeps the version and switches its index back.
    again = publish(
        settings, [decisions(tmp_path, "a", {"1": "Waterstofvisie"})], {}, replace_all=True
    )
    assert again.written is False
    assert index_dir(version_dir).resolve() == built_by_this_code
    assert "search index" in again.seconds


def test_an_index_of_the_first_layout_a_plain_folder_is_replaced_by_a_stamped_one(
    settings: Settings, tmp_path: Path
) -> None:
    first = publish(
        settings, [decisions(tmp_path, "a", {"1": "Waterstofvisie"})], {}, replace_all=True
    )
    link = index_dir(first.version_dir)
    stamped = link.resolve()
    link.unlink()
    stamped.rename(link)  # the layout before stamps: the index folder itself
    assert ensure_index(first.version_dir) is True
    assert link.is_symlink()
    assert sorted(p.name for p in first.version_dir.glob("search*")) == ["search", stamped.name]
    assert found(settings, "waterstofvisie") == ["https://example.org/id/beslissing/1"]


def test_a_restored_backup_gets_an_index(settings: Settings, tmp_path: Path) -> None:
    publish(settings, [decisions(tmp_path, "a", {"1": "Waterstofvisie"})], {}, replace_all=True)
    backup(settings, tmp_path / "backup")
    publish(settings, [decisions(tmp_path, "a", {"1": "Kinderopvang"})], {}, replace_all=True)
    restore(settings, tmp_path / "backup")
    assert found(settings, "waterstofvisie") == ["https://example.org/id/beslissing/1"]
