"""Annotations as the writing side stores them, published through the real publishing path.

Two accounts, ``ann`` and ``bert``, each with a graph of their own. The story on section 4.3.2:
ann rates it "in-progress", then "partly-kept" citing two decisions and retracts the first;
bert rates it "stalled" and corrects one of the report's citations. Until the write endpoint
is merged, the graphs are published as a harvest publishes: ``publish(..., replace_all=False)``.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, Variable, serialize

from policygraph.build import publishing
from policygraph.build.publishing import PublishResult, publish
from policygraph.config import Settings
from policygraph.namespaces import DCT, FOAF, OA, PG, PROV, RDF, RDFS, XSD, Minter
from policygraph.sources import SourceDocument, SourceGraph
from policygraph.store.local import LocalStore

BASE = "https://data.policygraph.be"
MINTER = Minter(BASE)
SECTION = MINTER.thing(
    "regeerakkoord", "2019-2024", "sectie", "buitenlands-beleid-en-toerisme", "4.3.2"
)
REPORT = MINTER.thing(
    "regeerakkoord", "2019-2024", "beoordeling", "buitenlands-beleid-en-toerisme", "4.3.2"
)
PGC = "https://data.policygraph.be/ns/concept/"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "verdicts"
RDF_VALUE = RDF.value


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@dataclass
class Note:
    """One annotation as the write endpoint would store it."""

    account: str
    id: str
    target: NamedNode
    motivation: str
    created: datetime
    verdict: str | None = None
    comment: str | None = None
    evidence: tuple[NamedNode, ...] = ()
    corrected: NamedNode | None = None
    retracted: datetime | None = None

    @property
    def iri(self) -> NamedNode:
        return MINTER.thing("annotatie", self.account, self.id)

    def triples(self) -> list[Triple]:
        me, agent = self.iri, agent_of(self.account)
        triples = [
            Triple(me, RDF.type, OA.Annotation),
            Triple(me, OA.hasTarget, self.target),
            Triple(me, OA.motivatedBy, OA[self.motivation]),
            Triple(me, DCT.creator, agent),
            Triple(me, DCT.created, Literal(self.created.isoformat(), datatype=XSD.dateTime)),
        ]
        if self.verdict:
            triples.append(Triple(me, OA.hasBody, NamedNode(PGC + self.verdict)))
        if self.comment:
            body = NamedNode(me.value + "#comment")
            triples += [
                Triple(me, OA.hasBody, body),
                Triple(body, RDF.type, OA.TextualBody),
                Triple(body, RDF_VALUE, Literal(self.comment)),
                Triple(body, DCT.language, Literal("nl")),
                Triple(body, DCT["format"], Literal("text/plain")),
            ]
        triples += [Triple(me, PG.evidenceDecision, d) for d in self.evidence]
        if self.corrected is not None:
            triples.append(Triple(me, PG.correctedDecision, self.corrected))
        if self.retracted is not None:
            stamp = Literal(self.retracted.isoformat(), datatype=XSD.dateTime)
            triples.append(Triple(me, PG.retractedAt, stamp))
        return triples


def agent_of(account: str) -> NamedNode:
    return MINTER.thing("annotator", account)


@dataclass
class Account:
    name: str
    notes: list[Note] = field(default_factory=list)

    def graph(self, folder: Path) -> SourceGraph:
        agent = agent_of(self.name)
        triples = [
            Triple(agent, RDF.type, PROV.Agent),
            Triple(agent, RDF.type, FOAF.Agent),
            Triple(agent, FOAF.nick, Literal(self.name)),
            Triple(agent, RDFS.label, Literal(self.name)),
        ]
        for note in self.notes:
            triples += note.triples()
        path = folder / f"annotations-{self.name}.nt"
        path.write_bytes(serialize(triples, format=RdfFormat.N_TRIPLES) or b"")
        document = SourceDocument(
            slug=f"annotations-{self.name}",
            title=f"Annotaties van {self.name}",
            path=path,
            relative_path=path.name,
            origin=agent.value,
            license="https://creativecommons.org/licenses/by/4.0/",
            media_type="application/n-triples",
        )
        return SourceGraph(
            MINTER.graph("annotations", self.name),
            f"Annotaties van {self.name}",
            document,
            tuple(triples),
        )


def cited_decisions(store: LocalStore) -> list[NamedNode]:
    """The decisions 4.3.2's assessment cites, in IRI order."""
    rows = store.query(
        "SELECT DISTINCT ?s ?d WHERE { ?r <https://data.policygraph.be/ns/policygraph#assesses> "
        "?s ; <http://purl.org/spar/cito/citesAsEvidence> ?d } ORDER BY ?d",
        substitutions={Variable("s"): SECTION},
    )
    return [row["d"] for row in rows]  # type: ignore[union-attr]


def first_claim(store: LocalStore) -> NamedNode:
    rows = store.query(
        "SELECT ?r ?c WHERE { ?r <https://data.policygraph.be/ns/policygraph#hasClaim> ?c } "
        "ORDER BY ?c LIMIT 1",
        substitutions={Variable("r"): REPORT},
    )
    return next(iter(rows))["c"]  # type: ignore[index,return-value]


def copy_store(built: Settings, settings: Settings, folder: Path) -> Settings:
    """The built corpus as a store of its own: what is published here stays here. Its
    settings validate the annotations alone (the corpus was validated when it was built)."""
    backup = folder / "backup"
    shutil.rmtree(backup, ignore_errors=True)
    publishing.backup(built, backup)
    publishing.restore(settings, backup)
    shapes = folder / "shapes"
    shapes.mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "annotation.shapes.ttl", shapes)
    return settings.replace(shapes_dir=str(shapes))


@dataclass
class Story:
    settings: Settings
    ann: Account
    bert: Account
    decisions: list[NamedNode]
    claim: NamedNode
    results: list[PublishResult]


def tell(settings: Settings, folder: Path) -> Story:
    """Publish the two accounts' annotations in two steps, as two writes would."""
    store = LocalStore.open(settings.store_dir)
    decisions, claim = cited_decisions(store), first_claim(store)
    store.close()
    first = Note(
        "ann",
        "01JF0000000000000000000001",
        SECTION,
        "assessing",
        at("2025-01-10T09:00"),
        verdict="in-progress",
        comment="Eerste stappen gezet.",
    )
    ann = Account("ann", [first])
    bert = Account(
        "bert",
        [
            Note(
                "bert",
                "01JF0000000000000000000002",
                SECTION,
                "assessing",
                at("2025-01-11T10:00"),
                verdict="stalled",
                comment="Geen nieuwe beslissingen sinds 2022.",
                evidence=(decisions[0],),
            ),
        ],
    )
    results = [publish(settings, [ann.graph(folder), bert.graph(folder)], {}, replace_all=False)]
    first.retracted = at("2025-02-01T08:00")
    ann.notes.append(
        Note(
            "ann",
            "01JF0000000000000000000003",
            SECTION,
            "assessing",
            at("2025-02-01T08:00"),
            verdict="partly-kept",
            comment="Deels uitgevoerd, zie de beslissingen.",
            evidence=(decisions[0], decisions[1]),
        )
    )
    bert.notes.append(
        Note(
            "bert",
            "01JF0000000000000000000004",
            claim,
            "editing",
            at("2025-02-02T12:00"),
            comment="Deze bewering citeert de verkeerde beslissing.",
            corrected=decisions[1],
        )
    )
    results.append(
        publish(settings, [ann.graph(folder), bert.graph(folder)], {}, replace_all=False)
    )
    return Story(settings, ann, bert, decisions, claim, results)


__all__ = ["BASE", "SECTION", "Account", "Note", "Story", "copy_store", "tell"]
