"""The one update that switches an engine from one version to the next, applied to a real store.

Each case applies the update to a pyoxigraph store holding the old version and checks it then
holds exactly the new one (blank-node graphs compared by isomorphism's cheap stand-in: their
size and their ground triples).
"""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store

from policygraph.store.remote.switch import by_graph, switch_update

G = "https://data.policygraph.be/graph/"
S = NamedNode("https://data.policygraph.be/id/x")
P = NamedNode("https://data.policygraph.be/ns/policygraph#p")


def _quad(value: str, graph: str) -> Quad:
    return Quad(S, P, Literal(value), NamedNode(G + graph))


def _applied(old: list[Quad], new: list[Quad]) -> set[Quad]:
    store = Store()
    store.extend(old)
    switch = switch_update(by_graph(old), by_graph(new))
    assert switch is not None
    store.update(switch.update)
    return set(store)


def test_changed_added_and_dropped_graphs_end_as_the_new_version() -> None:
    old = [_quad("a", "kept"), _quad("b", "changed"), _quad("c", "dropped")]
    new = [_quad("a", "kept"), _quad("b2", "changed"), _quad("d", "added")]
    assert _applied(old, new) == set(new)


def test_only_the_difference_is_carried() -> None:
    old = [_quad(str(i), "big") for i in range(1000)]
    new = [*old[1:], _quad("new", "big")]
    switch = switch_update(by_graph(old), by_graph(new))
    assert switch is not None
    assert switch.triples == 2
    assert _applied(old, new) == set(new)


def test_a_graph_with_blank_nodes_is_replaced_whole() -> None:
    blank = BlankNode("engine-label")
    old = [
        Quad(S, P, blank, NamedNode(G + "ontology")),
        Quad(blank, P, Literal("x"), NamedNode(G + "ontology")),
    ]
    ours = BlankNode("our-label")
    new = [
        Quad(S, P, ours, NamedNode(G + "ontology")),
        Quad(ours, P, Literal("y"), NamedNode(G + "ontology")),
    ]
    result = _applied(old, new)
    assert len(result) == 2
    assert {q.object for q in result if isinstance(q.object, Literal)} == {Literal("y")}


def test_the_same_version_needs_no_update() -> None:
    quads = [_quad("a", "kept")]
    assert switch_update(by_graph(quads), by_graph(quads)) is None


def test_hostile_literals_stay_literals() -> None:
    hostile = '" } } ; DROP ALL ; INSERT DATA { <urn:x:a> <urn:x:b> "'
    new = [_quad(hostile, "kept")]
    assert _applied([_quad("a", "kept"), _quad("z", "other")], new) == set(new)
