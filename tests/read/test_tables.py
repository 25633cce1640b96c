"""The tables for spreadsheets: every citation and every section, as CSV a spreadsheet reads."""

from __future__ import annotations

import csv
import io
import json

import pytest
from ld_support import BASE, SECTION, fixture_store

from policygraph.read.dumps import write_dumps
from policygraph.read.tables import Table, citations, sections
from policygraph.render.spreadsheet import csv_text
from policygraph.store.local import LocalStore

CLAIM = f"{BASE}/id/regeerakkoord/2019-2024/bewering/buitenlands-beleid-en-toerisme/4.3.2"
DECISION = f"{BASE}/id/beslissing/"


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def write_csv(table: Table) -> bytes:
    return csv_text(table.columns, table.rows).encode("utf-8")


def test_each_claim_is_a_row_per_decision_it_cites_with_its_section_and_chapter():
    rows = read_csv(write_csv(citations(fixture_store())))
    of_section = [r for r in rows if r["section_iri"] == SECTION]
    assert [(r["claim_iri"], r["decision_id"]) for r in of_section] == [
        (f"{CLAIM}/1", "5D9C56D56B1B8100080001EA"),
        (f"{CLAIM}/1", "6000000000000000000000A1"),
        (f"{CLAIM}/2", "6100000000000000000000B2"),
    ]
    first = of_section[0]
    assert first["chapter_number"] == "4"
    assert first["chapter"] == "Buitenlands beleid en toerisme"
    assert first["section_number"] == "4.3.2"
    assert first["claim"] == "FIT opende nieuwe kantoren [1] en volgde de Brexit op [2]."
    assert first["claim_part"] == "summary"
    assert first["decision_kind"] == "nota"
    assert first["decision_iri"] == DECISION + "5D9C56D56B1B8100080001EA"


def test_a_section_row_says_whether_it_is_assessed_and_with_how_much_evidence():
    rows = {r["section_iri"]: r for r in read_csv(write_csv(sections(fixture_store())))}
    row = rows[SECTION]
    assert (row["assessed"], row["with_evidence"], row["claims"], row["decisions_cited"]) == (
        "yes",
        "yes",
        "2",
        "3",
    )


def test_the_dumps_carry_the_tables_as_csv_beside_the_rdf(tmp_path):
    dumps = write_dumps(fixture_store(), tmp_path)
    for name in ("citations.csv", "sections.csv"):
        dump = dumps.file(name)
        assert dump is not None
        assert dump.media_type == "text/csv"
        assert not dump.is_rdf
        assert len(read_csv((dumps.folder / name).read_bytes())) == dump.statements
    manifest = json.loads((dumps.folder / "manifest.json").read_text())
    assert {f["name"] for f in manifest["files"]} >= {"citations.csv", "sections.csv"}


@pytest.mark.slow
def test_on_the_corpus_the_tables_count_what_the_readme_counts(built):
    settings, _ = built
    store = LocalStore.open(settings.store_dir)
    section_rows = read_csv(write_csv(sections(store)))
    citation_rows = read_csv(write_csv(citations(store)))
    # 224 parts to assess, 193 reports, 1,786 claims (README, held to the sources elsewhere).
    assert len(section_rows) == 224
    assert sum(r["assessed"] == "yes" for r in section_rows) == 193
    assert len({r["claim_iri"] for r in citation_rows}) == 1786
    # The decisions a report's claims cite are among those the report cites; all of them but
    # in two reports, where markers outside the claims ("[0-56]") cite the rest.
    cited: dict[str, set[str]] = {}
    for row in citation_rows:
        if row["decision_iri"]:
            cited.setdefault(row["report_iri"], set()).add(row["decision_iri"])
    fewer = []
    for row in section_rows:
        if row["report_iri"]:
            by_claims = len(cited.get(row["report_iri"], set()))
            assert by_claims <= int(row["decisions_cited"])
            if by_claims < int(row["decisions_cited"]):
                fewer.append(row["section_number"])
    assert sorted(fewer) == ["1.7", "6.3.7"]
    # In the agreement's order: chapters as numbered, sections within them as numbered.
    first = citation_rows[0]
    assert (first["chapter_number"], first["section_number"]) == ("1", "1.1")
