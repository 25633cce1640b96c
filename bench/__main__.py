"""``python -m bench [NAME] [options]``: run one benchmark (default: the SPARQL endpoint's).

python -m bench endpoint --sizes 50000,1000000    # bench/endpoint.py
python -m bench remote_engines                    # bench/remote_engines.py
python -m bench load_fault --seconds 30           # bench/load_fault.py
python -m bench fuzz --examples 5000              # bench/fuzz.py
python -m bench search --varied 300               # bench/search.py
python -m bench annotations --writes 40           # bench/annotations.py
python -m bench engine_front --triples 300000     # bench/engine_front.py
python -m bench validation --copies 5             # bench/validation.py
python -m bench memory --sizes 50000,1000000      # bench/memory.py
python -m bench profile --query lookup            # bench/profile.py
python -m bench citations --tune                  # bench/citations.py
python -m bench suggestions                       # bench/suggestions.py
"""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = (
    "endpoint",
    "remote_engines",
    "load_fault",
    "fuzz",
    "search",
    "annotations",
    "engine_front",
    "validation",
    "memory",
    "profile",
    "citations",
    "suggestions",
)


def main() -> None:
    name = "endpoint"
    if len(sys.argv) > 1 and sys.argv[1] in BENCHMARKS:
        name = sys.argv.pop(1)
    importlib.import_module(f"bench.{name}").main()


if __name__ == "__main__":
    main()
