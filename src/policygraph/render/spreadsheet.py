"""CSV for spreadsheets, the one writer of every CSV the site and the dumps give.

RFC 4180: a header row, CRLF line ends, fields quoted where they need it; UTF-8 when encoded.
A cell that a spreadsheet would run as a formula is written with a leading ``'`` (OWASP's
advice on CSV injection): the cells are the sources' words, and a title or a claim that starts
with ``=`` must not become a formula in a reader's spreadsheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The CSV text a line at a time: the header, then each row (``None`` is an empty cell)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in _chain(header, rows):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_defused(cell) for cell in row])
        yield buffer.getvalue()


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    return "".join(csv_lines(header, rows))


def _chain(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[Sequence[object]]:
    yield header
    yield from rows


def _defused(cell: object) -> object:
    if cell is None:
        return ""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


__all__ = ["FORMULA_STARTS", "csv_lines", "csv_text"]
