"""Search in a real browser (headless Chromium at a desktop and a phone width), against the app
served on 127.0.0.1 over a published store with its index: decisions of one year found from
the home page in two steps, downloaded as CSV and read on pages that fit; and no search page
scrolls sideways.

Screenshots go to test-artifacts/browser/search-*.png.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from browser_support import BROWSER_MARKS, WAIT, WIDTHS, chromium, scrolls_sideways, shot
from interfaces import LoopbackServer, app_on
from ld_support import fixture_quads, fixture_settings
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from policygraph.query import PublishedStore
from policygraph.search import ensure_index
from policygraph.store.local import LocalVersions

pytestmark = BROWSER_MARKS

PAGES = {
    "results": "/search?q=brexit",
    "refined": "/search?q=fit&type=decision&year=2019",
    "long-words": "/search?q=" + "Overlegcomitéfederaleregeringgemeenschapsengewestregeringen" * 3,
    "empty": "/search?q=zzzzqqq",
    "help": "/search",
    "xss": "/search?q=toerisme+cultuur",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store_dir: Path = tmp_path_factory.mktemp("browser-search")
    LocalVersions(store_dir, derive=ensure_index).write_version("v1", fixture_quads())
    with app_on(fixture_settings(store_dir), PublishedStore(store_dir)) as app:
        served = LoopbackServer(app)
        yield served.url
        served.stop()


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_decisions_of_a_year_in_two_steps_from_home_then_csv_then_a_page_that_fits(
    server: str, width: str
) -> None:
    """Step 1: words and "decisions" in the header's box; step 2: the year's facet. Then the
    CSV link holds those decisions, and each one's page fits the screen."""
    with chromium(WIDTHS[width]) as driver:
        driver.get(server + "/")
        form = driver.find_element(By.CSS_SELECTOR, "header.top form[role=search]")
        Select(form.find_element(By.NAME, "type")).select_by_value("decision")
        form.find_element(By.NAME, "q").send_keys("fit\n")
        WebDriverWait(driver, WAIT).until(expected_conditions.url_contains("type=decision"))
        driver.find_element(By.CSS_SELECTOR, ".search-facets a[href*='year=2019']").click()
        WebDriverWait(driver, WAIT).until(expected_conditions.url_contains("year=2019"))
        shot(driver, f"search-two-steps-{width}")
        pages = [
            a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "li.hit h2 a")
        ]
        csv_url = driver.find_element(By.CSS_SELECTOR, ".search-downloads a[type='text/csv']")
        rows = list(csv.DictReader(io.StringIO(httpx.get(csv_url.get_attribute("href")).text)))
        assert [(row["type"], row["date"][:4]) for row in rows] == [("decision", "2019")]
        assert [local(url) for url in pages] == [local(row["iri"]) for row in rows]
        for url in pages:
            driver.get(url)
            assert not scrolls_sideways(driver), url


def local(url: str) -> str:
    return "/id/" + url.split("/id/", 1)[1]


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_search_page_scrolls_sideways(server: str, width: str, name: str) -> None:
    with chromium(WIDTHS[width]) as driver:
        driver.get(server + PAGES[name])
        shot(driver, f"search-{name}-{width}")
        assert not scrolls_sideways(driver)
        assert driver.execute_script("return window.__xss === undefined")
