"""Bounds on the shape of a query text, checked on its tokens before any parser sees it.

pyoxigraph's parser recurses once per level of nesting: a FILTER with 5,000 nested parentheses
overflows its stack and kills the process that parses it (a query worker, or the web process
for a single scan). So the depth of ``(``, ``{`` and ``[``, the number of tokens and the length
of one string literal are bounded here, on the tokens of the one lexer, and a text past a bound
is refused with a message. The common small query is not even tokenized for it: a text with
fewer brackets than the depth bound cannot nest deeper, and one shorter than the other bounds
cannot hold more tokens or a longer string.
"""

from __future__ import annotations

from dataclasses import dataclass

from policygraph.errors import QueryTooComplexError
from policygraph.sparql.lexer import PUNCT, STRING, Token

_OPENING = frozenset("({[")
_CLOSING = frozenset(")}]")


@dataclass(frozen=True)
class TextBounds:
    max_depth: int
    """Brackets (``(``, ``{``, ``[``) open at once."""
    max_tokens: int
    max_string_chars: int
    """Characters of one string literal, its quotes included."""

    def clearly_within(self, text: str) -> bool:
        """Whether ``text`` is within the bounds without reading its tokens."""
        if len(text) <= min(self.max_tokens, self.max_string_chars):
            brackets = text.count("(") + text.count("{") + text.count("[")
            return brackets <= self.max_depth
        return False

    def check(self, tokens: list[Token]) -> None:
        """Raise ``QueryTooComplexError`` when the tokens pass a bound."""
        if len(tokens) > self.max_tokens:
            raise QueryTooComplexError(
                f"the query has {len(tokens)} tokens; this endpoint reads at most "
                f"{self.max_tokens} (max_query_tokens)"
            )
        depth = deepest = longest = 0
        for token in tokens:
            if token.kind == PUNCT:
                if token.text in _OPENING:
                    depth += 1
                    deepest = max(deepest, depth)
                elif token.text in _CLOSING:
                    depth = max(0, depth - 1)
            elif token.kind == STRING:
                longest = max(longest, len(token.text))
        if deepest > self.max_depth:
            raise QueryTooComplexError(
                f"the query nests brackets {deepest} deep; this endpoint reads at most "
                f"{self.max_depth} (max_query_depth)"
            )
        if longest > self.max_string_chars:
            raise QueryTooComplexError(
                f"the query has a string of {longest} characters; this endpoint reads at most "
                f"{self.max_string_chars} (max_query_string_chars)"
            )


__all__ = ["TextBounds"]
