"""The worker class's coalescing transport: one write per turn of the event loop, in order."""

from __future__ import annotations

import asyncio
import socket

from policygraph.web.asgi_worker import CoalescingTransport


class Recording(asyncio.Protocol):
    def __init__(self) -> None:
        self.received = bytearray()
        self.closed = asyncio.Event()

    def data_received(self, data: bytes) -> None:
        self.received += data

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed.set()


async def _exchange(writes: list[list[bytes]]) -> tuple[list[int], bytes]:
    """Write each group in its own turn of the loop; what the peer got, and the sends made."""
    loop = asyncio.get_running_loop()
    ours, theirs = socket.socketpair()
    transport, _ = await loop.create_connection(asyncio.Protocol, sock=ours)
    peer, peer_protocol = await loop.create_connection(Recording, sock=theirs)
    sends: list[int] = []
    real_write = transport.write

    def counted(data: bytes) -> None:  # count the writes that reach the socket's transport
        sends.append(len(data))
        real_write(data)

    transport.write = counted  # type: ignore[method-assign]
    coalescing = CoalescingTransport(transport, loop)
    for group in writes:
        for data in group:
            coalescing.write(data)
        await asyncio.sleep(0)  # the next turn
    coalescing.write(b"!")  # pending when closed: close must flush it first
    coalescing.close()
    await asyncio.wait_for(peer_protocol.closed.wait(), 5)
    peer.close()
    return sends, bytes(peer_protocol.received)


def test_writes_of_one_turn_leave_as_one_and_close_flushes() -> None:
    sends, received = asyncio.run(_exchange([[b"HTTP/1.1 200 OK\r\n\r\n", b"body"], [b"more"]]))
    assert received == b"HTTP/1.1 200 OK\r\n\r\nbodymore!"
    assert sends == [len(b"HTTP/1.1 200 OK\r\n\r\nbody"), len(b"more"), 1]


def test_the_transport_is_otherwise_the_same() -> None:
    async def check() -> None:
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair()
        transport, _ = await loop.create_connection(asyncio.Protocol, sock=ours)
        coalescing = CoalescingTransport(transport, loop)
        assert coalescing.get_extra_info("socket") is transport.get_extra_info("socket")
        assert not coalescing.is_closing()
        coalescing.close()
        assert coalescing.is_closing()
        theirs.close()

    asyncio.run(check())
