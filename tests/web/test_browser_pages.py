"""Every kind of page fits the screen: on the built corpus, in headless Chromium at a desktop
(1366×900) and a phone (390×844) width, no page scrolls sideways.

A deterministic sample of at least 50 IRIs of every IRI pattern (all of them where there are
fewer): decisions, sections, chapters, reports, claims, references, organisations, persons,
campaigns and every other curated kind, graphs and sources. One browser per width, reused for
every page; the corpus is built and served once. A screenshot of the first page of each kind
at each width goes to test-artifacts/browser/ (``page-{kind}-{width}.png``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import pytest
from browser_support import BROWSER_MARKS, WIDTHS, chromium, overflow, shot
from interfaces import LoopbackServer, app_on
from pyoxigraph import NamedNode

from policygraph.query import source_for
from policygraph.store.local import LocalStore

pytestmark = BROWSER_MARKS

BASE = "https://data.policygraph.be"
SAMPLE = 50


def kind_of(path: str) -> str:
    """The IRI pattern a path is of: ``beslissing``, ``sectie``, ``graph``, ``agreement``…"""
    parts = path.strip("/").split("/")
    if parts[0] != "id":
        return parts[0]
    if parts[1] == "regeerakkoord":
        return parts[3] if len(parts) > 3 else "agreement"
    return parts[1]


def sample_paths(store: LocalStore) -> dict[str, list[str]]:
    """Per kind, the paths of up to ``SAMPLE`` of its IRIs, spread evenly over their sorted list."""
    iris: set[str] = {g.value for g in store.named_graphs() if isinstance(g, NamedNode)}
    for quad in store.quads():
        for term in (quad.subject, quad.object):
            if isinstance(term, NamedNode) and term.value.startswith(BASE + "/"):
                iris.add(term.value)
    by_kind: dict[str, list[str]] = defaultdict(list)
    for path in sorted({iri.split("#", 1)[0][len(BASE) :] for iri in iris}):
        by_kind[kind_of(path)].append(path)
    return {
        kind: paths
        if len(paths) <= SAMPLE
        else [paths[i * len(paths) // SAMPLE] for i in range(SAMPLE)]
        for kind, paths in sorted(by_kind.items())
    }


@pytest.fixture(scope="module")
def corpus_server(built, corpus_store: LocalStore) -> Iterator[str]:
    settings, _ = built
    with app_on(settings.replace(max_concurrent_queries=1), source_for(corpus_store)) as app:
        served = LoopbackServer(app)
        yield served.url
        served.stop()


@pytest.fixture(scope="module")
def samples(corpus_store: LocalStore) -> dict[str, list[str]]:
    return sample_paths(corpus_store)


def test_the_sample_covers_every_kind(samples):
    for kind in (
        "beslissing",
        "sectie",
        "hoofdstuk",
        "beoordeling",
        "bewering",
        "referentie",
        "organisatie",
        "persoon",
        "campagne",
        "graph",
        "bron",
        "land",
        "agreement",
    ):
        assert samples.get(kind), kind
    for kind in ("beslissing", "sectie", "beoordeling", "bewering", "referentie", "graph", "bron"):
        assert len(samples[kind]) == SAMPLE, kind


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(corpus_server, samples, width):
    failures = []
    opened = 0
    with chromium(WIDTHS[width]) as driver:
        for kind, paths in [("home", ["/"]), *samples.items()]:
            for index, path in enumerate(paths):
                # A page loads whole before get() returns (readyState "complete").
                driver.get(corpus_server + path)
                assert driver.execute_script("return document.readyState") == "complete"
                opened += 1
                wider = overflow(driver)
                if wider is not None:
                    failures.append(f"{path}: {wider}")
                if index == 0:
                    shot(driver, f"page-{kind}-{width}")
    assert opened == 1 + sum(len(paths) for paths in samples.values())
    assert failures == []
