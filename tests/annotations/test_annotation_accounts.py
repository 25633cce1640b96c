"""Accounts and the rate limit, on their files in a store folder, and the ``account`` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from policygraph.annotations.accounts import AccountBook
from policygraph.annotations.ratelimit import RateLimit
from policygraph.cli import main
from policygraph.errors import AccountError, AuthenticationError, RateLimitedError


def test_account_add_prints_the_token_once_as_its_last_line(tmp_path: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(
        main, ["account", "add", "an", "--role", "editor", "--store", str(tmp_path)]
    )
    assert made.exit_code == 0, made.output
    token = made.output.strip().splitlines()[-1]
    assert token.startswith("pgt_an_")
    kept = (tmp_path / "accounts.json").read_text(encoding="utf-8")
    assert token not in kept
    assert json.loads(kept)["accounts"][0]["token_hash"].startswith("$argon2")
    assert AccountBook(tmp_path).authenticate(token).role == "editor"

    listed = runner.invoke(main, ["account", "list", "--store", str(tmp_path)])
    assert listed.output.startswith("an\teditor\t")
    assert "active" in listed.output
    again = runner.invoke(main, ["account", "add", "an", "--store", str(tmp_path)])
    assert again.exit_code == 2
    revoked = runner.invoke(main, ["account", "revoke", "an", "--store", str(tmp_path)])
    assert revoked.exit_code == 0
    assert "revoked" in runner.invoke(main, ["account", "list", "--store", str(tmp_path)]).output
    with pytest.raises(AuthenticationError):
        AccountBook(tmp_path).authenticate(token)


def test_account_names_and_roles_are_checked(tmp_path: Path) -> None:
    book = AccountBook(tmp_path)
    for name in ("A", "a", "an_x", "../x", "x" * 40):
        with pytest.raises(AccountError):
            book.add(name)
    with pytest.raises(AccountError):
        book.add("an", "admin")


def test_a_token_names_its_account_and_only_its_own_hash_answers(tmp_path: Path) -> None:
    book = AccountBook(tmp_path)
    an, bo = book.add("an"), book.add("bo")
    assert book.authenticate(an).name == "an"
    assert book.authenticate(bo).name == "bo"
    forged = "pgt_an_" + bo.split("_", 2)[2]
    with pytest.raises(AuthenticationError):
        book.authenticate(forged)


def test_the_rate_limit_holds_across_instances_and_refills(tmp_path: Path) -> None:
    # Two instances on one file stand for two web workers.
    first = RateLimit(tmp_path, per_minute=60, burst=2)
    second = RateLimit(tmp_path, per_minute=60, burst=2)
    first.take("an", now=1000.0)
    second.take("an", now=1000.0)
    with pytest.raises(RateLimitedError) as refused:
        first.take("an", now=1000.0)
    assert refused.value.retry_after == pytest.approx(1.0)
    second.take("bo", now=1000.0)  # another account has its own bucket
    first.take("an", now=1001.0)  # a second later one write more is allowed
    with pytest.raises(RateLimitedError):
        second.take("an", now=1001.0)
