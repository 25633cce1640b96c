"""Sitemaps (https://www.sitemaps.org/protocol.html) written with an XML writer, so every URL
is escaped: a ``urlset`` of at most 50,000 URLs, or an index of numbered parts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000
"""The protocol's limit of URLs in one sitemap file."""


def _document(root: ET.Element) -> bytes:
    written: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return written


def urlset(urls: Iterable[str]) -> bytes:
    root = ET.Element("urlset", xmlns=SITEMAP_NS)
    for url in urls:
        ET.SubElement(ET.SubElement(root, "url"), "loc").text = url
    return _document(root)


def sitemap_index(parts: Iterable[str]) -> bytes:
    root = ET.Element("sitemapindex", xmlns=SITEMAP_NS)
    for url in parts:
        ET.SubElement(ET.SubElement(root, "sitemap"), "loc").text = url
    return _document(root)


def parts_of(count: int, size: int = MAX_URLS) -> int:
    """How many sitemap files ``count`` URLs take (one at least)."""
    return max(1, -(-count // size))


__all__ = ["MAX_URLS", "SITEMAP_NS", "parts_of", "sitemap_index", "urlset"]
