"""The home page: what the graph holds, how much of the agreement its evidence covers, per
chapter, and the decisions per month, as charts drawn on the server (no JavaScript needed)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, render_template, url_for
from markupsafe import Markup
from pyoxigraph import Literal, NamedNode, QuerySolutions, Triple

from policygraph.namespaces import DCAT, DCT, ONTOLOGY_IRI, PG, RDF, RDFS, VOID, Minter
from policygraph.read.citation_support import ChapterSupport, chapter_support
from policygraph.read.describe import labels_for
from policygraph.read.evidence import Overview, overview
from policygraph.read.examples import read_examples
from policygraph.read.verdicts import ChapterVerdicts, chapter_verdicts, verdict_scale
from policygraph.render.charts import (
    Series,
    coverage_chart,
    months_chart,
    support_chart,
    verdicts_chart,
)
from policygraph.store import GraphStore
from policygraph.web.context import language, state, urls
from policygraph.web.documents import (
    alternate_links,
    chosen_format,
    document_response,
    jsonld_script,
)
from policygraph.web.i18n import words
from policygraph.web.negotiation import HTML, Offers

blueprint = Blueprint("pages", __name__)

HTML_ONLY = Offers((HTML,))

# The resources a newcomer should open first (those the store lacks are not shown).
START_HERE: tuple[tuple[str, ...], ...] = (
    ("regeerakkoord", "2019-2024", "sectie", "buitenlands-beleid-en-toerisme", "4.3.2"),
    ("organisatie", "fit"),
    ("campagne", "fit-lifesciences-health-2021"),
)
_AGREEMENTS = f"SELECT DISTINCT ?a WHERE {{ ?a a <{PG.CoalitionAgreement.value}> }} ORDER BY ?a"


@blueprint.get("/")
def home() -> Response:
    name = chosen_format(HTML_ONLY)
    ld = state()
    store = ld.store()
    lang = language()
    figures: Overview = ld.cached(("overview", store.version, lang), lambda: overview(store, lang))
    support: tuple[ChapterSupport, ...] = ld.cached(
        ("citation-support", store.version, lang), lambda: chapter_support(store, lang)
    )
    minter = Minter(ld.settings.base_iri)
    verdicts = ld.cached(("chapter-verdicts", store.version, lang), lambda: _verdicts(store, lang))
    void_url = url_for("void.void", _external=True)
    void_alternates = [
        ("VoID (Turtle)", void_url + "?format=ttl", "text/turtle"),
        ("VoID (JSON-LD)", void_url + "?format=jsonld", "application/ld+json"),
    ]

    def html() -> str:
        start = [minter.thing(*ref) for ref in START_HERE]
        agreements = _agreements(store)
        labels = labels_for(store, [*agreements, *start], lang)
        return render_template(
            "ld/home.html",
            lang=lang,
            figures=figures,
            coverage_svg=_coverage_chart(figures, lang),
            months_svg=_months_chart(figures, lang),
            verdicts=verdicts,
            support=support,
            support_svg=_support_chart(support, lang) if support else None,
            start=[(urls().url(n.value), labels[n.value]) for n in start if n.value in labels],
            agreements=[(urls().url(n.value), labels.get(n.value, n.value)) for n in agreements],
            ontology_url=urls().url(ONTOLOGY_IRI),
            examples=read_examples(ld.settings.queries_dir)[:4],
            alternates=void_alternates,
            jsonld=jsonld_script(_dataset_summary(minter, void_url)),
        )

    # The home page's data is the dataset's description: say where it is.
    links = [*alternate_links(void_alternates), f'<{void_url}>; rel="describedby"']
    return document_response(
        name,
        version=store.version,
        triples=list,
        html=html,
        offers=HTML_ONLY,
        extra_links=links,
        language=lang,
    )


def _coverage_chart(figures: Overview, lang: str) -> Markup:
    w = words(lang)
    svg = coverage_chart(
        figures.coverage,
        title=w["coverage_title"],
        series=(
            Series(w["with_evidence"], "s-cited"),
            Series(w["without_evidence"], "s-uncited"),
            Series(w["not_assessed"], "s-none"),
        ),
        href=urls().url,
    )
    return Markup(svg)  # noqa: S704 -- every text in it is escaped by render.charts


def _months_chart(figures: Overview, lang: str) -> Markup:
    w = words(lang)
    svg = months_chart(
        figures.months,
        title=w["months_title"],
        series=(Series(w["cited"], "s-cited"), Series(w["not_cited"], "s-uncited")),
    )
    return Markup(svg)  # noqa: S704 -- every text in it is escaped by render.charts


@dataclass(frozen=True)
class VerdictFigures:
    """The home chart of researchers' verdicts per chapter, and its table."""

    rows: tuple[ChapterVerdicts, ...]
    scale: tuple[tuple[str, str], ...]
    """(notation, label) in the order of the scale."""
    svg: Markup


def _verdicts(store: GraphStore, lang: str) -> VerdictFigures:
    rows = chapter_verdicts(store, lang)
    scale = tuple((v.notation, v.label) for v in verdict_scale(store, lang))
    svg = verdicts_chart(
        rows,
        title=words(lang)["verdicts_chart_title"],
        series=[(notation, Series(label, f"v-{notation}")) for notation, label in scale],
        href=urls().url,
    )
    return VerdictFigures(rows, scale, Markup(svg))  # noqa: S704 -- escaped by render.charts


def _support_chart(rows: tuple[ChapterSupport, ...], lang: str) -> Markup:
    w = words(lang)
    svg = support_chart(
        rows,
        title=w["support_chart_title"],
        series=(
            Series(w["support_unsupported"], "s-unsupported"),
            Series(w["support_weak"], "s-weak"),
        ),
        href=urls().url,
    )
    return Markup(svg)  # noqa: S704 -- every text in it is escaped by render.charts


def _agreements(store: GraphStore) -> list[NamedNode]:
    """Every coalition agreement the store holds, each declared in the data it was built from."""
    rows = store.query(_AGREEMENTS)
    if not isinstance(rows, QuerySolutions):
        raise TypeError("expected SELECT solutions")
    return [row["a"] for row in rows if isinstance(row["a"], NamedNode)]


def _dataset_summary(minter: Minter, void_url: str) -> list[Triple]:
    """A few triples naming the dataset, its endpoint and its full description, for the page."""
    dataset = minter.thing("dataset", "policygraph")
    return [
        Triple(dataset, RDF.type, DCAT.Dataset),
        Triple(dataset, DCT.title, Literal("policygraph", language="en")),
        Triple(dataset, VOID.sparqlEndpoint, NamedNode(urls().root + "/sparql")),
        Triple(dataset, RDFS.seeAlso, NamedNode(void_url)),
        Triple(dataset, DCAT.landingPage, NamedNode(urls().root + "/")),
    ]
