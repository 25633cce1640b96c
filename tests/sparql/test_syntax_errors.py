"""SPARQL syntax errors in words: the position a reader looks at, what the grammar wanted there
in the names a SPARQL user knows, and the line with a caret under that position."""

from __future__ import annotations

import pytest
from pyoxigraph import Store

from policygraph.sparql.syntax_errors import describe


def problem(text: str):  # type: ignore[no-untyped-def]
    try:
        Store().query(text)
    except SyntaxError as exc:
        return describe(text, str(exc))
    raise AssertionError(f"pyoxigraph parsed {text!r}")


def caret_column(message: str) -> int:
    """The 1-based column the caret of a message points at."""
    return message.splitlines()[2].index("^") - 1


@pytest.mark.parametrize(
    ("text", "line", "column", "expected", "found"),
    [
        ("SELEC * WHERE {}", 1, 1, "SELECT, CONSTRUCT, DESCRIBE or ASK", "SELEC"),
        ("PREFIX ex: <https://e.org/>\n  selec ?x {}", 2, 3, "SELECT, CONSTRUCT", "selec"),
        ("", 1, 1, "SELECT, CONSTRUCT, DESCRIBE or ASK", None),
        ("SELECT * { ?s ?p ?o } LIMIT x", 1, 29, "a number", "x"),
        ("SELECT (COUNT(?x) AS ?n WHERE { ?x ?p ?o }", 1, 25, "')'", "WHERE"),
        # The parser gives up past the ')' (it tried to read ') }' as the rest of an
        # expression): the position is its own, the words are ours.
        ("SELECT ?x WHERE {\n  ?s ?p ?o .\n  FILTER(?o > ) }", 3, 18, "an expression", ""),
        ("PREFIX : <x> SELECT * { ?s :p ?o }", 1, 10, "a valid absolute IRI", "<x>"),
        ('SELECT * WHERE { ?s ?p "open }', 1, 24, "a string closed on its line", None),
        ("SELECT * WHERE { ?s ?p ?o", 1, 26, "'}'", ""),
    ],
)
def test_a_syntax_error_says_where_and_what_was_expected(text, line, column, expected, found):
    found_problem = problem(text)
    assert (found_problem.line, found_problem.column) == (line, column)
    assert expected in found_problem.expected
    assert found_problem.found == found
    message = found_problem.message()
    assert message.startswith(f"line {line}, column {column}: expected ")
    assert "..=" not in message  # no grammar character ranges
    assert "\\u{" not in message
    assert caret_column(message) == column
    shown = message.splitlines()[1].strip()
    assert shown == (text.splitlines()[line - 1].strip() if text else "")


def test_the_caret_lines_up_after_a_tab_and_a_non_ascii_character():
    text = "SELECT ?x WHERE {\n\t?x <https://e.org/naïve> ?o } LIMIT é"
    message = problem(text).message()
    shown, caret = message.splitlines()[1:3]
    assert shown[caret.index("^")] == "é"


def test_the_end_of_the_query_is_named_as_such():
    message = problem("SELECT * WHERE { ?s ?p ?o").message()
    assert "found the end of the query" in message


def test_a_very_long_line_is_shown_around_the_error_only():
    text = "SELECT * WHERE { " + "?s ?p ?o . " * 200 + "} LIMIT x"
    message = problem(text).message()
    shown, caret = message.splitlines()[1:3]
    assert len(shown) <= 202
    assert shown[caret.index("^")] == "x"
