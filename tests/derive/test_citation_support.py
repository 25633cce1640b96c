"""The support of citations, derived from small made-up graphs: each check, each level, the IRIs,
the summaries, and the same graph from the same content."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store, Triple

from policygraph.derive import derive_graphs
from policygraph.derive.citation_support import (
    AssessedCitation,
    assess_citations,
    assessment_iri,
)
from policygraph.derive.claim_terms import TermExtractor, decision_vocabulary, years_spoken_of
from policygraph.derive.decision_ranking import DecisionRanking, read_decisions
from policygraph.derive.support_levels import Checks, Thresholds, support_level
from policygraph.derive.support_summary import summary_iri
from policygraph.namespaces import CITO, DCT, PG, PGC, PROV, RDF, XSD, Minter, Vocabulary

BASE = "https://data.policygraph.be"
MINTER = Minter(BASE)
AGREEMENT = MINTER.within("2019-2024")
MANDAAT = Vocabulary("http://data.vlaanderen.be/ns/mandaat#")
CHAPTER = AGREEMENT.chapter("economie")
SECTION = AGREEMENT.section("economie", "2.1")
REPORT = AGREEMENT.report("economie", "2.1")
CLAIM_1 = AGREEMENT.claim("economie", "2.1", 1)
CLAIM_2 = AGREEMENT.claim("economie", "2.1", 2)
CLAIM_3 = AGREEMENT.claim("economie", "2.1", 3)
BREXIT = MINTER.decision("BREXIT")
CHILDCARE = MINTER.decision("KINDEROPVANG")
EXPORT = MINTER.decision("EXPORT")
OLD = MINTER.decision("OUD")
GRAPH = NamedNode("urn:test:content")
Assessed = dict[tuple[str, str], AssessedCitation]


def _nl(text: str) -> Literal:
    return Literal(text, language="nl")


def _date(day: str) -> Literal:
    return Literal(day, datatype=XSD.date)


def _decision(iri: NamedNode, title: str, text: str, day: str) -> list[Triple]:
    return [
        Triple(iri, RDF.type, PG.GovernmentDecision),
        Triple(iri, DCT.title, _nl(title)),
        Triple(iri, PROV.value, _nl(text)),
        Triple(iri, DCT.date, _date(day)),
    ]


def _claim(iri: NamedNode, text: str, *cites: NamedNode) -> list[Triple]:
    triples = [
        Triple(iri, RDF.type, PG.Claim),
        Triple(REPORT, PG.hasClaim, iri),
        Triple(iri, PG.claimText, _nl(text)),
    ]
    return triples + [Triple(iri, CITO.citesAsEvidence, decision) for decision in cites]


def content() -> list[Quad]:
    government = MINTER.organisation("vlaamse-regering-jambon")
    generation = AGREEMENT.generation("economie", "2.1")
    prompt = AGREEMENT.prompt("economie", "2.1")
    candidate = AGREEMENT.candidate("economie", "2.1", 0)
    triples = [
        Triple(AGREEMENT.iri, RDF.type, PG.CoalitionAgreement),
        Triple(AGREEMENT.iri, PG.decidedBy, government),
        Triple(government, MANDAAT.bindingStart, _date("2019-10-02")),
        Triple(government, MANDAAT.bindingEinde, _date("2024-09-30")),
        Triple(CHAPTER, RDF.type, PG.Chapter),
        Triple(CHAPTER, DCT.isPartOf, AGREEMENT.iri),
        Triple(SECTION, RDF.type, PG.Section),
        Triple(SECTION, PG.inChapter, CHAPTER),
        Triple(REPORT, RDF.type, PG.AssessmentReport),
        Triple(REPORT, PG.assesses, SECTION),
        Triple(REPORT, PROV.wasGeneratedBy, generation),
        Triple(generation, RDF.type, PG.AssessmentGeneration),
        Triple(generation, PROV.used, prompt),
        Triple(prompt, RDF.type, PG.ModelPrompt),
        Triple(prompt, PG.hasCandidate, candidate),
        Triple(candidate, PG.candidateDecision, BREXIT),
        *_decision(
            BREXIT,
            "Brexitsteun voor exporterende bedrijven",
            "De Vlaamse Regering keurt 12.500.000 euro brexitsteun goed, uitgevoerd door VLAIO, "
            "voor bedrijven die exporteren naar het Verenigd Koninkrijk.",
            "2021-03-05",
        ),
        *_decision(
            CHILDCARE,
            "Subsidie kinderopvang",
            "Een subsidie voor de kinderopvang van baby's en peuters.",
            "2021-05-07",
        ),
        *_decision(
            EXPORT,
            "Exportpromotie in Azië",
            "Steun voor handelsmissies van bedrijven naar Azië, ook na de brexit.",
            "2022-09-09",
        ),
        *_decision(OLD, "Brexitplan van 2018", "Een brexitplan voor bedrijven.", "2018-11-30"),
        *_claim(
            CLAIM_1,
            "Brexit: De regering trekt 12,5 miljoen euro uit voor brexitsteun aan bedrijven die "
            "exporteren, uitgevoerd door VLAIO in 2021 [0][1].",
            BREXIT,
            CHILDCARE,
        ),
        *_claim(
            CLAIM_2,
            "In 2021 kregen exporterende bedrijven brexitsteun voor het Verenigd Koninkrijk [2].",
            EXPORT,
        ),
        *_claim(CLAIM_3, "Een brexitplan voor bedrijven werd opgesteld [3].", OLD),
    ]
    for word in ("steun", "bedrijven", "regering", "decreet"):
        # Common words: many decisions use them, so that they are no names.
        extra = MINTER.decision(f"ANDER-{word}")
        triples += _decision(extra, f"Ander besluit {word}", f"Over {word}.", "2020-01-10")
    return [Quad(t.subject, t.predicate, t.object, GRAPH) for t in triples]


def _store(quads: list[Quad]) -> Store:
    store = Store()
    store.extend(quads)
    return store


@pytest.fixture(scope="module")
def assessed() -> Assessed:
    store = _store(content())
    found = assess_citations(store, DecisionRanking(read_decisions(store)))
    return {(a.citation.claim, a.citation.decision): a for a in found}


def test_every_citation_is_assessed_once(assessed: Assessed) -> None:
    assert sorted(assessed) == sorted(
        [
            (CLAIM_1.value, BREXIT.value),
            (CLAIM_1.value, CHILDCARE.value),
            (CLAIM_2.value, EXPORT.value),
            (CLAIM_3.value, OLD.value),
        ]
    )


def test_the_decision_the_claim_describes_is_supported(assessed: Assessed) -> None:
    one = assessed[(CLAIM_1.value, BREXIT.value)]
    assert one.level == "supported"
    assert one.checks.similarity == 1.0
    assert one.checks.among_candidates is True
    assert one.checks.inside_legislature is True
    assert one.checks.inside_claim_period is True
    assert set(one.checks.matched) == {"12,5 miljoen euro", "VLAIO"}
    assert one.checks.missing == ("2021",)  # its date says 2021, its text does not


def test_a_decision_sharing_no_word_is_unsupported(assessed: Assessed) -> None:
    one = assessed[(CLAIM_1.value, CHILDCARE.value)]
    assert one.level == "unsupported"
    assert one.checks.score == 0.0
    assert one.checks.among_candidates is False
    assert set(one.checks.missing) == {"12,5 miljoen euro", "VLAIO", "2021"}


def test_a_decision_outside_the_claims_years_is_weak(assessed: Assessed) -> None:
    one = assessed[(CLAIM_2.value, EXPORT.value)]
    assert one.checks.inside_claim_period is False
    assert one.checks.inside_legislature is True
    assert one.level == "weak"


def test_a_decision_before_the_legislature_is_weak(assessed: Assessed) -> None:
    one = assessed[(CLAIM_3.value, OLD.value)]
    assert one.checks.inside_legislature is False
    assert one.checks.inside_claim_period is None
    assert one.checks.similarity == 1.0
    assert one.level == "weak"


def test_levels_follow_the_thresholds() -> None:
    thresholds = Thresholds(unsupported_below=0.1, weak_below=0.5, terms_below=0.5)
    base = Checks(3.0, 0.8, True, True, None, ("A",), ())
    assert support_level(base, thresholds) == "supported"
    assert support_level(Checks(3.0, 0.3, True, True, None, (), ()), thresholds) == "weak"
    assert support_level(Checks(3.0, 0.05, True, True, None, (), ()), thresholds) == "unsupported"
    few_terms = Checks(3.0, 0.8, True, True, None, ("A",), ("B", "C"))
    assert support_level(few_terms, thresholds) == "weak"


def test_the_assessment_iri_extends_the_claims() -> None:
    iri = assessment_iri(MINTER, CLAIM_1.value, BREXIT.value)
    assert iri.value == f"{BASE}/id/regeerakkoord/2019-2024/citatiesteun/economie/2.1/1/BREXIT"
    with pytest.raises(ValueError, match="not a claim"):
        assessment_iri(MINTER, SECTION.value, BREXIT.value)


def _derived(quads: list[Quad]) -> frozenset[Triple]:
    graphs = {graph.name: graph for graph in derive_graphs(quads, MINTER)}
    graph = graphs[MINTER.graph("citatiesteun")]
    return frozenset(graph.triples)


def test_the_graph_links_claims_levels_and_method() -> None:
    triples = _derived(content())
    node = assessment_iri(MINTER, CLAIM_1.value, BREXIT.value)
    method = MINTER.thing("methode", "citatiesteun", "1")
    assert Triple(CLAIM_1, PG.citationAssessment, node) in triples
    assert Triple(node, PG.supportLevel, PGC["citation-supported"]) in triples
    assert Triple(node, PG.assessmentMethod, method) in triples
    assert Triple(method, RDF.type, PROV.Plan) in triples
    assert Triple(node, PG.amongCandidates, Literal("true", datatype=XSD.boolean)) in triples


def _value(triples: frozenset[Triple], subject: NamedNode, predicate: NamedNode) -> str:
    (value,) = [
        t.object.value
        for t in triples
        if t.subject == subject and t.predicate == predicate and not isinstance(t.object, Triple)
    ]
    return value


def test_summaries_count_per_report_chapter_and_agreement() -> None:
    triples = _derived(content())
    for subject in (REPORT, CHAPTER, AGREEMENT.iri):
        node = summary_iri(subject.value)
        assert _value(triples, node, PG.summarises) == subject.value
        assert _value(triples, node, PG.citationCount) == "4"
        assert _value(triples, node, PG.supportedCitationCount) == "1"
        assert _value(triples, node, PG.weakCitationCount) == "2"
        assert _value(triples, node, PG.unsupportedCitationCount) == "1"
        assert Decimal(_value(triples, node, PG.weakCitationShare)) == Decimal("0.5")
        assert Decimal(_value(triples, node, PG.unsupportedCitationShare)) == Decimal("0.25")


def test_the_same_content_gives_the_same_graph() -> None:
    quads = content()
    shuffled = list(quads)
    random.Random(7).shuffle(shuffled)
    assert _derived(quads) == _derived(shuffled)


# --- the specific terms of a claim ------------------------------------------------------------


def test_amounts_are_compared_by_value() -> None:
    extractor = TermExtractor([])
    terms = extractor.terms("Er gaat € 2,5 miljoen en 30% meer naar 1.200 euro per gezin.")
    assert [(t.kind, t.key) for t in terms] == [
        ("amount", "2500000"),
        ("amount", "30%"),
        ("amount", "1200"),
    ]
    named = decision_vocabulary("Een budget van 2.500.000 euro, 30 procent en 1200 EUR.")
    assert all(named.names(t) for t in terms)


def test_acronyms_names_and_years() -> None:
    extractor = TermExtractor([frozenset({"vlaamse"})])
    terms = extractor.terms(
        "Impact: De Vlaamse steun van VDAB en COVID-19 in Limburg, fase II, 2021."
    )
    assert {(t.kind, t.text) for t in terms} == {
        ("acronym", "VDAB"),
        ("acronym", "COVID-19"),
        ("name", "Limburg"),
        ("year", "2021"),
    }


def test_a_themed_lead_gives_no_names() -> None:
    extractor = TermExtractor([])
    assert extractor.terms("Sociale Leningen: de overdracht.", "Sociale Leningen") == ()


def test_years_outside_the_legislature_are_no_period() -> None:
    assert years_spoken_of("In 2020 en 2022, met het oog op 2030.", 2019, 2024) == (2020, 2022)
    assert years_spoken_of("Tegen 2030 [3].", 2019, 2024) is None
