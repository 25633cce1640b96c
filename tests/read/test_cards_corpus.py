"""The summary cards on the built corpus, where the values matter: the FIT campaign's money and
countries, a much-cited decision's citations, the chapters' coverage as the home page counts it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pyoxigraph import NamedNode

from policygraph.read.cards import (
    campaign_card,
    chapter_card,
    decision_card,
    organisation_card,
)
from policygraph.read.evidence import overview
from policygraph.store.local import LocalStore

pytestmark = pytest.mark.slow

BASE = "https://data.policygraph.be"
CAMPAIGN = f"{BASE}/id/campagne/fit-lifesciences-health-2021"
# Cited by 26 claims of 19 assessments: the most cited decision of the corpus.
DECISION = f"{BASE}/id/beslissing/60ED3EBE364ED9000800134B"


def test_the_fit_campaign_card(corpus_store: LocalStore):
    card = campaign_card(corpus_store, NamedNode(CAMPAIGN), "nl")
    assert card is not None
    assert card.budget is not None
    assert (card.budget.amount, card.budget.currency) == (Decimal(610000), "EUR")
    assert [c.label for c in card.countries] == [
        "Canada",
        "Duitsland",
        "Frankrijk",
        "Japan",
        "Nederland",
        "Verenigd Koninkrijk",
        "Verenigde Staten",
    ]
    assert card.websites == ("http://www.flanders360.com", "http://www.teamvesalius.com")
    assert [o.label for o in card.organisers] == ["Flanders Investment & Trade"]
    assert [p.label for p in card.partners] == ["B.U.T.", "Bridgeneers"]
    assert [s.label for s in card.strategies] == ["Vlaanderen Versnelt"]
    assert card.status is not None
    assert card.status.label == "lopend"
    assert card.launch is not None
    assert card.launch.day_of_week == "Tuesday"
    assert card.launch.time_of_day == "avond"
    assert [p.label for p in card.launch.places] == ["Leuven"]
    assert [p.label for p in card.launch.launched_by] == ["Jan Jambon"]
    assert len(card.sisters) == 4
    assert all("Geplande campagne van FIT" in s.label for s in card.sisters)
    assert len(card.rationales) == 6
    assert len(card.audiences) == 3
    assert len(card.objectives) == 3


def test_a_planned_campaign_says_what_it_is_planned_like(corpus_store: LocalStore):
    card = campaign_card(corpus_store, NamedNode(f"{BASE}/id/campagne/fit-food-gepland"), "en")
    assert card is not None
    assert [c.iri for c in card.like] == [CAMPAIGN]
    assert card.status is not None
    assert card.status.label == "planned"


def test_a_much_cited_decision_names_its_citing_claims(corpus_store: LocalStore):
    card = decision_card(corpus_store, NamedNode(DECISION), "nl")
    assert card is not None
    assert len(card.citations) == 19
    assert card.claims_total == 26
    assert card.kind is not None
    assert card.kind.label == "nota"
    assert card.urls
    assert card.urls[0].startswith("https://beslissingenvlaamseregering.vlaanderen.be/")
    first = card.citations[0]
    assert first.chapter is not None
    assert (first.chapter.label, first.number) == ("Armoedebestrijding", "2.2.2")
    assert first.part.label == "De regiefunctie van de lokale besturen"
    assert [c.position for c in first.claims] == [2]
    assert first.claims[0].excerpt.startswith("Via het plan 'Vlaamse Veerkracht'")
    numbers = [c.number for c in card.citations if c.chapter and c.chapter.label == "Brussel"]
    assert numbers == ["5.1", "5.2", "5.3", "5.4", "5.6", "5.9"]


def test_every_chapter_card_counts_coverage_as_the_home_page(corpus_store: LocalStore):
    home = overview(corpus_store, "nl").coverage
    assert len(home) == 26
    for row in home:
        card = chapter_card(corpus_store, NamedNode(row.chapter.iri), "nl")
        assert card is not None
        assert card.coverage == row, row.chapter.label
        counted = [p for p in card.parts if p.to_assess]
        assert len(counted) == row.sections
        assert sum(p.cited > 0 for p in counted if p.assessed) == row.with_evidence


def test_organisation_cards_place_each_among_the_others(corpus_store: LocalStore):
    fit = organisation_card(corpus_store, NamedNode(f"{BASE}/id/organisatie/fit"), "nl")
    assert fit is not None
    assert fit.description == "het Vlaams agentschap voor internationaal ondernemen"
    assert [(r.person.label, r.role.label if r.role else None) for r in fit.people] == [
        ("Claire Tillekaerts", "CEO")
    ]
    site = organisation_card(corpus_store, NamedNode(f"{BASE}/id/organisatie/pfizer-puurs"), "nl")
    assert site is not None
    assert [p.label for p in site.parents] == ["Pfizer"]
    pfizer = organisation_card(corpus_store, NamedNode(f"{BASE}/id/organisatie/pfizer"), "nl")
    assert pfizer is not None
    assert pfizer.wikidata == ("http://www.wikidata.org/entity/Q206921",)
    assert [c.label for c in pfizer.children] == ["Pfizer-site in Puurs"]
    government = organisation_card(
        corpus_store, NamedNode(f"{BASE}/id/organisatie/vlaamse-regering"), "en"
    )
    assert government is not None
    assert [c.label for c in government.children] == ["Jambon government"]
    assert government.same_as
    assert government.same_as[0].startswith("http://themis.vlaanderen.be/")
