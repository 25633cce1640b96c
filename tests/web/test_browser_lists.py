"""The lists, the index of lists and an error page in headless Chromium at a desktop and a
phone width: no page scrolls sideways, each gets a screenshot under test-artifacts/browser/."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from interfaces import LoopbackServer
from ld_support import ld_app, ld_settings, ld_store

__all__ = ["ld_app", "ld_settings", "ld_store"]

from browser_support import BROWSER_MARKS, WIDTHS, chromium, scrolls_sideways, shot
from selenium.webdriver.common.by import By

pytestmark = BROWSER_MARKS

PAGES = {
    "lists-index": "/id/",
    "list-decisions": "/id/beslissing/",
    "list-decisions-filtered": "/id/beslissing/?year=2021&sort=title&per_page=1&page=2",
    "list-organisations": "/id/organisatie/",
    "list-campaigns": "/id/campagne/",
    "list-agreements": "/id/regeerakkoord/",
    "list-chapters": "/id/regeerakkoord/2019-2024/hoofdstuk/",
    "list-sections": "/id/regeerakkoord/2019-2024/sectie/",
    "list-reports": "/id/regeerakkoord/2019-2024/beoordeling/",
    "list-graphs": "/graph/",
    "error-404": "/id/beslissing/NOPE",
}


@pytest.fixture(scope="module")
def server(ld_app) -> Iterator[str]:
    served = LoopbackServer(ld_app)
    yield served.url
    served.stop()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_lists_fit_the_screen(server, width):
    with chromium(WIDTHS[width]) as browser:
        for name, path in PAGES.items():
            browser.get(server + path)
            assert browser.find_element(By.CSS_SELECTOR, "header.top nav").is_displayed()
            shot(browser, f"{name}-{width}")
            assert not scrolls_sideways(browser), f"{path} scrolls sideways at {width}"
        browser.get(server + "/id/beslissing/?lang=en")
        rows = browser.find_elements(By.CSS_SELECTOR, "table.list-table tbody tr")
        assert len(rows) == 4
        assert rows[0].find_element(By.CSS_SELECTOR, "td.col-title a").is_displayed()
