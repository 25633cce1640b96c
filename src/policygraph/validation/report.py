"""A validation's outcome as a value, and its three renderings: a compiler-like text report,
JSON, and the SHACL report graph in Turtle.

A leaf module (it imports nothing of policygraph but the prefixes), so that the error tree can
name ``ValidationReport`` without an import cycle through the validator.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

import rdflib
from rdflib.namespace import SH

from policygraph.namespaces import PREFIXES

SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True)
class ValidationResult:
    severity: str
    """``Violation``, ``Warning`` or ``Info``."""
    focus_node: str
    source_shape: str
    constraint_component: str
    path: str | None
    value: str | None
    messages: tuple[tuple[str, str], ...]
    """(language, text) pairs; the language is "" for an untagged message."""

    def message(self, language: str = "en") -> str:
        for lang, text in self.messages:
            if lang == language:
                return text
        for lang, text in self.messages:
            if lang == "":
                return text
        return self.messages[0][1] if self.messages else ""


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    results: tuple[ValidationResult, ...]
    graph: rdflib.Graph
    """The SHACL validation report graph, as pySHACL made it."""
    triples_validated: int

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    @property
    def violation_count(self) -> int:
        return self.count("Violation")


def report_text(report: ValidationReport, *, language: str = "en", limit: int | None = 20) -> str:
    """A report that reads like a compiler's: grouped by shape, then by focus node."""
    lines: list[str] = []
    groups: dict[tuple[str, str], dict[str, list[ValidationResult]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for result in report.results:
        groups[(result.severity, result.source_shape)][result.focus_node].append(result)
    for (severity, shape), by_focus in groups.items():
        count = sum(len(v) for v in by_focus.values())
        lines.append(
            f"{severity.lower()}: {shape}: {count} result(s) on {len(by_focus)} focus node(s)"
        )
        for shown, (focus, results) in enumerate(by_focus.items()):
            if limit is not None and shown >= limit:
                lines.append(f"  … and {len(by_focus) - limit} more focus node(s)")
                break
            lines.append(f"  --> {focus}")
            for r in results:
                where = f"{r.path} " if r.path else ""
                value = f"= {r.value} " if r.value else ""
                component = r.constraint_component.removeprefix("sh:")
                lines.append(f"   | {where}{value}[{component}]")
                lines.append(f"   = {r.message(language)}")
        lines.append("")
    verdict = "conforms" if report.conforms else "does not conform"
    lines.append(
        f"{report.count('Violation')} violation(s), {report.count('Warning')} warning(s), "
        f"{report.count('Info')} info(s) in {report.triples_validated} triples: {verdict}"
    )
    return "\n".join(lines) + "\n"


def report_json(report: ValidationReport) -> str:
    return json.dumps(
        {
            "conforms": report.conforms,
            "triples": report.triples_validated,
            "counts": {s: report.count(s) for s in SEVERITIES},
            "results": [
                {
                    "severity": r.severity,
                    "focusNode": r.focus_node,
                    "sourceShape": r.source_shape,
                    "constraintComponent": r.constraint_component,
                    "path": r.path,
                    "value": r.value,
                    "messages": {lang or "und": text for lang, text in r.messages},
                }
                for r in report.results
            ],
        },
        ensure_ascii=False,
        indent=2,
    )


def report_turtle(report: ValidationReport) -> str:
    graph = report.graph
    graph.bind("sh", SH)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph.serialize(format="turtle")
