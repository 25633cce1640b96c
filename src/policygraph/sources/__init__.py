"""Sources: each module (or package) reads one kind of raw input and returns RDF, purely.

A source returns ``SourceGraph`` values: the triples it read, the named graph they belong in and
the ``SourceDocument`` they came from. ``registry`` declares every source with its inputs and
the sources it needs; ``build.pipeline`` runs them in that order and ``build.provenance`` turns
the documents into DCAT/PROV descriptions. The sources know nothing of stores or validation.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, Quad, Triple

CORPUS_ORIGIN = "https://github.com/datamindedbe/demo-elections2024-website"
CORPUS_LICENSE = "https://opensource.org/licenses/MIT"


@dataclass(frozen=True)
class SourceDocument:
    """One file under ``data/`` that facts come from."""

    slug: str
    title: str
    path: Path
    """Absolute path of the file as read."""
    relative_path: str
    """Its path under the data folder, as recorded in the graph (stable across machines)."""
    origin: str
    license: str
    media_type: str

    def sha256(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class SourceGraph:
    """The triples one source contributes to one named graph."""

    name: NamedNode
    title: str
    document: SourceDocument
    triples: tuple[Triple, ...]

    def quads(self) -> list[Quad]:
        return [Quad(t.subject, t.predicate, t.object, self.name) for t in self.triples]


__all__ = ["CORPUS_LICENSE", "CORPUS_ORIGIN", "SourceDocument", "SourceGraph"]
