"""Reading the W3C SPARQL 1.1 test manifests copied under ``data/`` (see LICENSE.md there).

Manifests are parsed with their published base IRI, so every IRI in them is the W3C's own
(``http://www.w3.org/2009/sparql/docs/tests/data-sparql11/<suite>/<file>``); ``local`` maps such
an IRI back to the copy here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
W3C_BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
DAWGT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")


def manifest(suite: str) -> tuple[Graph, URIRef]:
    """The manifest graph of a suite folder and the manifest's own IRI."""
    iri = URIRef(f"{W3C_BASE}{suite}/manifest.ttl")
    graph = Graph()
    graph.parse(DATA / suite / "manifest.ttl", format="turtle", publicID=str(iri))
    return graph, iri


def entries(graph: Graph, iri: URIRef) -> list[URIRef]:
    head = graph.value(iri, MF.entries)
    assert head is not None
    return [URIRef(str(node)) for node in Collection(graph, head)]


def local(iri: Node | str) -> Path:
    text = str(iri)
    assert text.startswith(W3C_BASE), text
    return DATA / text[len(W3C_BASE) :]


def items(graph: Graph, head: Node | None) -> list[Node]:
    return [] if head is None else list(Collection(graph, head))


def name(graph: Graph, test: URIRef) -> str:
    return str(test).rsplit("#", 1)[-1] or str(graph.value(test, MF.name))


@dataclass(frozen=True)
class HttpRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None


@dataclass(frozen=True)
class HttpExpectation:
    statuses: tuple[str, ...]
    """Status classes, such as ``2xx``."""
    result_format: str | None
    boolean: bool | None


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    title: str
    graphs: tuple[tuple[str, Path], ...]
    """Named graphs to load before the requests: graph name (the rdfs:label) and file."""
    exchanges: tuple[tuple[HttpRequest, HttpExpectation], ...] = field(default=())

    @property
    def is_update(self) -> bool:
        return "update" in self.name


def protocol_tests() -> list[ProtocolTest]:
    graph, iri = manifest("protocol")
    tests = []
    for test in entries(graph, iri):
        action = graph.value(test, MF.action)
        exchanges = []
        for request in items(graph, graph.value(action, HT.requests)):
            headers = {
                str(graph.value(h, HT.fieldName)): str(graph.value(h, HT.fieldValue))
                for h in items(graph, graph.value(request, HT.headers))
            }
            body_node = graph.value(request, HT.body)
            body = None
            if body_node is not None:
                encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(graph.value(body_node, CNT.chars)).encode(encoding)
            response = graph.value(request, HT.resp)
            statuses = tuple(
                str(s).rsplit("StatusCode", 1)[-1]
                for s in graph.objects(response, MF.expectedStatus)
            )
            boolean = graph.value(response, MF.expectedBoolean)
            result_format = graph.value(response, MF.expectedFormat)
            exchanges.append(
                (
                    HttpRequest(
                        str(graph.value(request, HT.methodName)),
                        str(graph.value(request, HT.absolutePath)),
                        headers,
                        body,
                    ),
                    HttpExpectation(
                        statuses,
                        None if result_format is None else str(result_format),
                        None if boolean is None else bool(boolean.toPython()),  # type: ignore[union-attr]
                    ),
                )
            )
        graphs = tuple(
            (str(graph.value(data, RDFS.label)), local(graph.value(data, UT.graph)))
            for data in graph.objects(test, UT.graphData)
        )
        tests.append(
            ProtocolTest(
                name(graph, test), str(graph.value(test, MF.name)), graphs, tuple(exchanges)
            )
        )
    return tests


@dataclass(frozen=True)
class QueryTest:
    suite: str
    name: str
    kind: str
    """The local name of the test's type: QueryEvaluationTest, CSVResultFormatTest, …Syntax…"""
    query: Path
    query_iri: str
    data: tuple[str, ...] = ()
    graph_data: tuple[str, ...] = ()
    result: Path | None = None

    @property
    def id(self) -> str:
        return f"{self.suite}/{self.name}"


def query_tests(suites: tuple[str, ...]) -> list[QueryTest]:
    tests = []
    for suite in suites:
        graph, iri = manifest(suite)
        for test in entries(graph, iri):
            kind = str(graph.value(test, RDF.type)).rsplit("#", 1)[-1]
            action = graph.value(test, MF.action)
            result = graph.value(test, MF.result)
            if isinstance(action, URIRef):  # a syntax test: the action is the query
                query_iri = action
                data: tuple[str, ...] = ()
                graph_data: tuple[str, ...] = ()
            else:
                query_iri = graph.value(action, QT.query)  # type: ignore[assignment]
                data = tuple(sorted(str(d) for d in graph.objects(action, QT.data)))
                graph_data = tuple(sorted(str(d) for d in graph.objects(action, QT.graphData)))
            approval = graph.value(test, DAWGT.approval)
            if approval is not None and str(approval).endswith("Withdrawn"):
                continue
            tests.append(
                QueryTest(
                    suite,
                    name(graph, test),
                    kind,
                    local(query_iri),
                    str(query_iri),
                    data,
                    graph_data,
                    None if result is None else local(result),
                )
            )
    return tests


__all__ = [
    "DATA",
    "HttpExpectation",
    "HttpRequest",
    "Literal",
    "ProtocolTest",
    "QueryTest",
    "protocol_tests",
    "query_tests",
]
