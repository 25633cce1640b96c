"""The build's fingerprint: a hash of everything a build's output depends on.

A build whose fingerprint equals the published version's cannot publish anything new, so it
keeps that version without reading or validating a source. The fingerprint covers the bytes of
every file of the data, ontology and shapes folders (a superset of the declared inputs: the
agreements name their report files themselves), the package's version and its source code (an
edited checkout or a new release rebuilds) and the settings that shape the output.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from policygraph.config import Settings, required_data_dir
from policygraph.errors import StoreNotFoundError
from policygraph.store.local import VERSION_FILE, current_version_dir
from policygraph.version import __version__

FINGERPRINT_FILE = "FINGERPRINT"
_CHUNK = 1 << 20
# Settings that change what a build writes; the serving and harvesting ones do not.
_OUTPUT_SETTINGS = ("base_iri", "max_input_bytes")


def build_fingerprint(settings: Settings) -> str:
    """The hex digest of the inputs, the code and the output settings of a build."""
    digest = hashlib.sha256()
    digest.update(f"policygraph {__version__}\n".encode())
    for name in _OUTPUT_SETTINGS:
        digest.update(f"{name}={getattr(settings, name)!r}\n".encode())
    package = Path(__file__).resolve().parents[1]  # the policygraph package, as installed
    folders = (
        ("code", package, "*.py"),
        ("data", required_data_dir(settings), "*"),
        ("ontology", settings.ontology_dir, "*"),
        ("shapes", settings.shapes_dir, "*"),
    )
    for label, folder, pattern in folders:
        for path in _files(Path(folder), pattern):
            digest.update(f"{label}/{path.relative_to(folder).as_posix()}\n".encode())
            with path.open("rb") as stream:
                while chunk := stream.read(_CHUNK):
                    digest.update(chunk)
            digest.update(b"\n")
    return digest.hexdigest()


def _files(folder: Path, pattern: str) -> Iterator[Path]:
    """The regular files under ``folder``, sorted; links are not followed, so that nothing
    outside the folder counts as part of it."""
    found: list[Path] = []
    for top, dirs, names in os.walk(folder):  # os.walk does not descend into linked folders
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        found += [
            Path(top, name)
            for name in names
            if fnmatch.fnmatch(name, pattern) and not Path(top, name).is_symlink()
        ]
    yield from sorted(found)


def unchanged_version(settings: Settings, fingerprint: str) -> str | None:
    """The published version when it was built from this fingerprint and is complete."""
    try:
        version_dir = current_version_dir(settings.store_dir)
    except StoreNotFoundError:
        return None
    recorded = version_dir / FINGERPRINT_FILE
    label = version_dir / VERSION_FILE
    if not recorded.is_file() or not label.is_file():
        return None
    if recorded.read_text(encoding="ascii").strip() != fingerprint:
        return None
    return label.read_text(encoding="ascii").strip()


def record_fingerprint(version_dir: Path, fingerprint: str) -> None:
    """Keep the fingerprint beside the version it built, whole or not at all (a torn file would
    only cost a rebuild, but a rename is as cheap)."""
    tmp = version_dir / (FINGERPRINT_FILE + ".tmp")
    tmp.write_text(fingerprint + "\n", encoding="ascii")
    os.replace(tmp, version_dir / FINGERPRINT_FILE)
