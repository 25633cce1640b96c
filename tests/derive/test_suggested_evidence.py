"""Suggested evidence: for each part with a text, the related decisions its assessment does not
cite — on small made-up graphs, through a publish and a harvest-like update, and on the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, QuerySolutions, Store, Triple, Variable

from policygraph.build.publishing import publish
from policygraph.config import load_settings
from policygraph.derive import SUGGESTED_EVIDENCE, derive_graphs
from policygraph.derive.decision_ranking import read_decisions
from policygraph.derive.suggested_evidence import SUGGESTIONS, read_parts, suggestion_triples
from policygraph.derive.vector_ranking import VectorRanking
from policygraph.namespaces import CITO, DCT, PG, PROV, RDF, Minter, sparql_prologue
from policygraph.sources import SourceDocument, SourceGraph
from policygraph.store.local import LocalStore

BASE = "https://example.org"
MINTER = Minter(BASE)
AGREEMENT = MINTER.within("akkoord")
CHAPTER = AGREEMENT.chapter("onderwijs")
WATER = AGREEMENT.section("onderwijs", "1.1")
SCHOOLS = AGREEMENT.section("onderwijs", "1.2")
HEADING_ONLY = AGREEMENT.section("onderwijs", "1")
REPORT = AGREEMENT.report("onderwijs", "1.1")

DECISIONS = {
    "A": ("Waterstof in de haven", "Steun voor waterstofprojecten en een waterstofnetwerk."),
    "B": ("Waterstofstrategie", "De Vlaamse waterstofstrategie: waterstof voor de industrie."),
    "C": ("Schoolgebouwen", "Investeringen in schoolgebouwen en de renovatie van scholen."),
    "D": ("Leraren", "Het lerarentekort in scholen en de opleiding van leraren."),
    "E": ("Kinderopvang", "Plaatsen in de kinderopvang voor jonge kinderen."),
}
SECTIONS = {
    WATER: ("Waterstof", "Vlaanderen wordt een draaischijf voor waterstof en waterstofprojecten."),
    SCHOOLS: ("Scholen", "We investeren in schoolgebouwen, scholen en leraren."),
}


def decision(ref: str) -> NamedNode:
    return MINTER.decision(ref)


def agreement_triples() -> list[Triple]:
    triples = [
        Triple(CHAPTER, RDF.type, PG.Chapter),
        Triple(CHAPTER, DCT.title, Literal("Onderwijs en energie", language="nl")),
        Triple(HEADING_ONLY, RDF.type, PG.Section),
        Triple(HEADING_ONLY, DCT.title, Literal("Zonder eigen tekst", language="nl")),
        Triple(HEADING_ONLY, PG.inChapter, CHAPTER),
    ]
    for section, (title, text) in SECTIONS.items():
        triples += [
            Triple(section, RDF.type, PG.Section),
            Triple(section, DCT.title, Literal(title, language="nl")),
            Triple(section, PG.text, Literal(text, language="nl")),
            Triple(section, PG.inChapter, CHAPTER),
        ]
    return triples


def decision_triples(decisions: dict[str, tuple[str, str]]) -> list[Triple]:
    triples = []
    for ref, (title, text) in decisions.items():
        triples += [
            Triple(decision(ref), RDF.type, PG.GovernmentDecision),
            Triple(decision(ref), DCT.title, Literal(title, language="nl")),
            Triple(decision(ref), PROV.value, Literal(text, language="nl")),
        ]
    return triples


def report_triples() -> list[Triple]:
    """The report of the water section cites decision A."""
    return [
        Triple(REPORT, RDF.type, PG.AssessmentReport),
        Triple(REPORT, PG.assesses, WATER),
        Triple(REPORT, CITO.citesAsEvidence, decision("A")),
    ]


def store_of(*triples: list[Triple]) -> Store:
    store = Store()
    graph = NamedNode(f"{BASE}/graph/test")
    store.extend(Quad(t.subject, t.predicate, t.object, graph) for ts in triples for t in ts)
    return store


def suggestions(store: Store) -> set[Triple]:
    return set(
        suggestion_triples(
            store,
            MINTER,
            VectorRanking(read_decisions(store)),
            method=SUGGESTED_EVIDENCE.method(MINTER),
            description=MINTER.source("methode-suggesties"),
        )
    )


def suggested(triples: set[Triple], part: NamedNode) -> list[tuple[int, str, float]]:
    """(rank, decision IRI, score) of the suggestions of ``part``, by rank."""
    store = Store()
    store.extend(Quad(t.subject, t.predicate, t.object) for t in triples)
    rows = store.query(
        sparql_prologue()
        + """SELECT ?part ?rank ?decision ?score WHERE {
               ?part pg:suggestedEvidence ?s .
               ?s pg:rank ?rank ; pg:suggestedDecision ?decision ; pg:score ?score .
             } ORDER BY ?rank""",
        substitutions={Variable("part"): part},
    )
    assert isinstance(rows, QuerySolutions)
    found = []
    for row in rows:
        rank, decision_, score = row["rank"], row["decision"], row["score"]
        assert isinstance(rank, Literal)
        assert isinstance(decision_, NamedNode)
        assert isinstance(score, Literal)
        found.append((int(rank.value), decision_.value, float(score.value)))
    return found


def test_parts_are_the_sections_with_a_text_with_what_their_reports_cite() -> None:
    parts = read_parts(store_of(agreement_triples(), decision_triples(DECISIONS), report_triples()))
    assert [part.iri for part in parts] == [WATER.value, SCHOOLS.value]
    assert parts[0].cited == {decision("A").value}
    assert parts[0].section.title == "Waterstof"
    assert parts[0].section.chapter == "Onderwijs en energie"
    assert parts[1].cited == frozenset()


def test_the_related_decisions_are_ranked_and_the_cited_ones_left_out() -> None:
    triples = suggestions(
        store_of(agreement_triples(), decision_triples(DECISIONS), report_triples())
    )
    water = suggested(triples, WATER)
    assert water[0][1] == decision("B").value  # A is more alike, but the report cites it
    assert decision("A").value not in {iri for _, iri, _ in water}
    assert [rank for rank, _, _ in water] == list(range(1, len(water) + 1))
    scores = [score for _, _, score in water]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores)
    schools = suggested(triples, SCHOOLS)
    assert {iri for _, iri, _ in schools[:2]} == {decision("C").value, decision("D").value}
    assert suggested(triples, HEADING_ONLY) == []


def test_a_suggestion_is_named_by_its_part_and_decision_and_says_how_it_was_made() -> None:
    triples = suggestions(
        store_of(agreement_triples(), decision_triples(DECISIONS), report_triples())
    )
    node = NamedNode(f"{BASE}/id/regeerakkoord/akkoord/suggestie/onderwijs/1.1/B")
    assert MINTER.suggestion(WATER, decision("B")) == node
    method = NamedNode(f"{BASE}/id/methode/suggesties/{SUGGESTED_EVIDENCE.version}")
    assert Triple(WATER, PG.suggestedEvidence, node) in triples
    assert Triple(node, RDF.type, PG.EvidenceSuggestion) in triples
    assert Triple(node, PG.method, method) in triples
    assert Triple(node, PROV.wasDerivedFrom, WATER) in triples
    assert Triple(method, RDF.type, PROV.Plan) in triples


def test_the_same_content_gives_the_same_suggestions() -> None:
    content = (agreement_triples(), decision_triples(DECISIONS), report_triples())
    reordered = tuple(list(reversed(part)) for part in reversed(content))
    assert suggestions(store_of(*content)) == suggestions(store_of(*reordered))


def test_at_most_the_chosen_number_of_suggestions_per_part() -> None:
    many = {f"W{i:02}": (f"Waterstof {i}", "Waterstof en waterstofprojecten.") for i in range(30)}
    triples = suggestions(store_of(agreement_triples(), decision_triples(many)))
    assert len(suggested(triples, WATER)) == SUGGESTIONS


def test_a_derived_graph_is_computed_from_content_without_its_own_former_graph() -> None:
    content = store_of(agreement_triples(), decision_triples(DECISIONS), report_triples())
    name = MINTER.graph("suggesties")
    (graph,) = [
        g
        for g in derive_graphs(content.quads_for_pattern(None, None, None), MINTER)
        if g.name == name
    ]
    stale = Quad(WATER, PG.suggestedEvidence, NamedNode(f"{BASE}/stale"), graph.name)
    again = derive_graphs([*content.quads_for_pattern(None, None, None), stale], MINTER)
    assert [g.triples for g in again if g.name == name] == [graph.triples]


# --- through publish: a build, then a harvest-like update that adds a decision -------------

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix pg: <https://data.policygraph.be/ns/policygraph#> .
pg:NoShape a sh:NodeShape ; sh:targetClass pg:Nothing .
"""


def source(tmp_path: Path, slug: str, triples: list[Triple]) -> SourceGraph:
    path = tmp_path / f"{slug}.txt"
    path.write_text(slug)
    document = SourceDocument(
        slug, slug, path, path.name, f"{BASE}/origin", "https://opensource.org/licenses/MIT",
        "text/plain",
    )  # fmt: skip
    return SourceGraph(MINTER.graph(slug), slug, document, tuple(triples))


def published_suggestions(store_dir: Path, part: NamedNode) -> list[tuple[int, str, float]]:
    store = LocalStore.open(store_dir)
    graph = MINTER.graph("suggesties")
    return suggested({quad.triple for quad in store.quads(graph)}, part)


def test_a_harvested_decision_is_ranked_too(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "s.ttl").write_text(SHAPES)
    settings = load_settings(
        env={},
        overrides={
            "store_dir": str(tmp_path / "store"),
            "shapes_dir": str(shapes),
            "base_iri": BASE,
        },
    )
    corpus = [
        source(tmp_path, "akkoord", agreement_triples()),
        source(tmp_path, "beslissingen", decision_triples(DECISIONS)),
        source(tmp_path, "beoordeling", report_triples()),
    ]
    first = publish(settings, corpus, {}, replace_all=True)
    assert "derive" in first.seconds
    before = published_suggestions(settings.store_dir, WATER)
    assert before[0][1] == decision("B").value

    harvested = {"H": ("Draaischijf voor waterstof", "Vlaanderen als draaischijf voor waterstof.")}
    second = publish(
        settings,
        [source(tmp_path, "themis", decision_triples(harvested))],
        {},
        replace_all=False,
    )
    assert second.version != first.version
    after = published_suggestions(settings.store_dir, WATER)
    assert after[0][1] == decision("H").value
    assert [iri for _, iri, _ in after[1:]] == [iri for _, iri, _ in before][: len(after) - 1]


# --- on the corpus ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_suggestions(corpus_store: LocalStore) -> dict[str, list[tuple[int, str]]]:
    rows = corpus_store.query(
        sparql_prologue()
        + """SELECT ?part ?rank ?decision WHERE {
               GRAPH ?g { ?part pg:suggestedEvidence ?s .
                          ?s pg:rank ?rank ; pg:suggestedDecision ?decision . } }"""
    )
    assert isinstance(rows, QuerySolutions)
    found: dict[str, list[tuple[int, str]]] = {}
    for row in rows:
        part, rank, decision_ = row["part"], row["rank"], row["decision"]
        assert isinstance(part, NamedNode)
        assert isinstance(rank, Literal)
        assert isinstance(decision_, NamedNode)
        found.setdefault(part.value, []).append((int(rank.value), decision_.value))
    return {part: sorted(ranked) for part, ranked in found.items()}


def test_every_part_with_a_text_has_its_suggestions(corpus_store, corpus_suggestions) -> None:
    rows = corpus_store.query(
        sparql_prologue() + "SELECT DISTINCT ?part WHERE { ?part pg:text ?text }"
    )
    assert isinstance(rows, QuerySolutions)
    with_text = {row["part"].value for row in rows}  # type: ignore[union-attr]
    assert len(with_text) == 224
    assert set(corpus_suggestions) == with_text
    for ranked in corpus_suggestions.values():
        assert [rank for rank, _ in ranked] == list(range(1, SUGGESTIONS + 1))
        assert len({iri for _, iri in ranked}) == SUGGESTIONS


def test_no_suggestion_is_cited_by_its_own_report(corpus_store, corpus_suggestions) -> None:
    rows = corpus_store.query(
        sparql_prologue()
        + "SELECT ?part ?decision WHERE { ?r pg:assesses ?part ; cito:citesAsEvidence ?decision }"
    )
    assert isinstance(rows, QuerySolutions)
    cited: dict[str, set[str]] = {}
    for row in rows:
        cited.setdefault(row["part"].value, set()).add(row["decision"].value)  # type: ignore[union-attr]
    assert len(cited) >= 190
    for part, ranked in corpus_suggestions.items():
        assert not cited.get(part, set()) & {iri for _, iri in ranked}, part


def test_the_graph_is_described_with_its_method(corpus_store) -> None:
    graph = NamedNode("https://data.policygraph.be/graph/suggesties")
    method = Minter("https://data.policygraph.be").thing(
        "methode", "suggesties", SUGGESTED_EVIDENCE.version
    )
    ask = (
        sparql_prologue()
        + """ASK { ?graph prov:wasDerivedFrom ?document .
                   ?document spdx:checksum ?checksum .
                   ?method a prov:Plan ; foaf:isPrimaryTopicOf ?document . }"""
    )
    assert corpus_store.query(
        ask, substitutions={Variable("graph"): graph, Variable("method"): method}
    )
