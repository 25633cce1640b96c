"""``create_app`` takes its dependencies and opens nothing: the pages open the store when a
request first needs it, in this process; the query workers read it in theirs."""

from __future__ import annotations

import os
from pathlib import Path

from interfaces import AsgiClient, app_on
from ld_support import fixture_quads, fixture_settings
from sparql_support import publish_version, settled

from policygraph.query import PublishedStore


def open_files_under(folder: Path) -> list[str]:
    """The files this process holds open under ``folder`` (from /proc/self/fd)."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(folder.resolve())):
            found.append(target)
    return found


def test_the_factory_opens_no_store_and_a_page_opens_it_when_asked(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    publish_version(store_dir, fixture_quads(), "v1")
    with app_on(fixture_settings(store_dir), PublishedStore(store_dir)) as app:
        settled(app)
        assert open_files_under(store_dir) == []
        # /sparql needs no store here: the cache is empty and a join goes to a worker.
        client = AsgiClient(app)
        answer = client.get("/sparql", params={"query": "ASK { ?s ?p ?o . ?o ?q ?r }"})
        assert answer.status_code == 200
        assert open_files_under(store_dir) == []
        page = app.pages.test_client().get("/id/organisatie/fit", headers={"Accept": "text/turtle"})
        assert page.status_code == 200
        assert open_files_under(store_dir) != []
