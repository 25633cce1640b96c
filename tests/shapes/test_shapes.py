"""Data-driven tests of the shapes (src/policygraph/shapes/policygraph.shapes.ttl).

Each file in ``valid/`` must validate without a single result: no violation, warning or info.
Each file in ``invalid/`` declares, in comment lines, the results it must produce::

    # with: ../valid/report.ttl
    # expect: sh:Violation pgsh:Reference-referenceNumber sh:MinCountConstraintComponent ref:7

``with:`` adds another test graph (a path relative to the file, followed transitively), so that a
defect can be written as a few triples added to a valid context. ``expect:`` gives the severity,
the source shape, the constraint component and the focus node of one result, as prefixed names
(the file's own ``@prefix`` lines, plus ``sh:`` and ``pgsh:``) or ``<IRI>``s; ``[]`` stands for a
blank-node focus. The results of the validation must be exactly the expected ones: none missing,
none extra.

Validation runs as the build runs it (``VALIDATION_OPTIONS``): the data graph holds the test graphs
plus the ontology and the code lists, because the build validates the union of all named graphs,
which includes ``{base}/graph/ontologie``. Without inference: the shapes are written against
asserted triples, and ``sh:class``/``sh:targetClass`` already follow the ontology's
``rdfs:subClassOf`` triples in the data graph. RDFS or OWL-RL inference would add every superclass
and superproperty of the alignments (prov:, schema:, dct: …) for nothing and would hide defects.
``advanced=True``: the cross-node rules on large classes select their focus nodes with SHACL-AF
SPARQL targets (one query over the graph instead of one parsed query per node, see the shapes'
header); without it they would silently not run. ``inplace=True``: pySHACL copies the data graph
in advanced mode otherwise, and the shapes add nothing to it (no rules).

Every case runs on both data-graph back ends pySHACL accepts: an rdflib graph and a pyoxigraph
store (the project's store), so the SPARQL of the shapes must mean the same in both engines; and
once more as ``policygraph validate FILE…`` runs it, which must bring in the ontology and the code
lists by itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from pyshacl import validate
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from policygraph.config import ONTOLOGY_DIR, SHAPES_DIR
from policygraph.rdfio import read_quads
from policygraph.validation.shacl import load_ontology
from policygraph.validation.shacl import validate as validate_files

HERE = Path(__file__).parent
ONTOLOGY_FILES = (ONTOLOGY_DIR / "policygraph.ttl", ONTOLOGY_DIR / "concepts.ttl")
SHAPES_FILE = SHAPES_DIR / "policygraph.shapes.ttl"

SH = Namespace("http://www.w3.org/ns/shacl#")
DEFAULT_PREFIXES = {
    "sh": str(SH),
    "pgsh": "https://data.policygraph.be/ns/shapes#",
}

# The arguments of pyshacl.validate the build uses, apart from the graphs.
VALIDATION_OPTIONS: dict[str, Any] = {
    "ont_graph": None,
    "inference": "none",
    "advanced": True,
    "inplace": True,
    "allow_infos": True,
    "allow_warnings": True,
}

_PREFIX_LINE = re.compile(r"^@prefix\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>\s*\.", re.MULTILINE)
_HEADER_LINE = re.compile(r"^#\s*(with|expect):\s*(.*?)\s*$", re.MULTILINE)

ResultKey = tuple[Node | None, Node | None, Node | None, Node | None]

# What ``[]`` in an expectation means, and what a blank-node focus is reported as.
BLANK_NODE = URIRef("urn:policygraph:test:blank-node")


@dataclass(frozen=True)
class Case:
    """One test graph: its files (itself last) and the results it must produce."""

    path: Path
    files: tuple[Path, ...]
    expected: frozenset[ResultKey]


def _resolve(token: str, prefixes: dict[str, str], path: Path) -> URIRef:
    if token == "[]":
        return BLANK_NODE
    if token.startswith("<") and token.endswith(">"):
        return URIRef(token[1:-1])
    prefix, sep, local = token.partition(":")
    if not sep or prefix not in prefixes:
        raise ValueError(f"{path.name}: cannot resolve {token!r} (unknown prefix)")
    return URIRef(prefixes[prefix] + local)


def _files_with(path: Path, seen: tuple[Path, ...] = ()) -> tuple[Path, ...]:
    """The file and, before it, every file its ``with:`` lines name (transitively, once each)."""
    path = path.resolve()
    if path in seen:
        return ()
    files: tuple[Path, ...] = ()
    for kind, value in _HEADER_LINE.findall(path.read_text(encoding="utf-8")):
        if kind == "with":
            included = _files_with(path.parent / value, (*seen, path))
            files += tuple(f for f in included if f not in files)
    return (*files, path)


def load_case(path: Path) -> Case:
    text = path.read_text(encoding="utf-8")
    prefixes = {**DEFAULT_PREFIXES, **{p or "": ns for p, ns in _PREFIX_LINE.findall(text)}}
    expected = set()
    for kind, value in _HEADER_LINE.findall(text):
        if kind != "expect":
            continue
        tokens = value.split()
        if len(tokens) != 4:
            raise ValueError(f"{path.name}: an expect line has 4 fields, not {value!r}")
        severity, shape, component, focus = (_resolve(t, prefixes, path) for t in tokens)
        expected.add((severity, shape, component, focus))
    return Case(path, _files_with(path), frozenset(expected))


def _cases(folder: str) -> list[Case]:
    return [load_case(p) for p in sorted((HERE / folder).glob("*.ttl"))]


VALID = _cases("valid")
INVALID = _cases("invalid")


@pytest.fixture(scope="session")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE)


def _rdflib_graph(files: tuple[Path, ...]) -> Graph:
    graph = Graph()
    for path in (*ONTOLOGY_FILES, *files):
        graph.parse(path)
    return graph


def _oxigraph_store(files: tuple[Path, ...]) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    for path in (*ONTOLOGY_FILES, *files):
        store.load(path=path, format=pyoxigraph.RdfFormat.TURTLE)
    return store


BACKENDS: dict[str, Callable[[tuple[Path, ...]], Graph | pyoxigraph.Store]] = {
    "rdflib": _rdflib_graph,
    "oxigraph": _oxigraph_store,
}


@dataclass(frozen=True)
class Outcome:
    conforms: bool
    report: Graph

    def results(self) -> Iterator[Node]:
        return self.report.subjects(RDF.type, SH.ValidationResult)

    def keys(self) -> set[ResultKey]:
        return {
            (
                self.report.value(r, SH.resultSeverity),
                self.report.value(r, SH.sourceShape),
                self.report.value(r, SH.sourceConstraintComponent),
                _named(self.report.value(r, SH.focusNode)),
            )
            for r in self.results()
        }

    def describe(self) -> str:
        lines = []
        for r in self.results():
            messages = " | ".join(str(m) for m in self.report.objects(r, SH.resultMessage))
            lines.append(
                f"{self.report.value(r, SH.resultSeverity)} {self.report.value(r, SH.sourceShape)} "
                f"{self.report.value(r, SH.sourceConstraintComponent)} "
                f"{self.report.value(r, SH.focusNode)}: {messages}"
            )
        return "\n".join(sorted(lines))


def _named(node: Node | None) -> Node | None:
    return BLANK_NODE if isinstance(node, BNode) else node


def run(case: Case, backend: str, shapes: Graph) -> Outcome:
    data = BACKENDS[backend](case.files)
    # pySHACL accepts a pyoxigraph Store, though its type hints do not say so.
    conforms, report, _ = validate(data, shacl_graph=shapes, **VALIDATION_OPTIONS)  # type: ignore[arg-type]
    assert isinstance(report, Graph)
    return Outcome(bool(conforms), report)


@pytest.mark.parametrize("backend", sorted(BACKENDS))
@pytest.mark.parametrize("case", VALID, ids=lambda c: c.path.stem)
def test_valid_graph_has_no_result(case: Case, backend: str, shapes: Graph) -> None:
    assert not case.expected, f"{case.path.name}: a valid graph expects no result"
    outcome = run(case, backend, shapes)
    assert outcome.conforms
    assert not outcome.keys(), outcome.describe()


@pytest.mark.parametrize("backend", sorted(BACKENDS))
@pytest.mark.parametrize("case", INVALID, ids=lambda c: c.path.stem)
def test_invalid_graph_gives_exactly_the_expected_results(
    case: Case, backend: str, shapes: Graph
) -> None:
    assert case.expected, f"{case.path.name}: declare its results with '# expect:' lines"
    outcome = run(case, backend, shapes)
    assert outcome.keys() == set(case.expected), outcome.describe()
    has_violation = any(severity == SH.Violation for severity, *_ in case.expected)
    assert outcome.conforms is not has_violation


@pytest.mark.parametrize("case", INVALID, ids=lambda c: c.path.stem)
def test_every_result_explains_itself_in_dutch_and_english(case: Case, shapes: Graph) -> None:
    outcome = run(case, "rdflib", shapes)
    for result in outcome.results():
        messages = list(outcome.report.objects(result, SH.resultMessage))
        assert len(messages) >= 2, outcome.describe()
        component = outcome.report.value(result, SH.sourceConstraintComponent)
        if component == SH.SPARQLConstraintComponent:
            # pySHACL 0.40 drops the language tag of a message it fills in from a template;
            # check instead that every placeholder was filled.
            assert not any(re.search(r"\{[?$]\w+\}", str(m)) for m in messages), messages
        else:
            languages = {m.language for m in messages if isinstance(m, Literal)}
            assert languages == {"nl", "en"}, messages


def test_every_invalid_file_is_a_distinct_case() -> None:
    expectations = [case.expected for case in INVALID]
    assert len(set(expectations)) == len(expectations)


@pytest.fixture(scope="session")
def ontology() -> Graph:
    return load_ontology(ONTOLOGY_DIR)


@pytest.mark.parametrize("case", [*VALID, *INVALID], ids=lambda c: c.path.stem)
def test_validating_the_files_alone_gives_the_same_results(
    case: Case, shapes: Graph, ontology: Graph
) -> None:
    """What ``policygraph validate FILE…`` does: the files, without the ontology beside them."""
    quads = [q for path in case.files for q in read_quads(path)]
    report = validate_files(quads, shapes, ontology=ontology)
    outcome = Outcome(report.conforms, report.graph)
    assert outcome.keys() == set(case.expected), outcome.describe()
    assert report.conforms is not any(severity == SH.Violation for severity, *_ in case.expected)
