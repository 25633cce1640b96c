"""The change log: what each published version changed, kept as immutable events.

The store keeps only its last versions, each with the quads it added and removed; a feed of
history needs more. So every publish that revises a version derives events from what it
changed and appends them to the named graph ``{base}/graph/wijzigingen``, which each later
publish carries forward (a whole rebuild included). An event is a version object, a member of
the Linked Data Event Stream (``read.changes``, ``/ldes``, ``/feed.atom``):

- a decision added (``as:Create``), changed (``as:Update``, any statement about it added or
  removed) or gone (``as:Delete``), with ``dct:type pg:GovernmentDecision``;
- an annotation created (``as:Create``) or retracted (``as:Undo``, ``pg:retractedAt`` added),
  with its motivation as ``dct:type`` (``oa:assessing`` a verdict, ``oa:editing`` a correction,
  ``oa:commenting``) and its author as ``prov:wasAttributedTo``.

Each says what it is a version of (``dct:isVersionOf``), when (``prov:generatedAtTime``, the
publish's time) and, as ``dct:subject``, the sections and organisations it concerns, so that a
feed can be filtered by either. The first publish into an empty store is the baseline and
gives no events: the stream of a fresh build is empty.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pyoxigraph import (
    Literal,
    NamedNode,
    Quad,
    QuerySolutions,
    RdfFormat,
    Store,
    Triple,
    Variable,
    serialize,
)

from policygraph.build.provenance import checksum_node, describe_sources
from policygraph.namespaces import AS, DCT, OA, PG, PROV, RDF, XSD, Minter
from policygraph.sources import SourceDocument, SourceGraph

CHANGES_GRAPH = "wijzigingen"
EVENT_KIND = "wijziging"
ANNOTATIONS_GRAPH = "annotations"
SNAPSHOT = Path("changes") / "wijzigingen.nt"
LICENSE = "https://opensource.org/licenses/MIT"


@dataclass(frozen=True)
class Event:
    activity: NamedNode
    """``as:Create``, ``as:Update``, ``as:Delete`` or ``as:Undo``."""
    about: NamedNode
    what: NamedNode
    """``pg:GovernmentDecision`` or the annotation's motivation."""
    agent: NamedNode | None = None


def changes_graph_name(minter: Minter) -> NamedNode:
    return minter.graph(CHANGES_GRAPH)


def annotation_graph_prefix(minter: Minter) -> str:
    """Every account's annotations are in a graph whose IRI starts with this."""
    return minter.graph(ANNOTATIONS_GRAPH).value + "/"


def change_events(old: Sequence[Quad], new: Sequence[Quad], minter: Minter) -> list[Event]:
    """The events between two contents (the change log's own graph left out of both)."""
    log = changes_graph_name(minter)
    old_set = {q for q in old if q.graph_name != log}
    new_set = {q for q in new if q.graph_name != log}
    touched = {q.subject for q in old_set ^ new_set}
    events: list[Event] = []
    was, now = _decisions(old_set), _decisions(new_set)
    decision = PG.GovernmentDecision
    events += [Event(AS.Create, d, decision) for d in sorted(now - was, key=str)]
    events += [Event(AS.Update, d, decision) for d in sorted(now & was & touched, key=str)]
    events += [Event(AS.Delete, d, decision) for d in sorted(was - now, key=str)]

    prefix = annotation_graph_prefix(minter)
    before, after = _annotations(old_set, prefix), _annotations(new_set, prefix)
    motivation = {q.subject: q.object for q in new_set if q.predicate == OA.motivatedBy}
    creator = {q.subject: q.object for q in new_set if q.predicate == DCT.creator}
    retracted = {
        q.subject
        for q in new_set - old_set
        if q.predicate == PG.retractedAt and isinstance(q.subject, NamedNode)
    }

    def event(activity: NamedNode, annotation: NamedNode) -> Event:
        what, agent = motivation.get(annotation), creator.get(annotation)
        return Event(
            activity,
            annotation,
            what if isinstance(what, NamedNode) else OA.commenting,
            agent if isinstance(agent, NamedNode) else None,
        )

    events += [event(AS.Create, a) for a in sorted(after - before, key=str)]
    events += [event(AS.Undo, a) for a in sorted(retracted & after, key=str)]
    return events


def event_triples(
    events: Iterable[Event], new: Sequence[Quad] | Store, minter: Minter, when: datetime
) -> list[Triple]:
    """The events as version objects, each with the sections and organisations it concerns
    (read from ``new``, the content they are events of)."""
    events = list(events)
    if not events:
        return []
    if isinstance(new, Store):
        store = new
    else:
        store = Store()
        store.extend(new)
    stamp = _timestamp(when)
    triples: list[Triple] = []
    for event in events:
        key = f"{event.activity.value}|{event.about.value}|{stamp.value}"
        iri = minter.thing(EVENT_KIND, hashlib.sha256(key.encode()).hexdigest()[:24])
        triples += [
            Triple(iri, RDF.type, event.activity),
            Triple(iri, DCT.type, event.what),
            Triple(iri, DCT.isVersionOf, event.about),
            Triple(iri, PROV.generatedAtTime, stamp),
        ]
        if event.agent is not None:
            triples.append(Triple(iri, PROV.wasAttributedTo, event.agent))
        triples += [Triple(iri, DCT.subject, s) for s in _concerned(store, event.about)]
    return triples


def changes_source(store_dir: Path, triples: Sequence[Triple], minter: Minter) -> SourceGraph:
    """The change log as a source graph, its triples kept in a file beside the store (the
    document its provenance points at)."""
    path = Path(store_dir) / SNAPSHOT
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    with tmp.open("wb") as stream:
        serialize(sorted(triples, key=str), stream, format=RdfFormat.N_TRIPLES)
    tmp.replace(path)
    document = SourceDocument(
        slug=CHANGES_GRAPH,
        title="Wijzigingen in policygraph per gepubliceerde versie / changes per published version",
        path=path.resolve(),
        relative_path=str(SNAPSHOT),
        origin=minter.base + "/",
        license=LICENSE,
        media_type="application/n-triples",
    )
    return SourceGraph(
        name=changes_graph_name(minter),
        title="Wijzigingen / changes",
        document=document,
        triples=tuple(triples),
    )


def append_events(
    store: Store, store_dir: Path, events: Sequence[Event], minter: Minter, when: datetime
) -> tuple[list[Quad], list[Quad]]:
    """Append ``events`` to the change log of a version's ``store`` in place, with the log's
    description in the sources graph renewed (its document, its checksum, its size); return
    the quads added and removed. For a publish that changes a few quads of a version (an
    annotation), where carrying the whole content through ``publish`` would cost seconds."""
    if not events:
        return [], []
    log = changes_graph_name(minter)
    logged = [q.triple for q in store.quads_for_pattern(None, None, None, log)]
    source = changes_source(
        store_dir, [*logged, *event_triples(events, store, minter, when)], minter
    )
    described = describe_sources([source], minter)
    sources = minter.graph("bronnen")
    document = minter.source(source.document.slug)
    stale_subjects = {log, document, checksum_node(document)}
    removed = list(store.quads_for_pattern(None, None, None, log))
    removed += [
        q
        for subject in stale_subjects
        for q in store.quads_for_pattern(subject, None, None, sources)
    ]
    added = [*source.quads(), *(described.quads() if described else [])]
    old, new = set(removed), set(added)
    removed, added = [q for q in removed if q not in new], [q for q in added if q not in old]
    for quad in removed:
        store.remove(quad)
    store.extend(added)
    return added, removed


def _decisions(quads: Iterable[Quad]) -> set[NamedNode]:
    return _typed(quads, PG.GovernmentDecision)


def _annotations(quads: Iterable[Quad], prefix: str) -> set[NamedNode]:
    """The annotations typed in a graph under ``prefix`` (the researchers' graphs)."""
    return _typed(
        (
            q
            for q in quads
            if isinstance(q.graph_name, NamedNode) and q.graph_name.value.startswith(prefix)
        ),
        OA.Annotation,
    )


def _typed(quads: Iterable[Quad], cls: NamedNode) -> set[NamedNode]:
    """The IRIs the quads say are of type ``cls``."""
    return {
        q.subject
        for q in quads
        if q.predicate == RDF.type and q.object == cls and isinstance(q.subject, NamedNode)
    }


# What a thing concerns, asked one step at a time with the thing bound in a triple pattern
# (a bound variable is not in scope inside a BIND of a group of its own).
_PROLOGUE = """
PREFIX pg: <https://data.policygraph.be/ns/policygraph#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
_TARGETS = "SELECT ?thing ?found WHERE { ?thing oa:hasTarget ?found }"
_IS_PART = "SELECT ?thing ?found WHERE { ?thing pg:sectionNumber|pg:chapterNumber ?found }"
_ASSESSED = "SELECT DISTINCT ?thing ?found WHERE { ?report pg:assesses ?found ; ?link ?thing }"
_MENTIONING = "SELECT DISTINCT ?thing ?found WHERE { ?found pg:mentionedIn ?thing }"
_ORGANISATIONS = """SELECT DISTINCT ?thing ?found WHERE {
  ?thing ?link ?found . ?found a/rdfs:subClassOf* org:FormalOrganization
}"""


def _concerned(store: Store, thing: NamedNode) -> list[NamedNode]:
    """The sections a thing concerns (itself when it is one; those whose assessment links to it,
    a decision it cites or a claim it makes; those its target, for an annotation, concerns),
    then the organisations named in those sections or linked from the thing itself."""
    targets = [thing, *_found(store, _TARGETS, thing)]
    sections: set[NamedNode] = set()
    for target in targets:
        if _found(store, _IS_PART, target):
            sections.add(target)
        sections.update(_found(store, _ASSESSED, target))
    found = set(sections) | set(_found(store, _ORGANISATIONS, thing))
    for section in sections:
        found.update(_found(store, _MENTIONING, section))
    return sorted(found, key=str)


def _found(store: Store, query: str, thing: NamedNode) -> list[NamedNode]:
    rows = store.query(
        _PROLOGUE + query, substitutions={Variable("thing"): thing}, use_default_graph_as_union=True
    )
    if not isinstance(rows, QuerySolutions):
        raise TypeError("expected SELECT solutions")
    return [row["found"] for row in rows if isinstance(row["found"], NamedNode)]


def _timestamp(when: datetime) -> Literal:
    return Literal(when.isoformat(), datatype=XSD.dateTime)


__all__ = [
    "CHANGES_GRAPH",
    "Event",
    "annotation_graph_prefix",
    "append_events",
    "change_events",
    "changes_graph_name",
    "changes_source",
    "event_triples",
]
