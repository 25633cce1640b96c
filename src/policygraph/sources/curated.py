"""Curated Turtle: facts people read from a document and wrote down, each file one named graph.

The files under ``data/curated/`` write the IRIs of things relative (``<id/organisatie/fit>``)
and declare no ``@base``: they are parsed with ``{base_iri}/`` as base, so the same files give
IRIs under whatever base a deployment mints (``Minter.thing`` makes the same IRIs). The ontology
and code-list namespaces (``pg:``, ``pgc:``) and other vocabularies are written absolute.

The article graph is our reading of a news article: its source document is the article's text
(``data/seeds/article-fit-lifesciences-campaign.txt``), not the Turtle, and every subject in it
says so with ``prov:wasDerivedFrom``. The organisations and identity-link files are our own
compilation; each statement there carries its own ``prov:wasDerivedFrom`` (Themis, the article,
the agreement, a named web page), and their source document is the Turtle file itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import DefaultGraph, Triple

from policygraph.errors import SourceFormatError
from policygraph.namespaces import Minter
from policygraph.rdfio import read_quads
from policygraph.sources import SourceDocument, SourceGraph

CURATED_DIR = "curated"
# Our own files: where they come from is this project, under the licence of its data.
POLICYGRAPH_ORIGIN = "https://data.policygraph.be"
CURATED_LICENSE = "https://creativecommons.org/licenses/by/4.0/"

ARTICLE_SLUG = "artikel-fit-lifesciences-campagne"
ARTICLE_PATH = "seeds/article-fit-lifesciences-campaign.txt"
ARTICLE_ORIGIN = (
    "https://trends.knack.be/economie/bedrijven/"
    "vlaanderen-lanceert-grote-imagocampagne-voor-lifesciences/article-longread-1741237.html"
)
# A press article under its publisher's copyright, kept for the facts it reports.
IN_COPYRIGHT = "http://rightsstatements.org/vocab/InC/1.0/"


@dataclass(frozen=True)
class _CuratedFile:
    file_name: str
    graph: str
    """Slug of the named graph, ``{base}/graph/{graph}`` (docs/model.md)."""
    title: str
    document_slug: str | None
    """The source document when it is not the Turtle file itself."""


CURATED_FILES: tuple[_CuratedFile, ...] = (
    _CuratedFile(
        "article-fit-lifesciences-campaign.ttl",
        "artikel-fit-lifesciences-campagne",
        "Feiten uit het artikel over FIT's lifesciences & health-campagne (2021) / "
        "facts of the news article on FIT's life sciences & health campaign",
        ARTICLE_SLUG,
    ),
    _CuratedFile(
        "organisations.ttl",
        "organisaties",
        "Vlaamse Regering, samenstelling, personen, mandaten, agentschappen en bedrijven / "
        "the Flemish Government, its composition, persons, roles, agencies and companies",
        None,
    ),
    _CuratedFile(
        "identity-links.ttl",
        "identiteitslinks",
        "Geverifieerde owl:sameAs-links naar Wikidata en Themis / "
        "verified owl:sameAs links to Wikidata and Themis",
        None,
    ),
)


def read_curated(data_dir: Path, minter: Minter) -> list[SourceGraph]:
    """One SourceGraph per curated Turtle file, its IRIs resolved under the minter's base."""
    data_dir = Path(data_dir)
    return [_read_file(data_dir, entry, minter) for entry in CURATED_FILES]


def article_document(data_dir: Path) -> SourceDocument:
    """The news article, as the source document of the curated article graph."""
    return SourceDocument(
        slug=ARTICLE_SLUG,
        title=(
            "Nieuwsartikel (Trends, 2021) over de imagocampagne van FIT voor lifesciences & "
            "health; data/curated/article-fit-lifesciences-campaign.ttl is policygraph's lezing "
            "ervan / news article on FIT's life sciences & health image campaign, of which the "
            "curated Turtle is our reading"
        ),
        path=Path(data_dir) / ARTICLE_PATH,
        relative_path=ARTICLE_PATH,
        origin=ARTICLE_ORIGIN,
        license=IN_COPYRIGHT,
        media_type="text/plain",
    )


def _read_file(data_dir: Path, entry: _CuratedFile, minter: Minter) -> SourceGraph:
    path = data_dir / CURATED_DIR / entry.file_name
    quads = read_quads(path, base_iri=minter.base + "/")
    stray = next((q for q in quads if not isinstance(q.graph_name, DefaultGraph)), None)
    if stray is not None:  # a .ttl cannot name graphs; guard against a renamed TriG file
        raise SourceFormatError(f"{path}: names a graph ({stray.graph_name}); curated files do not")
    if entry.document_slug == ARTICLE_SLUG:
        document = article_document(data_dir)
    else:
        document = SourceDocument(
            slug="curated-" + entry.graph,
            title=f"policygraph, curated Turtle: data/{CURATED_DIR}/{entry.file_name}",
            path=path,
            relative_path=f"{CURATED_DIR}/{entry.file_name}",
            origin=POLICYGRAPH_ORIGIN,
            license=CURATED_LICENSE,
            media_type="text/turtle",
        )
    return SourceGraph(
        name=minter.graph(entry.graph),
        title=entry.title,
        document=document,
        triples=tuple(Triple(q.subject, q.predicate, q.object) for q in quads),
    )


__all__ = ["CURATED_FILES", "article_document", "read_curated"]
