"""The generation source: a hand-made folder parsed, malformed ones refused with file and line,
the renumbering check case by case, and every corpus folder read and placed."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from policygraph.errors import SourceFormatError
from policygraph.namespaces import Minter
from policygraph.sources.agreement import read_agreements, read_outline
from policygraph.sources.agreement.outline import place_of_name
from policygraph.sources.decisions import DecisionIndex, read_decisions
from policygraph.sources.generation.corpus import TextIndex, generation_folders, read_generations
from policygraph.sources.generation.parse import (
    EXCHANGE_FILE,
    METADATA_FILE,
    parse_exchange,
    parse_parameters,
    read_generation,
)
from policygraph.sources.generation.renumbering import Outcome, check_renumbering
from policygraph.sources.reports.corpus import read_report_files

pytestmark = pytest.mark.xdist_group("report-corpus")

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
FIXTURE = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "generation"
    / "9_—_Voorbeeld_-_9.1_Een_sectie"
)
EXCHANGE = (FIXTURE / EXCHANGE_FILE).read_text(encoding="utf-8")
METADATA = (FIXTURE / METADATA_FILE).read_text(encoding="utf-8")


# --- One folder ---------------------------------------------------------------------------


def test_the_hand_made_folder_reads_as_written() -> None:
    generation = read_generation(FIXTURE)
    assert generation.folder == FIXTURE.name
    assert generation.parameters.max_prompt_tokens == 20000
    assert generation.parameters.max_candidates == 200
    assert generation.parameters.candidates_in_prompt == 4
    exchange = generation.exchange
    assert exchange.instruction == (
        "Een verzonnen instructie voor de test.\n"
        "Geef verwijzingen tussen vierkante haken, zoals [0][1][2] enz."
    )
    assert exchange.section_text == "9.1 Een sectie We bouwen een brug over de Schelde."
    assert [c.index for c in exchange.candidates] == [0, 1, 2, 3]
    assert exchange.candidates[0].text == (
        "Brug over de Schelde: ontwerp   De Vlaamse Regering keurt het ontwerp goed."
    )
    assert exchange.candidates[2].text == "Tunnel onder de Schelde: studie"
    assert exchange.answer.startswith("# De brug\n")
    assert exchange.answer.endswith("[Beslissingen 3, 0] en [7].")
    # In order of first appearance; a list marker counts each number; [7] is not in the prompt.
    assert exchange.cited == (2, 0, 3, 7)
    # What the cleaning renumbered: bare markers only.
    assert exchange.numbered == (2, 0, 7)


def _replace(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: _replace(t, "PROMPT:", "PROMPTS:"), r"x\.txt:1: expected 'PROMPT:'"),
        (lambda t: _replace(t, "RESPONSE:", "ANSWER:"), r"x\.txt: no line 'RESPONSE:'"),
        (lambda t: t + "\nRESPONSE:\n", r"x\.txt:\d+: more than one line 'RESPONSE:'"),
        (lambda t: _replace(t, "Beslissingen:", "Besluiten:"), r"no line 'Beslissingen:'"),
        (lambda t: _replace(t, "Jou antwoord:", ""), r"no line 'Jou antwoord:'"),
        (lambda t: _replace(t, "\n2 - Tunnel", "\nTunnel"), r"x\.txt:10: expected '<index> - "),
        (lambda t: _replace(t, "\n2 - Tunnel", "\n5 - Tunnel"), r"x\.txt:10: candidate 5 where 2"),
        (lambda t: _replace(t, "Beslissingen: 0 - ", "Beslissingen: "), r"x\.txt:8: expected"),
        (lambda t: _replace(t, "-------------------", "---\nmeer"), r"a rule of dashes"),
    ],
    ids=[
        "no-prompt",
        "no-response",
        "two-responses",
        "no-candidates-line",
        "no-closing",
        "candidate-without-index",
        "index-skipped",
        "first-candidate-without-index",
        "text-after-the-rule",
    ],
)
def test_a_malformed_exchange_is_refused_naming_file_and_line(edit, message: str) -> None:
    with pytest.raises(SourceFormatError, match=message):
        parse_exchange(edit(EXCHANGE), "x.txt")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t + "TEMPERATURE: 0\n", r"m\.txt:5: unknown key TEMPERATURE"),
        (
            lambda t: _replace(t, "INCLUDE: 200", "INCLUDE: veel"),
            r"m\.txt:2: MAX_DECISIONS_TO_INCLUDE must be a",
        ),
        (lambda t: t + "TOPIC_NAME: x\n", r"m\.txt:5: TOPIC_NAME is given twice"),
        (lambda t: _replace(t, "TOPIC_NAME", "# TOPIC"), r"m\.txt:4: expected 'KEY: value'"),
        (lambda t: t.split("TOPIC_NAME")[0], r"m\.txt: missing TOPIC_NAME"),
    ],
    ids=["unknown-key", "not-a-count", "key-twice", "not-a-key", "missing-key"],
)
def test_malformed_metadata_is_refused_naming_file_and_line(edit, message: str) -> None:
    with pytest.raises(SourceFormatError, match=message):
        parse_parameters(edit(METADATA), "m.txt")


def test_a_count_the_prompt_does_not_have_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / FIXTURE.name
    shutil.copytree(FIXTURE, folder)
    metadata = folder / METADATA_FILE
    metadata.write_text(_replace(METADATA, "PROMPT: 4", "PROMPT: 5"), encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"the prompt has 4 candidates.*PROMPT 5"):
        read_generation(folder)


def test_a_topic_other_than_the_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "9_—_Voorbeeld_-_9.2_Een_andere_sectie"
    shutil.copytree(FIXTURE, folder)
    with pytest.raises(SourceFormatError, match=r"TOPIC_NAME .* is not the folder's name"):
        read_generation(folder)


# --- The renumbering check ----------------------------------------------------------------


def test_each_reference_is_checked_against_the_index_cited_in_its_place() -> None:
    references = {0: "A", 1: "B", 2: None, 3: "D", 4: "E", 5: "F", 6: "G"}
    cited = [2, 0, 3, 1, 4, 9]
    candidates = [("B",), ("X",), ("A",), ("D",), ()]
    checks = check_renumbering(references, cited, candidates)
    assert [(c.reference, c.prompt_index, c.outcome) for c in checks] == [
        (0, 2, Outcome.AGREES),
        (1, 0, Outcome.AGREES),
        (2, 3, Outcome.CANNOT_TELL),
        (3, 1, Outcome.DISAGREES),
        (4, 4, Outcome.CANNOT_TELL),
        (5, 9, Outcome.CANNOT_TELL),
        (6, None, Outcome.CANNOT_TELL),
    ]
    notes = [c.note for c in checks]
    assert notes[2] == "reference [2] resolves to no decision (candidate [3] is D)"
    assert notes[3] == "candidate [1] is X, the reference names D"
    assert notes[4] == "the text of candidate [4] is that of no decision in the decisions file"
    assert notes[5] == "the raw answer cites [9], and the prompt has only 5 candidates"
    assert notes[6] == (
        "the raw answer cites 6 candidates by [i]; none takes the place of reference [6]"
    )


def test_a_text_shared_by_decisions_agrees_with_either() -> None:
    (check,) = check_renumbering({0: "B"}, [0], [("A", "B")])
    assert check.outcome is Outcome.AGREES


# --- The corpus ---------------------------------------------------------------------------

AGREEMENT = next(a for a in read_agreements(DATA_DIR) if a.slug == "2019-2024")


def test_every_folder_names_a_section_or_chapter_of_the_agreement() -> None:
    outline = read_outline(DATA_DIR, AGREEMENT.files)
    sections = {(s.chapter_slug, s.number) for s in outline.sections}
    chapters = {c.slug for c in outline.chapters}
    folders = generation_folders(DATA_DIR)
    assert len(folders) == 224
    places = [place_of_name(folder.name, str(folder)) for folder in folders]
    assert len(set(places)) == 224
    for chapter, number in places:
        assert (chapter, number) in sections if number else chapter in chapters


def test_the_corpus_renumbering_counts() -> None:
    minter = Minter("https://data.policygraph.be")
    _, index = read_decisions(DATA_DIR, minter, [AGREEMENT])
    reports = read_report_files(DATA_DIR, AGREEMENT, minter, index)
    by_place = {(r.chapter, r.report.iri_number): r for r in reports}
    graphs = read_generations(DATA_DIR, [(AGREEMENT, by_place)], minter, TextIndex(index))
    # One graph per section asked about, and one that describes the models and the method once.
    assert len(graphs) == 224 + 1
    method = graphs[-1]
    assert method.name == minter.graph("generatie")
    agents = {t.subject for t in method.triples if t.object.value.endswith("#SoftwareAgent")}
    assert agents == {
        minter.software("gpt-4-1106-preview"),
        minter.software("text-embedding-ada-002"),
    }
    assert not any(t.subject in agents for g in graphs[:-1] for t in g.triples)
    outcomes = Counter(
        t.object.value.rsplit("/", 1)[1]
        for g in graphs
        for t in g.triples
        if t.predicate.value.endswith("#renumberingOutcome")
    )
    assert outcomes == {
        "renumbering-agrees": 5529,
        "renumbering-disagrees": 2,
        "renumbering-cannot-tell": 97,
    }
    assert sum(outcomes.values()) == sum(len(r.report.references) for r in reports)
    generated = {
        t.subject
        for g in graphs
        for t in g.triples
        if t.predicate.value.endswith("#wasGeneratedBy")
    }
    assert {minter.within(AGREEMENT.slug).report(c, n) for c, n in by_place} <= generated


def test_a_folder_named_after_no_section_is_refused(tmp_path: Path) -> None:
    for name in ("sections.jsonl", "coalition-agreement-categories.json"):
        (tmp_path / "corpus").mkdir(exist_ok=True)
        shutil.copy(DATA_DIR / "corpus" / name, tmp_path / "corpus" / name)
    shutil.copytree(FIXTURE, tmp_path / "corpus" / "generation" / FIXTURE.name)
    minter = Minter("https://data.policygraph.be")
    with pytest.raises(SourceFormatError, match="the name is that of no section"):
        read_generations(tmp_path, [(AGREEMENT, {})], minter, TextIndex(DecisionIndex([])))
