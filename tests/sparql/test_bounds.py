"""The bounds on a query text's shape: exact on tokens, and a shortcut that never lets through
a text the tokens would refuse."""

from __future__ import annotations

from pathlib import Path

import pytest

from policygraph.config import load_settings
from policygraph.errors import QueryTooComplexError
from policygraph.sparql.bounds import TextBounds
from policygraph.sparql.lexer import tokenize

W3C = Path(__file__).resolve().parents[1] / "w3c" / "data"
QUERIES = Path(__file__).resolve().parents[2] / "queries"
TIGHT = TextBounds(max_depth=3, max_tokens=40, max_string_chars=10)


def defaults() -> TextBounds:
    settings = load_settings(env={})
    return TextBounds(
        settings.max_query_depth, settings.max_query_tokens, settings.max_query_string_chars
    )


def test_every_w3c_and_competency_query_is_within_the_default_bounds() -> None:
    bounds = defaults()
    paths = sorted(W3C.rglob("*.rq")) + sorted(QUERIES.glob("*.rq"))
    assert len(paths) > 300
    for path in paths:
        bounds.check(tokenize(path.read_text(encoding="utf-8", errors="replace")))


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("ASK { FILTER((((1)))) }", "nests brackets 5 deep"),
        ("ASK { " + "?s ?p ?o . " * 10 + "}", "tokens"),
        ('ASK { ?s ?p "a long string" }', "string of 15 characters"),
    ],
)
def test_a_text_past_a_bound_is_refused_naming_it(text: str, bound: str) -> None:
    assert not TIGHT.clearly_within(text)
    with pytest.raises(QueryTooComplexError, match=bound):
        TIGHT.check(tokenize(text))


def test_brackets_in_strings_iris_and_comments_are_not_nesting() -> None:
    text = 'ASK { ?s <http://x/((((> "((((" } # ((((('
    assert not TIGHT.clearly_within(text)  # the shortcut only counts characters
    TIGHT.check(tokenize(text))  # the tokens know better


def test_the_shortcut_never_passes_a_text_the_tokens_refuse() -> None:
    bounds = TextBounds(max_depth=12, max_tokens=400, max_string_chars=400)
    for path in sorted(W3C.rglob("*.rq")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if bounds.clearly_within(text):
            bounds.check(tokenize(text))
