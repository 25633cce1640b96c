"""Restarts: an unchanged build is kept at once, ``--force`` rebuilds, the warnings line names
the command that lists them, and a busy port is one line naming ``--port``."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from policygraph.cli import main


def _run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_an_unchanged_build_is_kept_and_force_reads_everything_again(built):
    settings, result = built
    store = str(settings.store_dir)
    kept = _run("build", "--store", store)
    assert kept.exit_code == 0, kept.output
    assert f"unchanged since version {result.version} (inputs and code unchanged), kept" in (
        kept.output
    )
    forced = _run("build", "--store", store, "--force")
    assert forced.exit_code == 0, forced.output
    assert "unchanged since" not in forced.output
    assert f"version {result.version}" in forced.output


def test_the_warnings_line_names_a_command_that_lists_them(built):
    settings, result = built
    line = result.summary()
    warnings = result.report.count("Warning")
    command = f"policygraph validate --store {settings.store_dir}"
    assert f"{warnings} warning(s); list them with: {command}" in line
    listed = _run("validate", "--store", str(settings.store_dir))
    assert listed.exit_code == 0, listed.output
    assert f"{warnings} warning(s)" in listed.output
    assert warnings > 0  # the corpus has some: they are listed by shape
    assert "warning: " in listed.output


def test_a_busy_port_is_one_line_naming_the_setting(built):
    settings, _ = built
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [
                str(Path(sys.executable).with_name("policygraph")),
                "serve",
                "--store",
                str(settings.store_dir),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            capture_output=True,
            text=True,
            timeout=20,
        )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"policygraph: error: port {port} on 127.0.0.1 is in use; "
        "choose another with --port (or POLICYGRAPH_PORT)"
    ]
