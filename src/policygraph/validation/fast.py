"""The fast engine: pyshacl-turbo, a native SHACL validator with pySHACL's options and report.

It validates a pyoxigraph store of the data directly (no rdflib graph of a million triples is
built), in one process: the native engine answers the SPARQL-based targets and constraints
itself, so the forked shape groups pySHACL needs buy nothing here. The tests hold it to
pySHACL's results on the W3C SHACL suites and on every valid and invalid case of our shapes
(``tests/validation/test_engine_oracle.py``); ``validator = "pyshacl"`` falls back.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import pyshacl_turbo
import rdflib
from pyoxigraph import DefaultGraph, Quad, Store, Triple

from policygraph.rdfio import from_rdflib
from policygraph.validation.report import ValidationResult
from policygraph.validation.results import results_of


def merged_store(
    data: Iterable[Triple | Quad], ontology: rdflib.Graph | None = None
) -> tuple[Store, int]:
    """One store of the data's triples in the default graph (graph names dropped, as the shapes
    see one merged graph), the ontology's joined; and how many triples the data alone has."""
    store = Store()
    store.bulk_extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in data)
    triples = len(store)
    if ontology is not None:
        store.bulk_extend(
            Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o), DefaultGraph())  # type: ignore[arg-type]
            for s, p, o in ontology
        )
    return store, triples


def validate_fast(
    data: Store | rdflib.Graph,
    shapes: rdflib.Graph,
    *,
    focus_nodes: Collection[str] | None = None,
) -> tuple[list[ValidationResult], rdflib.Graph]:
    """The results and the report graph; with ``focus_nodes`` (IRIs), only the targets among
    them are validated (an empty collection validates nothing)."""
    if focus_nodes is not None and not focus_nodes:
        return [], rdflib.Graph()
    _, report, _ = pyshacl_turbo.validate(
        data,
        shacl_graph=shapes,
        advanced=True,  # the SHACL-AF SPARQL targets of the cross-node rules
        allow_warnings=True,
        allow_infos=True,
        focus_nodes=None if focus_nodes is None else sorted(focus_nodes),
    )
    return list(results_of(report)), report
