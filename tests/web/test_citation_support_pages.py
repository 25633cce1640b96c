"""On the built corpus: a badge of support beside every cited decision of a section page and a
claim page, in words with its checks in the title, and the chart per chapter on the home page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from interfaces import app_on

from policygraph.query import source_for
from policygraph.store.local import LocalStore

SECTION = "/id/regeerakkoord/2019-2024/sectie/buitenlands-beleid-en-toerisme/4.3.2"
CLAIM = "/id/regeerakkoord/2019-2024/bewering/buitenlands-beleid-en-toerisme/4.3.2/3"
BADGE = re.compile(r'<span class="support support-(\w+)" title="([^"]*)">')

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def support_app(built, corpus_store: LocalStore) -> Iterator[Flask]:
    settings, _ = built
    with app_on(settings.replace(max_concurrent_queries=1), source_for(corpus_store)) as app:
        yield app.pages


def _page(app: Flask, path: str, language: str = "nl") -> str:
    response = app.test_client().get(
        path, headers={"Accept": "text/html", "Accept-Language": language}
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_every_cited_decision_of_a_section_has_a_badge(support_app: Flask) -> None:
    page = _page(support_app, SECTION)
    cited = page.split('<ol class="claims">', 1)[1].split("</ol>", 1)[0]
    items = re.findall(r"<ul class=\"cited\">(.*?)</ul>", cited, re.S)
    decisions = sum(item.count("<li>") for item in items)
    badges = BADGE.findall(cited)
    assert decisions > 0
    assert len(badges) == decisions
    for level, title in badges:
        assert level in {"supported", "weak", "unsupported"}
        assert title.startswith("Steun van deze citatie (automatisch gemeten): gelijkenis ")
        assert "kandidaten van het model" in title
    # The level is said in words, not by colour alone.
    assert re.search(
        r'support-supported" title="[^"]*"><span aria-hidden="true">✓</span> gesteund', cited
    )


def test_a_claim_page_shows_its_badges_in_english(support_app: Flask) -> None:
    page = _page(support_app, CLAIM, "en")
    badges = BADGE.findall(page)
    assert badges
    for _, title in badges:
        assert title.startswith("Support of this citation (measured automatically): similarity ")
        assert "specific terms" in title


def test_the_home_page_charts_weak_and_unsupported_citations_per_chapter(
    support_app: Flask,
) -> None:
    page = _page(support_app, "/", "en")
    section = page.split('id="citation-support"', 1)[1].split("</section>", 1)[0]
    assert "Weak and unsupported citations per chapter" in section
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in section
    assert 'role="img"' in section
    assert section.count('class="s-unsupported"') >= 10
    rows = re.findall(r"<tr><td><a href=", section)
    assert len(rows) >= 10
