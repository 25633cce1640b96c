"""The one CSV writer: RFC 4180, and no formula a spreadsheet would run."""

from __future__ import annotations

import csv
import io

from policygraph.render.spreadsheet import csv_lines, csv_text


def test_csv_quotes_what_needs_quoting_and_defuses_spreadsheet_formulas():
    text = csv_text(
        ("a", "b"),
        [
            ('says "yes", then\nno', 1),
            ('=HYPERLINK("http://e.org")', "@SUM(A1)"),
            ("", None),
            ("-2+3", "plain"),
        ],
    )
    assert text.startswith("a,b\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert rows == [
        {"a": 'says "yes", then\nno', "b": "1"},
        {"a": '\'=HYPERLINK("http://e.org")', "b": "'@SUM(A1)"},
        {"a": "", "b": ""},
        {"a": "'-2+3", "b": "plain"},
    ]


def test_lines_come_one_row_at_a_time_from_a_generator():
    rows = ((n, f"row {n}") for n in range(3))
    assert list(csv_lines(("n", "name"), rows)) == [
        "n,name\r\n",
        "0,row 0\r\n",
        "1,row 1\r\n",
        "2,row 2\r\n",
    ]
