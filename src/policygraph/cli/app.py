"""The ``policygraph`` command group, and what its commands share: settings from options, errors
mapped to exit codes.

Exit codes, as pySHACL's: 0 success (or conforms), 1 does not conform, 2 error.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from policygraph import errors
from policygraph.config import Settings, load_settings
from policygraph.store.remote import is_store_url
from policygraph.validation.report import (
    report_text,
)

EXIT_OK, EXIT_NONCONFORMING, EXIT_ERROR = 0, 1, 2

# One table from error class to exit code; the first match in order wins.
EXIT_CODES: tuple[tuple[type[errors.PolicygraphError], int], ...] = (
    (errors.ValidationFailed, EXIT_NONCONFORMING),
    (errors.PolicygraphError, EXIT_ERROR),
)


@contextmanager
def exit_codes() -> Iterator[None]:
    """Turn policygraph errors into a message on standard error and their exit code."""
    try:
        yield
    except errors.PolicygraphError as exc:
        if isinstance(exc, errors.ValidationFailed):
            click.echo(report_text(exc.report), err=True, nl=False)
        code = next(code for cls, code in EXIT_CODES if isinstance(exc, cls))
        click.echo(f"policygraph: error: {exc}", err=True)
        raise SystemExit(code) from exc


def command_settings(ctx: click.Context, **overrides: Any) -> Settings:
    config: Path | None = ctx.obj["config"]
    store = overrides.get("store_dir")
    if isinstance(store, str) and is_store_url(store):
        overrides = {**overrides, "store_dir": None, "store_url": store}
    with exit_codes():
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
