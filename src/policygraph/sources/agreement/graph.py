"""An agreement as RDF: the agreement, its chapters and its sections, in the agreement's graph.

Everything is minted under the agreement (``Agreement.iris``), so that two agreements with a
chapter of the same name and a section of the same number give two distinct sections.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Triple

from policygraph.namespaces import DCT, PG, RDF, XSD, AgreementMinter, Minter
from policygraph.sources import SourceDocument, SourceGraph
from policygraph.sources.agreement.declaration import Agreement
from policygraph.sources.agreement.outline import AgreementOutline, Section, read_outline


def read_agreement(data_dir: Path, agreement: Agreement, minter: Minter) -> SourceGraph:
    """The agreement, its chapters and sections, in ``{base}/graph/regeerakkoord/{slug}``."""
    outline = read_outline(data_dir, agreement.files)
    return agreement_graph(outline, agreement, data_dir, minter)


def agreement_document(agreement: Agreement, data_dir: Path) -> SourceDocument:
    files = agreement.files
    return SourceDocument(
        slug=agreement.documents.sections,
        title=(
            f"Regeerakkoord {agreement.slug} per sectie ({Path(files.sections).name}; "
            f"hoofdstukkenlijst uit {Path(files.chapters).name}) / "
            "the coalition agreement split into sections"
        ),
        path=Path(data_dir) / files.sections,
        relative_path=files.sections,
        origin=agreement.documents.origin,
        license=agreement.documents.license,
        media_type="application/jsonl",
    )


def agreement_graph(
    outline: AgreementOutline, agreement: Agreement, data_dir: Path, minter: Minter
) -> SourceGraph:
    return SourceGraph(
        name=agreement.iris(minter).graph(),
        title=(
            f"Regeerakkoord {agreement.slug}: hoofdstukken en secties / "
            "coalition agreement: chapters and sections"
        ),
        document=agreement_document(agreement, data_dir),
        triples=tuple(_outline_triples(outline, agreement, minter)),
    )


def _outline_triples(
    outline: AgreementOutline, agreement: Agreement, minter: Minter
) -> Iterator[Triple]:
    iris = agreement.iris(minter)
    node = iris.iri
    yield Triple(node, RDF.type, PG.CoalitionAgreement)
    yield Triple(node, DCT.title, Literal(agreement.title_nl, language="nl"))
    yield Triple(node, DCT.title, Literal(agreement.title_en, language="en"))
    yield Triple(node, PG.decidedBy, minter.organisation(agreement.government.composition))
    for chapter in outline.chapters:
        part = iris.chapter(chapter.slug)
        yield Triple(node, DCT.hasPart, part)
        yield Triple(part, RDF.type, PG.Chapter)
        yield Triple(part, PG.chapterNumber, Literal(chapter.number))
        yield Triple(part, DCT.title, Literal(chapter.title, language="nl"))
        yield Triple(part, DCT.isPartOf, node)
        if chapter.text is not None:
            yield Triple(part, PG.text, Literal(chapter.text, language="nl"))

    siblings: dict[tuple[str, str | None], list[Section]] = {}
    for section in outline.sections:
        siblings.setdefault((section.chapter_slug, section.parent_number), []).append(section)
    for (chapter_slug, parent_number), group in siblings.items():
        parent = (
            iris.chapter(chapter_slug)
            if parent_number is None
            else iris.section(chapter_slug, parent_number)
        )
        for position, section in enumerate(sorted(group, key=lambda s: s.parts), start=1):
            yield from _section_triples(section, parent, position, iris)


def _section_triples(
    section: Section, parent: NamedNode, position: int, iris: AgreementMinter
) -> Iterable[Triple]:
    node = iris.section(section.chapter_slug, section.number)
    triples = [
        Triple(node, RDF.type, PG.Section),
        Triple(node, PG.sectionNumber, Literal(section.number)),
        Triple(node, DCT.title, Literal(section.title, language="nl")),
        Triple(node, DCT.isPartOf, parent),
        Triple(parent, DCT.hasPart, node),
        Triple(node, PG.inChapter, iris.chapter(section.chapter_slug)),
        Triple(node, PG.position, Literal(str(position), datatype=XSD.integer)),
    ]
    # Subsections are typed pg:Section as well, so that queries without inference find them.
    if len(section.parts) >= 3:
        triples.insert(1, Triple(node, RDF.type, PG.Subsection))
    if section.text is not None:
        triples.append(Triple(node, PG.text, Literal(section.text, language="nl")))
    return triples


__all__ = ["agreement_document", "agreement_graph", "read_agreement"]
