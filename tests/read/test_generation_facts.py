"""The generation read model on the built corpus, and its partial template rendered in both
languages: what a page says about how an assessment was written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyoxigraph import NamedNode, QuerySolutions, Variable

from policygraph.read.generation import (
    GenerationFacts,
    RenumberingCheck,
    ShownCandidate,
    generation_of,
)
from policygraph.sources.generation.parse import read_generation
from policygraph.store.local import LocalStore
from policygraph.web.i18n import words

PROJECT = Path(__file__).resolve().parents[2]
TEMPLATES = PROJECT / "src" / "policygraph" / "web" / "templates"
FOLDER = (
    PROJECT
    / "data/corpus/generation"
    / "4_—_Buitenlands_beleid_en_toerisme_-_4.3_Een_doorgedreven_internationalisering_van_de_"
    "Vlaamse_economie_-_4.3.2_FIT_promoot_Vlaanderen_wereldwijd_als_innovatieve_topregio"
)
AGREEMENT = "https://data.policygraph.be/id/regeerakkoord/2019-2024"
REPORT = f"{AGREEMENT}/beoordeling/buitenlands-beleid-en-toerisme/4.3.2"
SECTION = f"{AGREEMENT}/sectie/buitenlands-beleid-en-toerisme/4.3.2"


@pytest.fixture(scope="module")
def facts(corpus_store: LocalStore) -> GenerationFacts:
    found = generation_of(corpus_store, REPORT)
    assert found is not None
    return found


def test_the_report_was_written_by_the_language_model_in_january_2024(facts) -> None:
    assert facts.generation == f"{AGREEMENT}/generatie/buitenlands-beleid-en-toerisme/4.3.2"
    assert facts.report == REPORT
    assert facts.model == "gpt-4-1106-preview"
    assert facts.embedding_model == "text-embedding-ada-002"
    assert facts.when == "2024-01"


def test_it_shows_what_the_model_was_shown_and_what_it_cited(facts) -> None:
    raw = read_generation(FOLDER)
    assert facts.shown == raw.parameters.candidates_in_prompt == len(facts.candidates)
    assert [c.index for c in facts.candidates] == list(range(facts.shown))
    assert [c.text for c in facts.candidates] == [c.text for c in raw.exchange.candidates]
    cited = {i for i in raw.exchange.cited if i < facts.shown}
    assert {c.index for c in facts.candidates if c.cited} == cited
    assert facts.cited == len(cited)
    assert 0 < facts.cited < facts.shown


def test_each_reference_of_the_report_has_its_check(facts, corpus_store: LocalStore) -> None:
    result = corpus_store.query(
        "SELECT ?report ?number WHERE { ?report "
        "<https://data.policygraph.be/ns/policygraph#hasReference>/"
        "<https://data.policygraph.be/ns/policygraph#referenceNumber> ?number }",
        substitutions={Variable("report"): NamedNode(REPORT)},
    )
    assert isinstance(result, QuerySolutions)
    numbers = sorted(int(row["number"].value) for row in result)
    assert [c.reference for c in facts.checks] == numbers
    assert sum(facts.outcomes.values()) == len(numbers)
    assert set(facts.outcomes) == {
        "renumbering-agrees",
        "renumbering-disagrees",
        "renumbering-cannot-tell",
    }


def test_the_section_and_the_generation_lead_to_the_same_facts(facts, corpus_store) -> None:
    assert generation_of(corpus_store, SECTION) == facts
    assert generation_of(corpus_store, facts.generation) == facts


def test_a_section_without_report_has_a_generation_and_no_checks(corpus_store) -> None:
    result = corpus_store.query(
        """PREFIX pg: <https://data.policygraph.be/ns/policygraph#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?section WHERE {
          ?generation a pg:AssessmentGeneration ; prov:used ?section .
          ?section a pg:Section .
          FILTER NOT EXISTS { ?report a pg:AssessmentReport ; prov:wasGeneratedBy ?generation }
        } ORDER BY ?section LIMIT 1"""
    )
    assert isinstance(result, QuerySolutions)
    (row,) = list(result)
    unreported = generation_of(corpus_store, row["section"].value)
    assert unreported is not None
    assert unreported.report is None
    assert unreported.checks == ()
    assert unreported.shown == len(unreported.candidates) > 0


def test_an_iri_without_generation_gives_none(corpus_store) -> None:
    assert generation_of(corpus_store, "https://data.policygraph.be/id/organisatie/fit") is None


# --- The partial template -------------------------------------------------------------------


def render(value: GenerationFacts, lang: str) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
    env.globals.update(words=words, ld_url=lambda iri: "/page?iri=" + iri)
    template = env.from_string(
        '{% from "ld/generation.html" import generation %}{{ generation(g, lang) }}'
    )
    return template.render(g=value, lang=lang)


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_the_page_says_plainly_who_wrote_it_and_what_it_was_shown(facts) -> None:
    english = plain(render(facts, "en"))
    assert (
        f"Written by a language model (gpt-4-1106-preview), January 2024. It was shown "
        f"{facts.shown} decisions, retrieved by similarity with text-embedding-ada-002, and "
        f"cited {facts.cited}."
    ) in english
    dutch = plain(render(facts, "nl"))
    assert (
        f"Geschreven door een taalmodel (gpt-4-1106-preview), januari 2024. Het kreeg "
        f"{facts.shown} beslissingen te zien, gekozen op gelijkenis met text-embedding-ada-002, "
        f"en citeerde er {facts.cited}."
    ) in dutch
    counts = facts.outcomes
    assert (
        f"{counts['renumbering-agrees']} agree, {counts['renumbering-disagrees']} disagree, "
        f"{counts['renumbering-cannot-tell']} cannot be told"
    ) in english


def test_every_candidate_is_listed_with_a_link_to_its_decision(facts) -> None:
    html = render(facts, "en")
    assert html.count("<li ") == facts.shown
    for candidate in facts.candidates:
        for decision in candidate.decisions:
            assert f'href="/page?iri={decision}"' in html
    assert html.count('class="cited"') == facts.cited


def test_what_the_sources_say_is_escaped() -> None:
    hostile = GenerationFacts(
        generation="https://data.policygraph.be/id/x",
        report=None,
        model="<b>model</b>",
        embedding_model=None,
        when="2024-01",
        shown=1,
        candidates=(ShownCandidate(0, "<script>alert(1)</script>", (), None, True),),
        checks=(RenumberingCheck(0, "renumbering-disagrees", "<i>note</i>", 0),),
    )
    html = render(hostile, "en")
    assert "<script>" not in html
    assert "<b>model" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "The language model &lt;b&gt;model&lt;/b&gt; was shown 1 decisions here in January" in (
        html
    )
