"""The endpoint's fuzz campaign with a large budget: the suite's fuzz test, many more examples.

    python -m bench fuzz [--examples 5000]

The same test as in ``make test`` (``tests/web/test_fuzz.py``: mutated queries sent raw to a real
``policygraph serve`` on loopback, no 5xx allowed, a known query answered correctly after), with
``--examples`` derandomized examples instead of the suite's 60. Prints the examples, the time
and the outcome.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=5_000)
    args = parser.parse_args()
    env = {**os.environ, "POLICYGRAPH_FUZZ_EXAMPLES": str(args.examples)}
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "tests/web/test_fuzz.py"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - started
    outcome = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-500:]
    print(f"\nfuzz campaign: {args.examples:,} examples in {seconds:.0f} s: {outcome}")
    if run.returncode != 0:
        print(run.stdout[-4000:])
        raise SystemExit(run.returncode)


if __name__ == "__main__":
    main()
