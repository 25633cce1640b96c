"""``policygraph validate`` on files made to hurt: a clear message and exit 2, in bounded time
and memory (the process is a real child, so its peak memory is its own)."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

from hostile_inputs import entity_laughs

# The "billion laughs" asked pyoxigraph's RDF/XML parser for 4.8 GB before it was refused.
MEMORY_CEILING = 1 << 30


def _validate_in_a_child(path: Path) -> subprocess.CompletedProcess[str]:
    def bounded() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CEILING * 2, MEMORY_CEILING * 2))

    return subprocess.run(
        [str(Path(sys.executable).parent / "policygraph"), "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=bounded,
        check=False,
    )


def test_an_entity_bomb_exits_2_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "laughs.rdf"
    path.write_text(entity_laughs(9))
    run = _validate_in_a_child(path)
    assert run.returncode == 2, run.stderr
    assert "laughs.rdf: not well-formed XML" in run.stderr
    assert "amplification" in run.stderr
