"""What a person who writes no SPARQL does, on the built corpus, in headless Chromium at a
desktop and a phone width:

- from the home page, search "brexit" and reach a decision about it in two clicks;
- find "all decisions about waterstof in 2022, by relevance" in two steps (the header's box
  with "decisions" chosen, then the year's facet), download them as CSV, and read each one on
  a page that fits the screen.

Screenshots go to test-artifacts/browser/journey-*.png.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import httpx
import pytest
from browser_support import BROWSER_MARKS, WAIT, WIDTHS, chromium, overflow, shot
from interfaces import LoopbackServer, app_on
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from policygraph.query import PublishedStore

pytestmark = BROWSER_MARKS

DECISION_PATH = "/id/beslissing/"


@pytest.fixture(scope="module")
def corpus_server(built) -> Iterator[str]:
    settings, _ = built
    with app_on(
        settings.replace(max_concurrent_queries=1), PublishedStore(settings.store_dir)
    ) as app:
        served = LoopbackServer(app)
        yield served.url
        served.stop()


def search_from_home(driver, server: str, words: str, kind: str = "") -> None:
    driver.get(server + "/")
    form = driver.find_element(By.CSS_SELECTOR, "header.top form[role=search]")
    Select(form.find_element(By.NAME, "type")).select_by_value(kind)
    form.find_element(By.NAME, "q").send_keys(words + "\n")
    WebDriverWait(driver, WAIT).until(expected_conditions.url_contains("/search?"))


def hit_links(driver) -> list[str]:
    return [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "li.hit h2 a")]


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_brexit_to_a_decision_about_it_in_two_clicks(corpus_server: str, width: str) -> None:
    with chromium(WIDTHS[width]) as driver:
        search_from_home(driver, corpus_server, "brexit")  # click 1: the search button
        first_decision = next(url for url in hit_links(driver) if DECISION_PATH in url)
        driver.find_element(By.CSS_SELECTOR, f"li.hit h2 a[href='{first_decision}']").click()
        WebDriverWait(driver, WAIT).until(expected_conditions.url_contains(DECISION_PATH))
        shot(driver, f"journey-brexit-decision-{width}")  # click 2: the decision
        title = driver.find_element(By.TAG_NAME, "h1").text
        text = driver.find_element(By.TAG_NAME, "main").text
        assert "brexit" in (title + text).lower()
        assert overflow(driver) is None


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_waterstof_decisions_of_2022_by_relevance_as_csv_each_on_a_page_that_fits(
    corpus_server: str, width: str
) -> None:
    with chromium(WIDTHS[width]) as driver:
        search_from_home(driver, corpus_server, "waterstof", kind="decision")  # step 1
        driver.find_element(By.CSS_SELECTOR, ".search-facets a[href*='year=2022']").click()
        WebDriverWait(driver, WAIT).until(expected_conditions.url_contains("year=2022"))  # 2
        shot(driver, f"journey-waterstof-2022-{width}")
        assert overflow(driver) is None
        shown = hit_links(driver)
        assert shown
        download = driver.find_element(By.CSS_SELECTOR, ".search-downloads a[type='text/csv']")
        rows = list(csv.DictReader(io.StringIO(httpx.get(download.get_attribute("href")).text)))
        assert {row["type"] for row in rows} == {"decision"}
        assert {row["date"][:4] for row in rows} == {"2022"}
        scores = [float(row["score"]) for row in rows]
        assert scores == sorted(scores, reverse=True)  # by relevance
        assert all("waterstof" in (row["title"] + row["snippet"]).lower() for row in rows[:5])
        # The page shows the first of them, in the CSV's order.
        assert [path(url) for url in shown] == [path(row["iri"]) for row in rows[: len(shown)]]
        unfit = []
        for row in rows:
            driver.get(corpus_server + path(row["iri"]))
            if overflow(driver) is not None:
                unfit.append(row["iri"])
        assert unfit == []


def path(url: str) -> str:
    return DECISION_PATH + url.split(DECISION_PATH, 1)[1]
