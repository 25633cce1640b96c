"""``serve``: the endpoint and the linked data over HTTP."""

from __future__ import annotations

import click

from policygraph.cli.app import command_settings, exit_codes, main


@main.command(name="serve")
@click.option(
    "--store",
    "stores",
    multiple=True,
    help="Published store folder to serve (setting store_dir), or an external engine as "
    "sparql+http(s)://host/path (setting store_url); repeat it (or separate URLs by commas) "
    "for replicas of the engine.",
)
@click.option("--host", help="Interface to listen on (setting host).")
@click.option("--port", type=int, help="Port to listen on (setting port).")
@click.option("--workers", type=int, help="gunicorn worker processes (setting workers).")
@click.option("--dev", is_flag=True, help="uvicorn's development server, reloading on changes.")
@click.pass_context
def serve_command(
    ctx: click.Context,
    stores: tuple[str, ...],
    host: str | None,
    port: int | None,
    workers: int | None,
    dev: bool,
) -> None:
    """Serve the published store read-only: the SPARQL endpoint and the linked data (over an
    external engine, queries are forwarded to it)."""
    store_dir = ",".join(stores) if stores else None
    settings = command_settings(ctx, store_dir=store_dir, host=host, port=port, workers=workers)
    with exit_codes():
        from policygraph.web.server import serve

        # Nothing published, or no engine answering: exit 2 now, not per request.
        serve(settings, workers=settings.workers, dev=dev)
