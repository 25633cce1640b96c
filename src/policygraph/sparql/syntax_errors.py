"""A SPARQL syntax error in words: where, what was expected, the line with a caret under it.

pyoxigraph's parser reports the furthest position it reached and the alternatives it tried
there, in the grammar's own terms: character ranges (``['0'..='9']``), internal rule names
(``IRI parsing failed``, ``[_]``) and, for an expression, every built-in function. A reader wants
the nearest thing a SPARQL user knows, so those become words ("a number", "an IRI", "an
expression"). The one place the parser's position misleads is the query form: ``SELEC *`` fails
several tokens later, where the parser gave up on its last alternative, so a text whose first
word after the prologue is no form is reported at that word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policygraph.errors import QuerySyntaxError
from policygraph.sparql.lexer import KEYWORD, PUNCT, Token, after_prologue, tokenize

FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATES = (
    "INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH",
)  # fmt: skip
_POSITION = re.compile(r"error at (\d+):(\d+): expected (?:one of )?(.*)", re.DOTALL)
# The parser's alternatives: "quoted" punctuation, [character ranges], bare keywords and rules.
_ALTERNATIVE = re.compile(r'"((?:[^"\\]|\\.)*)"|(\[[^\]]*\])|([^,"\[]+)')
_NAME_START = "['A' ..= 'Z'"
_DIGITS = "['0'..='9']"
# What the characters a term may begin with stand for; "": not worth naming (RDF 1.2's triple
# terms and annotations, the parser's own rules, the characters inside a name).
_TERMS = {
    "$": "a variable",
    "?": "a variable",
    "<": "an IRI",
    ":": "a prefixed name",
    _NAME_START: "a prefixed name",
    "'": "a string",
    "'" * 3: "a string",
    '"': "a string",
    '"' * 3: "a string",
    "+": "a number",
    "-": "a number",
    _DIGITS: "a number",
    "[": "a blank node",
    "_:": "a blank node",
    "true": "true or false",
    "false": "true or false",
    "IRI parsing failed": "a valid absolute IRI",
    "<<": "",
    "<<(": "",
    "{|": "",
    "~": "",
    "[_]": "",
    "['_']": "",
}
# The alternatives a group pattern always has: named only when nothing else was expected.
_GROUP_CONTINUATIONS = {"OPTIONAL", "SERVICE", "LATERAL"}
# This many built-in function names in one list means the parser wanted an expression.
_EXPRESSION_HINTS = {"ABS", "STR", "IRI", "NOW", "isLITERAL"}
_CARET_LINE_LIMIT = 200


@dataclass(frozen=True)
class SyntaxProblem:
    line: int
    column: int
    expected: str
    found: str | None
    """What stands there as written; "" at the end of the text, None when not worth saying."""
    source_line: str

    def message(self) -> str:
        """``line 1, column 1: expected …, found 'SELEC'``, then the line and a caret."""
        found = {None: "", "": ", found the end of the query"}.get(
            self.found, f", found '{self.found}'"
        )
        head = f"line {self.line}, column {self.column}: expected {self.expected}{found}"
        shown = self.source_line.expandtabs(1)
        start = max(0, self.column - 1 - _CARET_LINE_LIMIT // 2)
        excerpt = shown[start : start + _CARET_LINE_LIMIT]
        caret = " " * (self.column - 1 - start) + "^"
        return f"{head}\n  {excerpt}\n  {caret}"


def describe(text: str, parser_message: str) -> SyntaxProblem:
    """The syntax problem of ``text``, from the message pyoxigraph gave for it."""
    tokens = tokenize(text)
    first = tokens[after_prologue(tokens)] if len(tokens) > after_prologue(tokens) else None
    if first is None:
        return _at(text, len(text), "SELECT, CONSTRUCT, DESCRIBE or ASK", None)
    if first.kind != KEYWORD or first.text not in FORMS + UPDATES:
        return _at(text, first.start, "SELECT, CONSTRUCT, DESCRIBE or ASK", _shown(text, first))
    matched = _POSITION.match(parser_message)
    if matched is None:
        return _at(text, len(text), parser_message.strip() or "valid SPARQL", None)
    line, column = int(matched.group(1)), int(matched.group(2))
    offset = _offset(text, line, column)
    unclosed = next((t for t in tokens if t.kind == PUNCT and t.text in "'\""), None)
    if unclosed is not None:
        return _at(text, unclosed.start, "a string closed on its line", None)
    alternatives = matched.group(3)
    if alternatives.strip() == "IRI parsing failed":
        # Reported after the IRI that does not parse: point at that IRI.
        before = [t for t in tokens if t.start < offset]
        if before:
            return _at(text, before[-1].start, "a valid absolute IRI", before[-1].text)
    found = next((t for t in tokens if t.start >= offset), None)
    return _at(text, offset, _expected(alternatives), _shown(text, found) if found else "")


def syntax_error(text: str, exc: SyntaxError) -> QuerySyntaxError:
    """The error to raise for ``text``, which pyoxigraph's parser refused with ``exc``."""
    return QuerySyntaxError(describe(text, str(exc)).message())


def _expected(alternatives: str) -> str:
    names = [_alternative(*found) for found in _ALTERNATIVE.findall(alternatives)]
    if len(_EXPRESSION_HINTS.intersection(names)) >= 2:
        return "an expression"
    strong = [name for name in names if name and name not in _GROUP_CONTINUATIONS]
    words = [_TERMS.get(name, name if name[:1].isalpha() else f"'{name}'") for name in strong]
    unique = list(dict.fromkeys(word for word in words if word))
    if not unique:
        return "a triple pattern or '}'"
    return unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + " or " + unique[-1]


def _alternative(quoted: str, character_range: str, bare: str) -> str:
    """One alternative as a name of ``_TERMS`` or as written; "" for the characters of a name."""
    if quoted:
        return re.sub(r"\\(.)", r"\1", quoted)
    if character_range.startswith(_NAME_START):
        return _NAME_START
    if character_range:
        return character_range if character_range in _TERMS else ""
    return bare.strip()


def _offset(text: str, line: int, column: int) -> int:
    """The character offset of pyoxigraph's 1-based line and column (columns count characters)."""
    lines = text.split("\n")
    if line > len(lines):
        return len(text)
    before = sum(len(previous) + 1 for previous in lines[: line - 1])
    return min(before + column - 1, len(text))


def _shown(text: str, token: Token) -> str:
    word = text[token.start :].split(None, 1)
    return word[0][:40] if word else token.text[:40]


def _at(text: str, offset: int, expected: str, found: str | None) -> SyntaxProblem:
    line = text.count("\n", 0, offset) + 1
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    source_line = text[line_start : line_end if line_end >= 0 else len(text)].rstrip("\r")
    column = offset - line_start + 1
    # A caret under a tab lines up once tabs are shown as one space each (``expandtabs(1)``).
    return SyntaxProblem(line, column, expected, found, source_line)


__all__ = ["FORMS", "UPDATES", "SyntaxProblem", "describe", "syntax_error"]
