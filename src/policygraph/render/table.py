"""A list as CSV (RFC 4180): a header row of the columns' keys, then one row per member.

The first column is the member's IRI; a column whose values are other resources gets a second
column beside it with their IRIs (``chapter``, ``chapter_iri``), so a spreadsheet shows words
and a script can still join on identifiers. Dates are ISO 8601, yes-or-no values ``yes``/``no``;
a title no source gives is empty (the page shows the start of the text instead).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date

from policygraph.read.evidence.rows import Link
from policygraph.read.lists.model import Cell, Column, Row
from policygraph.render.spreadsheet import csv_lines


def csv_header(columns: Sequence[Column]) -> list[str]:
    header = ["iri"]
    for column in columns:
        header.append(column.key)
        if column.kind == "link":
            header.append(column.key + "_iri")
    return header


def _cells(row: Row, columns: Sequence[Column]) -> list[str]:
    cells = [row.iri]
    for column in columns:
        value: Cell = row.get(column.key)
        cells.append(_text(value, column))
        if column.kind == "link":
            cells.append(value.iri if isinstance(value, Link) else "")
    return cells


def _text(value: Cell, column: Column) -> str:
    if value is None:
        return ""
    if column.kind == "flag":
        return "yes" if value else "no"
    if isinstance(value, Link):
        return value.label
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def list_csv_lines(columns: Sequence[Column], rows: Iterable[Row]) -> Iterator[str]:
    """The list as CSV text, a line at a time."""
    return csv_lines(csv_header(columns), (_cells(row, columns) for row in rows))


__all__ = ["csv_header", "list_csv_lines"]
