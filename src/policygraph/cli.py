"""The ``policygraph`` command: parse options, call the core, map errors to exit codes.

Exit codes, as pySHACL's: 0 success (or conforms), 1 does not conform, 2 error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import click
from pyoxigraph import QueryTriples

from policygraph import errors
from policygraph.build import publishing
from policygraph.build.pipeline import build as run_build
from policygraph.build.pipeline import collect
from policygraph.config import Settings, load_settings
from policygraph.formats import BY_NAME as RESULT_FORMAT_NAMES
from policygraph.formats import result_format, write_result
from policygraph.namespaces import Minter
from policygraph.progress import progress_on_stderr
from policygraph.rdfio import read_quads
from policygraph.read.dumps import EXPORT_FORMATS
from policygraph.read.dumps import export as export_quads
from policygraph.read.stats import statistics
from policygraph.render import readme
from policygraph.render.diagram import class_diagram
from policygraph.store.open import open_store
from policygraph.store.remote import is_store_url
from policygraph.validation.report import (
    ValidationReport,
    report_json,
    report_text,
    report_turtle,
)
from policygraph.validation.shacl import load_ontology, load_shapes, validate

EXIT_OK, EXIT_NONCONFORMING, EXIT_ERROR = 0, 1, 2

# One table from error class to exit code; the first match in order wins.
EXIT_CODES: tuple[tuple[type[errors.PolicygraphError], int], ...] = (
    (errors.ValidationFailed, EXIT_NONCONFORMING),
    (errors.PolicygraphError, EXIT_ERROR),
)


@contextmanager
def _exit_codes() -> Iterator[None]:
    """Turn policygraph errors into a message on standard error and their exit code."""
    try:
        yield
    except errors.PolicygraphError as exc:
        if isinstance(exc, errors.ValidationFailed):
            click.echo(report_text(exc.report), err=True, nl=False)
        code = next(code for cls, code in EXIT_CODES if isinstance(exc, cls))
        click.echo(f"policygraph: error: {exc}", err=True)
        raise SystemExit(code) from exc


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
    config: Path | None = ctx.obj["config"]
    store = overrides.get("store_dir")
    if isinstance(store, str) and is_store_url(store):
        overrides = {**overrides, "store_dir": None, "store_url": store}
    with _exit_codes():
        return load_settings(
            config, overrides={k: v for k, v in overrides.items() if v is not None}
        )


store_option = click.option(
    "--store",
    "store_dir",
    help="Store folder (setting store_dir), or a remote engine as sparql+http(s)://host/path "
    "(setting store_url).",
)


@click.group()
@click.version_option(package_name="policygraph")
@click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="POLICYGRAPH_CONFIG",
    help="Settings file (TOML).",
)
@click.pass_context
def main(ctx: click.Context, config: Path | None) -> None:
    """policygraph: the Flemish coalition agreement 2019-2024 as a linked-data graph."""
    ctx.ensure_object(dict)
    ctx.obj["config"] = config


@main.command()
@click.option(
    "--data", "data_dir", type=click.Path(path_type=Path, file_okay=False), help="Data folder."
)
@store_option
@click.option("--base-iri", help="Base of minted IRIs (setting base_iri).")
@click.pass_context
def build(
    ctx: click.Context, data_dir: Path | None, store_dir: str | None, base_iri: str | None
) -> None:
    """Read every source, validate it with SHACL, and publish a new store version.

    A build with Violations fails (exit 1) and leaves the published store as it was.
    """
    settings = _settings(ctx, data_dir=data_dir, store_dir=store_dir, base_iri=base_iri)
    with _exit_codes():
        result = run_build(settings, progress_on_stderr())
    click.echo(result.summary())


@main.command(name="validate")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@store_option
@click.option(
    "--data", "data_dir", type=click.Path(path_type=Path, file_okay=False), help="Data folder."
)
@click.option(
    "--shapes",
    "shapes_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Shapes folder.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "turtle", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--lang",
    type=click.Choice(["en", "nl"]),
    default="en",
    show_default=True,
    help="Language of messages.",
)
@click.option(
    "--limit",
    type=int,
    default=20,
    show_default=True,
    help="Focus nodes shown per shape in text (0: all).",
)
@click.pass_context
def validate_command(
    ctx: click.Context,
    files: tuple[Path, ...],
    store_dir: str | None,
    data_dir: Path | None,
    shapes_dir: Path | None,
    fmt: str,
    lang: str,
    limit: int,
) -> None:
    """Validate RDF FILES (any syntax, from the extension), a built --store, or the sources.

    FILES are validated with the ontology and its code lists, as a build validates its sources.
    Exit 0 when the data conforms (Warnings allowed), 1 when it has Violations, 2 on error.
    """
    settings = _settings(ctx, data_dir=data_dir, store_dir=store_dir, shapes_dir=shapes_dir)
    with _exit_codes():
        shapes = load_shapes(settings.shapes_dir)
        if files:
            quads = [
                quad
                for file in files
                for quad in read_quads(
                    file, base_iri=settings.base_iri + "/", max_bytes=settings.max_input_bytes
                )
            ]
            report = validate(quads, shapes, ontology=load_ontology(settings.ontology_dir))
        elif store_dir is not None:
            store = open_store(settings)
            report = validate(store.quads(), shapes)
        else:
            collected = collect(settings, progress_on_stderr())
            report = validate(collected.quads(Minter(settings.base_iri)), shapes)
    click.echo(_format_report(report, fmt, lang, limit or None), nl=False)
    raise SystemExit(EXIT_OK if report.conforms else EXIT_NONCONFORMING)


def _format_report(report: ValidationReport, fmt: str, lang: str, limit: int | None) -> str:
    if fmt == "json":
        return report_json(report) + "\n"
    if fmt == "turtle":
        return report_turtle(report)
    return report_text(report, language=lang, limit=limit)


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
    settings = _settings(ctx, store_dir=store_dir)
    with _exit_codes():
        text = _query_text(query)
        store = open_store(settings)
        result = store.query(text, union_default_graph=settings.union_default_graph)
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
@click.pass_context
def export(ctx: click.Context, out: Path, store_dir: str | None, fmt: str) -> None:
    """Write every quad of the store to OUT (- for standard output), named graphs kept."""
    settings = _settings(ctx, store_dir=store_dir)
    to_stdout = str(out) == "-"
    with _exit_codes():
        store = open_store(settings)
        export_quads(store, sys.stdout.buffer if to_stdout else out, fmt)
    if not to_stdout:
        click.echo(f"wrote {len(store)} quads to {out}", err=True)


@main.command()
@store_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def stats(ctx: click.Context, store_dir: str | None, fmt: str) -> None:
    """Quads per named graph and instances per class."""
    settings = _settings(ctx, store_dir=store_dir)
    with _exit_codes():
        figures = statistics(open_store(settings))
    if fmt == "json":
        click.echo(json.dumps(figures.as_json(), indent=2))
    else:
        click.echo(figures.as_text(), nl=False)


@main.command()
@click.option(
    "--update",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Rewrite the generated blocks (class diagram, settings) of this Markdown file.",
)
@click.pass_context
def docs(ctx: click.Context, update: Path | None) -> None:
    """Print the ontology's class diagram (Mermaid), or update a README's generated blocks."""
    settings = _settings(ctx)
    with _exit_codes():
        if update is None:
            click.echo(class_diagram(load_ontology(settings.ontology_dir)), nl=False)
            return
        text = readme.updated(update.read_text(encoding="utf-8"), settings.ontology_dir)
    update.write_text(text, encoding="utf-8")


@main.command()
@click.argument("target", type=click.Path(path_type=Path, file_okay=False))
@store_option
@click.pass_context
def backup(ctx: click.Context, target: Path, store_dir: str | None) -> None:
    """Copy the published store version into the new folder TARGET."""
    settings = _settings(ctx, store_dir=store_dir)
    with _exit_codes():
        version = publishing.backup(settings, target)
    click.echo(f"backed up version {version} to {target}")


@main.command()
@click.argument("source", type=click.Path(path_type=Path, file_okay=False, exists=True))
@store_option
@click.pass_context
def restore(ctx: click.Context, source: Path, store_dir: str | None) -> None:
    """Publish the backup in SOURCE as the current store version."""
    settings = _settings(ctx, store_dir=store_dir)
    with _exit_codes():
        version = publishing.restore(settings, source)
    click.echo(f"restored and published version {version} from {source}")


@main.group()
def harvest() -> None:
    """Harvest decisions from live linked-data endpoints into the store."""


@harvest.command(name="themis")
@click.option("--endpoint", required=True, help="SPARQL endpoint of Themis (its query URL).")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="First meeting date to harvest (setting harvest_since).",
)
@click.option(
    "--until",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Harvest meetings before this date (default: up to today).",
)
@store_option
@click.option("--no-publish", is_flag=True, help="Harvest and save the state, publish nothing.")
@click.pass_context
def harvest_themis_command(
    ctx: click.Context,
    endpoint: str,
    since: Any,
    until: Any,
    store_dir: str | None,
    no_publish: bool,
) -> None:
    """Harvest the decisions Themis publishes, resuming an interrupted run, and publish them.

    Exit 0 on success, 1 when the harvested graph does not conform, 2 on error (the windows
    completed before an error are kept: run the command again to resume).
    """
    from policygraph.harvest import harvest_themis, publish_harvest

    settings = _settings(ctx, store_dir=store_dir)
    with _exit_codes():
        result = harvest_themis(
            settings,
            endpoint,
            since=since.date() if since else None,
            until=until.date() if until else None,
            progress=progress_on_stderr(),
        )
        click.echo(result.summary())
        if no_publish:
            return
        if not result.needs_publishing:
            click.echo("nothing new to publish")
            return
        published = publish_harvest(settings, result, progress_on_stderr())
    click.echo(
        f"published version {published.version}: {len(result.graph.triples)} triples "
        f"in {result.graph.name.value}"
    )


@main.command(name="serve")
@click.option("--store", "store_dir", help="Published store folder to serve (setting store_dir).")
@click.option("--host", help="Interface to listen on (setting host).")
@click.option("--port", type=int, help="Port to listen on (setting port).")
@click.option("--workers", type=int, help="gunicorn worker processes (setting workers).")
@click.option("--dev", is_flag=True, help="uvicorn's development server, reloading on changes.")
@click.pass_context
def serve_command(
    ctx: click.Context,
    store_dir: str | None,
    host: str | None,
    port: int | None,
    workers: int | None,
    dev: bool,
) -> None:
    """Serve the published store read-only: the SPARQL endpoint and the linked data."""
    settings = _settings(ctx, store_dir=store_dir, host=host, port=port, workers=workers)
    with _exit_codes():
        from policygraph.web.server import serve

        # A remote store, or nothing published: exit 2 now, not per request.
        serve(settings, workers=settings.workers, dev=dev)
