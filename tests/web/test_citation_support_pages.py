"""On the built corpus: a badge of support beside every cited decision of a section page and a
claim page, in words with its checks in the title, and the chart per chapter on the home page."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from interfaces import page_html

SECTION = "/id/regeerakkoord/2019-2024/sectie/buitenlands-beleid-en-toerisme/4.3.2"
CLAIM = "/id/regeerakkoord/2019-2024/bewering/buitenlands-beleid-en-toerisme/4.3.2/3"
BADGE = re.compile(r'<span class="support support-(\w+)" title="([^"]*)">')

pytestmark = pytest.mark.slow


def test_every_cited_decision_of_a_section_has_a_badge(corpus_app: Flask) -> None:
    page = page_html(corpus_app, SECTION)
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


def test_a_claim_page_shows_its_badges_in_english(corpus_app: Flask) -> None:
    page = page_html(corpus_app, CLAIM, "en")
    badges = BADGE.findall(page)
    assert badges
    for _, title in badges:
        assert title.startswith("Support of this citation (measured automatically): similarity ")
        assert "specific terms" in title


def test_the_home_page_charts_weak_and_unsupported_citations_per_chapter(
    corpus_app: Flask,
) -> None:
    page = page_html(corpus_app, "/", "en")
    section = page.split('id="citation-support"', 1)[1].split("</section>", 1)[0]
    assert "Weak and unsupported citations per chapter" in section
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in section
    assert 'role="img"' in section
    assert section.count('class="s-unsupported"') >= 10
    rows = re.findall(r"<tr><td><a href=", section)
    assert len(rows) >= 10
