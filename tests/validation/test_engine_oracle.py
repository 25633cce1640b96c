"""The fast engine against pySHACL, the oracle: the W3C SHACL suites and our own shapes' cases.

On every W3C SHACL Core and SHACL-SPARQL test (manifest-driven, from ``tests/w3c/data/shacl``)
both engines run through ``validate`` and must give identical results: severity, focus node,
result path, constraint component, source shape and value, as multisets (a blank node compared
as ``[]``: the fast engine copies the shapes graph and its blank nodes get labels of their
own). Their messages are left out there: with no ``sh:message`` in the tests, each engine
words its own default. Each engine's results must also be the
manifest's (blank nodes compared as ``[]``, since a manifest's blank nodes are its own).
On every valid and invalid case of our shapes the results must be identical messages and all,
since every shape of ours states its messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node
from shapes.test_shapes import INVALID, VALID, Case, _rdflib_graph
from w3c.w3c_support import DATA

from policygraph.config import SHAPES_DIR
from policygraph.validation.report import ValidationReport, ValidationResult
from policygraph.validation.results import show
from policygraph.validation.shacl import load_shapes, validate

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
SUITE = DATA / "shacl"


@dataclass(frozen=True)
class ShaclTest:
    name: str
    file: Path
    data: Path
    shapes: Path
    expected: frozenset[tuple[str, ...]] | None
    """The manifest's results; None when the test expects a failure to validate."""


def _file_iri(path: Path) -> URIRef:
    return URIRef(path.resolve().as_uri())


def _path(iri: Node) -> Path:
    return Path(str(iri).removeprefix("file://"))


def shacl_tests(manifest: Path = SUITE / "manifest.ttl") -> list[ShaclTest]:
    graph = Graph().parse(manifest, format="turtle", publicID=_file_iri(manifest))
    tests: list[ShaclTest] = []
    for included in graph.objects(None, MF.include):
        tests += shacl_tests(_path(included))
    for head in graph.objects(_file_iri(manifest), MF.entries):
        for entry in Collection(graph, head):
            action = graph.value(entry, MF.action)
            result = graph.value(entry, MF.result)
            expected = None if result == SHT.Failure else _expected(graph, result)
            tests.append(
                ShaclTest(
                    f"{manifest.parent.name}/{manifest.stem}",
                    manifest,
                    _path(graph.value(action, SHT.dataGraph)),
                    _path(graph.value(action, SHT.shapesGraph)),
                    expected,
                )
            )
    return tests


KEY = (SH.resultSeverity, SH.focusNode, SH.resultPath, SH.sourceConstraintComponent)


def _expected(graph: Graph, report: Node | None) -> frozenset[tuple[str, ...]]:
    return frozenset(_result_key(graph, r) for r in graph.objects(report, SH.result))


def _result_key(graph: Graph, result: Node) -> tuple[str, ...]:
    severity = str(graph.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
    return (
        f"sh:{severity}",
        *(_anonymous(show(graph.value(result, p))) for p in KEY[1:]),
        _anonymous(show(graph.value(result, SH.sourceShape))),
        _anonymous(show(graph.value(result, SH.value))),
    )


def _top_level(report: ValidationReport) -> frozenset[tuple[str, ...]]:
    """The report's results without those nested in another's ``sh:detail`` (a manifest lists
    only the top-level ones; ``ValidationReport.results`` holds both)."""
    graph = report.graph
    return frozenset(
        _result_key(graph, r)
        for r in graph.subjects(RDF.type, SH.ValidationResult)
        if (None, SH.detail, r) not in graph
    )


def _anonymous(shown: str) -> str:
    return "[]" if shown.startswith("_:") else shown


def _key(result: ValidationResult) -> tuple[str, ...]:
    return tuple(
        _anonymous(part)
        for part in (
            result.severity,
            result.focus_node,
            result.path or "",
            result.constraint_component,
            result.source_shape,
            result.value or "",
        )
    )


def _keys(report: ValidationReport) -> list[tuple[str, ...]]:
    return sorted(_key(r) for r in report.results)


def _run(test: ShaclTest, validator: str) -> ValidationReport:
    data = Graph().parse(test.data, format="turtle", publicID=_file_iri(test.data))
    shapes = Graph().parse(test.shapes, format="turtle", publicID=_file_iri(test.shapes))
    return validate(data, shapes, processes=1, validator=validator)


TESTS = shacl_tests()
SHARED_DEVIATIONS = {
    "uniqueLang-002": 'the manifest expects no result for sh:uniqueLang "1"^^xsd:boolean; '
    "pySHACL (and so the fast engine) reports one",
}


def test_the_suites_are_all_there() -> None:
    assert {t.file.parent.parent.name for t in TESTS} == {"core", "sparql"}
    assert len(TESTS) >= 120


@pytest.mark.parametrize("test", TESTS, ids=lambda t: f"{t.name}/{t.file.stem}")
def test_both_engines_give_the_w3c_results(test: ShaclTest) -> None:
    outcomes = {}
    for validator in ("pyshacl", "fast"):
        try:
            outcomes[validator] = _run(test, validator)
        except Exception as exc:  # either engine may refuse a malformed shapes graph
            outcomes[validator] = type(exc).__name__  # type: ignore[assignment]
    if test.expected is None:
        failed = [v for v, o in outcomes.items() if not isinstance(o, ValidationReport)]
        assert failed, "a test that expects a failure to validate"
        return
    slow, fast = outcomes["pyshacl"], outcomes["fast"]
    if not isinstance(slow, ValidationReport) and not isinstance(fast, ValidationReport):
        pytest.skip(f"neither engine supports this test ({slow}, {fast})")
    assert isinstance(fast, ValidationReport), fast
    if isinstance(slow, ValidationReport):  # else the manifest alone is the oracle
        assert _keys(fast) == _keys(slow)
    if test.file.stem in SHARED_DEVIATIONS:
        pytest.skip(
            f"both engines agree, against the manifest: {SHARED_DEVIATIONS[test.file.stem]}"
        )
    assert _top_level(fast) == test.expected


SHAPES = load_shapes(SHAPES_DIR)


@pytest.mark.parametrize(
    "case", VALID + INVALID, ids=lambda c: f"{c.path.parent.name}/{c.path.stem}"
)
def test_both_engines_give_the_same_results_on_our_shapes(case: Case) -> None:
    data = _rdflib_graph(case.files)
    slow = validate(data, SHAPES, processes=1, validator="pyshacl")
    fast = validate(data, SHAPES, validator="fast")
    assert fast.results == slow.results
    assert fast.conforms == slow.conforms
    assert (fast.results != ()) == case.path.parent.name.startswith("invalid")


def test_a_result_names_its_message_in_both_languages_with_either_engine() -> None:
    case = next(c for c in INVALID if re.search("decision-without-title", c.path.name))
    report = validate(_rdflib_graph(case.files), SHAPES, validator="fast")
    assert report.results
    assert all({lang for lang, _ in r.messages} >= {"nl", "en"} for r in report.results)
