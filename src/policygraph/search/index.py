"""The search index of a published version: built beside its store, opened read-only.

A version directory holds its index in ``search/`` (``index_dir``): a link to the folder
``search-<stamp>/``, where the stamp names the code that built it (``index_stamp``: the search
package's source and tantivy's version). Publishing builds it into the new version directory
before ``current`` is switched, so the index and the store change together. A version that
publishing keeps (unchanged content) keeps its index while the stamp matches; after an upgrade
of the search code, ``ensure_index`` builds the index anew beside the old one and switches the
link, so a reader finds a complete index, the old or the new, never half of one; that is also
how an index is added to a version published before versions had one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from importlib.metadata import version as package_version
from pathlib import Path

import tantivy
from pyoxigraph import Store

from policygraph.errors import SearchUnavailableError, StoreError
from policygraph.search.analyzer import ANALYZER, register
from policygraph.search.documents import Corpus, SearchDocument, read_corpus
from policygraph.store import GraphStore
from policygraph.store.local import VERSION_FILE, LocalStore

INDEX_DIR = "search"
LABELS_FILE = "labels.json"
WRITER_HEAP_BYTES = 64_000_000
FACET_FIELDS = ("type", "year", "chapter", "kind", "organisation", "cited")
"""Fields kept whole (one term per value), counted as facets and filtered on."""


def index_dir(version_dir: Path) -> Path:
    """Where the search index of the version at ``version_dir`` is (or would be)."""
    return Path(version_dir) / INDEX_DIR


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("iri", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name=ANALYZER)
    builder.add_text_field("body", stored=True, tokenizer_name=ANALYZER)
    builder.add_text_field("extra", stored=False, tokenizer_name=ANALYZER)
    builder.add_text_field("date", stored=True, tokenizer_name="raw")
    for name in FACET_FIELDS:
        builder.add_text_field(name, stored=True, fast=True, tokenizer_name="raw")
    return builder.build()


def build_index(corpus: Corpus, target: Path) -> int:
    """Write an index of ``corpus`` into the new folder ``target``; the number of documents.

    Written into a sibling folder first and renamed, so ``target`` appears complete or not at
    all. One writer thread: the documents are few, and the result is then the same on every
    machine (one segment, in the corpus's order).
    """
    target = Path(target)
    work = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        index = tantivy.Index(schema(), path=str(work), reuse=False)
        register(index)
        writer = index.writer(heap_size=WRITER_HEAP_BYTES, num_threads=1)
        for document in corpus.documents:
            writer.add_document(_tantivy_document(document))
        writer.commit()
        writer.wait_merging_threads()
        del writer, index
        (work / LABELS_FILE).write_text(
            json.dumps(corpus.labels, ensure_ascii=False, sort_keys=True), encoding="utf-8"
        )
        os.replace(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return len(corpus.documents)


def index_store(store: GraphStore, target: Path) -> int:
    """Build the index of everything searchable in ``store`` into ``target``."""
    return build_index(read_corpus(store), target)


def index_stamp() -> str:
    """A name for the code an index is built by: the search package's source and tantivy's
    version. An index of another stamp may rank or analyse differently, so it is rebuilt."""
    digest = hashlib.sha256(f"tantivy {package_version('tantivy')}\n".encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def ensure_index(version_dir: Path, stamp: str | None = None) -> bool:
    """Give the version at ``version_dir`` an index built by this code (``stamp``, by default
    ``index_stamp()``) if it has none; whether one was built.

    Reads the version's own store (read-only), so the index describes exactly what it serves.
    """
    version_dir = Path(version_dir)
    link = index_dir(version_dir)
    target = version_dir / f"{INDEX_DIR}-{stamp or index_stamp()}"
    if link.is_symlink() and os.readlink(link) == target.name and target.is_dir():
        return False
    shutil.rmtree(target, ignore_errors=True)  # left by a build killed before its link
    try:
        oxigraph = Store.read_only(str(version_dir))
    except OSError as exc:
        raise StoreError(f"cannot open the store at {version_dir} to index it: {exc}") from exc
    marker = Path(version_dir) / VERSION_FILE
    version = marker.read_text(encoding="ascii").strip() if marker.exists() else "unpublished"
    store = LocalStore(oxigraph, version, Path(version_dir))
    try:
        index_store(store, target)
    finally:
        store.close()
    _switch(link, target)
    return True


def _switch(link: Path, target: Path) -> None:
    """Point ``link`` at ``target`` in one rename, then remove the indexes it pointed at."""
    if link.is_dir() and not link.is_symlink():
        # An index of the first layout, a plain folder: moved aside, as a link cannot replace it.
        os.replace(link, link.with_name(f"{INDEX_DIR}-unstamped"))
    fresh = link.with_name(f".{link.name}.{os.getpid()}.link")
    fresh.unlink(missing_ok=True)
    fresh.symlink_to(target.name)
    os.replace(fresh, link)
    for old in link.parent.glob(f"{INDEX_DIR}-*"):
        if old != target:
            shutil.rmtree(old, ignore_errors=True)


def open_tantivy(path: Path) -> tantivy.Index:
    """The index at ``path``, opened for reading with the analyzer registered.

    Raises ``SearchUnavailableError`` when there is none: a version published before versions
    had an index, or a store that keeps none (an engine elsewhere).
    """
    if not (Path(path) / "meta.json").is_file():
        raise SearchUnavailableError(
            "this version has no search index: rebuild with policygraph build --force"
        )
    try:
        index = tantivy.Index.open(str(path))
    except ValueError as exc:
        raise SearchUnavailableError(f"the search index cannot be opened: {exc}") from exc
    register(index)
    # "manual": no thread watching the files; a published index never changes.
    index.config_reader(reload_policy="manual")
    return index


def read_labels(path: Path) -> dict[str, str]:
    try:
        loaded = json.loads((Path(path) / LABELS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}


def _tantivy_document(document: SearchDocument) -> tantivy.Document:
    fields: dict[str, list[str]] = {
        "iri": [document.iri],
        "type": [document.type],
        "title": [document.title],
        "body": [document.body],
        "extra": [document.extra],
        "chapter": list(document.chapters),
        "organisation": list(document.organisations),
    }
    if document.date:
        fields["date"] = [document.date]
    if document.year:
        fields["year"] = [document.year]
    if document.kind:
        fields["kind"] = [document.kind]
    if document.cited is not None:
        fields["cited"] = ["true" if document.cited else "false"]
    return tantivy.Document.from_dict({k: v for k, v in fields.items() if v})


__all__ = [
    "FACET_FIELDS",
    "INDEX_DIR",
    "build_index",
    "ensure_index",
    "index_dir",
    "index_stamp",
    "index_store",
    "open_tantivy",
    "read_labels",
    "schema",
]
