"""Building, validating and documenting the graph: ``build``, ``validate``, ``docs``."""

from __future__ import annotations

from pathlib import Path

import click

from policygraph.build.pipeline import build_or_keep, collect
from policygraph.cli.app import (
    EXIT_NONCONFORMING,
    EXIT_OK,
    command_settings,
    exit_codes,
    main,
    store_option,
)
from policygraph.namespaces import Minter
from policygraph.progress import progress_on_stderr
from policygraph.rdfio import read_quads
from policygraph.render import readme
from policygraph.render.diagram import class_diagram
from policygraph.store.open import open_store
from policygraph.validation.report import (
    ValidationReport,
    report_json,
    report_text,
    report_turtle,
)
from policygraph.validation.shacl import load_ontology, load_shapes, validate


@main.command()
@click.option(
    "--data", "data_dir", type=click.Path(path_type=Path, file_okay=False), help="Data folder."
)
@store_option
@click.option("--base-iri", help="Base of minted IRIs (setting base_iri).")
@click.option("--force", is_flag=True, help="Rebuild even when inputs and code are unchanged.")
@click.pass_context
def build(
    ctx: click.Context,
    data_dir: Path | None,
    store_dir: str | None,
    base_iri: str | None,
    force: bool,
) -> None:
    """Read every source, validate it with SHACL, and publish a new store version.

    A build with Violations fails (exit 1) and leaves the published store as it was. When the
    published version was built from the same inputs, code and settings it is kept, unread.
    """
    settings = command_settings(ctx, data_dir=data_dir, store_dir=store_dir, base_iri=base_iri)
    with exit_codes():
        result = build_or_keep(settings, progress_on_stderr(), force=force)
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
    settings = command_settings(ctx, data_dir=data_dir, store_dir=store_dir, shapes_dir=shapes_dir)
    with exit_codes():
        shapes = load_shapes(settings.shapes_dir)
        if files:
            quads = [
                quad
                for file in files
                for quad in read_quads(
                    file, base_iri=settings.base_iri + "/", max_bytes=settings.max_input_bytes
                )
            ]
            report = validate(
                quads,
                shapes,
                ontology=load_ontology(settings.ontology_dir),
                validator=settings.validator,
            )
        elif store_dir is not None:
            store = open_store(settings)
            report = validate(store.quads(), shapes, validator=settings.validator)
        else:
            collected = collect(settings, progress_on_stderr())
            report = validate(
                collected.quads(Minter(settings.base_iri)), shapes, validator=settings.validator
            )
    click.echo(_format_report(report, fmt, lang, limit or None), nl=False)
    raise SystemExit(EXIT_OK if report.conforms else EXIT_NONCONFORMING)


def _format_report(report: ValidationReport, fmt: str, lang: str, limit: int | None) -> str:
    if fmt == "json":
        return report_json(report) + "\n"
    if fmt == "turtle":
        return report_turtle(report)
    return report_text(report, language=lang, limit=limit)


@main.command()
@click.option(
    "--update",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Rewrite the generated blocks (class diagram, settings) of this Markdown file.",
)
@click.pass_context
def docs(ctx: click.Context, update: Path | None) -> None:
    """Print the ontology's class diagram (Mermaid), or update a README's generated blocks."""
    settings = command_settings(ctx)
    with exit_codes():
        if update is None:
            click.echo(class_diagram(load_ontology(settings.ontology_dir)), nl=False)
            return
        text = readme.updated(update.read_text(encoding="utf-8"), settings.ontology_dir)
    update.write_text(text, encoding="utf-8")
