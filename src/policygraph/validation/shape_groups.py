"""Validating with several processes: the shapes split into groups of about equal cost.

pySHACL evaluates shapes one focus node at a time in Python, so a full corpus takes one core for
most of a minute. Shapes are independent of each other (each result names its source shape), so
disjoint groups of the targeted shapes can be validated in forked processes that share the data
graph, and their results merged, giving the same report as one run.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import TypeVar

import rdflib
from rdflib.namespace import RDF, RDFS, SH

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)

T = TypeVar("T")


def targeted_shapes(shapes: rdflib.Graph) -> list[rdflib.term.Node] | None:
    """The shapes that choose focus nodes themselves, the ones a validation run starts from.

    None when a shape is also a class (an implicit target no triple can be taken from): such a
    shapes graph is not split.
    """
    if any((s, RDF.type, RDFS.Class) in shapes for s in shapes.subjects(RDF.type, SH.NodeShape)):
        return None
    return sorted({s for target in TARGETS for s in shapes.subjects(target, None)}, key=str)


def estimated_cost(shape: rdflib.term.Node, shapes: rdflib.Graph, data: rdflib.Graph) -> int:
    """Focus nodes times constraints: what pySHACL's time grows with."""
    focus = 0
    for cls in shapes.objects(shape, SH.targetClass):
        focus += sum(1 for _ in data.subjects(RDF.type, cls))
    for predicate in shapes.objects(shape, SH.targetSubjectsOf):
        focus += sum(1 for _ in data.subject_objects(predicate))
    for predicate in shapes.objects(shape, SH.targetObjectsOf):
        focus += sum(1 for _ in data.subject_objects(predicate))
    focus += sum(1 for _ in shapes.objects(shape, SH.targetNode))
    if (shape, SH.target, None) in shapes:
        focus += len(data) // 20  # a SPARQL-based target: unknown until it runs
    constraints = 1 + sum(1 for _ in shapes.objects(shape, SH.property))
    constraints += 10 * sum(1 for _ in shapes.objects(shape, SH.sparql))
    return max(focus, 1) * constraints


def balanced_groups(costs: dict[rdflib.term.Node, int], count: int) -> list[list[rdflib.term.Node]]:
    """Longest-processing-time-first: each shape to the group with the least work so far."""
    groups: list[list[rdflib.term.Node]] = [[] for _ in range(count)]
    loads = [0] * count
    for shape, cost in sorted(costs.items(), key=lambda item: (-item[1], str(item[0]))):
        lightest = loads.index(min(loads))
        groups[lightest].append(shape)
        loads[lightest] += cost
    return [group for group in groups if group]


# The forked workers read the work from here: fork copies it, nothing is pickled going out.
_WORK: Callable[[int], object] | None = None


def _run(index: int) -> object:
    assert _WORK is not None
    return _WORK(index)


def run_forked(
    work: Callable[[int], T],
    count: int,
    processes: int,
    done: Callable[[int], None] = lambda _: None,
) -> list[T]:
    """``work(i)`` for i in range(count) on ``processes`` forked processes (results are pickled
    back, in order); ``done(n)`` after each, with how many are done."""
    global _WORK
    _WORK = work
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
            futures = [pool.submit(_run, i) for i in range(count)]
            for finished, _ in enumerate(as_completed(futures), start=1):
                done(finished)
            return [future.result() for future in futures]  # type: ignore[misc]
    finally:
        _WORK = None


def only_targeting(shapes: rdflib.Graph, group: Sequence[rdflib.term.Node]) -> rdflib.Graph:
    """The shapes graph with the targets of every shape outside ``group`` taken away.

    Shapes without targets select no focus nodes, so only the group's shapes start validation;
    the shapes they use (property shapes, sh:or members) stay whole. (pySHACL's own
    ``use_shapes`` option leaves out the property shapes of the shapes it keeps.)
    """
    keep = set(group)
    copy = rdflib.Graph()
    for triple in shapes:
        if triple[1] in TARGETS and triple[0] not in keep:
            continue
        copy.add(triple)
    for prefix, namespace in shapes.namespaces():
        copy.bind(prefix, namespace, override=True)
    return copy
