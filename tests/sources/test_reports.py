"""The assessment-report source: every corpus report parsed, no citation lost, the graph mapped."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Triple

from policygraph.errors import SourceFormatError
from policygraph.namespaces import (
    CITO,
    DCT,
    PG,
    PGC,
    PROV,
    RDF,
    SCHEMA,
    XSD,
    AgreementMinter,
    Minter,
    slugify,
)
from policygraph.sources import CORPUS_ORIGIN, SourceGraph
from policygraph.sources.agreement import read_agreements
from policygraph.sources.decisions import DecisionIndex, read_decisions
from policygraph.sources.reports.assessment import citations_in
from policygraph.sources.reports.corpus import chapter_slug, read_reports, report_paths
from policygraph.sources.reports.model import ParsedReport, Part
from policygraph.sources.reports.parse import parse_report

# The corpus is read once per module; keep each module on one xdist worker so it is read once.
pytestmark = pytest.mark.xdist_group("report-corpus")

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
REPORTS = DATA_DIR / "corpus" / "reports"
SEED = DATA_DIR / "seeds" / "report-4.3.2-fit-promoot-vlaanderen.md"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
BASE = "https://data.policygraph.be"
FOREIGN = "buitenlands-beleid-en-toerisme"
AGREEMENT = next(a for a in read_agreements(DATA_DIR) if a.slug == "2019-2024")
CORPUS_PATHS = report_paths(DATA_DIR, AGREEMENT)

# The only corpus reports whose text cites numbers their reference list lacks: "[0-56]" over a
# list of 37, and "[Beslissingen 19, 20, …]" over a list of 15.
KNOWN_MISSING: dict[str, set[int]] = {
    "Cultuur, jeugd en sport/Uitdagingen en visie.md": set(range(37, 57)),
    "Vlaamse rand/Uitdagingen en visie.md": {
        *(17, 18, 19, 20, 23, 24, 25, 26, 27, 28),
        *(31, 32, 37, 41, 47, 49, 50, 57, 58, 62),
    },
}

# The seed report's reference list, as printed.
SEED_REFERENCES = [
    (
        "2021-06-18",
        "Plan Vlaamse Veerkracht: FIT – Datagedreven organisatie & Digitalisering dienstverlening",
    ),
    (
        "2021-06-04",
        "Plan Vlaamse Veerkracht: Uitbouw Slimme Regio Vlaanderen door samenbrengen "
        "innovatiecapaciteit ondernemingen en stimuleren implementatie en kennisopbouw bij lokale "
        "besturen",
    ),
    ("2023-10-27", "One FIT: strategische transformatie van Flanders Investment & Trade"),
    (
        "2020-07-17",
        "FIT Corona Exit-plan: extra subsidies voor Bijzondere Exportsteun en voor "
        "Starterspakketten Internationalisering",
    ),
    (
        "2020-09-04",
        "FIT Corona Exit-plan: extra subsidies voor Bijzondere Exportsteun en voor "
        "Starterspakketten Internationalisering",
    ),
    (
        "2023-06-16",
        "Flanders Technology & Innovation (FTI): verankering van de "
        "event-entertainmentsector in Vlaanderen gekoppeld aan een reconversie van de Rupelregio",
    ),
    ("2022-11-25", "Oprichting van Flanders Technology & Innovation BV (FTI)"),
    ("2019-12-06", "EFRO Vlaanderen 2014-2020"),
    ("2021-07-09", "Visienota 'Internationaal beurzenprogramma'"),
    ("2022-01-28", "Internationale beurzenprogramma voor topstudenten"),
    ("2021-12-17", "Internationale beurzenprogramma voor topstudenten"),
    (
        "2020-12-18",
        "Maatregelen internationaal ondernemen voor de door de brexit geïmpacteerde "
        "bedrijven in het kader van het Relanceplan Vlaamse Veerkracht: 30 miljoen euro voor FIT",
    ),
    ("2020-12-18", "(Steun)maatregelen voor door Brexit geïmpacteerde bedrijven"),
    ("2020-06-05", "FIT Corona Exit-plan en VLAM Corona Exit-plan"),
    (
        "2023-06-23",
        "Uitbouw van een Vlaams topevenementenbeleid: ondersteuning Flanders "
        "Technology & Innovation Festival 2024",
    ),
    ("2023-06-23", "Centraal aanspreekpunt STEM voor bedrijven"),
    (
        "2023-04-28",
        "Projectoproep internationale klimaatfinanciering 2023 'G-STIC "
        "Klimaatactieprogramma' addendum 6 bij Convenant met VITO 2019-2023",
    ),
    (
        "2023-07-07",
        "Steun 8 projecten binnen EFRO-oproepen onderzoeks- en innovatiecapaciteit en "
        "ontwikkelen van vaardigheden rond slimme specialisatie",
    ),
    ("2023-07-14", "Oprichting kenniscentrum innovatieve saneringstechnieken"),
]


def relative(path: Path) -> str:
    return path.relative_to(REPORTS).as_posix()


@cache
def parse_file(path: Path) -> ParsedReport:
    return parse_report(path.read_text(encoding="utf-8"), str(path))


def raw_markers(markdown: str) -> set[int]:
    """Every [n] between the quoted section and the reference list, read from the raw text with
    a regex of its own (escaped or not), independently of the parser."""
    body = markdown.split("</details>", 1)[1].split("<summary> Referenties</summary>", 1)[0]
    return {int(a or b) for a, b in re.findall(r"\\\[(\d+)\\\]|(?<!\\)\[(\d+)\]", body)}


@cache
def section_numbers() -> dict[str, dict[str, str]]:
    """Chapter slug → section number → the agreement's text, from sections.jsonl."""
    sections: dict[str, dict[str, str]] = defaultdict(dict)
    for line in (DATA_DIR / "corpus" / "sections.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        chapter = re.sub(r"^\d+_—_", "", row["name"].split("_-_")[0]).replace("_", " ")
        number = re.match(r"\d+(?:\.\d+)*", row["text"])
        assert number is not None
        sections[slugify(chapter)][number.group()] = " ".join(row["text"].split())
    return sections


# ---------------------------------------------------------------------------------------------
# Every corpus report


@pytest.mark.parametrize("path", CORPUS_PATHS, ids=relative)
def test_corpus_report_parses_without_losing_a_citation(path: Path) -> None:
    markdown = path.read_text(encoding="utf-8")
    report = parse_file(path)

    assert report.title
    assert report.claims, "every corpus report makes at least one claim"
    assert [c.position for c in report.claims] == list(range(1, len(report.claims) + 1))
    numbers = [r.number for r in report.references]
    assert numbers == list(range(len(numbers))), "references are numbered 0..n-1"
    # Every marker of the text is cited by a claim, and resolves to a reference of this report
    # or is recorded as missing (and then it is one of the known cases).
    markers = raw_markers(markdown)
    assert markers <= set(report.cited)
    assert markers <= set(numbers) | set(report.missing_references)
    assert set(report.missing_references) == KNOWN_MISSING.get(relative(path), set())
    for claim in report.claims:
        assert set(citations_in(claim.text)) <= set(claim.citations)


@pytest.mark.parametrize("path", CORPUS_PATHS, ids=relative)
def test_corpus_report_assesses_a_section_of_its_chapter(path: Path) -> None:
    report = parse_file(path)
    chapter = chapter_slug(path.relative_to(REPORTS))
    sections = section_numbers()
    assert chapter in sections, f"no chapter {chapter!r} in sections.jsonl"
    assert report.section_number in sections[chapter]
    assert report.section_text == sections[chapter][report.section_number]
    assert report.chapter_level == (len(path.relative_to(REPORTS).parts) == 1)


def test_every_corpus_report_assesses_a_different_section() -> None:
    keys = [
        (chapter_slug(p.relative_to(REPORTS)), parse_file(p).section_number) for p in CORPUS_PATHS
    ]
    assert len(CORPUS_PATHS) == 193
    assert len(set(keys)) == len(keys)


def test_chapter_slug_follows_the_first_folder_or_the_file() -> None:
    assert chapter_slug(Path("Buitenlands beleid en toerisme/X/Y.md")) == FOREIGN
    assert chapter_slug(Path("Media.md")) == "media"
    assert (
        chapter_slug(Path("Fusie van entiteiten - bijlage bij het  regeerakkoord/MOW.md"))
        == "fusie-van-entiteiten-bijlage-bij-het-regeerakkoord"
    )


# ---------------------------------------------------------------------------------------------
# The seed report (section 4.3.2)


def test_seed_is_the_corpus_report_for_4_3_2() -> None:
    (path,) = [p for p in CORPUS_PATHS if p.name.startswith("FIT promoot")]
    assert path.is_relative_to(REPORTS / "Buitenlands beleid en toerisme")
    assert parse_file(SEED) == parse_file(path)


def test_seed_report_has_its_nineteen_references() -> None:
    report = parse_file(SEED)
    assert report.title == "FIT promoot Vlaanderen wereldwijd als innovatieve topregio"
    assert report.section_number == "4.3.2"
    assert report.section_text.startswith("4.3.2 FIT promoot Vlaanderen wereldwijd")
    got = [(r.number, r.date.isoformat(), r.title) for r in report.references]
    eleven = report.reference(11)
    assert eleven is not None
    assert eleven.date == date(2020, 12, 18)
    assert report.reference(19) is None
    assert got == [(n, d, t) for n, (d, t) in enumerate(SEED_REFERENCES)]
    assert all(
        r.url and r.url.startswith("https://beslissingenvlaamseregering.vlaanderen.be/?search=")
        for r in report.references
    )


def test_seed_report_claims_by_part() -> None:
    report = parse_file(SEED)
    assert [c.part for c in report.claims] == [Part.SUMMARY] * 2 + [Part.DETAILS] * 6 + [
        Part.CONCLUSION
    ]
    brexit = next(c for c in report.claims if c.theme == "Impact van Brexit")
    assert brexit.position == 7
    assert brexit.citations == (11, 12, 15)
    assert brexit.text.startswith("Impact van Brexit: De maatregelen om te anticiperen")
    assert report.claims[0].citations[:5] == (0, 1, 2, 3, 4)
    assert report.claims[0].theme is None
    assert "[Regeerakkoord: 4.3.2]" in report.claims[0].text  # a section, not a marker
    assert report.summary is not None
    assert report.summary.startswith("De Vlaamse regering heeft")
    assert report.conclusion is not None
    assert report.conclusion.startswith("De concrete beslissingen van de Vlaamse Regering")
    # "### Referenties" lists markers only: it is not a claim, and it cites nothing new.
    assert not any(c.text.startswith("[0][2]") for c in report.claims)
    assert set(report.cited) == set(range(19))


# ---------------------------------------------------------------------------------------------
# The chapter reports inlined, with CRLF line ends, in coalition-agreement-categories.json


def inline_chapter_reports() -> list[tuple[str, str]]:
    path = DATA_DIR / "corpus" / "coalition-agreement-categories.json"
    categories = json.loads(path.read_text(encoding="utf-8"))
    return [(c["name"], c["contents"]) for c in categories if "contents" in c]


def test_there_are_two_inline_chapter_reports() -> None:
    assert sorted(name for name, _ in inline_chapter_reports()) == ["Dierenwelzijn", "Media"]


@pytest.mark.parametrize(("name", "contents"), inline_chapter_reports(), ids=lambda v: v[:12])
def test_inline_crlf_chapter_report_parses_like_its_file(name: str, contents: str) -> None:
    assert "\r\n" in contents
    inline = parse_report(contents, f"coalition-agreement-categories.json#{name}")
    assert inline == parse_file(REPORTS / f"{name}.md")
    assert inline.chapter_level
    assert inline.iri_number is None


# ---------------------------------------------------------------------------------------------
# Layout variants and defects (tests/fixtures/reports)


def fixture(name: str) -> ParsedReport:
    return parse_file(FIXTURES / name)


def test_no_summary_heading_numbered_list_and_escaped_brackets() -> None:
    report = fixture("numbered-no-summary-heading.md")
    assert report.section_number == "2.4.1"
    assert report.section_text == "2.4.1 Een proefsectie De regering belooft & doet veel."
    # The subtitle right after the quoted section does not end the summary; the next heading does.
    assert (
        report.summary == "De regering heeft stappen gezet [0][1].\n\nOok elders werd gewerkt [2]."
    )
    summary = [c for c in report.claims if c.part is Part.SUMMARY]
    assert [c.citations for c in summary] == [(0, 1), (2,)]  # escaped and bare brackets alike
    mobility, education, nested, plain = (c for c in report.claims if c.part is Part.DETAILS)
    assert (mobility.theme, mobility.citations) == ("Mobiliteit", (1, 3))
    assert (education.theme, education.text) == ("Onderwijs", "Onderwijs [2]: Meer leraren.")
    assert (nested.theme, nested.citations) == ("Onderwijs", (0,))
    assert (plain.theme, plain.text) == ("Tweede thema", "Een punt zonder vet [3].")
    # No conclusion heading: the closing "Samengevat …" paragraph is the conclusion.
    assert report.conclusion == "Samengevat houdt de regering woord [0]."
    assert report.references[2].title is None
    assert report.references[2].url is None


def test_bare_samenvatting_line_bullets_and_reference_list_line() -> None:
    report = fixture("bullets-samenvatting-line.md")
    assert report.chapter_level
    assert report.section_number == "3"
    assert [(c.part, c.theme) for c in report.claims] == [
        (Part.SUMMARY, None),
        (Part.DETAILS, "Thema A"),
        (Part.DETAILS, "Thema B"),
        (Part.DETAILS, None),
        (Part.CONCLUSION, None),
    ]
    assert report.summary == "Eerste samenvattende alinea [0]."
    assert report.conclusion == "De regering doet het goed."


def test_html_and_script_in_titles_are_literal_text() -> None:
    report = fixture("html-in-titles.md")
    assert report.title == '<script>alert("kop")</script> Titel met <b>HTML</b>'
    (reference,) = report.references
    # &nbsp; and double spaces fold into one space; tags stay as typed.
    assert (
        reference.title == '<script>alert("titel")</script> (her)aanleg van wegen en <b>bruggen</b>'
    )
    assert reference.url is not None
    assert "search=(her)aanleg%20van%20wegen&" in reference.url
    assert report.claims[0].text == "Een bewering met <em>inline HTML</em> [0]."


@pytest.mark.parametrize(
    "name",
    ["numbered-no-summary-heading.md", "bullets-samenvatting-line.md", "html-in-titles.md"],
)
def test_crlf_line_ends_parse_alike(name: str) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert parse_report(text.replace("\n", "\r\n"), name) == parse_report(text, name)


def test_broken_markdown_is_read_best_effort() -> None:
    report = fixture("broken-markdown.md")
    # A blank line inside the quoted <p> does not cut the section text short.
    assert (
        report.section_text
        == "4.5 Kapotte opmaak Een alinea. Met een lege regel in de sectietekst."
    )
    texts = [c.text for c in report.claims]
    assert texts[0] == "**Onafgesloten vet: de regering deed iets [0] [1."
    assert texts[1] == "Een [link zonder einde](http://x en [1] erna."
    assert texts[2] == r"<div>Een HTML-blok met \[0\]</div>"  # raw HTML, kept as typed
    assert [c.citations for c in report.claims] == [(0,), (1,), (0,)]
    # The references block runs to the end of the file, unclosed; [1] is not in it.
    assert [r.number for r in report.references] == [0]
    assert report.missing_references == (1,)


def test_references_glued_to_their_summary_line() -> None:
    # No blank line after </summary>, none between entries, and the section block on one line.
    report = fixture("glued-references.md")
    assert report.section_text == "4.11 Referenties zonder lege regel Tekst."
    assert [(r.number, r.title) for r in report.references] == [(0, "Nul"), (1, None)]
    assert report.missing_references == ()


def test_dangling_markers_are_recorded_not_dropped() -> None:
    report = fixture("dangling-marker.md")
    (claim,) = report.claims
    assert claim.citations == (0, 7, 8, 2, 3, 4)  # "[Beslissingen 0, 8]" and "[2-4]" read too
    assert report.missing_references == (7, 8, 2, 3, 4)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing-references.md", r"missing-references\.md: no references block"),
        ("no-section.md", r"no-section\.md: no quoted section"),
        ("unclosed-section.md", r"unclosed-section\.md:3: the quoted section is never closed"),
        ("no-heading.md", r"no-heading\.md: no heading before the quoted section"),
        ("bad-reference.md", r"bad-reference\.md:13: reference \[0\] has a bad date 2021-02-30"),
    ],
)
def test_malformed_report_names_file_and_problem(name: str, message: str) -> None:
    with pytest.raises(SourceFormatError, match=message):
        fixture(name)


@pytest.mark.parametrize(
    ("tail", "message"),
    [
        (
            "**[\\[0\\]](u)** : **(2021-01-08)** A\n\n**[\\[0\\]](u)** : **(2021-01-08)** B\n",
            r":1[0-9]: reference \[0\] is given twice",
        ),
        ("Zomaar tekst\n", r":1[0-9]: a reference must start with its number"),
        ("**[\\[0\\]](u)** zonder datum\n", r"reference \[0\] has no ' : \*\*\(YYYY-MM-DD\)\*\*'"),
        ("</details>\n\nNa het blok\n", r"unexpected content after the references block"),
        ("- een lijst\n", r"unexpected bullet_list in the references block"),
    ],
)
def test_malformed_reference_block(tail: str, message: str) -> None:
    text = (
        "# T\n\n<details>\n<summary>Regeerakkoord Sectie</summary>\n<p>1.1 T</p>\n</details>\n\n"
        "Een bewering [0].\n\n<details>\n<summary> Referenties</summary>\n\n" + tail
    )
    with pytest.raises(SourceFormatError, match=message):
        parse_report(text, "inline.md")


def test_section_text_must_start_with_its_number() -> None:
    text = "# T\n\n<details>\n<summary>Regeerakkoord Sectie</summary>\n<p>Geen</p>\n</details>\n"
    with pytest.raises(SourceFormatError, match=r"x\.md:3: the quoted section text does not start"):
        parse_report(text, "x.md")


# ---------------------------------------------------------------------------------------------
# The graphs


@pytest.fixture(scope="module")
def minter() -> Minter:
    return Minter(BASE)


@pytest.fixture(scope="module")
def decisions(minter: Minter) -> tuple[SourceGraph, DecisionIndex]:
    return read_decisions(DATA_DIR, minter, [AGREEMENT])


@pytest.fixture(scope="module")
def graphs(minter: Minter, decisions: tuple[SourceGraph, DecisionIndex]) -> list[SourceGraph]:
    return read_reports(DATA_DIR, AGREEMENT, minter, decisions[1])


def graph_named(graphs: list[SourceGraph], name: NamedNode) -> SourceGraph:
    (graph,) = [g for g in graphs if g.name == name]
    return graph


def objects(graph: SourceGraph, subject: object, predicate: NamedNode) -> list[object]:
    return [t.object for t in graph.triples if t.subject == subject and t.predicate == predicate]


def test_one_graph_per_report_in_path_order(graphs: list[SourceGraph]) -> None:
    assert len(graphs) == 193
    assert [g.document.path for g in graphs] == CORPUS_PATHS
    assert len({g.name for g in graphs}) == 193
    assert len({g.document.slug for g in graphs}) == 193


def test_seed_report_graph(
    graphs: list[SourceGraph], minter: Minter, iris: AgreementMinter
) -> None:
    graph = graph_named(graphs, iris.report_graph(FOREIGN, "4.3.2"))
    report = iris.report(FOREIGN, "4.3.2")
    triples = set(graph.triples)
    assert Triple(report, RDF.type, PG.AssessmentReport) in triples
    assert Triple(report, PG.assesses, iris.section(FOREIGN, "4.3.2")) in triples
    title = Literal("FIT promoot Vlaanderen wereldwijd als innovatieve topregio", language="nl")
    assert Triple(report, DCT.title, title) in triples
    assert len(objects(graph, report, PG.hasReference)) == 19
    assert len(objects(graph, report, PG.hasClaim)) == 9
    assert len(objects(graph, report, CITO.citesAsEvidence)) == 19  # all resolve, all distinct

    ref11 = iris.reference(FOREIGN, "4.3.2", 11)
    brexit = minter.decision("5FDC61446B34EF0008000DA4")
    assert Triple(ref11, PG.refersTo, brexit) in triples
    assert (
        Triple(ref11, PG.referenceNumber, Literal("11", datatype=XSD.nonNegativeInteger)) in triples
    )
    assert Triple(ref11, DCT.date, Literal("2020-12-18", datatype=XSD.date)) in triples
    assert Triple(ref11, DCT.isPartOf, report) in triples
    (url,) = objects(graph, ref11, SCHEMA.url)
    assert isinstance(url, Literal)
    assert url.datatype == XSD.anyURI

    claim = iris.claim(FOREIGN, "4.3.2", 7)
    assert Triple(claim, PG.theme, Literal("Impact van Brexit", language="nl")) in triples
    assert Triple(claim, PG.inPart, PGC.details) in triples
    assert Triple(claim, PG.position, Literal("7", datatype=XSD.integer)) in triples
    assert Triple(claim, PG.citesReference, ref11) in triples
    assert Triple(claim, CITO.citesAsEvidence, brexit) in triples
    assert Triple(claim, DCT.isPartOf, report) in triples

    document = graph.document
    assert document.slug == f"corpus-report-{FOREIGN}-4.3.2"
    assert Triple(report, PROV.wasDerivedFrom, minter.source(document.slug)) in triples
    assert document.media_type == "text/markdown"
    assert document.relative_path.startswith("corpus/reports/Buitenlands beleid en toerisme/")
    assert document.origin.startswith(CORPUS_ORIGIN + "/blob/")
    assert document.origin.endswith(
        "FIT%20promoot%20Vlaanderen%20wereldwijd%20als%20innovatieve%20topregio.md"
    )


def test_report_is_derived_from_its_document(graphs: list[SourceGraph], minter: Minter) -> None:
    for graph in graphs:
        reports = [t.subject for t in graph.triples if t.object == PG.AssessmentReport]
        assert len(reports) == 1
        assert objects(graph, reports[0], PROV.wasDerivedFrom) == [
            minter.source(graph.document.slug)
        ]


def test_chapter_level_report_assesses_the_chapter(
    graphs: list[SourceGraph], minter: Minter, iris: AgreementMinter
) -> None:
    graph = graph_named(graphs, iris.report_graph("media", None))
    report = iris.report("media", None)
    assert objects(graph, report, PG.assesses) == [iris.chapter("media")]
    assert graph.document.slug == "corpus-report-media"
    assert iris.claim("media", None, 1) in {t.subject for t in graph.triples}


def test_missing_references_are_exposed(graphs: list[SourceGraph]) -> None:
    found: dict[str, set[int]] = {}
    for graph in graphs:
        missing = [t.object for t in graph.triples if t.predicate == PG.citesMissingReference]
        if missing:
            assert all(
                isinstance(o, Literal) and o.datatype == XSD.nonNegativeInteger for o in missing
            )
            found[graph.document.path.relative_to(REPORTS).as_posix()] = {
                int(o.value) for o in missing if isinstance(o, Literal)
            }
    assert found == KNOWN_MISSING


def test_reading_twice_gives_the_same_graphs(
    graphs: list[SourceGraph], minter: Minter, decisions: tuple[SourceGraph, DecisionIndex]
) -> None:
    again = read_reports(DATA_DIR, AGREEMENT, minter, decisions[1])
    assert [(g.name, g.triples) for g in again] == [(g.name, g.triples) for g in graphs]


def test_literals_are_dutch(graphs: list[SourceGraph]) -> None:
    text_properties = {
        PG.claimText,
        PG.theme,
        PG.summary,
        PG.conclusion,
        PG.quotedSectionText,
        DCT.title,
    }
    for graph in graphs:
        for triple in graph.triples:
            if triple.predicate in text_properties:
                assert isinstance(triple.object, Literal)
                assert triple.object.language == "nl"


def test_parsed_reference_dates_are_dates() -> None:
    assert all(isinstance(r.date, date) for r in parse_file(SEED).references)
