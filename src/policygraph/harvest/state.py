"""The resumable state of a harvest, kept beside the store: ``store_dir/harvest/themis.json``.

It holds what the last harvests found (every news item's fields and content hash, by uuid), so
that a harvest knows what is new or changed, and the run under way (its range, the windows it
has completed, its counts so far), so that a run that failed is resumed where it stopped rather
than started over. It is written after every completed window, atomically (a temporary file,
fsync, rename), so a crash leaves either the state before the window or the state after it.

    {"format": 1, "endpoint": …, "items": {uuid: {"hash": …, "item": {…}}},
     "run": {"since": …, "until": …, "completed": ["2020-01-01..2020-02-01", …],
             "seen": [uuid, …], "counts": {…}} | null,
     "published": true | false, "last_run": {…} | null}
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from policygraph.errors import SourceError
from policygraph.harvest.queries import Window
from policygraph.harvest.themis import NewsItem

FORMAT = 1


@dataclass
class Counts:
    """What a run found, window by window; carried across a resumed run."""

    windows: int = 0
    seen: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: int = 0
    requests: int = 0
    retries: int = 0

    def as_json(self) -> dict[str, int]:
        return dict(self.__dict__)

    @classmethod
    def from_json(cls, values: dict[str, Any]) -> Counts:
        return cls(**{k: int(v) for k, v in values.items() if k in cls.__dataclass_fields__})


@dataclass
class Run:
    """A harvest of the windows from ``since`` to ``until``, under way or interrupted."""

    since: date
    until: date
    completed: list[Window] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    counts: Counts = field(default_factory=Counts)

    def as_json(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "completed": [str(w) for w in self.completed],
            "seen": sorted(self.seen),
            "counts": self.counts.as_json(),
        }

    @classmethod
    def from_json(cls, values: dict[str, Any]) -> Run:
        return cls(
            since=date.fromisoformat(values["since"]),
            until=date.fromisoformat(values["until"]),
            completed=[Window.parse(w) for w in values.get("completed", [])],
            seen=set(values.get("seen", [])),
            counts=Counts.from_json(values.get("counts", {})),
        )


@dataclass
class HarvestState:
    endpoint: str
    items: dict[str, NewsItem] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    run: Run | None = None
    published: bool = True
    last_run: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "endpoint": self.endpoint,
            "items": {
                uuid: {"hash": self.hashes[uuid], "item": item.as_json()}
                for uuid, item in sorted(self.items.items())
            },
            "run": self.run.as_json() if self.run else None,
            "published": self.published,
            "last_run": self.last_run,
        }

    @classmethod
    def from_json(cls, values: dict[str, Any]) -> HarvestState:
        if values.get("format") != FORMAT:
            raise SourceError(f"harvest state of unknown format {values.get('format')!r}")
        entries = values.get("items", {})
        return cls(
            endpoint=values["endpoint"],
            items={uuid: NewsItem.from_json(e["item"]) for uuid, e in entries.items()},
            hashes={uuid: e["hash"] for uuid, e in entries.items()},
            run=Run.from_json(values["run"]) if values.get("run") else None,
            published=bool(values.get("published", True)),
            last_run=values.get("last_run"),
        )


def state_path(store_dir: Path, name: str = "themis") -> Path:
    return Path(store_dir) / "harvest" / f"{name}.json"


@contextmanager
def state_lock(path: Path) -> Iterator[None]:
    """One harvest at a time per state file (a second one would overwrite the first's progress)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.with_suffix(".lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SourceError(f"another harvest is using {path}") from None
        yield


def load_state(path: Path, endpoint: str) -> HarvestState:
    """The saved state, or a fresh one when there is none.

    The state of another endpoint is not reused: its hashes say nothing about this one.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return HarvestState(endpoint)
    except OSError as exc:
        raise SourceError(f"cannot read the harvest state {path}: {exc}") from exc
    try:
        state = HarvestState.from_json(json.loads(text))
    except (ValueError, KeyError, TypeError) as exc:
        raise SourceError(f"the harvest state {path} is damaged: {exc}") from exc
    if state.endpoint != endpoint:
        return HarvestState(endpoint)
    return state


def save_state(state: HarvestState, path: Path) -> None:
    """Write the state atomically: readers and crashes see the old file or the new, never half."""
    write_atomically(path, json.dumps(state.as_json(), ensure_ascii=False, indent=1) + "\n")


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise SourceError(f"cannot write {path}: {exc}") from exc
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


__all__ = [
    "Counts",
    "HarvestState",
    "Run",
    "load_state",
    "save_state",
    "state_lock",
    "state_path",
    "write_atomically",
]
