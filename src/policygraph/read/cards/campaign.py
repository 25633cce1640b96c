"""A campaign as a reader wants it: money, time, places, people and reasons, by their names.

Budget (amount and currency), period, target countries, websites, organiser, launch (when,
where, by whom), partners, the strategy it serves, its audiences and rationales in words, and
the campaigns planned like it. Every linked resource comes with its label, never a bare IRI.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pyoxigraph import NamedNode

from policygraph.read.cards.facts import Facts, facts_of, select, term
from policygraph.read.describe import LANGUAGES, labels_for
from policygraph.read.evidence.rows import Link, local_name, text
from policygraph.store import GraphStore


@dataclass(frozen=True)
class Budget:
    amount: Decimal
    currency: str | None


@dataclass(frozen=True)
class Launch:
    iri: str
    label: str
    date: date | None
    day_of_week: str | None
    """The weekday's local name (``Tuesday``), when the source gives no date."""
    time_of_day: str | None
    places: tuple[Link, ...]
    launched_by: tuple[Link, ...]


@dataclass(frozen=True)
class CampaignCard:
    iri: str
    label: str
    description: str | None
    status: Link | None
    budget: Budget | None
    start: date | None
    end: date | None
    countries: tuple[Link, ...]
    websites: tuple[str, ...]
    organisers: tuple[Link, ...]
    launch: Launch | None
    partners: tuple[Link, ...]
    strategies: tuple[Link, ...]
    sectors: tuple[Link, ...]
    platforms: tuple[Link, ...]
    delivery_modes: tuple[Link, ...]
    objectives: tuple[str, ...]
    audiences: tuple[str, ...]
    """Whom it addresses, in the source's words."""
    rationales: tuple[str, ...]
    """Why, in the source's words."""
    like: tuple[Link, ...]
    """The campaign(s) this one is planned like."""
    sisters: tuple[Link, ...]
    """Campaigns planned like this one."""


_SISTERS = "SELECT DISTINCT ?s ?other WHERE { ?other a pg:Campaign ; dct:relation ?s }"


def campaign_card(
    store: GraphStore, iri: NamedNode, language: str = LANGUAGES[0]
) -> CampaignCard | None:
    """The card of the campaign ``iri``; None when it is no campaign."""
    facts = facts_of(store, iri, language)
    if term("pg:Campaign") not in facts.nodes("rdf:type"):
        return None
    statuses = facts.links("pg:campaignStatus")
    sisters = [text(r, "other") or "" for r in select(store, _SISTERS, s=iri)]
    sister_labels = labels_for(store, [NamedNode(s) for s in sisters], language)
    return CampaignCard(
        iri=iri.value,
        label=facts.literal("skos:prefLabel") or local_name(iri.value) or iri.value,
        description=facts.literal("dct:description"),
        status=statuses[0] if statuses else None,
        budget=_budget(store, facts, language),
        start=facts.date("schema:startDate"),
        end=facts.date("schema:endDate"),
        countries=facts.links("pg:targetCountry"),
        websites=facts.literals("schema:url"),
        organisers=facts.links("pg:organiser"),
        launch=_launch(store, facts, language),
        partners=facts.links("pg:producedBy"),
        strategies=facts.links("pg:servesStrategy"),
        sectors=facts.links("pg:sector"),
        platforms=facts.links("pg:relatedPlatform"),
        delivery_modes=facts.links("pg:deliveryMode"),
        objectives=facts.literals("pg:objective"),
        audiences=_words_of(
            store, facts.nodes("pg:targetAudience"), "schema:audienceType", language
        ),
        rationales=_words_of(store, facts.nodes("pg:rationale"), "dct:description", language),
        like=facts.links("dct:relation"),
        sisters=tuple(
            sorted(
                (Link(s, sister_labels.get(s) or local_name(s) or s) for s in sisters),
                key=lambda link: link.label.casefold(),
            )
        ),
    )


def _budget(store: GraphStore, facts: Facts, language: str) -> Budget | None:
    for amount in facts.nodes("pg:budget"):
        of_amount = facts_of(store, NamedNode(amount), language)
        value = of_amount.decimal("schema:value")
        if value is not None:
            return Budget(value, of_amount.literal("schema:currency"))
    return None


def _launch(store: GraphStore, facts: Facts, language: str) -> Launch | None:
    for iri in facts.nodes("pg:launch"):
        launch = facts_of(store, NamedNode(iri), language)
        started = launch.date("prov:startedAtTime") or launch.date("schema:startDate")
        days = launch.nodes("pg:dayOfWeek")
        return Launch(
            iri=iri,
            label=launch.literal("skos:prefLabel") or facts.link(iri).label,
            date=started,
            day_of_week=local_name(days[0]) if days else None,
            time_of_day=launch.literal("pg:timeOfDay"),
            places=launch.links("schema:location"),
            launched_by=launch.links("pg:launchedBy"),
        )
    return None


def _words_of(
    store: GraphStore, nodes: tuple[str, ...], curie: str, language: str
) -> tuple[str, ...]:
    """For each node, the value of the literal property ``curie`` in the reader's language."""
    found = []
    for node in nodes:
        words = facts_of(store, NamedNode(node), language).literal(curie)
        if words:
            found.append(words)
    return tuple(found)


__all__ = ["Budget", "CampaignCard", "Launch", "campaign_card"]
