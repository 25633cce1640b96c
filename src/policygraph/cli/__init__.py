"""The ``policygraph`` command: parse options, call the core, map errors to exit codes.

A module per group of commands; each registers its commands on ``main`` (``cli/app.py``).
"""

from policygraph.cli import account, build, harvest, search, serve, store
from policygraph.cli.app import main

__all__ = ["account", "build", "harvest", "main", "search", "serve", "store"]
