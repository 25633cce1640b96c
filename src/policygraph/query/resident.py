"""The in-memory copy of a version: whether to make it, decided before reading, and making it.

A version's size is known before it is read: publishing writes its quad count beside it
(``store/local.py``, ``QUADS``), and a version written before that is counted by a short-lived
process, which costs a scan of one index and gives its memory back when it ends. So a version
above the bound is never loaded, not even in part, and the memory of a declined copy is never
taken. What parsing the dump leaves freed in the allocator is handed back to the system once the
copy is made (``malloc_trim``): it would otherwise stay in the fork server, and in every worker
forked from it, for as long as the version is served.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import subprocess
import sys
from pathlib import Path

from pyoxigraph import RdfFormat, Store

from policygraph.errors import StoreError
from policygraph.query.dataset import DatasetSource, InMemoryDataset, Resident
from policygraph.store.local import quad_count

# The dump and the count run in processes of their own: opening RocksDB in the fork server
# would leave its threads behind, and a process with threads must not fork.
_DUMP = (
    "import sys, pyoxigraph as ox\n"
    "ox.Store.read_only(sys.argv[1]).dump(output=sys.stdout.buffer, format=ox.RdfFormat.N_QUADS)\n"
)
_COUNT = "import sys, pyoxigraph as ox\nprint(len(ox.Store.read_only(sys.argv[1])))\n"


def load_resident(source: DatasetSource, path: str | None, max_quads: int) -> Resident | None:
    """The version at ``path`` copied into memory; None when it has more than ``max_quads``
    quads (or ``max_quads`` is 0), decided before any of it is read.

    A dataset given in memory is always copied.
    """
    if isinstance(source, InMemoryDataset):
        store = Store()
        store.load(source.nquads, format=RdfFormat.N_QUADS)
        return Resident(None, store)
    if path is None or max_quads <= 0 or version_quads(path) > max_quads:
        return None
    # The arguments are ours: this interpreter, our program, and the version's directory.
    dump = subprocess.Popen([sys.executable, "-c", _DUMP, path], stdout=subprocess.PIPE)  # noqa: S603
    assert dump.stdout is not None
    store = Store()
    try:
        store.load(input=dump.stdout, format=RdfFormat.N_QUADS)
    except BaseException:
        dump.kill()
        raise
    finally:
        dump.wait()
        dump.stdout.close()
    if dump.returncode != 0:  # the end of its output was not the end of the version
        raise StoreError(f"cannot read the store at {path} (exit {dump.returncode})")
    give_back_freed_memory()
    return Resident(path, store)


def version_quads(path: str) -> int:
    """How many quads the version at ``path`` holds: as published, or counted now."""
    known = quad_count(Path(path))
    if known is not None:
        return known
    counted = subprocess.run(  # noqa: S603 (as above: our interpreter, program and directory)
        [sys.executable, "-c", _COUNT, path], capture_output=True, check=False
    )
    if counted.returncode != 0:
        raise StoreError(f"cannot count the quads of the store at {path}")
    return int(counted.stdout)


def give_back_freed_memory() -> None:
    """Return the allocator's free pages to the system (glibc only; elsewhere nothing)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None)
    if trim is not None:
        trim(0)


__all__ = ["give_back_freed_memory", "load_resident", "version_quads"]
