"""Agreements are declared in data/agreements/*.toml; a declaration that is not one is refused."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from policygraph.errors import SourceError, SourceFormatError
from policygraph.sources.agreement import former_iris_agreement, read_agreements

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DECLARATION = (DATA_DIR / "agreements" / "regeerakkoord-2019-2024.toml").read_text("utf-8")


def declared(tmp_path: Path, *texts: str) -> Path:
    folder = tmp_path / "agreements"
    folder.mkdir(parents=True)
    for index, text in enumerate(texts):
        (folder / f"a{index}.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_2019_2024_declaration() -> None:
    (agreement,) = read_agreements(DATA_DIR)
    assert agreement.slug == "2019-2024"
    assert agreement.title_nl == "Regeerakkoord van de Vlaamse Regering 2019-2024"
    assert (agreement.start, agreement.end) == (date(2019, 10, 2), date(2024, 9, 30))
    assert agreement.government.composition == "vlaamse-regering-jambon"
    assert agreement.files.sections == "corpus/sections.jsonl"
    assert agreement.in_office(date(2024, 9, 30))
    assert not agreement.in_office(date(2024, 10, 1))
    assert former_iris_agreement(DATA_DIR) == "2019-2024"


def test_no_declaration_is_an_error_for_the_build_and_no_former_iris_for_the_web(
    tmp_path: Path,
) -> None:
    with pytest.raises(SourceError, match="no agreement is declared"):
        read_agreements(tmp_path)
    assert former_iris_agreement(tmp_path) is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('slug = "2019-2024"', ""), "missing 'slug'"),
        (('nl = "Regeerakkoord', "nl = 3 #"), "'title.nl' must be a non-empty string"),
        (("end = 2024-09-30", 'end = "later"'), "'period.end' must be a date"),
        (("end = 2024-09-30", "end = 2018-01-01"), "ends (2018-01-01) before it starts"),
        (("former_iris = true", 'former_iris = "yes"'), "'former_iris' must be true or false"),
        (("[files]", "[files\n"), "not a TOML document"),
    ],
)
def test_a_malformed_declaration_names_file_and_key(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    assert change[0] in DECLARATION
    data = declared(tmp_path, DECLARATION.replace(*change, 1))
    with pytest.raises(SourceFormatError, match=re.escape(message)):
        read_agreements(data)


def test_two_agreements_with_one_slug_or_both_holding_former_iris_are_refused(
    tmp_path: Path,
) -> None:
    with pytest.raises(SourceFormatError, match="declared twice"):
        read_agreements(declared(tmp_path / "one", DECLARATION, DECLARATION))
    other = DECLARATION.replace('slug = "2019-2024"', 'slug = "2024-2029"')
    with pytest.raises(SourceFormatError, match="only one agreement can hold the former IRIs"):
        read_agreements(declared(tmp_path / "two", DECLARATION, other))
