"""The README's generated blocks: the ontology's class diagram and the settings table.

Each block sits between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``; ``update`` rewrites
them from their single source (the ontology, ``config.SETTINGS``), and a test checks the README
is current.
"""

from __future__ import annotations

from pathlib import Path

from policygraph.config import SETTINGS
from policygraph.render.diagram import class_diagram
from policygraph.validation.shacl import load_ontology


def settings_table() -> str:
    lines = ["| setting | default | what it does |", "|---|---|---|"]
    for setting in SETTINGS:
        default = setting.default
        if setting.shown is not None:
            shown = setting.shown
        elif isinstance(default, str):
            shown = f"`{default}`" if default else "(empty)"
        elif isinstance(default, tuple):
            shown = f"`{' '.join(default)}`" if default else "(empty)"
        else:
            shown = f"`{default!r}`"
        lines.append(f"| `{setting.name}` | {shown} | {setting.help} |")
    return "\n".join(lines) + "\n"


def blocks(ontology_dir: Path) -> dict[str, str]:
    return {
        "class-diagram": f"```mermaid\n{class_diagram(load_ontology(ontology_dir))}```\n",
        "settings": settings_table(),
    }


def embed(markdown: str, name: str, content: str) -> str:
    """The Markdown with the block ``name`` replaced by ``content``."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    head, found, rest = markdown.partition(start)
    if not found:
        raise ValueError(f"no {start} marker")
    _, _, tail = rest.partition(end)
    return f"{head}{start}\n{content}{end}{tail}"


def updated(markdown: str, ontology_dir: Path) -> str:
    for name, content in blocks(ontology_dir).items():
        markdown = embed(markdown, name, content)
    return markdown
