"""The change log read back: the events of ``build.changelog``, for the Atom feed and the LDES.

An event is immutable once published and events are only appended, each later than those
before it, so a page of the stream (events in order of time, then IRI) that is full never
changes. A stream filtered by a section or an organisation keeps the events whose
``dct:subject`` names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pyoxigraph import Literal, NamedNode, QuerySolutions, Triple, Variable

from policygraph.build.changelog import changes_graph_name
from policygraph.namespaces import AS, DCT, OA, PG, PROV, RDF, XSD, Minter
from policygraph.read.evidence.rows import PROLOGUE, local_name, moment_of, text
from policygraph.store import GraphStore


@dataclass(frozen=True)
class Change:
    iri: str
    activity: str
    """``Create``, ``Update``, ``Delete`` or ``Undo`` (Activity Streams)."""
    what: str
    """``GovernmentDecision``, ``assessing``, ``editing`` or ``commenting``."""
    about: str
    at: datetime
    agent: str | None
    subjects: tuple[str, ...]
    title: str
    """The decision's title, or the verdict's label; empty when the store has neither."""
    account: str | None = None

    @property
    def key(self) -> str:
        """The words' key of its kind: ``feed_decision_create``, ``feed_annotation_undo``…"""
        if self.activity == "Undo":
            return "feed_annotation_undo"
        noun = "decision" if self.what == "GovernmentDecision" else self.what
        return f"feed_{noun}_{self.activity.lower()}"

    def triples(self) -> list[Triple]:
        """The event as the log states it: the member's own description."""
        me = NamedNode(self.iri)
        kind = AS[self.activity]
        what = PG[self.what] if self.what == "GovernmentDecision" else OA[self.what]
        triples = [
            Triple(me, RDF.type, kind),
            Triple(me, DCT.type, what),
            Triple(me, DCT.isVersionOf, NamedNode(self.about)),
            Triple(me, PROV.generatedAtTime, timestamp(self.at)),
        ]
        if self.agent:
            triples.append(Triple(me, PROV.wasAttributedTo, NamedNode(self.agent)))
        triples += [Triple(me, DCT.subject, NamedNode(s)) for s in self.subjects]
        return triples


_EVENTS = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT ?log ?language ?event ?activity ?what ?about ?at ?agent ?nick
       (GROUP_CONCAT(DISTINCT STR(?subject); SEPARATOR=" ") AS ?subjects)
       (SAMPLE(?decisionTitle) AS ?title) (SAMPLE(?verdictLabel) AS ?label) WHERE {
  GRAPH ?log {
    ?event dct:isVersionOf ?about ; prov:generatedAtTime ?at ; a ?activity ; dct:type ?what .
    OPTIONAL { ?event prov:wasAttributedTo ?agent }
    OPTIONAL { ?event dct:subject ?subject }
  }
  OPTIONAL { ?about dct:title ?decisionTitle }
  OPTIONAL { ?agent foaf:nick ?nick }
  OPTIONAL {
    ?about oa:hasBody ?verdict . ?verdict skos:prefLabel ?verdictLabel
    FILTER (LANG(?verdictLabel) = ?language)
  }
}
GROUP BY ?log ?language ?event ?activity ?what ?about ?at ?agent ?nick
"""


def changes(store: GraphStore, base_iri: str, language: str) -> tuple[Change, ...]:
    """Every event, oldest first."""
    bound: dict[Variable, NamedNode | Literal] = {
        Variable("log"): changes_graph_name(Minter(base_iri)),
        Variable("language"): Literal(language),
    }
    result = store.query(PROLOGUE + _EVENTS, substitutions=bound)
    if not isinstance(result, QuerySolutions):
        raise TypeError("expected SELECT solutions")
    found = [
        Change(
            iri=text(row, "event") or "",
            activity=local_name(text(row, "activity")) or "",
            what=local_name(text(row, "what")) or "",
            about=text(row, "about") or "",
            at=moment_of(text(row, "at")),
            agent=text(row, "agent"),
            subjects=tuple(sorted((text(row, "subjects") or "").split())),
            title=text(row, "title") or text(row, "label") or "",
            account=text(row, "nick"),
        )
        for row in result
    ]
    return tuple(sorted(found, key=lambda c: (c.at, c.iri)))


def concerning(found: tuple[Change, ...], *subjects: str | None) -> tuple[Change, ...]:
    """The events that concern every one of the given sections or organisations."""
    wanted = [s for s in subjects if s]
    return tuple(c for c in found if all(s in c.subjects for s in wanted))


def timestamp(moment: datetime) -> Literal:
    return Literal(moment.isoformat(), datatype=XSD.dateTime)


__all__ = ["Change", "changes", "concerning", "timestamp"]
