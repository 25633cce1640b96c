"""The hand labels of citations: well formed, enough of them, split by the claim's IRI alone."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from policygraph.derive.support_evaluation import COLUMNS, load_labels, split_of
from policygraph.errors import SourceFormatError

LABELS = Path(__file__).resolve().parents[1] / "fixtures" / "citation-labels.csv"


def test_the_labels_are_enough_and_well_formed() -> None:
    labels = load_labels(LABELS)
    assert len(labels) >= 80
    assert len({(label.claim, label.decision) for label in labels}) == len(labels)
    splits = Counter(label.split for label in labels)
    assert splits["tune"] >= 30
    assert splits["held"] >= 30
    levels = Counter(label.label for label in labels)
    assert set(levels) == {"supported", "weak", "unsupported"}
    assert all(len(label.reason) > 30 for label in labels)


def test_the_split_follows_the_claims_iri() -> None:
    claim = "https://data.policygraph.be/id/regeerakkoord/2019-2024/bewering/wonen/4.1/2"
    assert split_of(claim) == split_of(claim) in {"tune", "held"}
    for label in load_labels(LABELS):
        assert label.split == split_of(label.claim)


def test_a_label_in_the_wrong_split_is_refused(tmp_path: Path) -> None:
    claim = "https://data.policygraph.be/id/regeerakkoord/2019-2024/bewering/wonen/4.1/2"
    wrong = "held" if split_of(claim) == "tune" else "tune"
    path = tmp_path / "labels.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        writer.writerow([claim, "https://data.policygraph.be/id/beslissing/X", "weak", wrong, "r"])
    with pytest.raises(SourceFormatError):
        load_labels(path)
