"""Recognising a query whose evaluation is one scan of one index: its work is bounded per row.

Such a query is one triple pattern with no repeated variable, no path, no filter, no DISTINCT,
ORDER BY, GROUP BY or OFFSET: pyoxigraph produces each of its rows in a few index steps, so the
time to its n-th byte grows with n and a byte budget bounds its time. The forms recognised are
``SELECT vars|* WHERE { s p o }``, ``ASK``, ``CONSTRUCT WHERE`` (one triple out per row) and
``DESCRIBE`` of IRIs without a pattern, each with an optional ``LIMIT``. (``DESCRIBE ?x WHERE``
is not: it describes each distinct ``?x``, and skipping duplicates is unbounded work per byte
out; nor is a CONSTRUCT template, for the same reason.) Anything else, or a text that is not
SPARQL at all, is not: the answer must be sound, not complete.
"""

from __future__ import annotations

from policygraph.sparql.lexer import (
    IRI,
    KEYWORD,
    LANGTAG,
    NUMBER,
    PNAME,
    PUNCT,
    STRING,
    VAR,
    Token,
    after_prologue,
    tokenize,
)

_SUBJECT_KINDS = frozenset({IRI, PNAME, VAR})


def may_be_single_scan(text: str) -> bool:
    """False for most texts that are not a single scan, without tokenizing them.

    Not one group, or a call, a filter or an expression somewhere: not a single scan. (A single
    scan with such a character in a literal or a comment is missed; that is allowed, and it
    spares tokenizing every long query.)
    """
    return text.count("{") <= 1 and "(" not in text


def is_single_scan(text: str) -> bool:
    """True when evaluating ``text`` is a single scan (see the module's docstring)."""
    return may_be_single_scan(text) and single_scan(tokenize(text))


def single_scan(tokens: list[Token]) -> bool:
    """Whether the query of these tokens is a single scan."""
    rest = tokens[after_prologue(tokens) :]
    if not rest or rest[0].kind != KEYWORD:
        return False
    after = _after_form(rest[0].text, rest[1:])
    if after is None:
        return False
    if after[:1] and after[0].is_keyword("LIMIT"):
        if not (after[1:2] and after[1].kind == NUMBER and after[1].text.isdigit()):
            return False
        after = after[2:]
    return not after


def _after_form(form: str, rest: list[Token]) -> list[Token] | None:
    """What follows the query form and its pattern; None if they are not a single scan."""
    if form in ("SELECT", "ASK"):
        if form == "SELECT":
            count = 1 if _is(rest, PUNCT, "*") else _count_leading(rest, VAR)
            if count == 0:
                return None
            rest = rest[count:]
        return _where(rest, required=False)
    if form == "CONSTRUCT":
        return _where(rest, required=True)
    if form == "DESCRIBE":
        count = _count_leading(rest, IRI, PNAME)
        return rest[count:] if count else None
    return None


def _is(tokens: list[Token], kind: str, text: str) -> bool:
    return bool(tokens) and tokens[0].kind == kind and tokens[0].text == text


def _count_leading(tokens: list[Token], *kinds: str) -> int:
    count = 0
    while count < len(tokens) and tokens[count].kind in kinds:
        count += 1
    return count


def _where(tokens: list[Token], *, required: bool) -> list[Token] | None:
    """What follows ``[WHERE] { s p o [.] }``; None if that is not what comes."""
    if tokens[:1] and tokens[0].is_keyword("WHERE"):
        tokens = tokens[1:]
    elif required:
        return None
    if not _is(tokens, PUNCT, "{"):
        return None
    rest = _after_triple(tokens[1:])
    if rest is None:
        return None
    if _is(rest, PUNCT, "."):
        rest = rest[1:]
    if not _is(rest, PUNCT, "}"):
        return None
    return rest[1:]


def _after_triple(tokens: list[Token]) -> list[Token] | None:
    """What follows one triple pattern without a repeated variable; None if none comes."""
    if len(tokens) < 3:
        return None
    subject, predicate, obj = tokens[:3]
    if subject.kind not in _SUBJECT_KINDS:
        return None
    if predicate.kind not in _SUBJECT_KINDS and predicate[:2] != (KEYWORD, "a"):
        return None
    length = 3
    if obj.kind == STRING:
        if tokens[3:4] and tokens[3].kind == LANGTAG:
            length = 4
        elif _is(tokens[3:], PUNCT, "^^"):
            if not (tokens[4:5] and tokens[4].kind in (IRI, PNAME)):
                return None
            length = 5
    elif obj.kind not in _SUBJECT_KINDS:
        return None
    variables = [term.text[1:] for term in (subject, predicate, obj) if term.kind == VAR]
    if len(set(variables)) != len(variables):
        return None  # ?x ?x ?o filters a scan: many steps per row
    return tokens[length:]


__all__ = ["is_single_scan", "may_be_single_scan", "single_scan"]
