"""One settings table, read once at start-up from a TOML file and ``POLICYGRAPH_*`` variables.

Precedence, lowest first: the defaults in ``SETTINGS``, the settings file (``--config FILE`` or
``POLICYGRAPH_CONFIG``), the environment, explicit overrides (command-line options).
Nothing reads the environment after ``load_settings`` has returned.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policygraph.errors import ConfigurationError

ENV_PREFIX = "POLICYGRAPH_"

# The ontology, shapes and data sit beside src/ in a checkout; an installed copy is pointed at
# them with settings, since they are project files and not package data.
PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "base_iri",
        "https://data.policygraph.be",
        "Base of every minted IRI: {base}/id/{type}/{ref}.",
    ),
    Setting(
        "public_url",
        "http://localhost:8000",
        "URL the service is reached at; IRIs under base_iri are served from here.",
    ),
    Setting(
        "data_dir", str(PROJECT_ROOT / "data"), "Folder of the source documents and curated Turtle."
    ),
    Setting("ontology_dir", str(PROJECT_ROOT / "ontology"), "Folder of the OWL ontology (Turtle)."),
    Setting("shapes_dir", str(PROJECT_ROOT / "shapes"), "Folder of the SHACL shapes (Turtle)."),
    Setting(
        "queries_dir",
        str(PROJECT_ROOT / "queries"),
        "Folder of the competency questions (*.rq), offered as examples in the query UI.",
    ),
    Setting(
        "store_dir",
        str(PROJECT_ROOT / "var" / "store"),
        "Folder of the on-disk store and its published versions.",
    ),
    Setting(
        "store_url",
        "",
        "A remote store used instead of store_dir: sparql+http://host:port/path "
        "(docs/external-engines.md); empty for the local store.",
    ),
    Setting(
        "union_default_graph",
        True,
        "Query the union of all named graphs when a query names no default graph.",
    ),
    Setting("query_timeout", 30.0, "Seconds a query may run before it is stopped (503)."),
    Setting(
        "max_query_bytes", 1_048_576, "Largest accepted query text or request body, in bytes (413)."
    ),
    Setting(
        "max_result_rows",
        100_000,
        "Most rows or triples a result may have; more is an error, never a silent cut.",
    ),
    Setting(
        "max_concurrent_queries",
        4,
        "Queries evaluated at once per process; more wait no longer than queue_timeout.",
    ),
    Setting(
        "queue_timeout",
        2.0,
        "Seconds a query may wait for a free slot before 503 with Retry-After.",
    ),
    Setting(
        "service_allowlist",
        "",
        "Space-separated endpoint IRIs that SPARQL SERVICE may call; empty refuses SERVICE.",
    ),
    Setting("cache_entries", 512, "Responses kept in the in-process query cache (0 turns it off)."),
    Setting("cache_max_bytes", 8_388_608, "Largest response body the query cache keeps."),
    Setting(
        "cache_total_bytes",
        67_108_864,
        "Most bytes of responses the query cache holds in all, per server process.",
    ),
    Setting(
        "result_buffer_bytes",
        8_388_608,
        "Results up to this size are sent whole; larger ones are first counted against "
        "max_result_rows, then streamed.",
    ),
    Setting(
        "inline_result_bytes",
        1_048_576,
        "Single-scan queries (one triple pattern, no filter) are answered in the web process "
        "when their result fits in this many bytes; 0 sends every query to a worker.",
    ),
    Setting(
        "memory_store_max_quads",
        2_000_000,
        "A store of at most this many quads is copied into memory once per web worker, and its "
        "query workers share that copy (about 350 bytes per quad; queries run 3-6x faster than "
        "on disk); a larger one, or 0, is read on disk.",
    ),
    Setting("host", "127.0.0.1", "Interface policygraph serve listens on."),
    Setting("port", 8000, "Port policygraph serve listens on."),
    Setting("workers", 2, "gunicorn worker processes for policygraph serve."),
    Setting(
        "harvest_since",
        "2019-10-02",
        "First meeting date (YYYY-MM-DD) a harvest asks for when it is given no --since.",
    ),
    Setting("harvest_window_days", 31, "Days of meetings a harvest asks for in one window."),
    Setting("harvest_page_size", 200, "News items a harvest asks for in one request (LIMIT)."),
    Setting(
        "harvest_min_interval",
        1.0,
        "Least seconds between two requests of a harvest, to be polite to the endpoint.",
    ),
    Setting("harvest_timeout", 60.0, "Seconds a harvest waits for one response."),
    Setting(
        "harvest_retries",
        4,
        "Retries of a failed request (5xx, timeout, broken connection), with doubling backoff.",
    ),
    Setting(
        "user_agent_url",
        "https://data.policygraph.be",
        "Project URL in the User-Agent of outgoing requests: policygraph/<version> (+URL).",
    ),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}


@dataclass(frozen=True)
class Settings:
    base_iri: str
    public_url: str
    data_dir: Path
    ontology_dir: Path
    shapes_dir: Path
    queries_dir: Path
    store_dir: Path
    store_url: str
    union_default_graph: bool
    query_timeout: float
    max_query_bytes: int
    max_result_rows: int
    max_concurrent_queries: int
    queue_timeout: float
    service_allowlist: tuple[str, ...]
    cache_entries: int
    cache_max_bytes: int
    cache_total_bytes: int
    result_buffer_bytes: int
    inline_result_bytes: int
    memory_store_max_quads: int
    host: str
    port: int
    workers: int
    harvest_since: str
    harvest_window_days: int
    harvest_page_size: int
    harvest_min_interval: float
    harvest_timeout: float
    harvest_retries: int
    user_agent_url: str

    def replace(self, **changes: Any) -> Settings:
        return load_settings(env={}, overrides={**self.as_dict(), **changes})

    def as_dict(self) -> dict[str, Any]:
        values = dataclasses.asdict(self)
        values["service_allowlist"] = " ".join(self.service_allowlist)
        return {
            name: str(value) if isinstance(value, Path) else value for name, value in values.items()
        }


def _coerce(setting: Setting, raw: Any) -> Any:
    """Turn a raw value (TOML or an environment string) into the type of the setting's default."""
    default = setting.default
    try:
        if isinstance(default, bool):
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off"}:
                return False
            raise ValueError(f"not a boolean: {raw!r}")
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        return str(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigurationError(f"setting {setting.name}: {exc}") from exc


def load_settings(
    file: Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Read the settings once: defaults, then the file, then the environment, then overrides."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {s.name: s.default for s in SETTINGS}
    file = file or (Path(env[ENV_PREFIX + "CONFIG"]) if ENV_PREFIX + "CONFIG" in env else None)
    if file is not None:
        try:
            table = tomllib.loads(Path(file).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigurationError(f"cannot read settings file {file}: {exc}") from exc
        table = table.get("policygraph", table)
        for name, raw in table.items():
            if name not in _BY_NAME:
                raise ConfigurationError(f"unknown setting {name!r} in {file}")
            values[name] = _coerce(_BY_NAME[name], raw)
    for name, setting in _BY_NAME.items():
        key = ENV_PREFIX + name.upper()
        if key in env:
            values[name] = _coerce(setting, env[key])
    for name, raw in (overrides or {}).items():
        if name not in _BY_NAME:
            raise ConfigurationError(f"unknown setting {name!r}")
        if raw is not None:
            values[name] = _coerce(_BY_NAME[name], raw)
    return _settings_from(values)


def _settings_from(values: dict[str, Any]) -> Settings:
    base = str(values["base_iri"]).rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise ConfigurationError(f"base_iri must be an http(s) IRI, not {base!r}")
    allow = tuple(item for item in str(values["service_allowlist"]).split() if item)
    for name in (
        "query_timeout",
        "max_query_bytes",
        "max_result_rows",
        "max_concurrent_queries",
        "result_buffer_bytes",
        "harvest_window_days",
        "harvest_page_size",
        "harvest_timeout",
    ):
        if values[name] <= 0:
            raise ConfigurationError(f"setting {name} must be positive")
    for name in (
        "harvest_min_interval",
        "harvest_retries",
        "inline_result_bytes",
        "memory_store_max_quads",
    ):
        if values[name] < 0:
            raise ConfigurationError(f"setting {name} must not be negative")
    return Settings(
        base_iri=base,
        public_url=str(values["public_url"]).rstrip("/"),
        data_dir=Path(values["data_dir"]),
        ontology_dir=Path(values["ontology_dir"]),
        shapes_dir=Path(values["shapes_dir"]),
        queries_dir=Path(values["queries_dir"]),
        store_dir=Path(values["store_dir"]),
        store_url=str(values["store_url"]).strip(),
        union_default_graph=values["union_default_graph"],
        query_timeout=values["query_timeout"],
        max_query_bytes=values["max_query_bytes"],
        max_result_rows=values["max_result_rows"],
        max_concurrent_queries=values["max_concurrent_queries"],
        queue_timeout=values["queue_timeout"],
        service_allowlist=allow,
        cache_entries=values["cache_entries"],
        cache_max_bytes=values["cache_max_bytes"],
        inline_result_bytes=values["inline_result_bytes"],
        memory_store_max_quads=values["memory_store_max_quads"],
        cache_total_bytes=values["cache_total_bytes"],
        result_buffer_bytes=values["result_buffer_bytes"],
        host=values["host"],
        port=values["port"],
        workers=values["workers"],
        harvest_since=values["harvest_since"],
        harvest_window_days=values["harvest_window_days"],
        harvest_page_size=values["harvest_page_size"],
        harvest_min_interval=values["harvest_min_interval"],
        harvest_timeout=values["harvest_timeout"],
        harvest_retries=values["harvest_retries"],
        user_agent_url=values["user_agent_url"],
    )
