"""What the query service must know about a query before pyoxigraph evaluates it.

Everything here is read from the tokens of the one lexer (``lexer.py``), so a keyword is never a
word inside a string, an IRI, a comment or a name; that is what makes the SERVICE guard exact
rather than a substring search. Tokenizing is all that is needed: ``SERVICE``, ``FROM`` and the
update operations are reserved words that the grammar only allows in the places read here.

The text is not validated here; pyoxigraph reports syntax errors afterwards.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from urllib.parse import urljoin

from policygraph.sparql.bounds import TextBounds
from policygraph.sparql.lexer import IRI, KEYWORD, PNAME, Token, after_prologue, tokenize
from policygraph.sparql.single_scan import may_be_single_scan, single_scan

QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"})
UPDATE_OPERATIONS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "USING"}
)
_NONDETERMINISTIC_FUNCTIONS = frozenset({"RAND", "NOW", "UUID", "STRUUID"})
_PN_LOCAL_ESCAPE = re.compile(r"\\(.)")
# Substring tests of the lower-cased text are ten times faster than a case-blind regex.
_KEYWORD_HINTS = tuple(
    sorted(w.lower() for w in {"FROM", "SERVICE", *UPDATE_OPERATIONS, *_NONDETERMINISTIC_FUNCTIONS})
)


@dataclass(frozen=True)
class QueryText:
    """The facts about a query text that decide how (and whether) it is evaluated."""

    has_dataset_clause: bool
    """The query names its own dataset (FROM / FROM NAMED)."""
    services: tuple[str | None, ...]
    """The endpoint of every SERVICE clause, resolved; None where it is a variable or unknown."""
    update_operations: tuple[str, ...]
    """SPARQL Update keywords found (a query endpoint refuses them)."""
    deterministic: bool
    """False when the result can change between runs on the same data (RAND, NOW, UUID…)."""
    single_scan: bool = False
    """Its evaluation is one index scan, bounded per row (``single_scan.py``)."""


_PLAIN = QueryText(has_dataset_clause=False, services=(), update_operations=(), deterministic=True)


def inspect_query(
    text: str,
    base_iri: str | None = None,
    bounds: TextBounds | None = None,
    *,
    single_scans: bool = True,
) -> QueryText:
    """The facts of ``text``, tokenized at most once; relative IRIs resolve against ``base_iri``.

    With ``bounds``, a text past them raises ``QueryTooComplexError`` (``bounds.py``). Without
    ``single_scans``, ``single_scan`` is left False (for callers that evaluate no query here).
    """
    tokens = None
    if bounds is not None and not bounds.clearly_within(text):
        tokens = tokenize(text)
        bounds.check(tokens)
    lowered = text.lower()
    keywords = any(word in lowered for word in _KEYWORD_HINTS)
    scan = single_scans and may_be_single_scan(text)
    if not keywords and not scan:
        # None of the words that matter occurs anywhere, not even inside a string or an IRI,
        # and it cannot be a single scan: nothing to tokenize (the common case on the hot path).
        return _PLAIN
    if tokens is None:
        tokens = tokenize(text)
    facts = _facts(tokens, base_iri) if keywords else _PLAIN
    if scan and single_scan(tokens):
        return dataclasses.replace(facts, single_scan=True)
    return facts


def form(tokens: list[Token]) -> str | None:
    """The first keyword after the prologue: SELECT, CONSTRUCT, ASK, DESCRIBE, or an update's.

    ``None`` when the text has none (it is not SPARQL).
    """
    index = after_prologue(tokens)
    if index < len(tokens) and tokens[index].kind == KEYWORD:
        return tokens[index].text
    return None


def query_form(text: str) -> str | None:
    """The form of the query ``text`` (see ``form``)."""
    return form(tokenize(text))


def has_dataset_clause(text: str) -> bool:
    """Whether the query names its own dataset (FROM, FROM NAMED)."""
    return inspect_query(text).has_dataset_clause


def _facts(tokens: list[Token], base_iri: str | None) -> QueryText:
    prefixes: dict[str, str] = {}
    base = base_iri
    dataset_clause = False
    services: list[str | None] = []
    updates: list[str] = []
    deterministic = True
    for index, token in enumerate(tokens):
        if token.kind != KEYWORD:
            continue
        word = token.text
        following = tokens[index + 1 : index + 4]
        if word == "BASE" and following and following[0].kind == IRI:
            base = _resolve(following[0].text[1:-1], base)
        elif word == "PREFIX" and len(following) >= 2 and following[0].kind == PNAME:
            if following[1].kind == IRI:
                iri = _resolve(following[1].text[1:-1], base)
                if iri is not None:
                    prefixes[following[0].text[:-1]] = iri
        elif word == "FROM":
            dataset_clause = True
        elif word == "SERVICE":
            if following and following[0].is_keyword("SILENT"):
                following = following[1:]
            services.append(_endpoint(following[0] if following else None, prefixes, base))
        elif word in UPDATE_OPERATIONS:
            updates.append(word)
        elif word in _NONDETERMINISTIC_FUNCTIONS and following and following[0].text == "(":
            deterministic = False
    return QueryText(dataset_clause, tuple(services), tuple(updates), deterministic)


def _endpoint(token: Token | None, prefixes: dict[str, str], base: str | None) -> str | None:
    if token is None:
        return None
    if token.kind == IRI:
        return _resolve(token.text[1:-1], base)
    if token.kind == PNAME:
        prefix, _, local = token.text.partition(":")
        namespace = prefixes.get(prefix)
        if namespace is None:
            return None
        return namespace + _PN_LOCAL_ESCAPE.sub(r"\1", local)
    return None


def _resolve(iri: str, base: str | None) -> str | None:
    """Resolve a possibly relative IRI against the base, as RFC 3986 says (None if impossible)."""
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri):
        return iri
    if base is None:
        return None
    return urljoin(base, iri)


__all__ = [
    "QUERY_FORMS",
    "UPDATE_OPERATIONS",
    "QueryText",
    "form",
    "has_dataset_clause",
    "inspect_query",
    "query_form",
]
