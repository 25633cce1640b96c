"""What the annotation API does, callable without HTTP: who is writing, what they may write, and
the write itself (parse, bound, validate, publish).

One ``Annotations`` per process: it holds the accounts, the rate limit, the shapes loaded once
and the group committer. The web edge (``web/annotations.py``) turns requests into calls of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from pyoxigraph import NamedNode, Quad, RdfFormat

from policygraph.annotations.accounts import Account, AccountBook
from policygraph.annotations.changes import AddAnnotation, ClearGraph, ReplaceGraph, Retract
from policygraph.annotations.checking import WriteChecker
from policygraph.annotations.commit import Committer, Outcome, graph_etag
from policygraph.annotations.model import (
    AccountNames,
    from_json,
    from_rdf,
    graph_triples,
    make_annotation,
)
from policygraph.annotations.ratelimit import RateLimit
from policygraph.annotations.versions import Hook
from policygraph.config import Settings
from policygraph.errors import (
    AnnotationNotFoundError,
    BodyTooLargeError,
    ForbiddenError,
    UnsupportedMediaTypeError,
)
from policygraph.namespaces import Minter
from policygraph.store.local import LocalStore
from policygraph.store.open import open_engine

ANNOTATION_FORMATS: dict[str, RdfFormat | None] = {
    "application/json": None,  # the JSON form of the API, not JSON-LD
    "text/turtle": RdfFormat.TURTLE,
    "application/ld+json": RdfFormat.JSON_LD,
}
GRAPH_FORMATS: dict[str, RdfFormat] = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class Created:
    iri: NamedNode
    outcome: Outcome


class Annotations:
    def __init__(self, settings: Settings, *, hook: Hook | None = None) -> None:
        self.settings = settings
        self.minter = Minter(settings.base_iri)
        self.accounts = AccountBook(settings.store_dir)
        self.rate = RateLimit(
            settings.store_dir,
            per_minute=settings.annotation_rate_per_minute,
            burst=settings.annotation_burst,
        )
        self.committer = Committer(
            settings.store_dir,
            self.minter,
            WriteChecker(settings.shapes_dir, settings.ontology_dir),
            hook=hook,
            engine=partial(open_engine, settings) if settings.store_url else None,
        )

    def names(self, account: Account) -> AccountNames:
        return AccountNames(self.minter, account.name)

    def account_of_graph(self, graph: NamedNode) -> str | None:
        """The account whose graph ``graph`` is, or None for any other graph."""
        prefix = self.minter.graph("annotations").value + "/"
        rest = graph.value.removeprefix(prefix)
        if not graph.value.startswith(prefix) or not rest or "/" in rest:
            return None
        return rest

    def _bounded(self, body: bytes) -> bytes:
        if len(body) > self.settings.annotation_max_bytes:
            raise BodyTooLargeError(
                f"the body has {len(body)} bytes; a write may have "
                f"{self.settings.annotation_max_bytes}"
            )
        return body

    def _admit(self, account: Account, action: str) -> None:
        if not account.may(action):
            raise ForbiddenError(
                f"the account {account.name!r} ({account.role}) may not {action.replace('-', ' ')}"
            )
        self.rate.take(account.name)

    def create(
        self, account: Account, body: bytes, media_type: str, *, if_match: str | None = None
    ) -> Created:
        """A new annotation in the account's graph, from the JSON form, Turtle or JSON-LD."""
        if media_type not in ANNOTATION_FORMATS:
            raise UnsupportedMediaTypeError(
                f"an annotation is sent as {', '.join(ANNOTATION_FORMATS)}, not {media_type}"
            )
        self._admit(account, "annotate")
        body, names, now = self._bounded(body), self.names(account), datetime.now(UTC)
        fmt = ANNOTATION_FORMATS[media_type]
        annotation = from_json(body, names, now) if fmt is None else from_rdf(body, fmt, names, now)
        return self.add(AddAnnotation(names, annotation), if_match)

    def create_from_parts(
        self,
        account: Account,
        *,
        target: NamedNode,
        verdict: str | None,
        comment: str | None,
        language: str,
        evidence: list[NamedNode],
    ) -> Created:
        """A new annotation from a form's fields (the section page's)."""
        self._admit(account, "annotate")
        names = self.names(account)
        annotation = make_annotation(
            names,
            datetime.now(UTC),
            target=target,
            verdict=verdict,
            comment=comment,
            language=language,
            evidence=evidence,
        )
        return self.add(AddAnnotation(names, annotation), None)

    def add(self, change: AddAnnotation, if_match: str | None) -> Created:
        outcome = self.committer.submit(change, if_match=if_match)
        return Created(change.annotation.iri, outcome)

    def retract(self, account: Account, iri: NamedNode) -> Outcome:
        names = self.names(account)
        if not names.owns(iri) or "#" in iri.value:
            if self.minter.thing("annotatie", "x").value[:-1] in iri.value:
                raise ForbiddenError(f"{iri.value} is not an annotation of {account.name!r}")
            raise AnnotationNotFoundError(f"{iri.value} is not an annotation")
        self._admit(account, "annotate")
        return self.committer.submit(Retract(names, iri, datetime.now(UTC)))

    # --- the Graph Store ---------------------------------------------------------------------

    def read_graph(self, graph: NamedNode) -> tuple[list[Quad], str]:
        """A published annotation graph and its ETag (any reader: the graph is published)."""
        if self.account_of_graph(graph) is None:
            raise ForbiddenError(f"{graph.value} is not an annotation graph")
        store = LocalStore.open(self.settings.store_dir)
        try:
            quads = list(store.quads(graph))
        finally:
            store.close()
        return quads, graph_etag(quads)

    def write_graph(
        self,
        account: Account,
        graph: NamedNode,
        body: bytes | None,
        media_type: str | None,
        *,
        merge: bool,
        if_match: str | None,
    ) -> Outcome:
        """Graph Store PUT (replace), POST (``merge``) or DELETE (``body`` None)."""
        names = self.names(account)
        if graph != names.graph:
            raise ForbiddenError(
                f"the account {account.name!r} writes only its own graph {names.graph.value}"
            )
        if body is None:
            self._admit(account, "replace-graph")
            return self.committer.submit(ClearGraph(names), if_match=if_match)
        fmt = GRAPH_FORMATS.get(media_type or "")
        if fmt is None:
            raise UnsupportedMediaTypeError(
                f"a graph is sent as {', '.join(GRAPH_FORMATS)}, not {media_type}"
            )
        self._admit(account, "annotate" if merge else "replace-graph")
        triples = tuple(graph_triples(self._bounded(body), fmt, names))
        change = ReplaceGraph(names, triples, merge=merge)
        return self.committer.submit(change, if_match=if_match)
