"""The coalition agreement source: every line a section, the outline rebuilt from the names."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Triple

from policygraph.errors import SourceFormatError
from policygraph.namespaces import DCT, PG, RDF, AgreementMinter, Minter, slugify
from policygraph.sources import SourceGraph
from policygraph.sources.agreement import Agreement, AgreementOutline, read_agreement, read_outline
from policygraph.sources.agreement.declaration import AgreementFiles

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
SECTIONS = DATA_DIR / "corpus" / "sections.jsonl"
REPORTS = DATA_DIR / "corpus" / "reports"
BASE = "https://data.policygraph.be"
FOREIGN = "buitenlands-beleid-en-toerisme"
FILES = AgreementFiles(
    "corpus/sections.jsonl", "corpus/coalition-agreement-categories.json", "corpus/reports"
)


@pytest.fixture(scope="module")
def minter() -> Minter:
    return Minter(BASE)


@pytest.fixture(scope="module")
def outline(agreement: Agreement) -> AgreementOutline:
    return read_outline(DATA_DIR, agreement.files)


@pytest.fixture(scope="module")
def graph(minter: Minter, agreement: Agreement) -> SourceGraph:
    return read_agreement(DATA_DIR, agreement, minter)


def objects(graph: SourceGraph, subject: NamedNode, predicate: NamedNode) -> list[object]:
    return [t.object for t in graph.triples if t.subject == subject and t.predicate == predicate]


def value(graph: SourceGraph, subject: NamedNode, predicate: NamedNode) -> str:
    (found,) = objects(graph, subject, predicate)
    assert isinstance(found, Literal | NamedNode)
    return found.value


def text_of(term: object) -> str:
    """The IRI or lexical form of a term (tests only meet IRIs and literals)."""
    assert isinstance(term, NamedNode | Literal), term
    return term.value


def source_lines() -> list[dict[str, str]]:
    return [json.loads(line) for line in SECTIONS.read_text(encoding="utf-8").splitlines()]


def test_every_line_of_sections_jsonl_is_in_the_graph_once(graph: SourceGraph) -> None:
    lines = source_lines()
    assert len(lines) == 224
    texts = Counter(text_of(t.object) for t in graph.triples if t.predicate == PG.text)
    assert texts == Counter(line["text"] for line in lines)


def test_outline_counts(outline: AgreementOutline) -> None:
    assert len(outline.chapters) == 26
    assert len(outline.sections) == 259
    assert sum(1 for s in outline.sections if s.text is None) == 37
    assert sum(1 for c in outline.chapters if c.text is not None) == 2
    assert Counter(c.number for c in outline.chapters)["1"] == 5


def test_every_section_is_typed_numbered_titled_and_placed(
    graph: SourceGraph, outline: AgreementOutline, minter: Minter, iris: AgreementMinter
) -> None:
    for section in outline.sections:
        node = iris.section(section.chapter_slug, section.number)
        types = set(objects(graph, node, RDF.type))
        expected = {PG.Section, PG.Subsection} if len(section.parts) >= 3 else {PG.Section}
        assert types == expected, node
        assert value(graph, node, PG.sectionNumber) == section.number
        assert value(graph, node, DCT.title) == section.title
        assert objects(graph, node, PG.inChapter) == [iris.chapter(section.chapter_slug)]


def test_hierarchy_follows_the_numbers(
    graph: SourceGraph, outline: AgreementOutline, minter: Minter, iris: AgreementMinter
) -> None:
    for section in outline.sections:
        node = iris.section(section.chapter_slug, section.number)
        parent_number = section.number.rpartition(".")[0]
        parent = (
            iris.chapter(section.chapter_slug)
            if "." not in parent_number
            else iris.section(section.chapter_slug, parent_number)
        )
        assert objects(graph, node, DCT.isPartOf) == [parent]
        assert Triple(parent, DCT.hasPart, node) in graph.triples
        assert section.number.split(".")[0] == next(
            c.number for c in outline.chapters if c.slug == section.chapter_slug
        )
    for chapter in outline.chapters:
        node = iris.chapter(chapter.slug)
        assert objects(graph, node, DCT.isPartOf) == [iris.iri]
        assert Triple(iris.iri, DCT.hasPart, node) in graph.triples


def test_positions_count_siblings_in_number_order(
    graph: SourceGraph, minter: Minter, iris: AgreementMinter
) -> None:
    parents = {
        NamedNode(text_of(t.subject)) for t in graph.triples if t.predicate == DCT.hasPart
    } - {iris.iri}
    for parent in parents:
        children = [c for c in objects(graph, parent, DCT.hasPart) if isinstance(c, NamedNode)]
        by_position = sorted(children, key=lambda c: int(value(graph, c, PG.position)))
        assert [int(value(graph, c, PG.position)) for c in by_position] == list(
            range(1, len(children) + 1)
        )
        numbers = [
            tuple(int(p) for p in value(graph, c, PG.sectionNumber).split(".")) for c in by_position
        ]
        assert numbers == sorted(numbers)
    mobility = iris.section("mobiliteit-en-openbare-werken", "1.10")
    assert value(graph, mobility, PG.position) == "10"


def test_the_two_sections_4_3_are_distinct(
    graph: SourceGraph, minter: Minter, iris: AgreementMinter
) -> None:
    foreign = iris.section(FOREIGN, "4.3")
    farming = iris.section("landbouw-en-visserij", "4.3")
    assert foreign != farming
    assert (
        value(graph, foreign, DCT.title)
        == "Een doorgedreven internationalisering van de Vlaamse economie"
    )
    assert objects(graph, foreign, PG.text) == []  # an intermediate level: no line of its own
    assert set(objects(graph, foreign, DCT.hasPart)) == {
        iris.section(FOREIGN, "4.3.1"),
        iris.section(FOREIGN, "4.3.2"),
    }
    assert value(graph, farming, DCT.title).startswith("Ecosysteemdiensten benutten")
    assert value(graph, farming, PG.text).startswith("4.3 Ecosysteemdiensten")
    assert objects(graph, farming, DCT.hasPart) == []


def test_the_cut_name_gets_its_title_from_the_text(outline: AgreementOutline) -> None:
    cut = [s for s in outline.sections if s.name_was_cut]
    assert [(s.chapter_slug, s.number) for s in cut] == [(FOREIGN, "4.3.1")]
    (section,) = cut
    line = source_lines()[section.line - 1 if section.line else -1]
    assert line["name"].endswith("advies_op_maat_v")
    assert section.title.endswith("advies op maat van hun bedrijf.")
    assert section.text is not None
    assert section.text.startswith("4.3.1 " + section.title + " ")


def test_titles_come_from_the_text_where_the_name_lost_characters(
    outline: AgreementOutline,
) -> None:
    assert (
        outline.section("mobiliteit-en-openbare-werken", "1.8").title
        == "“Slimme” mobiliteit / innovatie"
    )
    assert "slagkrachtige" in outline.section(FOREIGN, "4.2").title
    assert (
        outline.section("energie-en-klimaat", "1.8.4").title == "Flexibel en slimmer Energiesysteem"
    )
    for section in outline.sections:
        if section.text is not None:
            assert re.match(r"[\d.]+\.?\s+" + re.escape(section.title), section.text), section


def test_single_section_chapters_carry_the_text(
    graph: SourceGraph, minter: Minter, iris: AgreementMinter
) -> None:
    for slug, number in [("dierenwelzijn", "3"), ("media", "6")]:
        node = iris.chapter(slug)
        assert value(graph, node, PG.chapterNumber) == number
        assert value(graph, node, PG.text).startswith(f"{number} {value(graph, node, DCT.title)} ")
        assert objects(graph, node, DCT.hasPart) == []


def test_chapter_titles_keep_their_punctuation(outline: AgreementOutline) -> None:
    titles = {c.slug: c.title for c in outline.chapters}
    assert titles["cultuur-jeugd-en-sport"] == "Cultuur, jeugd en sport"
    assert titles["fusie-van-entiteiten-bijlage-bij-het-regeerakkoord"] == (
        "Fusie van entiteiten – bijlage bij het regeerakkoord"
    )
    assert titles[FOREIGN] == "Buitenlands beleid en toerisme"


def report_files() -> list[Path]:
    return sorted(REPORTS.rglob("*.md"))


def test_every_report_folder_slugifies_to_a_chapter(outline: AgreementOutline) -> None:
    slugs = {c.slug for c in outline.chapters}
    files = report_files()
    assert len(files) == 193
    for path in files:
        top = path.relative_to(REPORTS).parts[0]
        folder = top.removesuffix(".md")
        assert slugify(folder) in slugs, path


_QUOTED = re.compile(r"<details>.*?<p>(.*?)</p>", re.DOTALL)
_NUMBER = re.compile(r"(\d+(?:\.\d+)*)\.?\s")


@pytest.mark.parametrize("path", report_files(), ids=lambda p: str(p.relative_to(REPORTS)))
def test_every_report_quotes_one_minted_section(
    path: Path, graph: SourceGraph, minter: Minter, iris: AgreementMinter
) -> None:
    quoted = _QUOTED.search(path.read_text(encoding="utf-8"))
    assert quoted is not None
    text = html.unescape(quoted.group(1))
    assert sum(1 for line in source_lines() if line["text"] == text) == 1
    number_match = _NUMBER.match(text)
    assert number_match is not None
    number = number_match.group(1)
    chapter = slugify(path.relative_to(REPORTS).parts[0].removesuffix(".md"))
    node = iris.chapter(chapter) if "." not in number else iris.section(chapter, number)
    assert objects(graph, node, PG.text) == [Literal(text, language="nl")]


def test_reading_is_deterministic_and_follows_the_base(
    graph: SourceGraph, agreement: Agreement
) -> None:
    again = read_agreement(DATA_DIR, agreement, Minter(BASE))
    assert again.triples == graph.triples
    elsewhere = read_agreement(DATA_DIR, agreement, Minter("http://localhost:8000/pg"))
    assert len(elsewhere.triples) == len(graph.triples)
    subjects = {text_of(t.subject) for t in elsewhere.triples}
    assert all(s.startswith("http://localhost:8000/pg/id/") for s in subjects)


def test_the_graph_and_its_document(
    graph: SourceGraph, minter: Minter, iris: AgreementMinter
) -> None:
    assert graph.name == iris.graph()
    assert graph.document.relative_path == "corpus/sections.jsonl"
    assert graph.document.path == SECTIONS
    assert objects(graph, iris.iri, PG.decidedBy) == [
        minter.organisation("vlaamse-regering-jambon")
    ]


# --- malformed input ------------------------------------------------------------------------


def corpus_copy(
    tmp_path: Path, lines: list[str], chapters: tuple[str, ...] = ("Media", "Wonen")
) -> Path:
    """A corpus folder with the given sections.jsonl lines and a chapter list."""
    (tmp_path / "corpus").mkdir()
    listing = json.dumps([{"name": name} for name in chapters], ensure_ascii=False)
    (tmp_path / "corpus" / "coalition-agreement-categories.json").write_text(
        listing, encoding="utf-8"
    )
    (tmp_path / "corpus" / "sections.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def record(name: str, text: str) -> str:
    return json.dumps({"name": name, "text": text}, ensure_ascii=False)


GOOD = record("6_—_Media", "6 Media 1 In een steeds globaler medialandschap …")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ('{"name": "6_—_Media", "text": ', "not JSON"),
        ('["6_—_Media"]', "JSON object"),
        ('{"name": "6_—_Media"}', "'text'"),
        (record("Media", "6 Media …"), "<chapter no>_—_"),
        (record("4_—_Wonen_-_4.2_Concrete_voorstellen_-_4.3.1_X", "4.3.1 X …"), "not a part of"),
        (
            record("4_—_Wonen_-_4.1_Uitdagingen_en_visie", "4.2 Uitdagingen en visie …"),
            "number 4.1",
        ),
        (
            record("4_—_Wonen_-_4.1_Uitdagingen_en_visie", "4.1 Iets heel anders dan de titel …"),
            "not the one",
        ),
    ],
)
def test_malformed_lines_are_reported_with_file_and_line(
    tmp_path: Path, bad: str, message: str
) -> None:
    data_dir = corpus_copy(tmp_path, [GOOD, bad])
    with pytest.raises(SourceFormatError, match=re.escape(message)) as raised:
        read_outline(data_dir, FILES)
    assert f"{data_dir / 'corpus' / 'sections.jsonl'}, line 2" in str(raised.value)


def test_a_section_given_twice_is_refused(tmp_path: Path) -> None:
    line = record("4_—_Wonen_-_4.1_Uitdagingen_en_visie", "4.1 Uitdagingen en visie Iedereen …")
    with pytest.raises(SourceFormatError, match=re.escape("line 3: section 4.1")):
        read_outline(corpus_copy(tmp_path, [GOOD, line, line]), FILES)


def test_a_name_cut_inside_a_word_is_completed_to_the_end_of_the_sentence(tmp_path: Path) -> None:
    line = record(
        "4_—_Wonen_-_4.1_Iedereen_moet_goed_kunnen_wo",
        "4.1 Iedereen moet goed kunnen wonen in Vlaanderen. Daarom verdienen …",
    )
    outline = read_outline(corpus_copy(tmp_path, [GOOD, line]), FILES)
    section = outline.section("wonen", "4.1")
    assert section.name_was_cut
    assert section.title == "Iedereen moet goed kunnen wonen in Vlaanderen."


def test_intermediate_titles_from_several_names_must_agree(tmp_path: Path) -> None:
    lines = [
        GOOD,
        record("4_—_Wonen_-_4.2_Concrete_voorstellen_-_4.2.1_Een", "4.2.1 Een …"),
        record("4_—_Wonen_-_4.2_Andere_voorstellen_-_4.2.2_Twee", "4.2.2 Twee …"),
    ]
    with pytest.raises(SourceFormatError, match="two titles"):
        read_outline(corpus_copy(tmp_path, lines), FILES)


def test_a_chapter_list_naming_an_unknown_chapter_is_refused(tmp_path: Path) -> None:
    data_dir = corpus_copy(tmp_path, [GOOD], chapters=("Media", "Onbekend hoofdstuk"))
    with pytest.raises(SourceFormatError, match=r"coalition-agreement-categories\.json.*Onbekend"):
        read_outline(data_dir, FILES)


def test_the_real_chapter_list_names_every_chapter_but_one() -> None:
    listed = json.loads(
        (DATA_DIR / "corpus" / "coalition-agreement-categories.json").read_text("utf-8")
    )
    named = {c.slug for c in read_outline(DATA_DIR, FILES).chapters}
    assert named - {slugify(entry["name"]) for entry in listed} == {"werk-en-sociale-economie"}
