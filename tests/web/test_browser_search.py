"""Search in a real browser (headless Chromium at a desktop and a phone width), against the app
served on 127.0.0.1 over a published store with its index: the header's search box leads to
the results, a facet refines them, and no search page scrolls sideways.

Screenshots go to test-artifacts/browser/search-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import BROWSER_MARKS, WAIT, WIDTHS, chromium, scrolls_sideways, shot
from interfaces import LoopbackServer, app_on
from ld_support import fixture_quads, fixture_settings
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

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
def test_the_header_search_box_leads_to_results_and_a_facet_refines_them(
    server: str, width: str
) -> None:
    with chromium(WIDTHS[width]) as driver:
        driver.get(server + "/")
        box = driver.find_element(By.CSS_SELECTOR, "header.top form[role=search] input[name=q]")
        box.send_keys("brexit\n")
        WebDriverWait(driver, WAIT).until(expected_conditions.url_contains("/search?q=brexit"))
        titles = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "li.hit h2 a")]
        assert "Brexit: impact op de Vlaamse export" in titles
        driver.find_element(By.CSS_SELECTOR, ".search-facets a[href*='type=decision']").click()
        WebDriverWait(driver, WAIT).until(expected_conditions.url_contains("type=decision"))
        hits = driver.find_elements(By.CSS_SELECTOR, "li.hit")
        assert [h.get_attribute("data-type") for h in hits] == ["decision"]
        shot(driver, f"search-refined-{width}")


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_search_page_scrolls_sideways(server: str, width: str, name: str) -> None:
    with chromium(WIDTHS[width]) as driver:
        driver.get(server + PAGES[name])
        shot(driver, f"search-{name}-{width}")
        assert not scrolls_sideways(driver)
        assert driver.execute_script("return window.__xss === undefined")
