"""A harvest never loses an item without a word: windows that hold for every lexical form of a
meeting's start, answers checked for their shape, and each window reconciled with the source's
own count (issue: items lost when meeting times carry no timezone)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from servers import LOOPBACK, OxigraphServer, oxigraph_binary
from themis_data import MINISTERS, NOTA, THEMES, Item, ThemisData, ntriples, uuid_for

from policygraph.config import load_settings
from policygraph.errors import SourceError, SourceFormatError
from policygraph.harvest import harvest_themis, themis_http
from policygraph.harvest.queries import Window, windows
from policygraph.harvest.state import state_path
from policygraph.harvest.themis import ThemisClient

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("themis")]

XSD = "http://www.w3.org/2001/XMLSchema#"
# Meetings on the edges of the windows of 31 days from 2020-01-01 (…, 2020-02-01, 2020-03-03, …),
# each start written in another lexical form. The window a meeting belongs to is its date as
# written.
STARTS = {
    0: ("2020-01-31T23:30:00", XSD + "dateTime", date(2020, 1, 31)),  # no timezone
    1: ("2020-02-01T00:00:00Z", XSD + "dateTime", date(2020, 2, 1)),
    2: ("2020-01-31T23:59:59+01:00", XSD + "dateTime", date(2020, 1, 31)),
    3: ("2020-02-01", XSD + "date", date(2020, 2, 1)),
    4: ("2020-03-02T22:00:00-05:00", XSD + "dateTime", date(2020, 3, 2)),
    5: ("2020-03-03T00:00:00", XSD + "dateTime", date(2020, 3, 3)),  # no timezone
    6: ("2020-03-02+02:00", XSD + "date", date(2020, 3, 2)),
    7: ("2020-03-03T09:00:00.250+14:00", XSD + "dateTime", date(2020, 3, 3)),
}
PER_MEETING = 2
SINCE, UNTIL = date(2020, 1, 1), date(2020, 4, 1)


def lexical_forms() -> ThemisData:
    items = [
        Item(
            index=meeting * PER_MEETING + slot,
            meeting=meeting,
            uuid=uuid_for(meeting * PER_MEETING + slot),
            kind=NOTA,
            title=f"Beslissing {meeting}.{slot}",
            alternative=None,
            text=None,
            themes=(THEMES[0],),
            minister=MINISTERS[0],
        )
        for meeting in STARTS
        for slot in range(PER_MEETING)
    ]
    forms = {meeting: (lexical, datatype) for meeting, (lexical, datatype, _) in STARTS.items()}
    return ThemisData(items, issued="2022-01-15T03:00:00Z", start_forms=forms)


@pytest.fixture(scope="module")
def themis_with_every_form(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server is not installed (pip install -e '.[test]')")
    folder = tmp_path_factory.mktemp("themis-forms")
    (folder / "themis.nt").write_text(ntriples(lexical_forms()), encoding="utf-8")
    server = OxigraphServer(folder / "store", read_only=True)
    server.load(folder / "themis.nt")
    server.start()
    try:
        yield server.url + "/query"
    finally:
        server.stop()


def settings_for(tmp_path):  # type: ignore[no-untyped-def]
    return load_settings(
        env={},
        overrides={
            "store_dir": str(tmp_path / "store"),
            "harvest_min_interval": 0,
            "harvest_page_size": 3,
            "harvest_window_days": 31,
            "harvest_retries": 0,
        },
    )


def test_meetings_on_window_edges_are_harvested_in_every_lexical_form(
    tmp_path, themis_with_every_form
):
    settings = settings_for(tmp_path)
    http = themis_http(settings)
    try:
        harvest = harvest_themis(
            settings, themis_with_every_form, since=SINCE, until=UNTIL, http=http
        )
        client = ThemisClient(themis_with_every_form, http, page_size=3, max_answer_bytes=1 << 20)
        by_window = {window: client.news_items(window) for window in windows(SINCE, UNTIL, 31)}
    finally:
        http.close()
    assert harvest.counts.seen == len(STARTS) * PER_MEETING
    assert harvest.counts.skipped == 0
    for window, items in by_window.items():
        expected = {
            uuid_for(meeting * PER_MEETING + slot)
            for meeting, (_, _, day) in STARTS.items()
            if window.start <= day < window.end
            for slot in range(PER_MEETING)
        }
        assert {item.uuid for item in items} == expected, window
        assert all(window.start <= item.date < window.end for item in items)


class CannedEndpoint:
    """A loopback SPARQL endpoint that answers each query with what ``answer(query)`` gives:
    well-formed results, of whatever shape a test needs."""

    def __init__(self, answer: Callable[[str], dict[str, object]]) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                query = parse_qs(urlsplit(self.path).query).get("query", [""])[0]
                body = json.dumps(answer(query)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer((LOOPBACK, 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://{LOOPBACK}:{self._server.server_address[1]}/sparql"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _results(variables: list[str], rows: list[dict[str, object]]) -> dict[str, object]:
    return {"head": {"vars": variables}, "results": {"bindings": rows}}


def _count(n: int) -> dict[str, object]:
    value = {"type": "literal", "value": str(n), "datatype": XSD + "integer"}
    return _results(["items"], [{"items": value}])


@pytest.fixture
def canned() -> Iterator[Callable[[Callable[[str], dict[str, object]]], CannedEndpoint]]:
    endpoints: list[CannedEndpoint] = []

    def make(answer: Callable[[str], dict[str, object]]) -> CannedEndpoint:
        endpoints.append(CannedEndpoint(answer))
        return endpoints[-1]

    yield make
    for endpoint in endpoints:
        endpoint.close()


def _client(tmp_path, url: str) -> ThemisClient:  # type: ignore[no-untyped-def]
    return ThemisClient(
        url, themis_http(settings_for(tmp_path)), page_size=3, max_answer_bytes=1 << 20
    )


WINDOW = Window(date(2020, 1, 1), date(2020, 2, 1))


def test_an_answer_of_the_wrong_shape_is_an_error_not_zero_items(tmp_path, canned):
    endpoint = canned(lambda query: _results(["x"], []))
    with pytest.raises(SourceFormatError, match=r"without the variables .*\?items"):
        _client(tmp_path, endpoint.url).news_items(WINDOW)


def test_pages_without_the_variables_of_the_query_are_an_error(tmp_path, canned):
    endpoint = canned(lambda query: _count(0) if "COUNT" in query else _results(["item"], []))
    with pytest.raises(SourceFormatError, match=r"\?uuid, \?start"):
        _client(tmp_path, endpoint.url).news_items(WINDOW)


def test_a_window_whose_pages_miss_items_the_source_counts_fails(tmp_path, canned):
    variables = ["item", "uuid", "start", "agendapunt", "type", "title"]
    variables += ["alternative", "text", "subject", "minister"]
    endpoint = canned(lambda query: _count(3) if "COUNT" in query else _results(variables, []))
    with pytest.raises(SourceError, match="counts 3 news item"):
        _client(tmp_path, endpoint.url).news_items(WINDOW)


def test_a_failed_reconciliation_leaves_the_window_to_do(tmp_path, canned):
    variables = ["item", "uuid", "start", "agendapunt", "type", "title"]
    variables += ["alternative", "text", "subject", "minister"]
    second = '("2020-02-01" "2020-03-03")'

    def answer(query: str) -> dict[str, object]:
        if "COUNT" in query:
            return _count(1 if second in query else 0)
        return _results(variables, [])

    endpoint = canned(answer)
    settings = settings_for(tmp_path)
    with pytest.raises(SourceError, match="counts 1 news item"):
        harvest_themis(settings, endpoint.url, since=date(2020, 1, 1), until=date(2020, 3, 3))
    state = json.loads(state_path(settings.store_dir).read_text())
    assert state["run"]["completed"] == [str(WINDOW)]
