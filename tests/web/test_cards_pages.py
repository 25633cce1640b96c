"""The summary cards on the pages, on the fixture: what each card shows, its links, no bare IRI
where a label exists, no internals, ``[n]`` markers that lead somewhere, and everything escaped."""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from ld_support import (
    BASE,
    CAMPAIGN,
    CHAPTER,
    DECISION,
    ORGANISATION,
    SECTION,
    SOURCE,
    XSS_SECTION,
    ld_app,
    ld_settings,
    ld_store,
    path_of,
)

from policygraph.web.cards import cite_markers, money, web_url

__all__ = ["ld_app", "ld_settings", "ld_store"]

UNCITED = f"{BASE}/id/beslissing/6200000000000000000000C3"


class Page(HTMLParser):
    """The visible text of a page (no script), its links, its ids and its open/closed details."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[dict[str, str | None]] = []
        self.ids: set[str] = set()
        self.details: list[dict[str, str | None]] = []
        self._skip = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "a":
            self.links.append(found)
        if tag == "details":
            self.details.append(found)
        if found.get("id"):
            self.ids.add(str(found["id"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())

    def hrefs(self) -> list[str]:
        return [str(link["href"]) for link in self.links if link.get("href")]


@pytest.fixture(scope="module")
def client(ld_app):
    return ld_app.pages.test_client()


def page(client, iri: str, lang: str = "nl") -> tuple[str, Page]:
    response = client.get(path_of(iri) + f"?lang={lang}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return html, Page(html)


def local(href: str) -> str:
    """A link of the page as a path: the test client's pages are served from localhost."""
    return href.removeprefix("http://localhost")


def card_of(html: str) -> str:
    start = html.index('id="summary"')
    return html[start : html.index("</section>", start)]


def test_a_decision_page_has_a_card_with_its_facts(client):
    html, _ = page(client, DECISION)
    card = Page(card_of(html))
    assert "2019-10-02" in card.words
    assert "nota" in card.words
    assert "De Vlaamse Regering richt FIT-kantoren op in Azië." in card.words
    assert "https://data.policygraph.be/ns/concept/nota" not in card.words


@pytest.mark.parametrize(
    ("lang", "counted"), [("en", "1 assessment, 1 claim"), ("nl", "1 beoordeling, 1 bewering")]
)
def test_a_decision_cited_once_says_so_in_the_singular(client, lang, counted):
    html, _ = page(client, DECISION, lang)
    assert counted in Page(card_of(html)).words


def test_the_official_link_is_a_link_that_opens_elsewhere(client):
    html, _ = page(client, DECISION)
    official = [
        link for link in Page(card_of(html)).links if "official" in str(link.get("class", ""))
    ]
    assert [link["href"] for link in official] == [
        "https://beslissingenvlaamseregering.vlaanderen.be/?search=Oprichting%20van%20FIT-kantoren"
    ]
    assert official[0]["rel"] == "external noopener"


def test_a_link_no_page_may_follow_is_not_made_a_link(client):
    _, parsed = page(client, UNCITED)
    assert not any(href.lower().startswith("javascript:") for href in parsed.hrefs())
    assert "javascript:window.__xss=3" in parsed.words


def test_a_decision_page_names_the_claims_citing_it_with_their_section(client):
    html, _ = page(client, DECISION)
    card = Page(card_of(html))
    assert "Buitenlands beleid en toerisme" in card.words
    assert "4.3.2 FIT promoot Vlaanderen wereldwijd als innovatieve topregio" in card.words
    assert "FIT opende nieuwe kantoren [1] en volgde de Brexit op [2]." in card.words
    claim_links = [local(h) for h in card.hrefs() if "#claim-" in h]
    assert claim_links == [path_of(SECTION) + "#claim-1"]


def test_the_claim_a_decision_page_links_to_is_an_anchor_of_the_section_page(client):
    html, _ = page(client, DECISION)
    (link,) = [local(h) for h in Page(card_of(html)).hrefs() if "#claim-" in h]
    target, anchor = link.split("#")
    _, section = page(client, BASE + target)
    assert anchor in section.ids


def test_the_back_links_of_a_decision_are_words_not_claim_iris(client):
    _, parsed = page(client, DECISION)
    claim = f"{BASE}/id/regeerakkoord/2019-2024/bewering/buitenlands-beleid-en-toerisme/4.3.2/1"
    assert path_of(claim) in [local(h) for h in parsed.hrefs()]
    assert claim not in parsed.words
    assert "FIT opende nieuwe kantoren" in parsed.words


def test_the_statements_stay_below_collapsed_when_there_is_a_card(client):
    html, parsed = page(client, DECISION)
    assert html.index('id="summary"') < html.index('id="statements"')
    raw = [d for d in parsed.details if d.get("class") == "raw"]
    assert len(raw) == 2
    assert all("open" not in d for d in raw)
    assert 'href="http://mu.semte.ch/vocabularies/core/uuid"' in html


def test_a_page_without_a_summary_shows_its_statements_open(client):
    _, parsed = page(client, SOURCE)
    raw = [d for d in parsed.details if d.get("class") == "raw"]
    assert raw
    assert all("open" in d for d in raw)


def test_a_campaign_page_gives_its_facts_in_words(client):
    html, _ = page(client, CAMPAIGN, "en")
    card = Page(card_of(html))
    assert "EUR 610,000" in card.words
    assert "United States" in card.words
    assert "Flanders Investment & Trade (en)" in card.words
    assert "investors in the United States" in card.words
    assert "New trade rules create opportunities." in card.words
    assert "http://www.flanders360.com" in card.hrefs()


def test_a_campaign_page_shows_no_bare_iri_where_a_label_exists(client):
    _, parsed = page(client, CAMPAIGN, "nl")
    labelled = [
        ORGANISATION,
        f"{BASE}/id/land/US",
        f"{BASE}/id/doelgroep/fit-investeerders",
        f"{BASE}/id/reden/fit-brexit",
    ]
    assert [iri for iri in labelled if iri in parsed.words] == []
    assert "€ 610.000" in parsed.words


def test_a_campaign_page_names_its_graph_once(client):
    html, _ = page(client, CAMPAIGN, "nl")
    statements = html[html.index('id="statements"') : html.index("</details>")]
    assert statements.count('class="graph-of-rows"') == 1
    assert 'class="graph"' not in statements


def test_an_organisation_page_has_a_card(client):
    html, _ = page(client, ORGANISATION, "nl")
    card = Page(card_of(html))
    assert "agentschap" in card.words
    assert "FIT" in card.words


def test_the_mention_pattern_is_not_on_the_page_but_in_the_rdf(client):
    html, _ = page(client, ORGANISATION, "nl")
    assert "matchPattern" not in html
    assert "Flanders Investment (?:" not in html
    turtle = client.get(path_of(ORGANISATION), headers={"Accept": "text/turtle"})
    assert "matchPattern" in turtle.get_data(as_text=True)


def test_a_chapter_page_has_its_coverage_and_parts(client):
    html, _ = page(client, CHAPTER, "en")
    card = Page(card_of(html))
    figures = dict(re.findall(r'data-figure="([a-z-]+)">(\d+)<', card_of(html)))
    assert figures == {
        "with-evidence": "1",
        "without-evidence": "1",
        "not-assessed": "1",
        "sections": "3",
    }
    for number in ("4.3", "4.3.2", "4.3.3", "4.4"):
        assert number in card.words
    assert "Oprichting van FIT-kantoren in Azië" in card.words


def test_every_reference_marker_leads_to_an_anchor_on_the_page(client):
    html, parsed = page(client, SECTION)
    markers = [h for h in parsed.hrefs() if h.startswith("#ref-")]
    assert sorted(markers) == ["#ref-1", "#ref-2", "#ref-3"]
    assert all(marker[1:] in parsed.ids for marker in markers)
    assert 'id="ref-1"' in html
    references = html[html.index('<ol class="references">') :]
    assert path_of(DECISION) in references


def test_a_claim_with_markup_is_escaped_and_its_marker_linked(client):
    html, _ = page(client, SECTION)
    assert "De campagne van 2021 &lt;b&gt;telt&lt;/b&gt; mee " in html
    assert '<a class="ref" href="#ref-3">[3]</a>' in html
    assert "<b>telt</b>" not in html


def test_the_xss_section_stays_text(client):
    html, parsed = page(client, XSS_SECTION)
    assert "<script>window.__xss" not in html
    assert "<img src=x" not in html
    assert "Toerisme <script>window.__xss = 1</script> & cultuur" in parsed.words


def test_markers_are_linked_only_after_escaping():
    shown = str(cite_markers('<script>x="[1]"</script> [2] [9] [a]', {1, 2}))
    assert "<script>" not in shown
    assert '&lt;script&gt;x=&#34;<a class="ref" href="#ref-1">[1]</a>&#34;' in shown
    assert '<a class="ref" href="#ref-2">[2]</a>' in shown
    assert "[9]" in shown
    assert 'href="#ref-9"' not in shown
    assert "[a]" in shown


def test_markers_can_lead_to_another_page():
    shown = str(cite_markers("zie [4]", {4}, page='/id/x?a=1&b="2"'))
    assert 'href="/id/x?a=1&amp;b=&#34;2&#34;#ref-4"' in shown


@pytest.mark.parametrize(
    ("value", "allowed"),
    [
        ("https://example.org/a b", False),
        ("https://example.org/x?y=1", True),
        ("http://www.flanders360.com", True),
        ("javascript:alert(1)", False),
        ("JAVASCRIPT:alert(1)", False),
        ("data:text/html,<b>", False),
        ("//example.org", False),
    ],
)
def test_only_web_urls_become_links(value, allowed):
    assert web_url(value) is allowed


@pytest.mark.parametrize(
    ("amount", "currency", "language", "shown"),
    [
        (Decimal(610000), "EUR", "nl", "€ 610.000"),
        (Decimal(610000), "EUR", "en", "EUR 610,000"),
        (Decimal("1234.5"), "EUR", "nl", "€ 1.234,50"),
        (Decimal("1234.5"), "USD", "en", "USD 1,234.50"),
        (Decimal(12), None, "en", "12"),
    ],
)
def test_amounts_are_written_as_the_reader_writes_them(amount, currency, language, shown):
    assert money(amount, currency, language) == shown


def test_a_claim_page_is_headed_by_its_place_and_links_its_markers_to_the_section(client):
    claim = f"{BASE}/id/regeerakkoord/2019-2024/bewering/buitenlands-beleid-en-toerisme/4.3.2/1"
    html, parsed = page(client, claim)
    assert "<h1>4.3.2 FIT promoot Vlaanderen wereldwijd als innovatieve topregio · 1</h1>" in html
    markers = [local(h) for h in Page(card_of(html)).hrefs() if "#ref-" in h]
    assert markers == [path_of(SECTION) + "#ref-1", path_of(SECTION) + "#ref-2"]
    _, section = page(client, SECTION)
    assert all(marker.split("#")[1] in section.ids for marker in markers)
    assert path_of(DECISION) in [local(h) for h in parsed.hrefs()]


def test_a_reference_and_a_report_page_lead_to_the_section(client):
    for iri in (
        f"{BASE}/id/regeerakkoord/2019-2024/referentie/buitenlands-beleid-en-toerisme/4.3.2/1",
        f"{BASE}/id/regeerakkoord/2019-2024/beoordeling/buitenlands-beleid-en-toerisme/4.3.2",
    ):
        html, _ = page(client, iri)
        assert path_of(SECTION) + "#evidence" in [local(h) for h in Page(card_of(html)).hrefs()]
