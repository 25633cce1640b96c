"""The assessment in a report: Markdown blocks → claims, the summary and the conclusion.

``parse`` finds the blocks between the quoted section and the reference list; this module
reads them. The assessment is written by a language model and its layout varies from file to
file; the rules below were drawn from all 193 corpus reports.

Parts. The assessment starts in the summary. A heading, a heading-like line (a short line without
closing punctuation, alone or as the first line of a paragraph), a bold-only paragraph or a
bold-only list item is a *lead*. A lead naming a part switches to it: "Samenvatting" or
"Inleiding" → summary, "…toelichting" → details, "Conclusie" or "Besluit" → conclusion. Any
other heading ends the summary (details follow), except the assessment's own subtitle right after
the quoted section ("# Evaluatie van de naleving …"). Once the conclusion starts, the rest
belongs to it. When no lead names a conclusion, a last top-level paragraph that opens with a
concluding phrase ("Samenvattend", "Concluderend", "Al met al", …) is the conclusion, with any
note after a thematic break that follows it.

Claims. Every paragraph and list item of the three parts is a claim, except leads and paragraphs
that only list markers (the "Referenties: [0][2]…" line). Its theme is its own bold lead
("**Impact van Brexit**: …"), else the lead it sits under: the lead-only item a nested list
belongs to, or the nearest heading, heading-like line or bold-only paragraph. Its citations are
the markers of its text, in order of first appearance: ``[n]``, and ``[a]-[b]``, ``[a-b]`` and
``[Beslissingen a, b]`` read as what they say; a claim that inherits its theme also cites the
markers of that lead (one report puts them in its headings), and a lead with markers that themes
nothing is a claim of its own, so that no marker is lost.

Text is plain: emphasis and links give their text, inline HTML comes through literally (never
interpreted), and runs of whitespace (line breaks, no-break and double spaces) are one space.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it.tree import SyntaxTreeNode

from policygraph.sources.reports.markdown import clean_text, inline_nodes, plain_text
from policygraph.sources.reports.model import ParsedClaim, Part

_LISTS = ("bullet_list", "ordered_list")

# [3] · [0]-[15] · [0-56] · [Beslissingen 2, 3, 6] · [Beslissing 0]; not [5.1] nor [Regeerakkoord].
# Brackets may still carry their Markdown escape (\\[3\\]) in raw HTML, which is kept literally.
_CITATION = re.compile(
    r"\\?\[(?P<first>\d+)\\?\]\s*[-–]\s*\\?\[(?P<last>\d+)\\?\]"
    r"|\\?\[(?:beslissing(?:en)?\s+)?"
    r"(?P<list>\d+(?:\s*[-–]\s*\d+)?(?:\s*,\s*\d+(?:\s*[-–]\s*\d+)?)*)\\?\]",
    re.IGNORECASE,
)
_RANGE = re.compile(r"(\d+)\s*[-–]\s*(\d+)")
_MARKERS_ONLY = re.compile(r"[\s,;.:()]*")

# What follows a bold lead that is a theme: markers, then ":", " - " or the end of the line.
_AFTER_THEME = re.compile(r"^[ \t]*(?:\(?\[[\d\s,\-–]+\]\)?[ \t]*)*(?::|[-–][ \t]|\n|$)")
_PART_LEADS: tuple[tuple[re.Pattern[str], Part], ...] = (
    (re.compile(r"conclusie|^besluit\W*$", re.IGNORECASE), Part.CONCLUSION),
    (re.compile(r"samenvatting|^inleiding\W*$", re.IGNORECASE), Part.SUMMARY),
    (re.compile(r"toelichting", re.IGNORECASE), Part.DETAILS),
)
_REFERENCE_LIST_LEAD = re.compile(r"^(referenties|bronnen)\W*$", re.IGNORECASE)
# Openings of a closing paragraph. "Tot slot" is left out: the corpus uses it for a last point.
_CONCLUDING = re.compile(
    r"^\W*(?:concluderend|conclusie|in conclusie|tot besluit|samenvattend|samengevat"
    r"|in samenvatting|al met al|kortom|alles bij elkaar|over het algemeen|in het algemeen"
    r"|algemeen kan|over het geheel genomen|globaal gezien|overall)\b"
    r"|conclu(?:deren|deerd|sie)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def citations_in(text: str) -> tuple[int, ...]:
    """The reference numbers a text cites, in order of first appearance (ranges expanded)."""
    numbers: list[int] = []
    for match in _CITATION.finditer(text):
        if match["first"] is not None:
            numbers += _expand(int(match["first"]), int(match["last"]))
            continue
        for item in match["list"].split(","):
            bounds = _RANGE.fullmatch(item.strip())
            numbers += _expand(int(bounds[1]), int(bounds[2])) if bounds else [int(item)]
    return tuple(dict.fromkeys(numbers))


def _expand(first: int, last: int) -> list[int]:
    return list(range(first, last + 1)) if first <= last else [first, last]


def _markers_only(text: str) -> bool:
    return bool(text.strip()) and _MARKERS_ONLY.fullmatch(_CITATION.sub("", text)) is not None


def _without_markers(text: str) -> str:
    return clean_text(_CITATION.sub("", text)).rstrip(":").strip()


def _looks_like_heading(text: str) -> bool:
    """A short line without closing punctuation: a heading written without ``#``.

    Lines that end in a colon are lead-in sentences ("…de volgende besluiten:") unless short.
    """
    bare = clean_text(_CITATION.sub("", text))
    if not bare or len(bare) > 120 or bare[-1] in ".!?;,":
        return False
    words = len(bare.split())
    return words <= 6 if bare.endswith(":") else words <= 20


def _looks_like_item_lead(text: str) -> bool:
    """A list item that only names the theme of its nested items: short, ends in a colon."""
    return text.endswith(":") and not citations_in(text) and len(text.split()) <= 12


def _part_of_lead(text: str) -> Part | None:
    bare = _without_markers(text)
    return next((part for pattern, part in _PART_LEADS if pattern.search(bare)), None)


def _block_text(node: SyntaxTreeNode) -> str:
    """The plain text of a block inside a list item (paragraphs, and rarer blocks literally)."""
    if node.type in ("paragraph", "heading"):
        return clean_text(plain_text(inline_nodes(node)))
    if node.children:
        return "\n\n".join(t for t in map(_block_text, node.children) if t)
    return clean_text(node.content)


@dataclass(frozen=True)
class _Lead:
    """A heading-like piece of text that themes what follows it."""

    text: str
    citations: tuple[int, ...]

    @property
    def theme(self) -> str | None:
        return _without_markers(self.text) or None


def _bold_lead(nodes: Sequence[SyntaxTreeNode]) -> tuple[_Lead, str] | None:
    """A paragraph's leading ``**theme**`` and the text after it, if the bold part is a theme.

    Bold at the start of running prose ("**Samenvattend** kunnen we…") is emphasis, not a theme:
    a theme is followed by its markers and then a colon, a dash or the end of the line.
    """
    if not nodes or nodes[0].type != "strong":
        return None
    lead = plain_text(nodes[0].children)
    after = plain_text(nodes[1:])
    match = _AFTER_THEME.match(after)
    if not lead.rstrip().endswith(":") and match is None:
        return None
    markers = after[: match.end()] if match else ""
    rest = after[match.end() :] if match else after.lstrip(" :")
    full = clean_text(lead + markers)
    return _Lead(full, citations_in(full)), clean_text(rest)


class _Assessment:
    """Walks the blocks between the quoted section and the references, collecting claims."""

    def __init__(self, lines: Sequence[str], conclusion_from: int | None) -> None:
        self.lines = lines
        self.conclusion_from = conclusion_from
        self.part = Part.SUMMARY
        self.claims: list[ParsedClaim] = []
        self.texts: dict[Part, list[str]] = {part: [] for part in Part}
        self.theme: _Lead | None = None
        self.theme_used = False
        self.opening = True
        self.conclusion_seen = False

    def walk(self, blocks: Sequence[SyntaxTreeNode]) -> None:
        for index, node in enumerate(blocks):
            if index == self.conclusion_from:
                self.switch(Part.CONCLUSION)
            self.block(node)
            self.opening = False
        self.end_theme()

    def block(self, node: SyntaxTreeNode) -> None:
        if node.type == "heading":
            self.lead(clean_text(plain_text(inline_nodes(node))), heading=True)
        elif node.type == "paragraph":
            self.paragraph(node)
        elif node.type in _LISTS:
            self.items(node, None)
        elif node.type == "hr":  # a thematic break ends the theme, not the part
            self.end_theme()
        elif node.type == "blockquote":
            for child in node.children:
                self.block(child)
        elif node.type in ("html_block", "code_block", "fence"):
            self.literal(node.content)
        else:  # tables and whatever else a future file brings: their source, as text
            start, end = node.map or (0, 0)
            self.literal("\n".join(self.lines[start:end]))

    def literal(self, text: str) -> None:
        """Raw HTML or code in the assessment: kept as text, never interpreted (comments
        excepted: they are not part of the text a reader sees)."""
        text = _HTML_COMMENT.sub("", text)
        if text.strip():
            self.claim(clean_text(text), None)

    def paragraph(self, node: SyntaxTreeNode) -> None:
        nodes = inline_nodes(node)
        text = plain_text(nodes)
        if _markers_only(text):
            return  # "[0][2][3]…" under "Referenties": a list of markers, not a claim
        bold = _bold_lead(nodes)
        if bold is not None and not bold[1]:
            self.lead(bold[0].text, heading=False)
            return
        first_line, _, rest = text.partition("\n")
        # A heading typed without "#": alone, or glued to the paragraph it heads. Hard-wrapped
        # prose goes on in lower case on its next line; a glued paragraph starts a sentence.
        if bold is None and _looks_like_heading(first_line) and not rest.lstrip()[:1].islower():
            self.lead(clean_text(first_line), heading=True)
            if rest.strip():
                self.claim(clean_text(rest), None)
            return
        if bold is not None and (part := _part_of_lead(bold[0].text)) is not None:
            self.switch(part)  # "**Conclusie:** De regering…": the label is structure
            self.claim(bold[1], None)
            return
        self.claim(clean_text(text), bold[0] if bold else None)

    def items(self, node: SyntaxTreeNode, parent: _Lead | None) -> None:
        """The items of a list; ``parent`` is the theme of the item a nested list belongs to
        (None for a top-level list, whose items take the current theme)."""
        for item in node.children:
            blocks = [c for c in item.children if c.type not in _LISTS]
            nested = [c for c in item.children if c.type in _LISTS]
            text = "\n\n".join(t for t in map(_block_text, blocks) if t)
            first = blocks[0] if blocks and blocks[0].type == "paragraph" else None
            bold = _bold_lead(inline_nodes(first)) if first is not None else None
            lead = bold[0] if bold is not None and not bold[1] and len(blocks) == 1 else None
            if lead is None and nested and _looks_like_item_lead(text):
                lead = _Lead(text, ())  # "1. Bevordering van taalvaardigheid:" over sub-items
            if lead is not None and not nested:
                # "1. **Theme**" with its points in a list of their own after it
                self.lead(lead.text, heading=False)
                continue
            theme = parent
            if lead is not None:
                theme = lead  # "1. **Theme**:" whose claims are its nested items
                self.texts[self.part].append(_without_markers(lead.text))
            elif text and not _markers_only(text):
                own = bold[0] if bold else None
                self.claim(text, own, inherited=parent)
                # Nested points share this item's theme; its markers are this item's own.
                context = own or parent or self.theme
                theme = _Lead(context.text, ()) if context is not None else None
            for child in nested:
                self.items(child, theme)

    def lead(self, text: str, *, heading: bool) -> None:
        part = _part_of_lead(text)
        if part is not None:
            self.switch(part)
        elif _REFERENCE_LIST_LEAD.match(text):
            self.end_theme()
        elif self.opening and heading and not citations_in(text):
            pass  # the assessment's own subtitle, e.g. "# Evaluatie van de naleving …"
        else:
            if heading and self.part is Part.SUMMARY and not self.opening:
                self.part = Part.DETAILS
            self.end_theme()
            self.theme = _Lead(text, citations_in(text))
            self.texts[self.part].append(_without_markers(text))

    def switch(self, part: Part) -> None:
        self.end_theme()
        if self.conclusion_seen:
            return  # after the conclusion starts, the rest is conclusion
        self.part = part
        self.conclusion_seen = part is Part.CONCLUSION

    def end_theme(self) -> None:
        """Close the current theme; a lead that carried markers but themed nothing is a claim."""
        theme, used = self.theme, self.theme_used
        self.theme, self.theme_used = None, False
        if theme is not None and theme.citations and not used:
            self.claim(theme.text, None)

    def claim(self, text: str, own: _Lead | None, *, inherited: _Lead | None = None) -> None:
        if not text:
            return
        context = inherited if inherited is not None else self.theme
        citations = citations_in(text)
        if own is None and context is not None:
            citations = tuple(dict.fromkeys(context.citations + citations))
            self.theme_used = True
        theme = own.theme if own is not None else (context.theme if context else None)
        self.claims.append(ParsedClaim(len(self.claims) + 1, self.part, text, theme, citations))
        self.texts[self.part].append(text)

    def text_of(self, part: Part) -> str | None:
        return "\n\n".join(self.texts[part]) or None


@dataclass(frozen=True)
class Assessment:
    """What ``read_assessment`` finds: the claims in order, and the text of two of the parts."""

    claims: tuple[ParsedClaim, ...]
    summary: str | None
    conclusion: str | None


def read_assessment(blocks: Sequence[SyntaxTreeNode], lines: Sequence[str]) -> Assessment:
    """The claims and part texts of the assessment's top-level ``blocks``.

    ``lines`` are the document's source lines, for blocks that are kept as their source. When no
    lead names a conclusion, the blocks are walked again, the conclusion starting at the closing
    paragraph (if there is one).
    """
    walker = _Assessment(lines, None)
    walker.walk(blocks)
    if not walker.conclusion_seen and (closing := _closing_paragraph(blocks)) is not None:
        walker = _Assessment(lines, closing)
        walker.walk(blocks)
    return Assessment(
        claims=tuple(walker.claims),
        summary=walker.text_of(Part.SUMMARY),
        conclusion=walker.text_of(Part.CONCLUSION),
    )


def _closing_paragraph(body: Sequence[SyntaxTreeNode]) -> int | None:
    """The index of the last top-level paragraph if it opens with a concluding phrase.

    Only the run of paragraphs at the very end counts; a note after a thematic break in that
    run ("*Deze samenvatting is gebaseerd op…*") is passed over and joins the conclusion.
    """
    tail: list[int] = []
    for index in range(len(body) - 1, -1, -1):
        if body[index].type not in ("paragraph", "hr"):
            break
        tail.insert(0, index)
    breaks = [i for i in tail if body[i].type == "hr"]
    candidates = [i for i in tail if body[i].type == "paragraph" and (not breaks or i < breaks[0])]
    if not candidates:
        return None
    index = candidates[-1]
    nodes = inline_nodes(body[index])
    text = plain_text(nodes)
    if _bold_lead(nodes) is not None or _looks_like_heading(text.partition("\n")[0]):
        return None
    first_sentence = _SENTENCE_END.split(clean_text(text), maxsplit=1)[0]
    return index if _CONCLUDING.search(first_sentence) else None


__all__ = ["Assessment", "citations_in", "read_assessment"]
