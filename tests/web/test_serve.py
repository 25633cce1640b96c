"""``policygraph serve``: what it refuses, and ``--dev`` serving the same app with its reloader."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from servers import LOOPBACK, free_port, stop, wait_until_up
from sparql_support import DECISIONS, PREFIXES, endpoint_settings, fixture_quads, publish_version

from policygraph.cli import main
from policygraph.query import PublishedStore
from policygraph.query.dataset import RemoteEngine
from policygraph.web.server import dataset_source

REMOTE = "sparql+http://127.0.0.1:9/sparql"


def test_serve_over_an_engine_that_does_not_answer_exits_2_not_serving_the_local_store(
    tmp_path: Path,
) -> None:
    # A published local store is there: serving it instead would answer for the wrong data.
    publish_version(tmp_path / "store", fixture_quads(), "local")
    env = {"POLICYGRAPH_STORE_DIR": str(tmp_path / "store")}
    result = CliRunner().invoke(main, ["serve", "--store", REMOTE], env=env)
    assert result.exit_code == 2
    assert "127.0.0.1:9/sparql" in result.output


def test_a_remote_store_in_the_settings_is_what_a_server_serves(tmp_path: Path) -> None:
    publish_version(tmp_path / "store", fixture_quads(), "local")
    settings = endpoint_settings(tmp_path / "store", store_url=REMOTE)
    assert dataset_source(settings) == RemoteEngine(REMOTE)


def test_the_published_store_is_what_a_server_serves(tmp_path: Path) -> None:
    publish_version(tmp_path / "store", fixture_quads(), "local")
    source = dataset_source(endpoint_settings(tmp_path / "store"))
    assert source == PublishedStore(tmp_path / "store")


def test_serve_without_a_published_store_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--store", str(tmp_path / "empty")])
    assert result.exit_code == 2


@pytest.mark.slow
def test_serve_dev_answers_sparql_through_the_same_route(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    publish_version(store_dir, fixture_quads(), "dev")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLICYGRAPH_", "PROMETHEUS_"))}
    env["POLICYGRAPH_MAX_CONCURRENT_QUERIES"] = "1"
    command = [sys.executable, "-c", "from policygraph.cli import main; main()", "serve", "--dev"]
    command += ["--store", str(store_dir), "--host", LOOPBACK, "--port", str(port)]
    log = tmp_path / "dev.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        base = f"http://{LOOPBACK}:{port}"
        wait_until_up(base + "/readyz", process, seconds=60)
        query = PREFIXES + "SELECT ?d WHERE { ?d a pg:GovernmentDecision }"
        response = httpx.get(base + "/sparql", params={"query": query}, timeout=30)
        assert response.status_code == 200, log.read_text()
        assert len(response.json()["results"]["bindings"]) == DECISIONS
        page = httpx.get(base + "/sparql", headers={"Accept": "text/html"}, timeout=30)
        assert 'id="pg-query-config"' in page.text
    finally:
        stop(process)
