"""The sources of a build, each declared once: what it reads and which other sources it needs.

``collect`` (``build.pipeline``) runs ``SOURCES`` in the order their needs imply, so that a
source is read after every source it takes something from (the decisions' index feeds the
reports; an agreement's text and the curated organisations feed its mentions). A need that no
declared source meets, or needs that go round in a circle, stop the build before anything is
read. Every source is pure: it reads its inputs and what it needs, and returns ``Read``.

To add a source: write its reader in a module of its own, declare it below with its inputs
(glob patterns under the data folder, or the ontology folder for the ontology) and its needs.
"""

from __future__ import annotations

import graphlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar

from policygraph.errors import ConfigurationError, SourceError
from policygraph.namespaces import Minter
from policygraph.sources import SourceGraph
from policygraph.sources.agreement.declaration import AGREEMENTS_DIR, Agreement, read_agreements
from policygraph.sources.agreement.graph import read_agreement
from policygraph.sources.curated import ARTICLE_PATH, CURATED_DIR, read_curated
from policygraph.sources.decisions import DECISIONS_PATH, DecisionIndex, read_decisions
from policygraph.sources.generation.corpus import (
    GENERATION_DIR,
    README,
    TextIndex,
    read_generations,
)
from policygraph.sources.generation.parse import EXCHANGE_FILE, METADATA_FILE
from policygraph.sources.mentions import find_mentions
from policygraph.sources.ontology import read_ontology
from policygraph.sources.reports.corpus import ReadReport, read_report_files

T = TypeVar("T")


@dataclass(frozen=True)
class Read:
    """What a source gives: named graphs, and a value the sources that need it may take."""

    graphs: tuple[SourceGraph, ...]
    value: object = None


@dataclass(frozen=True)
class Given:
    """What a source is given: where its inputs are, the minter, and what its needs read."""

    data_dir: Path
    ontology_dir: Path
    minter: Minter
    needs: Mapping[str, Read]

    def graphs(self, source: str) -> tuple[SourceGraph, ...]:
        return self._read(source).graphs

    def value(self, source: str, kind: type[T]) -> T:
        value = self._read(source).value
        if not isinstance(value, kind):
            raise TypeError(f"source {source!r} gives {type(value).__name__}, not {kind.__name__}")
        return value

    def _read(self, source: str) -> Read:
        if source not in self.needs:  # a reader used a source it did not declare as a need
            raise ConfigurationError(f"a source took {source!r} without declaring it a need")
        return self.needs[source]


@dataclass(frozen=True)
class Source:
    name: str
    read: Callable[[Given], Read] = field(repr=False)
    inputs: tuple[str, ...] = ()
    """Glob patterns of the files it reads, under ``root``; each must match a file."""
    needs: tuple[str, ...] = ()
    root: Literal["data", "ontology"] = "data"


@dataclass(frozen=True)
class AgreementTexts:
    """The agreements' declarations, each with the graph of its text."""

    texts: tuple[tuple[Agreement, SourceGraph], ...]

    @property
    def agreements(self) -> tuple[Agreement, ...]:
        return tuple(agreement for agreement, _ in self.texts)


def _ontology(given: Given) -> Read:
    return Read(tuple(read_ontology(given.ontology_dir, given.minter)))


def _agreements(given: Given) -> Read:
    texts = tuple(
        (agreement, read_agreement(given.data_dir, agreement, given.minter))
        for agreement in read_agreements(given.data_dir)
    )
    return Read(tuple(graph for _, graph in texts), AgreementTexts(texts))


def _decisions(given: Given) -> Read:
    agreements = given.value("agreements", AgreementTexts).agreements
    graph, index = read_decisions(given.data_dir, given.minter, agreements)
    return Read((graph,), index)


@dataclass(frozen=True)
class AgreementReports:
    """Each agreement's reports as read, by chapter slug and section number."""

    reports: tuple[tuple[Agreement, Mapping[tuple[str, str | None], ReadReport]], ...]


def _reports(given: Given) -> Read:
    index = given.value("decisions", DecisionIndex)
    titled: set[str] = set()  # one title per untitled decision, over every agreement
    read = [
        (agreement, read_report_files(given.data_dir, agreement, given.minter, index, titled))
        for agreement in given.value("agreements", AgreementTexts).agreements
    ]
    return Read(
        tuple(report.graph for _, reports in read for report in reports),
        AgreementReports(
            tuple(
                (agreement, {(r.chapter, r.report.iri_number): r for r in reports})
                for agreement, reports in read
            )
        ),
    )


def _generation(given: Given) -> Read:
    texts = TextIndex(given.value("decisions", DecisionIndex))
    reports = given.value("reports", AgreementReports).reports
    return Read(tuple(read_generations(given.data_dir, reports, given.minter, texts)))


def _curated(given: Given) -> Read:
    return Read(tuple(read_curated(given.data_dir, given.minter)))


def _mentions(given: Given) -> Read:
    organisations_name = given.minter.graph("organisaties")
    organisations = next(g for g in given.graphs("curated") if g.name == organisations_name)
    texts = given.value("agreements", AgreementTexts).texts
    return Read(
        tuple(
            find_mentions(agreement, text, organisations, given.minter) for agreement, text in texts
        )
    )


SOURCES: tuple[Source, ...] = (
    Source("ontology", _ontology, inputs=("*.ttl",), root="ontology"),
    Source("agreements", _agreements, inputs=(f"{AGREEMENTS_DIR}/*.toml",)),
    Source("decisions", _decisions, inputs=(DECISIONS_PATH,), needs=("agreements",)),
    Source("reports", _reports, needs=("agreements", "decisions")),
    Source("curated", _curated, inputs=(f"{CURATED_DIR}/*.ttl", ARTICLE_PATH)),
    Source("mentions", _mentions, needs=("agreements", "curated")),
    Source(
        "generation",
        _generation,
        inputs=(
            f"{GENERATION_DIR}/{README}",
            f"{GENERATION_DIR}/*/{EXCHANGE_FILE}",
            f"{GENERATION_DIR}/*/{METADATA_FILE}",
        ),
        needs=("decisions", "reports"),
    ),
)


def run_order(sources: Sequence[Source]) -> tuple[Source, ...]:
    """The sources, each after every source it needs; ties keep the order of declaration."""
    by_name: dict[str, Source] = {}
    for source in sources:
        if source.name in by_name:
            raise ConfigurationError(f"the source {source.name!r} is declared twice")
        by_name[source.name] = source
    for source in sources:
        missing = [need for need in source.needs if need not in by_name]
        if missing:
            raise ConfigurationError(
                f"the source {source.name!r} needs {', '.join(map(repr, missing))}, "
                "which no declared source is"
            )
    sorter = graphlib.TopologicalSorter({s.name: s.needs for s in sources})
    try:
        sorter.prepare()
    except graphlib.CycleError as exc:
        cycle = " → ".join(exc.args[1])
        raise ConfigurationError(f"the sources need each other in a circle: {cycle}") from exc
    position = {source.name: index for index, source in enumerate(sources)}
    order: list[Source] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=position.__getitem__)
        order += [by_name[name] for name in ready]
        sorter.done(*ready)
    return tuple(order)


def check_inputs(
    source: Source, data_dir: Path, ontology_dir: Path, max_bytes: int | None = None
) -> None:
    """Every declared input matches a file, and none is larger than ``max_bytes``: a missing
    or oversized one is named before anything is read."""
    root = Path(ontology_dir if source.root == "ontology" else data_dir)
    for pattern in source.inputs:
        matches = list(root.glob(pattern))
        if not matches:
            raise SourceError(f"the source {source.name!r} reads {root / pattern}: no such file")
        for path in matches:
            if max_bytes is not None and path.is_file() and path.stat().st_size > max_bytes:
                raise SourceError(f"{path}: larger than {max_bytes} bytes (max_input_bytes)")


def run(
    sources: Sequence[Source],
    data_dir: Path,
    ontology_dir: Path,
    minter: Minter,
    each: Callable[[Source, Read], Read] = lambda _, read: read,
    max_input_bytes: int | None = None,
) -> dict[str, Read]:
    """What every source reads, in run order; ``each`` sees (and may replace) each ``Read``."""
    order = run_order(sources)
    for source in order:
        check_inputs(source, data_dir, ontology_dir, max_input_bytes)
    done: dict[str, Read] = {}
    for source in order:
        given = Given(data_dir, ontology_dir, minter, {n: done[n] for n in source.needs})
        done[source.name] = each(source, source.read(given))
    return done


__all__ = [
    "SOURCES",
    "AgreementReports",
    "AgreementTexts",
    "Given",
    "Read",
    "Source",
    "check_inputs",
    "run",
    "run_order",
]
