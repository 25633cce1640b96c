"""``/dumps/``: the whole dataset to download, per published version.

``/dumps/<version>/policygraph.nq.gz`` (N-Quads, gzip) and ``…/policygraph.ttl`` (Turtle), each
with a ``.sha256`` file, and ``manifest.json``. A version's files never change, so they are sent
with a strong ETag (their SHA-256), Last-Modified, a ``Digest`` header and a year of caching;
``/dumps/latest/<name>`` redirects to the current version's file.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from pathlib import Path

from flask import Blueprint, Response, abort, redirect, render_template, request, send_file, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from policygraph.errors import StoreError
from policygraph.read.dumps import MANIFEST, Dump, DumpSet, read_dumps, write_dumps
from policygraph.web.context import language, state

blueprint = Blueprint("dumps", __name__)

IMMUTABLE = 365 * 24 * 3600


def current_dumps() -> DumpSet:
    """The dumps of the published version, written now if a build has not written them."""
    ld = state()
    store = ld.store()
    return ld.cached(("dumps", store.version), lambda: write_dumps(store, ld.settings.store_dir))


@blueprint.get("/dumps/")
def index() -> Response:
    dumps = current_dumps()
    response = Response(
        render_template("ld/dumps.html", dumps=dumps, lang=language()),
        content_type="text/html; charset=utf-8",
    )
    response.headers["Cache-Control"] = "public, max-age=60"
    response.vary.add("Accept-Language")
    response.set_etag(dumps.version + "-" + language())
    response.make_conditional(request)
    return response


@blueprint.get("/dumps/latest/<name>")
def latest(name: str) -> WerkzeugResponse:
    dumps = current_dumps()
    response = redirect(url_for("dumps.file", version=dumps.version, name=name), code=302)
    response.headers["Cache-Control"] = "no-cache"
    return response


def _dumps_of(version: str) -> DumpSet:
    current = current_dumps()
    if version == current.version:
        return current
    try:
        found = read_dumps(state().settings.store_dir, version)
    except StoreError:
        found = None
    if found is None:
        abort(404, description=f"no dumps of version {version!r}")
    return found


@blueprint.get("/dumps/<version>/<name>")
def file(version: str, name: str) -> Response:
    dumps = _dumps_of(version)
    path = dumps.folder / name
    if name == MANIFEST:
        return _send(path, "application/json", None, None)
    base = name.removesuffix(".sha256")
    dump = dumps.file(base)
    if dump is None:
        abort(404, description=f"no file {name!r} in the dumps of version {version!r}")
    if name != base:
        return _send(path, "text/plain", None, None)
    media = "application/gzip" if dump.encoding == "gzip" else dump.media_type
    return _send(path, media, dump, dump.sha256)


def _send(path: Path, media_type: str, dump: Dump | None, etag: str | None) -> Response:
    if not path.is_file():
        abort(404)
    modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    response = send_file(
        path,
        mimetype=media_type + ("; charset=utf-8" if media_type.startswith("text/") else ""),
        conditional=True,
        etag=etag if etag is not None else True,
        last_modified=modified,
        max_age=IMMUTABLE,
    )
    response.headers["Cache-Control"] = f"public, max-age={IMMUTABLE}, immutable"
    if dump is not None:
        digest = base64.b64encode(bytes.fromhex(dump.sha256)).decode("ascii")
        response.headers["Digest"] = f"sha-256={digest}"
        response.headers["Repr-Digest"] = f"sha-256=:{digest}:"
    return response
