"""One in-memory copy per host: the pools of several web workers share the fork server of a
version, found by its socket in one directory; whether to copy is decided from the version's
quad count before anything is read; a killed server is replaced, and a version nobody serves
any more has its server end."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_query_pool import LIMITS, alive, count, eventually, pools_of, publish_version, settled

from policygraph.errors import StoreError
from policygraph.query import PublishedStore, QueryPool
from policygraph.query.copies import private_runtime_dir
from policygraph.query.resident import version_quads
from policygraph.store.local import QUADS_FILE, quad_count


@pytest.fixture
def copies() -> Iterator[Path]:
    # As serve makes it: a socket's path may not exceed 108 bytes, and a test's own folder can.
    directory = private_runtime_dir()
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def host_pools(tmp_path: Path, copies: Path) -> Iterator[Callable[..., QueryPool]]:
    """Pools as the web workers of one server make them: one store, one copies directory."""
    with pools_of(tmp_path / "store", copies) as make:
        yield make


def parent_of(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[1])


def test_the_quad_count_is_published_with_the_version(tmp_path):
    path = Path(publish_version(tmp_path, 120, "v1"))
    assert quad_count(path) == 120
    (path / QUADS_FILE).unlink()
    assert quad_count(path) is None
    assert version_quads(str(path)) == 120  # a version without it is counted


def test_two_pools_share_one_fork_server_and_one_copy(tmp_path, host_pools):
    path = publish_version(tmp_path / "store", 100, "v1")
    first, second = settled(host_pools()), settled(host_pools())
    assert first.in_memory
    assert second.in_memory
    server = first._server.pid
    assert second._server.pid == server
    workers = first.worker_pids() + second.worker_pids()
    assert len(workers) == 4
    assert all(parent_of(pid) == server for pid in workers)
    assert count(first, path) == count(second, path) == 100


def test_the_copies_directory_of_a_server_is_private():
    directory = private_runtime_dir()
    try:
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    finally:
        directory.rmdir()


def test_a_version_above_the_bound_is_declined_from_its_count_without_reading_it(
    tmp_path, host_pools
):
    path = Path(publish_version(tmp_path / "store", 50, "v1"))
    # The count published with it is what decides: a store of 50 quads that says it has more
    # than the bound is never read into memory, though it would fit.
    (path / QUADS_FILE).write_text("5000\n", encoding="ascii")
    pool = settled(host_pools(memory_max_quads=1_000))
    assert not pool.in_memory
    assert count(pool, str(path)) == 50  # answered on disk


def test_a_version_without_its_count_is_counted_before_it_is_copied(tmp_path, host_pools):
    path = Path(publish_version(tmp_path / "store", 50, "v1"))
    (path / QUADS_FILE).unlink()
    assert settled(host_pools(memory_max_quads=50)).in_memory
    assert not settled(host_pools(memory_max_quads=49)).in_memory


def test_a_killed_shared_fork_server_is_replaced_once_for_every_pool(tmp_path, host_pools):
    path = publish_version(tmp_path / "store", 100, "v1")
    first, second = settled(host_pools(size=1)), settled(host_pools(size=1))
    dead = first._server.pid
    os.kill(dead, 9)
    eventually(lambda: not alive(dead))
    for pool in (first, second):  # each loses its idle worker with it and forks another
        [worker] = pool.worker_pids()
        os.kill(worker, 9)
        eventually(lambda worker=worker: not alive(worker))
        assert count(pool, path) == 100
    assert first._server.pid == second._server.pid != dead
    assert first.in_memory
    assert second.in_memory


def test_a_new_version_gets_one_new_server_and_the_old_one_ends(tmp_path, host_pools):
    store = tmp_path / "store"
    publish_version(store, 10, "v1")
    first, second = settled(host_pools()), settled(host_pools())
    old = first._server.pid
    path = publish_version(store, 20, "v2")
    for pool in (first, second):
        assert count(pool, path) == 20
    for pool in (first, second):
        settled(pool)
        eventually(lambda pool=pool: pool._server.pid not in (0, old) and pool.in_memory)
    assert first._server.pid == second._server.pid
    eventually(lambda: not alive(old))
    # Reaped by the web worker that started it, with no other call to its pool: no zombie.
    eventually(lambda: not Path(f"/proc/{old}").exists())
    assert all(parent_of(pid) == first._server.pid for pid in first.worker_pids())


def test_a_pool_without_its_copies_directory_says_so(tmp_path):
    publish_version(tmp_path / "store", 10, "v1")
    with pytest.raises(StoreError, match="fork server"):
        QueryPool(
            PublishedStore(tmp_path / "store"),
            LIMITS,
            size=1,
            queue_timeout=5,
            memory_max_quads=1_000,
            copies=tmp_path / "gone",
        )
