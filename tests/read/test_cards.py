"""The summary cards of a decision, a campaign, an organisation and a chapter, on the fixture."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from ld_support import (
    BASE,
    CAMPAIGN,
    CHAPTER,
    CLAIM,
    COMPOSITION,
    DECISION,
    ORGANISATION,
    REPORT,
    SECTION,
    fixture_store,
)
from pyoxigraph import NamedNode

from policygraph.read.cards import (
    campaign_card,
    chapter_card,
    claim_card,
    decision_card,
    organisation_card,
    reference_card,
    report_card,
)
from policygraph.read.cards.decision import excerpt
from policygraph.read.evidence import part_evidence

UNCITED = f"{BASE}/id/beslissing/6200000000000000000000C3"


@pytest.fixture(scope="module")
def store():
    return fixture_store()


def test_a_decision_card_says_what_the_decision_is(store):
    card = decision_card(store, NamedNode(DECISION), "nl")
    assert card is not None
    assert card.title == "Oprichting van FIT-kantoren in Azië"
    assert card.date == date(2019, 10, 2)
    assert card.kind is not None
    assert card.kind.iri == "https://data.policygraph.be/ns/concept/nota"
    assert card.kind.label == "nota"
    assert card.text == "De Vlaamse Regering richt FIT-kantoren op in Azië."
    assert card.urls == (
        "https://beslissingenvlaamseregering.vlaanderen.be/?search=Oprichting%20van%20FIT-kantoren",
    )


def test_the_kind_is_named_in_the_readers_language(store):
    card = decision_card(store, NamedNode(DECISION), "en")
    assert card is not None
    assert card.kind is not None
    assert card.kind.label == "note"


def test_a_decision_card_names_the_claims_that_cite_it_and_where(store):
    card = decision_card(store, NamedNode(DECISION), "nl")
    assert card is not None
    (citation,) = card.citations
    assert citation.report.iri == REPORT
    assert citation.part.iri == SECTION
    assert citation.number == "4.3.2"
    assert citation.part.label == "FIT promoot Vlaanderen wereldwijd als innovatieve topregio"
    assert citation.chapter is not None
    assert citation.chapter.label == "Buitenlands beleid en toerisme"
    (claim,) = citation.claims
    assert claim.iri == CLAIM
    assert claim.position == 1
    assert claim.excerpt == "FIT opende nieuwe kantoren [1] en volgde de Brexit op [2]."
    assert card.claims_total == 1


def test_an_uncited_decision_has_no_citations(store):
    card = decision_card(store, NamedNode(UNCITED), "nl")
    assert card is not None
    assert card.citations == ()


def test_only_a_decision_has_a_decision_card(store):
    assert decision_card(store, NamedNode(SECTION), "nl") is None


def test_a_long_claim_is_cut_at_a_word():
    words = "een " * 200
    cut = excerpt(words, limit=50)
    assert cut.endswith(" …")
    assert len(cut) <= 52
    assert cut.removesuffix(" …").split(" ") == ["een"] * 12
    assert excerpt("kort  en\nbondig") == "kort en bondig"


def test_a_campaign_card_gives_money_places_and_reasons_in_words(store):
    card = campaign_card(store, NamedNode(CAMPAIGN), "en")
    assert card is not None
    assert card.label == "FIT's life sciences & health image campaign (2021)"
    assert card.budget is not None
    assert card.budget.amount == Decimal(610000)
    assert card.budget.currency == "EUR"
    assert card.end == date(2021, 7, 5)
    assert card.start is None
    assert [c.label for c in card.countries] == ["United States"]
    assert card.websites == ("http://www.flanders360.com",)
    assert [o.iri for o in card.organisers] == [ORGANISATION]
    assert card.audiences == ("investors in the United States",)
    assert card.rationales == ("New trade rules create opportunities.",)


def test_a_campaign_card_speaks_dutch_too(store):
    card = campaign_card(store, NamedNode(CAMPAIGN), "nl")
    assert card is not None
    assert [c.label for c in card.countries] == ["Verenigde Staten"]
    assert card.rationales == ("Nieuwe handelsregels creëren opportuniteiten.",)


def test_only_a_campaign_has_a_campaign_card(store):
    assert campaign_card(store, NamedNode(ORGANISATION), "nl") is None


def test_an_organisation_card_says_what_it_is(store):
    card = organisation_card(store, NamedNode(ORGANISATION), "nl")
    assert card is not None
    assert card.label == "Flanders Investment & Trade"
    assert card.alt_labels == ("FIT",)
    assert [k.iri for k in card.kinds] == ["https://data.policygraph.be/ns/policygraph#Agency"]
    assert all(k.label != k.iri for k in card.kinds)


def test_an_organisation_card_shows_no_mention_pattern(store):
    card = organisation_card(store, NamedNode(ORGANISATION), "nl")
    assert card is not None
    assert "FIT\\b" not in repr(card)


def test_a_card_needs_a_preferred_label(store):
    assert organisation_card(store, NamedNode(COMPOSITION), "en") is not None
    assert organisation_card(store, NamedNode(DECISION), "en") is None


def test_a_chapter_card_counts_coverage_as_the_home_page_does(store):
    card = chapter_card(store, NamedNode(CHAPTER), "nl")
    assert card is not None
    coverage = card.coverage
    assert (coverage.sections, coverage.assessed, coverage.with_evidence) == (3, 2, 1)
    assert (coverage.without_evidence, coverage.not_assessed) == (1, 1)


def test_a_chapter_card_lists_its_parts_in_order(store):
    card = chapter_card(store, NamedNode(CHAPTER), "nl")
    assert card is not None
    assert [p.number for p in card.parts] == ["4.3", "4.3.2", "4.3.3", "4.4"]
    by_number = {p.number: p for p in card.parts}
    assert by_number["4.3.2"].assessed
    assert by_number["4.3.2"].cited == 3
    assert by_number["4.3.3"].assessed
    assert by_number["4.3.3"].cited == 0
    assert not by_number["4.4"].assessed
    assert by_number["4.4"].to_assess
    assert not by_number["4.3"].to_assess


def test_a_chapter_card_lists_the_decisions_cited_by_date(store):
    card = chapter_card(store, NamedNode(CHAPTER), "nl")
    assert card is not None
    assert [d.date for d in card.decisions] == [
        date(2019, 10, 2),
        date(2020, 3, 13),
        date(2021, 5, 21),
    ]
    assert card.decisions[0].kind == "nota"


def test_only_a_chapter_has_a_chapter_card(store):
    assert chapter_card(store, NamedNode(SECTION), "nl") is None


def test_a_report_lists_its_numbered_references(store):
    part = part_evidence(store, NamedNode(SECTION), "nl")
    assert part is not None
    (report,) = part.reports
    assert [r.number for r in report.references] == [1, 2, 3]
    assert report.reference_numbers == frozenset({1, 2, 3})
    first = report.references[0]
    assert (
        first.iri
        == f"{BASE}/id/regeerakkoord/2019-2024/referentie/buitenlands-beleid-en-toerisme/4.3.2/1"
    )
    assert first.decision is not None
    assert first.decision.iri == DECISION
    assert first.decision.title == "Oprichting van FIT-kantoren in Azië"


def test_a_claim_card_places_the_claim_and_lists_what_it_cites(store):
    card = claim_card(store, NamedNode(CLAIM), "nl")
    assert card is not None
    assert card.position == 1
    assert card.theme == "Kantoren"
    assert card.text == "FIT opende nieuwe kantoren [1] en volgde de Brexit op [2]."
    assert card.references == frozenset({1, 2, 3})
    assert [d.iri for d in card.decisions] == [
        DECISION,
        f"{BASE}/id/beslissing/6000000000000000000000A1",
    ]
    assert card.placement is not None
    assert card.placement.part.iri == SECTION
    assert card.placement.number == "4.3.2"
    assert card.heading == "4.3.2 FIT promoot Vlaanderen wereldwijd als innovatieve topregio · 1"


def test_a_reference_card_names_its_decision_and_the_claims_citing_it(store):
    reference = (
        f"{BASE}/id/regeerakkoord/2019-2024/referentie/buitenlands-beleid-en-toerisme/4.3.2/3"
    )
    card = reference_card(store, NamedNode(reference), "nl")
    assert card is not None
    assert card.number == 3
    assert card.decision is not None
    assert card.decision.title == "Imagocampagne lifesciences"
    claim = f"{BASE}/id/regeerakkoord/2019-2024/bewering/buitenlands-beleid-en-toerisme/4.3.2/2"
    assert [c.iri for c in card.citing_claims] == [claim]
    assert card.citing_claims[0].label.startswith("De campagne van 2021")
    assert card.heading == "[3] Imagocampagne lifesciences"


def test_a_report_card_leads_to_the_section_that_shows_it(store):
    card = report_card(store, NamedNode(REPORT), "nl")
    assert card is not None
    assert card.placement.part.iri == SECTION
    assert card.placement.chapter is not None
    assert card.placement.chapter.iri == CHAPTER
    assert claim_card(store, NamedNode(REPORT), "nl") is None
    assert reference_card(store, NamedNode(CLAIM), "nl") is None
    assert report_card(store, NamedNode(DECISION), "nl") is None
