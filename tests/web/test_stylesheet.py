"""The stylesheet is whole: a block left open (as a merge can leave one) silently moves every
rule after it into a phone-only media query, and the desktop pages lose them."""

from __future__ import annotations

import re
from importlib.resources import files


def test_every_block_of_the_stylesheet_is_closed_where_it_opened():
    css = (files("policygraph.web") / "static" / "ld" / "style.css").read_text(encoding="utf-8")
    depth = 0
    for number, line in enumerate(re.sub(r"/\*.*?\*/", _blank, css, flags=re.S).splitlines(), 1):
        depth += line.count("{") - line.count("}")
        assert 0 <= depth <= 2, f"line {number}: blocks nested {depth} deep"
    assert depth == 0


def _blank(comment: re.Match[str]) -> str:
    """A comment's lines, emptied: the line numbers stay those of the file."""
    return "\n" * comment.group(0).count("\n")
