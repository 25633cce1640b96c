"""The evidence of a section, an organisation and the whole agreement, from the fixture graph."""

from __future__ import annotations

from datetime import date

import pytest
from ld_support import BASE, CHAPTER, DECISION, ORGANISATION, SECTION, fixture_store
from pyoxigraph import NamedNode

from policygraph.read.evidence import organisation_evidence, overview, part_evidence


@pytest.fixture(scope="module")
def store():
    return fixture_store()


def test_a_section_shows_its_text_assessment_and_claims(store):
    part = part_evidence(store, NamedNode(SECTION), "nl")
    assert part is not None
    assert part.number == "4.3.2"
    assert part.text == "FIT zet in op de promotie van Vlaanderen als innovatieve topregio."
    assert part.chapter is not None
    assert part.chapter.label == "Buitenlands beleid en toerisme"
    (report,) = part.reports
    assert report.summary.startswith("De regering heeft")
    assert [c.position for c in report.claims] == [1, 2]
    assert [c.part for c in report.claims] == ["summary", "conclusion"]
    assert [d.iri for d in report.claims[0].decisions] == [
        DECISION,
        f"{BASE}/id/beslissing/6000000000000000000000A1",
    ]
    assert [link.iri for link in part.named_by] == [ORGANISATION]


def test_the_timeline_is_in_date_order(store):
    part = part_evidence(store, NamedNode(SECTION))
    assert part is not None
    assert [d.date for d in part.timeline] == [
        date(2019, 10, 2),
        date(2020, 3, 13),
        date(2021, 5, 21),
    ]


def test_a_chapter_lists_its_parts(store):
    chapter = part_evidence(store, NamedNode(CHAPTER))
    assert chapter is not None
    assert [c.label for c in chapter.children] == ["4.3 Economische diplomatie", "4.4 Toerisme"]
    assert chapter.reports == ()


def test_a_decision_is_not_a_part(store):
    assert part_evidence(store, NamedNode(DECISION)) is None


def test_an_organisation_shows_sections_decisions_and_campaigns(store):
    organisation = organisation_evidence(store, NamedNode(ORGANISATION), "nl")
    assert organisation is not None
    assert organisation.label == "Flanders Investment & Trade"
    assert organisation.alt_labels == ("FIT",)
    assert [s.iri for s in organisation.sections] == [SECTION]
    assert len(organisation.cited_for_sections) == 3
    assert [c.iri for c in organisation.campaigns] == [
        f"{BASE}/id/campagne/fit-lifesciences-health-2021"
    ]


def test_decisions_linking_to_an_organisation_are_counted(store):
    composition = organisation_evidence(
        store, NamedNode(f"{BASE}/id/organisatie/vlaamse-regering-jambon"), "en", limit=2
    )
    assert composition is not None
    assert composition.label == "Jambon government"
    assert composition.linked_decisions_total == 4
    assert len(composition.linked_decisions) == 2


def test_the_overview_counts_coverage_and_months(store):
    figures = overview(store)
    by_chapter = {c.chapter.label: c for c in figures.coverage}
    foreign = by_chapter["Buitenlands beleid en toerisme"]
    assert (foreign.sections, foreign.assessed, foreign.with_evidence) == (3, 2, 1)
    assert (foreign.without_evidence, foreign.not_assessed) == (1, 1)
    assert by_chapter["Media"].sections == 0
    months = {m.month: (m.decisions, m.cited) for m in figures.months}
    assert months == {"2019-10": (1, 1), "2020-03": (1, 1), "2021-05": (2, 1)}
    assert figures.counts["decisions"] == 4
