"""The checks made on one citation, and the level of support they add up to.

The level is a rule on the checks, with thresholds set on the tuning half of the hand-labelled
citations (``tests/fixtures/citation-labels.csv``) and measured on the other half
(``python -m bench citations``); ``derive/methods/citatiesteun.md`` says how.
"""

from __future__ import annotations

from dataclasses import dataclass

SUPPORTED, WEAK, UNSUPPORTED = "supported", "weak", "unsupported"
LEVELS = (SUPPORTED, WEAK, UNSUPPORTED)
"""From the best to the worst; the local names of the ``pgc:citation-…`` concepts."""


@dataclass(frozen=True)
class Checks:
    """What was measured of one claim citing one decision."""

    score: float
    """BM25 of the claim's text against the decision (0.0: they share no content word)."""
    similarity: float
    """``score`` divided by the best score any decision reaches for the claim's text: 1.0 when
    the cited decision is the one that matches the claim best, comparable across claims."""
    among_candidates: bool | None
    """Whether the model was shown the decision; None when the report has no generation."""
    inside_legislature: bool | None
    """Whether the decision is dated within the agreement's period; None when either is unknown."""
    inside_claim_period: bool | None
    """Whether the decision is dated within the years the claim names; None when it names none."""
    matched: tuple[str, ...]
    """The claim's specific terms that the decision names, as the claim writes them."""
    missing: tuple[str, ...]
    """The claim's specific terms that the decision does not name."""

    @property
    def term_share(self) -> float | None:
        total = len(self.matched) + len(self.missing)
        return len(self.matched) / total if total else None


@dataclass(frozen=True)
class Thresholds:
    unsupported_below: float
    """A similarity below this: the decision is not about what the claim says."""
    weak_below: float
    """A similarity below this (and not below ``unsupported_below``): related, not established."""
    terms_below: float
    """A share of the claim's specific terms found below this makes a citation weak at best."""


THRESHOLDS = Thresholds(unsupported_below=0.02, weak_below=0.46, terms_below=0.25)
"""Set on the tuning half of the labels (see the method's description)."""


def support_level(checks: Checks, thresholds: Thresholds = THRESHOLDS) -> str:
    """supported, weak or unsupported: the words decide first, the checks can only lower it."""
    if checks.score <= 0.0 or checks.similarity < thresholds.unsupported_below:
        return UNSUPPORTED
    share = checks.term_share
    if (
        checks.similarity < thresholds.weak_below
        or (share is not None and share < thresholds.terms_below)
        or checks.inside_claim_period is False
        or checks.inside_legislature is False
    ):
        return WEAK
    return SUPPORTED


__all__ = [
    "LEVELS",
    "SUPPORTED",
    "THRESHOLDS",
    "UNSUPPORTED",
    "WEAK",
    "Checks",
    "Thresholds",
    "support_level",
]
