"""``policygraph search`` and ``pg:textScore`` in ``policygraph query``, on a published store."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from ld_support import BASE, fixture_quads

from policygraph.cli import main
from policygraph.search import ensure_index
from policygraph.search.export import CSV_COLUMNS
from policygraph.store.local import LocalVersions

BREXIT = f"{BASE}/id/beslissing/6000000000000000000000A1"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store_dir = tmp_path_factory.mktemp("cli-search")
    LocalVersions(store_dir, derive=ensure_index).write_version("v1", fixture_quads())
    return store_dir


def test_json_is_the_route_s_contract(store: Path) -> None:
    run = invoke(
        "search", "brexit", "--type", "decision", "--format", "json", "--store", str(store)
    )
    document = json.loads(run.output)
    assert run.exit_code == 0
    assert document["total"] == 1
    assert [r["iri"] for r in document["results"]] == [BREXIT]
    assert set(document["results"][0]) >= {"iri", "type", "title", "date", "score", "snippet"}


def test_csv_has_the_route_s_columns(store: Path) -> None:
    run = invoke("search", "brexit", "--format", "csv", "--store", str(store))
    rows = list(csv.reader(io.StringIO(run.output)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert {row[0] for row in rows[1:]} >= {BREXIT}


def test_the_table_names_each_result_and_its_iri(store: Path) -> None:
    run = invoke("search", "Brexit", "--store", str(store))
    assert run.exit_code == 0
    assert "2 result(s) for 'Brexit'" in run.output
    assert BREXIT in run.output


def test_paging_options_page_through_the_results(store: Path) -> None:
    pages = [
        json.loads(
            invoke(
                "search",
                "fit",
                "--format",
                "json",
                "--per-page",
                "1",
                "--page",
                str(n),
                "--store",
                str(store),
            ).output
        )["results"]
        for n in (1, 2)
    ]
    assert len(pages[0]) == len(pages[1]) == 1
    assert pages[0][0]["iri"] != pages[1][0]["iri"]


def test_an_unknown_type_is_a_usage_error(store: Path) -> None:
    assert invoke("search", "x", "--type", "person", "--store", str(store)).exit_code == 2


def test_a_store_without_an_index_exits_2_saying_how_to_get_one(tmp_path: Path) -> None:
    LocalVersions(tmp_path).write_version("v1", fixture_quads())
    run = CliRunner().invoke(main, ["search", "fit", "--store", str(tmp_path)])
    assert run.exit_code == 2
    assert "policygraph build --force" in run.output


def test_query_evaluates_text_score_on_a_local_store(store: Path) -> None:
    query = (
        "PREFIX pg: <https://data.policygraph.be/ns/policygraph#> "
        'SELECT ?d WHERE { ?d a pg:GovernmentDecision . BIND(pg:textScore(?d, "brexit") AS ?s) '
        "FILTER(BOUND(?s)) }"
    )
    run = invoke("query", "--store", str(store), "--format", "csv", query)
    assert run.output.split() == ["d", BREXIT]
