"""The server-side SVG charts: well-formed, every text escaped, months without gaps."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from policygraph.read.evidence import ChapterCoverage, CitedDecision, Link, MonthCount
from policygraph.render.charts import Series, coverage_chart, months_chart, timeline_chart

SVG = "{http://www.w3.org/2000/svg}"
SERIES = (Series("with <b>", "s-cited"), Series("without", "s-uncited"))
THREE = (*SERIES, Series("none", "s-none"))
PAYLOAD = '<script>alert("x")</script>'


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_coverage_chart_escapes_labels_and_links():
    rows = [
        ChapterCoverage(
            Link("https://x/id/regeerakkoord/2019-2024/hoofdstuk/a", PAYLOAD), "1", 5, 4, 3
        )
    ]
    svg = coverage_chart(rows, title="t & t", series=THREE, href=lambda iri: iri + "?a=1&b=2")
    root = parse(svg)
    assert "<script>" not in svg
    texts = [el.text for el in root.iter(f"{SVG}text")]
    assert any(text and PAYLOAD in text for text in texts)
    bars = root.findall(f".//{SVG}rect")
    # The legend's three swatches and the three parts of the bar.
    assert len(bars) == 6
    assert root.find(f"{SVG}title").text == "t & t"


def test_months_chart_fills_the_months_without_decisions():
    months = [MonthCount("2020-11", 3, 1), MonthCount("2021-02", 1, 0)]
    root = parse(months_chart(months, title="m", series=SERIES))
    titles = [el.text for el in root.iter(f"{SVG}title")][1:]
    assert any(t.startswith("2020-11: 1 ") for t in titles)
    assert any(t.startswith("2021-02: 1 ") for t in titles)
    years = [el.text for el in root.iter(f"{SVG}text") if el.text in {"2020", "2021"}]
    assert years == ["2020", "2021"]


def test_timeline_has_one_dot_per_dated_decision():
    decisions = [
        CitedDecision("https://x/id/beslissing/1", date(2019, 10, 2), PAYLOAD),
        CitedDecision("https://x/id/beslissing/2", None, "undated"),
        CitedDecision("https://x/id/beslissing/3", date(2021, 5, 21), "b"),
    ]
    svg = timeline_chart(decisions, title="tl", href=lambda iri: iri)
    root = parse(svg)
    assert len(root.findall(f".//{SVG}circle")) == 2
    assert "<script>" not in svg


def test_an_empty_timeline_is_still_an_image():
    root = parse(timeline_chart([], title="none", href=lambda iri: iri))
    assert root.tag == f"{SVG}svg"
