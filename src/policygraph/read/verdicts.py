"""The verdicts researchers code: annotations read from the graphs of their accounts.

Every account writes into a named graph of its own, ``{base}/graph/annotations/{account}``; an
annotation (W3C Web Annotation) targets a section, a claim or a reference, is motivated by
``oa:assessing`` (a verdict from the scale ``pgc:verdicts``), ``oa:editing`` (a correction of
a citation) or ``oa:commenting``, and may cite decisions as evidence. A retraction keeps the
annotation and dates it (``pg:retractedAt``). The current verdict of an account for a target
is its newest assessing annotation not retracted; every other one is history.

The graphs are read with ``GRAPH ?graph`` restricted to the annotations' graphs (by their
path, bound, never spliced, whatever the base IRI): a triple held by two graphs is read once
per graph, and an annotation is known by the graph, hence the account, it is in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from pyoxigraph import Literal, NamedNode, QuerySolution, QuerySolutions, Variable

from policygraph.namespaces import PGC
from policygraph.read.evidence.rows import (
    PROLOGUE,
    CitedDecision,
    Link,
    date_of,
    local_name,
    moment_of,
    number_key,
    select_rows,
    text,
)
from policygraph.store import GraphStore

GRAPH_PATH = "/graph/annotations/"
VERDICTS = PGC["verdicts"]
_OA = "PREFIX oa: <http://www.w3.org/ns/oa#>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"


@dataclass(frozen=True)
class Verdict:
    """One value of the scale, as the store defines it."""

    iri: str
    notation: str
    label: str
    definition: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Annotation:
    iri: str
    graph: str
    target: str
    motivation: str
    """``assessing``, ``editing`` or ``commenting``."""
    annotator: Link
    created: datetime
    retracted: datetime | None
    verdict: Verdict | None
    comment: str | None
    evidence: tuple[CitedDecision, ...]
    corrected: str | None = None
    evidence_ids: tuple[str, ...] = ()
    """The evidence decisions' ids (``mu:uuid``), in the order of ``evidence``."""

    @property
    def account(self) -> str:
        return self.annotator.label


@dataclass(frozen=True)
class SectionVerdicts:
    target: str
    current: tuple[Annotation, ...]
    """The current verdict of each annotator, by annotator."""
    history: tuple[Annotation, ...]
    """Every annotation on the section or on what its assessment says, newest first."""


@dataclass(frozen=True)
class ChapterVerdicts:
    chapter: Link
    number: str | None
    counts: dict[str, int]
    """Current verdicts (one per section and annotator) per notation."""

    @property
    def total(self) -> int:
        return sum(self.counts.values())


_ANNOTATIONS = """
SELECT ?path ?graph ?annotation ?target ?motivation ?creator ?nick ?created ?retracted ?verdict
       ?comment ?corrected WHERE {
  GRAPH ?graph {
    ?annotation a oa:Annotation ; oa:hasTarget ?target ; oa:motivatedBy ?motivation ;
                dct:creator ?creator ; dct:created ?created .
    OPTIONAL { ?annotation pg:retractedAt ?retracted }
    OPTIONAL { ?annotation oa:hasBody ?body . ?body rdf:value ?comment }
    OPTIONAL { ?annotation pg:correctedDecision ?corrected }
    OPTIONAL { ?annotation oa:hasBody ?verdict . FILTER (isIRI(?verdict)) }
    OPTIONAL { ?creator foaf:nick ?nick }
  }
  FILTER (CONTAINS(STR(?graph), ?path))
}
"""
_EVIDENCE = """
SELECT ?path ?annotation ?decision ?date ?title ?uuid WHERE {
  GRAPH ?graph { ?annotation pg:evidenceDecision ?decision }
  FILTER (CONTAINS(STR(?graph), ?path))
  OPTIONAL { ?decision mu:uuid ?uuid }
  OPTIONAL { ?decision dct:date ?date }
  OPTIONAL { ?decision dct:title ?title }
}
"""
_SCALE = """
SELECT ?scheme ?language ?concept ?notation ?label ?definition ?note WHERE {
  ?concept skos:inScheme ?scheme ; skos:notation ?notation .
  OPTIONAL { ?concept skos:prefLabel ?label FILTER (LANG(?label) = ?language) }
  OPTIONAL { ?concept skos:definition ?definition FILTER (LANG(?definition) = ?language) }
  OPTIONAL { ?concept skos:note ?note FILTER (LANG(?note) = ?language || LANG(?note) = "") }
}
"""
_TARGETS = """
SELECT DISTINCT ?section ?target WHERE { ?report pg:assesses ?section ; ?link ?target }
"""
_SECTIONS = """
SELECT ?section ?number ?chapter ?chapterNumber ?chapterTitle WHERE {
  ?section pg:inChapter? ?chapter .
  ?chapter a pg:Chapter .
  OPTIONAL { ?section pg:sectionNumber|pg:chapterNumber ?number }
  OPTIONAL { ?chapter pg:chapterNumber ?chapterNumber }
  OPTIONAL { ?chapter dct:title ?chapterTitle }
}
"""


def verdict_scale(store: GraphStore, language: str) -> tuple[Verdict, ...]:
    """The scale's verdicts in the order of the scale (kept … not rateable)."""
    rows = _query(store, _SCALE, scheme=VERDICTS, language=Literal(language))
    found: dict[str, dict[str, object]] = {}
    for row in rows:
        iri = text(row, "concept") or ""
        entry = found.setdefault(iri, {"notes": set()})
        for name in ("notation", "label", "definition"):
            entry[name] = entry.get(name) or text(row, name)
        note = text(row, "note")
        if note:
            entry["notes"].add(note)  # type: ignore[attr-defined]
    verdicts = [
        Verdict(
            iri,
            str(e["notation"]),
            str(e.get("label") or e["notation"]),
            str(e.get("definition") or ""),
            tuple(sorted(e["notes"])),  # type: ignore[call-overload]
        )
        for iri, e in found.items()
    ]
    return tuple(sorted(verdicts, key=lambda v: _ORDER.get(v.notation, len(_ORDER))))


# The order of the scale, from a pledge fulfilled to one that cannot be rated.
_ORDER = {
    notation: index
    for index, notation in enumerate(
        ("kept", "partly-kept", "in-progress", "stalled", "broken", "not-rateable")
    )
}


def all_annotations(store: GraphStore, language: str) -> tuple[Annotation, ...]:
    """Every annotation of every account, newest first."""
    prefix = Literal(GRAPH_PATH)
    scale = {v.iri: v for v in verdict_scale(store, language)}
    evidence: dict[str, set[CitedDecision]] = defaultdict(set)
    ids: dict[str, str] = {}
    for row in _query(store, _EVIDENCE, path=prefix):
        ids[text(row, "decision") or ""] = (
            text(row, "uuid") or local_name(text(row, "decision")) or ""
        )
        evidence[text(row, "annotation") or ""].add(
            CitedDecision(
                text(row, "decision") or "",
                date_of(text(row, "date")),
                text(row, "title") or local_name(text(row, "decision")) or "",
            )
        )
    found: dict[str, Annotation] = {}
    for row in _query(store, _ANNOTATIONS, path=prefix):
        iri = text(row, "annotation") or ""
        verdict = scale.get(text(row, "verdict") or "")
        known = found.get(iri)
        if known is not None and (known.verdict is not None or verdict is None):
            continue
        creator = text(row, "creator") or ""
        cited = tuple(sorted(evidence[iri], key=lambda d: (d.date is None, d.date, d.iri)))
        found[iri] = Annotation(
            iri=iri,
            graph=text(row, "graph") or "",
            target=text(row, "target") or "",
            motivation=local_name(text(row, "motivation")) or "",
            annotator=Link(creator, text(row, "nick") or local_name(creator) or creator),
            created=moment_of(text(row, "created")),
            retracted=moment_of(text(row, "retracted")) if text(row, "retracted") else None,
            verdict=verdict,
            comment=text(row, "comment"),
            evidence=cited,
            corrected=text(row, "corrected"),
            evidence_ids=tuple(ids[d.iri] for d in cited),
        )
    return tuple(sorted(found.values(), key=lambda a: (a.created, a.iri), reverse=True))


def current(found: Iterable[Annotation]) -> tuple[Annotation, ...]:
    """Per target and annotator, the newest verdict not retracted (``found`` newest first)."""
    chosen: dict[tuple[str, str], Annotation] = {}
    for annotation in found:
        if annotation.motivation != "assessing" or annotation.verdict is None:
            continue
        if annotation.retracted is None:
            chosen.setdefault((annotation.target, annotation.annotator.iri), annotation)
    return tuple(sorted(chosen.values(), key=lambda a: (a.target, a.account)))


def section_verdicts(store: GraphStore, section: NamedNode, language: str) -> SectionVerdicts:
    # The section itself, and what its assessment links to (its claims, its references).
    targets = {text(row, "target") for row in select_rows(store, _TARGETS, section=section)}
    targets.add(section.value)
    mine = tuple(a for a in all_annotations(store, language) if a.target in targets)
    on_section = [a for a in mine if a.target == section.value]
    return SectionVerdicts(target=section.value, current=current(on_section), history=mine)


@dataclass(frozen=True)
class SectionPlace:
    number: str
    chapter: Link
    chapter_number: str | None


def section_places(store: GraphStore) -> dict[str, SectionPlace]:
    """Each part of an agreement: its number and its chapter."""
    places = {}
    for row in select_rows(store, _SECTIONS):
        chapter = text(row, "chapter") or ""
        places[text(row, "section") or ""] = SectionPlace(
            text(row, "number") or "",
            Link(chapter, text(row, "chapterTitle") or local_name(chapter) or chapter),
            text(row, "chapterNumber"),
        )
    return places


def chapter_verdicts(store: GraphStore, language: str) -> tuple[ChapterVerdicts, ...]:
    """Per chapter with a current verdict: how many of each (one per section and annotator)."""
    places = section_places(store)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    chapters: dict[str, SectionPlace] = {}
    for annotation in current(all_annotations(store, language)):
        place = places.get(annotation.target)
        if place is None or annotation.verdict is None:
            continue
        chapters[place.chapter.iri] = place
        counts[place.chapter.iri][annotation.verdict.notation] += 1
    rows = [
        ChapterVerdicts(place.chapter, place.chapter_number, dict(counts[iri]))
        for iri, place in chapters.items()
    ]
    return tuple(sorted(rows, key=lambda r: (number_key(r.number), r.chapter.label)))


def _query(store: GraphStore, query: str, **bound: NamedNode | Literal) -> list[QuerySolution]:
    result = store.query(
        PROLOGUE + "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n" + _OA + query,
        substitutions={Variable(name): value for name, value in bound.items()},
    )
    if not isinstance(result, QuerySolutions):
        raise TypeError("expected SELECT solutions")
    return list(result)


__all__ = [
    "Annotation",
    "ChapterVerdicts",
    "SectionVerdicts",
    "Verdict",
    "all_annotations",
    "chapter_verdicts",
    "current",
    "section_places",
    "section_verdicts",
    "verdict_scale",
]
