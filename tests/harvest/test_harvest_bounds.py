"""A harvest never hangs nor balloons: a peer that drips its answer is cut off at the request's
deadline, an answer past its size bound stops the run, and a run stops at its own deadline, each
with its completed windows saved (issues: a dripping endpoint kept a harvest running forever; a
200 MB answer was read whole)."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable
from datetime import date

import pytest

from policygraph.config import load_settings
from policygraph.errors import SourceError
from policygraph.harvest import harvest_themis
from policygraph.harvest.state import state_path

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("themis")]

COUNT_ZERO = json.dumps(
    {
        "head": {"vars": ["items"]},
        "results": {"bindings": [{"items": {"type": "literal", "value": "0"}}]},
    }
).encode()
HEAD = "HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n{length}\r\n"

Answer = Callable[[socket.socket, int], None]


def settings_for(tmp_path, **overrides):  # type: ignore[no-untyped-def]
    values = {
        "store_dir": str(tmp_path / "store"),
        "harvest_min_interval": 0,
        "harvest_window_days": 31,
        "harvest_retries": 0,
        **overrides,
    }
    return load_settings(env={}, overrides=values)


def whole(body: bytes) -> bytes:
    return (
        HEAD.format(length=f"Content-Length: {len(body)}\r\nConnection: close\r\n").encode() + body
    )


def test_a_dripping_endpoint_is_cut_off_at_the_request_deadline(tmp_path, raw_peer):
    def drip(connection: socket.socket, count: int) -> None:
        for byte in whole(COUNT_ZERO):
            connection.sendall(bytes([byte]))
            time.sleep(0.2)

    slow = raw_peer(drip)
    settings = settings_for(tmp_path, harvest_timeout=1.0)
    started = time.monotonic()
    with pytest.raises(SourceError, match="run the harvest again to resume"):
        harvest_themis(settings, slow.url, since=date(2020, 1, 1), until=date(2020, 1, 20))
    assert time.monotonic() - started < 5


def test_an_answer_past_its_size_bound_stops_the_run(tmp_path, raw_peer):
    def endless(connection: socket.socket, count: int) -> None:
        connection.sendall(HEAD.format(length="Connection: close\r\n").encode())
        while True:
            connection.sendall(b" " * 65536)

    long = raw_peer(endless)
    settings = settings_for(tmp_path, harvest_max_answer_bytes=1 << 20, harvest_timeout=30.0)
    with pytest.raises(SourceError, match="larger than 1048576 bytes"):
        harvest_themis(settings, long.url, since=date(2020, 1, 1), until=date(2020, 1, 20))


def test_a_run_stops_at_its_deadline_with_its_windows_saved(tmp_path, raw_peer):
    def empty_window(connection: socket.socket, count: int) -> None:
        time.sleep(0.3)
        if count % 2 == 0:
            connection.sendall(whole(COUNT_ZERO))
        else:
            page = {"head": {"vars": _PAGE_VARIABLES}, "results": {"bindings": []}}
            connection.sendall(whole(json.dumps(page).encode()))

    slow = raw_peer(empty_window)
    settings = settings_for(tmp_path, harvest_run_timeout=1.0, harvest_window_days=1)
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"ran past its 1 s.*windows are saved"):
        harvest_themis(settings, slow.url, since=date(2020, 1, 1), until=date(2020, 1, 30))
    assert time.monotonic() - started < 4
    saved = json.loads(state_path(settings.store_dir).read_text())
    assert 0 < len(saved["run"]["completed"]) < 29


_PAGE_VARIABLES = ["item", "uuid", "start", "agendapunt", "type", "title"]
_PAGE_VARIABLES += ["alternative", "text", "subject", "minister"]
