"""Cool URIs don't change: every agreement IRI published before IRIs carried their agreement
still answers, with ``301 Moved Permanently`` to the IRI the same thing has now.

``tests/fixtures/agreements/iris-2019-2024-before-agreements.txt.gz`` lists the agreement,
chapter, section, report, claim and reference IRIs and the agreement's graphs as a build of the
corpus minted them then (one path under the base per line), before any minting changed.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from policygraph.store.local import LocalStore

pytestmark = pytest.mark.slow

FORMER = Path(__file__).resolve().parents[1] / "fixtures" / "agreements"
BASE = "https://data.policygraph.be"
AGREEMENT = "/regeerakkoord/2019-2024"

# What moved where: the kinds minted under /id/ and the graphs under /graph/ that an agreement
# owns now, spelled out here apart from the code that mints and redirects them.
MOVED_THINGS = ("hoofdstuk", "sectie", "beoordeling", "bewering", "referentie")
MOVED_GRAPHS = {
    "/graph/regeerakkoord": f"/graph{AGREEMENT}",
    "/graph/vermeldingen": f"/graph{AGREEMENT}/vermeldingen",
}
# Kinds first minted after the move (how each report was generated, and what is derived from
# the sources: the support of each citation, the suggested evidence): they never had a former IRI.
NEWER = tuple(
    f"/{space}{AGREEMENT}/{kind}/"
    for space, kind in (
        ("id", "generatie"),
        ("id", "prompt"),
        ("id", "kandidaat"),
        ("id", "antwoord"),
        ("graph", "generatie"),
        ("id", "citatiesteun"),
        ("id", "suggestie"),
    )
)


def former_paths() -> list[str]:
    with gzip.open(FORMER / "iris-2019-2024-before-agreements.txt.gz", "rt") as lines:
        return [line.rstrip("\n") for line in lines if line.strip()]


def now(path: str) -> str:
    if path in MOVED_GRAPHS:
        return MOVED_GRAPHS[path]
    if path.startswith("/graph/beoordeling/"):
        return f"/graph{AGREEMENT}/" + path.removeprefix("/graph/")
    kind = path.split("/")[2]
    if kind in MOVED_THINGS:
        return f"/id{AGREEMENT}/" + path.removeprefix("/id/")
    return path  # the agreement itself kept its IRI


def test_the_list_is_the_one_of_the_former_build() -> None:
    paths = former_paths()
    assert len(paths) == len(set(paths)) == 8088
    assert "/id/sectie/buitenlands-beleid-en-toerisme/4.3.2" in paths
    assert "/id/regeerakkoord/2019-2024" in paths
    assert sum(p.startswith("/id/sectie/") for p in paths) == 259
    assert sum(p.startswith("/id/hoofdstuk/") for p in paths) == 26


def test_every_former_iri_moved_to_one_the_build_mints(corpus_store: LocalStore) -> None:
    """The new IRIs are exactly what the build mints under the agreement, apart from the kinds
    minted since: none lost, none new."""
    minted: set[str] = {g.value for g in corpus_store.named_graphs() if isinstance(g, NamedNode)}
    for quad in corpus_store.quads():
        for term in (quad.subject, quad.object):
            if isinstance(term, NamedNode):
                minted.add(term.value.split("#", 1)[0])
    under = {
        iri[len(BASE) :]
        for iri in minted
        if iri.startswith((f"{BASE}/id{AGREEMENT}", f"{BASE}/graph{AGREEMENT}"))
        and not iri[len(BASE) :].startswith(NEWER)
    }
    assert {now(p) for p in former_paths()} == under


def test_every_former_iri_answers_301_to_its_new_iri_which_answers_200(corpus_app) -> None:
    client = corpus_app.test_client()
    failures = []
    for path in former_paths():
        target = now(path)
        response = client.get(path, headers={"Accept": "application/n-triples"})
        if target == path:
            if response.status_code != 200:
                failures.append(f"{path}: {response.status_code}, not 200")
            continue
        if (response.status_code, response.location) != (301, f"http://localhost{target}"):
            failures.append(f"{path}: {response.status_code} to {response.location}")
            continue
        moved = client.get(target, headers={"Accept": "application/n-triples"})
        if moved.status_code != 200 or not moved.data:
            failures.append(f"{target} (from {path}): {moved.status_code}")
    assert failures == []


def test_the_redirect_keeps_the_query_and_is_negotiated_at_its_target(corpus_app) -> None:
    client = corpus_app.test_client()
    path = "/id/sectie/buitenlands-beleid-en-toerisme/4.3.2"
    response = client.get(path + "?format=ttl&lang=en")
    assert response.status_code == 301
    assert response.location == f"http://localhost/id{AGREEMENT}/sectie/" + (
        "buitenlands-beleid-en-toerisme/4.3.2?format=ttl&lang=en"
    )
    followed = client.get(path, headers={"Accept": "text/html"}, follow_redirects=True)
    assert followed.status_code == 200
    assert followed.mimetype == "text/html"
    assert client.get("/id/sectie/nergens/9.9").status_code == 404
    assert client.get("/id/regeerakkoord/2019-2024/sectie/nergens/9.9").status_code == 404
