"""Operations: ``/healthz`` for load balancers and ``/metrics`` for Prometheus."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from policygraph.errors import StoreError
from policygraph.web.context import state

blueprint = Blueprint("ops", __name__)


@blueprint.get("/healthz")
def healthz() -> Response:
    """200 while the dataset is published and the query workers are up; 503 otherwise."""
    endpoint = state().endpoint
    try:
        version = endpoint.versions.current().version
    except StoreError as error:
        response = jsonify(status="unavailable", reason=str(error))
        response.status_code = 503
        return response
    workers = len(endpoint.pool.worker_pids())
    status = "ok" if workers == endpoint.pool.size else "degraded"
    response = jsonify(
        status=status,
        version=version,
        query_slots=endpoint.pool.size,
        idle_slots=endpoint.pool.idle,
        dataset_in_memory=endpoint.pool.in_memory,
        loading=endpoint.pool.loading,
        cached_answers=len(endpoint.cache),
    )
    response.headers["Cache-Control"] = "no-store"
    response.status_code = 200 if status == "ok" else 503
    return response


@blueprint.get("/metrics")
def metrics() -> Response:
    endpoint = state().endpoint
    body, content_type = endpoint.metrics.exposition()
    return Response(body, content_type=content_type, headers={"Cache-Control": "no-store"})


__all__ = ["blueprint"]
