"""A harvest's new and changed decisions in the change log, the Atom feed and the LDES."""

from __future__ import annotations

from collections import Counter

import feedparser
import httpx
import pytest
import rdflib
from interfaces import LoopbackServer, app_on
from test_harvest_publishing import harvest, with_organisations

from policygraph.harvest import publish_harvest
from policygraph.query import source_for
from policygraph.store.local import LocalStore

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("themis")]

DCT = rdflib.Namespace("http://purl.org/dc/terms/")
TREE = rdflib.Namespace("https://w3id.org/tree#")


def replicate(url: str) -> rdflib.Graph:
    """Every page of the stream, from its view through each relation to the end."""
    graph = rdflib.Graph()
    todo, seen = [url], set()
    while todo:
        page = todo.pop(0)
        if page in seen:
            continue
        seen.add(page)
        text = httpx.get(page, headers={"Accept": "text/turtle"}, timeout=60).text
        fetched = rdflib.Graph().parse(data=text, format="turtle")
        graph += fetched
        todo += [str(o) for o in fetched.objects(None, TREE.view)]
        todo += [
            str(o)
            for r in fetched.objects(None, TREE.relation)
            for o in fetched.objects(r, TREE.node)
        ]
    return graph


def test_a_harvest_appears_in_both_feeds(tmp_path, proxy_to, themis_servers):
    settings, minter = with_organisations(tmp_path)
    proxy = proxy_to(1)
    endpoint = proxy.url + "/query"
    publish_harvest(settings, harvest(settings, endpoint))
    proxy.upstream = themis_servers[2].url
    publish_harvest(settings, harvest(settings, endpoint))

    retitled = minter.decision("5E0000000000000000000028")  # item 40
    store = LocalStore.open(settings.store_dir)
    with app_on(settings.replace(max_concurrent_queries=1), source_for(store)) as app:
        served = LoopbackServer(app)
        try:
            response = httpx.get(served.url + "/feed.atom?lang=en", timeout=60)
            feed = feedparser.parse(response.content)
            stream = replicate(served.url + "/ldes")
        finally:
            served.stop()
    assert not feed.bozo
    kinds = Counter(entry.tags[1].term for entry in feed.entries)
    # The first harvest brought 16 decisions, the second 2 more and retitled one.
    assert kinds == Counter({"Create": 18, "Update": 1})
    (changed,) = [e for e in feed.entries if e.tags[1].term == "Update"]
    assert changed.title == "Changed decision: Beslissing 40, herziene titel"
    assert changed.link == served.url + "/id/beslissing/5E0000000000000000000028"
    members = set(stream.subjects(DCT.isVersionOf, None))
    assert len(members) == 19
    updates = [
        m
        for m in members
        if (m, rdflib.RDF.type, rdflib.URIRef("https://www.w3.org/ns/activitystreams#Update"))
        in stream
    ]
    assert [stream.value(m, DCT.isVersionOf) for m in updates] == [rdflib.URIRef(retitled.value)]
