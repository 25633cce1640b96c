"""The coded dataset: verdicts.csv in the dumps, ``policygraph export --verdicts``, the same
rows, one per section and researcher with the current verdict."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from click.testing import CliRunner
from verdict_data import SECTION, Note, Story

from policygraph.cli import main
from policygraph.read.verdict_table import COLUMNS

pytestmark = pytest.mark.slow

LABELS = {"partly-kept": "partly kept", "stalled": "stalled"}


def expected_row(note: Note) -> dict[str, str]:
    assert note.verdict is not None
    return {
        "section": SECTION.value,
        "section_number": "4.3.2",
        "chapter": "Buitenlands beleid en toerisme",
        "annotator": note.account,
        "verdict": note.verdict,
        "verdict_label": LABELS[note.verdict],
        "date": note.created.isoformat().replace("+00:00", "Z"),
        "comment": note.comment or "",
        # A decision's id is the last segment of its IRI (its mu:uuid).
        "evidence": ";".join(d.value.rsplit("/", 1)[-1] for d in note.evidence),
        "annotation": note.iri.value,
    }


def expected(story: Story) -> list[dict[str, str]]:
    # ann's newest verdict (her first is retracted), bert's only one.
    return [expected_row(story.ann.notes[-1]), expected_row(story.bert.notes[0])]


def parsed(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return list(reader.fieldnames or []), list(reader)


def test_the_dumps_carry_verdicts_csv(story: Story, story_server):
    response = httpx.get(
        story_server + "/dumps/latest/verdicts.csv", follow_redirects=True, timeout=120
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "\r\n" in response.text
    header, rows = parsed(response.text)
    assert header == list(COLUMNS)
    assert rows == expected(story)


def test_export_writes_the_same_rows(story: Story, tmp_path):
    out = tmp_path / "verdicts.csv"
    store = str(story.settings.store_dir)
    result = CliRunner().invoke(main, ["export", "--verdicts", str(out), "--store", store])
    assert result.exit_code == 0, result.output
    assert "wrote 2 verdicts" in result.output
    written = out.read_bytes().decode("utf-8")
    header, rows = parsed(written)
    assert header == list(COLUMNS)
    assert rows == expected(story)
    to_stdout = CliRunner().invoke(main, ["export", "--verdicts", "-", "--store", store])
    assert to_stdout.exit_code == 0
    assert parsed(to_stdout.output) == (header, rows)


def test_void_lists_the_table_with_its_codebook(story_server):
    response = httpx.get(
        story_server + "/.well-known/void", headers={"Accept": "text/turtle"}, timeout=300
    )
    assert response.status_code == 200
    assert "/verdicts.csv#distribution" in response.text
    assert "/dumps/verdicts>" in response.text
    assert "/ldes>" in response.text
