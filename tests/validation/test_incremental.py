"""Incremental validation finds what a full validation of the same graph finds.

On the published corpus, each change (a harvest of new decisions, some of them invalid; a
removed title; a changed datatype; a decision re-dated, which breaks a SPARQL rule on the
references elsewhere that cite it; a decision removed, which breaks the references to it) is
validated incrementally and in full, with the fast engine. What is compared, exactly (as
multisets of results, messages included):

- the incremental results are the full validation's results after the change on the affected
  focus nodes, no more and no fewer;
- the full validation's results before the change on every other focus node, with the
  incremental results added, are the full validation's results after the change: nothing the
  change alters lies outside the affected nodes.

Each change also shows a result the graph did not have before, so no comparison is vacuous.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from pyoxigraph import Literal, NamedNode, Quad, QuerySolution, QuerySolutions, Store

from policygraph.build.publishing import build_graph_name
from policygraph.config import SHAPES_DIR
from policygraph.namespaces import Minter
from policygraph.store.local import LocalStore
from policygraph.validation.incremental import affected_focus_nodes, validate_change
from policygraph.validation.report import ValidationReport
from policygraph.validation.results import show_term
from policygraph.validation.shacl import load_shapes, validate

PG = "https://data.policygraph.be/ns/policygraph#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DECISION = NamedNode(PG + "GovernmentDecision")
DATE, TITLE = NamedNode(DCT + "date"), NamedNode(DCT + "title")
UUID = NamedNode("http://mu.semte.ch/vocabularies/core/uuid")
SHAPES = load_shapes(SHAPES_DIR)

Change = tuple[list[Quad], list[Quad]]


@pytest.fixture(scope="module")
def content(corpus_store: LocalStore) -> Store:
    build_graph = build_graph_name(Minter("https://data.policygraph.be"))
    store = Store()
    store.extend(q for q in corpus_store.quads() if q.graph_name != build_graph)
    return store


@pytest.fixture(scope="module")
def before(content: Store) -> ValidationReport:
    return validate(iter(content), SHAPES)


def _rows(store: Store, where: str, *, union: bool = True) -> list[QuerySolution]:
    """The solutions of ``SELECT * WHERE {where}``, in a fixed order (pg: and dct: declared)."""
    text = f"PREFIX pg: <{PG}> PREFIX dct: <{DCT}> SELECT * WHERE {{ {where} }} ORDER BY ?x"
    solutions = store.query(text, use_default_graph_as_union=union)
    assert isinstance(solutions, QuerySolutions)
    return list(solutions)


def _decisions(store: Store, count: int) -> list[NamedNode]:
    rows = _rows(store, "?x a pg:GovernmentDecision ; dct:title ?t")[:count]
    return [row["x"] for row in rows]  # type: ignore[misc]


def _quads_of(store: Store, subject: NamedNode) -> list[Quad]:
    return list(store.quads_for_pattern(subject, None, None))


def harvest(store: Store) -> Change:
    """Forty new decisions, copies of existing ones: one without a date (a Violation), one with
    a malformed Kaleidos id (a Violation), one dated outside the legislature (a Warning from a
    SPARQL-based rule), one without a title (a Warning)."""
    added: list[Quad] = []
    for index, decision in enumerate(_decisions(store, 40)):
        new = NamedNode(f"{decision.value}-H{index}")
        for q in _quads_of(store, decision):
            obj = q.object
            if index == 0 and q.predicate == DATE:
                continue
            if index == 1 and q.predicate == UUID:
                obj = Literal("not-a-kaleidos-id")
            if index == 2 and q.predicate == DATE:
                obj = Literal("2030-01-01", datatype=NamedNode(XSD + "date"))
            if index == 3 and q.predicate == TITLE:
                continue
            added.append(Quad(new, q.predicate, obj, q.graph_name))
    return added, []


def removed_title(store: Store) -> Change:
    decision = _decisions(store, 1)[0]
    return [], list(store.quads_for_pattern(decision, TITLE, None))


def changed_datatype(store: Store) -> Change:
    """A reference's date becomes a string."""
    row = _rows(store, "GRAPH ?g { ?x a pg:Reference ; dct:date ?date }", union=False)[0]
    old = Quad(row["x"], DATE, row["date"], row["g"])  # type: ignore[arg-type]
    return [Quad(old.subject, DATE, Literal(old.object.value), old.graph_name)], [old]


def redated_decision(store: Store) -> Change:
    """A decision cited by references gets another date: the references, not the decision,
    break a SPARQL-based rule (a reference carries its decision's date)."""
    where = "GRAPH ?h { ?ref pg:refersTo ?x } GRAPH ?g { ?x dct:date ?date }"
    row = _rows(store, where, union=False)[0]
    old = Quad(row["x"], DATE, row["date"], row["g"])  # type: ignore[arg-type]
    date = Literal("2020-02-02", datatype=NamedNode(XSD + "date"))
    return [Quad(old.subject, DATE, date, old.graph_name)], [old]


def removed_decision(store: Store) -> Change:
    """A decision references refer to disappears: they break sh:class on pg:refersTo."""
    row = _rows(store, "GRAPH ?g { ?ref pg:refersTo ?x }", union=False)[0]
    return [], _quads_of(store, row["x"])  # type: ignore[arg-type]


CHANGES: list[Callable[[Store], Change]] = [
    harvest,
    removed_title,
    changed_datatype,
    redated_decision,
    removed_decision,
]


@contextmanager
def applied(store: Store, change: Change) -> Iterator[None]:
    added, removed = change
    for q in removed:
        store.remove(q)
    store.extend(added)
    try:
        yield
    finally:
        for q in added:
            store.remove(q)
        store.extend(removed)


@pytest.mark.parametrize("make", CHANGES, ids=lambda f: f.__name__)
def test_incremental_validation_equals_a_full_run(
    content: Store, before: ValidationReport, make: Callable[[Store], Change]
) -> None:
    added, removed = make(content)
    assert added or removed
    with applied(content, (added, removed)):
        affected = affected_focus_nodes(content, added, removed, SHAPES)
        assert affected is not None
        shown = {show_term(node) for node in affected}
        incremental = validate_change(content, added, removed, SHAPES)
        after = validate(iter(content), SHAPES)
    on_affected = Counter(r for r in after.results if r.focus_node in shown)
    assert Counter(incremental.results) == on_affected
    kept = Counter(r for r in before.results if r.focus_node not in shown)
    assert kept + Counter(incremental.results) == Counter(after.results)
    assert set(incremental.results) - set(before.results), "the change shows a new result"
    assert incremental.conforms == after.conforms
