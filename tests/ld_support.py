"""A small linked-data app for the web tests: the fixture graph and the real ontology, in memory.

Imported by the unit and web test modules (``from ld_support import …``); the fixtures are
module-scoped, so each module builds its own app and no test shares state with another module.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from interfaces import app_on
from pyoxigraph import Quad, RdfFormat, parse

from policygraph.config import ONTOLOGY_DIR, Settings, load_settings
from policygraph.namespaces import Minter
from policygraph.query import source_for
from policygraph.sources.ontology import read_ontology
from policygraph.store.local import LocalStore
from policygraph.web import Front

PROJECT = Path(__file__).resolve().parents[1]
FIXTURE = PROJECT / "tests" / "web" / "fixtures" / "small.trig"
BASE = "https://data.policygraph.be"

SECTION = f"{BASE}/id/regeerakkoord/2019-2024/sectie/buitenlands-beleid-en-toerisme/4.3.2"
XSS_SECTION = f"{BASE}/id/regeerakkoord/2019-2024/sectie/buitenlands-beleid-en-toerisme/4.3.3"
CHAPTER = f"{BASE}/id/regeerakkoord/2019-2024/hoofdstuk/buitenlands-beleid-en-toerisme"
ORGANISATION = f"{BASE}/id/organisatie/fit"
COMPOSITION = f"{BASE}/id/organisatie/vlaamse-regering-jambon"
DECISION = f"{BASE}/id/beslissing/5D9C56D56B1B8100080001EA"
REPORT = f"{BASE}/id/regeerakkoord/2019-2024/beoordeling/buitenlands-beleid-en-toerisme/4.3.2"
CLAIM = f"{BASE}/id/regeerakkoord/2019-2024/bewering/buitenlands-beleid-en-toerisme/4.3.2/1"
CAMPAIGN = f"{BASE}/id/campagne/fit-lifesciences-health-2021"
SOURCE = f"{BASE}/id/bron/corpus-decisions"
GRAPH = f"{BASE}/graph/beslissingen"
CONCEPT = "https://data.policygraph.be/ns/concept/nota"


def fixture_quads() -> list[Quad]:
    quads = list(parse(path=str(FIXTURE), format=RdfFormat.TRIG))
    for graph in read_ontology(ONTOLOGY_DIR, Minter(BASE)):
        quads += graph.quads()
    return quads


def fixture_store(version: str = "fixture-1") -> LocalStore:
    return LocalStore.in_memory(fixture_quads(), version=version)


def fixture_settings(store_dir: Path) -> Settings:
    return load_settings(
        env={},
        overrides={
            "store_dir": str(store_dir),
            "max_concurrent_queries": 1,
            "queries_dir": str(PROJECT / "queries"),
        },
    )


@pytest.fixture(scope="module")
def ld_store() -> LocalStore:
    return fixture_store()


@pytest.fixture(scope="module")
def ld_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return fixture_settings(tmp_path_factory.mktemp("ld-store"))


@pytest.fixture(scope="module")
def ld_app(ld_settings: Settings, ld_store: LocalStore) -> Iterator[Front]:
    """The app on the fixture store; its pages are ``ld_app.pages`` (Flask), its endpoint is
    called through ``interfaces.AsgiClient``."""
    with app_on(ld_settings, source_for(ld_store)) as app:
        app.pages.testing = True
        yield app


def path_of(iri: str) -> str:
    """The request path that serves an IRI of the fixture (the test client's host is local)."""
    for prefix in (BASE,):
        if iri.startswith(prefix + "/"):
            return iri[len(prefix) :]
    raise ValueError(iri)
