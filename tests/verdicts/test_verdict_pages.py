"""A section's verdicts and their history on its page, the form, the home chart, the codebook;
on the annotated corpus served on loopback, and in headless Chromium at both widths."""

from __future__ import annotations

import re
from html import unescape

import httpx
import pytest
from browser_support import BROWSER_MARKS, WIDTHS, chromium, overflow, shot
from flask import Flask, render_template_string
from verdict_data import BASE, SECTION, Story

from policygraph.read.verdict_table import COLUMNS
from policygraph.read.verdicts import Verdict
from policygraph.web.i18n import words

pytestmark = pytest.mark.slow

SECTION_PATH = SECTION.value.removeprefix(BASE)
VERDICTS = ("kept", "partly-kept", "in-progress", "stalled", "broken", "not-rateable")


def html(server: str, path: str) -> str:
    response = httpx.get(server + path, headers={"Accept": "text/html"}, timeout=60)
    assert response.status_code == 200, path
    return response.text


def block(page: str, css_class: str, tag: str = "section") -> str:
    match = re.search(rf'<{tag} class="{css_class}"[^>]*>(.*?)</{tag}>', page, re.S)
    assert match, css_class
    return match.group(1)


def between(page: str, start: str, end: str) -> str:
    assert start in page
    return page.split(start, 1)[1].split(end, 1)[0]


def test_the_section_page_shows_each_researchers_current_verdict(story: Story, story_server):
    page = html(story_server, SECTION_PATH + "?lang=en")
    current = between(page, '<ul class="current-verdicts">', '<details class="verdict-history"')
    items = re.findall(
        r'<li class="current-verdict" data-annotation="([^"]+)" '
        r'data-graph="([^"]+)">(.*?)</li>\n',
        current,
        re.S,
    )
    assert [(a.rsplit("/", 2)[-2], g.rsplit("/", 1)[-1]) for a, g, _ in items] == [
        ("ann", "ann"),
        ("bert", "bert"),
    ]
    ann, bert = (unescape(text) for _, _, text in items)
    assert "partly kept" in ann
    assert "2025-02-01 08:00" in ann
    assert "Deels uitgevoerd, zie de beslissingen." in ann
    assert all(f"/id/beslissing/{d.value.rsplit('/', 1)[-1]}" in ann for d in story.decisions[:2])
    assert "stalled" in bert
    assert "2025-01-11 10:00" in bert
    assert "in progress" not in current  # ann's first verdict was retracted


def test_the_history_lists_every_annotation_newest_first(story_server):
    page = html(story_server, SECTION_PATH + "?lang=en")
    history = block(page, "history", "ol")
    entries = re.findall(r'<li class="([a-z ]+)" data-annotation="[^"]+/([a-z]+)/(\w+)">', history)
    assert entries == [
        ("editing", "bert", "01JF0000000000000000000004"),
        ("assessing", "ann", "01JF0000000000000000000003"),
        ("assessing", "bert", "01JF0000000000000000000002"),
        ("assessing retracted", "ann", "01JF0000000000000000000001"),
    ]
    assert "retracted on" in history
    assert "should have cited:" in history


def test_the_form_is_there_only_for_a_signed_in_annotator():
    # The pages' own templates, rendered as the sign-in will call the macro.
    pages = Flask("policygraph.web")
    pages.jinja_env.globals.update(words=words, ld_url=lambda iri: iri)
    scale = [Verdict(f"{BASE}/ns/concept/{n}", n, n.replace("-", " "), "") for n in VERDICTS]
    template = (
        '{% from "ld/verdicts.html" import verdict_form %}'
        "{{ verdict_form(target, scale, account, token, '/here', 'en') }}"
    )
    with pages.test_request_context():
        anonymous = render_template_string(
            template, target=SECTION.value, scale=scale, account=None, token=None
        )
        signed_in = render_template_string(
            template, target=SECTION.value, scale=scale, account="ann", token='t"<1>'
        )
    assert "<form" not in anonymous
    assert '<form class="verdict-form" method="post" action="/annotations"' in signed_in
    assert 'enctype="application/x-www-form-urlencoded"' in signed_in
    assert f'<input type="hidden" name="target" value="{SECTION.value}">' in signed_in
    assert '<input type="hidden" name="csrf" value="t&#34;&lt;1&gt;">' in signed_in
    assert '<input type="hidden" name="next" value="/here">' in signed_in
    assert re.findall(r'<option value="([a-z-]+)">', signed_in) == list(VERDICTS)
    assert 'name="comment"' in signed_in
    assert 'name="evidence"' in signed_in


def test_the_home_page_charts_verdicts_per_chapter(story_server):
    page = html(story_server, "/?lang=en")
    chart = block(page, "verdicts-chart")
    assert "<title>Researchers&#x27; verdicts per chapter</title>" in chart
    assert re.search(
        r'<rect [^>]*class="v-partly-kept"><title>4 Buitenlands beleid en toerisme: '
        r"1 partly kept</title>",
        chart,
    )
    assert re.search(r'class="v-stalled"><title>[^<]*: 1 stalled</title>', chart)
    row = re.search(r"<tr><td><a [^>]*>4 Buitenlands beleid en toerisme</a></td>(.*?)</tr>", chart)
    assert row
    assert re.findall(r"<td>(\d+)</td>", row.group(1)) == ["0", "1", "0", "1", "0", "0"]


def test_the_codebook_defines_every_column_and_every_verdict(story_server):
    page = html(story_server, "/dumps/verdicts?lang=en")
    columns = re.findall(
        r'<tr id="column-([a-z_]+)"><td><code>\1</code></td><td>([^<]+)</td>', page
    )
    assert [c for c, _ in columns] == list(COLUMNS)
    assert all(meaning.strip() for _, meaning in columns)
    verdicts = re.findall(r'<tr id="verdict-([a-z-]+)">.*?</td>\n<td>([^<]+)', page, re.S)
    assert [v for v, _ in verdicts] == list(VERDICTS)
    assert dict(verdicts)["kept"].startswith("What the section promises has been done")
    assert "verdicts.csv" in page
    dumps = html(story_server, "/dumps/?lang=en")
    assert 'href="/dumps/verdicts"' in dumps


def test_every_page_links_the_atom_feed(story_server):
    for path in ("/", SECTION_PATH, "/dumps/verdicts"):
        page = html(story_server, path)
        assert '<link rel="alternate" type="application/atom+xml" href="/feed.atom"' in page


@BROWSER_MARKS[1]
@pytest.mark.parametrize("width", WIDTHS)
def test_the_pages_fit_the_screen(story_server, width):
    with chromium(WIDTHS[width]) as driver:
        for name, path in (
            ("section", SECTION_PATH),
            ("home", "/"),
            ("codebook", "/dumps/verdicts"),
        ):
            driver.get(story_server + path)
            assert driver.find_elements(
                "css selector", "section.verdicts, section.verdicts-chart, article.codebook"
            )
            assert overflow(driver) is None, path
            shot(driver, f"verdicts-{name}-{width}")
