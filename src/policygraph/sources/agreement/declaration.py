"""An agreement as declared in ``data/agreements/*.toml``: who made it, when, and its files.

The declaration is the one place an agreement's slug, titles, period and government are
written; everything minted for it goes through ``Agreement.iris``. A declaration reads::

    slug = "2019-2024"
    former_iris = true            # optional: minted before IRIs carried their agreement
    [title]      nl = "…", en = "…"
    [period]     start = 2019-10-02, end = 2024-09-30
    [government] body = "vlaamse-regering", composition = "vlaamse-regering-jambon"
    [files]      sections = "…/sections.jsonl", chapters = "….json", reports = "…/reports"
    [documents]  sections = "corpus-sections", reports = "corpus-report",
                 origin = "…", license = "…", reports_origin = "…"

Paths are under the data folder. A missing key or a value of the wrong type is a
``SourceFormatError`` naming the file and the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from policygraph.errors import SourceError, SourceFormatError
from policygraph.namespaces import AgreementMinter, Minter

AGREEMENTS_DIR = "agreements"


@dataclass(frozen=True)
class Government:
    body: str
    """Slug of the government body (``{base}/id/organisatie/{slug}``)."""
    composition: str
    """Slug of its composition that made the agreement and was in office for its period."""


@dataclass(frozen=True)
class AgreementFiles:
    sections: str
    chapters: str
    reports: str


@dataclass(frozen=True)
class AgreementDocuments:
    sections: str
    """Slug of the sections file as a source document."""
    reports: str
    """Prefix of the slugs of the report files."""
    origin: str
    license: str
    reports_origin: str
    """Where the report files are published; a report's path under ``files.reports`` follows."""


@dataclass(frozen=True)
class Agreement:
    slug: str
    title_nl: str
    title_en: str
    start: date
    end: date
    government: Government
    files: AgreementFiles
    documents: AgreementDocuments
    former_iris: bool
    """Its IRIs were once minted without the agreement; they redirect to the ones it has now."""
    declared_in: Path

    def iris(self, minter: Minter) -> AgreementMinter:
        return minter.within(self.slug)

    def in_office(self, day: date) -> bool:
        return self.start <= day <= self.end


def read_agreements(data_dir: Path) -> tuple[Agreement, ...]:
    """Every declared agreement, by slug; slugs are unique and at most one has former IRIs."""
    folder = Path(data_dir) / AGREEMENTS_DIR
    paths = sorted(folder.glob("*.toml"))
    if not paths:
        raise SourceError(f"{folder}: no agreement is declared (no *.toml)")
    agreements = sorted((read_agreement_declaration(p) for p in paths), key=lambda a: a.slug)
    slugs = [a.slug for a in agreements]
    twice = sorted({s for s in slugs if slugs.count(s) > 1})
    if twice:
        raise SourceFormatError(f"{folder}: the slug {twice[0]!r} is declared twice")
    former = [a.declared_in.name for a in agreements if a.former_iris]
    if len(former) > 1:
        raise SourceFormatError(
            f"{folder}: only one agreement can hold the former IRIs, not {', '.join(former)}"
        )
    return tuple(agreements)


def former_iris_agreement(data_dir: Path) -> str | None:
    """The slug of the agreement that the former, agreement-less IRIs name, if one does.

    None, too, when the data folder declares no agreement (a store served without its sources).
    """
    if not any((Path(data_dir) / AGREEMENTS_DIR).glob("*.toml")):
        return None
    return next((a.slug for a in read_agreements(data_dir) if a.former_iris), None)


def read_agreement_declaration(path: Path) -> Agreement:
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SourceFormatError(f"{path}: not a TOML document: {exc}") from exc
    read = _Reader(path, table)
    start, end = read.date("period", "start"), read.date("period", "end")
    if end < start:
        raise SourceFormatError(f"{path}: the period ends ({end}) before it starts ({start})")
    former = table.get("former_iris", False)
    if not isinstance(former, bool):
        raise SourceFormatError(f"{path}: 'former_iris' must be true or false")
    return Agreement(
        slug=read.string("slug"),
        title_nl=read.string("title", "nl"),
        title_en=read.string("title", "en"),
        start=start,
        end=end,
        government=Government(
            read.string("government", "body"), read.string("government", "composition")
        ),
        files=AgreementFiles(
            read.string("files", "sections"),
            read.string("files", "chapters"),
            read.string("files", "reports"),
        ),
        documents=AgreementDocuments(
            read.string("documents", "sections"),
            read.string("documents", "reports"),
            read.string("documents", "origin"),
            read.string("documents", "license"),
            read.string("documents", "reports_origin"),
        ),
        former_iris=former,
        declared_in=path,
    )


@dataclass(frozen=True)
class _Reader:
    path: Path
    table: dict[str, Any]

    def _value(self, keys: tuple[str, ...]) -> object:
        value: object = self.table
        for key in keys:
            if not isinstance(value, dict) or key not in value:
                raise SourceFormatError(f"{self.path}: missing {'.'.join(keys)!r}")
            value = value[key]
        return value

    def string(self, *keys: str) -> str:
        value = self._value(keys)
        if not isinstance(value, str) or not value.strip():
            raise SourceFormatError(f"{self.path}: {'.'.join(keys)!r} must be a non-empty string")
        return value

    def date(self, *keys: str) -> date:
        value = self._value(keys)
        if not isinstance(value, date):
            raise SourceFormatError(f"{self.path}: {'.'.join(keys)!r} must be a date (YYYY-MM-DD)")
        return value


__all__ = [
    "AGREEMENTS_DIR",
    "Agreement",
    "AgreementDocuments",
    "AgreementFiles",
    "Government",
    "former_iris_agreement",
    "read_agreement_declaration",
    "read_agreements",
]
