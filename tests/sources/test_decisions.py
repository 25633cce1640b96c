"""The decisions source, and the index that links the reports' references to decisions."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Triple

from policygraph.errors import SourceError, SourceFormatError
from policygraph.namespaces import DCT, MU, PG, PGC, PROV, RDF, SCHEMA, XSD, Minter
from policygraph.sources import SourceGraph
from policygraph.sources.agreement import read_agreements
from policygraph.sources.decisions import (
    Decision,
    DecisionIndex,
    DecisionKind,
    MatchStep,
    normalise_title,
    parse_decisions,
    read_decisions,
)
from policygraph.sources.reports.corpus import read_reports, report_paths
from policygraph.sources.reports.parse import parse_report

# The corpus is read once per module; keep each module on one xdist worker so it is read once.
pytestmark = pytest.mark.xdist_group("report-corpus")

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
BASE = "https://data.policygraph.be"
AGREEMENT = next(a for a in read_agreements(DATA_DIR) if a.slug == "2019-2024")


@pytest.fixture(scope="module")
def minter() -> Minter:
    return Minter(BASE)


@pytest.fixture(scope="module")
def read(minter: Minter) -> tuple[SourceGraph, DecisionIndex]:
    return read_decisions(DATA_DIR, minter, [AGREEMENT])


def subjects_of(graph: SourceGraph, predicate: NamedNode, obj: object = None) -> list[object]:
    return [
        t.subject for t in graph.triples if t.predicate == predicate and obj in (None, t.object)
    ]


# ---------------------------------------------------------------------------------------------
# The graph


def test_counts_and_kinds(read: tuple[SourceGraph, DecisionIndex], minter: Minter) -> None:
    graph, index = read
    assert graph.name == minter.graph("beslissingen")
    assert len(index) == 3165
    assert Counter(d.kind for d in index) == {DecisionKind.NOTA: 2889, DecisionKind.MEDEDELING: 276}
    assert len(subjects_of(graph, RDF.type, PG.GovernmentDecision)) == 3165
    assert len(subjects_of(graph, PG.decisionKind, PGC.nota)) == 2889
    assert len(subjects_of(graph, PG.decisionKind, PGC.mededeling)) == 276
    assert len(subjects_of(graph, DCT.title)) == 3165 - 597  # untitled rows get no title here
    assert len(subjects_of(graph, SCHEMA.url)) == 3165 - 597
    assert len(subjects_of(graph, PROV.value)) == 3165
    jambon = minter.organisation("vlaamse-regering-jambon")
    assert len(subjects_of(graph, PROV.wasAttributedTo, jambon)) == 3165


def test_one_decision_mapped(read: tuple[SourceGraph, DecisionIndex], minter: Minter) -> None:
    graph, _ = read
    iri = minter.decision("5FDC61446B34EF0008000DA4")
    mine = {t for t in graph.triples if t.subject == iri}
    assert Triple(iri, MU.uuid, Literal("5FDC61446B34EF0008000DA4")) in mine
    assert Triple(iri, DCT.date, Literal("2020-12-18", datatype=XSD.date)) in mine
    assert Triple(iri, PG.decisionKind, PGC.nota) in mine
    (title,) = [t.object for t in mine if t.predicate == DCT.title]
    assert isinstance(title, Literal)
    assert title.language == "nl"
    assert title.value.startswith("Maatregelen internationaal ondernemen voor de door de brexit")
    (url,) = [t.object for t in mine if t.predicate == SCHEMA.url]
    assert isinstance(url, Literal)
    assert url.datatype == XSD.anyURI
    (text,) = [t.object for t in mine if t.predicate == PROV.value]
    assert isinstance(text, Literal)
    assert text.language == "nl"


def test_document(read: tuple[SourceGraph, DecisionIndex]) -> None:
    document = read[0].document
    assert document.slug == "corpus-decisions"
    assert document.relative_path == "corpus/decisions.jsonl"
    assert document.path == DATA_DIR / "corpus" / "decisions.jsonl"


def test_reading_twice_gives_identical_triples(
    read: tuple[SourceGraph, DecisionIndex], minter: Minter
) -> None:
    again, _ = read_decisions(DATA_DIR, minter, [AGREEMENT])
    assert again.triples == read[0].triples


def test_missing_file_is_a_source_error(tmp_path: Path, minter: Minter) -> None:
    with pytest.raises(SourceError, match=r"decisions\.jsonl: cannot read"):
        read_decisions(tmp_path, minter, [AGREEMENT])


# ---------------------------------------------------------------------------------------------
# Malformed lines

GOOD = {"id": "A1", "kind": "nota", "date": "2021-01-08", "title": "T", "text": "T x"}


def line(**changes: object) -> str:
    row = {**GOOD, **changes}
    return json.dumps({k: v for k, v in row.items() if v is not ...})


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([line(), "{not json"], r"decisions\.jsonl:2: not JSON"),
        (["[1, 2]"], r":1: expected a JSON object, found list"),
        ([line(id=...)], r":1: missing 'id'"),
        ([line(id="")], r":1: missing decision id"),
        ([line(id=7)], r":1: 'id' must be a string, found int"),
        ([line(date="2021-02-30")], r":1: not a date \(YYYY-MM-DD\): '2021-02-30'"),
        ([line(date=...)], r":1: missing 'date'"),
        ([line(kind="besluit")], r":1: unknown kind 'besluit' \(expected nota, mededeling\)"),
        ([line(text=...)], r":1: missing 'text'"),
        ([line(), "", line(id="B"), line()], r":4: decision id 'A1' already given on line 1"),
    ],
)
def test_malformed_line_names_file_and_line(lines: list[str], message: str) -> None:
    with pytest.raises(SourceFormatError, match=message):
        parse_decisions(lines, "data/corpus/decisions.jsonl")


def test_empty_title_and_url_are_absent() -> None:
    (decision,) = parse_decisions([line(title="", source_url=None)], "x")
    assert decision.title is None
    assert decision.url is None
    assert parse_decisions(["", "  "], "x") == []


# ---------------------------------------------------------------------------------------------
# The index, on hand-made decisions

D = date(2021, 3, 12)


def decision(ident: str, title: str | None, text: str = "", url: str | None = None) -> Decision:
    return Decision(ident, DecisionKind.NOTA, D, title, text or (title or ""), url)


def test_normalise_title_folds_nbsp_and_whitespace() -> None:
    assert (
        normalise_title("  Plan\u00a0Vlaamse  Veerkracht:\n  FIT ")
        == "Plan Vlaamse Veerkracht: FIT"
    )


def test_match_by_url_then_title_then_text() -> None:
    index = DecisionIndex(
        [
            decision("U", "Met URL", url="https://x/?search=a"),
            decision("T", "Plan  Vlaamse\u00a0Veerkracht"),
            decision("N", None, "Frequentieplan radio- omroeporganisaties Voorontwerp van besluit"),
        ]
    )
    by_url = index.match(D, "Iets anders", "https://x/?search=a")
    assert by_url is not None
    assert (by_url.decision.id, by_url.step) == ("U", MatchStep.URL)
    by_title = index.match(D, "Plan Vlaamse Veerkracht", "https://x/?search=unknown")
    assert by_title is not None
    assert (by_title.decision.id, by_title.step) == ("T", MatchStep.TITLE)
    by_text = index.match(D, "Frequentieplan radio-omroeporganisaties", None)
    assert by_text is not None
    assert (by_text.decision.id, by_text.step) == ("N", MatchStep.TEXT)
    assert index.match(date(2021, 3, 13), "Plan Vlaamse Veerkracht", None) is None
    assert index.match(D, None, None) is None
    assert index.match(D, "Niets", None) is None


def test_ambiguity_is_resolved_by_id_and_skip() -> None:
    twins = [decision("B2", "Tweeling", url="u"), decision("A1", "Tweeling", url="u")]
    index = DecisionIndex(twins)
    first = index.match(D, "Tweeling", "u")
    second = index.match(D, "Tweeling", "u", skip=1)
    beyond = index.match(D, "Tweeling", "u", skip=5)
    assert first is not None
    assert second is not None
    assert beyond is not None
    assert first.ambiguous
    assert [d.id for d in first.candidates] == ["A1", "B2"]
    assert (first.decision.id, second.decision.id, beyond.decision.id) == ("A1", "B2", "B2")
    reversed_order = DecisionIndex(reversed(twins)).match(D, "Tweeling", "u")
    assert reversed_order is not None
    assert [d.id for d in reversed_order.candidates] == ["A1", "B2"]


# ---------------------------------------------------------------------------------------------
# Linking the corpus


@pytest.fixture(scope="module")
def corpus_matches(read: tuple[SourceGraph, DecisionIndex]) -> Counter[str]:
    """How each of the corpus references is linked: by step, or why not."""
    _, index = read
    outcome: Counter[str] = Counter()
    for path in report_paths(DATA_DIR, AGREEMENT):
        report = parse_report(path.read_text(encoding="utf-8"), str(path))
        for ref in report.references:
            match = index.match(ref.date, ref.title, ref.url)
            if match is None:
                outcome["unresolved, untitled" if ref.title is None else "unresolved"] += 1
                continue
            outcome[match.step.value] += 1
            outcome["ambiguous"] += match.ambiguous
            outcome["to an untitled decision"] += match.decision.title is None
    return outcome


def test_corpus_linking_numbers(corpus_matches: Counter[str]) -> None:
    # 5,628 references: every one with a title resolves. The 94 that print only a number and a
    # date cannot be told apart by anything but their date, so they stay unlinked.
    assert corpus_matches == {
        "url": 4505,
        "text": 1029,
        "unresolved, untitled": 94,
        "ambiguous": 7,
        "to an untitled decision": 1029,
    }


@pytest.fixture(scope="module")
def report_graphs(minter: Minter, read: tuple[SourceGraph, DecisionIndex]) -> list[SourceGraph]:
    return read_reports(DATA_DIR, AGREEMENT, minter, read[1])


def test_each_decision_has_at_most_one_title(
    read: tuple[SourceGraph, DecisionIndex], report_graphs: list[SourceGraph]
) -> None:
    titles: Counter[object] = Counter()
    for graph in [read[0], *report_graphs]:
        titles.update(
            t.subject
            for t in graph.triples
            if t.predicate == DCT.title
            and isinstance(t.subject, NamedNode)
            and "/id/beslissing/" in t.subject.value
        )
    assert max(titles.values()) == 1
    assert len(titles) == 2568 + 348  # titled in the file, and titled by a report


def test_untitled_decision_takes_its_title_from_the_first_report(
    read: tuple[SourceGraph, DecisionIndex], report_graphs: list[SourceGraph]
) -> None:
    _, index = read
    untitled = {d.id for d in index if d.title is None}
    titled: set[NamedNode] = set()
    for graph in report_graphs:  # in path order
        facts: dict[tuple[object, NamedNode], object] = {
            (t.subject, t.predicate): t.object for t in graph.triples
        }
        numbers = {
            t.subject: int(t.object.value)
            for t in graph.triples
            if t.predicate == PG.referenceNumber and isinstance(t.object, Literal)
        }
        for reference in sorted(numbers, key=lambda r: numbers[r]):
            decision = facts.get((reference, PG.refersTo))
            title = facts.get((reference, DCT.title))
            if not isinstance(decision, NamedNode) or not isinstance(title, Literal):
                continue
            if decision not in titled and decision.value.rsplit("/", 1)[1] in untitled:
                titled.add(decision)
                assert Triple(decision, DCT.title, title) in graph.triples
    assert len(titled) == 348
