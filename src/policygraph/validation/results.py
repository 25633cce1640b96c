"""The results of a SHACL report graph as ``ValidationResult`` values, whichever engine made it.

Terms are shown as the text report prints them (prefixed names, N-Triples literals); results are
ordered by severity, then shape, focus node, path and value, so that two engines' reports of the
same graph compare equal as tuples.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode
from rdflib.namespace import RDF, SH

from policygraph.namespaces import PREFIXES
from policygraph.rdfio import to_rdflib
from policygraph.validation.report import SEVERITIES, ValidationResult


def results_of(report: rdflib.Graph) -> Iterator[ValidationResult]:
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
            focus_node=show(report.value(node, SH.focusNode)),
            source_shape=show(report.value(node, SH.sourceShape)),
            constraint_component=show(report.value(node, SH.sourceConstraintComponent)),
            path=show(path) if path is not None else None,
            value=show(value) if value is not None else None,
            messages=messages,
        )


def ordered(results: Iterable[ValidationResult]) -> tuple[ValidationResult, ...]:
    return tuple(sorted(results, key=_result_order))


def show(node: rdflib.term.Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, rdflib.URIRef):
        return _compact(str(node))
    if isinstance(node, rdflib.Literal):
        return node.n3()
    return "_:" + str(node)


def show_term(term: NamedNode | BlankNode | Literal) -> str:
    """A pyoxigraph term as ``show`` shows the same rdflib term."""
    return show(to_rdflib(term))


def _compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def _result_order(result: ValidationResult) -> tuple[int, str, str, str, str, str]:
    return (
        SEVERITIES.index(result.severity) if result.severity in SEVERITIES else 0,
        result.source_shape,
        result.focus_node,
        result.path or "",
        result.value or "",
        result.constraint_component,
    )
