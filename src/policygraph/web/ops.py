"""Operations: ``/healthz`` (liveness), ``/readyz`` (readiness) and ``/metrics`` (Prometheus).

A load balancer asks ``/readyz`` whether to send queries here; an orchestrator asks ``/healthz``
whether the process should be restarted. They differ on purpose: a query worker being replaced
(after a timeout, a hang-up or a crash) leaves the process alive and ready, since its fork server
forks a replacement in milliseconds; a process with no published dataset yet is alive, and
restarting it would not publish one, but it is not ready. Both answer the same JSON; each
answer speaks for the web worker that took it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from policygraph.errors import StoreError
from policygraph.query.forward import Forwarder
from policygraph.web.context import state

blueprint = Blueprint("ops", __name__)


@blueprint.get("/healthz")
def healthz() -> Response:
    """200 while this process can answer; 503 only once its query pool has been closed."""
    health = _health()
    return _json(health, 503 if health["status"] == "stopping" else 200)


@blueprint.get("/readyz")
def readyz() -> Response:
    """200 when a dataset is published and a query can be given a worker; 503 otherwise."""
    health = _health()
    return _json(health, 200 if health["ready"] else 503)


def _health() -> dict[str, Any]:
    endpoint = state().endpoint
    pool = endpoint.pool
    try:
        version: str | None = endpoint.versions.current().version
        reason = None
    except StoreError as error:
        version, reason = None, str(error)
    workers = len(pool.worker_pids())
    if pool.closed:
        status = "stopping"
    elif version is None:
        status = "unavailable"
    else:
        status = "ok" if workers == pool.size or isinstance(pool, Forwarder) else "degraded"
    health: dict[str, Any] = {
        "status": status,
        "ready": version is not None and pool.ready,
        "version": version,
        "query_slots": pool.size,
        "workers": workers,
        "idle_slots": pool.idle,
        "dataset_in_memory": pool.in_memory,
        "loading": pool.loading,
        "cached_answers": len(endpoint.cache),
    }
    if isinstance(pool, Forwarder):
        health |= pool.health()
        if status == "ok" and not all(r["healthy"] for r in health["replicas"]):
            health["status"] = "degraded"
    if reason is not None:
        health["reason"] = reason
    return health


def _json(health: dict[str, Any], status: int) -> Response:
    response = jsonify(health)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/metrics")
def metrics() -> Response:
    endpoint = state().endpoint
    body, content_type = endpoint.metrics.exposition()
    return Response(body, content_type=content_type, headers={"Cache-Control": "no-store"})


__all__ = ["blueprint"]
