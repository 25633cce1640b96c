"""The command line: exit codes, outputs, and that a failed build leaves the store serving."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import DefaultGraph, RdfFormat, Store, parse

from policygraph.cli import main
from policygraph.namespaces import PREFIXES
from policygraph.store.local import LocalStore

PROJECT = Path(__file__).resolve().parents[2]

BROKEN_BUDGET = """
@prefix pg: <https://data.policygraph.be/ns/policygraph#> .
@prefix schema: <http://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://data.policygraph.be/id/bedrag/x> a schema:MonetaryAmount ;
    schema:value "610000"^^xsd:decimal .
"""


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_build_publishes_and_validate_passes(built):
    settings, result = built
    assert result.report.conforms
    run = invoke("validate", "--store", str(settings.store_dir), "--format", "json")
    assert run.exit_code == 0, run.output
    assert json.loads(run.output)["conforms"] is True


def test_validate_the_sources_in_data(built):
    run = invoke("validate", "--format", "json")
    assert run.exit_code == 0, run.output[-2000:]
    report = json.loads(run.output)
    assert report["counts"]["Violation"] == 0


@pytest.fixture
def broken_data(tmp_path: Path) -> Path:
    """A copy of data/ whose campaign budget has lost its currency."""
    copy = tmp_path / "data"
    shutil.copytree(PROJECT / "data", copy)
    article = copy / "curated" / "article-fit-lifesciences-campaign.ttl"
    text = article.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if "schema:currency" not in line]
    assert len(lines) < len(text.splitlines()), "the fixture must remove the currency"
    article.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return copy


def test_validate_fails_on_a_broken_copy_with_a_readable_report(broken_data):
    run = invoke("validate", "--data", str(broken_data))
    assert run.exit_code == 1
    assert "violation: " in run.output
    assert "schema:currency" in run.output
    assert "does not conform" in run.output


def test_a_build_with_violations_keeps_the_published_store(built, broken_data):
    settings, result = built
    run = invoke("build", "--data", str(broken_data), "--store", str(settings.store_dir))
    assert run.exit_code == 1
    assert "does not conform" in run.output
    store = LocalStore.open(settings.store_dir)
    assert store.version == result.version
    assert len(store) == result.quads
    # no half-written version directory is left behind
    versions = list((settings.store_dir / "versions").iterdir())
    assert len(versions) == 1


SHAPE_TESTS = PROJECT / "tests" / "shapes"
VALID_CONTEXT = [
    str(SHAPE_TESTS / "valid" / name)
    for name in ("agreement.ttl", "organisations.ttl", "campaign.ttl")
]


def test_validate_files_brings_the_ontology_and_code_lists():
    """sh:class follows the ontology's rdfs:subClassOf, though no file holds the ontology."""
    run = invoke("validate", *VALID_CONTEXT)
    assert run.exit_code == 0, run.output
    assert run.output.startswith("0 violation(s), 0 warning(s), 0 info(s) in ")


@pytest.mark.parametrize(
    ("invalid", "expected"),
    [
        ("section-parent-wrong-kind.ttl", "[ClassConstraintComponent]"),
        ("budget-malformed.ttl", "[MinCountConstraintComponent]"),
    ],
)
def test_validate_files_still_finds_what_is_wrong(invalid, expected):
    run = invoke("validate", *VALID_CONTEXT, str(SHAPE_TESTS / "invalid" / invalid))
    assert run.exit_code == 1, run.output
    assert expected in run.output
    assert "does not conform" in run.output


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf"])
def test_validate_files_in_every_syntax(tmp_path, suffix):
    store = Store()
    store.load(BROKEN_BUDGET.encode(), format=RdfFormat.TURTLE)
    path = tmp_path / f"budget{suffix}"
    fmt = RdfFormat.from_extension(suffix.lstrip("."))
    assert fmt is not None
    graph = None if fmt.supports_datasets else DefaultGraph()
    store.dump(path, format=fmt, from_graph=graph)
    run = invoke("validate", str(path))
    assert run.exit_code == 1, run.output
    assert "MonetaryAmount" in run.output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.ttl", None, "cannot read"),
        ("data.xyz", "x", "cannot tell the RDF syntax"),
        ("bad.ttl", "<a> <b> .", "bad.ttl"),
    ],
)
def test_unreadable_input_exits_2(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    run = invoke("validate", str(path))
    assert run.exit_code == 2
    assert message in run.output


def test_query_formats(built):
    settings, _ = built
    store = str(settings.store_dir)
    count = "PREFIX pg: <%s> SELECT (COUNT(*) AS ?n) WHERE { ?d a pg:GovernmentDecision }"
    count = count.replace("%s", PREFIXES["pg"])
    as_json = json.loads(invoke("query", "--store", store, count).output)
    assert as_json["results"]["bindings"][0]["n"]["value"] == "3165"
    rows = list(
        csv.reader(io.StringIO(invoke("query", "--store", store, "--format", "csv", count).output))
    )
    assert rows == [["n"], ["3165"]]
    construct = invoke(
        "query",
        "--store",
        store,
        "--format",
        "ntriples",
        "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 3",
    )
    assert len(construct.output.strip().splitlines()) == 3


def test_query_from_a_file(built, tmp_path):
    settings, _ = built
    file = tmp_path / "q.rq"
    file.write_text("ASK { ?s ?p ?o }")
    run = invoke("query", "--store", str(settings.store_dir), str(file))
    assert json.loads(run.output)["boolean"] is True


def test_query_syntax_error_exits_2(built):
    settings, _ = built
    run = invoke("query", "--store", str(settings.store_dir), "SELEKT * WHERE { }")
    assert run.exit_code == 2
    assert "error" in run.output


@pytest.mark.parametrize(
    "command", [("build", "--store", "store"), ("validate",)], ids=lambda c: c[0]
)
def test_a_missing_data_folder_says_what_to_pass(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    run = invoke(*command, "--data", "none")
    assert run.exit_code == 2
    assert "no data folder none; " in run.output
    assert "--data DIR" in run.output
    assert not (tmp_path / "store").exists()


def test_query_without_a_store_says_how_to_build(tmp_path):
    run = invoke("query", "--store", str(tmp_path / "none"), "ASK {}")
    assert run.exit_code == 2
    assert "policygraph build" in run.output


@pytest.mark.parametrize(
    ("fmt", "rdf_format"), [("nquads", RdfFormat.N_QUADS), ("trig", RdfFormat.TRIG)]
)
def test_export_reimports_to_the_same_quads(built, tmp_path, fmt, rdf_format):
    settings, _ = built
    out = tmp_path / f"dump.{fmt}"
    run = invoke("export", "--store", str(settings.store_dir), "--format", fmt, str(out))
    assert run.exit_code == 0
    reloaded = Store()
    reloaded.extend(parse(path=out, format=rdf_format))
    original = LocalStore.open(settings.store_dir)
    # Blank node labels are content-derived (build.stable_blank_nodes) and parse() keeps them,
    # so isomorphism is plain set equality here.
    assert len(reloaded) == len(original)
    assert {str(q) for q in reloaded} == {str(q) for q in original.quads()}


def test_stats(built):
    settings, result = built
    run = invoke("stats", "--store", str(settings.store_dir), "--format", "json")
    figures = json.loads(run.output)
    assert figures["quads"] == result.quads
    assert (
        figures["classes"]["https://data.policygraph.be/ns/policygraph#GovernmentDecision"] == 3165
    )
    assert sum(figures["graphs"].values()) == result.quads
    concept = "https://data.policygraph.be/ns/concept/renumbering-"
    assert figures["renumbering"] == {
        f"{concept}agrees": 5529,
        f"{concept}cannot-tell": 97,
        f"{concept}disagrees": 2,
    }
    text = invoke("stats", "--store", str(settings.store_dir)).output
    assert "https://data.policygraph.be/graph/beslissingen" in text
    assert f"{concept}disagrees" in text
