"""The one tokenizer of SPARQL text: what every other reading of a query is built on.

pyoxigraph has no algebra API, so what policygraph must know about a query before sending it
(its form, its dataset clause, its SERVICE endpoints, where its WHERE group opens) is read from
its tokens. They are the SPARQL 1.1 terminals (https://www.w3.org/TR/sparql11-query/#terminals):
IRIs, the four string forms with their escapes, prefixed names, variables, blank node labels,
language tags, numbers, keywords and punctuation; whitespace and comments are dropped. A keyword
found here is a keyword of the query, never a word inside a string, an IRI, a comment or a name.

Keywords are case-insensitive, so a keyword token's text is upper-cased; the one keyword the
grammar makes case-sensitive, ``a`` (for ``rdf:type``), is kept as written. The text is not
validated: a character no terminal matches becomes a punctuation token, and pyoxigraph reports
the syntax error later.
"""

from __future__ import annotations

import re
from typing import NamedTuple

IRI = "iri"
STRING = "string"
VAR = "var"
LANGTAG = "langtag"
BNODE = "bnode"
PNAME = "pname"
NUMBER = "number"
KEYWORD = "keyword"
PUNCT = "punct"

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_U = _BASE + "_"
_CHARS = _U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_VAR_CHARS = _U + r"0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = rf"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = rf"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_EXPONENT = r"[eE][+-]?[0-9]+"

_TOKEN = re.compile(
    # Whitespace is read with the token it precedes: half as many matches to make.
    rf"""
    \s*(?:
    (?P<comment>\#[^\n\r]*)
    |(?P<{IRI}><[^<>"{{}}|^`\\\x00-\x20]*>)
    |(?P<{STRING}>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''|\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
        |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    |(?P<{VAR}>[?$][{_U}0-9][{_VAR_CHARS}]*)
    |(?P<{LANGTAG}>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?)
    |(?P<{BNODE}>_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)
    |(?P<{PNAME}>(?:{_PREFIX})?:(?:{_LOCAL})?)
    |(?P<{NUMBER}>[0-9]+\.[0-9]*{_EXPONENT}|\.?[0-9]+{_EXPONENT}|[0-9]*\.[0-9]+|[0-9]+)
    |(?P<{KEYWORD}>[A-Za-z][A-Za-z0-9_]*)
    |(?P<{PUNCT}>\^\^|\|\||&&|!=|<=|>=|\S)
    )""",
    re.VERBOSE | re.DOTALL,
)
_COMMENT = "comment"


class Token(NamedTuple):
    kind: str
    """One of the constants of this module: IRI, STRING, VAR, … PUNCT."""
    text: str
    """As written (IRIs with their brackets, strings with their quotes); keywords upper-cased."""
    start: int
    """Where it begins in the query text."""

    def is_keyword(self, *words: str) -> bool:
        return self.kind == KEYWORD and self.text in words


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, in order, without whitespace and comments."""
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == _COMMENT:
            continue
        assert kind is not None
        value = match.group(kind)
        if kind == KEYWORD and value != "a":
            value = value.upper()
        found.append(Token(kind, value, match.start(kind)))
    return found


def after_prologue(tokens: list[Token]) -> int:
    """The index of the first token after the prologue (its BASE and PREFIX declarations)."""
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1 : index + 3]
        if token.is_keyword("BASE") and following[:1] and following[0].kind == IRI:
            index += 2
        elif (
            token.is_keyword("PREFIX")
            and len(following) == 2
            and following[0].kind == PNAME
            and following[1].kind == IRI
        ):
            index += 3
        else:
            break
    return index


__all__ = [
    "BNODE",
    "IRI",
    "KEYWORD",
    "LANGTAG",
    "NUMBER",
    "PNAME",
    "PUNCT",
    "STRING",
    "VAR",
    "Token",
    "after_prologue",
    "tokenize",
]
