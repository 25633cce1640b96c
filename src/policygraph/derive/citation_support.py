"""How well each citation holds: every claim citing a decision, checked offline.

For each claim that cites a decision as evidence (``cito:citesAsEvidence``) the derivation
measures how much of the claim's vocabulary the decision shares (BM25, relative to the decision
that matches the claim best), whether the model was shown the decision, whether the decision is
dated within the agreement's period and the years the claim names, and which of the claim's
specific terms the decision names. The checks add up to a level (``support_levels``), kept with
them in a ``pg:CitationAssessment`` per citation in the graph ``{base}/graph/citatiesteun``, with
the counts per report, chapter and agreement (``support_summary``). The method is described in
``derive/methods/citatiesteun.md``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from pyoxigraph import Literal, NamedNode, QuerySolutions, Store, Triple

from policygraph.derive.claim_terms import (
    TermExtractor,
    decision_vocabulary,
    without_markers,
    years_spoken_of,
)
from policygraph.derive.decision_ranking import DecisionRanking
from policygraph.derive.derivation import Derivation, Derived
from policygraph.derive.support_levels import Checks, support_level
from policygraph.derive.support_summary import Placed, summary_triples
from policygraph.namespaces import (
    AGREEMENT_KIND,
    DCT,
    PG,
    PGC,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    XSD,
    Minter,
    sparql_prologue,
)
from policygraph.search.analyzer import fold

SLUG = "citatiesteun"
VERSION = "1"

_CITATIONS = (
    sparql_prologue()
    + """
SELECT ?claim ?text ?theme ?decision ?report ?chapter ?agreement WHERE {
  ?report pg:hasClaim ?claim ; pg:assesses ?part .
  ?claim cito:citesAsEvidence ?decision .
  OPTIONAL { ?claim pg:claimText ?text }
  OPTIONAL { ?claim pg:theme ?theme }
  OPTIONAL { ?part pg:inChapter ?inChapter }
  BIND (COALESCE(?inChapter, ?part) AS ?chapter)
  OPTIONAL { ?chapter dct:isPartOf ?agreement . ?agreement a pg:CoalitionAgreement }
}
"""
)
_CANDIDATES = (
    sparql_prologue()
    + """
SELECT ?report ?decision WHERE {
  ?report prov:wasGeneratedBy ?generation .
  ?generation a pg:AssessmentGeneration ; prov:used ?prompt .
  ?prompt a pg:ModelPrompt .
  OPTIONAL { ?prompt pg:hasCandidate/pg:candidateDecision ?decision }
}
"""
)
_PERIODS = (
    sparql_prologue()
    + """
SELECT ?agreement ?start ?end WHERE {
  ?agreement a pg:CoalitionAgreement ; pg:decidedBy ?government .
  ?government mandaat:bindingStart ?start ; mandaat:bindingEinde ?end .
}
"""
)


@dataclass(frozen=True)
class Citation:
    """A claim citing a decision, placed in its report, chapter and agreement."""

    claim: str
    text: str
    theme: str | None
    decision: str
    report: str
    chapter: str
    agreement: str | None


@dataclass(frozen=True)
class AssessedCitation:
    citation: Citation
    checks: Checks
    level: str


def _select(store: Store, query: str) -> Iterator[dict[str, str]]:
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, QuerySolutions)
    names = [variable.value for variable in solutions.variables]
    for row in solutions:
        yield {
            name: term.value for name in names if isinstance(term := row[name], NamedNode | Literal)
        }


def read_citations(store: Store) -> list[Citation]:
    """Every claim → decision citation of ``store``, in a stable order."""
    found = {}
    for row in _select(store, _CITATIONS):
        citation = Citation(
            claim=row["claim"],
            text=row.get("text", ""),
            theme=row.get("theme"),
            decision=row["decision"],
            report=row["report"],
            chapter=row["chapter"],
            agreement=row.get("agreement"),
        )
        found[(citation.claim, citation.decision)] = citation
    return [found[key] for key in sorted(found)]


def _candidates(store: Store) -> dict[str, set[str]]:
    shown: dict[str, set[str]] = defaultdict(set)
    for row in _select(store, _CANDIDATES):
        decisions = shown[row["report"]]
        if "decision" in row:
            decisions.add(row["decision"])
    return shown


def _periods(store: Store) -> dict[str, tuple[date, date]]:
    return {
        row["agreement"]: (date.fromisoformat(row["start"]), date.fromisoformat(row["end"]))
        for row in _select(store, _PERIODS)
    }


def assess_citations(store: Store, ranking: DecisionRanking) -> list[AssessedCitation]:
    """Every citation of ``store`` with its checks and level."""
    citations = read_citations(store)
    shown = _candidates(store)
    periods = _periods(store)
    decisions = ranking.decisions
    texts = {iri: " \n".join((*d.titles, d.text)) for iri, d in decisions.items()}
    words = {iri: frozenset(fold(text)) for iri, text in texts.items()}
    extractor = TermExtractor(words.values())
    cited = {c.decision for c in citations if c.decision in texts}
    vocabularies = {iri: decision_vocabulary(texts[iri], words[iri]) for iri in cited}
    by_claim: dict[str, list[Citation]] = defaultdict(list)
    for citation in citations:
        by_claim[citation.claim].append(citation)
    assessed = []
    for claim_citations in by_claim.values():
        first = claim_citations[0]
        claim_words = without_markers(first.text)
        best = ranking.rank(claim_words, 1)
        top = best[0].score if best else 0.0
        scores = ranking.scores(claim_words, [c.decision for c in claim_citations])
        terms = extractor.terms(first.text, first.theme)
        period = periods.get(first.agreement or "")
        spoken = years_spoken_of(first.text, period[0].year, period[1].year) if period else None
        for citation in claim_citations:
            known = decisions.get(citation.decision)
            day = date.fromisoformat(known.date[:10]) if known and known.date else None
            vocabulary = vocabularies.get(citation.decision)
            named = [t for t in terms if vocabulary is not None and vocabulary.names(t)]
            score = scores[citation.decision]
            checks = Checks(
                score=score,
                similarity=min(score / top, 1.0) if top > 0 else 0.0,
                among_candidates=(
                    citation.decision in shown[citation.report]
                    if citation.report in shown
                    else None
                ),
                inside_legislature=(period[0] <= day <= period[1] if period and day else None),
                inside_claim_period=(
                    spoken[0] <= day.year <= spoken[1] if spoken and day else None
                ),
                matched=tuple(t.text for t in named),
                missing=tuple(t.text for t in terms if t not in named),
            )
            assessed.append(AssessedCitation(citation, checks, support_level(checks)))
    return assessed


def assessment_iri(minter: Minter, claim: str, decision: str) -> NamedNode:
    """``{base}/id/regeerakkoord/{agreement}/citatiesteun/{chapter}/{number}/{k}/{decision id}``:
    the claim's own path with the kind ``citatiesteun`` and the decision's Kaleidos id."""
    prefix = f"{minter.base}/id/{AGREEMENT_KIND}/"
    agreement, kind, *rest = claim.removeprefix(prefix).split("/")
    if not claim.startswith(prefix) or kind != "bewering" or not rest:
        raise ValueError(f"not a claim of an agreement: {claim}")
    return minter.thing(AGREEMENT_KIND, agreement, SLUG, *rest, decision.rsplit("/", 1)[-1])


_TRUE, _FALSE = Literal("true", datatype=XSD.boolean), Literal("false", datatype=XSD.boolean)


def _boolean(value: bool) -> Literal:
    return _TRUE if value else _FALSE


def _count(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.nonNegativeInteger)


def assessment_triples(
    assessed: AssessedCitation, minter: Minter, method: NamedNode
) -> Iterator[Triple]:
    citation, checks = assessed.citation, assessed.checks
    node = assessment_iri(minter, citation.claim, citation.decision)
    claim, decision = NamedNode(citation.claim), NamedNode(citation.decision)
    yield Triple(node, RDF.type, PG.CitationAssessment)
    yield Triple(claim, PG.citationAssessment, node)
    yield Triple(node, PG.assessedClaim, claim)
    yield Triple(node, PG.assessedDecision, decision)
    yield Triple(node, PG.supportLevel, PGC[f"citation-{assessed.level}"])
    yield Triple(node, PG.supportScore, Literal(f"{checks.score:.4f}", datatype=XSD.decimal))
    yield Triple(
        node, PG.supportSimilarity, Literal(f"{checks.similarity:.4f}", datatype=XSD.decimal)
    )
    for predicate, value in (
        (PG.amongCandidates, checks.among_candidates),
        (PG.insideLegislature, checks.inside_legislature),
        (PG.insideClaimPeriod, checks.inside_claim_period),
    ):
        if value is not None:
            yield Triple(node, predicate, _boolean(value))
    yield Triple(node, PG.specificTermCount, _count(len(checks.matched) + len(checks.missing)))
    yield Triple(node, PG.matchedTermCount, _count(len(checks.matched)))
    for term in checks.matched:
        yield Triple(node, PG.matchedTerm, Literal(term))
    for term in checks.missing:
        yield Triple(node, PG.missingTerm, Literal(term))
    yield Triple(node, PG.assessmentMethod, method)


def method_triples(minter: Minter) -> Iterator[Triple]:
    """The method as a ``prov:Plan``, pointing to its description."""
    method = CITATION_SUPPORT.method(minter)
    yield Triple(method, RDF.type, PROV.Plan)
    yield Triple(method, DCT.title, Literal("Steun van citaties", language="nl"))
    yield Triple(method, DCT.title, Literal("Support of citations", language="en"))
    yield Triple(method, SCHEMA.version, Literal(VERSION))
    yield Triple(method, RDFS.seeAlso, minter.source(CITATION_SUPPORT.document(minter).slug))


def derive_citation_support(given: Derived) -> Iterable[Triple]:
    method = CITATION_SUPPORT.method(given.minter)
    assessed = assess_citations(given.store, given.ranking)
    yield from method_triples(given.minter)
    for one in assessed:
        yield from assessment_triples(one, given.minter, method)
    placed = (
        Placed(one.level, one.citation.report, one.citation.chapter, one.citation.agreement)
        for one in assessed
    )
    yield from summary_triples(placed, method)


CITATION_SUPPORT = Derivation(
    slug=SLUG,
    title="Steun van elke citatie in de beoordelingen",
    version=VERSION,
    derive=derive_citation_support,
)

__all__ = [
    "CITATION_SUPPORT",
    "AssessedCitation",
    "Citation",
    "assess_citations",
    "assessment_iri",
    "read_citations",
]
