"""The UI and the pages in a real browser: headless Chromium (Debian's chromium and
chromium-driver) against the app served by a real HTTP server on 127.0.0.1.

Screenshots go to test-artifacts/browser/. The tests are skipped, with the reason, only when
Chromium or its driver is not installed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from interfaces import LoopbackServer
from ld_support import SECTION, XSS_SECTION, ld_app, ld_settings, ld_store

__all__ = ["ld_app", "ld_settings", "ld_store"]

from browser_support import BROWSER_MARKS, WAIT, chromium, shot, webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def server(ld_app) -> Iterator[str]:
    """The app served by uvicorn, as ``policygraph serve`` serves it: the UI's queries reach
    the endpoint's ASGI route."""
    served = LoopbackServer(ld_app)
    yield served.url
    served.stop()


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def csp_violations(driver: webdriver.Chrome) -> list[str]:
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if "Content Security Policy" in entry["message"]
    ]


def local_path(iri: str) -> str:
    return iri.removeprefix("https://data.policygraph.be")


def test_the_query_ui_runs_an_example_and_shows_rows(server, browser):
    browser.get(f"{server}/query?lang=en")
    wait = WebDriverWait(browser, WAIT)
    wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".yasqe")))
    browser.find_element(
        By.CSS_SELECTOR, 'button.example[data-example="cq01-evidence-of-section-4.3.2"]'
    ).click()
    wait.until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-results") == "shown"
    )

    def result_rows(driver: webdriver.Chrome) -> list[str] | bool:
        # The table is drawn after the response arrives; wait for the answer's three rows.
        texts = [row.text for row in driver.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr")]
        return texts if len(texts) == 3 and "Azië" in " ".join(texts) else False

    try:
        rows = wait.until(result_rows)
    finally:
        shot(browser, "query-ui-example-table")
    assert "Oprichting van FIT-kantoren in Azië" in " ".join(rows)
    shot(browser, "query-ui-example-table")
    browser.find_element(By.CSS_SELECTOR, ".yasr .select_chart").click()
    bars = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".pg-chart svg rect") or False)
    assert len(bars) == 3
    shot(browser, "query-ui-example-chart")
    assert csp_violations(browser) == []


def test_a_shared_link_reopens_the_query(server, browser):
    browser.get(f"{server}/query?example=cq02-sections-mentioning-fit-and-toerisme-vlaanderen")
    wait = WebDriverWait(browser, WAIT)
    rows = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr") or False)
    assert any("FIT promoot" in row.text for row in rows)


def test_a_section_page_shows_its_claims_and_timeline(server, browser):
    browser.get(server + local_path(SECTION) + "?lang=en")
    claims = browser.find_elements(By.CSS_SELECTOR, "li.claim")
    assert len(claims) == 2
    assert "Oprichting van FIT-kantoren in Azië" in claims[0].text
    dots = browser.find_elements(By.CSS_SELECTOR, "#timeline svg circle")
    assert len(dots) == 3
    assert browser.find_element(By.CSS_SELECTOR, "#timeline").is_displayed()
    shot(browser, "section-4.3.2")
    assert csp_violations(browser) == []


def test_the_home_page_draws_its_charts(server, browser):
    browser.get(server + "/?lang=nl")
    charts = browser.find_elements(By.CSS_SELECTOR, "figure svg.chart")
    assert len(charts) == 2
    assert all(chart.size["height"] > 50 for chart in charts)
    shot(browser, "home")
    assert csp_violations(browser) == []


@pytest.mark.parametrize(
    "path",
    [
        local_path(XSS_SECTION),
        "/id/regeerakkoord/2019-2024/hoofdstuk/buitenlands-beleid-en-toerisme",
        "/id/regeerakkoord/2019-2024/sectie/buitenlands-beleid-en-toerisme/4.3",
    ],
)
def test_an_xss_payload_in_a_literal_is_shown_as_text(server, browser, path):
    browser.get(server + path)
    assert browser.execute_script("return typeof window.__xss") == "undefined"
    assert "<script>window.__xss = 1</script>" in browser.find_element(By.TAG_NAME, "body").text
    shot(browser, "xss" + path.replace("/", "_"))
