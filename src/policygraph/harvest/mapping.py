"""Themis news items → our decisions: one ``pg:GovernmentDecision`` per news item.

The decision is minted from the Kaleidos id (``mu:uuid``) exactly as the corpus source mints it,
so a decision that both sources know is one subject with statements in two named graphs: the
corpus graph keeps what the corpus says, the Themis graph what Themis says. Nothing is
overwritten: when Themis titles a decision differently, the decision has two ``dct:title``
values, and ``GRAPH ?g { ?d dct:title ?t }`` tells which source says which (docs/model.md).

Themis IRIs are kept as links, never as our subjects: ``pg:themisNewsItem`` → the news item (a
news item is a publication about the decision, not the decision, hence no ``owl:sameAs``),
``dct:subject`` → the Themis theme concepts, ``pg:responsibleMinister`` → the Themis
``mandaat:Mandataris`` that Themis associates with the news item.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from pyoxigraph import Literal, NamedNode, Triple

from policygraph.harvest.themis import MEDEDELING_TYPE, NOTA_TYPE, NewsItem
from policygraph.namespaces import DCT, MU, PG, PGC, PROV, RDF, XSD, Minter
from policygraph.sources import SourceDocument, SourceGraph
from policygraph.sources.agreement.declaration import Agreement

THEMIS_GRAPH_SLUG = "themis"
KINDS = {NOTA_TYPE: PGC.nota, MEDEDELING_TYPE: PGC.mededeling}


# Kaleidos ids are 24 hex digits (older) or UUIDs (newer), as the decision shape says; anything
# else is not minted (and counted as skipped).
_KALEIDOS_ID = re.compile(
    r"^([0-9A-Fa-f]{24}|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})$"
)


def is_kaleidos_id(value: str) -> bool:
    return bool(_KALEIDOS_ID.match(value))


def decision_triples(
    item: NewsItem, minter: Minter, agreements: Sequence[Agreement]
) -> list[Triple]:
    """The triples Themis contributes about one decision; it is attributed to the composition
    of each declared agreement whose period it falls in (docs/model.md)."""
    if not is_kaleidos_id(item.uuid):
        raise ValueError(f"not a Kaleidos id: {item.uuid!r}")
    decision = minter.decision(item.uuid)
    day = item.date
    triples = [
        Triple(decision, RDF.type, PG.GovernmentDecision),
        Triple(decision, MU.uuid, Literal(item.uuid)),
        Triple(decision, DCT.date, Literal(day.isoformat(), datatype=XSD.date)),
        Triple(decision, PG.themisNewsItem, NamedNode(item.iri)),
    ]
    kind = KINDS.get(item.agendapunt_type or "")
    if kind is not None:
        triples.append(Triple(decision, PG.decisionKind, kind))
    if item.title:
        triples.append(Triple(decision, DCT.title, Literal(item.title.strip(), language="nl")))
    if item.alternative:
        triples.append(
            Triple(decision, DCT.alternative, Literal(item.alternative.strip(), language="nl"))
        )
    if item.text:
        triples.append(Triple(decision, PROV.value, Literal(item.text.strip(), language="nl")))
    triples += [Triple(decision, DCT.subject, NamedNode(theme)) for theme in item.subjects]
    triples += [
        Triple(decision, PG.responsibleMinister, NamedNode(minister)) for minister in item.ministers
    ]
    triples += [
        Triple(decision, PROV.wasAttributedTo, minter.organisation(a.government.composition))
        for a in agreements
        if a.in_office(day)
    ]
    return triples


def themis_graph(
    items: Iterable[NewsItem],
    minter: Minter,
    document: SourceDocument,
    agreements: Sequence[Agreement],
) -> SourceGraph:
    """The one named graph of the harvest, ``{base}/graph/themis``, in a stable order."""
    triples = {t for item in items for t in decision_triples(item, minter, agreements)}
    return SourceGraph(
        name=minter.graph(THEMIS_GRAPH_SLUG),
        title="Beslissingen uit Themis / decisions harvested from Themis",
        document=document,
        triples=tuple(sorted(triples, key=str)),
    )


__all__ = ["KINDS", "THEMIS_GRAPH_SLUG", "decision_triples", "is_kaleidos_id", "themis_graph"]
