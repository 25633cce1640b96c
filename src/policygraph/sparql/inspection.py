"""What the query service must know about a query before pyoxigraph evaluates it.

pyoxigraph has no algebra API, so the text is tokenized here with the SPARQL 1.1 terminals
(IRIs, the four string forms, comments, prefixed names, variables, language tags, blank node
labels and keywords). A keyword found this way is a keyword of the query, never a word inside a
string, an IRI, a comment or a name; that is what makes the SERVICE guard exact rather than a
substring search. Tokenizing is all that is needed: ``SERVICE``, ``FROM`` and the update
operations are reserved words that the grammar only allows in the places this module reads.

The text is not validated here; pyoxigraph reports syntax errors afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

_BASE_CHARS = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_U_CHARS = _BASE_CHARS + "_"
_CHARS = _U_CHARS + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"

_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
    |(?P<comment>\#[^\n\r]*)
    |(?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
    |(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    |(?P<var>[?$][{_U_CHARS}0-9][{_CHARS}]*)
    |(?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?)
    |(?P<bnode>_:[{_U_CHARS}0-9][{_CHARS}.]*)
    |(?P<pname>(?:[{_BASE_CHARS}][{_CHARS}.]*)?:(?:(?:[{_U_CHARS}:0-9]|{_PLX})(?:[{_CHARS}.:]|{_PLX})*)?)
    |(?P<word>[A-Za-z][A-Za-z0-9_]*)
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "USING"}
)
_NONDETERMINISTIC_FUNCTIONS = frozenset({"RAND", "NOW", "UUID", "STRUUID"})
_PN_LOCAL_ESCAPE = re.compile(r"\\(.)")
# Substring tests of the lower-cased text are ten times faster than a case-blind regex.
_KEYWORD_HINTS = tuple(
    sorted(w.lower() for w in {"FROM", "SERVICE", *_UPDATE_WORDS, *_NONDETERMINISTIC_FUNCTIONS})
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


def inspect_query(text: str, base_iri: str | None = None) -> QueryText:
    """Tokenize ``text`` and report its dataset clause, SERVICE endpoints and update words."""
    lowered = text.lower()
    if not any(word in lowered for word in _KEYWORD_HINTS):
        # None of the words that matter occurs anywhere, not even inside a string or an IRI:
        # nothing to tokenize (the common case, and worth it on the hot path).
        return _PLAIN
    tokens = [(m.lastgroup, m.group()) for m in _TOKEN.finditer(text)]
    significant = [(kind, value) for kind, value in tokens if kind not in ("ws", "comment")]
    prefixes: dict[str, str] = {}
    base = base_iri
    has_dataset_clause = False
    services: list[str | None] = []
    updates: list[str] = []
    deterministic = True
    for index, (kind, value) in enumerate(significant):
        if kind != "word":
            continue
        word = value.upper()
        following = significant[index + 1 : index + 4]
        if word == "BASE" and following and following[0][0] == "iri":
            base = _resolve(following[0][1][1:-1], base)
        elif word == "PREFIX" and len(following) >= 2 and following[0][0] == "pname":
            if following[1][0] == "iri":
                iri = _resolve(following[1][1][1:-1], base)
                if iri is not None:
                    prefixes[following[0][1][:-1]] = iri
        elif word == "FROM":
            has_dataset_clause = True
        elif word == "SERVICE":
            if following and following[0][0] == "word" and following[0][1].upper() == "SILENT":
                following = following[1:]
            services.append(_endpoint(following[0] if following else None, prefixes, base))
        elif word in _UPDATE_WORDS:
            updates.append(word)
        elif word in _NONDETERMINISTIC_FUNCTIONS and following and following[0][1] == "(":
            deterministic = False
    return QueryText(has_dataset_clause, tuple(services), tuple(updates), deterministic)


_PLAIN = QueryText(has_dataset_clause=False, services=(), update_operations=(), deterministic=True)


def _endpoint(
    token: tuple[str | None, str] | None, prefixes: dict[str, str], base: str | None
) -> str | None:
    if token is None:
        return None
    kind, value = token
    if kind == "iri":
        return _resolve(value[1:-1], base)
    if kind == "pname":
        prefix, _, local = value.partition(":")
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


_SUBJECT_KINDS = frozenset({"iri", "pname", "var"})
Token = tuple[str | None, str]


def is_single_scan(text: str) -> bool:
    """True when evaluating ``text`` is one scan of one index: its work is bounded per row.

    Such a query is one triple pattern with no repeated variable, no path, no filter, no
    DISTINCT, ORDER BY, GROUP BY or OFFSET: pyoxigraph produces each of its rows in a few index
    steps, so the time to its n-th byte grows with n and a byte budget bounds its time. The forms
    recognised are ``SELECT vars|* WHERE { s p o }``, ``ASK``, ``CONSTRUCT WHERE`` (one triple
    out per row) and ``DESCRIBE`` of IRIs without a pattern, each with an optional ``LIMIT``.
    (``DESCRIBE ?x WHERE`` is not: it describes each distinct ``?x``, and skipping duplicates
    is unbounded work per byte out; nor is a CONSTRUCT template, for the same reason.) Anything
    else, or a text that is not SPARQL at all, is False: the answer must be sound, not complete.
    """
    if text.count("{") > 1 or "(" in text:
        # Not one group, or a call, a filter or an expression somewhere: not a single scan.
        # (A single scan with such a character in a literal or a comment is missed; that is
        # allowed, and it spares tokenizing every long query.)
        return False
    tokens = [(m.lastgroup, m.group()) for m in _TOKEN.finditer(text)]
    significant = _after_prologue([t for t in tokens if t[0] not in ("ws", "comment")])
    if not significant or significant[0][0] != "word":
        return False
    rest = _after_form(significant[0][1].upper(), significant[1:])
    if rest is None:
        return False
    if _is_word(rest, "LIMIT"):
        digits = _count_leading(rest[1:], "other")
        if digits == 0 or not all(value.isdigit() for _, value in rest[1 : 1 + digits]):
            return False
        rest = rest[1 + digits :]
    return not rest


def _after_form(form: str, rest: list[Token]) -> list[Token] | None:
    """What follows the query form and its pattern; None if they are not a single scan."""
    if form in ("SELECT", "ASK"):
        if form == "SELECT":
            count = 1 if rest[:1] == [("other", "*")] else _count_leading(rest, "var")
            if count == 0:
                return None
            rest = rest[count:]
        return _where(rest, required=False)
    if form == "CONSTRUCT":
        return _where(rest, required=True)
    if form == "DESCRIBE":
        count = _count_leading(rest, "iri", "pname")
        return rest[count:] if count else None
    return None


def _after_prologue(tokens: list[Token]) -> list[Token]:
    while len(tokens) >= 2 and tokens[0][0] == "word":
        word = tokens[0][1].upper()
        if word == "BASE" and tokens[1][0] == "iri":
            tokens = tokens[2:]
        elif word == "PREFIX" and len(tokens) >= 3 and tokens[1][0] == "pname":
            tokens = tokens[3:]
        else:
            break
    return tokens


def _count_leading(tokens: list[Token], *kinds: str) -> int:
    count = 0
    while count < len(tokens) and tokens[count][0] in kinds:
        count += 1
    return count


def _is_word(tokens: list[Token], word: str) -> bool:
    return bool(tokens) and tokens[0][0] == "word" and tokens[0][1].upper() == word


def _where(tokens: list[Token], *, required: bool) -> list[Token] | None:
    """What follows ``[WHERE] { s p o [.] }``; None if that is not what comes."""
    if _is_word(tokens, "WHERE"):
        tokens = tokens[1:]
    elif required:
        return None
    if tokens[:1] != [("other", "{")]:
        return None
    pattern, rest = _triple(tokens[1:])
    if pattern is None:
        return None
    if rest[:1] == [("other", ".")]:
        rest = rest[1:]
    if rest[:1] != [("other", "}")]:
        return None
    return rest[1:]


def _triple(tokens: list[Token]) -> tuple[list[Token] | None, list[Token]]:
    if len(tokens) < 3:
        return None, tokens
    subject, predicate = tokens[0], tokens[1]
    if subject[0] not in _SUBJECT_KINDS:
        return None, tokens
    if predicate[0] not in _SUBJECT_KINDS and predicate != ("word", "a"):
        return None, tokens
    length = 3
    obj = tokens[2]
    if obj[0] == "string":
        if tokens[3:4] and tokens[3][0] == "langtag":
            length = 4
        elif tokens[3:5] == [("other", "^"), ("other", "^")]:
            if not (tokens[5:6] and tokens[5][0] in ("iri", "pname")):
                return None, tokens
            length = 6
    elif obj[0] not in _SUBJECT_KINDS:
        return None, tokens
    variables = [value[1:] for kind, value in (subject, predicate, obj) if kind == "var"]
    if len(set(variables)) != len(variables):
        return None, tokens  # ?x ?x ?o filters a scan: many steps per row
    return tokens[:length], tokens[length:]


__all__ = ["QueryText", "inspect_query", "is_single_scan"]
