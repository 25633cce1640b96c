"""A realistic synthetic policygraph dataset of any size, in our own ontology (docs/model.md).

Twenty years of government decisions (2005–2024), a coalition agreement's chapters and
sections, assessment reports whose claims and references cite decisions (one named graph per
report, as the build makes them), agencies mentioned in sections, and campaigns. The size is
set in triples; the proportions follow the real corpus, so the same queries stay meaningful.
Deterministic: the same size gives the same graph.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from pyoxigraph import Literal, NamedNode, Quad

BASE = "https://data.policygraph.be"
PG = "https://data.policygraph.be/ns/policygraph#"
PGC = "https://data.policygraph.be/ns/concept/"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD = "http://www.w3.org/2001/XMLSchema#"
MU_UUID = NamedNode("http://mu.semte.ch/vocabularies/core/uuid")
CITES = NamedNode("http://purl.org/spar/cito/citesAsEvidence")
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "http://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"

CHAPTERS = (
    "Buitenlands beleid en toerisme",
    "Energie en klimaat",
    "Onderwijs",
    "Welzijn",
    "Economie",
    "Mobiliteit en openbare werken",
    "Omgeving",
    "Financien en begroting",
    "Justitie",
    "Media",
    "Landbouw en visserij",
    "Samenleven",
    "Gelijke kansen",
    "Onroerend erfgoed",
    "Cultuur",
    "Sport",
    "Wonen",
    "Werk",
    "Bestuurszaken",
    "Kanselarij en bestuur",
)
AGENCIES = (
    ("fit", "Flanders Investment & Trade", "FIT"),
    ("toerisme-vlaanderen", "Toerisme Vlaanderen", None),
    ("sport-vlaanderen", "Sport Vlaanderen", None),
    ("vito", "Vlaamse Instelling voor Technologisch Onderzoek", "VITO"),
    ("vib", "Vlaams Instituut voor Biotechnologie", "VIB"),
    ("vlir", "Vlaamse Interuniversitaire Raad", "VLIR"),
    ("de-lijn", "De Lijn", None),
    ("vdab", "Vlaamse Dienst voor Arbeidsbemiddeling", "VDAB"),
    ("vmm", "Vlaamse Milieumaatschappij", "VMM"),
    ("aov", "Agentschap Onderwijsdiensten", "AgODi"),
)
TOPICS = (
    "klimaat",
    "energie",
    "onderwijs",
    "zorg",
    "mobiliteit",
    "economie",
    "relance",
    "corona",
    "toerisme",
    "innovatie",
    "digitalisering",
    "wonen",
    "water",
    "landbouw",
    "cultuur",
    "sport",
    "brexit",
    "export",
    "begroting",
    "armoede",
    "justitie",
    "media",
    "erfgoed",
    "werk",
)
TRIPLES_PER_DECISION = 14.4  # decisions, and the sections, reports and references that cite them


def n(local: str) -> NamedNode:
    return NamedNode(f"{BASE}/id/{local}")


def lit(value: str, datatype: str | None = None, language: str | None = None) -> Literal:
    if datatype is not None:
        return Literal(value, datatype=NamedNode(XSD + datatype))
    return Literal(value, language=language)


def quads(target_triples: int, seed: int = 20240101) -> Iterator[Quad]:
    """About ``target_triples`` quads (within a few per cent)."""
    rng = random.Random(seed)
    decisions = max(100, int(target_triples / TRIPLES_PER_DECISION))
    sections = max(20, decisions // 11)
    start = date(2005, 1, 1)
    days = (date(2024, 12, 31) - start).days

    g_decisions = NamedNode(f"{BASE}/graph/beslissingen")
    kinds = (NamedNode(PGC + "nota"), NamedNode(PGC + "mededeling"))
    government = n("organisatie/vlaamse-regering")
    decision_dates: list[date] = []
    for i in range(decisions):
        d = n(f"beslissing/D{i:07d}")
        when = start + timedelta(days=rng.randrange(days))
        decision_dates.append(when)
        topic, other = rng.sample(TOPICS, 2)
        yield Quad(d, RDF_TYPE, NamedNode(PG + "GovernmentDecision"), g_decisions)
        yield Quad(d, MU_UUID, lit(f"D{i:07d}"), g_decisions)
        yield Quad(d, NamedNode(PG + "decisionKind"), kinds[i % 2], g_decisions)
        yield Quad(d, NamedNode(DCT + "date"), lit(when.isoformat(), "date"), g_decisions)
        yield Quad(
            d,
            NamedNode(DCT + "title"),
            lit(f"Beslissing over {topic} en {other} ({i})", language="nl"),
            g_decisions,
        )
        yield Quad(
            d,
            NamedNode(PROV + "value"),
            lit(f"De Vlaamse Regering keurt de nota over {topic} goed. " * 2, language="nl"),
            g_decisions,
        )
        yield Quad(
            d,
            NamedNode(SCHEMA + "url"),
            lit(
                f"https://beslissingenvlaamseregering.vlaanderen.be/document-views/D{i:07d}",
                "anyURI",
            ),
            g_decisions,
        )
        yield Quad(d, NamedNode(PROV + "wasAttributedTo"), government, g_decisions)

    g_agreement = NamedNode(f"{BASE}/graph/regeerakkoord/2019-2024")
    agreement = n("regeerakkoord/2019-2024")
    yield Quad(agreement, RDF_TYPE, NamedNode(PG + "CoalitionAgreement"), g_agreement)
    chapter_nodes = []
    for c, title in enumerate(CHAPTERS):
        slug = title.lower().replace(" ", "-")
        chapter = n(f"hoofdstuk/{slug}")
        chapter_nodes.append((slug, chapter))
        yield Quad(chapter, RDF_TYPE, NamedNode(PG + "Chapter"), g_agreement)
        yield Quad(chapter, NamedNode(DCT + "title"), lit(title, language="nl"), g_agreement)
        yield Quad(chapter, NamedNode(PG + "chapterNumber"), lit(str(c + 1)), g_agreement)
        yield Quad(agreement, NamedNode(DCT + "hasPart"), chapter, g_agreement)

    section_nodes = []
    for s in range(sections):
        slug, chapter = chapter_nodes[s % len(chapter_nodes)]
        round_, chapter_number = divmod(s, len(chapter_nodes))
        number = f"{chapter_number + 1}.{round_ // 10 + 1}.{round_ % 10 + 1}"
        section = n(f"sectie/{slug}/{number}")
        section_nodes.append(section)
        topic = rng.choice(TOPICS)
        yield Quad(section, RDF_TYPE, NamedNode(PG + "Section"), g_agreement)
        yield Quad(section, NamedNode(PG + "sectionNumber"), lit(number), g_agreement)
        yield Quad(
            section,
            NamedNode(DCT + "title"),
            lit(f"Sectie over {topic}", language="nl"),
            g_agreement,
        )
        yield Quad(
            section,
            NamedNode(PG + "text"),
            lit(f"We zetten in op {topic} in heel Vlaanderen.", language="nl"),
            g_agreement,
        )
        yield Quad(section, NamedNode(PG + "inChapter"), chapter, g_agreement)
        yield Quad(section, NamedNode(DCT + "isPartOf"), chapter, g_agreement)
        yield Quad(
            section,
            NamedNode(PG + "position"),
            lit(str(s // len(chapter_nodes) + 1), "integer"),
            g_agreement,
        )

        if s % 10 == 9:  # one section in ten has no assessment
            continue
        report = n(f"beoordeling/{slug}/{number}")
        g_report = NamedNode(f"{BASE}/graph/regeerakkoord/2019-2024/beoordeling/{slug}/{number}")
        cited = rng.sample(range(decisions), 6)
        yield Quad(report, RDF_TYPE, NamedNode(PG + "AssessmentReport"), g_report)
        yield Quad(report, NamedNode(PG + "assesses"), section, g_report)
        yield Quad(
            report, NamedNode(DCT + "title"), lit(f"Beoordeling {number}", language="nl"), g_report
        )
        yield Quad(
            report,
            NamedNode(PG + "summary"),
            lit(f"De regering heeft werk gemaakt van {topic}.", language="nl"),
            g_report,
        )
        for r, decision in enumerate(cited):
            reference = n(f"referentie/{slug}/{number}/{r}")
            yield Quad(report, NamedNode(PG + "hasReference"), reference, g_report)
            yield Quad(report, CITES, n(f"beslissing/D{decision:07d}"), g_report)
            yield Quad(reference, RDF_TYPE, NamedNode(PG + "Reference"), g_report)
            yield Quad(
                reference,
                NamedNode(PG + "referenceNumber"),
                lit(str(r), "nonNegativeInteger"),
                g_report,
            )
            yield Quad(
                reference,
                NamedNode(DCT + "date"),
                lit(decision_dates[decision].isoformat(), "date"),
                g_report,
            )
            yield Quad(reference, NamedNode(DCT + "isPartOf"), report, g_report)
            yield Quad(
                reference, NamedNode(PG + "refersTo"), n(f"beslissing/D{decision:07d}"), g_report
            )
        for k in range(4):
            claim = n(f"bewering/{slug}/{number}/{k + 1}")
            yield Quad(report, NamedNode(PG + "hasClaim"), claim, g_report)
            yield Quad(claim, RDF_TYPE, NamedNode(PG + "Claim"), g_report)
            yield Quad(
                claim,
                NamedNode(PG + "claimText"),
                lit(f"Er werd vooruitgang geboekt inzake {topic} [{k}].", language="nl"),
                g_report,
            )
            yield Quad(claim, NamedNode(PG + "position"), lit(str(k + 1), "integer"), g_report)
            yield Quad(claim, NamedNode(DCT + "isPartOf"), report, g_report)
            yield Quad(claim, CITES, n(f"beslissing/D{cited[k]:07d}"), g_report)

    g_orgs = NamedNode(f"{BASE}/graph/organisaties")
    for slug, label, acronym in AGENCIES:
        agency = n(f"organisatie/{slug}")
        yield Quad(agency, RDF_TYPE, NamedNode(PG + "Agency"), g_orgs)
        yield Quad(agency, NamedNode(SKOS + "prefLabel"), lit(label, language="nl"), g_orgs)
        if acronym:
            yield Quad(agency, NamedNode(SKOS + "altLabel"), lit(acronym, language="nl"), g_orgs)
        for section in rng.sample(section_nodes, min(len(section_nodes), 25)):
            yield Quad(agency, NamedNode(PG + "mentionedIn"), section, g_orgs)

    g_campaigns = NamedNode(f"{BASE}/graph/campagnes")
    for i in range(max(10, decisions // 300)):
        campaign = n(f"campagne/c{i}")
        slug, _, _ = AGENCIES[i % len(AGENCIES)]
        yield Quad(campaign, RDF_TYPE, NamedNode(PG + "Campaign"), g_campaigns)
        yield Quad(
            campaign,
            NamedNode(SCHEMA + "name"),
            lit(f"Campagne {rng.choice(TOPICS)} {i}", language="en"),
            g_campaigns,
        )
        yield Quad(campaign, NamedNode(SCHEMA + "organizer"), n(f"organisatie/{slug}"), g_campaigns)
        yield Quad(
            campaign,
            NamedNode(SCHEMA + "startDate"),
            lit((start + timedelta(days=rng.randrange(days))).isoformat(), "date"),
            g_campaigns,
        )


def decision_count(target_triples: int) -> int:
    return max(100, int(target_triples / TRIPLES_PER_DECISION))


__all__ = ["CHAPTERS", "TOPICS", "decision_count", "quads"]
