"""How well the levels of support agree with citations labelled by reading them.

The labels (``tests/fixtures/citation-labels.csv``: claim, decision, label, split, reason) were
sampled evenly from the bands of the similarity score and split into a ``tune`` and a ``held``
half by a hash of the claim's IRI, before any threshold was set. The thresholds are chosen on
the tune half (``tune``) and the figures that count are those of the held half (``evaluate``):
precision and recall of "unsupported" and of "weak", and the confusion matrix.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from policygraph.derive.support_levels import LEVELS, Checks, Thresholds, support_level
from policygraph.errors import SourceFormatError

SPLITS = ("tune", "held")
COLUMNS = ("claim", "decision", "label", "split", "reason")


@dataclass(frozen=True)
class Label:
    claim: str
    decision: str
    label: str
    split: str
    reason: str


@dataclass(frozen=True)
class Agreement:
    """Labels against levels: ``matrix[label][level]`` counts citations."""

    matrix: Mapping[str, Mapping[str, int]]

    @property
    def total(self) -> int:
        return sum(sum(row.values()) for row in self.matrix.values())

    def precision(self, level: str) -> float | None:
        predicted = sum(row[level] for row in self.matrix.values())
        return self.matrix[level][level] / predicted if predicted else None

    def recall(self, level: str) -> float | None:
        actual = sum(self.matrix[level].values())
        return self.matrix[level][level] / actual if actual else None

    def f1(self, level: str) -> float:
        p, r = self.precision(level) or 0.0, self.recall(level) or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        return sum(self.matrix[k][k] for k in LEVELS) / self.total if self.total else 0.0


def split_of(claim: str) -> str:
    """``tune`` or ``held``, from the claim's IRI alone (so a claim's citations stay together)."""
    return SPLITS[hashlib.sha256(claim.encode()).digest()[0] % 2]


def load_labels(path: Path) -> tuple[Label, ...]:
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    labels = []
    for number, row in enumerate(rows, 2):
        if tuple(row) != COLUMNS:
            raise SourceFormatError(f"{path}:{number}: expected the columns {COLUMNS}")
        label = Label(**{key: (row[key] or "").strip() for key in COLUMNS})
        if label.label not in LEVELS or label.split != split_of(label.claim) or not label.reason:
            raise SourceFormatError(f"{path}:{number}: bad label, split or reason: {row}")
        labels.append(label)
    return tuple(labels)


def agreement(pairs: Iterable[tuple[str, str]]) -> Agreement:
    """The confusion matrix of (label, level) pairs."""
    matrix = {label: dict.fromkeys(LEVELS, 0) for label in LEVELS}
    for label, level in pairs:
        matrix[label][level] += 1
    return Agreement(matrix)


def evaluate(
    labels: Sequence[Label], levels: Mapping[tuple[str, str], str], split: str | None = None
) -> Agreement:
    """The labels of ``split`` (all when None) against ``levels`` of (claim, decision)."""
    return agreement(
        (label.label, levels[(label.claim, label.decision)])
        for label in labels
        if split is None or label.split == split
    )


GRID_STEP = 0.02


def tune(labels: Sequence[Label], checks: Mapping[tuple[str, str], Checks]) -> Thresholds:
    """The thresholds that agree best with the tune half: the highest mean F1 of "unsupported"
    and "weak" (the two levels a reader is warned by), then accuracy, then the lowest
    thresholds (the first of a grid in steps of ``GRID_STEP``)."""
    tuning = [label for label in labels if label.split == "tune"]
    steps = [round(i * GRID_STEP, 2) for i in range(int(1 / GRID_STEP) + 1)]
    best: tuple[float, float] | None = None
    chosen = Thresholds(0.0, 0.0, 0.0)
    for low, high, terms in itertools.product(steps, steps, (0.0, 0.25, 0.34, 0.5, 0.67)):
        if high < low:
            continue
        thresholds = Thresholds(low, high, terms)
        found = agreement(
            (label.label, support_level(checks[(label.claim, label.decision)], thresholds))
            for label in tuning
        )
        key = ((found.f1("unsupported") + found.f1("weak")) / 2, found.accuracy)
        if best is None or key > best:
            best, chosen = key, thresholds
    return chosen


__all__ = [
    "COLUMNS",
    "SPLITS",
    "Agreement",
    "Label",
    "agreement",
    "evaluate",
    "load_labels",
    "split_of",
    "tune",
]
