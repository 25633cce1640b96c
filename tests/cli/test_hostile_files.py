"""``policygraph validate`` on files made to hurt (an entity bomb, a gzip bomb, a file past its
bound, a broken archive): a clear message and exit 2, in bounded time and memory (the process
is a real child, its address space capped, so its memory is its own)."""

from __future__ import annotations

import gzip
import os
import resource
import subprocess
import sys
from pathlib import Path

from hostile_inputs import entity_laughs

# The "billion laughs" asked pyoxigraph's RDF/XML parser for 4.8 GB before it was refused.
MEMORY_CEILING = 1 << 30


def _validate_in_a_child(path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    def bounded() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CEILING * 2, MEMORY_CEILING * 2))

    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYGRAPH_")}
    env.update({f"POLICYGRAPH_{name.upper()}": value for name, value in settings.items()})
    return subprocess.run(
        [str(Path(sys.executable).parent / "policygraph"), "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=bounded,
        check=False,
        env=env,
    )


def test_an_entity_bomb_exits_2_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "laughs.rdf"
    path.write_text(entity_laughs(9))
    run = _validate_in_a_child(path)
    assert run.returncode == 2, run.stderr
    assert "laughs.rdf: not well-formed XML" in run.stderr
    assert "amplification" in run.stderr


def test_a_gzip_bomb_is_refused_as_it_unpacks(tmp_path: Path) -> None:
    path = tmp_path / "bomb.nt.gz"
    path.write_bytes(gzip.compress(b"#" * 200_000_000, compresslevel=9))  # 200 MB in ~200 KB
    assert path.stat().st_size < 1_000_000
    run = _validate_in_a_child(path, max_input_bytes="1000000")
    assert run.returncode == 2, run.stderr
    assert "bomb.nt.gz: larger than 1000000 bytes (max_input_bytes)" in run.stderr


def test_a_file_over_the_input_bound_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "big.nt"
    path.write_text('<http://example.org/a> <http://example.org/p> "x" .\n' * 1000)
    run = _validate_in_a_child(path, max_input_bytes="1000")
    assert run.returncode == 2
    assert "larger than 1000 bytes" in run.stderr


def test_a_broken_gzip_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl.gz"
    path.write_bytes(gzip.compress(b"<a> <b> <c> .")[:-8])
    run = _validate_in_a_child(path)
    assert run.returncode == 2
    assert "broken.ttl.gz: not a readable gzip file" in run.stderr
