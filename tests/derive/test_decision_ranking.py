"""The ranking of decisions against a text: BM25 over titles and texts with the Dutch analyzer."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Quad, Store

from policygraph.derive.decision_ranking import (
    DecisionRanking,
    DecisionText,
    query_terms,
    read_decisions,
)
from policygraph.namespaces import DCT, PG, PROV, RDF, XSD

BASE = "https://data.policygraph.be/id/beslissing/"

DECISIONS = [
    DecisionText(BASE + "A", ("Subsidiëring van waterstofprojecten",), "Steun voor waterstof."),
    DecisionText(BASE + "B", ("Kinderopvang",), "De subsidie voor de kinderopvang, ook waterstof."),
    DecisionText(BASE + "C", ("Brexit",), "Gevolgen van de brexit voor de export."),
    DecisionText(BASE + "D", (), ""),
]


def test_a_title_match_ranks_above_a_text_match() -> None:
    ranking = DecisionRanking(DECISIONS)
    ranked = ranking.rank("waterstof", 10)
    assert [hit.iri for hit in ranked] == [BASE + "A", BASE + "B"]
    assert [hit.rank for hit in ranked] == [1, 2]
    assert ranked[0].score > ranked[1].score > 0


def test_accents_and_inflections_meet() -> None:
    ranking = DecisionRanking(DECISIONS)
    assert ranking.rank("subsidiering", 1)[0].iri == BASE + "A"


def test_function_words_do_not_rank() -> None:
    assert query_terms("de van het een") == []
    assert DecisionRanking(DECISIONS).rank("de van het", 5) == []


def test_scores_of_given_decisions() -> None:
    ranking = DecisionRanking(DECISIONS)
    scores = ranking.scores("brexit export", [BASE + "C", BASE + "A", BASE + "unknown"])
    assert scores[BASE + "C"] > 0
    assert scores[BASE + "A"] == 0.0
    assert scores[BASE + "unknown"] == 0.0
    assert scores[BASE + "C"] == ranking.rank("brexit export", 1)[0].score


def test_the_same_decisions_give_the_same_scores() -> None:
    first = DecisionRanking(DECISIONS).rank("waterstof kinderopvang", 10)
    again = DecisionRanking(list(reversed(DECISIONS))).rank("waterstof kinderopvang", 10)
    assert first == again


def test_decisions_are_read_from_every_graph() -> None:
    store = Store()
    decision = NamedNode(BASE + "X")
    corpus, report = NamedNode("urn:graph:corpus"), NamedNode("urn:graph:report")
    store.extend(
        [
            Quad(decision, RDF.type, PG.GovernmentDecision, corpus),
            Quad(decision, PROV.value, Literal("De tekst.", language="nl"), corpus),
            Quad(decision, DCT.date, Literal("2021-05-07", datatype=XSD.date), corpus),
            Quad(decision, DCT.title, Literal("Een titel", language="nl"), report),
        ]
    )
    assert read_decisions(store) == [
        DecisionText(BASE + "X", ("Een titel",), "De tekst.", "2021-05-07")
    ]
