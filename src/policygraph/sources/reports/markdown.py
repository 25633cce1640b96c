"""Plain text from markdown-it's syntax tree, shared by the parser of a report and of its
assessment: markup dropped, HTML kept literally (never interpreted), whitespace runs as one."""

from __future__ import annotations

import re
from collections.abc import Iterable

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

MARKDOWN = MarkdownIt("commonmark")  # html=True: HTML is kept as tokens, rendered as text

_WHITESPACE = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Every run of whitespace (line breaks, no-break and double spaces) as one space, trimmed."""
    return _WHITESPACE.sub(" ", text).strip()


def plain_text(nodes: Iterable[SyntaxTreeNode]) -> str:
    """The text of inline nodes: markup dropped, HTML kept literally, line breaks as newlines."""
    out: list[str] = []
    for node in nodes:
        if node.type in ("text", "code_inline", "html_inline"):
            out.append(node.content)
        elif node.type in ("softbreak", "hardbreak"):
            out.append("\n")
        else:  # strong, em, link, image, s: their children carry the text
            out.append(plain_text(node.children))
    return "".join(out)


def inline_nodes(node: SyntaxTreeNode) -> list[SyntaxTreeNode]:
    """The inline children of a paragraph or heading, without empty text nodes."""
    children = node.children[0].children if node.children else []
    return [c for c in children if not (c.type == "text" and not c.content)]


__all__ = ["MARKDOWN", "clean_text", "inline_nodes", "plain_text"]
