"""The server-drawn charts in the words of the page's language, linking to this host's pages."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from policygraph.read.evidence import ChapterCoverage, CitedDecision, MonthCount
from policygraph.render.charts import Series, coverage_chart, months_chart, timeline_chart
from policygraph.web.i18n import words
from policygraph.web.site import urls


def _href(iri: str) -> str:
    return urls().url(iri)


def timeline(decisions: Sequence[CitedDecision], lang: str) -> Markup:
    # Every text in the SVG is escaped by policygraph.render.charts; the markup is ours.
    svg = timeline_chart(decisions, title=words(lang)["timeline"], href=_href)
    return Markup(svg)  # noqa: S704


def coverage(rows: Sequence[ChapterCoverage], lang: str) -> Markup:
    w = words(lang)
    svg = coverage_chart(
        rows,
        title=w["coverage_title"],
        series=(
            Series(w["with_evidence"], "s-cited"),
            Series(w["without_evidence"], "s-uncited"),
            Series(w["not_assessed"], "s-none"),
        ),
        href=_href,
    )
    return Markup(svg)  # noqa: S704


def months(rows: Sequence[MonthCount], lang: str) -> Markup:
    w = words(lang)
    svg = months_chart(
        rows,
        title=w["months_title"],
        series=(Series(w["cited"], "s-cited"), Series(w["not_cited"], "s-uncited")),
    )
    return Markup(svg)  # noqa: S704
