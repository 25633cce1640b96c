"""The evidence the graph holds about one part of the agreement, one organisation, or all of it.

These are the values the human pages show: for a section (or a chapter), its text, its
assessments, each claim with the decisions it cites and a timeline of them (``part``); for an
organisation, the sections that name it and the decisions and campaigns that concern it
(``organisation``); for the agreement, how much of it is covered by cited decisions, and the
decisions per month (``coverage``). ``rows`` holds the values they share and how rows are read.

Each function runs a few SPARQL queries with the resource bound through ``substitutions``.
"""

from __future__ import annotations

from policygraph.read.evidence.coverage import ChapterCoverage, MonthCount, Overview, overview
from policygraph.read.evidence.organisation import OrganisationEvidence, organisation_evidence
from policygraph.read.evidence.part import Claim, PartEvidence, Reference, Report, part_evidence
from policygraph.read.evidence.rows import CitedDecision, Link

__all__ = [
    "ChapterCoverage",
    "CitedDecision",
    "Claim",
    "Link",
    "MonthCount",
    "OrganisationEvidence",
    "Overview",
    "PartEvidence",
    "Reference",
    "Report",
    "organisation_evidence",
    "overview",
    "part_evidence",
]
