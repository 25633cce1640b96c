"""The coded dataset: one row per part of an agreement and annotator, with the current verdict.

``verdicts.csv`` in the dumps (``read.tables``), ``policygraph export --verdicts`` and the
codebook page (``/dumps/verdicts``) all read this one table; the codebook defines each of its
``COLUMNS``.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from policygraph.errors import StoreError
from policygraph.read.evidence.rows import number_key
from policygraph.read.tables import Table
from policygraph.read.verdicts import all_annotations, current, section_places
from policygraph.render.spreadsheet import csv_text
from policygraph.store import GraphStore

COLUMNS = (
    "section",
    "section_number",
    "chapter",
    "annotator",
    "verdict",
    "verdict_label",
    "date",
    "comment",
    "evidence",
    "annotation",
)
LABEL_LANGUAGE = "en"
"""The language of ``verdict_label``; the codebook gives the Dutch labels too."""


def verdicts(store: GraphStore) -> Table:
    """The current verdict of every annotator on every part of an agreement they rated."""
    places = section_places(store)
    rows = []
    for annotation in current(all_annotations(store, LABEL_LANGUAGE)):
        place = places.get(annotation.target)
        if place is None or annotation.verdict is None:
            continue
        rows.append(
            (
                annotation.target,
                place.number,
                place.chapter.label,
                annotation.account,
                annotation.verdict.notation,
                annotation.verdict.label,
                annotation.created.isoformat().replace("+00:00", "Z"),
                annotation.comment or "",
                ";".join(annotation.evidence_ids),
                annotation.iri,
            )
        )
    rows.sort(
        key=lambda r: (number_key(places[r[0]].chapter_number), r[2], number_key(r[1]), r[0], r[3])
    )
    return Table("verdicts", COLUMNS, tuple(rows))


def export_verdicts(store: GraphStore, target: Path | BinaryIO) -> int:
    """Write ``verdicts.csv`` as the dumps have it to a stream, or to a file that is whole or
    not there; return the number of rows."""
    table = verdicts(store)
    data = csv_text(table.columns, table.rows).encode("utf-8")
    if not isinstance(target, Path):
        target.write(data)
        return len(table.rows)
    tmp = target.with_name(target.name + ".partial")
    try:
        tmp.write_bytes(data)
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"cannot write {target}: {exc.strerror or exc}") from exc
    return len(table.rows)


__all__ = ["COLUMNS", "export_verdicts", "verdicts"]
