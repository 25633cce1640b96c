"""The reports of an agreement: every Markdown file under the folder its declaration names,
parsed, its references linked to decisions, and mapped to one named graph per report.

A decision the decisions file leaves untitled takes its title from the first report, in path
order, whose reference names it (``_decision_titles``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

from pyoxigraph import Triple

from policygraph.errors import SourceError
from policygraph.namespaces import Minter, slugify
from policygraph.sources import SourceDocument, SourceGraph
from policygraph.sources.agreement.declaration import Agreement
from policygraph.sources.decisions import DecisionIndex, normalise_title
from policygraph.sources.reports.graph import decision_title_triple, report_triples
from policygraph.sources.reports.model import ParsedReport
from policygraph.sources.reports.parse import parse_report


def chapter_slug(relative: Path) -> str:
    """The chapter of a report from its path under ``reports/``: the first folder, or the file's
    stem for a chapter that is one file (``Media.md``)."""
    return slugify(relative.parts[0] if len(relative.parts) > 1 else relative.stem)


def report_paths(data_dir: Path, agreement: Agreement) -> list[Path]:
    """Every report file of an agreement, in a fixed order: by path components, as the build
    reads them."""
    root = Path(data_dir) / agreement.files.reports
    if not root.is_dir():
        raise SourceError(f"{root}: no such folder of reports ({agreement.declared_in})")
    return sorted(root.rglob("*.md"), key=lambda p: p.relative_to(root).parts)


def report_document(
    path: Path, data_dir: Path, agreement: Agreement, chapter: str, report: ParsedReport
) -> SourceDocument:
    documents, folder = agreement.documents, agreement.files.reports
    relative = path.relative_to(Path(data_dir) / folder).as_posix()
    number = [report.iri_number] if report.iri_number else []
    return SourceDocument(
        slug="-".join([documents.reports, chapter, *number]),
        title=f"Beoordelingsrapport / assessment report: {relative}",
        path=path,
        relative_path=f"{folder}/{relative}",
        origin=f"{documents.reports_origin}/{quote(relative)}",
        license=documents.license,
        media_type="text/markdown",
    )


@dataclass(frozen=True)
class ReadReport:
    """One report as read: its values, where its references lead, and its graph."""

    chapter: str
    report: ParsedReport
    resolved: Mapping[int, str]
    """Reference number → the Kaleidos id of the decision it resolves to (when it does)."""
    graph: SourceGraph


def read_reports(
    data_dir: Path,
    agreement: Agreement,
    minter: Minter,
    decisions: DecisionIndex,
    titled: set[str] | None = None,
) -> list[SourceGraph]:
    """One named graph per report file of the agreement, in path order.

    ``titled`` holds the untitled decisions a report has already given a title; pass the same
    set for every agreement of a build, so that a decision gets one title.
    """
    return [
        read.graph for read in read_report_files(data_dir, agreement, minter, decisions, titled)
    ]


def read_report_files(
    data_dir: Path,
    agreement: Agreement,
    minter: Minter,
    decisions: DecisionIndex,
    titled: set[str] | None = None,
) -> list[ReadReport]:
    """``read_reports`` with the values each graph was made from, for sources that need them."""
    titled = set() if titled is None else titled
    reads = []
    iris = agreement.iris(minter)
    root = Path(data_dir) / agreement.files.reports
    for path in report_paths(data_dir, agreement):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SourceError(f"{path}: cannot read: {exc}") from exc
        report = parse_report(text, str(path))
        chapter = chapter_slug(path.relative_to(root))
        document = report_document(path, data_dir, agreement, chapter, report)
        resolved = dict(resolve_references(report, decisions))
        triples = report_triples(
            report,
            chapter_slug=chapter,
            iris=iris,
            source=minter.source(document.slug),
            decisions={n: minter.decision(d) for n, d in resolved.items()},
        )
        triples += _decision_titles(report, resolved, decisions, minter, titled)
        graph = SourceGraph(
            name=iris.report_graph(chapter, report.iri_number),
            title=f"Beoordeling / assessment {report.section_number}: {report.title}",
            document=document,
            triples=tuple(dict.fromkeys(triples)),
        )
        reads.append(ReadReport(chapter, report, resolved, graph))
    return reads


def resolve_references(report: ParsedReport, decisions: DecisionIndex) -> Iterator[tuple[int, str]]:
    """Each reference number with the Kaleidos id of the decision it points to.

    Equal references (same date, title and URL) of one report are taken to cite different
    decisions when the index has several candidates: the k-th such reference gets the k-th.
    """
    seen: dict[tuple[date, str, str], int] = {}
    for ref in report.references:
        key = (ref.date, normalise_title(ref.title or ""), ref.url or "")
        match = decisions.match(ref.date, ref.title, ref.url, skip=seen.get(key, 0))
        seen[key] = seen.get(key, 0) + 1
        if match is not None:
            yield ref.number, match.decision.id


def _decision_titles(
    report: ParsedReport,
    resolved: dict[int, str],
    decisions: DecisionIndex,
    minter: Minter,
    titled: set[str],
) -> list[Triple]:
    """Titles for decisions the decisions file leaves untitled, from this report's references.

    Each decision gets exactly one: from the first report, in path order, and within it the
    first reference, that names it. ``titled`` carries the decisions already titled.
    """
    triples = []
    for ref in report.references:
        decision = decisions.get(resolved[ref.number]) if ref.number in resolved else None
        if decision is None or decision.title or not ref.title or decision.id in titled:
            continue
        titled.add(decision.id)
        triples.append(decision_title_triple(minter.decision(decision.id), ref.title))
    return triples


__all__ = [
    "ReadReport",
    "chapter_slug",
    "read_report_files",
    "read_reports",
    "report_document",
    "report_paths",
    "resolve_references",
]
