"""A rate limit per account that holds across web workers and processes: a token bucket per
account in a small SQLite file of the store folder (``store_dir/ratelimit.sqlite``).

Every web worker is its own process, so a count kept in memory would allow each of them the
whole rate. SQLite serialises the read-and-update of a bucket in one ``BEGIN IMMEDIATE``
transaction, and its file outlives a restart, so restarting the server is no way around it.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from policygraph.errors import RateLimitedError

RATE_FILE = "ratelimit.sqlite"


class RateLimit:
    """``per_minute`` writes a minute per account, in bursts of up to ``burst``."""

    def __init__(self, store_dir: Path, *, per_minute: float, burst: int) -> None:
        self.path = Path(store_dir) / RATE_FILE
        self.per_second = per_minute / 60.0
        self.burst = float(burst)

    def take(self, account: str, now: float | None = None) -> None:
        """Spend one write of ``account``'s bucket, or raise ``RateLimitedError``."""
        if self.per_second <= 0:
            return
        moment = time.time() if now is None else now
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        try:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS bucket "
                "(account TEXT PRIMARY KEY, tokens REAL NOT NULL, updated REAL NOT NULL)"
            )
            connection.execute("BEGIN IMMEDIATE")
            row = connection.execute(
                "SELECT tokens, updated FROM bucket WHERE account = ?", (account,)
            ).fetchone()
            tokens = self.burst
            if row is not None:
                tokens = min(self.burst, row[0] + max(0.0, moment - row[1]) * self.per_second)
            if tokens < 1.0:
                connection.execute("ROLLBACK")
                wait = (1.0 - tokens) / self.per_second
                raise RateLimitedError(
                    f"the account {account!r} writes faster than {self.per_second * 60:g} a "
                    f"minute; retry in {wait:.0f} s",
                    retry_after=wait,
                )
            connection.execute(
                "INSERT INTO bucket (account, tokens, updated) VALUES (?, ?, ?) "
                "ON CONFLICT (account) DO UPDATE SET tokens = excluded.tokens, "
                "updated = excluded.updated",
                (account, tokens - 1.0, moment),
            )
            connection.execute("COMMIT")
        finally:
            connection.close()
