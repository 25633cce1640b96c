"""SHACL validation: ``validate(...)`` returns a ``ValidationReport`` value (``report.py``).

A graph with only Warnings and Infos conforms: those mark gaps the sources really have. A
Violation is a defect and makes the graph non-conforming. Failing to validate at all (unreadable
shapes, say) raises, it is never reported as a result.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable
from pathlib import Path

import pyshacl
import rdflib
from pyoxigraph import BlankNode, NamedNode, Quad, Store, Triple
from rdflib.namespace import RDF, SH

from policygraph.errors import ConfigurationError, RDFSyntaxError, SourceError
from policygraph.progress import Progress, SilentProgress
from policygraph.rdfio import rdflib_graph
from policygraph.validation.fast import merged_store, validate_fast
from policygraph.validation.report import ValidationReport, ValidationResult
from policygraph.validation.results import ordered, results_of
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


VALIDATORS = ("fast", "pyshacl")
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
    validator: str = "fast",
    focus_nodes: Collection[NamedNode | BlankNode] | None = None,
) -> ValidationReport:
    """Validate the data (graph names are ignored: the shapes see one merged graph).

    ``validator`` names the engine: ``fast`` (pyshacl-turbo, ``fast.py``) or ``pyshacl``; both
    give the same results. With ``focus_nodes`` only those of the shapes' targets are validated
    (IRIs only: both engines pass a blank node over, so the caller filters results instead).

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
    if validator not in VALIDATORS:
        raise ConfigurationError(f"validator is one of {', '.join(VALIDATORS)}, not {validator!r}")
    iris = (
        None if focus_nodes is None else {n.value for n in focus_nodes if isinstance(n, NamedNode)}
    )
    if iris is not None and not iris:  # the engines read an empty list as no restriction
        return ValidationReport(True, (), rdflib.Graph(), 0)
    if validator == "fast":
        return _validate_fast(data, shapes, ontology, iris, progress)
    graph = data if isinstance(data, rdflib.Graph) else rdflib_graph(data)
    triples = len(graph)
    if ontology is not None and graph is data:
        graph = graph + ontology  # a graph the caller handed in is not ours to add to
    elif ontology is not None:
        graph += ontology
    if processes is None:
        processes = len(os.sched_getaffinity(0))
    targeted = targeted_shapes(shapes)
    if iris is not None:
        parts = [_validate_part(graph, shapes, None, iris)]
    elif processes > 1 and targeted is not None and len(targeted) > 1:
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
    results = ordered(r for part, _ in parts for r in part)
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(
        conforms, results, _merged_report([g for _, g in parts], conforms), triples
    )


def _validate_fast(
    data: Iterable[Triple | Quad] | rdflib.Graph,
    shapes: rdflib.Graph,
    ontology: rdflib.Graph | None,
    focus_nodes: set[str] | None,
    progress: Progress,
) -> ValidationReport:
    if isinstance(data, rdflib.Graph):
        triples = len(data)
        target: rdflib.Graph | Store = data + ontology if ontology is not None else data
    else:
        target, triples = merged_store(data, ontology)
    results, report = validate_fast(target, shapes, focus_nodes=focus_nodes)
    progress.tally(SHACL_STEP, 1, 1, "shape groups")
    ordered_results = ordered(results)
    conforms = not any(r.severity == "Violation" for r in ordered_results)
    return ValidationReport(conforms, ordered_results, report, triples)


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
    graph: rdflib.Graph,
    shapes: rdflib.Graph,
    group: list[rdflib.term.Node] | None,
    focus_nodes: set[str] | None = None,
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
            focus_nodes=None if focus_nodes is None else sorted(focus_nodes),
        )
    # Skolem IRIs keep the blank nodes of separate reports apart when they are merged.
    skolem = report_graph.skolemize()
    return list(results_of(report_graph)), skolem.serialize(format="nt")
