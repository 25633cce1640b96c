"""A build with the published version's fingerprint keeps it; any change of what the output
depends on (an input, a shape, an output setting) changes the fingerprint."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from policygraph.build.fingerprint import build_fingerprint
from policygraph.build.pipeline import Kept, build_or_keep
from policygraph.config import Settings, load_settings


def test_an_unchanged_build_keeps_the_published_version_quickly(built) -> None:
    settings, result = built
    clock = time.perf_counter()
    kept = build_or_keep(settings)
    assert isinstance(kept, Kept)
    assert kept.version == result.version
    assert time.perf_counter() - clock < 5
    assert f"unchanged since version {result.version}" in kept.summary()


def _copied(settings: Settings, tmp_path: Path) -> Settings:
    assert settings.data_dir is not None
    data = tmp_path / "data"
    shutil.copytree(settings.data_dir, data)
    shapes = tmp_path / "shapes"
    shutil.copytree(settings.shapes_dir, shapes)
    return load_settings(
        env={},
        overrides={
            "store_dir": str(settings.store_dir),
            "data_dir": str(data),
            "shapes_dir": str(shapes),
        },
    )


def test_each_change_of_what_the_output_depends_on_changes_the_fingerprint(
    built, tmp_path: Path
) -> None:
    settings = _copied(built[0], tmp_path)
    original = build_fingerprint(settings)
    assert build_fingerprint(settings) == original

    agreement = next((tmp_path / "data" / "agreements").glob("*.toml"))
    agreement.write_bytes(agreement.read_bytes() + b"\n")
    changed_input = build_fingerprint(settings)
    assert changed_input != original

    shape = next((tmp_path / "shapes").glob("*.ttl"))
    shape.write_bytes(shape.read_bytes() + b"\n")
    changed_shape = build_fingerprint(settings)
    assert changed_shape not in {original, changed_input}

    other_base = load_settings(
        env={}, overrides={**_overrides(settings), "base_iri": "https://example.org/other"}
    )
    assert build_fingerprint(other_base) != changed_shape


def test_a_link_out_of_the_data_folder_is_not_followed(built, tmp_path: Path) -> None:
    settings = _copied(built[0], tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text("one")
    before = build_fingerprint(settings)
    (tmp_path / "data" / "link.txt").symlink_to(outside)
    outside.write_text("two")
    assert build_fingerprint(settings) == before


def _overrides(settings: Settings) -> dict[str, object]:
    return {
        "store_dir": str(settings.store_dir),
        "data_dir": str(settings.data_dir),
        "shapes_dir": str(settings.shapes_dir),
    }
