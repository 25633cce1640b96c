"""Recall of the suggested-evidence ranking against what the reports cite, beside the seed's.

    python -m bench suggestions [--store DIR] [--work var/bench] [--micro]

Without ``--store``, the corpus in ``data/`` is built and published into ``--work`` (kept while
sources and code are unchanged). For each report that cites decisions, the relevant set is the
decisions its references resolve to; the table gives recall@20, @50 and @200, macro-averaged
over reports (``--micro``: pooled over all relevant decisions), for

- ``ours``: every decision ranked by the section's text (``derive.section_ranking``);
- ``seed``: the language model's candidates in prompt order (``text-embedding-ada-002``); a
  candidate that matches no decision is a miss; the prompt was cut at ~20,000 tokens, so @200
  is the seed's recall at its whole list;
- ``pool``: the seed's list without the candidates that match no decision of the version (the
  pool ``ours`` ranks).

Rows: the tune half, the held half and all reports; then each chapter (all its reports). The
parameters of the ranking were chosen on the tune half only.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from policygraph.build.pipeline import build
from policygraph.config import load_settings
from policygraph.derive.decision_ranking import read_decisions
from policygraph.derive.section_ranking import rank_for_section
from policygraph.derive.suggestion_recall import (
    CUTOFFS,
    Row,
    our_ranker,
    read_cases,
    read_parts,
    score_cases,
    table,
)
from policygraph.derive.vector_ranking import VectorRanking
from policygraph.store.local import LocalStore

PROJECT = Path(__file__).resolve().parents[1]
COLUMNS = (("ours", "ours"), ("seed", "seed"), ("seed_pool", "pool"))


def published_store(args: argparse.Namespace) -> Path:
    if args.store is not None:
        return Path(args.store)
    store_dir: Path = args.work / "suggestions-store"
    print("building the corpus (kept when unchanged) …", file=sys.stderr)
    settings = load_settings(
        env={}, overrides={"store_dir": str(store_dir), "data_dir": str(PROJECT / "data")}
    )
    build(settings)
    return store_dir


def format_table(rows: list[Row], *, micro: bool) -> str:
    header = ["group", "split", "reports"] + [
        f"{label}@{cutoff}" for _, label in COLUMNS for cutoff in CUTOFFS
    ]
    lines = [header]
    for row in rows:
        values = row.micro if micro else row.macro
        lines.append(
            [row.group[:44], row.split, str(row.reports)]
            + [f"{values[(name, cutoff)]:.3f}" for name, _ in COLUMNS for cutoff in CUTOFFS]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(
            cell.ljust(w) if i < 2 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in lines
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench suggestions")
    parser.add_argument("--store", type=Path, default=None, help="a built store to measure")
    parser.add_argument("--work", type=Path, default=PROJECT / "var" / "bench")
    parser.add_argument("--micro", action="store_true", help="pooled instead of per report")
    args = parser.parse_args()
    store = LocalStore.open(published_store(args)).oxigraph
    clock = time.perf_counter()
    vectors = VectorRanking(read_decisions(store))
    indexed = time.perf_counter() - clock
    parts = read_parts(store)
    clock = time.perf_counter()
    for part in parts:
        rank_for_section(vectors, part.section, 20 + len(part.cited))
    ranked = time.perf_counter() - clock
    scores = score_cases(read_cases(store), parts, our_ranker(vectors))
    average = "micro (pooled)" if args.micro else "macro (mean over reports)"
    print(f"recall of what the reports cite, {average}; {len(vectors)} decisions ranked")
    print(format_table(table(scores), micro=args.micro))
    print(
        f"\ncost: vectors of {len(vectors)} decisions {indexed:.2f} s; "
        f"{len(parts)} parts ranked {ranked:.2f} s"
    )


if __name__ == "__main__":
    main()
