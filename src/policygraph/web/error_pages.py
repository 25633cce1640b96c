"""Errors as pages for people: a browser that asks for HTML gets the status in words, the
message, the navigation, a search box and the lists; every other client keeps the plain-text
body ``web.errors`` gives (curl, SPARQL clients, scripts).

The choice is werkzeug's ``best_match`` between plain text and HTML: ``*/*`` alone, or no
``Accept``, keeps plain text. The page reads nothing from the store, so a store fault still gets
its page; should the page itself fail, the plain answer goes out.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from policygraph.errors import PolicygraphError
from policygraph.web.context import language
from policygraph.web.errors import error_response, http_error_response, unexpected_error_response

log = logging.getLogger(__name__)

_KEPT_HEADERS = ("allow", "retry-after", "www-authenticate", "link")


def wants_html() -> bool:
    accept = request.accept_mimetypes
    return bool(accept) and accept.best_match(("text/plain", "text/html")) == "text/html"


def as_page(plain: Response, message: str) -> Response:
    """``plain`` as an HTML page when the client prefers HTML; else ``plain`` itself."""
    if not wants_html():
        plain.vary.add("Accept")
        return plain
    status = plain.status_code
    try:
        search = "/search" in {rule.rule for rule in current_app.url_map.iter_rules()}
        body = render_template(
            "ld/error.html",
            lang=language(),
            status=status,
            message=message,
            search_url=request.script_root + "/search" if search else None,
            lists=[
                (key, url_for("lists.top_list", segment=segment))
                for key, segment in (
                    ("list_decisions", "beslissing"),
                    ("list_organisations", "organisatie"),
                    ("list_campaigns", "campagne"),
                    ("list_agreements", "regeerakkoord"),
                )
            ],
        )
    except Exception as error:  # the plain answer is still right
        log.error("error page failed: %s", error, exc_info=error)
        return plain
    page = Response(body, status=status, content_type="text/html; charset=utf-8")
    for name, value in plain.headers.items():
        if name.lower() in _KEPT_HEADERS:
            page.headers[name] = value
    page.headers["Cache-Control"] = "no-store"
    page.vary.add("Accept")
    return page


def _policygraph_error(error: PolicygraphError) -> Response:
    plain = error_response(error)
    return as_page(plain, plain.get_data(as_text=True).strip())


def _http_error(error: HTTPException) -> Response:
    return as_page(http_error_response(error), error.description or error.name)


def _unexpected_error(error: Exception) -> Response:
    plain = unexpected_error_response(error)
    return as_page(plain, plain.get_data(as_text=True).strip())


def register_error_pages(app: Flask) -> None:
    """The error handlers of ``web.errors``, answering HTML to browsers."""
    app.register_error_handler(PolicygraphError, _policygraph_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


__all__ = ["as_page", "register_error_pages", "wants_html"]
