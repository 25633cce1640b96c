"""Escaping text into the markup drawn on the server (SVG charts, the class diagram).

Templates escape through Jinja; markup made as strings escapes every piece of text here.
"""

from __future__ import annotations

from html import escape


def xml_escape(text: str) -> str:
    """``text`` safe inside an element or a quoted attribute of XML or HTML."""
    return escape(text, quote=True)


__all__ = ["xml_escape"]
