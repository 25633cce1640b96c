"""One assessment report (``corpus/reports/**/*.md``): Markdown text → plain values.

``parse_report`` reads one report with markdown-it (CommonMark) and walks its syntax tree into
the values of ``model``; it knows nothing of RDF (``graph`` maps them, ``corpus`` reads the
files of an agreement).

A report is: a heading (the section's title); the quoted agreement text in
``<details><summary>Regeerakkoord Sectie</summary><p>…</p></details>``; the assessment (read by
``assessment.read_assessment``: claims, summary, conclusion); and the reference list in
``<details><summary>Referenties</summary>…</details>``, one paragraph per reference,
``**[\\[n\\]](search URL)** : **(YYYY-MM-DD)** title``, or only ``**[\\[n\\]]** : **(date)**``
when the source knew no title (94 corpus references).

Malformed input raises ``SourceFormatError`` naming the file (and line, where there is one) when
the report would otherwise be misread without a word: no heading before the quoted section, no
quoted section or one never closed, a quoted text that does not start with its section number,
no references block, a reference that does not read as number, date and title, a number given
twice, anything but references inside the block, or content after it. A references block that is
empty, or left unclosed at the end of the file, is read as it stands: the document is complete
and its markers are kept as citations of missing references.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from html.parser import HTMLParser

from markdown_it.tree import SyntaxTreeNode

from policygraph.errors import SourceFormatError
from policygraph.sources.reports.assessment import read_assessment
from policygraph.sources.reports.markdown import MARKDOWN, clean_text, inline_nodes, plain_text
from policygraph.sources.reports.model import ParsedReference, ParsedReport

_SECTION_SUMMARY = re.compile(r"<summary>\s*Regeerakkoord\s+Sectie\s*</summary>", re.IGNORECASE)
_REFERENCES_SUMMARY = re.compile(r"<summary>\s*Referenties\s*</summary>", re.IGNORECASE)
_DETAILS_END = re.compile(r"</details\s*>", re.IGNORECASE)
_SECTION_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?(?=\s|$)")

_REFERENCE_NUMBER = re.compile(r"^\[?\[(\d+)\]\]?$")
_REFERENCE_REST = re.compile(r"^\s*:\s*\((\d{4}-\d{2}-\d{2})\)\s*(.*)$", re.DOTALL)


class _SectionText(HTMLParser):
    """The text of the ``<p>`` in the quoted-section ``<details>`` (all text outside
    ``<summary>`` when there is no ``<p>``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_summary = False
        self.in_p = False
        self.p_text: list[str] = []
        self.other_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_summary |= tag == "summary"
        self.in_p |= tag == "p"

    def handle_endtag(self, tag: str) -> None:
        if tag == "summary":
            self.in_summary = False
        if tag == "p":
            self.in_p = False

    def handle_data(self, data: str) -> None:
        if self.in_p:
            self.p_text.append(data)
        elif not self.in_summary:
            self.other_text.append(data)

    def text(self) -> str:
        return clean_text("".join(self.p_text or self.other_text))


def parse_report(text: str, source: str) -> ParsedReport:
    """One report's Markdown as plain values; ``source`` names it in error messages."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    blocks = SyntaxTreeNode(MARKDOWN.parse(text)).children

    start = _first_details(blocks, _SECTION_SUMMARY)
    if start is None:
        raise SourceFormatError(
            f"{source}: no quoted section "
            "(<details><summary>Regeerakkoord Sectie</summary>…</details>)"
        )
    headings = [b for b in blocks[:start] if b.type == "heading"]
    if not headings:
        raise SourceFormatError(f"{source}: no heading before the quoted section")
    title = clean_text(plain_text(inline_nodes(headings[0])))

    section_text, end_line = _quoted_section(blocks[start], lines, source)
    number = _SECTION_NUMBER.match(section_text)
    if number is None:
        raise SourceFormatError(
            f"{source}:{_line(blocks[start])}: the quoted section text does not start with a "
            f"section number: {section_text[:60]!r}"
        )
    after = [b for b in blocks[start + 1 :] if b.map is None or b.map[0] > end_line]
    refs_at = _first_details(after, _REFERENCES_SUMMARY)
    if refs_at is None:
        raise SourceFormatError(
            f"{source}: no references block (<details><summary>Referenties</summary>)"
        )
    body = after[:refs_at]
    references = _references(after[refs_at:], lines, source)

    assessment = read_assessment(body, lines)
    return ParsedReport(
        title=title,
        section_text=section_text,
        section_number=number[1],
        summary=assessment.summary,
        conclusion=assessment.conclusion,
        claims=assessment.claims,
        references=references,
    )


def _first_details(blocks: Sequence[SyntaxTreeNode], summary: re.Pattern[str]) -> int | None:
    """The index of the first HTML block whose ``<summary>`` matches, if any."""
    return next(
        (
            i
            for i, block in enumerate(blocks)
            if block.type == "html_block" and summary.search(block.content)
        ),
        None,
    )


def _quoted_section(node: SyntaxTreeNode, lines: Sequence[str], source: str) -> tuple[str, int]:
    """The quoted agreement text and the 0-based line where its ``</details>`` is.

    The block is read from the source lines, not the token: a blank line inside ``<p>`` would
    end the HTML block early, and the rest would parse as Markdown.
    """
    begin = _line(node) - 1
    end = next((i for i in range(begin, len(lines)) if _DETAILS_END.search(lines[i])), None)
    if end is None:
        raise SourceFormatError(f"{source}:{begin + 1}: the quoted section is never closed")
    parser = _SectionText()
    parser.feed("\n".join(lines[begin : end + 1]))
    parser.close()
    return parser.text(), end


def _references(
    blocks: Sequence[SyntaxTreeNode], lines: Sequence[str], source: str
) -> tuple[ParsedReference, ...]:
    """The references block: its opening HTML, one paragraph per reference, ``</details>``."""
    references: dict[int, ParsedReference] = {}
    closed, glued = _opening_of_references(blocks[0], lines)
    for node in [*glued, *blocks[1:]]:
        if closed:
            raise SourceFormatError(
                f"{source}:{_line(node)}: unexpected content after the references block"
            )
        if node.type in ("html_block", "code_block") and _DETAILS_END.search(node.content):
            closed = True
            if _DETAILS_END.sub("", node.content).strip():
                raise SourceFormatError(
                    f"{source}:{_line(node)}: unexpected content in the references block"
                )
            continue
        if node.type != "paragraph":
            raise SourceFormatError(
                f"{source}:{_line(node)}: unexpected {node.type} in the references block"
            )
        nodes = inline_nodes(node)
        if nodes and nodes[-1].type == "html_inline" and _DETAILS_END.match(nodes[-1].content):
            nodes, closed = nodes[:-1], True  # "…title\n        </details>" joins the paragraph
        for entry in _entries(nodes):
            reference = _reference(entry, f"{source}:{_line(node)}")
            if reference.number in references:
                raise SourceFormatError(
                    f"{source}:{_line(node)}: reference [{reference.number}] is given twice"
                )
            references[reference.number] = reference
    return tuple(references.values())


def _entries(nodes: Sequence[SyntaxTreeNode]) -> list[Sequence[SyntaxTreeNode]]:
    """The references of one paragraph: entries on consecutive lines, with no blank line between
    them, are one Markdown paragraph; a line that starts with a bold ``[n]`` starts an entry. (A
    title that runs over two lines does not.)"""
    starts = [0] + [
        i + 1
        for i, node in enumerate(nodes[:-1])
        if node.type in ("softbreak", "hardbreak")
        and nodes[i + 1].type == "strong"
        and _REFERENCE_NUMBER.match(plain_text(nodes[i + 1 : i + 2]).strip())
    ]
    return [nodes[a:b] for a, b in zip(starts, [*starts[1:], len(nodes)], strict=True)]


def _opening_of_references(
    node: SyntaxTreeNode, lines: Sequence[str]
) -> tuple[bool, list[SyntaxTreeNode]]:
    """Whether the opening HTML block already closes the references block, and the entries glued
    to it: without a blank line after ``</summary>`` the HTML block runs on over the first
    entries, so those lines are parsed as Markdown of their own (keeping their line numbers)."""
    start, end = node.map or (0, 0)
    summary_end = next((i for i in range(start, end) if "</summary>" in lines[i]), start)
    head, rest = lines[start : summary_end + 1], lines[summary_end + 1 : end]
    if not any(line.strip() for line in rest):
        return _DETAILS_END.search(node.content) is not None, []
    padded = "\n" * (summary_end + 1) + "\n".join(rest)
    glued = SyntaxTreeNode(MARKDOWN.parse(padded)).children
    return _DETAILS_END.search("\n".join(head)) is not None, glued


def _reference(nodes: Sequence[SyntaxTreeNode], where: str) -> ParsedReference:
    """``**[\\[n\\]](url)** : **(YYYY-MM-DD)** title`` (or ``**[\\[n\\]]** : **(date)**``)."""
    while nodes and nodes[-1].type in ("softbreak", "hardbreak"):
        nodes = nodes[:-1]
    number = _REFERENCE_NUMBER.match(plain_text(nodes[:1]).strip()) if nodes else None
    if not nodes or nodes[0].type != "strong" or number is None:
        raise SourceFormatError(
            f"{where}: a reference must start with its number in bold, like **[\\[0\\]](url)**"
        )
    links = [c for c in nodes[0].children if c.type == "link"]
    url = str(links[0].attrs.get("href", "")) if links else ""
    rest = _REFERENCE_REST.match(plain_text(nodes[1:]))
    if rest is None:
        raise SourceFormatError(f"{where}: reference [{number[1]}] has no ' : **(YYYY-MM-DD)**'")
    try:
        when = date.fromisoformat(rest[1])
    except ValueError:
        raise SourceFormatError(
            f"{where}: reference [{number[1]}] has a bad date {rest[1]}"
        ) from None
    title = clean_text(rest[2])
    return ParsedReference(int(number[1]), when, title or None, url or None)


def _line(node: SyntaxTreeNode) -> int:
    return node.map[0] + 1 if node.map else 0


__all__ = ["parse_report"]
