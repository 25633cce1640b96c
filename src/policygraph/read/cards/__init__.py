"""Summary cards: what a page says about one resource before its raw statements.

One read model per kind of resource a reader lands on: a decision (``decision``), a campaign
(``campaign``), an organisation (``organisation``), a chapter (``chapter``), and a claim, a
reference or a report of an assessment (``claim``). Each is a value
computed from the store with the resource bound through ``substitutions``; ``facts`` reads the
statements of one resource and the labels of what it names.
"""

from __future__ import annotations

from policygraph.read.cards.campaign import Budget, CampaignCard, Launch, campaign_card
from policygraph.read.cards.chapter import ChapterCard, ChapterPart, chapter_card
from policygraph.read.cards.claim import (
    ClaimCard,
    Placement,
    ReferenceCard,
    ReportCard,
    claim_card,
    reference_card,
    report_card,
)
from policygraph.read.cards.decision import Citation, CitingClaim, DecisionCard, decision_card
from policygraph.read.cards.organisation import (
    HIDDEN_PROPERTIES,
    OrganisationCard,
    Role,
    organisation_card,
)

__all__ = [
    "HIDDEN_PROPERTIES",
    "Budget",
    "CampaignCard",
    "ChapterCard",
    "ChapterPart",
    "Citation",
    "CitingClaim",
    "ClaimCard",
    "DecisionCard",
    "Launch",
    "OrganisationCard",
    "Placement",
    "ReferenceCard",
    "ReportCard",
    "Role",
    "campaign_card",
    "chapter_card",
    "claim_card",
    "decision_card",
    "organisation_card",
    "reference_card",
    "report_card",
]
