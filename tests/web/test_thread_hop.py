"""The threads the ASGI route runs blocking calls on: outcomes come back to the awaiting
coroutine, no more threads run than allowed, and closing cancels the calls not yet begun."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from policygraph.web.sparql.hop import ThreadHop


def test_a_call_returns_its_result_or_raises_its_exception_in_the_coroutine() -> None:
    hop = ThreadHop(2, "test-hop")

    async def main() -> tuple[str, str]:
        name = await hop.call(lambda: threading.current_thread().name)
        with pytest.raises(ZeroDivisionError):
            await hop.call(lambda: 1 / 0)
        return name, await hop.call(str.upper, "ok")

    name, upper = asyncio.run(main())
    hop.close()
    assert name.startswith("test-hop_")
    assert upper == "OK"


def test_no_more_threads_run_than_allowed_and_every_call_is_answered() -> None:
    hop = ThreadHop(3, "test-hop")
    running, most = 0, 0
    lock = threading.Lock()

    def work(n: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.01)
        with lock:
            running -= 1
        return n * n

    async def main() -> list[int]:
        return list(await asyncio.gather(*(hop.call(work, n) for n in range(30))))

    assert asyncio.run(main()) == [n * n for n in range(30)]
    hop.close()
    assert most == 3


def test_closing_cancels_the_calls_not_yet_begun() -> None:
    hop = ThreadHop(1, "test-hop")
    release = threading.Event()

    async def main() -> tuple[object, bool]:
        first = asyncio.ensure_future(hop.call(release.wait, 30))
        second = asyncio.ensure_future(hop.call(str, "never run"))
        await asyncio.sleep(0.05)
        hop.close()
        release.set()
        await asyncio.wait([first, second], timeout=10)
        return first.result(), second.cancelled()

    assert asyncio.run(main()) == (True, True)
