"""An Atom feed (RFC 4287) written by feedgen, which escapes every text it is given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from feedgen.feed import FeedGenerator


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    link: str
    updated: datetime
    author: str
    summary: str
    categories: tuple[str, ...] = ()


def atom_feed(
    *,
    feed_id: str,
    title: str,
    subtitle: str,
    self_url: str,
    home_url: str,
    updated: datetime,
    entries: Sequence[Entry],
    language: str,
) -> bytes:
    """The feed, its entries in the order given (newest first)."""
    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(title)
    feed.subtitle(subtitle)
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.link(href=home_url, rel="alternate", type="text/html")
    feed.language(language)
    feed.author({"name": "policygraph"})
    feed.updated(updated)
    # feedgen puts the last entry added first: add the oldest first.
    for item in reversed(entries):
        entry = feed.add_entry()
        entry.id(item.id)
        entry.title(item.title)
        entry.link(href=item.link, rel="alternate", type="text/html")
        entry.updated(item.updated)
        entry.published(item.updated)
        entry.author({"name": item.author})
        entry.summary(item.summary)
        for term in item.categories:
            entry.category(term=term)
    data: bytes = feed.atom_str(pretty=True)
    return data


__all__ = ["Entry", "atom_feed"]
