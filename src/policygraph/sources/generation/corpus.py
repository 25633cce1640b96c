"""The generations of an agreement: one folder per section under ``corpus/generation/``, each
placed at its section (or chapter), linked to its report and checked against it.

A folder is named like the ``name`` of a line of the agreement's sections file; that name gives
the chapter and the section number, and so the section, the report (when there is one: 224
sections were asked, 193 reports were published) and the IRIs. A folder whose name is no
section of the agreement is an error, not skipped.

A candidate is linked to the decisions whose text is its text, up to the whitespace at either
end (the prompt's lines lose the text's trailing spaces); when several decisions share a text,
to each of them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import quote

from pyoxigraph import NamedNode, Triple

from policygraph.errors import SourceError, SourceFormatError
from policygraph.namespaces import AgreementMinter, Minter
from policygraph.sources import CORPUS_LICENSE, SourceDocument, SourceGraph
from policygraph.sources.agreement.declaration import Agreement
from policygraph.sources.agreement.outline import AgreementOutline, place_of_name, read_outline
from policygraph.sources.decisions import DecisionIndex
from policygraph.sources.generation.graph import (
    Placed,
    agent_triples,
    generation_triples,
    plan_triples,
    resolved_references,
)
from policygraph.sources.generation.parse import EXCHANGE_FILE, ParsedGeneration, read_generation
from policygraph.sources.generation.renumbering import Check, check_renumbering
from policygraph.sources.reports.corpus import ReadReport

GENERATION_DIR = "corpus/generation"
README = "README.md"
METHOD_ORIGIN = (
    "https://github.com/datamindedbe/demo-elections2024-website/tree/"
    "a742d8a0c027d66199aca2e7e9de7b10c7ed5467/backend"
)
"""Where the method comes from: the origin's code, whose facts the folder's README sums up."""
GENERATION_ORIGIN = (
    "https://github.com/datamindedbe/demo-elections2024-website/tree/"
    "a742d8a0c027d66199aca2e7e9de7b10c7ed5467/data/llm_responses/agreement_adherence/"
    "20k_token_context_full_generation"
)


def generation_folders(data_dir: Path) -> list[Path]:
    root = Path(data_dir) / GENERATION_DIR
    if not root.is_dir():
        raise SourceError(f"{root}: no such folder of generations")
    return sorted(path for path in root.iterdir() if path.is_dir())


class TextIndex:
    """Decisions by their text, trimmed: what a candidate's text is matched against."""

    def __init__(self, decisions: DecisionIndex) -> None:
        self._by_text: dict[str, list[str]] = defaultdict(list)
        for decision in decisions:
            self._by_text[decision.text.strip()].append(decision.id)

    def decisions(self, text: str) -> tuple[str, ...]:
        return tuple(sorted(self._by_text.get(text.strip(), ())))


def read_generations(
    data_dir: Path,
    agreements: Sequence[tuple[Agreement, Mapping[tuple[str, str | None], ReadReport]]],
    minter: Minter,
    texts: TextIndex,
) -> list[SourceGraph]:
    """One named graph per generation folder, in folder order.

    Each agreement comes with its reports by chapter slug and section number (None for a
    chapter-level report). A folder belongs to the agreement whose sections file has its name.
    """
    # Reading the outlines first checks the sections files, so that section_names reads them sound.
    outlines = {a.slug: read_outline(data_dir, a.files) for a, _ in agreements}
    places = {
        name: (agreement, reports)
        for agreement, reports in agreements
        for name in section_names(data_dir, agreement)
    }
    graphs = []
    # The models and the methods are described once, in a graph of their own: each
    # generation's graph names them, and a query over the union finds each fact once.
    methods: dict[Triple, None] = dict.fromkeys(agent_triples(minter))
    for folder in generation_folders(data_dir):
        if folder.name not in places:
            raise SourceFormatError(
                f"{folder}: the name is that of no section of a declared agreement"
            )
        agreement, reports = places[folder.name]
        iris = agreement.iris(minter)
        chapter, number = place_of_name(folder.name, str(folder))
        assessed = _assessed(outlines[agreement.slug], chapter, number, folder, iris)
        generation = read_generation(folder)
        read = reports.get((chapter, number))
        candidates = [texts.decisions(c.text) for c in generation.exchange.candidates]
        checks: tuple[Check, ...] = ()
        if read is not None:
            numbers = [ref.number for ref in read.report.references]
            references = resolved_references(numbers, read.resolved)
            checks = check_renumbering(references, generation.exchange.numbered, candidates)
        document = generation_document(data_dir, agreement, folder, chapter, number)
        placed = Placed(
            generation=generation,
            chapter=chapter,
            number=number,
            assessed=assessed,
            report=None if read is None else iris.report(chapter, number),
            candidate_decisions=candidates,
            checks=checks,
            source=minter.source(document.slug),
        )
        methods.update(dict.fromkeys(plan_triples(generation, minter)))
        triples = generation_triples(placed, iris)
        graphs.append(
            SourceGraph(
                name=iris.generation_graph(chapter, number),
                title=f"Generatie / generation {number or chapter}: {_title(generation)}",
                document=document,
                triples=tuple(dict.fromkeys(triples)),
            )
        )
    if graphs:
        graphs.append(
            SourceGraph(
                name=minter.graph("generatie"),
                title="Taalmodellen en werkwijze / language models and method of the assessments",
                document=method_document(data_dir),
                triples=tuple(methods),
            )
        )
    return graphs


def method_document(data_dir: Path) -> SourceDocument:
    """The generation folder's README, which says how the reports were made: the method's
    source."""
    return SourceDocument(
        slug="corpus-generation-method",
        title=f"Hoe de beoordelingen gemaakt zijn / how the assessments were made: {README}",
        path=Path(data_dir) / GENERATION_DIR / README,
        relative_path=f"{GENERATION_DIR}/{README}",
        origin=METHOD_ORIGIN,
        license=CORPUS_LICENSE,
        media_type="text/markdown",
    )


def section_names(data_dir: Path, agreement: Agreement) -> set[str]:
    """The ``name`` of every line of the agreement's sections file, once ``read_outline`` has
    checked that file."""
    path = Path(data_dir) / agreement.files.sections
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: cannot read: {exc}") from exc
    records = [json.loads(line) for line in lines if line.strip()]
    return {record["name"] for record in records}


def _assessed(
    outline: AgreementOutline,
    chapter: str,
    number: str | None,
    folder: Path,
    iris: AgreementMinter,
) -> NamedNode:
    """The section (or chapter) a folder's name places it at; it must be one of the outline."""
    if number is None:
        if not any(c.slug == chapter for c in outline.chapters):
            raise SourceFormatError(f"{folder}: the agreement has no chapter {chapter!r}")
        return iris.chapter(chapter)
    try:
        outline.section(chapter, number)
    except KeyError:
        raise SourceFormatError(
            f"{folder}: the agreement has no section {number} in chapter {chapter!r}"
        ) from None
    return iris.section(chapter, number)


def _title(generation: ParsedGeneration) -> str:
    return generation.folder.rpartition("_-_")[2].replace("_", " ")


def generation_document(
    data_dir: Path, agreement: Agreement, folder: Path, chapter: str, number: str | None
) -> SourceDocument:
    """The exchange file of a folder as a source document (its metadata is checked against it)."""
    relative = folder.relative_to(Path(data_dir) / GENERATION_DIR) / EXCHANGE_FILE
    return SourceDocument(
        slug="-".join(["corpus-generation", chapter, *([number] if number else [])]),
        title=f"Prompt en antwoord / prompt and answer: {relative.as_posix()}",
        path=folder / EXCHANGE_FILE,
        relative_path=f"{GENERATION_DIR}/{relative.as_posix()}",
        origin=f"{GENERATION_ORIGIN}/{quote(relative.as_posix())}",
        license=agreement.documents.license,
        media_type="text/plain",
    )


__all__ = [
    "GENERATION_DIR",
    "TextIndex",
    "generation_folders",
    "read_generations",
    "section_names",
]
