"""The query editor tells the truth, at a desktop and a phone width: the endpoint's refusals
are shown with their message (a syntax error with its line and caret; a 422 past the row bound),
a shared ``?query=`` or ``#query=`` loads and runs, result IRIs open this server's pages, the
editor sits above the fold and nothing scrolls sideways."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from browser_support import (
    BROWSER_MARKS,
    WAIT,
    WIDTHS,
    chromium,
    overflow,
    scrolls_sideways,
    shot,
    webdriver,
)
from interfaces import LoopbackServer, app_on
from ld_support import fixture_settings, fixture_store
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from policygraph.query import source_for

pytestmark = BROWSER_MARKS
ROWS = 3  # max_result_rows here: the fixture graph has more triples than this
DECISIONS = (
    "SELECT ?d WHERE { ?d a <https://data.policygraph.be/ns/policygraph#GovernmentDecision> } "
    "ORDER BY ?d LIMIT 1"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = fixture_settings(tmp_path_factory.mktemp("query-ui"))
    settings = settings.replace(max_result_rows=ROWS)
    with app_on(settings, source_for(fixture_store())) as app:
        served = LoopbackServer(app)
        yield served.url
        served.stop()


@pytest.fixture(scope="module", params=sorted(WIDTHS))
def browser(request: pytest.FixtureRequest) -> Iterator[tuple[str, webdriver.Chrome]]:
    with chromium(WIDTHS[request.param]) as driver:
        yield request.param, driver


def error_text(driver: webdriver.Chrome) -> str:
    box = WebDriverWait(driver, WAIT).until(
        lambda d: (
            d.find_element(By.ID, "query-error").is_displayed()
            and d.find_element(By.ID, "query-error")
        )
    )
    return str(box.text)


def test_a_syntax_error_is_shown_with_its_position(server, browser):
    width, driver = browser
    driver.get(f"{server}/query?query={quote('SELECT * WHERE { ?s ?p ?o } LIMIT ten')}")
    text = error_text(driver)
    assert "line 1, column 35: expected" in text
    assert "found 'ten'" in text
    assert "^" in text
    assert not scrolls_sideways(driver)
    shot(driver, f"query-syntax-error-{width}")


def test_a_result_past_the_row_bound_shows_the_422_message(server, browser):
    width, driver = browser
    driver.get(f"{server}/query#query={quote('SELECT * WHERE { ?s ?p ?o }')}")
    assert f"more than {ROWS}" in error_text(driver).replace(",", "")
    shot(driver, f"query-422-{width}")


def test_a_shared_query_runs_and_its_iris_open_pages_here(server, browser):
    width, driver = browser
    driver.get(f"{server}/query?query={quote(DECISIONS)}")
    links = WebDriverWait(driver, WAIT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr a.iri") or False
    )
    assert links[0].get_attribute("href").startswith(server + "/id/beslissing/")
    assert driver.find_element(By.ID, "download-csv").get_attribute("href").startswith(server)
    shot(driver, f"query-shared-{width}")
    assert overflow(driver) is None


def test_the_editor_is_above_the_fold(server, browser):
    _, driver = browser
    driver.get(f"{server}/query")
    editor = WebDriverWait(driver, WAIT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".yasqe") or False
    )[0]
    top = driver.execute_script("return arguments[0].getBoundingClientRect().top", editor)
    assert top < driver.execute_script("return window.innerHeight") * 0.6
