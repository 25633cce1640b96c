"""The Themis client's queries and values, without a server: windows, pages, counts, hashes."""

from __future__ import annotations

from datetime import date

import pytest
from pyoxigraph import Store

from policygraph.harvest.queries import Window, count_query, page_query, windows
from policygraph.harvest.themis import NewsItem
from policygraph.sparql.inspection import query_form


def test_windows_cover_the_range_without_gaps_or_overlaps():
    found = windows(date(2020, 1, 1), date(2020, 3, 15), 31)
    assert [str(w) for w in found] == [
        "2020-01-01..2020-02-01",
        "2020-02-01..2020-03-03",
        "2020-03-03..2020-03-15",
    ]
    assert Window.parse(str(found[1])) == found[1]


def test_a_page_query_bounds_its_window_by_dates_as_written():
    text = page_query(Window(date(2020, 1, 1), date(2020, 2, 1)), limit=50, offset=100)
    assert 'VALUES (?from ?until) { ("2020-01-01" "2020-02-01") }' in text
    assert "SUBSTR(STR(?start), 1, 10)" in text
    assert "LIMIT 50" in text
    assert "OFFSET 100" in text
    assert query_form(text) == "SELECT"
    list(Store().query(text))  # parses and runs
    with pytest.raises(ValueError, match="LIMIT"):
        page_query(Window(date(2020, 1, 1), date(2020, 2, 1)), limit=0, offset=0)


def test_a_count_query_counts_the_news_items_of_the_same_window():
    window = Window(date(2020, 1, 1), date(2020, 2, 1))
    text = count_query(window)
    assert query_form(text) == "SELECT"
    assert 'VALUES (?from ?until) { ("2020-01-01" "2020-02-01") }' in text
    assert "COUNT(DISTINCT ?item)" in text
    [row] = list(Store().query(text))  # type: ignore[union-attr]
    assert row["items"].value == "0"


def test_a_news_item_hash_follows_its_content_only():
    item = NewsItem(
        "http://t/1",
        "5E" + "0" * 22,
        "2020-01-10T10:00:00+01:00",
        None,
        "T",
        None,
        "X",
        ("http://t/a",),
        (),
    )
    same = NewsItem.from_json(item.as_json())
    assert same == item
    assert same.content_hash() == item.content_hash()
    assert item.date == date(2020, 1, 10)
    retitled = NewsItem.from_json({**item.as_json(), "title": "U"})
    assert retitled.content_hash() != item.content_hash()
