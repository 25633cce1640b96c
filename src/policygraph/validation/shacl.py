"""SHACL validation: ``validate(...)`` returns a ``ValidationReport`` value (``report.py``).

A graph with only Warnings and Infos conforms: those mark gaps the sources really have. A
Violation is a defect and makes the graph non-conforming. Failing to validate at all (unreadable
shapes, say) raises, it is never reported as a result.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pyshacl
import rdflib
from pyoxigraph import Quad, Triple
from rdflib.namespace import RDF, SH

from policygraph.errors import RDFSyntaxError, SourceError
from policygraph.namespaces import PREFIXES
from policygraph.progress import Progress, SilentProgress
from policygraph.rdfio import rdflib_graph
from policygraph.validation.report import SEVERITIES, ValidationReport, ValidationResult
from policygraph.validation.shape_groups import (
    balanced_groups,
    estimated_cost,
    only_targeting,
    run_forked,
    targeted_shapes,
)
from policygraph.validation.sparql_parse_cache import cached_sparql_parsing


def load_shapes(shapes_dir: Path) -> rdflib.Graph:
    """Every ``*.ttl`` file of the shapes folder, as one shapes graph."""
    return _load_turtle_dir(shapes_dir, "shapes")


def load_ontology(ontology_dir: Path) -> rdflib.Graph:
    return _load_turtle_dir(ontology_dir, "ontology")


def _load_turtle_dir(folder: Path, what: str) -> rdflib.Graph:
    files = sorted(Path(folder).glob("*.ttl"))
    if not files:
        raise SourceError(f"no {what} (*.ttl) in {folder}")
    graph = rdflib.Graph()
    for file in files:
        try:
            graph.parse(file, format="turtle")
        except Exception as exc:  # rdflib raises many unrelated types for a syntax error
            raise RDFSyntaxError(f"{file}: {exc}") from exc
    return graph


SHACL_STEP = "validating with SHACL"
# More groups than processes: a finished group is progress to report, at the cost of one more
# pySHACL run over the shared graph per group.
GROUPS_PER_PROCESS = 4


def validate(
    data: Iterable[Triple | Quad] | rdflib.Graph,
    shapes: rdflib.Graph,
    *,
    ontology: rdflib.Graph | None = None,
    processes: int | None = None,
    progress: Progress | None = None,
) -> ValidationReport:
    """Validate the data (graph names are ignored: the shapes see one merged graph).

    ``ontology`` (the ontology and its code lists, ``load_ontology``) joins the data graph, as
    its named graphs join a build's, so that ``sh:class`` follows ``rdfs:subClassOf`` and coded
    values find their concepts; pass it for data that does not hold them already. pySHACL's own
    ``ont_graph`` would copy only the class and property hierarchy, not the code lists.
    The report counts the triples of the data alone.

    With more than one process (by default, one per available core) the shapes are split into
    groups validated in parallel (a few groups per process, so that ``progress`` hears of
    groups done of total as they finish); the report is the same as one run's.
    """
    progress = progress or SilentProgress()
    graph = data if isinstance(data, rdflib.Graph) else rdflib_graph(data)
    triples = len(graph)
    if ontology is not None and graph is data:
        graph = graph + ontology  # a graph the caller handed in is not ours to add to
    elif ontology is not None:
        graph += ontology
    if processes is None:
        processes = len(os.sched_getaffinity(0))
    targeted = targeted_shapes(shapes)
    if processes > 1 and targeted is not None and len(targeted) > 1:
        costs = {shape: estimated_cost(shape, shapes, graph) for shape in targeted}
        groups = balanced_groups(costs, processes * GROUPS_PER_PROCESS)
        parts = run_forked(
            lambda i: _validate_part(graph, shapes, groups[i]),
            len(groups),
            processes,
            lambda done: progress.tally(SHACL_STEP, done, len(groups), "shape groups"),
        )
    else:
        parts = [_validate_part(graph, shapes, None)]
    results = tuple(sorted((r for part, _ in parts for r in part), key=_result_order))
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(
        conforms, results, _merged_report([g for _, g in parts], conforms), triples
    )


def _merged_report(parts: list[str], conforms: bool) -> rdflib.Graph:
    """One sh:ValidationReport holding the results of every part."""
    graph = rdflib.Graph()
    for triples in parts:
        graph.parse(data=triples, format="nt")
    graph = graph.de_skolemize()
    for old in list(graph.subjects(RDF.type, SH.ValidationReport)):
        graph.remove((old, None, None))
    report = rdflib.BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, rdflib.Literal(conforms)))
    for result in graph.subjects(RDF.type, SH.ValidationResult):
        graph.add((report, SH.result, result))
    return graph


def _validate_part(
    graph: rdflib.Graph, shapes: rdflib.Graph, group: list[rdflib.term.Node] | None
) -> tuple[list[ValidationResult], str]:
    """Results of one group of shapes (all when None), and the report graph as N-Triples."""
    # No RDFS/OWL inference: the data states its classes explicitly, and inferring through the
    # alignments to external vocabularies would make foreign shapes' targets fire.
    with cached_sparql_parsing():
        _, report_graph, _ = pyshacl.validate(
            graph,
            shacl_graph=shapes if group is None else only_targeting(shapes, group),
            advanced=True,
            inplace=True,  # nothing is inferred, so the data graph need not be copied
            allow_warnings=True,
            allow_infos=True,
        )
    # Skolem IRIs keep the blank nodes of separate reports apart when they are merged.
    skolem = report_graph.skolemize()
    return list(_results(report_graph)), skolem.serialize(format="nt")


def _results(report: rdflib.Graph) -> Iterable[ValidationResult]:
    for node in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(node, SH.resultSeverity)
        messages = tuple(
            sorted(
                (lit.language or "", str(lit))
                for lit in report.objects(node, SH.resultMessage)
                if isinstance(lit, rdflib.Literal)
            )
        )
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        yield ValidationResult(
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            focus_node=_show(report.value(node, SH.focusNode)),
            source_shape=_show(report.value(node, SH.sourceShape)),
            constraint_component=_show(report.value(node, SH.sourceConstraintComponent)),
            path=_show(path) if path is not None else None,
            value=_show(value) if value is not None else None,
            messages=messages,
        )


def _show(node: rdflib.term.Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, rdflib.URIRef):
        return _compact(str(node))
    if isinstance(node, rdflib.Literal):
        return node.n3()
    return "_:" + str(node)


def _compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def _result_order(result: ValidationResult) -> tuple[int, str, str, str, str]:
    return (
        SEVERITIES.index(result.severity) if result.severity in SEVERITIES else 0,
        result.source_shape,
        result.focus_node,
        result.path or "",
        result.value or "",
    )
