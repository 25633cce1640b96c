"""How a table of settings works: a setting declared as a field of a frozen dataclass (its
type, default, help and check), the row derived from that field, and the coercion of a raw value
(TOML, or an environment string) into the field's type.

``config.py`` declares policygraph's settings with it; nothing here knows any of them.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from policygraph.errors import ConfigurationError

T = TypeVar("T")
Number = TypeVar("Number", int, float)
Check = Callable[[str, Any], Any]
"""Given a setting's name and its coerced value, return the value kept or raise."""


def setting(
    default: T,
    help: str,
    *,
    check: Callable[[str, T], T] | None = None,
    shown: str | None = None,
) -> T:
    """A field of ``Settings``: its default, its help, the check its value must pass, and how
    the README shows the default when the value itself would not do (a path on this machine)."""
    metadata = {"help": help, "check": check, "shown": shown}
    return field(default=default, metadata=metadata)


def positive(name: str, value: Number) -> Number:
    if value <= 0:
        raise ConfigurationError(f"setting {name} must be positive")
    return value


def not_negative(name: str, value: Number) -> Number:
    if value < 0:
        raise ConfigurationError(f"setting {name} must not be negative")
    return value


def raw_value(value: Any) -> Any:
    """A value as a settings file would write it."""
    if value is None:
        return ""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple):
        return " ".join(value)
    return value


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"not a boolean: {raw!r}")


def _optional_path(raw: Any) -> Path | None:
    text = str(raw)
    return Path(text) if text else None


def _words(raw: Any) -> tuple[str, ...]:
    items = raw.split() if isinstance(raw, str) else [str(item) for item in raw]
    return tuple(item for item in items if item)


# How a raw value (TOML, or an environment string) becomes a value of each type a setting has.
_COERCIONS: dict[object, Callable[[Any], Any]] = {
    bool: _boolean,
    int: int,
    float: float,
    str: str,
    Path: lambda raw: Path(str(raw)),
    Path | None: _optional_path,
    tuple[str, ...]: _words,
}


@dataclass(frozen=True)
class Setting:
    """One row of the table, derived from a field of ``Settings``."""

    name: str
    type: object
    default: Any
    help: str
    check: Check | None
    shown: str | None
    """How the README shows the default, when not the value itself."""

    def coerce(self, raw: Any) -> Any:
        try:
            return _COERCIONS[self.type](raw)
        except (TypeError, ValueError) as exc:
            raise ConfigurationError(f"setting {self.name}: {exc}") from exc


def table_of(settings_class: type[Any]) -> tuple[Setting, ...]:
    """The rows declared by the fields of a settings dataclass."""
    types = typing.get_type_hints(settings_class)
    rows = []
    for f in dataclasses.fields(settings_class):
        if types[f.name] not in _COERCIONS:
            # Fails on import, so a setting of a type nobody can read is never shipped.
            raise TypeError(f"setting {f.name}: no coercion for {types[f.name]}")
        rows.append(
            Setting(
                f.name,
                types[f.name],
                f.default,
                f.metadata["help"],
                f.metadata["check"],
                f.metadata["shown"],
            )
        )
    return tuple(rows)
