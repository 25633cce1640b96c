"""The search index of a published version: built beside its store, opened read-only.

A version directory holds its index in ``search/`` (``index_dir``). Publishing builds it into
the new version directory before ``current`` is switched, so the index and the store change
together; a version that publishing keeps (unchanged content) keeps its index. The index is
written whole into a temporary folder and renamed into place, so that a reader finds a complete
index or none: that is also how an index is added to a version published before versions had
one (``ensure_index``), without touching its store.
"""

from __future__ import annotations

import json
import os
import shutil
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


def ensure_index(version_dir: Path) -> bool:
    """Give the version at ``version_dir`` its index if it has none; whether one was built.

    Reads the version's own store (read-only), so the index describes exactly what it serves.
    """
    target = index_dir(version_dir)
    if target.is_dir():
        return False
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
    return True


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
    "index_store",
    "open_tantivy",
    "read_labels",
    "schema",
]
