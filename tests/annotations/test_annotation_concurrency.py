"""Concurrent writers: 20 writers × 10 annotations over HTTP, every one kept in its account's
graph, published in fewer versions than writes (group commit); a reader querying meanwhile sees
whole versions only; a writer killed with SIGKILL mid-publish leaves the served version intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import httpx
from annotation_support import (
    DECISION,
    OA,
    SECTION,
    annotations_in,
    graph_of,
    publish_fixture,
    serve_api,
    verdict,
)

from policygraph.annotations.accounts import AccountBook
from policygraph.config import load_settings
from policygraph.store.local import CURRENT, VERSION_FILE, LocalStore, current_version_dir

WRITERS, EACH = 20, 10

SNAPSHOT = f"""
    PREFIX oa: <{OA}>
    PREFIX dct: <http://purl.org/dc/terms/>
    SELECT (COUNT(?a) AS ?annotations) (COUNT(?created) AS ?dated) WHERE {{
      GRAPH ?g {{ ?a a oa:Annotation . OPTIONAL {{ ?a dct:created ?created }} }}
    }}"""


def _reader(url: str, stop: threading.Event, seen: list[tuple[int, int]]) -> None:
    with httpx.Client(base_url=url, timeout=60) as client:
        while not stop.is_set():
            answer = client.get(
                "/sparql",
                params={"query": SNAPSHOT},
                headers={"Accept": "application/sparql-results+json"},
            )
            assert answer.status_code == 200, answer.text
            row = answer.json()["results"]["bindings"][0]
            seen.append((int(row["annotations"]["value"]), int(row["dated"]["value"])))
            stop.wait(0.05)  # leave the two cores to the writers


def wait_until_answering(url: str) -> None:
    """The query pool loads the published version when it starts (503 until then)."""
    with httpx.Client(base_url=url, timeout=60) as client:
        for _ in range(600):
            answer = client.get("/sparql", params={"query": SNAPSHOT})
            if answer.status_code == 200:
                return
            threading.Event().wait(0.1)
    raise AssertionError("the endpoint did not answer")


def test_twenty_writers_of_ten_annotations_all_kept(tmp_path: Path) -> None:
    accounts = {f"w{i:02d}": "annotator" for i in range(WRITERS)}
    with serve_api(tmp_path, accounts, max_concurrent_queries=8, annotation_burst=EACH + 3) as api:
        made: dict[str, list[str]] = {name: [] for name in accounts}
        versions: Counter[str] = Counter()
        failures: list[str] = []

        def write(name: str) -> None:
            with api.client(name) as client:
                for k in range(EACH):
                    answer = client.post("/annotations", json=verdict(comment=f"{name} {k}"))
                    if answer.status_code != 201:
                        failures.append(f"{name} {k}: {answer.status_code} {answer.text}")
                        continue
                    made[name].append(answer.json()["iri"])
                    versions[answer.headers["X-Policygraph-Version"]] += 1

        def refused() -> None:
            # Writes that do not conform, among the others: each refused, none of them sinks
            # the batch it is published with.
            with api.client("w00") as client:
                for _ in range(3):
                    answer = client.post("/annotations", json=verdict(target=DECISION))
                    if answer.status_code != 422:
                        failures.append(f"refused: {answer.status_code}")

        wait_until_answering(api.server.url)
        stop, seen = threading.Event(), []
        reader = threading.Thread(target=_reader, args=(api.server.url, stop, seen))
        reader.start()
        writers = [threading.Thread(target=write, args=(name,)) for name in accounts]
        writers.append(threading.Thread(target=refused))
        for thread in writers:
            thread.start()
        for thread in writers:
            thread.join()
        stop.set()
        reader.join()

        assert failures == []
        for name, iris in made.items():
            assert len(set(iris)) == EACH
            assert annotations_in(api.store_dir, name) == set(iris), name
            assert all(
                iri.startswith(graph_of(name).replace("/graph/annotations/", "/id/annotatie/"))
                for iri in iris
            )
        total = sum(len(iris) for iris in made.values())
        assert total == WRITERS * EACH
        # A reader sees whole versions: every annotation with its time, counts never going back.
        assert seen
        assert all(annotations == dated for annotations, dated in seen)
        assert [n for n, _ in seen] == sorted(n for n, _ in seen)
        print(
            f"\n{total} annotations by {WRITERS} writers kept in {len(versions)} versions "
            f"(largest batch {max(versions.values())}, mean {total / len(versions):.1f}); "
            f"the reader took {len(seen)} snapshots, from {seen[0][0]} to {seen[-1][0]} annotations"
        )
        assert len(versions) < total  # writes that arrived together were published together


CHILD = """
import sys, time
from policygraph.annotations.service import Annotations
from policygraph.config import load_settings

def stall(step, path):
    print(step, path, flush=True)
    time.sleep(600)

service = Annotations(load_settings(env={}, overrides={"store_dir": sys.argv[1]}), hook=stall)
account = service.accounts.authenticate(sys.argv[2])
service.create(account, sys.argv[3].encode("utf-8"), "application/json")
"""


def test_a_writer_killed_mid_publish_leaves_the_served_version_intact(tmp_path: Path) -> None:
    import json

    publish_fixture(tmp_path)
    token = AccountBook(tmp_path).add("an")
    served = os.readlink(tmp_path / CURRENT)
    body = json.dumps(verdict())
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path), token, body],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        step, unfinished = child.stdout.readline().split()  # type: ignore[union-attr]
        assert step == "written"
        assert Path(unfinished).is_dir()
        assert not (Path(unfinished) / VERSION_FILE).exists()
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()  # type: ignore[union-attr]
    assert child.returncode == -signal.SIGKILL
    assert os.readlink(tmp_path / CURRENT) == served
    store = LocalStore.open(tmp_path)
    assert store.version == "fixture-1"
    assert annotations_in(tmp_path, "an") == set()
    store.close()

    from policygraph.annotations.service import Annotations

    service = Annotations(load_settings(env={}, overrides={"store_dir": str(tmp_path)}))
    account = service.accounts.authenticate(token)
    created = service.create(account, body.encode(), "application/json")
    assert not Path(unfinished).exists()  # the next writer removed what the killed one left
    assert annotations_in(tmp_path, "an") == {created.iri.value}
    assert current_version_dir(tmp_path).name != served.rsplit("/", 1)[-1]
    assert SECTION in {
        q.object.value
        for q in LocalStore.open(tmp_path).quads()
        if q.subject == created.iri and q.predicate.value == OA + "hasTarget"
    }
