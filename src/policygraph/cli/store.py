"""Reading and keeping a built store: ``query``, ``export``, ``stats``, ``backup``, ``restore``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO

import click
from pyoxigraph import QueryTriples

from policygraph import errors
from policygraph.build import publishing
from policygraph.cli.app import (
    command_settings,
    exit_codes,
    main,
    store_option,
)
from policygraph.formats import BY_NAME as RESULT_FORMAT_NAMES
from policygraph.formats import result_format, write_result
from policygraph.read.dumps import EXPORT_FORMATS
from policygraph.read.dumps import export as export_quads
from policygraph.read.stats import statistics
from policygraph.read.verdict_table import export_verdicts
from policygraph.search.textscore import query_with_text_score
from policygraph.store.open import open_store


@main.command()
@click.argument("query")
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(RESULT_FORMAT_NAMES)),
    default=None,
    help="Result format (default: json for SELECT/ASK, turtle for graphs).",
)
@click.pass_context
def query(ctx: click.Context, query: str, store_dir: str | None, fmt: str | None) -> None:
    """Run QUERY (SPARQL text, a .rq file, or - for standard input) on the store."""
    settings = command_settings(ctx, store_dir=store_dir)
    with exit_codes():
        text = _query_text(query)
        store = open_store(settings)
        result = query_with_text_score(
            store, text, union_default_graph=settings.union_default_graph
        )
        default = "turtle" if isinstance(result, QueryTriples) else "json"
        out: IO[bytes] = sys.stdout.buffer
        write_result(result, result_format(fmt or default), out)
        out.flush()


def _query_text(argument: str) -> str:
    if argument == "-":
        return sys.stdin.read()
    path = Path(argument)
    if path.suffix in {".rq", ".sparql"} or (
        len(argument) < 4096 and "\n" not in argument and path.is_file()
    ):
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise errors.SourceError(
                f"cannot read the query file {path}: {exc.strerror or exc}"
            ) from exc
    return argument


@main.command()
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@store_option
@click.option(
    "--format", "fmt", type=click.Choice(list(EXPORT_FORMATS)), default="nquads", show_default=True
)
@click.option(
    "--verdicts",
    is_flag=True,
    help="Write the coded dataset instead: researchers' current verdicts as CSV (verdicts.csv).",
)
@click.pass_context
def export(ctx: click.Context, out: Path, store_dir: str | None, fmt: str, verdicts: bool) -> None:
    """Write every quad of the store to OUT (- for standard output), named graphs kept."""
    settings = command_settings(ctx, store_dir=store_dir)
    to_stdout = str(out) == "-"
    target = sys.stdout.buffer if to_stdout else out
    with exit_codes():
        store = open_store(settings)
        if verdicts:
            rows = export_verdicts(store, target)
        else:
            export_quads(store, target, fmt)
    if not to_stdout:
        written = f"{rows} verdicts" if verdicts else f"{len(store)} quads"
        click.echo(f"wrote {written} to {out}", err=True)


@main.command()
@store_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def stats(ctx: click.Context, store_dir: str | None, fmt: str) -> None:
    """Quads per named graph and instances per class."""
    settings = command_settings(ctx, store_dir=store_dir)
    with exit_codes():
        figures = statistics(open_store(settings))
    if fmt == "json":
        click.echo(json.dumps(figures.as_json(), indent=2))
    else:
        click.echo(figures.as_text(), nl=False)


@main.command()
@click.argument("target", type=click.Path(path_type=Path, file_okay=False))
@store_option
@click.pass_context
def backup(ctx: click.Context, target: Path, store_dir: str | None) -> None:
    """Copy the published store version into the new folder TARGET."""
    settings = command_settings(ctx, store_dir=store_dir)
    with exit_codes():
        version = publishing.backup(settings, target)
    click.echo(f"backed up version {version} to {target}")


@main.command()
@click.argument("source", type=click.Path(path_type=Path, file_okay=False, exists=True))
@store_option
@click.pass_context
def restore(ctx: click.Context, source: Path, store_dir: str | None) -> None:
    """Publish the backup in SOURCE as the current store version."""
    settings = command_settings(ctx, store_dir=store_dir)
    with exit_codes():
        version = publishing.restore(settings, source)
    click.echo(f"restored and published version {version} from {source}")
