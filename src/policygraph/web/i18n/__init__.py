"""The words of the pages in Dutch and English: one table per area of pages, looked up by key.

Each area (``pages``, ``cards``, ``lists``, ``search``, ``generation``, ``annotating``,
``verdicts``, ``citations``) keeps its words in a module of its own; ``WORDS`` joins them, and a
key may be defined by one area only (checked at import).
"""

from __future__ import annotations

from policygraph.web.i18n import (
    annotating,
    cards,
    citations,
    generation,
    lists,
    pages,
    search,
    suggestions,
    verdicts,
)

LANGUAGES = ("nl", "en")
AREAS = (pages, cards, lists, search, generation, annotating, verdicts, citations, suggestions)


def _joined() -> dict[str, dict[str, str]]:
    joined: dict[str, dict[str, str]] = {language: {} for language in LANGUAGES}
    for area in AREAS:
        for language in LANGUAGES:
            twice = joined[language].keys() & area.WORDS[language].keys()
            if twice:
                raise ValueError(f"words defined by two areas: {sorted(twice)}")
            joined[language].update(area.WORDS[language])
    return joined


WORDS = _joined()


def words(language: str) -> dict[str, str]:
    return WORDS.get(language, WORDS["nl"])


__all__ = ["WORDS", "words"]
