"""The one lexer of SPARQL text: each terminal read whole, so no keyword is found inside one."""

from __future__ import annotations

from pathlib import Path

import pytest

from policygraph.sparql.lexer import (
    BNODE,
    IRI,
    KEYWORD,
    LANGTAG,
    NUMBER,
    PNAME,
    PUNCT,
    STRING,
    VAR,
    after_prologue,
    tokenize,
)

W3C = Path(__file__).resolve().parents[1] / "w3c" / "data"


def kinds_and_texts(text: str) -> list[tuple[str, str]]:
    return [(token.kind, token.text) for token in tokenize(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<http://x/#FROM>", [(IRI, "<http://x/#FROM>")]),
        ("'it''s'", [(STRING, "'it'"), (STRING, "'s'")]),
        (r"'don\'t FROM'", [(STRING, r"'don\'t FROM'")]),
        ('"""a "quoted" FROM\nline"""', [(STRING, '"""a "quoted" FROM\nline"""')]),
        ("'''it''s'''", [(STRING, "'''it''s'''")]),
        ('"""ends with \\""""', [(STRING, '"""ends with \\""""')]),
        ("?from $select", [(VAR, "?from"), (VAR, "$select")]),
        ("?a-?b", [(VAR, "?a"), (PUNCT, "-"), (VAR, "?b")]),
        ("select:from :where", [(PNAME, "select:from"), (PNAME, ":where")]),
        (r"ex:a\.b ex:c.", [(PNAME, r"ex:a\.b"), (PNAME, "ex:c"), (PUNCT, ".")]),
        ("_:b1 []", [(BNODE, "_:b1"), (PUNCT, "["), (PUNCT, "]")]),
        ('"x"@nl-BE', [(STRING, '"x"'), (LANGTAG, "@nl-BE")]),
        ('"1"^^xsd:int', [(STRING, '"1"'), (PUNCT, "^^"), (PNAME, "xsd:int")]),
        (
            "1 2.5 .5 1e3 3.",
            [
                (NUMBER, "1"),
                (NUMBER, "2.5"),
                (NUMBER, ".5"),
                (NUMBER, "1e3"),
                (NUMBER, "3"),
                (PUNCT, "."),
            ],
        ),
        # Keywords are case-insensitive, but for ``a``: ``A`` is no keyword of SPARQL.
        (
            "Select fRoM a A",
            [(KEYWORD, "SELECT"), (KEYWORD, "FROM"), (KEYWORD, "a"), (KEYWORD, "A")],
        ),
        (
            "?a<=?b && ?c != 1 || !?d",
            [
                (VAR, "?a"),
                (PUNCT, "<="),
                (VAR, "?b"),
                (PUNCT, "&&"),
                (VAR, "?c"),
                (PUNCT, "!="),
                (NUMBER, "1"),
                (PUNCT, "||"),
                (PUNCT, "!"),
                (VAR, "?d"),
            ],
        ),
        ("?s # FROM <g>\n?o", [(VAR, "?s"), (VAR, "?o")]),
    ],
)
def test_each_terminal_is_one_token(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds_and_texts(text) == expected


def test_tokens_know_where_they_begin() -> None:
    text = "SELECT  * { ?s ?p 'o' }"
    assert [text[token.start :].startswith(token.text) for token in tokenize(text)] == [True] * 7
    assert [token.start for token in tokenize(text)][:3] == [0, 8, 10]


def test_the_prologue_ends_at_the_query_form() -> None:
    tokens = tokenize("BASE <http://x/> PREFIX ex: <y/> PREFIX : <z> select * {}")
    assert tokens[after_prologue(tokens)].text == "SELECT"
    assert after_prologue(tokenize("PREFIX ex:")) == 0  # not a whole declaration


def test_every_w3c_query_is_tokenized_to_its_last_character() -> None:
    """No text is lost: what is not a token is whitespace or a comment."""
    checked = 0
    for path in sorted(W3C.rglob("*.rq")):
        text = path.read_text(encoding="utf-8")
        rest = list(text)
        for token in tokenize(text):
            rest[token.start : token.start + len(token.text)] = [" "] * len(token.text)
        leftover = "".join(rest)
        assert all(line.split("#", 1)[0].strip() == "" for line in leftover.splitlines()), path
        checked += 1
    assert checked > 100
