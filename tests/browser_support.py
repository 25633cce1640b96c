"""Headless Chromium for the page tests (Debian's chromium and chromium-driver), at the two
widths every page is read at: a desktop (1366×900) and a phone (390×844).

Screenshots go to test-artifacts/browser/. A module that imports this is skipped, with the
reason, only when Chromium or its driver is not installed.
"""

from __future__ import annotations

import base64
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
BROWSER_MARKS = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None or DRIVER is None,
        reason="headless browser tests need Debian's chromium and chromium-driver packages",
    ),
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "browser"
WAIT = 30
DESKTOP = (1366, 900)
PHONE = (390, 844)
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


@contextmanager
def chromium(size: tuple[int, int] = DESKTOP) -> Iterator[webdriver.Chrome]:
    """A headless Chromium whose viewport is ``size`` (CSS pixels), with its own empty profile
    and no background traffic (the network beyond loopback is closed)."""
    assert CHROMIUM is not None
    assert DRIVER is not None
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="policygraph-chromium-")
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    if size == PHONE:
        options.add_experimental_option(
            "mobileEmulation",
            {"deviceMetrics": {"width": size[0], "height": size[1], "pixelRatio": 3.0}},
        )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=DRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(WAIT)
    driver.viewport_width = size[0]  # what the page must fit, read by overflow()
    if size != PHONE:
        set_viewport(driver, size)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def set_viewport(driver: webdriver.Chrome, size: tuple[int, int]) -> None:
    """Make the viewport (not the window) ``size``: the window adds its frame around it."""
    driver.set_window_size(*size)
    inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    driver.set_window_size(2 * size[0] - inner[0], 2 * size[1] - inner[1])


def overflow(driver: webdriver.Chrome) -> str | None:
    """None when the page fits the width the browser was opened at; else the widths and the
    widest element outside a box that scrolls by itself. A phone zooms out to show a page
    wider than its screen whole, and then reports the zoomed-out width as ``innerWidth``
    (``scrollWidth <= innerWidth`` holds there though the reader sees a shrunken page): that
    counts as wider too."""
    return driver.execute_script(
        """
        const root = document.documentElement, width = arguments[0];
        if (root.scrollWidth <= window.innerWidth && window.innerWidth <= width) return null;
        let widest = null, right = width;
        for (const el of document.body.querySelectorAll('*')) {
          const r = el.getBoundingClientRect().right;
          if (r > right && !el.closest('figure, svg')) { right = r; widest = el; }
        }
        const what = widest ? widest.tagName.toLowerCase() + '.' + widest.className : '?';
        return root.scrollWidth + ' > ' + window.innerWidth + ' (' + what + ')';
        """,
        driver.viewport_width,
    )


def scrolls_sideways(driver: webdriver.Chrome) -> bool:
    """Whether the reader would scroll sideways (or see a page zoomed out to fit)."""
    return overflow(driver) is not None


def shot(driver: webdriver.Chrome, name: str) -> Path:
    """A screenshot of the whole page at the current width, under test-artifacts/browser/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    width = driver.execute_script("return window.innerWidth")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    full = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": min(int(height), 6000), "scale": 1},
        },
    )

    path.write_bytes(base64.b64decode(full["data"]))
    return path
