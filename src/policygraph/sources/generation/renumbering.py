"""The renumbering check: does each reference of a published report name the decision the raw
answer cited at the place that reference took?

The reports are the raw answers cleaned, their ``[i]`` prompt indices renumbered. Read against
the raw answers, the rule is: the cleaning numbered the indices of the bare ``[i]`` markers in the
order of their first appearance in the answer (the first distinct index became ``[0]``, the
second ``[1]``, …) and gave each a reference; markers of another form (``[Beslissingen 19, 20]``,
``[0-56]``) were left as written, which is why two reports cite numbers their reference list
lacks. So reference ``n`` corresponds to the n-th distinct index of a bare marker, and both should
name one decision: the candidate's through its text (equal to a decision's text), the
reference's through ``DecisionIndex.match`` (its URL, date and title). Read with list and range
markers counted too, nine references of two reports would disagree that agree under this rule.

Each reference gets one outcome. It *agrees* or *disagrees* when both sides name a decision;
otherwise it *cannot tell*, and the note says why: the answer cites fewer candidates than the
report has references, it cites an index the prompt does not have, the candidate's text is that
of no decision in the decisions file, or the reference resolves to no decision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    """How a reference compares with the raw answer; each value names a ``pgc:`` concept."""

    AGREES = "renumbering-agrees"
    DISAGREES = "renumbering-disagrees"
    CANNOT_TELL = "renumbering-cannot-tell"


@dataclass(frozen=True)
class Check:
    reference: int
    """The reference's number in the published report."""
    prompt_index: int | None
    """The prompt index the raw answer cited in its place, if it cited that many."""
    outcome: Outcome
    note: str


def check_renumbering(
    references: Mapping[int, str | None],
    cited: Sequence[int],
    candidate_decisions: Sequence[tuple[str, ...]],
) -> tuple[Check, ...]:
    """One check per reference, in reference order.

    ``references`` maps each reference number to the Kaleidos id it resolves to (None if none);
    ``cited`` is the distinct prompt indices of the answer's bare markers, in order of first
    appearance;
    ``candidate_decisions`` gives, per prompt index, the Kaleidos ids of the decisions whose text
    is the candidate's (several when decisions share a text; then the reference agrees when it
    names one of them).
    """
    return tuple(
        _check(number, references[number], cited, candidate_decisions)
        for number in sorted(references)
    )


def _check(
    number: int,
    decision: str | None,
    cited: Sequence[int],
    candidates: Sequence[tuple[str, ...]],
) -> Check:
    if number >= len(cited):
        return Check(
            number,
            None,
            Outcome.CANNOT_TELL,
            f"the raw answer cites {len(cited)} candidates by [i]; none takes the place of "
            f"reference [{number}]",
        )
    index = cited[number]
    if index >= len(candidates):
        return Check(
            number,
            index,
            Outcome.CANNOT_TELL,
            f"the raw answer cites [{index}], and the prompt has only {len(candidates)} candidates",
        )
    matches = candidates[index]
    candidate = " or ".join(matches)
    if not matches:
        return Check(
            number,
            index,
            Outcome.CANNOT_TELL,
            f"the text of candidate [{index}] is that of no decision in the decisions file",
        )
    if decision is None:
        return Check(
            number,
            index,
            Outcome.CANNOT_TELL,
            f"reference [{number}] resolves to no decision (candidate [{index}] is {candidate})",
        )
    if decision in matches:
        return Check(
            number, index, Outcome.AGREES, f"candidate [{index}] and the reference: {decision}"
        )
    return Check(
        number,
        index,
        Outcome.DISAGREES,
        f"candidate [{index}] is {candidate}, the reference names {decision}",
    )


__all__ = ["Check", "Outcome", "check_renumbering"]
