"""The accounts of the annotation API: ``account add``, ``account list``, ``account revoke``."""

from __future__ import annotations

import click

from policygraph.annotations.accounts import ROLES, AccountBook
from policygraph.cli.app import command_settings, exit_codes, main, store_option


@main.group()
def account() -> None:
    """Accounts that may write annotations (kept in the store folder, as argon2 hashes)."""


@account.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="annotator", show_default=True)
@store_option
@click.pass_context
def add(ctx: click.Context, name: str, role: str, store_dir: str | None) -> None:
    """Make the account NAME and print its bearer token, once, as the last line."""
    settings = command_settings(ctx, store_dir=store_dir)
    with exit_codes():
        token = AccountBook(settings.store_dir).add(name, role)
        click.echo(f"account {name} ({role}) made; its token is shown this once:")
        click.echo(token)


@account.command("list")
@store_option
@click.pass_context
def list_accounts(ctx: click.Context, store_dir: str | None) -> None:
    """The accounts: name, role, when made, and when revoked."""
    settings = command_settings(ctx, store_dir=store_dir)
    with exit_codes():
        for entry in AccountBook(settings.store_dir).accounts():
            state = f"revoked {entry.revoked}" if entry.revoked else "active"
            click.echo(f"{entry.name}\t{entry.role}\t{entry.created}\t{state}")


@account.command("revoke")
@click.argument("name")
@store_option
@click.pass_context
def revoke(ctx: click.Context, name: str, store_dir: str | None) -> None:
    """Revoke NAME's token: its requests are refused from now on; its annotations stay."""
    settings = command_settings(ctx, store_dir=store_dir)
    with exit_codes():
        AccountBook(settings.store_dir).revoke(name)
        click.echo(f"account {name} revoked")
