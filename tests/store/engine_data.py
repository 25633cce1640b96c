"""The small dataset the remote-store tests load into every engine."""

from __future__ import annotations

from decimal import Decimal

from pyoxigraph import Literal, NamedNode, Quad

from policygraph.namespaces import DCT, MU, PG, PGC, PROV, RDF, SKOS, XSD, Minter

BASE = "https://data.policygraph.be"
PREFIX = BASE + "/graph/"


def small_fixture() -> list[Quad]:
    """A few chapters, sections, reports and decisions in four graphs, with awkward literals."""
    minter = Minter(BASE)
    decisions_graph = minter.graph("beslissingen")
    agreement = minter.within("2019-2024")
    agreement_graph = agreement.graph()
    build_graph = minter.graph("build")
    quads: list[Quad] = []

    def add(graph: NamedNode, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        quads.append(Quad(s, p, o, graph))

    chapters = {c: agreement.chapter(c) for c in ("economie", "onderwijs")}
    for slug, chapter in chapters.items():
        add(agreement_graph, chapter, RDF.type, PG.Chapter)
        add(agreement_graph, chapter, DCT.title, Literal(slug.capitalize(), language="nl"))
    sections = {}
    for n, (slug, number) in enumerate(
        [("economie", "1.1"), ("economie", "1.2"), ("onderwijs", "2.1"), ("onderwijs", "2.2")]
    ):
        section = agreement.section(slug, number)
        sections[number] = section
        add(agreement_graph, section, RDF.type, PG.Section)
        add(agreement_graph, section, PG.sectionNumber, Literal(number))
        add(agreement_graph, section, PG.position, Literal(str(n + 1), datatype=XSD.integer))
        if number != "2.2":  # one section outside any chapter link
            add(agreement_graph, section, PG.inChapter, chapters[slug])
    texts = {
        0: 'Tekst met "aanhalingstekens", een \\ en\neen nieuwe regel.',
        1: "Économie: accents é ü ß, and an emoji 🇧🇪.",
        2: "Lange tekst. " * 400,
        3: "<b>geen markup</b> & co",
    }
    decisions = []
    for k in range(6):
        uuid = f"5E00000000000000000000{k:02X}"
        decision = minter.decision(uuid)
        decisions.append(decision)
        add(decisions_graph, decision, RDF.type, PG.GovernmentDecision)
        add(decisions_graph, decision, MU.uuid, Literal(uuid))
        add(decisions_graph, decision, PG.decisionKind, PGC.nota if k % 2 else PGC.mededeling)
        add(
            decisions_graph,
            decision,
            DCT.date,
            Literal(f"202{k % 3}-0{k + 1}-15", datatype=XSD.date),
        )
        if k != 4:
            add(decisions_graph, decision, DCT.title, Literal(f"Beslissing {k}", language="nl"))
        add(
            decisions_graph,
            decision,
            PROV.value,
            Literal(texts.get(k, f"Tekst {k}"), language="nl"),
        )
        add(
            decisions_graph,
            decision,
            PG.amount,
            Literal(str(Decimal("1000.50") * k), datatype=XSD.decimal),
        )
        add(
            decisions_graph,
            decision,
            PROV.generatedAtTime,
            Literal(f"2021-0{k + 1}-15T10:00:00Z", datatype=XSD.dateTime),
        )
    cited = {"1.1": [0, 1, 2], "1.2": [2], "2.1": [3, 2]}
    for number, indexes in cited.items():
        report_graph = agreement.report_graph("x", number)
        report = agreement.report("x", number)
        add(report_graph, report, RDF.type, PG.AssessmentReport)
        add(report_graph, report, PG.assesses, sections[number])
        add(report_graph, report, DCT.title, Literal(f"Rapport {number}", language="nl"))
        for position, index in enumerate(indexes):
            reference = agreement.reference("x", number, position)
            add(report_graph, report, PG.hasReference, reference)
            add(report_graph, reference, PG.refersTo, decisions[index])
            add(
                report_graph,
                reference,
                PG.referenceNumber,
                Literal(str(position), datatype=XSD.integer),
            )
            add(
                report_graph,
                report,
                NamedNode("http://purl.org/spar/cito/citesAsEvidence"),
                decisions[index],
            )
    add(build_graph, minter.thing("dataset", "policygraph"), PG.version, Literal("small-1"))
    add(agreement_graph, PGC.nota, SKOS.prefLabel, Literal("nota", language="nl"))
    return quads
