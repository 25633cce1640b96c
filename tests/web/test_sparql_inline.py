"""The inline lane: single-scan queries answered in the web process, exactly as a worker would.

Every answer is compared with the same request to an app whose lane is off
(``inline_result_bytes = 0``), byte for byte, with its status and headers.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from interfaces import AsgiClient
from sparql_support import ID, PREFIXES, app_with

from policygraph.web import Front

D1 = f"<{ID}beslissing/D1>"
SINGLE_SCANS = [
    (f"SELECT ?p ?o WHERE {{ {D1} ?p ?o }}", "application/sparql-results+json"),
    (f"SELECT ?p ?o WHERE {{ {D1} ?p ?o }}", "application/sparql-results+xml"),
    (f"SELECT * WHERE {{ {D1} ?p ?o }} LIMIT 2", "text/csv"),
    (PREFIXES + "SELECT ?d WHERE { ?d a pg:GovernmentDecision }", "text/tab-separated-values"),
    (PREFIXES + "ASK { ?d a pg:Campaign }", "application/sparql-results+xml"),
    (f"CONSTRUCT WHERE {{ {D1} ?p ?o }}", "text/turtle"),
    (f"DESCRIBE {D1}", "application/n-triples"),
    (f"DESCRIBE {D1}", "application/ld+json"),
    (f"DESCRIBE {D1}", "text/csv"),  # 406: no format of graphs is accepted
    ("SELECT ?p ?o WHERE { <not an IRI ?p ?o }", "application/sparql-results+json"),  # 400
]


@pytest.fixture(scope="module")
def apps() -> Iterator[tuple[Front, Front]]:
    with app_with() as inline, app_with(inline_result_bytes=0) as workers_only:
        yield inline, workers_only


def inline_answers(app: Front) -> float:
    registry = app.endpoint.metrics.registry
    return registry.get_sample_value("policygraph_query_inline_answers_total") or 0.0


@pytest.mark.parametrize(("query", "accept"), SINGLE_SCANS)
def test_an_inline_answer_is_the_workers_answer(
    apps: tuple[Front, Front], query: str, accept: str
) -> None:
    inline, workers_only = apps
    headers = {"Accept": accept}
    ours = AsgiClient(inline).get("/sparql", params={"query": query}, headers=headers)
    theirs = AsgiClient(workers_only).get("/sparql", params={"query": query}, headers=headers)
    assert ours.status_code == theirs.status_code
    assert ours.content == theirs.content
    for name in ("Content-Type", "ETag", "Cache-Control", "Vary"):
        assert ours.headers.get(name) == theirs.headers.get(name)


def test_single_scans_do_not_reach_a_worker_and_others_do() -> None:
    with app_with() as app:
        client = AsgiClient(app)
        before = inline_answers(app)
        client.get("/sparql", params={"query": f"SELECT * WHERE {{ {D1} ?p ?o }}"})
        assert inline_answers(app) == before + 1
        client.get("/sparql", params={"query": f"SELECT * WHERE {{ {D1} ?p ?o . ?o ?q ?r }}"})
        assert inline_answers(app) == before + 1


def test_an_answer_over_the_budget_goes_to_a_worker_whole() -> None:
    query = "SELECT * WHERE { ?s ?p ?o }"  # a single scan of the whole dataset
    with app_with(inline_result_bytes=256) as small, app_with(inline_result_bytes=0) as none:
        ours = AsgiClient(small).get("/sparql", params={"query": query})
        theirs = AsgiClient(none).get("/sparql", params={"query": query})
        assert ours.status_code == 200
        assert len(ours.content) > 256
        assert ours.content == theirs.content
        assert inline_answers(small) == 0


@pytest.mark.parametrize(
    ("query", "accept"),
    [(f"SELECT * WHERE {{ {D1} ?p ?o }}", "text/csv"), (f"DESCRIBE {D1}", "text/turtle")],
)
def test_the_row_bound_holds_inline(query: str, accept: str) -> None:
    with app_with(max_result_rows=3) as app:
        response = AsgiClient(app).get(
            "/sparql", params={"query": query}, headers={"Accept": accept}
        )
        assert response.status_code == 422
        assert b"max_result_rows" in response.content
        assert inline_answers(app) == 0
