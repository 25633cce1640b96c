"""Incremental validation: after a change, validate only the focus nodes it can affect.

A harvest adds a few hundred decisions to a graph of a million triples; validating all of it
again costs the whole graph's time. ``affected_focus_nodes`` finds, with the shapes' reads
(``reach.py``), every node whose results the change can alter: the subjects and objects of the
changed triples, and every node from which a path the shapes read arrives at one of them (walked
over the new content and the removed triples together, so that a path the change cut is
followed too). ``validate_change`` validates those nodes against exactly the triples their
validation reads, gathered along the same paths, so that its cost follows the change and not
the graph; its results are the full validation's results for those nodes. Results of every
other node are unchanged by the change (``tests/validation/test_incremental.py`` checks that:
the results of a full run before, minus the affected nodes', plus these, are a full run's after).
When the shapes read without a bound, or a change touches the class hierarchy, every node is
affected and the whole content is validated.
"""

from __future__ import annotations

from collections.abc import Iterable

import rdflib
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, Store, Triple

from policygraph.validation.reach import TYPE, Reads, reads
from policygraph.validation.report import ValidationReport
from policygraph.validation.results import ordered, show_term
from policygraph.validation.shacl import validate

Node = NamedNode | BlankNode
SUBCLASS = NamedNode(str(rdflib.RDFS.subClassOf))


def affected_focus_nodes(
    content: Store,
    added: Iterable[Triple | Quad],
    removed: Iterable[Triple | Quad],
    shapes: rdflib.Graph,
) -> set[Node] | None:
    """The nodes whose validation results ``added`` and ``removed`` can change, in the content
    after the change (any graph of the store); None when that can be any node."""
    trie = reads(shapes)
    changed = [*added, *removed]
    if trie is None or any(t.predicate == SUBCLASS for t in changed):
        return None
    cut = Store()
    cut.bulk_extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in removed)
    graphs = (content, cut)
    by_predicate: dict[str | None, list[Reads]] = {}
    for node in trie.nodes():
        assert node.step is not None
        by_predicate.setdefault(node.step[0], []).append(node)
    affected: set[Node] = set()
    for t in changed:
        for term in (t.subject, t.object):
            if isinstance(term, NamedNode | BlankNode):
                affected.add(term)
        for node in (*by_predicate.get(t.predicate.value, ()), *by_predicate.get(None, ())):
            assert node.step is not None
            near = t.subject if node.step[1] else t.object
            affected |= _walk_back({near}, node.back_steps()[1:], graphs)
    return affected


def _walk_back(
    start: set[NamedNode | BlankNode | Literal | Triple],
    steps: list[tuple[str | None, bool]],
    graphs: tuple[Store, ...],
) -> set[Node]:
    frontier = start
    for predicate, forward in steps:
        p = None if predicate is None else NamedNode(predicate)
        previous: set[NamedNode | BlankNode | Literal | Triple] = set()
        for node in frontier:
            for graph in graphs:
                if forward:  # the step went subject → object: come back from the object
                    previous.update(q.subject for q in graph.quads_for_pattern(None, p, node))
                elif not isinstance(node, Literal):
                    previous.update(q.object for q in graph.quads_for_pattern(node, p, None))
        frontier = previous
    return {n for n in frontier if isinstance(n, NamedNode | BlankNode)}


def read_triples(content: Store, focus: set[Node], trie: Reads) -> Store:
    """The triples the validation of the focus nodes reads (``trie``: what the shapes read),
    and the class hierarchy, as a store of its own (default graph)."""
    out = Store()
    quads: set[Quad] = set()

    def walk(node: Reads, frontier: set[NamedNode | BlankNode | Literal | Triple]) -> None:
        for (predicate, forward), child in node.children.items():
            p = None if predicate is None else NamedNode(predicate)
            reached: set[NamedNode | BlankNode | Literal | Triple] = set()
            for term in frontier:
                if forward and not isinstance(term, Literal):
                    found = content.quads_for_pattern(term, p, None)
                    for q in found:
                        quads.add(Quad(q.subject, q.predicate, q.object, DefaultGraph()))
                        reached.add(q.object)
                elif not forward:
                    for q in content.quads_for_pattern(None, p, term):
                        quads.add(Quad(q.subject, q.predicate, q.object, DefaultGraph()))
                        reached.add(q.subject)
            if reached:
                walk(child, reached)

    walk(trie, set(focus))
    for q in content.quads_for_pattern(None, SUBCLASS, None):
        quads.add(Quad(q.subject, q.predicate, q.object, DefaultGraph()))
    out.bulk_extend(quads)
    return out


def validate_change(
    content: Store,
    added: Iterable[Triple | Quad],
    removed: Iterable[Triple | Quad],
    shapes: rdflib.Graph,
    *,
    validator: str = "fast",
) -> ValidationReport:
    """The validation results of the focus nodes the change affects, on the content after it.

    ``content`` holds the whole content after the change (graph names are ignored); ``added``
    and ``removed`` are the change. The report counts the content's triples. When every node
    can be affected, this is a full validation.
    """
    added, removed = list(added), list(removed)
    affected = affected_focus_nodes(content, added, removed, shapes)
    trie = reads(shapes)
    if affected is None or trie is None:
        return validate(iter(content), shapes, validator=validator)
    # The engines pass blank focus nodes over: with any among them, every node of the triples
    # read is validated, and the results are filtered below.
    blank = any(isinstance(node, BlankNode) for node in affected)
    part = validate(
        iter(read_triples(content, affected, trie)),
        shapes,
        validator=validator,
        focus_nodes=None if blank else affected,
    )
    shown = {show_term(node) for node in affected}
    results = ordered(r for r in part.results if r.focus_node in shown)
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(conforms, results, part.graph, len(content))


__all__ = ["TYPE", "affected_focus_nodes", "read_triples", "validate_change"]
