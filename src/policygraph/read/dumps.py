"""Downloadable dumps of a published version: N-Quads (gzip) with the graph names, and Turtle.

Layout, beside the store versions::

    store_dir/dumps/<version>/policygraph.nq.gz          every quad, sorted
    store_dir/dumps/<version>/policygraph.nq.gz.sha256   its checksum, as sha256sum writes it
    store_dir/dumps/<version>/policygraph.ttl            the union of the graphs as triples
    store_dir/dumps/<version>/policygraph.ttl.sha256
    store_dir/dumps/<version>/citations.csv              tables for spreadsheets (read.tables),
    store_dir/dumps/<version>/sections.csv               each with its .sha256 too
    store_dir/dumps/<version>/verdicts.csv               (read.verdict_table, the coded dataset)
    store_dir/dumps/<version>/manifest.json              sizes, checksums, media types, counts

The output is a function of the content: quads are sorted and the gzip header carries no time
nor file name, so equal versions give byte-equal dumps and checksums. A set of dumps is written
into a temporary folder and renamed into place, so a reader never sees half of one.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import RdfFormat, serialize

from policygraph.errors import StoreError
from policygraph.formats import RESULT_FORMATS
from policygraph.namespaces import PREFIXES
from policygraph.read.tables import TABLES, Table
from policygraph.read.verdict_table import verdicts
from policygraph.render.spreadsheet import csv_text
from policygraph.store import GraphStore
from policygraph.store.local import VERSION_FILE, VERSIONS, LocalStore

DUMPS = "dumps"
MANIFEST = "manifest.json"
NQUADS_GZ = "policygraph.nq.gz"
TURTLE = "policygraph.ttl"
CSV = "text/csv"
EXPORT_FORMATS = {f.name: f.rdf for f in RESULT_FORMATS if f.quads and f.rdf is not None}
"""The syntaxes ``export`` writes, from the one format table: those that keep the graph names."""


@dataclass(frozen=True)
class Dump:
    name: str
    media_type: str
    encoding: str | None
    """Content-Encoding of the file as stored (gzip), or None."""
    size: int
    sha256: str
    statements: int
    """Quads in an N-Quads dump, distinct triples in a Turtle one, rows in a CSV table."""

    @property
    def is_rdf(self) -> bool:
        """A dump of the graph itself (VoID's ``void:dataDump``), not a table made from it."""
        return self.media_type != CSV


@dataclass(frozen=True)
class DumpSet:
    version: str
    folder: Path
    files: tuple[Dump, ...]

    def file(self, name: str) -> Dump | None:
        return next((dump for dump in self.files if dump.name == name), None)


def dumps_root(store_dir: Path) -> Path:
    return Path(store_dir) / DUMPS


def _safe_version(version: str) -> str:
    if not version or any(c in version for c in "/\\\0") or version.startswith("."):
        raise StoreError(f"not a usable version for a dump folder: {version!r}")
    return version


def read_dumps(store_dir: Path, version: str) -> DumpSet | None:
    """The dumps written for ``version``, or None when there are none (yet)."""
    folder = dumps_root(store_dir) / _safe_version(version)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = tuple(Dump(**entry) for entry in manifest["files"])
    if not all((folder / dump.name).is_file() for dump in files):
        return None
    return DumpSet(manifest["version"], folder, files)


def write_dumps(store: GraphStore, store_dir: Path, *, replace: bool = False) -> DumpSet:
    """Write the dumps of the store's version, unless they exist already; return them.

    With ``replace`` they are written anew even so: a rebuild of equal content has a new build
    graph (its clock times), and the dumps should carry the published one.
    """
    existing = read_dumps(store_dir, store.version)
    if existing is not None and not replace:
        return existing
    root = dumps_root(store_dir)
    folder = root / _safe_version(store.version)
    tmp = root / f".{store.version}.{os.getpid()}.partial"
    try:
        root.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        quads = sorted(store.quads(), key=str)
        nquads = serialize(quads, format=RdfFormat.N_QUADS)
        assert nquads is not None
        packed = gzip.compress(nquads, mtime=0)
        triples = sorted({quad.triple for quad in quads}, key=str)
        turtle = serialize(triples, format=RdfFormat.TURTLE, prefixes=dict(PREFIXES))
        assert turtle is not None
        files = (
            _write(tmp, NQUADS_GZ, packed, "application/n-quads", "gzip", len(quads)),
            _write(tmp, TURTLE, turtle, "text/turtle", None, len(triples)),
            *(
                _write(tmp, f"{table.name}.csv", _csv(table), CSV, None, len(table.rows))
                for table in (make(store) for make in (*TABLES, verdicts))
            ),
        )
        manifest = {"version": store.version, "files": [asdict(dump) for dump in files]}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        old = root / f".{store.version}.{os.getpid()}.old"
        if replace and folder.exists():
            os.replace(folder, old)
        try:
            os.replace(tmp, folder)
        except OSError:
            # Another process wrote the same version first; its dumps are byte-equal to ours.
            if read_dumps(store_dir, store.version) is None:
                raise
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise StoreError(f"cannot write the dumps in {root}: {exc}") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    written = read_dumps(store_dir, store.version)
    if written is None:
        raise StoreError(f"the dumps of version {store.version} vanished while being written")
    return written


def _write(
    folder: Path, name: str, data: bytes, media_type: str, encoding: str | None, statements: int
) -> Dump:
    digest = hashlib.sha256(data).hexdigest()
    (folder / name).write_bytes(data)
    (folder / f"{name}.sha256").write_text(f"{digest}  {name}\n", encoding="ascii")
    return Dump(name, media_type, encoding, len(data), digest, statements)


def _csv(table: Table) -> bytes:
    return csv_text(table.columns, table.rows).encode("utf-8")


def publish_dumps(store_dir: Path) -> DumpSet:
    """After a publish: the dumps of the version published now, and none of versions gone.

    ``publishing.publish`` calls this while it holds the writer lock.
    """
    store = LocalStore.open(store_dir)
    try:
        dumps = write_dumps(store, store_dir, replace=True)
    finally:
        store.close()
    versions = Path(store_dir) / VERSIONS
    kept = {dumps.version}
    if versions.is_dir():
        for version_file in versions.glob(f"*/{VERSION_FILE}"):
            kept.add(version_file.read_text(encoding="ascii").strip())
    prune_dumps(store_dir, kept)
    return dumps


def export(store: GraphStore, target: Path | BinaryIO, fmt: str = "nquads") -> None:
    """Write every quad of ``store`` to a stream, or to a file that is whole or not there.

    Unlike the dumps, an export is not sorted: it streams, whatever the size of the store.
    """
    syntax = EXPORT_FORMATS[fmt]
    if not isinstance(target, Path):
        serialize(store.quads(), target, format=syntax)
        return
    tmp = target.with_name(target.name + ".partial")
    try:
        with tmp.open("wb") as stream:
            serialize(store.quads(), stream, format=syntax)
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"cannot write {target}: {exc.strerror or exc}") from exc


def prune_dumps(store_dir: Path, keep: set[str]) -> list[Path]:
    """Remove the dumps of versions not in ``keep``."""
    root = dumps_root(store_dir)
    if not root.is_dir():
        return []
    removed = []
    for path in root.iterdir():
        if path.is_dir() and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed
