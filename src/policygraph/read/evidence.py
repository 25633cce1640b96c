"""The evidence the graph holds about one part of the agreement, one organisation, or all of it.

These are the values the human pages show: for a section (or a chapter), its text, its
assessments, each claim with the decisions it cites and a timeline of them; for an organisation,
the sections that name it and the decisions and campaigns that concern it; for the agreement,
how much of it is covered by cited decisions, and the decisions per month.

Each function runs a few SPARQL queries with the resource bound through ``substitutions``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from pyoxigraph import Literal, NamedNode, QuerySolution, QuerySolutions, Variable

from policygraph.namespaces import PREFIXES, sparql_prologue
from policygraph.read.describe import LANGUAGES, best_literal, labels_for
from policygraph.store import GraphStore

_PROLOGUE = sparql_prologue(("pg", "pgc", "dct", "cito", "skos", "rdfs", "prov", "schema", "mu"))


@dataclass(frozen=True)
class Link:
    """A resource and the words to show for it."""

    iri: str
    label: str


@dataclass(frozen=True)
class CitedDecision:
    iri: str
    date: date | None
    title: str
    kind: str | None = None


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
class Report:
    iri: str
    title: str
    summary: str | None
    conclusion: str | None
    claims: tuple[Claim, ...]
    decisions: tuple[CitedDecision, ...]
    """Every decision the report cites, in date order: the timeline."""


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
        return tuple(sorted(seen.values(), key=_decision_order))


@dataclass(frozen=True)
class OrganisationEvidence:
    iri: str
    label: str
    alt_labels: tuple[str, ...]
    sections: tuple[Link, ...]
    """Sections whose text names the organisation."""
    cited_for_sections: tuple[CitedDecision, ...]
    """Decisions the assessments of those sections cite."""
    campaigns: tuple[Link, ...]
    linked_decisions: tuple[CitedDecision, ...]
    """Decisions that link to the organisation directly (a first page of them)."""
    linked_decisions_total: int


@dataclass(frozen=True)
class ChapterCoverage:
    chapter: Link
    number: str | None
    sections: int
    """Parts of the chapter to assess: sections with text of their own (or the chapter itself,
    when it is one section), and any other part that has an assessment."""
    assessed: int
    """Of those, the parts that have an assessment."""
    with_evidence: int
    """Of those, the parts whose assessment cites at least one decision."""

    @property
    def without_evidence(self) -> int:
        """Assessed, but the assessment cites no decision."""
        return self.assessed - self.with_evidence

    @property
    def not_assessed(self) -> int:
        return self.sections - self.assessed


@dataclass(frozen=True)
class MonthCount:
    month: str
    """YYYY-MM."""
    decisions: int
    cited: int
    """Of those, the decisions an assessment cites."""


@dataclass(frozen=True)
class Overview:
    coverage: tuple[ChapterCoverage, ...]
    months: tuple[MonthCount, ...]
    counts: dict[str, int] = field(default_factory=dict)


def _rows(store: GraphStore, query: str, **bound: NamedNode) -> Iterator[QuerySolution]:
    result = store.query(
        _PROLOGUE + query, substitutions={Variable(k): v for k, v in bound.items()} or None
    )
    if not isinstance(result, QuerySolutions):
        raise TypeError("expected SELECT solutions")
    yield from result


def _text(row: QuerySolution, name: str) -> str | None:
    term = row[name]
    return None if term is None else str(term.value)


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _decision_order(decision: CitedDecision) -> tuple[date, str]:
    return (decision.date or date.max, decision.iri)


def _local_name(iri: str | None) -> str | None:
    if iri is None:
        return None
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _link(store: GraphStore, iri: str, language: str) -> Link:
    label = labels_for(store, [NamedNode(iri)], language).get(iri)
    return Link(iri, label or _local_name(iri) or iri)


def _prefer(rows: list[QuerySolution], name: str, language: str) -> str | None:
    """The value of ``name`` in the wanted language, else in another, else any."""
    chosen = best_literal((row[name] for row in rows if isinstance(row[name], Literal)), language)
    return None if chosen is None else chosen.value


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
_NAMED_BY = """
SELECT ?s ?org WHERE { ?org pg:mentionedIn ?s }
"""


def part_evidence(
    store: GraphStore, iri: NamedNode, language: str = LANGUAGES[0]
) -> PartEvidence | None:
    """The section or chapter ``iri`` with its assessments; None when it is neither."""
    rows = list(_rows(store, _PART, s=iri))
    if not rows:
        return None
    first = rows[0]
    chapter = _text(first, "chapter")
    parent = _text(first, "parent")
    children = sorted(
        {_text(r, "child") or "": r for r in _rows(store, _CHILDREN, s=iri)}.values(),
        key=lambda r: (
            _int(_text(r, "position")),
            _number_key(_text(r, "number")),
            _text(r, "title") or "",
        ),
    )
    title = _prefer(rows, "title", language) or _local_name(iri.value) or iri.value
    return PartEvidence(
        iri=iri.value,
        number=_text(first, "number"),
        title=title,
        text=_prefer(rows, "text", language),
        chapter=_link(store, chapter, language) if chapter and chapter != iri.value else None,
        parent=_link(store, parent, language) if parent else None,
        children=tuple(
            Link(
                _text(r, "child") or "",
                " ".join(x for x in (_text(r, "number"), _text(r, "title")) if x)
                or (_local_name(_text(r, "child")) or ""),
            )
            for r in children
        ),
        reports=_reports(store, iri, language),
        named_by=tuple(
            sorted(
                (
                    _link(store, _text(r, "org") or "", language)
                    for r in _rows(store, _NAMED_BY, s=iri)
                ),
                key=lambda link: link.label.lower(),
            )
        ),
    )


def _reports(store: GraphStore, iri: NamedNode, language: str) -> tuple[Report, ...]:
    heads: dict[str, list[QuerySolution]] = defaultdict(list)
    for row in _rows(store, _REPORTS, s=iri):
        heads[_text(row, "report") or ""].append(row)
    claims: dict[str, dict[str, dict[str, object]]] = defaultdict(dict)
    for row in _rows(store, _CLAIMS, s=iri):
        report, claim = _text(row, "report") or "", _text(row, "claim") or ""
        entry = claims[report].setdefault(
            claim,
            {
                "position": _int(_text(row, "position")),
                "part": _local_name(_text(row, "part")),
                "theme": _text(row, "theme"),
                "text": _text(row, "text") or "",
                "decisions": {},
            },
        )
        decision = _text(row, "decision")
        if decision is not None:
            decisions = entry["decisions"]
            assert isinstance(decisions, dict)
            decisions.setdefault(
                decision,
                CitedDecision(decision, _date(_text(row, "date")), _text(row, "dtitle") or ""),
            )
    cited: dict[str, dict[str, CitedDecision]] = defaultdict(dict)
    for row in _rows(store, _REPORT_DECISIONS, s=iri):
        decision = _text(row, "decision") or ""
        cited[_text(row, "report") or ""].setdefault(
            decision,
            CitedDecision(
                decision,
                _date(_text(row, "date")),
                _text(row, "dtitle") or "",
                _local_name(_text(row, "kind")),
            ),
        )
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
                    decisions=tuple(sorted(decisions.values(), key=_decision_order)),
                )
            )
        reports.append(
            Report(
                iri=report,
                title=_prefer(rows, "title", language) or _local_name(report) or report,
                summary=_prefer(rows, "summary", language),
                conclusion=_prefer(rows, "conclusion", language),
                claims=tuple(sorted(report_claims, key=lambda c: (c.position, c.iri))),
                decisions=tuple(sorted(cited[report].values(), key=_decision_order)),
            )
        )
    return tuple(reports)


_ORGANISATION = """
SELECT ?s ?label ?alt WHERE {
  { ?s skos:prefLabel ?label } UNION { ?s skos:altLabel ?alt }
}
"""
_ORG_SECTIONS = """
SELECT ?s ?section ?number ?title ?chapterTitle WHERE {
  ?s pg:mentionedIn ?section .
  OPTIONAL { ?section pg:sectionNumber ?number }
  OPTIONAL { ?section dct:title ?title }
  OPTIONAL { ?section pg:inChapter/dct:title ?chapterTitle }
}
"""
_ORG_CITED = """
SELECT DISTINCT ?s ?decision ?date ?dtitle WHERE {
  ?s pg:mentionedIn ?section .
  ?report pg:assesses ?section ; cito:citesAsEvidence ?decision .
  OPTIONAL { ?decision dct:date ?date }
  OPTIONAL { ?decision dct:title ?dtitle }
}
"""
_ORG_CAMPAIGNS = """
SELECT DISTINCT ?s ?campaign WHERE { ?campaign a pg:Campaign ; ?p ?s }
"""
_ORG_DECISIONS_COUNT = """
SELECT ?s (COUNT(DISTINCT ?decision) AS ?n) WHERE { ?decision a pg:GovernmentDecision ; ?p ?s }
GROUP BY ?s
"""
_ORG_DECISIONS = """
SELECT ?s ?decision ?date ?dtitle WHERE {
  { SELECT DISTINCT ?s ?decision WHERE { ?decision a pg:GovernmentDecision ; ?p ?s } }
  OPTIONAL { ?decision dct:date ?date }
  OPTIONAL { ?decision dct:title ?dtitle }
}
ORDER BY DESC(?date) ?decision
LIMIT %d
"""


def organisation_evidence(
    store: GraphStore, iri: NamedNode, language: str = LANGUAGES[0], *, limit: int = 50
) -> OrganisationEvidence | None:
    """The organisation ``iri`` and what concerns it; None when it has no skos:prefLabel."""
    rows = list(_rows(store, _ORGANISATION, s=iri))
    label = _prefer([r for r in rows if r["label"] is not None], "label", language)
    if label is None:
        return None
    sections = []
    for row in _rows(store, _ORG_SECTIONS, s=iri):
        words = " ".join(x for x in (_text(row, "number"), _text(row, "title")) if x)
        chapter = _text(row, "chapterTitle")
        sections.append(
            Link(_text(row, "section") or "", f"{chapter}: {words}" if chapter else words)
        )
    cited = {
        _text(r, "decision") or "": CitedDecision(
            _text(r, "decision") or "", _date(_text(r, "date")), _text(r, "dtitle") or ""
        )
        for r in _rows(store, _ORG_CITED, s=iri)
    }
    total = sum(int(r["n"].value) for r in _rows(store, _ORG_DECISIONS_COUNT, s=iri))
    linked: dict[str, CitedDecision] = {}
    if total:
        for r in _rows(store, _ORG_DECISIONS % int(limit), s=iri):
            decision = _text(r, "decision") or ""
            linked.setdefault(
                decision, CitedDecision(decision, _date(_text(r, "date")), _text(r, "dtitle") or "")
            )
    return OrganisationEvidence(
        iri=iri.value,
        label=label,
        alt_labels=tuple(sorted({_text(r, "alt") or "" for r in rows if r["alt"] is not None})),
        sections=tuple(sorted(set(sections), key=lambda link: link.label)),
        cited_for_sections=tuple(sorted(cited.values(), key=_decision_order)),
        campaigns=tuple(
            sorted(
                {
                    _link(store, _text(r, "campaign") or "", language)
                    for r in _rows(store, _ORG_CAMPAIGNS, s=iri)
                },
                key=lambda link: link.label,
            )
        ),
        linked_decisions=tuple(linked.values()),
        linked_decisions_total=total,
    )


_COVERAGE_CHAPTERS = """
SELECT ?chapter ?number ?title WHERE {
  ?chapter a pg:Chapter .
  OPTIONAL { ?chapter pg:chapterNumber ?number }
  OPTIONAL { ?chapter dct:title ?title }
}
"""
_COVERAGE_PARTS = """
SELECT DISTINCT ?chapter ?part ?assessed ?evidenced WHERE {
  ?chapter a pg:Chapter .
  ?part pg:inChapter? ?chapter .
  { ?part pg:text ?text } UNION { ?someReport pg:assesses ?part }
  BIND (EXISTS { ?report pg:assesses ?part } AS ?assessed)
  BIND (EXISTS { ?citing pg:assesses ?part ; cito:citesAsEvidence ?decision } AS ?evidenced)
}
"""
_MONTHS = """
SELECT ?month (COUNT(DISTINCT ?decision) AS ?decisions) (COUNT(DISTINCT ?cited) AS ?citedCount)
WHERE {
  ?decision a pg:GovernmentDecision ; dct:date ?date .
  BIND (SUBSTR(STR(?date), 1, 7) AS ?month)
  OPTIONAL {
    ?report a pg:AssessmentReport ; cito:citesAsEvidence ?decision .
    BIND (?decision AS ?cited)
  }
}
GROUP BY ?month ORDER BY ?month
"""
_COUNTS = {
    "sections": "pg:Section",
    "chapters": "pg:Chapter",
    "reports": "pg:AssessmentReport",
    "claims": "pg:Claim",
    "decisions": "pg:GovernmentDecision",
    "organisations": "org:FormalOrganization",
    "campaigns": "pg:Campaign",
}
_COUNT_CLASSES = """
SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?class } GROUP BY ?class
"""


def overview(store: GraphStore, language: str = LANGUAGES[0]) -> Overview:
    """Coverage of the agreement per chapter, decisions per month, and a few totals."""
    titles: dict[str, list[QuerySolution]] = defaultdict(list)
    for row in _rows(store, _COVERAGE_CHAPTERS):
        titles[_text(row, "chapter") or ""].append(row)
    parts: dict[str, dict[str, tuple[bool, bool]]] = defaultdict(dict)
    for row in _rows(store, _COVERAGE_PARTS):
        chapter_parts = parts[_text(row, "chapter") or ""]
        chapter_parts[_text(row, "part") or ""] = (
            _text(row, "assessed") == "true",
            _text(row, "evidenced") == "true",
        )
    coverage = []
    for chapter, rows in titles.items():
        covered = parts.get(chapter, {})
        coverage.append(
            ChapterCoverage(
                chapter=Link(
                    chapter, _prefer(rows, "title", language) or _local_name(chapter) or ""
                ),
                number=_text(rows[0], "number"),
                sections=len(covered),
                assessed=sum(assessed for assessed, _ in covered.values()),
                with_evidence=sum(evidenced for _, evidenced in covered.values()),
            )
        )
    coverage.sort(key=lambda c: (_number_key(c.number), c.chapter.label))
    months = tuple(
        MonthCount(
            _text(r, "month") or "",
            int(_text(r, "decisions") or 0),
            int(_text(r, "citedCount") or 0),
        )
        for r in _rows(store, _MONTHS)
    )
    by_class = {_text(r, "class"): int(_text(r, "n") or 0) for r in _rows(store, _COUNT_CLASSES)}
    counts = {}
    for name, curie in _COUNTS.items():
        prefix, local = curie.split(":")
        counts[name] = by_class.get(PREFIXES[prefix] + local, 0)
    return Overview(coverage=tuple(coverage), months=months, counts=counts)


def _int(text: str | None) -> int:
    try:
        return int(text) if text is not None else 0
    except ValueError:
        return 0


def _number_key(number: str | None) -> tuple[int, ...]:
    if not number:
        return (10**6,)
    return tuple(_int(part) for part in number.split(".") if part.isdigit()) or (10**6,)
