"""The endpoint fuzzed: mutations of the W3C query suite's queries and of the competency
questions, deep nesting, huge literals and invalid UTF-8, sent raw to a real ``policygraph
serve`` on loopback. No answer may be a 5xx, and afterwards the server still answers a known
query correctly.

Bounded in count and time: ``POLICYGRAPH_FUZZ_EXAMPLES`` examples (60 in the suite; the
benchmark's fuzz campaign sets thousands), the same derandomized ones on every run, so a failure
found in CI is found again on a laptop.
"""

from __future__ import annotations

import http.client
import json
import os
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from servers import LOOPBACK
from sparql_support import (
    DECISIONS,
    PREFIXES,
    EndpointServer,
    endpoint_server,
    fixture_quads,
    publish_version,
)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("fuzz")]

EXAMPLES = int(os.environ.get("POLICYGRAPH_FUZZ_EXAMPLES", "60"))
ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted(
    path.read_text(encoding="utf-8", errors="replace")
    for path in [*(ROOT / "tests" / "w3c" / "data").rglob("*.rq"), *(ROOT / "queries").glob("*.rq")]
)
KNOWN = PREFIXES + "SELECT (COUNT(?d) AS ?n) WHERE { ?d a pg:GovernmentDecision }"
ALPHABET = "{}()[]<>\"'?$.;,:#\\@^|&!=*+-/ \n\tSELECTWHEREFILTERaxyz019_" + "é€\u2028\ufeff"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EndpointServer]:
    store_dir = tmp_path_factory.mktemp("fuzz-store")
    publish_version(store_dir, fixture_quads(), "fuzz")
    with endpoint_server(
        store_dir,
        tmp_path_factory.mktemp("fuzz-logs"),
        workers=1,
        query_timeout=5.0,
        queue_timeout=10.0,
    ) as running:
        yield running


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A query text made hostile in one or more ways, as the bytes sent."""
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "insert", "duplicate", "nest", "literal", "swap"]))
        at = draw(st.integers(0, len(text)))
        if kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif kind == "insert":
            text = text[:at] + draw(st.text(ALPHABET, min_size=1, max_size=30)) + text[at:]
        elif kind == "duplicate":
            text = text[:at] + text[at : at + 200] * draw(st.integers(2, 50)) + text[at:]
        elif kind == "nest":
            depth = draw(st.sampled_from([50, 127, 129, 1_000, 20_000]))
            opening, closing = draw(st.sampled_from([("(", ")"), ("{", "}"), ("[", "]")]))
            text = text[:at] + opening * depth + text[at:] + closing * draw(st.integers(0, depth))
        elif kind == "literal":
            size = draw(st.sampled_from([10, 70_000, 400_000]))
            text = text[:at] + '"' + "x" * size + '"' + text[at:]
        else:
            text = text.upper() if draw(st.booleans()) else text.replace("{", "(")
    data = text.encode("utf-8")
    if draw(st.booleans()):  # invalid UTF-8: a lone continuation byte, an overlong form
        at = draw(st.integers(0, len(data)))
        data = (
            data[:at]
            + draw(st.sampled_from([b"\x80", b"\xc0\xaf", b"\xff\xfe", b"\xed\xa0\x80"]))
            + data[at:]
        )
    return data


def send(server: EndpointServer, body: bytes, how: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(LOOPBACK, server.port, timeout=60)
    try:
        if how == "post":
            headers = {"Content-Type": "application/sparql-query", "Accept": "*/*"}
            connection.request("POST", "/sparql", body=body, headers=headers)
        elif how == "form":
            form = b"query=" + urllib.parse.quote_from_bytes(body).encode("ascii")
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            connection.request("POST", "/sparql", body=form, headers=headers)
        else:
            connection.request(
                "GET", "/sparql?query=" + urllib.parse.quote_from_bytes(body[:60_000])
            )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(body=mutated(), how=st.sampled_from(["post", "form", "get"]))
def test_no_mutated_query_gets_a_5xx(server: EndpointServer, body: bytes, how: str) -> None:
    status, answer = send(server, body, how)
    assert status < 500, (status, answer[:300], body[:300])


def test_the_server_answers_a_known_query_correctly_after_the_fuzzing(
    server: EndpointServer,
) -> None:
    status, answer = send(server, KNOWN.encode("utf-8"), "post")
    assert status == 200
    [row] = json.loads(answer)["results"]["bindings"]
    assert int(row["n"]["value"]) == DECISIONS
