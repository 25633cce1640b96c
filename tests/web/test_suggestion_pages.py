"""Machine suggestions on the pages of the built corpus: a section lists the decisions its
assessment did not cite that look related; a decision lists the sections it is cited for and,
apart, those it is suggested for."""

from __future__ import annotations

import re
from html import unescape

import pytest
from interfaces import page_html
from pyoxigraph import QuerySolutions

from policygraph.namespaces import sparql_prologue
from policygraph.store.local import LocalStore

BASE = "https://data.policygraph.be"
SECTION = "/id/regeerakkoord/2019-2024/sectie/buitenlands-beleid-en-toerisme/4.3.2"

pytestmark = pytest.mark.slow


def block(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    return page[start : page.index("</section>", start)]


def test_the_section_page_lists_the_suggestions_as_machine_suggestions(corpus_app) -> None:
    page = page_html(corpus_app, SECTION, "en")
    suggestions = block(page, "suggestions")
    assert "Decisions the assessment did not cite that look related (20)" in suggestions
    assert "Machine suggestions, not a judgement" in suggestions
    ranks = re.findall(r'<td class="rank">(\d+)</td>', suggestions)
    assert ranks == [str(n) for n in range(1, 21)]
    scores = [float(s) for s in re.findall(r'<td class="score">([0-9.]+)</td>', suggestions)]
    assert scores == sorted(scores, reverse=True)
    assert "/id/methode/suggesties/" in suggestions
    suggested = set(re.findall(r'data-decision="([^"]+)"', suggestions))
    assert len(suggested) == 20
    # None of them is a decision the report on the same page cites (its reference list; the
    # candidates the model was shown without citing them may well be suggested).
    references = page[page.index('<ol class="references">') :]
    references = references[: references.index("</ol>")]
    cited = set(re.findall(r'href="[^"]*?(/id/beslissing/[^"#]+)"', references))
    assert cited
    assert not {iri.removeprefix(BASE) for iri in suggested} & cited


def test_the_section_page_says_it_in_dutch_too(corpus_app) -> None:
    suggestions = block(page_html(corpus_app, SECTION, "nl"), "suggestions")
    assert "Beslissingen die de beoordeling niet citeert en die verwant lijken (20)" in suggestions
    assert "Machinevoorstellen" in suggestions


def test_a_decision_page_marks_apart_where_it_is_cited_and_where_suggested(
    corpus_app, corpus_store: LocalStore
) -> None:
    rows = corpus_store.query(
        sparql_prologue()
        + """SELECT ?decision (COUNT(DISTINCT ?part) AS ?parts) WHERE {
               ?part pg:suggestedEvidence/pg:suggestedDecision ?decision .
               ?report cito:citesAsEvidence ?decision .
             } GROUP BY ?decision ORDER BY DESC(?parts) ?decision LIMIT 1"""
    )
    assert isinstance(rows, QuerySolutions)
    (row,) = list(rows)
    decision = row["decision"].value  # type: ignore[union-attr]
    page = page_html(corpus_app, decision.removeprefix(BASE), "en")
    suggested_for = block(page, "suggested-for")
    assert "Suggested (by a machine) for sections" in suggested_for
    assert "These are not citations." in suggested_for
    parts = re.findall(r'data-part="([^"]+)"', suggested_for)
    assert len(parts) == int(row["parts"].value)  # type: ignore[union-attr]
    cited = re.findall(r'data-report="([^"]+)"', block(page, "summary"))
    assert cited
    # A part is listed as suggested only where no report of it cites the decision.
    cited_parts = {
        unescape(p)
        for p in re.findall(r'class="part" href="[^"]*?(/id/[^"]+)"', block(page, "summary"))
    }
    assert not {p.removeprefix(BASE) for p in parts} & cited_parts
