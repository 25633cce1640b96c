"""A parsed assessment report as RDF, in the terms of docs/model.md.

The report assesses a section (or, for a chapter that is one section, the chapter); its claims
and references are minted under the report's agreement, chapter and number. A claim cites the
references its markers name; a marker with no reference in the list is kept as
``pg:citesMissingReference n``, so that a shape can flag it instead of the link vanishing.
"""

from __future__ import annotations

from collections.abc import Mapping

from pyoxigraph import Literal, NamedNode, Triple

from policygraph.namespaces import CITO, DCT, PG, PGC, PROV, RDF, SCHEMA, XSD, AgreementMinter
from policygraph.sources.reports.model import ParsedClaim, ParsedReport


def _dutch(text: str) -> Literal:
    return Literal(text, language="nl")


def _count(number: int) -> Literal:
    return Literal(str(number), datatype=XSD.nonNegativeInteger)


def report_triples(
    report: ParsedReport,
    *,
    chapter_slug: str,
    iris: AgreementMinter,
    source: NamedNode,
    decisions: Mapping[int, NamedNode],
) -> list[Triple]:
    """The report, its claims and its references.

    ``decisions`` maps a reference number to the decision it resolves to; references missing
    from it get no ``pg:refersTo``. ``source`` is the report's source document.
    """
    number = report.iri_number
    iri = iris.report(chapter_slug, number)
    assessed = (
        iris.chapter(chapter_slug)
        if number is None
        else iris.section(chapter_slug, report.section_number)
    )
    triples = [
        Triple(iri, RDF.type, PG.AssessmentReport),
        Triple(iri, PG.assesses, assessed),
        Triple(iri, DCT.title, _dutch(report.title)),
        Triple(iri, PG.quotedSectionText, _dutch(report.section_text)),
        Triple(iri, PROV.wasDerivedFrom, source),
    ]
    if report.summary:
        triples.append(Triple(iri, PG.summary, _dutch(report.summary)))
    if report.conclusion:
        triples.append(Triple(iri, PG.conclusion, _dutch(report.conclusion)))

    references: dict[int, NamedNode] = {}
    for ref in report.references:
        ref_iri = iris.reference(chapter_slug, number, ref.number)
        references[ref.number] = ref_iri
        triples += [
            Triple(iri, PG.hasReference, ref_iri),
            Triple(ref_iri, RDF.type, PG.Reference),
            Triple(ref_iri, PG.referenceNumber, _count(ref.number)),
            Triple(ref_iri, DCT.date, Literal(ref.date.isoformat(), datatype=XSD.date)),
            Triple(ref_iri, DCT.isPartOf, iri),
        ]
        if ref.title:
            triples.append(Triple(ref_iri, DCT.title, _dutch(ref.title)))
        if ref.url:
            triples.append(Triple(ref_iri, SCHEMA.url, Literal(ref.url, datatype=XSD.anyURI)))
        if ref.number in decisions:
            triples += [
                Triple(ref_iri, PG.refersTo, decisions[ref.number]),
                Triple(iri, CITO.citesAsEvidence, decisions[ref.number]),
            ]

    for claim in report.claims:
        claim_iri = iris.claim(chapter_slug, number, claim.position)
        triples += [Triple(iri, PG.hasClaim, claim_iri)]
        triples += _claim_triples(claim, claim_iri, iri, references, decisions)
    return list(dict.fromkeys(triples))  # a decision cited twice is one triple


def _claim_triples(
    claim: ParsedClaim,
    iri: NamedNode,
    report: NamedNode,
    references: Mapping[int, NamedNode],
    decisions: Mapping[int, NamedNode],
) -> list[Triple]:
    triples = [
        Triple(iri, RDF.type, PG.Claim),
        Triple(iri, PG.claimText, _dutch(claim.text)),
        Triple(iri, PG.position, Literal(str(claim.position), datatype=XSD.integer)),
        Triple(iri, PG.inPart, PGC[claim.part.value]),
        Triple(iri, DCT.isPartOf, report),
    ]
    if claim.theme:
        triples.append(Triple(iri, PG.theme, _dutch(claim.theme)))
    for number in claim.citations:
        if number not in references:
            triples.append(Triple(iri, PG.citesMissingReference, _count(number)))
            continue
        triples.append(Triple(iri, PG.citesReference, references[number]))
        if number in decisions:
            triples.append(Triple(iri, CITO.citesAsEvidence, decisions[number]))
    return triples


def decision_title_triple(decision: NamedNode, title: str) -> Triple:
    """The title a report's reference gives a decision the decisions file leaves untitled."""
    return Triple(decision, DCT.title, _dutch(title))


__all__ = ["decision_title_triple", "report_triples"]
