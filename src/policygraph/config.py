"""One settings table, read once at start-up from a TOML file and ``POLICYGRAPH_*`` variables.

The fields of ``Settings`` are the table: each is declared once, with its type, default, help and
check (``setting(...)``). ``SETTINGS``, the coercion of TOML and environment values (from the
field's type), the checks and the README's table are derived from it, so adding a setting is one
edit (then ``policygraph docs --update README.md``).

Precedence, lowest first: the defaults, the settings file (``--config FILE`` or
``POLICYGRAPH_CONFIG``), the environment, explicit overrides (command-line options).
Nothing reads the environment after ``load_settings`` has returned (an installed copy's default
store follows ``XDG_DATA_HOME`` as it is when this module is imported).

The ontology and the shapes ship inside the package. The corpus (``data/``) and the competency
questions (``queries/``) are the repository's: run from a checkout they are its folders; an
installed copy has none until ``data_dir`` and ``queries_dir`` name them.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from policygraph.errors import ConfigurationError
from policygraph.settings_table import (
    Setting,
    not_negative,
    positive,
    raw_value,
    setting,
    table_of,
)

ENV_PREFIX = "POLICYGRAPH_"


def _package_folder(name: str) -> Path:
    folder = resources.files("policygraph") / name
    # A wheel is installed as files on disk; pySHACL and pyoxigraph read paths, not resources.
    if not isinstance(folder, Path):
        raise ConfigurationError(f"policygraph's {name}/ is not a folder on disk: {folder}")
    return folder


def _checkout() -> Path | None:
    """The repository around the package when it is run from a checkout (src/policygraph)."""
    package = Path(__file__).resolve().parent
    root = package.parents[1]
    if package.parent.name == "src" and (root / "pyproject.toml").is_file():
        return root
    return None


def _store_default() -> Path:
    if CHECKOUT is not None:
        return CHECKOUT / "var" / "store"
    # expanduser, unlike Path.home(), does not raise where there is no home directory.
    data_home = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
    return Path(data_home) / "policygraph" / "store"


CHECKOUT = _checkout()
ONTOLOGY_DIR = _package_folder("ontology")
SHAPES_DIR = _package_folder("shapes")
_NONE_WHEN_INSTALLED = "none when installed"


def _http_base(name: str, value: str) -> str:
    # IRIs add their own slash: {base}/id/...
    base = value.rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise ConfigurationError(f"{name} must be an http(s) IRI, not {base!r}")
    return base


def _public_url(name: str, value: str) -> str:
    return _http_base(name, value) if value.strip() else ""


def _stripped(name: str, value: str) -> str:
    return value.strip()


def _validator(name: str, value: str) -> str:
    if value not in ("fast", "pyshacl"):
        raise ConfigurationError(f"{name} must be fast or pyshacl, not {value!r}")
    return value


def _in_checkout(relative: str) -> Path | None:
    return None if CHECKOUT is None else CHECKOUT / relative


@dataclass(frozen=True)
class Settings:
    base_iri: str = setting(
        "https://data.policygraph.be",
        "Base of every minted IRI: {base}/id/{type}/{ref}.",
        check=_http_base,
    )
    public_url: str = setting(
        "",
        "URL the service is reached at, as its service description and links name it; empty: "
        "the URL each request came to. IRIs under base_iri are served from here.",
        check=_public_url,
    )
    data_dir: Path | None = setting(
        _in_checkout("data"),
        "Folder of the source documents and curated Turtle (the repository's data/); "
        "policygraph build --data DIR.",
        shown=f"`data` in a checkout; {_NONE_WHEN_INSTALLED}",
    )
    ontology_dir: Path = setting(
        ONTOLOGY_DIR,
        "Folder of the OWL ontology and its code lists (Turtle).",
        shown="`ontology/` in the package (`src/policygraph/ontology`)",
    )
    shapes_dir: Path = setting(
        SHAPES_DIR,
        "Folder of the SHACL shapes (Turtle).",
        shown="`shapes/` in the package (`src/policygraph/shapes`)",
    )
    queries_dir: Path | None = setting(
        _in_checkout("queries"),
        "Folder of the competency questions (*.rq), offered as examples in the query UI.",
        shown=f"`queries` in a checkout; {_NONE_WHEN_INSTALLED}",
    )
    max_input_bytes: int = setting(
        1_073_741_824,
        "Largest input file a build or policygraph validate reads (a gzip file's content "
        "counted as it is unpacked); a larger one exits 2.",
        check=positive,
    )
    store_dir: Path = setting(
        _store_default(),
        "Folder of the on-disk store and its published versions.",
        shown="`var/store` in a checkout; installed, `policygraph/store` in `$XDG_DATA_HOME` "
        "(`~/.local/share`)",
    )
    store_url: str = setting(
        "",
        "A remote store used instead of store_dir: sparql+http://host:port/path "
        "(docs/external-engines.md), or replicas of one separated by commas; empty for the "
        "local store.",
        check=_stripped,
    )
    union_default_graph: bool = setting(
        True, "Query the union of all named graphs when a query names no default graph."
    )
    query_timeout: float = setting(
        30.0, "Seconds a query may run before it is stopped (503).", check=positive
    )
    max_query_bytes: int = setting(
        1_048_576, "Largest accepted query text or request body, in bytes (413).", check=positive
    )
    max_query_depth: int = setting(
        128,
        "Deepest nesting of brackets ( { [ a query may have; a deeper one is refused (400) "
        "before it is parsed, as it would overflow the parser's stack.",
        check=positive,
    )
    max_query_tokens: int = setting(
        100_000, "Most tokens a query text may have (400).", check=positive
    )
    max_query_string_chars: int = setting(
        65_536, "Longest string literal a query text may hold, in characters (400).", check=positive
    )
    query_memory_limit: int = setting(
        2_147_483_648,
        "Bytes of memory one query worker may take beyond the dataset it shares (0: no bound); "
        "a query past it is stopped and answered 503. The host needs workers x "
        "max_concurrent_queries times this at most.",
        check=not_negative,
    )
    max_result_rows: int = setting(
        100_000,
        "Most rows or triples a result may have; more is an error, never a silent cut.",
        check=positive,
    )
    max_concurrent_queries: int = setting(
        4,
        "Queries evaluated at once per process; more wait no longer than queue_timeout.",
        check=positive,
    )
    queue_timeout: float = setting(
        2.0, "Seconds a query may wait for a free slot before 503 with Retry-After."
    )
    service_allowlist: tuple[str, ...] = setting(
        (), "Space-separated endpoint IRIs that SPARQL SERVICE may call; empty refuses SERVICE."
    )
    cache_entries: int = setting(
        512, "Responses kept in the in-process query cache (0 turns it off)."
    )
    cache_max_bytes: int = setting(8_388_608, "Largest response body the query cache keeps.")
    cache_total_bytes: int = setting(
        67_108_864, "Most bytes of responses the query cache holds in all, per server process."
    )
    result_buffer_bytes: int = setting(
        8_388_608,
        "Results up to this size are sent whole; larger ones are first counted against "
        "max_result_rows, then streamed.",
        check=positive,
    )
    inline_result_bytes: int = setting(
        1_048_576,
        "Single-scan queries (one triple pattern, no filter) are answered in the web process "
        "when their result fits in this many bytes; 0 sends every query to a worker.",
        check=not_negative,
    )
    memory_store_max_quads: int = setting(
        2_000_000,
        "A store of at most this many quads is copied into memory once per host, and the query "
        "workers of every web worker share that copy (about 350 bytes per quad; queries run 3-6x "
        "faster than on disk); a larger one, or 0, is read on disk, never loaded.",
        check=not_negative,
    )
    http_max_head_bytes: int = setting(
        65_536,
        "Largest request head (request line and headers) a server reads (431).",
        check=positive,
    )
    http_max_headers: int = setting(100, "Most header fields of a request (431).", check=positive)
    http_max_url_bytes: int = setting(
        65_536, "Longest request URL (414); a longer query goes in a POST body.", check=positive
    )
    http_head_timeout: float = setting(
        10.0,
        "Seconds a request's head may take to arrive; an idle or dripping socket is closed (408).",
        check=positive,
    )
    http_max_connections: int = setting(
        1_000, "Open connections and requests per web worker; past it, 503.", check=positive
    )
    host: str = setting("127.0.0.1", "Interface policygraph serve listens on.")
    port: int = setting(8000, "Port policygraph serve listens on.")
    workers: int = setting(2, "gunicorn worker processes for policygraph serve.")
    harvest_since: str = setting(
        "2019-10-02",
        "First meeting date (YYYY-MM-DD) a harvest asks for when it is given no --since.",
    )
    harvest_window_days: int = setting(
        31, "Days of meetings a harvest asks for in one window.", check=positive
    )
    harvest_page_size: int = setting(
        200, "News items a harvest asks for in one request (LIMIT).", check=positive
    )
    harvest_min_interval: float = setting(
        1.0,
        "Least seconds between two requests of a harvest, to be polite to the endpoint.",
        check=not_negative,
    )
    harvest_timeout: float = setting(
        60.0,
        "Seconds one request of a harvest may take, its whole answer included: a peer that "
        "drips its answer is cut off then.",
        check=positive,
    )
    harvest_max_answer_bytes: int = setting(
        67_108_864,
        "Largest answer a harvest reads from its endpoint; a larger one stops the run.",
        check=positive,
    )
    harvest_run_timeout: float = setting(
        21_600.0,
        "Seconds one harvest run may take; past it the run stops, with the windows it completed "
        "saved for the next run to resume from.",
        check=positive,
    )
    harvest_retries: int = setting(
        4,
        "Retries of a failed request (5xx, timeout, broken connection), with doubling backoff.",
        check=not_negative,
    )
    user_agent_url: str = setting(
        "https://data.policygraph.be",
        "Project URL in the User-Agent of outgoing requests: policygraph/<version> (+URL).",
    )
    annotation_max_bytes: int = setting(
        262_144, "Largest body of a write of annotations (413 above it).", check=positive
    )
    annotation_rate_per_minute: float = setting(
        60.0,
        "Writes of annotations an account may make a minute, over every worker (429 above "
        "it); 0 for no limit.",
        check=not_negative,
    )
    annotation_burst: int = setting(
        30,
        "Writes of annotations an account may make at once before its rate holds.",
        check=positive,
    )
    validator: str = setting(
        "fast",
        "SHACL engine of builds, harvests and policygraph validate: fast (pyshacl-turbo, "
        "native) or pyshacl (pure Python, the reference the fast one is tested against).",
        check=_validator,
    )
    feed_page_size: int = setting(
        100,
        "Events per page of the change stream /ldes (a full page never changes); the Atom "
        "feed /feed.atom gives the newest five pages' worth.",
        check=positive,
    )

    def replace(self, **changes: Any) -> Settings:
        return load_settings(env={}, overrides={**self.as_dict(), **changes})

    def as_dict(self) -> dict[str, Any]:
        """The values as a settings file would write them."""
        return {s.name: raw_value(getattr(self, s.name)) for s in SETTINGS}


SETTINGS: tuple[Setting, ...] = table_of(Settings)

_BY_NAME = {s.name: s for s in SETTINGS}


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
            values[name] = _BY_NAME[name].coerce(raw)
    for name, s in _BY_NAME.items():
        key = ENV_PREFIX + name.upper()
        if key in env:
            values[name] = s.coerce(env[key])
    for name, raw in (overrides or {}).items():
        if name not in _BY_NAME:
            raise ConfigurationError(f"unknown setting {name!r}")
        if raw is not None:
            values[name] = _BY_NAME[name].coerce(raw)
    for s in SETTINGS:
        if s.check is not None:
            values[s.name] = s.check(s.name, values[s.name])
    return Settings(**values)


def required_data_dir(settings: Settings) -> Path:
    """The corpus folder a build reads, or an error that says how to name one."""
    folder = settings.data_dir
    if folder is not None and folder.is_dir():
        return folder
    missing = (
        "no data folder (an installed policygraph has none of its own)"
        if folder is None
        else f"no data folder {folder}"
    )
    raise ConfigurationError(
        f"{missing}; name the corpus folder (laid out as the repository's data/: corpus/, "
        "curated/, seeds/) with --data DIR, or the setting data_dir "
        "(POLICYGRAPH_DATA_DIR)"
    )
