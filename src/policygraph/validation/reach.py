"""How far the shapes read from a focus node: the paths of triples a node's validation can see.

Incremental validation needs, for a changed triple, every focus node whose results it can
change. A focus node's validation reads triples along paths from it: the property paths of its
shapes, then the types of the values (``sh:class``), the paths of nested shapes (``sh:node``,
``sh:or``, ``sh:qualifiedValueShape`` …), the other property of ``sh:equals`` and its kin, and
the triple patterns of its SPARQL constraints and SPARQL-based targets, joined to ``$this``.
``reads(shapes)`` gathers those paths as sequences of steps (a predicate, and whether the step
goes from subject to object) in a trie. Whatever the analysis cannot bound (``sh:zeroOrMorePath``,
a recursive shape, a class joined to another pattern through its IRI) makes it answer None: the
caller then validates everything. It widens, never narrows: a node reached by a path that no
constraint really reads costs a little time, never a result.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import rdflib
from rdflib.namespace import RDF, SH
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, Path, SequencePath
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

Step = tuple[str | None, bool]
"""A predicate (None: any) and the direction: True from subject to object."""

TYPE = str(RDF.type)
MAX_NESTING = 8
_NESTED_LISTS = (SH["and"], SH["or"], SH.xone)
_NESTED_SHAPES = (SH.node, SH["not"], SH.qualifiedValueShape)
_OTHER_PROPERTY = (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals)


class _Unbounded(Exception):  # noqa: N818 -- a signal inside this module, never raised out of it
    """The shapes read further than a fixed set of paths can say."""


@dataclass
class Reads:
    """A trie of step sequences from a focus node; ``children`` by step."""

    step: Step | None = None
    parent: Reads | None = None
    children: dict[Step, Reads] = field(default_factory=dict)

    def add(self, steps: Iterable[Step]) -> None:
        node = self
        for step in steps:
            child = node.children.get(step)
            if child is None:
                child = node.children[step] = Reads(step, node)
            node = child

    def nodes(self) -> Iterator[Reads]:
        for child in self.children.values():
            yield child
            yield from child.nodes()

    def back_steps(self) -> list[Step]:
        """The steps from the root to here, last first."""
        steps: list[Step] = []
        node: Reads | None = self
        while node is not None and node.step is not None:
            steps.append(node.step)
            node = node.parent
        return steps


def reads(shapes: rdflib.Graph) -> Reads | None:
    """What the validation of any focus node can read, or None when that has no bound."""
    # Parsing the SPARQL takes most of a second; a publish loads the same shapes every time.
    return _reads(frozenset(shapes))


@lru_cache(maxsize=4)
def _reads(
    triples: frozenset[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]],
) -> Reads | None:
    shapes = rdflib.Graph()
    for triple in triples:
        shapes.add(triple)
    trie = Reads()
    try:
        for shape in _shapes(shapes):
            _node_shape(shapes, shape, (), trie, 0)
            for target in shapes.objects(shape, SH.target):
                for query in _queries(shapes, target):
                    for steps in _query_reads(query, "this"):
                        trie.add(steps)
            for predicate in shapes.objects(shape, SH.targetSubjectsOf):
                trie.add([(str(predicate), True)])
            for predicate in shapes.objects(shape, SH.targetObjectsOf):
                trie.add([(str(predicate), False)])
    except _Unbounded:
        return None
    trie.add([(TYPE, True)])  # sh:targetClass, and the implicit class targets
    return trie


def _shapes(shapes: rdflib.Graph) -> list[rdflib.term.Node]:
    found = set(shapes.subjects(RDF.type, SH.NodeShape))
    found |= set(shapes.subjects(RDF.type, SH.PropertyShape))
    for predicate in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        found |= set(shapes.subjects(predicate, None))
    found |= set(shapes.subjects(SH.target, None))
    return sorted(found, key=str)


def _node_shape(
    shapes: rdflib.Graph,
    shape: rdflib.term.Node,
    prefix: tuple[Step, ...],
    trie: Reads,
    depth: int,
) -> None:
    """The reads of ``shape`` validating the nodes at the end of ``prefix``."""
    if depth > MAX_NESTING:
        raise _Unbounded(f"shapes nested deeper than {MAX_NESTING} at {shape}")
    trie.add(prefix)
    if (shape, SH["closed"], rdflib.Literal(True)) in shapes:
        trie.add((*prefix, (None, True)))
    # A node shape's constraints apply to the node itself, a property shape's to its values.
    paths: list[tuple[Step, ...]] = [] if (shape, SH.path, None) in shapes else [()]
    for path in shapes.objects(shape, SH.path):
        paths += _path_steps(shapes, path)
    for steps in paths:
        here = (*prefix, *steps)
        trie.add(here)
        if (shape, SH["class"], None) in shapes:
            trie.add((*here, (TYPE, True)))
        for predicate in _NESTED_SHAPES:
            for nested in shapes.objects(shape, predicate):
                _node_shape(shapes, nested, here, trie, depth + 1)
        for predicate in _NESTED_LISTS:
            for members in shapes.objects(shape, predicate):
                for nested in rdflib.collection.Collection(shapes, members):
                    _node_shape(shapes, nested, here, trie, depth + 1)
        for nested in shapes.objects(shape, SH.property):
            _node_shape(shapes, nested, here, trie, depth + 1)
    for predicate in _OTHER_PROPERTY:
        for other in shapes.objects(shape, predicate):
            trie.add((*prefix, (str(other), True)))
    for constraint in shapes.objects(shape, SH.sparql):
        for query in _queries(shapes, constraint):
            for steps in _query_reads(query, "this"):
                trie.add((*prefix, *steps))


def _path_steps(shapes: rdflib.Graph, path: rdflib.term.Node) -> Iterator[tuple[Step, ...]]:
    """The step sequences a SHACL property path can take."""
    if isinstance(path, rdflib.URIRef):
        yield ((str(path), True),)
        return
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        for steps in _path_steps(shapes, inverse):
            yield tuple((p, not forward) for p, forward in reversed(steps))
        return
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        for member in rdflib.collection.Collection(shapes, alternatives):
            yield from _path_steps(shapes, member)
        return
    if (path, RDF.first, None) in shapes:
        sequences: list[tuple[Step, ...]] = [()]
        for member in rdflib.collection.Collection(shapes, path):
            parts = list(_path_steps(shapes, member))
            sequences = [(*head, *tail) for head in sequences for tail in parts]
        yield from sequences
        return
    raise _Unbounded(f"a path without a bound length: {path}")


def _queries(shapes: rdflib.Graph, node: rdflib.term.Node) -> Iterator[CompValue]:
    namespaces = {
        str(shapes.value(declared, SH.prefix)): str(shapes.value(declared, SH.namespace))
        for ontology in shapes.objects(node, SH.prefixes)
        for declared in shapes.objects(ontology, SH.declare)
    }
    for text in shapes.objects(node, SH.select):
        yield translateQuery(parseQuery(str(text)), initNs=namespaces).algebra
    if (node, SH.ask, None) in shapes or (node, SH.construct, None) in shapes:
        raise _Unbounded(f"a SPARQL form other than SELECT: {node}")


Edge = tuple[rdflib.term.Node, Step, rdflib.term.Node]


def _query_reads(algebra: CompValue, start: str) -> Iterator[tuple[Step, ...]]:
    """Every walk from ``?start`` over the query's triple patterns (each pattern once)."""
    edges = [edge for s, p, o in _patterns(algebra) for edge in _edges(s, p, o)]
    classes = [o for _, (p, _), o in edges if p == TYPE and not isinstance(o, rdflib.Variable)]
    if len(classes) != len(set(classes)):
        raise _Unbounded("a query joins two patterns through a class")

    def walk(node: rdflib.term.Node, used: frozenset[int]) -> Iterator[tuple[Step, ...]]:
        yield ()
        if node != rdflib.Variable(start) and _is_class(node, edges):
            return
        for index, (s, (p, forward), o) in enumerate(edges):
            if index in used:
                continue
            for near, far, direction in ((s, o, forward), (o, s, not forward)):
                if near == node:
                    for rest in walk(far, used | {index}):
                        yield ((p, direction), *rest)

    yield from walk(rdflib.Variable(start), frozenset())


def _is_class(node: rdflib.term.Node, edges: list[Edge]) -> bool:
    return not isinstance(node, rdflib.Variable) and any(
        p == TYPE and o == node for _, (p, _), o in edges
    )


def _patterns(value: object) -> Iterator[tuple[object, object, object]]:
    if isinstance(value, CompValue):
        for key, item in value.items():
            if key == "triples":
                for triple in item:
                    yield tuple(triple)
            else:
                yield from _patterns(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _patterns(item)


_counter = iter(range(1 << 62))


def _edges(s: object, p: object, o: object) -> Iterator[Edge]:
    """A triple pattern as edges between terms, its path spelled out through fresh variables."""
    assert isinstance(s, rdflib.term.Node)
    assert isinstance(o, rdflib.term.Node)
    if isinstance(p, rdflib.URIRef):
        yield (s, (str(p), True), o)
    elif isinstance(p, rdflib.Variable):
        yield (s, (None, True), o)
    elif isinstance(p, InvPath):
        yield from _edges(o, p.arg, s)
    elif isinstance(p, SequencePath):
        nodes = [s, *(rdflib.Variable(f"_step{next(_counter)}") for _ in p.args[1:]), o]
        for index, part in enumerate(p.args):
            yield from _edges(nodes[index], part, nodes[index + 1])
    elif isinstance(p, AlternativePath):
        for part in p.args:
            yield from _edges(s, part, o)
    elif isinstance(p, MulPath | NegatedPath | Path):
        raise _Unbounded(f"a property path without a bound length: {p}")
    else:
        raise _Unbounded(f"a pattern the analysis does not know: {p!r}")
