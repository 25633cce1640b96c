"""The wheel as a CI job installs it: built from the sources, installed in a fresh virtual
environment, and run from a folder outside the checkout.

It must carry what it needs (the ontology, its code lists, the shapes) and nothing of the
checkout: ``policygraph`` is imported from the environment, not from ``src/``, and a build is
told where the corpus is (``--data``), as the README says. The corpus is copied out of the
checkout first, so that nothing can find it by walking up from the current folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[2]
SHAPE_TESTS = PROJECT / "tests" / "shapes"
VALID_CONTEXT = [
    SHAPE_TESTS / "valid" / name for name in ("agreement.ttl", "organisations.ttl", "campaign.ttl")
]


@dataclass(frozen=True)
class Installed:
    wheel: Path
    bin: Path
    elsewhere: Path
    """A folder outside the checkout, where the commands run."""
    env: dict[str, str]
    build_log: str

    def run(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / "policygraph"), *map(str, args)],
            cwd=self.elsewhere,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )


def _check(
    command: list[str | Path], env: dict[str, str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("wheel")
    # A copy of what a source distribution holds, so that the build leaves nothing in the checkout.
    source = root / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(PROJECT / name, source / name)
    shutil.copytree(
        PROJECT / "src" / "policygraph",
        source / "src" / "policygraph",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"PYTHONPATH", "VIRTUAL_ENV"} and not name.startswith("POLICYGRAPH_")
    }
    env["XDG_DATA_HOME"] = str(root / "xdg")
    log = _check(
        [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", root / "dist", source], env
    )
    (wheel,) = (root / "dist").glob("policygraph-*.whl")
    venv = root / "venv"
    _check([sys.executable, "-m", "venv", venv], env)
    _check([venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel], env)
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    return Installed(wheel, venv / "bin", elsewhere, env, log.stdout + log.stderr)


def test_the_wheel_declares_its_licence_as_an_spdx_expression(installed: Installed) -> None:
    assert "`project.license`" not in installed.build_log  # setuptools' deprecation warning
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = wheel.namelist()
        (metadata,) = (n for n in names if n.endswith(".dist-info/METADATA"))
        assert "License-Expression: MIT" in wheel.read(metadata).decode().splitlines()
    assert {"policygraph/ontology/policygraph.ttl", "policygraph/ontology/concepts.ttl"} <= set(
        names
    )
    assert "policygraph/shapes/policygraph.shapes.ttl" in names
    assert not [n for n in names if n.startswith("policygraph/data/") or "/corpus/" in n]


def test_policygraph_is_imported_from_the_environment(installed: Installed) -> None:
    probe = (
        "import json, policygraph; from policygraph import config; "
        "print(json.dumps([policygraph.__file__, str(config.CHECKOUT), "
        "str(config.ONTOLOGY_DIR), str(config.load_settings().data_dir)]))"
    )
    out = _check([installed.bin / "python", "-c", probe], installed.env, installed.elsewhere)
    module, checkout, ontology, data = json.loads(out.stdout)
    venv = installed.bin.parent
    assert Path(module).is_relative_to(venv), module
    assert checkout == "None"
    assert Path(ontology).is_relative_to(venv)
    assert data == "None"


def test_validate_gives_0_1_and_2(installed: Installed) -> None:
    valid = installed.run("validate", *VALID_CONTEXT)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    assert "0 violation(s)" in valid.stdout
    invalid = installed.run(
        "validate", *VALID_CONTEXT, SHAPE_TESTS / "invalid" / "budget-malformed.ttl"
    )
    assert invalid.returncode == 1, invalid.stdout + invalid.stderr
    assert "pgsh:MonetaryAmount-currency" in invalid.stdout
    missing = installed.run("validate", installed.elsewhere / "missing.ttl")
    assert missing.returncode == 2
    assert "cannot read" in missing.stderr


def test_a_build_without_data_says_what_to_pass(installed: Installed) -> None:
    run = installed.run("build", "--store", installed.elsewhere / "store-without-data")
    assert run.returncode == 2
    assert "--data DIR" in run.stderr
    assert not (installed.elsewhere / "store-without-data").exists()


def test_build_with_data_from_another_folder(installed: Installed) -> None:
    """The whole corpus (half a minute), named by a path relative to the current folder."""
    shutil.copytree(PROJECT / "data", installed.elsewhere / "data")
    build = installed.run("build", "--data", "data", "--store", "store")
    assert build.returncode == 0, build.stdout + build.stderr
    assert build.stdout.startswith("published version ")
    stats = installed.run("stats", "--store", "store", "--format", "json")
    assert stats.returncode == 0, stats.stderr
    classes = json.loads(stats.stdout)["classes"]
    pg = "https://data.policygraph.be/ns/policygraph#"
    assert classes[pg + "GovernmentDecision"] == 3165
    assert classes[pg + "AssessmentReport"] >= 1
