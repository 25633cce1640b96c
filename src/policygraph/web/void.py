"""``/.well-known/void``: the VoID and DCAT description of the dataset, negotiated.

The figures are SPARQL counts over the store, computed once per published version; the links in
it (endpoint, dumps, this document) are URLs of the host that serves the request.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from pyoxigraph import Triple

from policygraph.read.ontology_docs import curie
from policygraph.read.void import VoidFigures, void_figures, void_triples
from policygraph.web.context import language, state, urls
from policygraph.web.documents import (
    alternates,
    chosen_format,
    document_response,
    jsonld_script,
)
from policygraph.web.dumps import current_dumps

blueprint = Blueprint("void", __name__)


def figures() -> VoidFigures:
    ld = state()
    store = ld.store()
    return ld.cached(("void", store.version), lambda: void_figures(store, ld.settings.base_iri))


@blueprint.get("/.well-known/void")
def void() -> Response:
    name = chosen_format()
    ld = state()
    store = ld.store()
    lang = language()
    counted = figures()

    def triples() -> list[Triple]:
        return void_triples(
            counted, base_iri=ld.settings.base_iri, mapper=urls().things, dumps=current_dumps()
        )

    def html() -> str:
        rdf = triples()
        return render_template(
            "ld/void.html",
            lang=lang,
            figures=counted,
            dumps=current_dumps(),
            curie=curie,
            alternates=[a for a in alternates() if a[0] != "HTML"],
            jsonld=jsonld_script(rdf),
            sparql_url=urls().root + "/sparql",
        )

    return document_response(name, version=store.version, triples=triples, html=html, language=lang)
