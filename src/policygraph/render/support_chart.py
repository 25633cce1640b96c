"""The share of weak and unsupported citations per chapter, as an SVG bar chart.

Drawn like the other charts of ``render.charts``: every text escaped, a ``<title>`` and
``role="img"``, colours in the stylesheet; the page shows the same figures as a table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from policygraph.read.citation_support import ChapterSupport
from policygraph.render.charts import Series
from policygraph.render.escape import xml_escape


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
    body = []
    x = 8
    for item in series:
        body.append(
            f'<rect x="{x}" y="6" width="12" height="12" class="{item.css_class}"/>'
            f'<text x="{x + 16}" y="16" class="legend">{xml_escape(item.name)}</text>'
        )
        x += 24 + 8 * len(item.name)
    for index, row in enumerate(rows):
        y = top + index * row_height
        name = f"{row.number} {row.chapter.label}" if row.number else row.chapter.label
        shown = name if len(name) <= 44 else name[:43] + "…"
        body.append(
            f'<a href="{xml_escape(href(row.chapter.iri))}">'
            f'<text x="{label_width - 8}" y="{y + 14}" text-anchor="end" class="axis">'
            f"{xml_escape(shown)}</text></a>"
        )
        x = label_width
        for share, item in zip((row.unsupported_share, row.weak_share), series, strict=True):
            width = round(bar_width * share)
            if width:
                label = f"{name}: {share:.0%} {item.name}"
                body.append(
                    f'<rect x="{x}" y="{y + 3}" width="{width}" height="{row_height - 6}" '
                    f'class="{item.css_class}"><title>{xml_escape(label)}</title></rect>'
                )
            x += width
        body.append(
            f'<text x="{x + 4}" y="{y + 14}" class="value">'
            f"{row.unsupported_share:.0%} + {row.weak_share:.0%}</text>"
        )
    width = label_width + bar_width + 90
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{xml_escape(title)}" class="chart">'
        f"<title>{xml_escape(title)}</title>" + "".join(body) + "</svg>"
    )


__all__ = ["support_chart"]
