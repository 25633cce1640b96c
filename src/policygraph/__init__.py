"""policygraph: the Flemish Government's coalition agreement 2019-2024, its decisions and their
assessment, as a validated linked-data graph served over SPARQL 1.1.

The public Python API; the CLI and the web layer are thin edges over it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from policygraph.version import __version__

if TYPE_CHECKING:
    from policygraph.build.pipeline import BuildResult, build, collect
    from policygraph.config import SETTINGS, Settings, load_settings
    from policygraph.errors import PolicygraphError, ValidationFailed
    from policygraph.namespaces import PREFIXES, Minter
    from policygraph.read.stats import Statistics, statistics
    from policygraph.store import GraphStore
    from policygraph.store.local import LocalStore
    from policygraph.validation.report import ValidationReport, ValidationResult
    from policygraph.validation.shacl import validate

# The public names are imported when first used (PEP 562), so that a process which needs one
# corner of the package (a query worker: pyoxigraph and the query modules) does not pay for
# rdflib and pySHACL at start-up, in time and in memory.
_PUBLIC_MODULES = {
    "BuildResult": "policygraph.build.pipeline",
    "build": "policygraph.build.pipeline",
    "collect": "policygraph.build.pipeline",
    "SETTINGS": "policygraph.config",
    "Settings": "policygraph.config",
    "load_settings": "policygraph.config",
    "PolicygraphError": "policygraph.errors",
    "ValidationFailed": "policygraph.errors",
    "PREFIXES": "policygraph.namespaces",
    "Minter": "policygraph.namespaces",
    "Statistics": "policygraph.read.stats",
    "statistics": "policygraph.read.stats",
    "GraphStore": "policygraph.store",
    "LocalStore": "policygraph.store.local",
    "ValidationReport": "policygraph.validation.report",
    "ValidationResult": "policygraph.validation.report",
    "validate": "policygraph.validation.shacl",
}


def __getattr__(name: str) -> Any:
    module = _PUBLIC_MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'policygraph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "PREFIXES",
    "SETTINGS",
    "BuildResult",
    "GraphStore",
    "LocalStore",
    "Minter",
    "PolicygraphError",
    "Settings",
    "Statistics",
    "ValidationFailed",
    "ValidationReport",
    "ValidationResult",
    "__version__",
    "build",
    "collect",
    "load_settings",
    "statistics",
    "validate",
]
