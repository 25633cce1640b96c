"""A second agreement builds beside 2019-2024: declared in a file of its own, its chapters,
sections and report are minted under it, so that its section 4.3.2 of "Buitenlands beleid en
toerisme" is not the one of 2019-2024; the union validates and the home page lists both."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from interfaces import app_on
from pyoxigraph import NamedNode, QuerySolutions

from policygraph.build.pipeline import BuildResult, build
from policygraph.config import Settings
from policygraph.namespaces import DCT, PG, RDF, Minter
from policygraph.query import source_for
from policygraph.store.local import LocalStore

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[2]
DATA = PROJECT / "data"
FIXTURE = PROJECT / "tests" / "fixtures" / "agreements" / "2024-2029"
FOREIGN = "buitenlands-beleid-en-toerisme"


def data_with_second_agreement(folder: Path) -> Path:
    """The data folder, with the fixture agreement declared beside 2019-2024 and the composition
    that made it added to the curated organisations."""
    data = folder / "data"
    data.mkdir()
    for entry in DATA.iterdir():
        if entry.name not in ("agreements", "curated"):
            (data / entry.name).symlink_to(entry)
    (data / "fixture-2024-2029").symlink_to(FIXTURE)
    (data / "agreements").mkdir()
    for declaration in [*(DATA / "agreements").glob("*.toml"), *FIXTURE.glob("*.toml")]:
        (data / "agreements" / declaration.name).symlink_to(declaration)
    shutil.copytree(DATA / "curated", data / "curated")
    organisations = data / "curated" / "organisations.ttl"
    composition = (FIXTURE / "composition.ttl").read_text(encoding="utf-8")
    organisations.write_text(
        organisations.read_text(encoding="utf-8") + "\n" + composition, encoding="utf-8"
    )
    return data


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory, settings_for) -> tuple[Settings, BuildResult]:
    data = data_with_second_agreement(tmp_path_factory.mktemp("two-agreements"))
    settings = settings_for(data_dir=str(data))
    return settings, build(settings)  # raises ValidationFailed unless the union conforms


@pytest.fixture(scope="module")
def store(both) -> LocalStore:
    settings, _ = both
    return LocalStore.open(settings.store_dir)


def sections_of(store: LocalStore, agreement: NamedNode) -> set[str]:
    rows = store.query(
        f"SELECT ?s WHERE {{ ?s a <{PG.Section.value}> ; <{PG.inChapter.value}> ?c . "
        f"?c <{DCT.isPartOf.value}> <{agreement.value}> }}"
    )
    assert isinstance(rows, QuerySolutions)
    return {row["s"].value for row in rows}


def test_both_agreements_build_and_validate_with_disjoint_section_iris(both, store) -> None:
    settings, result = both
    minter = Minter(settings.base_iri)
    first, second = minter.within("2019-2024"), minter.within("2024-2029")
    agreements = {
        q.subject.value
        for q in store.oxigraph.quads_for_pattern(None, RDF.type, PG.CoalitionAgreement)
    }
    assert agreements == {first.iri.value, second.iri.value}
    old, new = sections_of(store, first.iri), sections_of(store, second.iri)
    assert len(old) == 259
    assert new == {
        second.section(FOREIGN, "4.3").value,
        second.section(FOREIGN, "4.3.1").value,
        second.section(FOREIGN, "4.3.2").value,
        second.section("wonen", "1.1").value,
    }
    assert old.isdisjoint(new)
    # The same chapter slug and section number, two sections, each assessed in its own graph.
    assert first.section(FOREIGN, "4.3.2").value in old
    for iris in (first, second):
        report = iris.report(FOREIGN, "4.3.2")
        assessed = list(
            store.oxigraph.quads_for_pattern(
                report, PG.assesses, None, iris.report_graph(FOREIGN, "4.3.2")
            )
        )
        assert [q.object for q in assessed] == [iris.section(FOREIGN, "4.3.2")]
    mentions = list(
        store.oxigraph.quads_for_pattern(None, PG.mentionedIn, None, second.mentions_graph())
    )
    assert minter.organisation("fit") in {q.subject for q in mentions}
    assert result.version


@pytest.fixture(scope="module")
def app(both, store: LocalStore) -> Iterator[Flask]:
    settings, _ = both
    with app_on(settings.replace(max_concurrent_queries=1), source_for(store)) as app:
        yield app.pages


def test_the_home_page_lists_both_agreements(app) -> None:
    page = app.test_client().get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'href="http://localhost/id/regeerakkoord/2019-2024"' in page
    assert 'href="http://localhost/id/regeerakkoord/2024-2029"' in page
    assert "Regeerakkoord van de Vlaamse Regering 2019-2024" in page
    assert "Regeerakkoord 2024-2029 (testfixture)" in page


def test_the_former_iris_still_name_2019_2024(app) -> None:
    """Only the agreement declared with former IRIs answers them; the fixture's 4.3.2 does not."""
    response = app.test_client().get(f"/id/sectie/{FOREIGN}/4.3.2")
    assert response.status_code == 301
    assert (
        response.location == f"http://localhost/id/regeerakkoord/2019-2024/sectie/{FOREIGN}/4.3.2"
    )
