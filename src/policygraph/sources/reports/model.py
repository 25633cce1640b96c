"""A report as plain values: what ``parse`` reads from one Markdown file, before any RDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Part(StrEnum):
    """The part of a report a claim belongs to; each value names a ``pgc:`` concept."""

    SUMMARY = "summary"
    DETAILS = "details"
    CONCLUSION = "conclusion"


@dataclass(frozen=True)
class ParsedClaim:
    position: int
    """1-based, in document order over the whole report."""
    part: Part
    text: str
    """Plain text, ``[n]`` markers kept."""
    theme: str | None
    citations: tuple[int, ...]
    """Reference numbers, in order of first appearance."""


@dataclass(frozen=True)
class ParsedReference:
    """One entry of the reference list. 94 corpus entries print only number and date."""

    number: int
    date: date
    title: str | None
    url: str | None


@dataclass(frozen=True)
class ParsedReport:
    title: str
    section_text: str
    section_number: str
    summary: str | None
    conclusion: str | None
    claims: tuple[ParsedClaim, ...]
    references: tuple[ParsedReference, ...]

    @property
    def chapter_level(self) -> bool:
        """A one-number section ("3", "6") is a chapter that is a single section (Media)."""
        return "." not in self.section_number

    @property
    def iri_number(self) -> str | None:
        """The section number as it appears in IRIs; chapter-level reports have none."""
        return None if self.chapter_level else self.section_number

    def reference(self, number: int) -> ParsedReference | None:
        return next((r for r in self.references if r.number == number), None)

    @property
    def cited(self) -> tuple[int, ...]:
        """Every reference number the claims cite, in order of first appearance."""
        return tuple(dict.fromkeys(n for claim in self.claims for n in claim.citations))

    @property
    def missing_references(self) -> tuple[int, ...]:
        """Numbers the claims cite that the reference list does not have."""
        listed = {r.number for r in self.references}
        return tuple(n for n in self.cited if n not in listed)


__all__ = ["ParsedClaim", "ParsedReference", "ParsedReport", "Part"]
