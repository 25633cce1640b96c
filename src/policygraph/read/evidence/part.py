"""The evidence of one part of the agreement: a section or a chapter, and its assessments.

Its text, its place (chapter, parent, children), the organisations it names, and each report
that assesses it, with its claims, the decisions each claim cites, and a timeline of them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from pyoxigraph import NamedNode, QuerySolution

from policygraph.read.describe import LANGUAGES
from policygraph.read.evidence.rows import (
    CitedDecision,
    Link,
    date_of,
    decision_order,
    int_of,
    link_to,
    local_name,
    number_key,
    prefer,
    select_rows,
    text,
)
from policygraph.store import GraphStore


@dataclass(frozen=True)
class Claim:
    iri: str
    position: int
    part: str | None
    """The local name of the report part: summary, details or conclusion."""
    theme: str | None
    text: str
    decisions: tuple[CitedDecision, ...]


@dataclass(frozen=True)
class Reference:
    """Entry ``[n]`` of a report's list of references, and the decision it resolves to."""

    iri: str
    number: int
    title: str | None
    date: date | None
    decision: CitedDecision | None


@dataclass(frozen=True)
class Report:
    iri: str
    title: str
    summary: str | None
    conclusion: str | None
    claims: tuple[Claim, ...]
    decisions: tuple[CitedDecision, ...]
    """Every decision the report cites, in date order: the timeline."""
    references: tuple[Reference, ...] = ()
    """Its numbered references, in their order: what the ``[n]`` markers of its text cite."""

    @property
    def reference_numbers(self) -> frozenset[int]:
        return frozenset(r.number for r in self.references)


@dataclass(frozen=True)
class PartEvidence:
    """A section or a chapter of the agreement and its assessment."""

    iri: str
    number: str | None
    title: str
    text: str | None
    chapter: Link | None
    parent: Link | None
    children: tuple[Link, ...]
    reports: tuple[Report, ...]
    named_by: tuple[Link, ...]
    """Organisations whose name the text mentions."""

    @property
    def timeline(self) -> tuple[CitedDecision, ...]:
        seen: dict[str, CitedDecision] = {}
        for report in self.reports:
            for decision in report.decisions:
                seen.setdefault(decision.iri, decision)
        return tuple(sorted(seen.values(), key=decision_order))


_PART = """
SELECT ?s ?number ?title ?text ?chapter ?parent WHERE {
  { ?s a pg:Section } UNION { ?s a pg:Chapter } UNION { ?s a pg:CoalitionAgreement }
  OPTIONAL { ?s pg:sectionNumber|pg:chapterNumber ?number }
  OPTIONAL { ?s dct:title ?title }
  OPTIONAL { ?s pg:text ?text }
  OPTIONAL { ?s pg:inChapter ?chapter }
  OPTIONAL { ?s dct:isPartOf ?parent }
}
"""
_CHILDREN = """
SELECT ?s ?child ?number ?title ?position WHERE {
  ?s dct:hasPart ?child .
  OPTIONAL { ?child pg:sectionNumber|pg:chapterNumber ?number }
  OPTIONAL { ?child dct:title ?title }
  OPTIONAL { ?child pg:position ?position }
}
"""
_REPORTS = """
SELECT ?s ?report ?title ?summary ?conclusion WHERE {
  ?report pg:assesses ?s .
  OPTIONAL { ?report dct:title ?title }
  OPTIONAL { ?report pg:summary ?summary }
  OPTIONAL { ?report pg:conclusion ?conclusion }
}
"""
_CLAIMS = """
SELECT ?s ?report ?claim ?position ?part ?theme ?text ?decision ?date ?dtitle WHERE {
  ?report pg:assesses ?s ; pg:hasClaim ?claim .
  OPTIONAL { ?claim pg:position ?position }
  OPTIONAL { ?claim pg:inPart ?part }
  OPTIONAL { ?claim pg:theme ?theme }
  OPTIONAL { ?claim pg:claimText ?text }
  OPTIONAL {
    ?claim cito:citesAsEvidence ?decision .
    OPTIONAL { ?decision dct:date ?date }
    OPTIONAL { ?decision dct:title ?dtitle }
  }
}
"""
_REPORT_DECISIONS = """
SELECT ?s ?report ?decision ?date ?dtitle ?kind WHERE {
  ?report pg:assesses ?s ; cito:citesAsEvidence ?decision .
  OPTIONAL { ?decision dct:date ?date }
  OPTIONAL { ?decision dct:title ?dtitle }
  OPTIONAL { ?decision pg:decisionKind ?kind }
}
"""
_REFERENCES = """
SELECT ?s ?report ?ref ?n ?title ?rdate ?decision ?date ?dtitle WHERE {
  ?report pg:assesses ?s ; pg:hasReference ?ref .
  ?ref pg:referenceNumber ?n .
  OPTIONAL { ?ref dct:title ?title }
  OPTIONAL { ?ref dct:date ?rdate }
  OPTIONAL {
    ?ref pg:refersTo ?decision .
    OPTIONAL { ?decision dct:date ?date }
    OPTIONAL { ?decision dct:title ?dtitle }
  }
}
"""
_NAMED_BY = """
SELECT ?s ?org WHERE { ?org pg:mentionedIn ?s }
"""


def part_evidence(
    store: GraphStore, iri: NamedNode, language: str = LANGUAGES[0]
) -> PartEvidence | None:
    """The section or chapter ``iri`` with its assessments; None when it is neither."""
    rows = list(select_rows(store, _PART, s=iri))
    if not rows:
        return None
    first = rows[0]
    chapter = text(first, "chapter")
    parent = text(first, "parent")
    children = sorted(
        {text(r, "child") or "": r for r in select_rows(store, _CHILDREN, s=iri)}.values(),
        key=lambda r: (
            int_of(text(r, "position")),
            number_key(text(r, "number")),
            text(r, "title") or "",
        ),
    )
    title = prefer(rows, "title", language) or local_name(iri.value) or iri.value
    return PartEvidence(
        iri=iri.value,
        number=text(first, "number"),
        title=title,
        text=prefer(rows, "text", language),
        chapter=link_to(store, chapter, language) if chapter and chapter != iri.value else None,
        parent=link_to(store, parent, language) if parent else None,
        children=tuple(
            Link(
                text(r, "child") or "",
                " ".join(x for x in (text(r, "number"), text(r, "title")) if x)
                or (local_name(text(r, "child")) or ""),
            )
            for r in children
        ),
        reports=_reports(store, iri, language),
        named_by=tuple(
            sorted(
                (
                    link_to(store, text(r, "org") or "", language)
                    for r in select_rows(store, _NAMED_BY, s=iri)
                ),
                key=lambda link: link.label.lower(),
            )
        ),
    )


def _reports(store: GraphStore, iri: NamedNode, language: str) -> tuple[Report, ...]:
    heads: dict[str, list[QuerySolution]] = defaultdict(list)
    for row in select_rows(store, _REPORTS, s=iri):
        heads[text(row, "report") or ""].append(row)
    claims: dict[str, dict[str, dict[str, object]]] = defaultdict(dict)
    for row in select_rows(store, _CLAIMS, s=iri):
        report, claim = text(row, "report") or "", text(row, "claim") or ""
        entry = claims[report].setdefault(
            claim,
            {
                "position": int_of(text(row, "position")),
                "part": local_name(text(row, "part")),
                "theme": text(row, "theme"),
                "text": text(row, "text") or "",
                "decisions": {},
            },
        )
        decision = text(row, "decision")
        if decision is not None:
            decisions = entry["decisions"]
            assert isinstance(decisions, dict)
            decisions.setdefault(
                decision,
                CitedDecision(decision, date_of(text(row, "date")), text(row, "dtitle") or ""),
            )
    cited: dict[str, dict[str, CitedDecision]] = defaultdict(dict)
    for row in select_rows(store, _REPORT_DECISIONS, s=iri):
        decision = text(row, "decision") or ""
        cited[text(row, "report") or ""].setdefault(
            decision,
            CitedDecision(
                decision,
                date_of(text(row, "date")),
                text(row, "dtitle") or "",
                local_name(text(row, "kind")),
            ),
        )
    references = _references(store, iri, language)
    reports = []
    for report, rows in sorted(heads.items()):
        report_claims = []
        for claim, entry in claims[report].items():
            decisions = entry["decisions"]
            assert isinstance(decisions, dict)
            report_claims.append(
                Claim(
                    iri=claim,
                    position=int(str(entry["position"])),
                    part=entry["part"] if isinstance(entry["part"], str) else None,
                    theme=entry["theme"] if isinstance(entry["theme"], str) else None,
                    text=str(entry["text"]),
                    decisions=tuple(sorted(decisions.values(), key=decision_order)),
                )
            )
        reports.append(
            Report(
                iri=report,
                title=prefer(rows, "title", language) or local_name(report) or report,
                summary=prefer(rows, "summary", language),
                conclusion=prefer(rows, "conclusion", language),
                claims=tuple(sorted(report_claims, key=lambda c: (c.position, c.iri))),
                decisions=tuple(sorted(cited[report].values(), key=decision_order)),
                references=references.get(report, ()),
            )
        )
    return tuple(reports)


def _references(
    store: GraphStore, iri: NamedNode, language: str
) -> dict[str, tuple[Reference, ...]]:
    rows: dict[tuple[str, str], list[QuerySolution]] = defaultdict(list)
    for row in select_rows(store, _REFERENCES, s=iri):
        rows[(text(row, "report") or "", text(row, "ref") or "")].append(row)
    found: dict[str, list[Reference]] = defaultdict(list)
    for (report, ref), ref_rows in rows.items():
        first = ref_rows[0]
        decision = text(first, "decision")
        found[report].append(
            Reference(
                iri=ref,
                number=int_of(text(first, "n")),
                title=prefer(ref_rows, "title", language),
                date=date_of(text(first, "rdate")),
                decision=(
                    CitedDecision(
                        decision,
                        date_of(text(first, "date")),
                        prefer(ref_rows, "dtitle", language) or "",
                    )
                    if decision
                    else None
                ),
            )
        )
    return {
        report: tuple(sorted(refs, key=lambda r: (r.number, r.iri)))
        for report, refs in found.items()
    }


__all__ = ["Claim", "PartEvidence", "Reference", "Report", "part_evidence"]
