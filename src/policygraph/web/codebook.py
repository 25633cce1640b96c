"""``/dumps/verdicts``: the codebook of the coded dataset ``verdicts.csv``.

Every column of the table (``read.verdict_table.COLUMNS``) with its meaning, and every verdict
of the scale with its definition, read from the published version's code list (``pgc:verdicts``).
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request, url_for

from policygraph.read.verdict_table import COLUMNS
from policygraph.read.verdicts import verdict_scale
from policygraph.web.context import language, state
from policygraph.web.dumps import current_dumps

blueprint = Blueprint("codebook", __name__)


@blueprint.get("/dumps/verdicts")
def codebook() -> Response:
    store = state().store()
    lang = language()
    scales = {other: verdict_scale(store, other) for other in ("nl", "en")}
    dumps = current_dumps()
    response = Response(
        render_template(
            "ld/codebook.html",
            lang=lang,
            columns=COLUMNS,
            scale=scales[lang],
            other_labels={v.notation: v.label for v in scales["en" if lang == "nl" else "nl"]},
            csv_url=url_for("dumps.file", version=dumps.version, name="verdicts.csv"),
        ),
        content_type="text/html; charset=utf-8",
    )
    response.headers["Cache-Control"] = "public, max-age=300"
    response.vary.add("Accept-Language")
    response.set_etag(f"{store.version}-{lang}")
    response.make_conditional(request)
    return response


__all__ = ["blueprint"]
