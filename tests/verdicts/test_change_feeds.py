"""The change feeds of the annotated corpus: the Atom feed read by feedparser, the LDES
replicated by a client that follows every TREE relation; both filtered per section and per
organisation. A fresh build has a well-formed, empty feed and stream."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

import feedparser
import httpx
import pyoxigraph
import pytest
import rdflib
from interfaces import LoopbackServer, app_on
from ldes_client import LDES, TREE, replicate
from verdict_data import BASE, SECTION, Story

from policygraph.query import source_for

pytestmark = pytest.mark.slow

DCT = rdflib.Namespace("http://purl.org/dc/terms/")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
AS = rdflib.Namespace("https://www.w3.org/ns/activitystreams#")
FIT = f"{BASE}/id/organisatie/fit"


def expected_events(story: Story) -> Counter[tuple[str, str]]:
    """(activity, annotation) of every event the two publishes made."""
    created = [("Create", n.iri.value) for n in (*story.ann.notes, *story.bert.notes)]
    retracted = [("Undo", n.iri.value) for n in story.ann.notes if n.retracted]
    return Counter(created + retracted)


def atom(server: str, query: str = "") -> feedparser.FeedParserDict:
    response = httpx.get(server + "/feed.atom" + query, timeout=60)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_the_atom_feed_lists_the_events_newest_first(story: Story, story_server):
    feed = atom(story_server, "?lang=en")
    assert feed.version == "atom10"
    assert feed.feed.title == "policygraph: changes"
    entries = feed.entries
    assert len(entries) == sum(expected_events(story).values())
    updated = [entry.updated_parsed for entry in entries]
    assert updated == sorted(updated, reverse=True)
    about = Counter(
        (entry.tags[1].term, entry.link.replace(story_server, BASE)) for entry in entries
    )
    assert about == expected_events(story)
    titles = {entry.link.rsplit("/", 1)[-1]: entry.title for entry in entries}
    assert titles["01JF0000000000000000000003"] == "Verdict: partly kept"
    assert titles["01JF0000000000000000000004"] == "Correction of a citation"
    authors = {entry.author for entry in entries}
    assert authors == {"ann", "bert"}


def test_the_atom_feed_filters_by_section_and_organisation(story: Story, story_server):
    everything = len(atom(story_server).entries)
    assert len(atom(story_server, f"?section={SECTION.value}").entries) == everything
    assert len(atom(story_server, f"?organisation={FIT}").entries) == everything
    other = f"{BASE}/id/regeerakkoord/2019-2024/sectie/buitenlands-beleid-en-toerisme/4.3.1"
    assert atom(story_server, f"?section={other}").entries == []
    refused = httpx.get(story_server + "/feed.atom?section=not-an-iri", timeout=120)
    assert refused.status_code == 400


def test_the_stream_is_replicated_by_following_its_relations(story: Story, story_server):
    replica = replicate(story_server + "/ldes")
    assert str(replica.stream) == story_server + "/ldes"
    graph = replica.graph
    assert (replica.stream, LDES.timestampPath, PROV.generatedAtTime) in graph
    assert (replica.stream, LDES.versionOfPath, DCT.isVersionOf) in graph
    # Two members a page: five events take three pages, each member on one of them.
    assert len(replica.pages) == 3
    assert len(replica.members) == len(set(replica.members)) == 5
    found = Counter(
        (
            str(graph.value(m, rdflib.RDF.type)).rsplit("#", 1)[-1],
            str(graph.value(m, DCT.isVersionOf)),
        )
        for m in replica.members
    )
    assert found == expected_events(story)
    for member in replica.members:
        assert graph.value(member, PROV.generatedAtTime) is not None
        assert (member, DCT.subject, rdflib.URIRef(SECTION.value)) in graph
    times = [graph.value(m, PROV.generatedAtTime).toPython() for m in replica.members]
    assert times == sorted(times)


def test_full_pages_are_immutable_and_the_last_is_open(story_server):
    first = httpx.get(story_server + "/ldes/0", headers={"Accept": "text/turtle"}, timeout=120)
    last = httpx.get(story_server + "/ldes/2", headers={"Accept": "text/turtle"}, timeout=120)
    assert "immutable" in first.headers["cache-control"]
    assert "immutable" not in last.headers["cache-control"]
    assert "tree#relation" not in last.text
    assert httpx.get(story_server + "/ldes/3", timeout=120).status_code == 404
    jsonld = httpx.get(
        story_server + "/ldes/0", headers={"Accept": "application/ld+json"}, timeout=120
    )
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    quads = pyoxigraph.parse(jsonld.content, format=pyoxigraph.RdfFormat.JSON_LD)
    assert len({q.object for q in quads if q.predicate.value == str(TREE.member)}) == 2


def test_the_stream_filters_by_organisation(story_server):
    replica = replicate(f"{story_server}/ldes?organisation={FIT}")
    # The stream names itself with its filter, percent-encoded.
    assert replica.stream == rdflib.URIRef(
        f"{story_server}/ldes?{urlencode({'organisation': FIT})}"
    )
    assert len(replica.members) == 5
    nobody = replicate(f"{story_server}/ldes?organisation={BASE}/id/organisatie/niemand")
    assert nobody.members == []
    assert len(nobody.pages) == 1


def test_a_fresh_build_has_an_empty_well_formed_feed_and_stream(built, corpus_store):
    settings, _ = built
    with app_on(settings.replace(max_concurrent_queries=1), source_for(corpus_store)) as app:
        served = LoopbackServer(app)
        try:
            assert atom(served.url).entries == []
            replica = replicate(served.url + "/ldes")
            assert replica.members == []
            assert replica.pages == [served.url + "/ldes/0"]
        finally:
            served.stop()
