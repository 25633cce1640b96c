"""``policygraph search TEXT``: full-text search of the published version, from the shell.

The same search as ``/search``: ``--format json`` prints the route's JSON document, ``csv``
its CSV (the page asked for), ``table`` a list for people.
"""

from __future__ import annotations

import json
import shutil
import textwrap

import click

from policygraph.cli.app import command_settings, exit_codes, main, store_option
from policygraph.search import TYPES, SearchPage, SearchRequest, open_published
from policygraph.search.export import csv_text, page_document
from policygraph.search.query import MAX_PER_PAGE


@main.command()
@click.argument("text")
@click.option(
    "--type",
    "types",
    multiple=True,
    type=click.Choice(TYPES),
    help="Only resources of this type (repeatable).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@store_option
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--per-page", type=click.IntRange(1, MAX_PER_PAGE), default=10, show_default=True)
@click.pass_context
def search(
    ctx: click.Context,
    text: str,
    types: tuple[str, ...],
    fmt: str,
    store_dir: str | None,
    page: int,
    per_page: int,
) -> None:
    """Search the published version for TEXT (words, "quoted phrases"), best first."""
    settings = command_settings(ctx, store_dir=store_dir)
    with exit_codes():
        index = open_published(settings)
        found = index.search(
            SearchRequest(text=text, types=tuple(types), page=page, per_page=per_page)
        )
        if fmt == "json":
            click.echo(json.dumps(page_document(found, index.labels), ensure_ascii=False))
        elif fmt == "csv":
            click.echo(csv_text(found.hits, index.labels), nl=False)
        else:
            click.echo(_table(found))


def _table(found: SearchPage) -> str:
    width = min(shutil.get_terminal_size((100, 24)).columns, 120)
    lines = [f"{found.total} result(s) for {found.request.text!r}"]
    if found.corrections:
        lines.append("searched for: " + ", ".join(found.corrections.values()))
    first = (found.request.page - 1) * found.request.per_page
    for rank, hit in enumerate(found.hits, first + 1):
        lines.append("")
        lines.append(f"{rank:>3}. [{hit.type}] {hit.date or ''} {hit.title}".replace("  ", " "))
        lines.extend(
            textwrap.wrap(hit.snippet, width - 5, initial_indent="     ", subsequent_indent="     ")
        )
        lines.append(f"     {hit.iri}  (score {hit.score:.2f})")
    if found.pages > 1:
        lines.append("")
        lines.append(f"page {found.request.page} of {found.pages}: --page N for another")
    return "\n".join(lines)
