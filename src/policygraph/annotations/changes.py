"""The writes an account can make to its graph, each as what it does to the graph's quads and
what of them the shapes must see (``commit.Change``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from pyoxigraph import Literal, NamedNode, Quad, Triple

from policygraph.annotations.model import AccountNames, Annotation, as_quads
from policygraph.errors import AnnotationNotFoundError
from policygraph.namespaces import PG, RDF, XSD
from policygraph.store.local import LocalStore


def _with_description(quads: list[Quad], names: AccountNames) -> list[Quad]:
    return list(dict.fromkeys([*quads, *as_quads(names.described(), names.graph)]))


def _types_in(quads: list[Quad], iris: set[NamedNode]) -> list[Quad]:
    """What the graph itself says of the type of ``iris`` (an annotation a new one replaces,
    written in the same batch, is not in the published version yet)."""
    return [q for q in quads if q.subject in iris and q.predicate == RDF.type]


@dataclass(frozen=True)
class AddAnnotation:
    names: AccountNames
    annotation: Annotation

    @property
    def graph(self) -> NamedNode:
        return self.names.graph

    def apply(self, old: list[Quad], store: LocalStore) -> tuple[list[Quad], list[Quad]]:
        quads = self.annotation.quads(self.graph)
        new = _with_description([*old, *quads], self.names)
        described = as_quads(self.names.described(), self.graph)
        return new, [*quads, *described, *_types_in(old, self.annotation.mentioned())]


@dataclass(frozen=True)
class Retract:
    """Retraction keeps the annotation and says when it stopped holding."""

    names: AccountNames
    iri: NamedNode
    when: datetime

    @property
    def graph(self) -> NamedNode:
        return self.names.graph

    def apply(self, old: list[Quad], store: LocalStore) -> tuple[list[Quad], list[Quad]]:
        own = [
            q
            for q in old
            if isinstance(q.subject, NamedNode)
            and (q.subject == self.iri or q.subject.value.startswith(self.iri.value + "#"))
        ]
        if not any(q.subject == self.iri for q in own):
            raise AnnotationNotFoundError(f"no annotation {self.iri.value} in {self.graph.value}")
        if any(q.subject == self.iri and q.predicate == PG.retractedAt for q in own):
            return old, []  # retracted already: nothing changes
        stamp = Literal(self.when.astimezone(UTC).isoformat(), datatype=XSD.dateTime)
        retracted = Quad(self.iri, PG.retractedAt, stamp, self.graph)
        mentioned = {q.object for q in own if isinstance(q.object, NamedNode)}
        described = as_quads(self.names.described(), self.graph)
        return [*old, retracted], [*own, retracted, *described, *_types_in(old, mentioned)]


@dataclass(frozen=True)
class ReplaceGraph:
    """Graph Store PUT (``merge=False``) or POST (``merge=True``) of the account's graph."""

    names: AccountNames
    triples: tuple[Triple, ...]
    merge: bool

    @property
    def graph(self) -> NamedNode:
        return self.names.graph

    def apply(self, old: list[Quad], store: LocalStore) -> tuple[list[Quad], list[Quad]]:
        quads = as_quads(self.triples, self.graph)
        new = _with_description([*old, *quads] if self.merge else quads, self.names)
        return new, new


@dataclass(frozen=True)
class ClearGraph:
    """Graph Store DELETE: the graph is emptied, its history with it (the version's change log,
    ``changes/removed.nq``, and the versions before it keep what it held)."""

    names: AccountNames

    @property
    def graph(self) -> NamedNode:
        return self.names.graph

    def apply(self, old: list[Quad], store: LocalStore) -> tuple[list[Quad], list[Quad]]:
        return [], []
