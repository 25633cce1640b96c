"""Liveness and readiness: ``/healthz`` says whether the process should be restarted, ``/readyz``
whether queries may be sent to it (issue: /healthz flapped to 503 while a query worker was
replaced after a timeout, 1 probe in 60 at concurrency 32, and a load balancer would pull a
healthy node)."""

from __future__ import annotations

import threading
import time

from interfaces import AsgiClient, app_on
from sparql_support import app_with, endpoint_settings, runaway_query

from policygraph.query import PublishedStore


def test_both_answer_ok_on_a_settled_service() -> None:
    with app_with() as app:
        client = AsgiClient(app)
        for path in ("/healthz", "/readyz"):
            response = client.get(path)
            assert response.status_code == 200
            body = response.json()
            assert (body["status"], body["ready"]) == ("ok", True)
            assert body["workers"] == body["query_slots"] == 1
            assert response.headers["Cache-Control"] == "no-store"


def test_without_a_published_dataset_the_process_is_alive_but_not_ready(tmp_path) -> None:
    settings = endpoint_settings(tmp_path / "store")
    with app_on(settings, PublishedStore(tmp_path / "store")) as app:
        client = AsgiClient(app)
        alive, ready = client.get("/healthz"), client.get("/readyz")
    assert (alive.status_code, alive.json()["status"]) == (200, "unavailable")
    assert (ready.status_code, ready.json()["ready"]) == (503, False)
    assert "reason" in ready.json()


def test_readiness_holds_while_workers_are_replaced_after_timeouts() -> None:
    with app_with(query_timeout=0.3, max_concurrent_queries=1, queue_timeout=5.0) as app:
        client = AsgiClient(app)
        pool = app.endpoint.pool
        statuses: list[tuple[int, int]] = []
        stop = threading.Event()

        def probe() -> None:
            while not stop.is_set():
                statuses.append(
                    (client.get("/healthz").status_code, client.get("/readyz").status_code)
                )
                time.sleep(0.002)

        prober = threading.Thread(target=probe)
        prober.start()
        try:
            # At least five replacements, and probes enough to see them (how many probes fit in
            # one query's time depends on the machine: the queries go on until there are).
            for done in range(200):
                if done >= 5 and len(statuses) > 50:
                    break
                response = client.get("/sparql", params={"query": runaway_query()})
                assert response.status_code == 503
        finally:
            stop.set()
            prober.join()
        assert pool.killed >= 5  # each runaway query's worker was killed and replaced
        assert len(statuses) > 50
        assert set(statuses) == {(200, 200)}
