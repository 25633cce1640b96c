"""Charts drawn on the server as SVG: readable without JavaScript, printable, and safe.

Every piece of text goes through ``xml_escape``; the charts are strings of markup that templates
mark safe, so nothing else in them may come from data. Each chart has a ``<title>`` and
``role="img"`` for screen readers, and the pages show the same figures as a table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from policygraph.read.citation_support import ChapterSupport
from policygraph.read.evidence import ChapterCoverage, CitedDecision, MonthCount
from policygraph.read.evidence.rows import Link
from policygraph.read.verdicts import ChapterVerdicts
from policygraph.render.escape import xml_escape


@dataclass(frozen=True)
class Series:
    name: str
    css_class: str
    """Colours live in the stylesheet, so that the CSP needs no inline style."""


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{xml_escape(title)}" class="chart">'
        f"<title>{xml_escape(title)}</title>" + "".join(body) + "</svg>"
    )


def _legend(series: Sequence[Series], x: int, y: int) -> list[str]:
    parts = []
    for series_item in series:
        parts.append(
            f'<rect x="{x}" y="{y - 10}" width="12" height="12" class="{series_item.css_class}"/>'
            f'<text x="{x + 16}" y="{y}" class="legend">{xml_escape(series_item.name)}</text>'
        )
        x += 24 + 8 * len(series_item.name)
    return parts


def _chapter_label(
    number: str | None, chapter: Link, y: int, label_width: int, href: Callable[[str], str]
) -> tuple[str, str]:
    """A chapter's name before its bar, linked to its page (cut to fit): the full name, for the
    bars' titles, and the markup."""
    name = f"{number} {chapter.label}" if number else chapter.label
    shown = name if len(name) <= 44 else name[:43] + "…"
    return name, (
        f'<a href="{xml_escape(href(chapter.iri))}">'
        f'<text x="{label_width - 8}" y="{y + 14}" text-anchor="end" class="axis">'
        f"{xml_escape(shown)}</text></a>"
    )


def _bar(
    pieces: Iterable[tuple[int, Series, str]], x: int, y: int, row_height: int, name: str
) -> tuple[list[str], int]:
    """A chapter's bar from ``x``: a segment per series (its width and figure), each titled
    with the chapter's name and its figure; and where the bar ends."""
    drawn = []
    for width, series, figure in pieces:
        if width:
            drawn.append(
                f'<rect x="{x}" y="{y + 3}" width="{width}" height="{row_height - 6}" '
                f'class="{series.css_class}"><title>{xml_escape(f"{name}: {figure}")}</title>'
                "</rect>"
            )
        x += width
    return drawn, x


def coverage_chart(
    rows: Sequence[ChapterCoverage],
    *,
    title: str,
    series: tuple[Series, Series, Series],
    href: Callable[[str], str],
) -> str:
    """One horizontal bar per chapter: its parts whose assessment cites decisions, those whose
    assessment cites none, and those without an assessment."""
    label_width, bar_width, row_height, top = 300, 440, 22, 34
    most = max((row.sections for row in rows), default=0) or 1
    height = top + row_height * len(rows) + 10
    body = _legend(series, 8, 16)  # from the left edge, so that all three names fit
    for index, row in enumerate(rows):
        y = top + index * row_height
        name, label = _chapter_label(row.number, row.chapter, y, label_width, href)
        body.append(label)
        counts = (row.with_evidence, row.without_evidence, row.not_assessed)
        segments, x = _bar(
            (
                (round(bar_width * count / most), item, f"{count} {item.name}")
                for count, item in zip(counts, series, strict=True)
            ),
            label_width,
            y,
            row_height,
            name,
        )
        body += segments
        body.append(
            f'<text x="{x + 4}" y="{y + 14}" class="value">'
            f"{row.with_evidence}/{row.sections}</text>"
        )
    return _svg(label_width + bar_width + 60, height, title, body)


def months_chart(months: Sequence[MonthCount], *, title: str, series: tuple[Series, Series]) -> str:
    """One column per month (months without decisions included): decisions an assessment cites,
    stacked under the others."""
    left, top, plot_height, plot_width = 40, 30, 200, 760
    filled = _every_month(months)
    most = max((m.decisions for m in filled), default=0) or 1
    column = plot_width / max(len(filled), 1)
    body = _legend(series, left, 16)
    step = _nice_step(most)
    for tick in range(0, most + 1, step):
        y = top + plot_height - round(plot_height * tick / most)
        body.append(
            f'<line x1="{left}" x2="{left + plot_width}" y1="{y}" y2="{y}" class="grid"/>'
            f'<text x="{left - 4}" y="{y + 4}" text-anchor="end" class="axis">{tick}</text>'
        )
    for index, month in enumerate(filled):
        x = left + index * column
        base = top + plot_height
        for count, series_item in zip(
            (month.cited, month.decisions - month.cited), series, strict=True
        ):
            height = round(plot_height * count / most)
            if height:
                base -= height
                body.append(
                    f'<rect x="{x:.1f}" y="{base}" width="{max(column - 1, 1):.1f}" '
                    f'height="{height}" class="{series_item.css_class}"><title>'
                    f"{xml_escape(f'{month.month}: {count} {series_item.name}')}</title></rect>"
                )
        if month.month.endswith("-01") or index == 0:
            body.append(
                f'<text x="{x:.1f}" y="{top + plot_height + 16}" class="axis">'
                f"{xml_escape(month.month[:4])}</text>"
            )
    return _svg(left + plot_width + 20, top + plot_height + 26, title, body)


def _every_month(months: Sequence[MonthCount]) -> list[MonthCount]:
    """The months from the first to the last, those without decisions as zero."""
    known = {m.month: m for m in months if len(m.month) == 7 and m.month[4] == "-"}
    if not known:
        return list(months)
    first, last = min(known), max(known)
    year, month = int(first[:4]), int(first[5:])
    filled = []
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        filled.append(known.get(key, MonthCount(key, 0, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return filled


def timeline_chart(
    decisions: Sequence[CitedDecision], *, title: str, href: Callable[[str], str]
) -> str:
    """Cited decisions as dots on a time axis, one row per decision in date order."""
    dated = [d for d in decisions if d.date is not None]
    left, right, top, row_height = 90, 680, 26, 16
    if not dated:
        return _svg(right + 20, 40, title, ['<text x="10" y="24" class="axis">—</text>'])
    first = min(d.date for d in dated if d.date is not None)
    last = max(d.date for d in dated if d.date is not None)
    start, end = date(first.year, 1, 1), date(last.year + 1, 1, 1)
    span = (end - start).days or 1

    def x_of(day: date) -> float:
        return left + (right - left) * (day - start).days / span

    height = top + row_height * len(dated) + 10
    body = []
    for year in range(start.year, end.year + 1):
        x = x_of(date(year, 1, 1))
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 6}" y2="{height - 6}" class="grid"/>'
            f'<text x="{x + 3:.1f}" y="{top - 10}" class="axis">{year}</text>'
        )
    for index, decision in enumerate(dated):
        assert decision.date is not None
        y = top + index * row_height + 8
        x = x_of(decision.date)
        words = f"{decision.date.isoformat()} {decision.title}"
        body.append(
            f'<a href="{xml_escape(href(decision.iri))}">'
            f'<circle cx="{x:.1f}" cy="{y}" r="5" class="dot"><title>{xml_escape(words)}</title>'
            f"</circle>"
            f'<text x="4" y="{y + 4}" class="axis">{decision.date.isoformat()}</text></a>'
        )
    return _svg(right + 50, height, title, body)


def _nice_step(most: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if most / step <= 6:
            return step
    return max(1, most // 5)


def verdicts_chart(
    rows: Sequence[ChapterVerdicts],
    *,
    title: str,
    series: Sequence[tuple[str, Series]],
    href: Callable[[str], str],
) -> str:
    """One horizontal bar per chapter: its current verdicts (one per section and researcher),
    stacked in the order of the scale; ``series`` pairs each verdict's notation with its name."""
    label_width, bar_width, row_height, top = 300, 440, 22, 34 + 18 * (len(series) // 3)
    most = max((row.total for row in rows), default=0) or 1
    height = top + row_height * max(len(rows), 1) + 10
    body: list[str] = []
    for start in range(0, len(series), 3):  # the legend in rows of three names
        body += _legend([s for _, s in series[start : start + 3]], 8, 16 + 18 * (start // 3))
    for index, row in enumerate(rows):
        y = top + index * row_height
        name, label = _chapter_label(row.number, row.chapter, y, label_width, href)
        body.append(label)
        segments, x = _bar(
            (
                (round(bar_width * count / most), item, f"{count} {item.name}")
                for count, item in ((row.counts.get(n, 0), item) for n, item in series)
            ),
            label_width,
            y,
            row_height,
            name,
        )
        body += segments
        body.append(f'<text x="{x + 4}" y="{y + 14}" class="value">{row.total}</text>')
    return _svg(label_width + bar_width + 60, height, title, body)


def support_chart(
    rows: Sequence[ChapterSupport],
    *,
    title: str,
    series: tuple[Series, Series],
    href: Callable[[str], str],
) -> str:
    """One bar per chapter on a scale of 0 to 100%: its unsupported citations, then its weak
    ones, with the two shares written after the bar."""
    label_width, bar_width, row_height, top = 300, 400, 22, 34
    height = top + row_height * len(rows) + 10
    body = _legend(series, 8, 16)
    for index, row in enumerate(rows):
        y = top + index * row_height
        name, label = _chapter_label(row.number, row.chapter, y, label_width, href)
        body.append(label)
        shares = (row.unsupported_share, row.weak_share)
        segments, x = _bar(
            (
                (round(bar_width * share), item, f"{share:.0%} {item.name}")
                for share, item in zip(shares, series, strict=True)
            ),
            label_width,
            y,
            row_height,
            name,
        )
        body += segments
        body.append(
            f'<text x="{x + 4}" y="{y + 14}" class="value">'
            f"{row.unsupported_share:.0%} + {row.weak_share:.0%}</text>"
        )
    return _svg(label_width + bar_width + 90, height, title, body)
