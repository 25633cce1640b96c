"""Every IRI we mint dereferences: ``/id/…`` and ``/graph/…``, and the code lists under ``/ns/``.

The IRI itself answers (200, negotiated, as Trifid and LodView do; no 303 hop): HTML for
browsers, Turtle, JSON-LD, N-Triples or RDF/XML by ``Accept`` or ``?format=``. A request maps to
an IRI as the configured base IRI plus the request path, so the same data is served from
localhost and from its public domain. Decisions, campaigns, chapters and organisations get a
summary card, and sections, chapters and organisations their evidence, above the statements
every resource shows (collapsed when a summary is there to read first).
"""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, Response, abort, redirect, render_template, request
from markupsafe import Markup
from pyoxigraph import NamedNode, Triple
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response as WerkzeugResponse

from policygraph.namespaces import PREFIXES, moved_iri
from policygraph.read.cards import HIDDEN_PROPERTIES
from policygraph.read.cards.facts import readable_labels
from policygraph.read.citation_support import support_badges
from policygraph.read.describe import Description, describe
from policygraph.read.evidence import organisation_evidence, part_evidence
from policygraph.read.generation import generation_of
from policygraph.read.suggestions import suggested_for, suggestions_of
from policygraph.read.verdicts import section_verdicts, verdict_scale
from policygraph.render.charts import timeline_chart
from policygraph.sources.agreement.declaration import former_iris_agreement
from policygraph.web.annotation_api import signed_in
from policygraph.web.cards import ORGANISATION_TYPES, TEMPLATE_HELPERS, card_for, card_template
from policygraph.web.context import language, request_iri, state, urls
from policygraph.web.documents import (
    alternates,
    chosen_format,
    document_response,
    format_url,
    jsonld_script,
)
from policygraph.web.i18n import words
from policygraph.web.negotiation import HTML
from policygraph.web.templating import description_view

blueprint = Blueprint("resources", __name__)

PART_TYPES = {PREFIXES["pg"] + name for name in ("Section", "Chapter", "CoalitionAgreement")}
GENERATED_TYPES = {
    PREFIXES["pg"] + name
    for name in ("Section", "Chapter", "AssessmentReport", "AssessmentGeneration")
}
"""Pages that say how their assessment was generated: what was assessed, the report, the call."""
DECISION_TYPE = PREFIXES["pg"] + "GovernmentDecision"


def _page() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        abort(400, description="page must be a positive integer")
    return int(raw)


@blueprint.get("/id/<path:ref>")
@blueprint.get("/graph/<path:ref>")
def resource(ref: str) -> WerkzeugResponse:
    iri = request_iri()
    try:
        return respond_with_description(iri)
    except NotFound:
        moved = _moved(iri)  # unknown here, but perhaps an IRI of the former form
        if moved is None:
            raise
        return redirect(moved, code=301)


def respond_with_description(iri: str) -> Response:
    """The negotiated description of ``iri``; 404 when the store knows nothing of it."""
    name = chosen_format()
    try:
        node = NamedNode(iri)
    except ValueError:
        abort(404)
    page = _page()
    store = state().store()
    lang = language()
    description = describe(store, node, language=lang, page=page)
    viewer = signed_in() if name == HTML else None
    if not description.exists or page > description.pages:
        abort(404, description=f"nothing is known about <{iri}>")
    links = []
    if page < description.pages:
        links.append(f'<{format_url(name, page=page + 1)}>; rel="next"')
    if page > 1:
        links.append(f'<{format_url(name, page=page - 1)}>; rel="prev"')
    return document_response(
        name,
        version=store.version,
        triples=description.triples,
        html=lambda: _html(description, lang, viewer),
        extra_links=links,
        language=lang,
        viewer=viewer[1] if viewer else None,
    )


def _moved(iri: str) -> str | None:
    """Where an IRI of the former, agreement-less form is served now (cool URIs don't change);
    None when it is of no former form, or the thing it would name now is unknown too."""
    ld = state()
    settings = ld.settings
    folder = settings.data_dir
    # Read once per process: the declarations are the sources', fixed while it serves.
    agreement = ld.cached(
        ("former-iris-agreement",),
        lambda: former_iris_agreement(folder) if folder is not None else None,
    )
    moved = moved_iri(iri, settings.base_iri, agreement) if agreement else None
    if moved is None or not describe(state().store(), NamedNode(moved), language="nl").exists:
        return None
    query = request.query_string.decode("latin-1")
    return urls().url(moved) + (f"?{query}" if query else "")


def _html(description: Description, lang: str, viewer: tuple[str, str] | None = None) -> str:
    """The page; ``viewer``, the signed-in account and its CSRF token, gets the verdict form."""
    store = state().store()
    here = urls()
    # The page's tables leave out what only the build needs; the RDF keeps it.
    shown = tuple(
        s for s in description.statements if s.triple.predicate.value not in HIDDEN_PROPERTIES
    )
    labels = readable_labels(store, description, lang)
    view = description_view(replace(description, statements=shown, labels=labels), here)
    types = {t.iri for t in view.types if t.iri}
    card = card_for(store, description.iri, types, lang)
    part = part_evidence(store, description.iri, lang) if types & PART_TYPES else None
    organisation = (
        organisation_evidence(store, description.iri, lang) if types & ORGANISATION_TYPES else None
    )
    generation = generation_of(store, description.iri.value) if types & GENERATED_TYPES else None
    verdicts = section_verdicts(store, description.iri, lang) if types & PART_TYPES else None
    cited = PART_TYPES | {PREFIXES["pg"] + "Claim"}
    support = support_badges(store, description.iri) if types & cited else {}
    suggestions = suggestions_of(store, description.iri, lang) if types & PART_TYPES else None
    suggested = suggested_for(store, description.iri, lang) if DECISION_TYPE in types else ()
    timeline = None
    if part is not None and part.timeline:
        svg = timeline_chart(part.timeline, title=words(lang)["timeline"], href=here.url)
        timeline = Markup(svg)  # noqa: S704 -- every text in it is escaped by render.charts
    return render_template(
        "ld/resource.html",
        view=view,
        card=card,
        card_template=card_template(card) if card is not None else None,
        part=part,
        organisation=organisation,
        timeline=timeline,
        generation=generation,
        verdicts=verdicts,
        verdict_scale=verdict_scale(store, lang) if verdicts is not None else (),
        account=viewer[0] if viewer else None,
        csrf_token=viewer[1] if viewer else None,
        support=support,
        suggestions=suggestions,
        suggested_for=suggested,
        lang=lang,
        alternates=[a for a in alternates() if a[0] != "HTML"],
        # The page's own copy of its data leaves the internals out too; the RDF formats keep them.
        jsonld=jsonld_script([t for t in description.triples() if not _hidden(t)]),
        page_url=lambda n: format_url(HTML, page=n),
        **TEMPLATE_HELPERS,
    )


def _hidden(triple: Triple) -> bool:
    """Whether a triple states or labels a property the pages leave out."""
    subject = triple.subject
    return triple.predicate.value in HIDDEN_PROPERTIES or (
        isinstance(subject, NamedNode) and subject.value in HIDDEN_PROPERTIES
    )
