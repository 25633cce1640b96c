"""describe(): a resource's own statements, its dependent nodes, labels and paged incoming links."""

from __future__ import annotations

import pytest
from ld_support import BASE, COMPOSITION, SECTION, SOURCE, fixture_store
from pyoxigraph import Literal, NamedNode

from policygraph.read.describe import best_literal, describe, labels_for


@pytest.fixture(scope="module")
def store():
    return fixture_store()


def test_own_statements_carry_their_graph(store):
    description = describe(store, NamedNode(SECTION))
    graphs = {s.graph.value for s in description.own if s.graph is not None}
    assert graphs == {f"{BASE}/graph/regeerakkoord/2019-2024"}
    predicates = {s.triple.predicate.value for s in description.own}
    assert "https://data.policygraph.be/ns/policygraph#sectionNumber" in predicates


def test_hash_nodes_are_part_of_the_description(store):
    description = describe(store, NamedNode(SOURCE))
    assert [node.value for node in description.dependents] == [SOURCE + "#sha256"]


def test_labels_of_linked_resources_follow_the_language(store):
    dutch = describe(store, NamedNode(SECTION), language="nl")
    english = describe(store, NamedNode(SECTION), language="en")
    org = f"{BASE}/id/organisatie/fit"
    chapter = f"{BASE}/id/regeerakkoord/2019-2024/hoofdstuk/buitenlands-beleid-en-toerisme"
    assert dutch.labels[chapter] == "Buitenlands beleid en toerisme"
    # FIT names this section; its label comes with the incoming link.
    assert dutch.labels[org] == "Flanders Investment & Trade"
    assert english.labels[org] == "Flanders Investment & Trade (en)"
    # The ontology gives our properties labels in both languages.
    assert english.labels["https://data.policygraph.be/ns/policygraph#inChapter"] == "in chapter"
    assert dutch.labels["https://data.policygraph.be/ns/policygraph#inChapter"] == "in hoofdstuk"


def test_incoming_links_are_paged(store):
    first = describe(store, NamedNode(COMPOSITION), page=1, page_size=3)
    second = describe(store, NamedNode(COMPOSITION), page=2, page_size=3)
    assert first.incoming_total == second.incoming_total == 4
    assert first.pages == 2
    assert len(first.incoming) == 3
    assert len(second.incoming) == 1
    subjects = {s.triple.subject for s in (*first.incoming, *second.incoming)}
    assert len(subjects) == 4


def test_the_rdf_holds_own_incoming_and_label_triples(store):
    description = describe(store, NamedNode(COMPOSITION), page_size=2)
    triples = description.triples()
    assert sum(1 for t in triples if t.object == NamedNode(COMPOSITION)) == 2
    labelled = {t.subject.value for t in triples if t.predicate.value.endswith("title")}
    assert {s.triple.subject.value for s in description.incoming} <= labelled


def test_an_unknown_iri_does_not_exist(store):
    assert not describe(store, NamedNode(f"{BASE}/id/beslissing/none")).exists


def test_an_iri_with_query_syntax_in_it_is_bound_not_spliced(store):
    # Characters that would end an IRI or a group in query text are data here.
    odd = NamedNode(f"{BASE}/id/organisatie/x%3E%20%7D%20UNION%20%7B")
    assert not describe(store, odd).exists


def test_pages_start_at_one(store):
    with pytest.raises(ValueError, match="start at 1"):
        describe(store, NamedNode(SECTION), page=0)


def test_best_literal_prefers_the_language_then_the_other_then_none():
    literals = [Literal("x"), Literal("en", language="en"), Literal("nl", language="nl")]
    assert best_literal(literals, "en").value == "en"
    assert best_literal(literals, "nl").value == "nl"
    assert best_literal([Literal("x"), Literal("de", language="de")], "nl").value == "x"
    assert best_literal([], "nl") is None


def test_labels_for_leaves_out_what_has_no_label(store):
    labels = labels_for(store, [NamedNode(SECTION), NamedNode(f"{BASE}/id/none/x")], "nl")
    assert list(labels) == [SECTION]
