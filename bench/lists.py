"""``python -m bench.lists [--store DIR] [--repeat N]``: how long /id/beslissing/ takes to render
on a built store: the first page cold (the list read from the store) and warm, a filtered and
sorted page, the whole CSV, and the sitemap, each through the app's own request handling.

The first request of a version reads the list from the store once; every later page, filter,
order and CSV is a selection from that value (see ``policygraph.read.lists.model``).
"""

from __future__ import annotations

import argparse
import statistics
import time

from policygraph.config import load_settings
from policygraph.query import source_for
from policygraph.store.local import LocalStore
from policygraph.web import create_app
from policygraph.web.sparql import query_pool

CASES = (
    ("first page, cold", "/id/beslissing/", "text/html"),
    ("first page, warm", "/id/beslissing/", "text/html"),
    ("filtered, sorted page", "/id/beslissing/?year=2022&kind=nota&sort=title&page=3", "text/html"),
    ("page as Turtle (Hydra)", "/id/beslissing/?page=10", "text/turtle"),
    ("whole list as CSV", "/id/beslissing/?format=csv", "text/csv"),
    ("filtered CSV", "/id/beslissing/?year=2022&cited=yes", "text/csv"),
    ("sections, cold", "/id/regeerakkoord/2019-2024/sectie/", "text/html"),
    ("sitemap, cold", "/sitemap.xml", "application/xml"),
    ("sitemap, warm", "/sitemap.xml", "application/xml"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", default="var/store")
    parser.add_argument("--repeat", type=int, default=5, help="timings of each warm case")
    args = parser.parse_args()
    settings = load_settings(
        env={}, overrides={"store_dir": args.store, "max_concurrent_queries": 1}
    )
    source = source_for(LocalStore.open(settings.store_dir))
    pool = query_pool(settings, source)
    app = create_app(settings, source=source, pool=pool)
    try:
        client = app.pages.test_client()
        print(f"{'case':<26} {'status':>6} {'bytes':>9} {'ms (median)':>12}")
        for name, url, accept in CASES:
            repeat = 1 if "cold" in name else args.repeat
            timings = []
            for _ in range(repeat):
                start = time.perf_counter()
                response = client.get(url, headers={"Accept": accept})
                body = response.get_data()
                timings.append((time.perf_counter() - start) * 1000)
            median = statistics.median(timings)
            print(f"{name:<26} {response.status_code:>6} {len(body):>9} {median:>12.1f}")
    finally:
        app.close()
        pool.close()


if __name__ == "__main__":
    main()
