"""The words of the pages: every area says everything in both languages, each key once."""

from __future__ import annotations

import pytest

from policygraph.web.i18n import AREAS, LANGUAGES, WORDS, words


@pytest.mark.parametrize("area", AREAS, ids=lambda area: area.__name__.rsplit(".", 1)[-1])
def test_an_area_has_the_same_words_in_every_language(area):
    dutch = set(area.WORDS["nl"])
    for language in LANGUAGES:
        assert set(area.WORDS[language]) == dutch, language


def test_the_joined_table_holds_every_area_and_falls_back_to_dutch():
    assert len(WORDS["nl"]) == sum(len(area.WORDS["nl"]) for area in AREAS)
    assert words("fr") is WORDS["nl"]
    assert words("en")["search"] == "Search"
