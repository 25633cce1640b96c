"""The decisions of the Flemish Government (``corpus/decisions.jsonl``) and the index that links
an assessment report's references to them.

Each line is one decision: ``{"id", "kind", "date", "title", "text", "source_url"}``. The graph
holds one ``pg:GovernmentDecision`` per line in ``{base}/graph/beslissingen``. 597 decisions have
no title and no URL in this file; the reports' reference lists name them, so ``read_reports``
gives them their title (see ``reports.corpus``), not this module.

A report's reference is only a date, a printed title and a search URL, so it is linked to a
decision by ``DecisionIndex.match``, in three steps, first hit wins:

1. the search URL equals the decision's ``source_url`` exactly;
2. the date and the normalised title equal a titled decision's;
3. the date equals an untitled decision's and its normalised text starts with the title.

Normalising folds no-break spaces and runs of whitespace, trims, and reads a hyphen followed by
space as a bare hyphen (see ``_match_key``).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from pyoxigraph import Literal, Triple

from policygraph.errors import SourceError, SourceFormatError
from policygraph.namespaces import DCT, MU, PG, PGC, PROV, RDF, SCHEMA, XSD, Minter
from policygraph.sources import CORPUS_LICENSE, CORPUS_ORIGIN, SourceDocument, SourceGraph
from policygraph.sources.agreement.declaration import Agreement

DECISIONS_PATH = "corpus/decisions.jsonl"


class DecisionKind(StrEnum):
    """The two kinds of agenda item the government publishes; each is a ``pgc:`` concept."""

    NOTA = "nota"
    MEDEDELING = "mededeling"


@dataclass(frozen=True)
class Decision:
    """One line of ``decisions.jsonl``; empty titles and URLs are read as absent."""

    id: str
    kind: DecisionKind
    date: date
    title: str | None
    text: str
    url: str | None


class MatchStep(StrEnum):
    """How a reference was linked to a decision, in the order the steps are tried."""

    URL = "url"
    TITLE = "title"
    TEXT = "text"


@dataclass(frozen=True)
class DecisionMatch:
    decision: Decision
    step: MatchStep
    candidates: tuple[Decision, ...]
    """Every decision the step found, in tie-break order; more than one means ambiguity."""

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


_WHITESPACE = re.compile(r"\s+")
_HYPHEN_SPACE = re.compile(r"-\s+")


def normalise_title(text: str) -> str:
    """Fold no-break spaces, line breaks and double spaces into single spaces, and trim.

    ``\\s`` matches every Unicode space (U+00A0 included), so one substitution folds them all.
    """
    return _WHITESPACE.sub(" ", text).strip()


def _match_key(text: str) -> str:
    """``normalise_title``, and a hyphen followed by space read as a bare hyphen.

    The decisions' texts were extracted from PDFs that hyphenate at line ends ("radio-
    omroeporganisaties"); six references are found only with this fold. It is applied to both
    sides of a comparison, so a real "gemeenschaps- en gewestregeringen" still matches itself.
    """
    return _HYPHEN_SPACE.sub("-", normalise_title(text))


class DecisionIndex:
    """Finds the decision a report's reference points to (see the module docstring).

    When a step finds several decisions (the corpus has two pairs that share date, title and URL:
    two different decisions published under one heading), the candidates are ordered by
    Kaleidos id and the first is taken, so the link does not depend on the file's line order. A
    report that cites several equal references can ask for the next candidate with ``skip``.
    """

    def __init__(self, decisions: Iterable[Decision]) -> None:
        self._by_id: dict[str, Decision] = {}
        self._by_url: dict[str, list[Decision]] = defaultdict(list)
        self._by_title: dict[tuple[date, str], list[Decision]] = defaultdict(list)
        self._untitled_by_date: dict[date, list[tuple[str, Decision]]] = defaultdict(list)
        for decision in sorted(decisions, key=lambda d: d.id):
            if decision.id in self._by_id:
                raise ValueError(f"decision {decision.id} given twice")
            self._by_id[decision.id] = decision
            if decision.url:
                self._by_url[decision.url].append(decision)
            if decision.title:
                key = (decision.date, _match_key(decision.title))
                self._by_title[key].append(decision)
            else:
                text = _match_key(decision.text)
                self._untitled_by_date[decision.date].append((text, decision))

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Decision]:
        return iter(self._by_id.values())

    def get(self, decision_id: str) -> Decision | None:
        return self._by_id.get(decision_id)

    def match(
        self, when: date, title: str | None, url: str | None, *, skip: int = 0
    ) -> DecisionMatch | None:
        """The decision a reference with this date, printed title and URL points to, if any.

        ``skip`` passes over that many candidates of an ambiguous step (and falls back to the
        last one), so that n equal references of one report may reach n different decisions.
        """
        for step, candidates in self._candidates(when, title, url):
            if candidates:
                chosen = candidates[min(skip, len(candidates) - 1)]
                return DecisionMatch(chosen, step, tuple(candidates))
        return None

    def _candidates(
        self, when: date, title: str | None, url: str | None
    ) -> Iterator[tuple[MatchStep, Sequence[Decision]]]:
        if url:
            yield MatchStep.URL, self._by_url.get(url, [])
        if title:
            wanted = _match_key(title)
            if wanted:
                yield MatchStep.TITLE, self._by_title.get((when, wanted), [])
                untitled = self._untitled_by_date.get(when, [])
                yield MatchStep.TEXT, [d for text, d in untitled if text.startswith(wanted)]


def parse_decisions(lines: Iterable[str], source: str) -> list[Decision]:
    """The decisions of a JSON Lines text; ``source`` names it in error messages.

    Blank lines are skipped; any other line that is not a well-formed decision raises
    ``SourceFormatError`` naming the source and the 1-based line number.
    """
    decisions: list[Decision] = []
    first_seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        decision = _parse_line(line, where)
        if decision.id in first_seen:
            raise SourceFormatError(
                f"{where}: decision id {decision.id!r} already given on line "
                f"{first_seen[decision.id]}"
            )
        first_seen[decision.id] = number
        decisions.append(decision)
    return decisions


def _parse_line(line: str, where: str) -> Decision:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise SourceFormatError(f"{where}: not JSON: {exc.msg} (column {exc.colno})") from exc
    if not isinstance(row, dict):
        raise SourceFormatError(f"{where}: expected a JSON object, found {type(row).__name__}")
    decision_id = _string(row, "id", where, required=True)
    if not decision_id:
        raise SourceFormatError(f"{where}: missing decision id")
    kind = _string(row, "kind", where, required=True)
    try:
        decision_kind = DecisionKind(kind)
    except ValueError:
        known = ", ".join(k.value for k in DecisionKind)
        raise SourceFormatError(f"{where}: unknown kind {kind!r} (expected {known})") from None
    raw_date = _string(row, "date", where, required=True)
    try:
        when = date.fromisoformat(raw_date)
    except ValueError:
        raise SourceFormatError(f"{where}: not a date (YYYY-MM-DD): {raw_date!r}") from None
    text = _string(row, "text", where, required=True)
    return Decision(
        id=decision_id,
        kind=decision_kind,
        date=when,
        title=_string(row, "title", where) or None,
        text=text,
        url=_string(row, "source_url", where) or None,
    )


def _string(row: dict[str, object], key: str, where: str, *, required: bool = False) -> str:
    """The string at ``key``; absent or null gives "" unless the key is required."""
    value = row.get(key)
    if value is None:
        if required:
            raise SourceFormatError(f"{where}: missing {key!r}")
        return ""
    if not isinstance(value, str):
        raise SourceFormatError(f"{where}: {key!r} must be a string, found {type(value).__name__}")
    return value


def decision_triples(
    decision: Decision, minter: Minter, agreements: Sequence[Agreement]
) -> list[Triple]:
    """The decision as docs/model.md maps it; its title only when the file gives one.

    It is attributed to the government composition of each agreement whose period it falls in
    (the composition that was in office when it was taken).
    """
    iri = minter.decision(decision.id)
    triples = [
        Triple(iri, RDF.type, PG.GovernmentDecision),
        Triple(iri, MU.uuid, Literal(decision.id)),
        Triple(iri, PG.decisionKind, PGC[decision.kind.value]),
        Triple(iri, DCT.date, Literal(decision.date.isoformat(), datatype=XSD.date)),
        Triple(iri, PROV.value, Literal(decision.text, language="nl")),
    ]
    if decision.title:
        title = normalise_title(decision.title)
        triples.append(Triple(iri, DCT.title, Literal(title, language="nl")))
    if decision.url:
        triples.append(Triple(iri, SCHEMA.url, Literal(decision.url, datatype=XSD.anyURI)))
    for agreement in agreements:
        if agreement.in_office(decision.date):
            composition = minter.organisation(agreement.government.composition)
            triples.append(Triple(iri, PROV.wasAttributedTo, composition))
    return triples


def decisions_document(data_dir: Path, decisions: Sequence[Decision] = ()) -> SourceDocument:
    """The decisions file as a source document; its title names the years its decisions span."""
    years = sorted({d.date.year for d in decisions})
    span = f" {years[0]}-{years[-1]}" if years else ""
    return SourceDocument(
        slug="corpus-decisions",
        title=(
            f"Beslissingen van de Vlaamse Regering{span} (decisions.jsonl) / "
            "decisions of the Flemish Government"
        ),
        path=Path(data_dir) / DECISIONS_PATH,
        relative_path=DECISIONS_PATH,
        origin=CORPUS_ORIGIN,
        license=CORPUS_LICENSE,
        media_type="application/jsonl",
    )


def read_decisions(
    data_dir: Path, minter: Minter, agreements: Sequence[Agreement]
) -> tuple[SourceGraph, DecisionIndex]:
    """The decisions graph and the index that links report references to its decisions."""
    path = Path(data_dir) / DECISIONS_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: cannot read: {exc}") from exc
    # Split on "\n" only: str.splitlines would also split at U+2028, which JSON strings may hold.
    decisions = parse_decisions(text.split("\n"), str(path))
    document = decisions_document(data_dir, decisions)
    triples = [t for d in decisions for t in decision_triples(d, minter, agreements)]
    graph = SourceGraph(
        name=minter.graph("beslissingen"),
        title="Beslissingen van de Vlaamse Regering / decisions of the Flemish Government",
        document=document,
        triples=tuple(triples),
    )
    return graph, DecisionIndex(decisions)


__all__ = [
    "Decision",
    "DecisionIndex",
    "DecisionKind",
    "DecisionMatch",
    "MatchStep",
    "decision_triples",
    "normalise_title",
    "parse_decisions",
    "read_decisions",
]
