"""The ontology resolves at its namespace: RDF by negotiation, or its documentation in HTML.

``/ns/policygraph`` (the ontology; its terms are ``#`` IRIs, so they all land here and the page
has an anchor per term), ``/ns/concept/`` (the code lists) and ``/ns/concept/{name}`` (one
concept, dereferenced like any other IRI). The documentation is generated from the ontology the
store holds: every class, property and concept with its labels, definitions and alignments, and
a class diagram drawn on the server.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from markupsafe import Markup

from policygraph.namespaces import ONTOLOGY_IRI
from policygraph.read.ontology_docs import (
    OntologyDoc,
    class_diagram_svg,
    ontology_doc,
    ontology_graph,
    ontology_triples,
)
from policygraph.web.context import NS_BASE, language, state
from policygraph.web.documents import alternates, chosen_format, document_response
from policygraph.web.resources import respond_with_description

blueprint = Blueprint("ontology", __name__)


def _doc() -> OntologyDoc:
    ld = state()
    store = ld.store()
    return ld.cached(
        ("ontology-doc", store.version),
        lambda: ontology_doc(ontology_graph(store, ld.settings.base_iri)),
    )


def _respond(*graphs: str) -> Response:
    name = chosen_format()
    store = state().store()
    lang = language()

    def html() -> str:
        doc = _doc()
        diagram = Markup(class_diagram_svg(doc))  # noqa: S704 -- every text in it is escaped
        return render_template(
            "ld/ontology.html",
            doc=doc,
            lang=lang,
            diagram=diagram,
            alternates=[a for a in alternates() if a[0] != "HTML"],
        )

    return document_response(
        name,
        version=store.version,
        triples=lambda: ontology_triples(store, state().settings.base_iri, *graphs),
        html=html,
        language=lang,
    )


@blueprint.get("/ns/policygraph")
def ontology() -> Response:
    return _respond("policygraph")


@blueprint.get("/ns/policygraph/<version>")
def ontology_version(version: str) -> Response:
    """The owl:versionIRI of the ontology: the version the store holds, or 404."""
    if _doc().version != version:
        abort(404, description=f"this service holds no version {version!r} of the ontology")
    return _respond("policygraph")


@blueprint.get("/ns/concept/")
def concepts() -> Response:
    return _respond("concepts")


@blueprint.get("/ns/concept/<path:name>")
def concept(name: str) -> Response:
    return respond_with_description(f"{NS_BASE}/concept/{name}")


__all__ = ["ONTOLOGY_IRI", "blueprint"]
