"""Which sections of the agreement name which organisation: ``<org> pg:mentionedIn <section>``.

Each organisation of the curated organisations graph carries a ``pg:matchPattern``: a Python
regular expression, matched case-sensitively, that finds its names in a text ("FIT" as a word,
not inside "profiteren"). A section or chapter mentions an organisation when its ``pg:text``
contains a match. The result is a graph of its own per agreement,
``{base}/graph/regeerakkoord/{agreement}/vermeldingen``, whose source is the agreement: the
mentions are read from its words.
"""

from __future__ import annotations

import re

from pyoxigraph import Literal, NamedNode, Triple

from policygraph.errors import SourceFormatError
from policygraph.namespaces import PG, Minter
from policygraph.sources import SourceGraph
from policygraph.sources.agreement.declaration import Agreement


def find_mentions(
    agreement: Agreement, text: SourceGraph, organisations: SourceGraph, minter: Minter
) -> SourceGraph:
    """A ``pg:mentionedIn`` triple for every organisation whose pattern matches a section's text."""
    patterns = _patterns(organisations)
    texts = sorted(
        (t.subject.value, t.object.value)
        for t in text.triples
        if t.predicate == PG.text
        and isinstance(t.subject, NamedNode)
        and isinstance(t.object, Literal)
    )
    triples = [
        Triple(NamedNode(organisation), PG.mentionedIn, NamedNode(part))
        for organisation, pattern in sorted(patterns.items())
        for part, text in texts
        if pattern.search(text)
    ]
    return SourceGraph(
        name=agreement.iris(minter).mentions_graph(),
        title=(
            f"Organisaties vermeld in het regeerakkoord {agreement.slug} / "
            "organisations named in the agreement"
        ),
        document=text.document,
        triples=tuple(triples),
    )


def _patterns(organisations: SourceGraph) -> dict[str, re.Pattern[str]]:
    """Organisation IRI → its pattern; several patterns of one organisation are alternatives."""
    sources: dict[str, list[str]] = {}
    for triple in organisations.triples:
        if triple.predicate != PG.matchPattern:
            continue
        if not isinstance(triple.subject, NamedNode) or not isinstance(triple.object, Literal):
            raise SourceFormatError(
                f"{organisations.document.path}: pg:matchPattern must link an IRI to a literal, "
                f"not {triple}"
            )
        sources.setdefault(triple.subject.value, []).append(triple.object.value)
    compiled: dict[str, re.Pattern[str]] = {}
    for organisation, alternatives in sources.items():
        try:
            compiled[organisation] = re.compile("|".join(f"(?:{a})" for a in sorted(alternatives)))
        except re.error as exc:
            raise SourceFormatError(
                f"{organisations.document.path}: the pg:matchPattern of {organisation} is not a "
                f"regular expression: {exc}"
            ) from exc
    return compiled


__all__ = ["find_mentions"]
