"""How well the levels of citation support agree with the hand-labelled citations.

    python -m bench citations [--store DIR] [--work var/bench] [--tune] [--sample N]

Without ``--store``, the corpus in ``data/`` is built and published into ``--work`` (kept while
sources and code are unchanged). The checks of every citation are computed again from the
published version (the code's, not the stored graph's), then:

- the counts of citations per level on the whole corpus;
- on the labels (``tests/fixtures/citation-labels.csv``), for the tune half, the held half and
  all: precision and recall of "unsupported" and of "weak", accuracy, and the confusion matrix
  (rows: the labels, columns: the levels). The held half is the one to report.
- ``--tune`` also prints the thresholds the tune half chooses (``support_evaluation.tune``),
  and the figures with them; ``derive/support_levels.py`` holds the ones in use.
- ``--sample N`` prints N citations for labelling instead, sampled evenly from the deciles of
  the similarity with a fixed seed, each with its split, the claim and the decision's title and
  the start of its text (how the labels were drawn).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import Counter
from pathlib import Path

from bench.search import published_store
from policygraph.derive.citation_support import AssessedCitation, assess_citations
from policygraph.derive.decision_ranking import DecisionRanking, read_decisions
from policygraph.derive.support_evaluation import (
    SPLITS,
    Agreement,
    evaluate,
    load_labels,
    split_of,
    tune,
)
from policygraph.derive.support_levels import LEVELS, THRESHOLDS, Thresholds, support_level
from policygraph.store.local import LocalStore

PROJECT = Path(__file__).resolve().parents[1]
LABELS = PROJECT / "tests" / "fixtures" / "citation-labels.csv"
BANDS = 10
SEED = 13


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def print_agreement(name: str, found: Agreement) -> None:
    print(f"\n{name}: {found.total} citations, accuracy {found.accuracy:.3f}")
    print(f"{'level':<12} {'precision':>9} {'recall':>7} {'F1':>6}")
    for level in LEVELS:
        print(
            f"{level:<12} {_figure(found.precision(level)):>9} "
            f"{_figure(found.recall(level)):>7} {found.f1(level):>6.3f}"
        )
    print(f"{'label/level':<14}" + "".join(f"{level:>13}" for level in LEVELS))
    for label in LEVELS:
        print(f"{label:<14}" + "".join(f"{found.matrix[label][lv]:>13}" for lv in LEVELS))


def sample(assessed: list[AssessedCitation], size: int) -> list[AssessedCitation]:
    ordered = sorted(assessed, key=lambda a: (a.checks.similarity, a.citation.claim))
    per_band, chosen = max(size // BANDS, 1), []
    rng = random.Random(SEED)
    for band in range(BANDS):
        members = ordered[band * len(ordered) // BANDS : (band + 1) * len(ordered) // BANDS]
        chosen.extend(rng.sample(members, min(per_band, len(members))))
    return chosen


def print_sample(assessed: list[AssessedCitation], ranking: DecisionRanking, size: int) -> None:
    writer = csv.writer(sys.stdout)
    writer.writerow(["claim", "decision", "split", "similarity", "claim_text", "decision_text"])
    for one in sample(assessed, size):
        decision = ranking.decisions.get(one.citation.decision)
        words = " | ".join(decision.titles) + " || " + decision.text[:700] if decision else ""
        writer.writerow(
            [
                one.citation.claim,
                one.citation.decision,
                split_of(one.citation.claim),
                f"{one.checks.similarity:.3f}",
                one.citation.text,
                words,
            ]
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", type=Path, default=None, help="a built store to measure")
    parser.add_argument("--work", type=Path, default=PROJECT / "var" / "bench")
    parser.add_argument("--tune", action="store_true", help="choose thresholds on the tune half")
    parser.add_argument("--sample", type=int, default=0, help="print N citations to label")
    args = parser.parse_args()
    store = LocalStore.open(published_store(args)).oxigraph
    ranking = DecisionRanking(read_decisions(store))
    assessed = assess_citations(store, ranking)
    if args.sample:
        print_sample(assessed, ranking, args.sample)
        return
    counts = Counter(one.level for one in assessed)
    print(f"citations: {len(assessed)}; " + ", ".join(f"{lv} {counts[lv]}" for lv in LEVELS))
    labels = load_labels(LABELS)
    checks = {(a.citation.claim, a.citation.decision): a.checks for a in assessed}
    runs: list[tuple[str, Thresholds]] = [("in use", THRESHOLDS)]
    if args.tune:
        runs.append(("tuned on the tune half", tune(labels, checks)))
    for name, thresholds in runs:
        print(f"\nthresholds {name}: {thresholds}")
        levels = {key: support_level(value, thresholds) for key, value in checks.items()}
        for split in (*SPLITS, None):
            print_agreement(split or "all", evaluate(labels, levels, split))


if __name__ == "__main__":
    main()
