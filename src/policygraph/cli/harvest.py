"""``harvest``: decisions from live linked-data endpoints."""

from __future__ import annotations

from typing import Any

import click

from policygraph.cli.app import (
    command_settings,
    exit_codes,
    main,
    store_option,
)
from policygraph.progress import progress_on_stderr


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

    settings = command_settings(ctx, store_dir=store_dir)
    with exit_codes():
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
