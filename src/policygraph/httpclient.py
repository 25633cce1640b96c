"""Outgoing HTTP for the harvester and the remote store: one pooled session, polite and patient.

``HttpClient`` wraps a ``requests.Session`` with what every outgoing request of policygraph
needs: a User-Agent that names the project, a timeout on every request, a least interval between
two requests (politeness towards public endpoints), and retries with doubling backoff on the
failures that a later attempt can cure: 5xx answers and 429, timeouts and broken connections.
Other answers (4xx) are returned to the caller, who knows what they mean.

The client counts what it did (requests, retries) so that callers can report it; it raises the
error class it was built with, so that a harvest fails with a ``SourceError`` and a remote
store with a ``StoreError``, from the one tree in ``errors.py``.

``fetch`` reads a whole answer within bounds a peer cannot stretch: ``timeout`` is a deadline
for the entire attempt, headers and body (a socket timeout alone restarts with every byte, so a
peer dripping one byte a second would hold a request forever), and a body larger than
``max_bytes`` is refused as it arrives. At the deadline a watchdog shuts the connection's socket,
which is the one way to wake a thread blocked in ``recv``.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

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
        adapter = _WatchedAdapter(pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0)
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

        def send() -> requests.Response:
            return self._session.request(
                method,
                url,
                params=params,
                data=data,
                headers=dict(headers or {}),
                timeout=self.timeout,
                stream=stream,
                auth=auth,
            )

        return self._with_retries(method, url, send)

    def fetch(
        self,
        method: str,
        url: str,
        *,
        max_bytes: int,
        params: Mapping[str, str | list[str]] | list[tuple[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Fetched:
        """Send a request as ``request`` does and read its whole answer, within ``timeout``
        seconds for each attempt (headers and body) and ``max_bytes`` of body.

        Raises ``timeout_error`` when no attempt completed in time (a slow or dripping peer) and
        ``error`` for a body over ``max_bytes`` (not retried: a larger answer will not shrink).
        """

        def send() -> Fetched:
            with _Deadline(self.timeout) as deadline:
                try:
                    response = self._session.request(
                        method,
                        url,
                        params=params,
                        headers=dict(headers or {}),
                        timeout=self.timeout,
                        stream=True,
                    )
                    with response:
                        body = _bounded_body(response, max_bytes, method, url, self.error)
                except requests.RequestException as exc:
                    if deadline.expired:
                        raise requests.Timeout(f"cut at the deadline: {exc}") from exc
                    raise
                return Fetched(response.status_code, response.headers, body, response.reason or "")

        return self._with_retries(method, url, send)

    def _with_retries(self, method: str, url: str, send: Callable[[], _Answer]) -> _Answer:
        attempt = 0
        while True:
            self._wait_for_slot()
            with self._lock:
                self.counters.requests += 1
            failure: str
            retry_after: float | None = None
            timed_out = False
            try:
                answer = send()
            except requests.Timeout as exc:
                _let_go(exc)
                failure, timed_out = f"no answer within {self.timeout:g} s ({exc})", True
            except requests.ConnectionError as exc:
                _let_go(exc)
                failure = f"cannot connect: {exc}"
            except requests.RequestException as exc:
                _let_go(exc)
                raise self.error(f"{method} {url}: {exc}") from exc
            else:
                if answer.status_code not in self.retry_statuses:
                    return answer
                failure = f"HTTP {answer.status_code}: {excerpt(answer)}"
                retry_after = _retry_after(answer)
                answer.close()
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


@dataclass(frozen=True)
class Fetched:
    """A whole answer: its status, headers and body."""

    status_code: int
    headers: Mapping[str, str]
    content: bytes
    reason: str = ""

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def close(self) -> None:
        """Nothing to release: the body is read and the connection back in its pool."""


_Answer = TypeVar("_Answer", requests.Response, Fetched)


def _bounded_body(
    response: requests.Response,
    max_bytes: int,
    method: str,
    url: str,
    error: type[PolicygraphError],
) -> bytes:
    def too_large() -> PolicygraphError:
        return error(f"{method} {url}: the answer is larger than {max_bytes} bytes")

    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large()
    body = bytearray()
    for chunk in response.iter_content(chunk_size=1 << 16):
        body += chunk
        if len(body) > max_bytes:
            raise too_large()
    return bytes(body)


_watched = threading.local()


class _Deadline:
    """While entered, the connection the current thread sends on is shut at the deadline."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._connection: Any = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        _watched.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        _watched.deadline = None
        with self._lock:
            self._connection = None

    def watch(self, connection: Any) -> None:
        with self._lock:
            self._connection = connection
            if not self.expired:
                return
        self._shut(connection)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            connection = self._connection
        if connection is not None:
            self._shut(connection)

    @staticmethod
    def _shut(connection: Any) -> None:
        sock = getattr(connection, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):  # already closed: nothing waits on it
                sock.shutdown(socket.SHUT_RDWR)


def _let_go(exc: BaseException) -> None:
    """Clear the locals of the finished frames that ``exc`` and its causes came through.

    urllib3 keeps the exceptions it handles in its frames' locals, so an exception, its
    traceback and those frames make a cycle; the cycle also keeps every frame it passed through
    up the stack, ours included, with what they hold when they return (a pyoxigraph result,
    say), until the collector frees it on whichever thread it happens to run. A pyoxigraph
    result must be dropped on the thread that made it. Clearing the locals breaks the cycle,
    and the traceback still tells where the error came from.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        current = current.__cause__ or current.__context__


def _watching(pool: type[HTTPConnectionPool]) -> type[HTTPConnectionPool]:
    """``pool`` telling the current thread's deadline which connection a request goes out on."""

    class Watched(pool):  # type: ignore[valid-type,misc]
        def _make_request(self, conn: Any, *args: Any, **kwargs: Any) -> Any:
            deadline = getattr(_watched, "deadline", None)
            if deadline is not None:
                deadline.watch(conn)
            return super()._make_request(conn, *args, **kwargs)

    return Watched


_WATCHED_POOLS = {"http": _watching(HTTPConnectionPool), "https": _watching(HTTPSConnectionPool)}


class _WatchedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _WATCHED_POOLS


def _retry_after(response: requests.Response | Fetched) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date, or nothing: the backoff decides


def excerpt(response: requests.Response | Fetched, limit: int = 200) -> str:
    """The start of an error body, for messages (servers often explain themselves there)."""
    try:
        text = response.text
    except (requests.RequestException, UnicodeDecodeError):
        return response.reason or ""
    text = " ".join(text.split())
    return text[:limit] + ("…" if len(text) > limit else "") or (response.reason or "")


__all__ = ["RETRY_STATUSES", "Counters", "Fetched", "HttpClient", "excerpt", "user_agent"]
