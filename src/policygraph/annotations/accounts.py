"""The accounts of the annotation API: a name, a role, and an argon2 hash of a bearer token.

The accounts live in ``store_dir/accounts.json``, rewritten whole (a temporary file, fsync,
rename) under ``store_dir/.accounts.lock``, so every web worker and command reads a whole file.
A token is shown once, when the account is made, and never kept: ``pgt_{account}_{secret}``.
It names its account, so that checking it hashes once instead of trying every account's hash.

Checking a token with argon2 takes tens of milliseconds on purpose. A process remembers the
tokens it has checked (by their SHA-256, never in clear) for as long as the accounts file is
unchanged: a revocation rewrites the file, and every process checks again.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from policygraph.errors import AccountError, AuthenticationError

ACCOUNTS_FILE = "accounts.json"
LOCK_FILE = ".accounts.lock"
TOKEN_PREFIX = "pgt"  # noqa: S105 -- the marker every token starts with, not a secret
ROLES = ("annotator", "editor")
"""An annotator writes and retracts annotations in its own graph; an editor may also replace or
empty that graph whole (Graph Store PUT and DELETE)."""

ACCOUNT_NAME = re.compile(r"^[a-z][a-z0-9-]{1,31}$")
_TOKEN = re.compile(rf"^{TOKEN_PREFIX}_([a-z][a-z0-9-]{{1,31}})_([A-Za-z0-9_-]{{20,100}})$")


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    token_hash: str
    created: str
    revoked: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked is None

    def may(self, action: str) -> bool:
        """Whether the role allows ``action``: ``annotate`` (any role) or ``replace-graph``."""
        return self.active and (action == "annotate" or self.role == "editor")


def check_name(name: str) -> str:
    if not ACCOUNT_NAME.match(name):
        raise AccountError(
            f"{name!r} is not a usable account name: 2 to 32 lower-case letters, digits and -, "
            "starting with a letter"
        )
    return name


class AccountBook:
    """The accounts of one store folder."""

    def __init__(self, store_dir: Path, hasher: PasswordHasher | None = None) -> None:
        self.path = Path(store_dir) / ACCOUNTS_FILE
        self._lock_path = Path(store_dir) / LOCK_FILE
        self._hasher = hasher or PasswordHasher()
        self._checked: dict[str, str] = {}
        self._checked_stamp: tuple[int, int, int] | None = None
        self._mutex = threading.Lock()

    # --- reading -------------------------------------------------------------------------

    def accounts(self) -> list[Account]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise AccountError(f"cannot read the accounts in {self.path}: {exc}") from exc
        return [Account(**entry) for entry in json.loads(text)["accounts"]]

    def get(self, name: str) -> Account | None:
        return next((a for a in self.accounts() if a.name == name), None)

    def authenticate(self, token: str) -> Account:
        """The active account a bearer token belongs to; ``AuthenticationError`` otherwise."""
        match = _TOKEN.match(token.strip())
        if match is None:
            raise AuthenticationError("the bearer token is not a policygraph token")
        name = match.group(1)
        digest = hashlib.sha256(token.strip().encode("utf-8")).hexdigest()
        stamp = self._stamp()
        with self._mutex:
            if stamp != self._checked_stamp:
                self._checked, self._checked_stamp = {}, stamp
            known = self._checked.get(digest)
        account = self.get(name)
        if account is None or not account.active:
            raise AuthenticationError("the bearer token is unknown or revoked")
        if known == account.token_hash:
            return account
        try:
            self._hasher.verify(account.token_hash, token.strip())
        except (VerificationError, InvalidHashError):
            raise AuthenticationError("the bearer token is unknown or revoked") from None
        with self._mutex:
            if stamp == self._checked_stamp:
                self._checked[digest] = account.token_hash
        return account

    def _stamp(self) -> tuple[int, int, int] | None:
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return None
        return (info.st_ino, info.st_mtime_ns, info.st_size)

    # --- writing -------------------------------------------------------------------------

    def add(self, name: str, role: str = "annotator") -> str:
        """Make an account; return its token (the only time it is seen)."""
        check_name(name)
        if role not in ROLES:
            raise AccountError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
        token = f"{TOKEN_PREFIX}_{name}_{secrets.token_urlsafe(32)}"
        with self._locked() as accounts:
            if any(a.name == name for a in accounts):
                raise AccountError(f"an account named {name!r} exists already")
            now = datetime.now(UTC).replace(microsecond=0).isoformat()
            accounts.append(Account(name, role, self._hasher.hash(token), now))
        return token

    def revoke(self, name: str) -> Account:
        with self._locked() as accounts:
            for i, account in enumerate(accounts):
                if account.name == name:
                    if not account.active:
                        raise AccountError(f"the account {name!r} is revoked already")
                    now = datetime.now(UTC).replace(microsecond=0).isoformat()
                    accounts[i] = replace(account, revoked=now)
                    return accounts[i]
        raise AccountError(f"no account named {name!r}")

    @contextmanager
    def _locked(self) -> Iterator[list[Account]]:
        """The accounts to change in place, written back whole when the block ends."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock_path.open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            accounts = self.accounts()
            yield accounts
            tmp = self.path.with_name(f".{ACCOUNTS_FILE}.{os.getpid()}")
            with tmp.open("w", encoding="utf-8") as handle:
                json.dump({"accounts": [asdict(a) for a in accounts]}, handle, indent=2)
                handle.write("\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
