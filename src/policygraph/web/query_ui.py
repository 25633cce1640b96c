"""The query UI: YASGUI (vendored, served from our static files) on our SPARQL endpoint.

Our prefixes are preloaded in the editor, every competency question of ``queries/`` is a
one-click example (``/query?example=cq01-…`` opens and runs one), YASGUI's share button makes
links that reopen a query, and results show as a table or as a chart (our small Yasr plugin,
drawn as SVG, no third-party chart library).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from a2wsgi.wsgi import build_environ
from flask import Blueprint, Flask, Response, render_template, request
from pyoxigraph import Triple

from policygraph.namespaces import PREFIXES
from policygraph.read.examples import read_examples
from policygraph.web.context import language, state
from policygraph.web.documents import jsonld_script
from policygraph.web.http_policy import CSP_QUERY_UI

blueprint = Blueprint("ui", __name__, static_folder="static", static_url_path="/assets")

EDITOR_PREFIXES = ("pg", "pgc", "dct", "skos", "prov", "cito", "mu", "org", "schema", "xsd", "rdfs")
DEFAULT_QUERY = """SELECT ?class (COUNT(?thing) AS ?things) WHERE {
  ?thing a ?class .
}
GROUP BY ?class
ORDER BY DESC(?things)
LIMIT 20
"""


def _prologue() -> str:
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in EDITOR_PREFIXES)


@blueprint.get("/query")
def query_ui() -> Response:
    """The YASGUI page at its own address; ``/sparql`` shows the same page to browsers."""
    response = Response(query_page(), content_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = CSP_QUERY_UI
    response.headers["Cache-Control"] = "no-cache"
    response.vary.update(("Accept", "Accept-Language"))
    return response


def query_page(service_description: list[Triple] | None = None) -> str:
    """The query UI for this request, with the endpoint's service description embedded as
    JSON-LD when it is the endpoint's HTML face."""
    lang = language()
    settings = state().settings
    examples = read_examples(settings.queries_dir)
    config = {
        "endpoint": request.script_root + "/sparql",
        "prefixes": {name: PREFIXES[name] for name in EDITOR_PREFIXES},
        "defaultQuery": _prologue() + "\n" + DEFAULT_QUERY,
        "examples": [
            {"name": e.name, "question": e.question(lang), "query": e.query} for e in examples
        ],
        "run": request.args.get("example", ""),
        # Result IRIs under the base IRI open this server's page of them, wherever it runs.
        "baseIri": settings.base_iri,
        "language": lang,
    }
    return render_template(
        "ld/query.html",
        lang=lang,
        examples=examples,
        config=config,
        settings=settings,
        jsonld=jsonld_script(service_description) if service_description else None,
    )


def asgi_query_page(
    app: Flask, scope: Mapping[str, Any], body: bytes, service_description: list[Triple]
) -> str:
    """``query_page`` for a request that reached ``/sparql``'s ASGI route, not Flask: the same
    template, in a request context of ``app`` made from the ASGI scope."""
    environ = build_environ(scope, io.BytesIO(body))  # type: ignore[arg-type]
    with app.request_context(environ):  # type: ignore[arg-type]
        return query_page(service_description)
