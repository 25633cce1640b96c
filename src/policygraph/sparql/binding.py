"""Putting values into SPARQL text for endpoints that cannot bind them, without splicing.

A local pyoxigraph store binds variables itself (``substitutions``); a remote SPARQL 1.1
endpoint can only be sent text. Values then travel in a ``VALUES`` block whose terms are written
by pyoxigraph's own N-Triples serialiser: an IRI was validated when its ``NamedNode`` was made,
a literal is escaped, and nothing a user typed reaches the query as syntax. Dates are made into
typed literals by functions that take ``date`` and ``datetime`` objects, not strings.

``with_bindings`` puts such a block first in the query's WHERE group, which is how the local
store's substitution behaves for the queries policygraph sends (SEP-0007 binds the variable
throughout the query; a block at the start of the group does the same for every variable that
the group and its sub-patterns use, which is what a linked-data page or a parameterised
competency query needs). It finds that group with a small scanner that knows SPARQL's strings,
IRIs and comments, so braces inside them are not mistaken for structure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime

from pyoxigraph import BlankNode, Literal, NamedNode, Triple, Variable

from policygraph.errors import QueryError
from policygraph.namespaces import XSD

Term = NamedNode | Literal
BindingValue = NamedNode | BlankNode | Literal | Triple


def date_literal(value: date) -> Literal:
    """An ``xsd:date`` literal; a ``datetime`` is refused, as its date would depend on a zone."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"a date is needed, not {value!r}")
    return Literal(value.isoformat(), datatype=XSD.date)


def datetime_literal(value: datetime) -> Literal:
    """An ``xsd:dateTime`` literal in UTC; a naive datetime is refused (it compares ambiguously)."""
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise TypeError(f"a timezone-aware datetime is needed, not {value!r}")
    text = value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return Literal(text, datatype=XSD.dateTime)


def term(value: BindingValue) -> str:
    """The SPARQL form of an IRI or a literal, as pyoxigraph serialises it (escaped)."""
    if isinstance(value, NamedNode | Literal):
        return str(value)
    raise QueryError(
        f"{value} cannot be sent to a remote endpoint: blank nodes are local to one store and "
        "SPARQL 1.1 has no quoted triples"
    )


def values_block(variables: Sequence[Variable], rows: Sequence[Sequence[BindingValue]]) -> str:
    """``VALUES (?a ?b) { (<x> "y") … }``: one row per tuple of terms."""
    if any(len(row) != len(variables) for row in rows):
        raise ValueError("every row of a VALUES block needs one term per variable")
    head = " ".join(str(v) for v in variables)
    body = " ".join("(" + " ".join(term(t) for t in row) + ")" for row in rows)
    return f"VALUES ({head}) {{ {body} }}"


# Tokens the scanner must step over whole: comments, the four kinds of strings, IRIs.
_SKIP = re.compile(
    r"""
      \#[^\n]*
    | '''(?:[^'\\]|\\.|'(?!''))*'''
    | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
    | '(?:[^'\\\n]|\\.)*'
    | "(?:[^"\\\n]|\\.)*"
    | <[^<>"{}|^`\\\x00-\x20]*>
    """,
    re.VERBOSE | re.DOTALL,
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_LOCAL_NAME = re.compile(r"[A-Za-z0-9_\-.:%\\]*")
_MODIFIERS = {"GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES"}


def _top_level(text: str) -> list[tuple[int, str]]:
    """Positions of the braces and keywords of the query, outside strings, IRIs and comments."""
    found: list[tuple[int, str]] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in "#'\"<":
            match = _SKIP.match(text, i)
            if match:
                i = match.end()
                continue
        if char in "{}":
            found.append((i, char))
        elif char in "?$":  # a variable: its name is not a keyword
            word = _WORD.match(text, i + 1)
            i = word.end() if word else i + 1
            continue
        elif char == ":":  # a prefixed name with the empty prefix
            i = _LOCAL_NAME.match(text, i + 1).end()  # type: ignore[union-attr]
            continue
        elif char.isalpha():
            word = _WORD.match(text, i)
            if word:
                if text.startswith(":", word.end()):  # a prefixed name, not a keyword
                    i = _LOCAL_NAME.match(text, word.end() + 1).end()  # type: ignore[union-attr]
                    continue
                found.append((i, word.group().upper()))
                i = word.end()
                continue
        i += 1
    return found


QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"})
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)


def query_form(sparql: str) -> str | None:
    """The first keyword after the prologue: SELECT, CONSTRUCT, ASK, DESCRIBE, or an update's.

    ``None`` when the text has none (it is not SPARQL). Endpoints that take updates on their
    query URL (Virtuoso does) are refused updates on that ground before anything is sent.
    """
    prologue = {"PREFIX", "BASE"}
    return next((word for _, word in _top_level(sparql) if word not in prologue), None)


def has_dataset_clause(sparql: str) -> bool:
    """Whether the query names its own dataset (FROM, FROM NAMED)."""
    return any(word == "FROM" for _, word in _top_level(sparql))


def with_bindings(sparql: str, bindings: Mapping[Variable, BindingValue]) -> str:
    """The query with a VALUES block of ``bindings`` first in its WHERE group."""
    if not bindings:
        return sparql
    variables = list(bindings)
    block = values_block(variables, [[bindings[v] for v in variables]])
    tokens = _top_level(sparql)
    form = query_form(sparql)
    if form not in QUERY_FORMS:
        raise QueryError("substitutions need a SELECT, CONSTRUCT, ASK or DESCRIBE query")
    depth = 0
    seen_form = False
    skip_template = form == "CONSTRUCT"
    for index, (position, part) in enumerate(tokens):
        if part == form and depth == 0 and not seen_form:
            seen_form = True
            continue
        if not seen_form:
            continue
        if part == "{":
            if depth == 0 and skip_template:
                if tokens[index - 1][1] == "WHERE":  # CONSTRUCT WHERE { … }: template = pattern
                    raise QueryError("substitutions cannot be sent with CONSTRUCT WHERE { … }")
                skip_template = False
                depth += 1
                continue
            if depth == 0:
                return sparql[: position + 1] + " " + block + " " + sparql[position + 1 :]
            depth += 1
        elif part == "}":
            depth -= 1
        elif depth == 0 and part in _MODIFIERS and form == "DESCRIBE":
            # DESCRIBE ?x LIMIT 1, without a WHERE group: add one before the modifiers.
            return sparql[:position] + "WHERE { " + block + " } " + sparql[position:]
    if form == "DESCRIBE":
        return sparql.rstrip() + " WHERE { " + block + " }"
    raise QueryError("no WHERE group found to bind the substitutions in")


__all__ = [
    "QUERY_FORMS",
    "UPDATE_KEYWORDS",
    "date_literal",
    "datetime_literal",
    "has_dataset_clause",
    "query_form",
    "term",
    "values_block",
    "with_bindings",
]
