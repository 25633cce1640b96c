"""Outgoing HTTP for the harvester and the remote store: one pooled session, polite and patient.

``HttpClient`` wraps a ``requests.Session`` with what every outgoing request of policygraph
needs: a User-Agent that names the project, a timeout on every request, a least interval between
two requests (politeness towards public endpoints), and retries with doubling backoff on the
failures that a later attempt can cure: 5xx answers and 429, timeouts and broken connections.
Other answers (4xx) are returned to the caller, who knows what they mean.

The client counts what it did (requests, retries) so that callers can report it; it raises the
error class it was built with, so that a harvest fails with a ``SourceError`` and a remote
store with a ``StoreError``, from the one tree in ``errors.py``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from policygraph.errors import PolicygraphError
from policygraph.version import __version__

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_BACKOFF = 30.0
"""Seconds: the longest wait between two attempts, whatever backoff or Retry-After say."""


def user_agent(project_url: str) -> str:
    """``policygraph/<version> (+<project URL>)``, as polite crawlers name themselves."""
    return f"policygraph/{__version__} (+{project_url})"


@dataclass
class Counters:
    """What a client did, for reports: requests sent (attempts), and how many were retries."""

    requests: int = 0
    retries: int = 0


class HttpClient:
    """A pooled session with a User-Agent, timeouts, a least interval, and retries."""

    def __init__(
        self,
        *,
        user_agent: str,
        timeout: float,
        retries: int,
        min_interval: float = 0.0,
        backoff: float = 0.5,
        pool_size: int = 10,
        error: type[PolicygraphError],
        timeout_error: type[PolicygraphError] | None = None,
        retry_statuses: frozenset[int] = RETRY_STATUSES,
    ) -> None:
        self.timeout = timeout
        self.retries = retries
        self.min_interval = min_interval
        self.backoff = backoff
        self.error = error
        self.timeout_error = timeout_error or error
        self.retry_statuses = retry_statuses
        self.counters = Counters()
        self._session = requests.Session()
        self._session.headers["User-Agent"] = user_agent
        # One pool per host, as large as the number of threads that may share this client.
        adapter = HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._lock = threading.Lock()
        self._next_slot = 0.0

    @property
    def session(self) -> requests.Session:
        return self._session

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str | list[str]] | list[tuple[str, str]] | None = None,
        data: bytes | str | Mapping[str, Any] | list[tuple[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
        stream: bool = False,
        auth: Any = None,
    ) -> requests.Response:
        """Send a request, retrying what may succeed later; return any answer that is not 5xx.

        Raises the configured ``timeout_error`` when every attempt timed out and ``error`` when
        the last attempt failed in another way.
        """
        attempt = 0
        while True:
            self._wait_for_slot()
            with self._lock:
                self.counters.requests += 1
            failure: str
            retry_after: float | None = None
            timed_out = False
            try:
                response = self._session.request(
                    method,
                    url,
                    params=params,
                    data=data,
                    headers=dict(headers or {}),
                    timeout=self.timeout,
                    stream=stream,
                    auth=auth,
                )
            except requests.Timeout as exc:
                failure, timed_out = f"no answer within {self.timeout:g} s ({exc})", True
            except requests.ConnectionError as exc:
                failure = f"cannot connect: {exc}"
            except requests.RequestException as exc:
                raise self.error(f"{method} {url}: {exc}") from exc
            else:
                if response.status_code not in self.retry_statuses:
                    return response
                failure = f"HTTP {response.status_code}: {excerpt(response)}"
                retry_after = _retry_after(response)
                response.close()
            if attempt >= self.retries:
                error = self.timeout_error if timed_out else self.error
                tries = attempt + 1
                raise error(f"{method} {url} failed after {tries} attempt(s): {failure}")
            attempt += 1
            with self._lock:
                self.counters.retries += 1
            delay = self.backoff * 2 ** (attempt - 1)
            time.sleep(min(MAX_BACKOFF, max(delay, retry_after or 0.0)))

    def close(self) -> None:
        self._session.close()

    def _wait_for_slot(self) -> None:
        """Keep at least ``min_interval`` seconds between the starts of two requests."""
        if self.min_interval <= 0:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_slot)
            self._next_slot = start + self.min_interval
        if start > now:
            time.sleep(start - now)


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date, or nothing: the backoff decides


def excerpt(response: requests.Response, limit: int = 200) -> str:
    """The start of an error body, for messages (servers often explain themselves there)."""
    try:
        text = response.text
    except (requests.RequestException, UnicodeDecodeError):
        return response.reason or ""
    text = " ".join(text.split())
    return text[:limit] + ("…" if len(text) > limit else "") or (response.reason or "")


__all__ = ["RETRY_STATUSES", "Counters", "HttpClient", "excerpt", "user_agent"]
