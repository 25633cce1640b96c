"""The annotation API at the HTTP edge: ``POST /annotations``, ``DELETE`` on an annotation's IRI,
the SPARQL 1.1 Graph Store Protocol on ``/graph-store?graph=…``, and signing in from a browser.

Who writes: a script sends ``Authorization: Bearer <token>``. A browser signs in once with its
token (``POST /sign-in``), which is kept in an HttpOnly, SameSite=Strict cookie (Secure over
https); a form it posts carries a CSRF token, ``csrf_token()``: an HMAC of the cookie's token,
which another site can neither read nor compute (double protection with SameSite=Strict). The
write itself is ``annotations.service``'s; this module reads the request and writes the answer.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, redirect, render_template, request
from pyoxigraph import NamedNode, serialize
from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response as WerkzeugResponse

from policygraph.annotations.accounts import Account
from policygraph.annotations.commit import Outcome
from policygraph.annotations.model import VERDICTS
from policygraph.annotations.service import Annotations
from policygraph.errors import (
    AccessError,
    AnnotationInputError,
    AuthenticationError,
    BodyTooLargeError,
    ForbiddenError,
    ValidationFailed,
)
from policygraph.formats import BY_NAME
from policygraph.validation.report import report_json, report_text, report_turtle
from policygraph.web.context import language, state, urls
from policygraph.web.documents import chosen_format
from policygraph.web.negotiation import Offers

blueprint = Blueprint("annotations", __name__)

EXTENSION = "policygraph.annotations"
COOKIE = "policygraph_token"
FORM = "application/x-www-form-urlencoded"
GRAPH_OFFERS = Offers(("turtle", "jsonld", "ntriples", "rdfxml"))
_CSRF_CONTEXT = b"policygraph csrf v1"
_made = threading.Lock()


def service() -> Annotations:
    """The app's one ``Annotations``, made on first use."""
    with _made:
        found = current_app.extensions.get(EXTENSION)
        if found is None:
            found = current_app.extensions[EXTENSION] = Annotations(state().settings)
    assert isinstance(found, Annotations)
    return found


def csrf_token() -> str | None:
    """The CSRF token a form of this signed-in browser must carry (``csrf``); None when the
    browser has not signed in."""
    token = request.cookies.get(COOKIE)
    return _csrf_of(token) if token else None


def signed_in() -> tuple[str, str] | None:
    """The account this browser signed in as and the CSRF token its forms carry; None when it
    has not, or its token no longer holds (revoked, unknown)."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    try:
        account = service().accounts.authenticate(token)
    except AccessError:
        return None
    return account.name, _csrf_of(token)


def _csrf_of(token: str) -> str:
    return hmac.new(token.encode("utf-8"), _CSRF_CONTEXT, hashlib.sha256).hexdigest()[:40]


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, credentials = header.partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" and credentials.strip() else None


def _account(*, form: bool = False) -> Account:
    """The account the request is from: its bearer token, or (for a form) the signed-in cookie
    with the form's CSRF token."""
    token = _bearer()
    if token is None and form:
        cookie = request.cookies.get(COOKIE)
        given = request.form.get("csrf", "")
        if cookie and not hmac.compare_digest(_csrf_of(cookie), given):
            raise ForbiddenError("the form's CSRF token is missing or stale: reload the page")
        token = cookie
    if token is None:
        raise AuthenticationError(
            "writing annotations needs a token: Authorization: Bearer <token> "
            "(policygraph account add NAME makes one)"
        )
    return service().accounts.authenticate(token)


def _body() -> bytes:
    limit = state().settings.annotation_max_bytes
    if request.content_length is not None and request.content_length > limit:
        raise BodyTooLargeError(f"the body has {request.content_length} bytes; at most {limit}")
    data = request.stream.read(limit + 1)
    if len(data) > limit:
        raise BodyTooLargeError(f"the body has more than {limit} bytes")
    return data


def _written(response: Response, outcome: Outcome) -> Response:
    response.headers["ETag"] = outcome.etag
    response.headers["X-Policygraph-Version"] = outcome.version
    return response


def _refused_report(error: ValidationFailed) -> Response:
    """422 with the SHACL report: in words (nl or en) for text, else the report graph."""
    lang = language()
    offered = ["text/plain", "text/turtle", "application/json"]
    wanted = request.accept_mimetypes.best_match(offered, "text/plain")
    if wanted == "text/turtle":
        body = report_turtle(error.report)
        response = Response(body, status=422, content_type="text/turtle; charset=utf-8")
    elif wanted == "application/json":
        response = Response(report_json(error.report), status=422, content_type=wanted)
    else:
        text = report_text(error.report, language=lang)
        response = Response(text, status=422, content_type="text/plain; charset=utf-8")
        response.headers["Content-Language"] = lang
    response.vary.update(("Accept", "Accept-Language"))
    return response


@blueprint.errorhandler(ValidationFailed)
def validation_failed(error: ValidationFailed) -> Response:
    return _refused_report(error)


@blueprint.post("/annotations")
def create() -> WerkzeugResponse:
    media_type = request.mimetype
    if media_type == FORM:
        return _create_from_form()
    account = _account()
    created = service().create(
        account, _body(), media_type, if_match=request.headers.get("If-Match")
    )
    location = urls().url(created.iri.value)
    response = Response(
        f'{{"iri": "{created.iri.value}", "version": "{created.outcome.version}"}}\n',
        status=201,
        content_type="application/json",
    )
    response.headers["Location"] = location
    return _written(response, created.outcome)


def _create_from_form() -> WerkzeugResponse:
    """The section page's form: target, verdict, comment, evidence (repeated), csrf."""
    if request.content_length and request.content_length > state().settings.annotation_max_bytes:
        raise BodyTooLargeError("the form is larger than a write may be")
    account = _account(form=True)
    form = request.form
    verdict = form.get("verdict") or None
    if verdict is not None and verdict not in VERDICTS:
        raise AnnotationInputError(f"unknown verdict {verdict!r}")
    try:
        target = NamedNode(form.get("target", ""))
        # Repeated fields, or one text box with an IRI a line.
        evidence = [NamedNode(e) for v in form.getlist("evidence") for e in v.split()]
    except ValueError:
        raise AnnotationInputError("the target and the evidence must be IRIs") from None
    service().create_from_parts(
        account,
        target=target,
        verdict=verdict,
        comment=form.get("comment") or None,
        language=language(),
        evidence=evidence,
    )
    back = form.get("next") or urls().url(target.value)
    return redirect(_local(back), code=303)


def _local(url: str) -> str:
    """Only a path of this site: a form must not send the browser elsewhere."""
    parts = urlsplit(url)
    path = parts.path if parts.path.startswith("/") and not parts.path.startswith("//") else "/"
    return path + (f"?{parts.query}" if parts.query else "")


@blueprint.delete("/id/annotatie/<account_name>/<annotation_id>")
def retract(account_name: str, annotation_id: str) -> Response:
    account = _account()
    iri = service().minter.thing("annotatie", account_name, annotation_id)
    outcome = service().retract(account, iri)
    return _written(Response(status=204), outcome)


def _graph_param() -> NamedNode:
    values = request.args.getlist("graph")
    if len(values) != 1 or "default" in request.args:
        raise BadRequest(
            "name one graph: /graph-store?graph=IRI (the default graph is not written)"
        )
    try:
        return NamedNode(values[0])
    except ValueError:
        raise BadRequest(f"not an IRI: {values[0]!r}") from None


@blueprint.get("/graph-store")
def graph_get() -> Response:
    graph = _graph_param()
    quads, etag = service().read_graph(graph)
    if not quads:
        return Response(f"no graph {graph.value}\n", status=404, content_type="text/plain")
    name = chosen_format(GRAPH_OFFERS)
    fmt = BY_NAME[name]
    assert fmt.rdf is not None
    body = serialize([q.triple for q in quads], format=fmt.rdf)
    response = Response(body, content_type=fmt.media_type)
    response.headers["ETag"] = etag
    response.vary.add("Accept")
    if request.if_none_match.contains(etag.strip('"')):
        return Response(status=304, headers={"ETag": etag})
    return response


@blueprint.route("/graph-store", methods=["PUT", "POST", "DELETE"])
def graph_write() -> Response:
    graph = _graph_param()
    account = _account()
    deleting = request.method == "DELETE"
    outcome = service().write_graph(
        account,
        graph,
        None if deleting else _body(),
        None if deleting else request.mimetype,
        merge=request.method == "POST",
        if_match=request.headers.get("If-Match"),
    )
    return _written(Response(status=204), outcome)


@blueprint.get("/sign-in")
def sign_in_page() -> str:
    return render_template(
        "ld/sign_in.html", lang=language(), next=_local(request.args.get("next", "/"))
    )


@blueprint.post("/sign-in")
def sign_in() -> WerkzeugResponse:
    token = request.form.get("token", "").strip()
    service().accounts.authenticate(token)
    response = redirect(_local(request.form.get("next", "/")), code=303)
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="Strict", secure=request.is_secure, path="/"
    )
    return response


@blueprint.post("/sign-out")
def sign_out() -> WerkzeugResponse:
    cookie = request.cookies.get(COOKIE)
    if cookie and not hmac.compare_digest(_csrf_of(cookie), request.form.get("csrf", "")):
        raise ForbiddenError("the form's CSRF token is missing or stale: reload the page")
    response = redirect(_local(request.form.get("next", "/")), code=303)
    response.delete_cookie(COOKIE, path="/", samesite="Strict", secure=request.is_secure)
    return response


__all__ = ["COOKIE", "blueprint", "csrf_token", "service", "signed_in"]
