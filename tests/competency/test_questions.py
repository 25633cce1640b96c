"""The competency questions of queries/*.rq, answered on the built corpus with exact answers.

Small answers are written out in full. Aggregates over the corpus (questions 5 to 8 and 10) are
also recomputed here straight from the source files, without RDF or SPARQL, and must agree.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, QuerySolutions

from policygraph.store.local import LocalStore

PROJECT = Path(__file__).resolve().parents[2]
QUERIES = PROJECT / "queries"
DATA = PROJECT / "data"


def query_file(prefix: str) -> Path:
    (path,) = QUERIES.glob(f"{prefix}-*.rq")
    return path


def answer(store: LocalStore, prefix: str) -> list[dict[str, object]]:
    result = store.query(query_file(prefix).read_text(encoding="utf-8"))
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    return [{name: _python(row[name]) for name in names} for row in result]


def _python(term: object) -> object:
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return term.value
    assert isinstance(term, Literal)
    datatype = term.datatype.value.rsplit("#", 1)[-1]
    if datatype == "date":
        return date.fromisoformat(term.value)
    if datatype in {"integer", "nonNegativeInteger"}:
        return int(term.value)
    if datatype == "decimal":
        return float(term.value)
    return term.value


def test_every_question_states_itself_in_dutch_and_english():
    files = sorted(QUERIES.glob("cq*.rq"))
    assert len(files) == 18
    for file in files:
        head = file.read_text(encoding="utf-8").split("PREFIX", 1)[0]
        assert head.startswith("# nl: "), file.name
        assert "\n# en: " in head, file.name


# The references of the seed report (data/seeds/report-4.3.2-…md), as it prints them.
SEED_REFERENCES = {
    0: "2021-06-18",
    1: "2021-06-04",
    2: "2023-10-27",
    3: "2020-07-17",
    4: "2020-09-04",
    5: "2023-06-16",
    6: "2022-11-25",
    7: "2019-12-06",
    8: "2021-07-09",
    9: "2022-01-28",
    10: "2021-12-17",
    11: "2020-12-18",
    12: "2020-12-18",
    13: "2020-06-05",
    14: "2023-06-23",
    15: "2023-06-23",
    16: "2023-04-28",
    17: "2023-07-07",
    18: "2023-07-14",
}


def seed_titles() -> dict[int, str]:
    text = (DATA / "seeds" / "report-4.3.2-fit-promoot-vlaanderen.md").read_text(encoding="utf-8")
    found = re.findall(r"\*\*\[\\\[(\d+)\\\]\]\(.*?\)\*\* : \*\*\(\d{4}-\d\d-\d\d\)\*\* (.+)", text)
    return {int(n): title.strip() for n, title in found}


def test_cq01_the_nineteen_decisions_of_section_4_3_2_in_date_order(corpus_store):
    rows = answer(corpus_store, "cq01")
    assert len(rows) == 19
    assert {r["number"]: r["date"].isoformat() for r in rows} == SEED_REFERENCES
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    titles = seed_titles()
    assert {r["number"]: r["title"] for r in rows} == titles
    assert rows[0]["number"] == 7
    assert rows[0]["title"] == "EFRO Vlaanderen 2014-2020"
    assert rows[-1]["kaleidosId"] == "6536851F9DAB6626D11E50B3"


def test_cq02_sections_that_mention_fit_and_toerisme_vlaanderen(corpus_store):
    rows = answer(corpus_store, "cq02")
    found = {(r["organisation"], r["chapterTitle"], r["number"]) for r in rows}
    fit = "Flanders Investment & Trade"
    assert found == {
        (fit, "Buitenlands beleid en toerisme", "4.2"),
        (fit, "Buitenlands beleid en toerisme", "4.3.1"),
        (fit, "Buitenlands beleid en toerisme", "4.3.2"),
        (fit, "Buitenlands beleid en toerisme", "4.7.3"),
        (fit, "Buitenlands beleid en toerisme", "4.9"),
        (fit, "Economie en innovatie", "2.2.2"),
        (fit, "Economie en innovatie", "2.3.1"),
        (fit, "Energie en klimaat", "1.1"),
        (fit, "Landbouw en visserij", "4.2"),
        ("Toerisme Vlaanderen", "Buitenlands beleid en toerisme", "4.3.2"),
    }


def test_cq03_cost_currency_and_target_countries(corpus_store):
    rows = answer(corpus_store, "cq03")
    assert {(r["amount"], r["currency"]) for r in rows} == {(610000.0, "EUR")}
    assert {r["countryName"]: r["wikidata"] for r in rows} == {
        "Canada": "http://www.wikidata.org/entity/Q16",
        "France": "http://www.wikidata.org/entity/Q142",
        "Germany": "http://www.wikidata.org/entity/Q183",
        "Japan": "http://www.wikidata.org/entity/Q17",
        "Netherlands": "http://www.wikidata.org/entity/Q55",
        "United Kingdom": "http://www.wikidata.org/entity/Q145",
        "United States": "http://www.wikidata.org/entity/Q30",
    }


def test_cq04_who_launched_it_where_and_who_made_it(corpus_store):
    rows = answer(corpus_store, "cq04")
    assert {(r["launchedBy"], r["place"], r["dayOfWeek"]) for r in rows} == {
        ("Jan Jambon", "Leuven", "http://www.w3.org/2006/time#Tuesday")
    }
    assert [(r["maker"], r["makerRole"]) for r in rows] == [
        ("B.U.T.", "production house; helped set up the campaign"),
        ("Bridgeneers", "marketing agency; helped set up the campaign"),
    ]


def test_cq09_strategy_and_planned_sectors(corpus_store):
    rows = answer(corpus_store, "cq09")
    assert {(r["strategy"], r["coordinator"]) for r in rows} == {
        ("Vlaanderen Versnelt", "Flanders Investment & Trade")
    }
    assert [r["plannedSector"] for r in rows] == [
        "food",
        "smart logistics",
        "solution-driven engineering & technology",
        "sustainable resources, materials & chemistry",
    ]


def test_cq11_ceo_and_minister_president(corpus_store):
    assert answer(corpus_store, "cq11") == [
        {
            "ceo": "Claire Tillekaerts",
            "ministerPresident": "Jan Jambon",
            "mandateStart": date(2019, 10, 2),
            "mandateEnd": date(2024, 9, 30),
        }
    ]


def test_cq12_the_budget_comes_from_the_article(corpus_store):
    import hashlib

    (row,) = answer(corpus_store, "cq12")
    article = DATA / "seeds" / "article-fit-lifesciences-campaign.txt"
    assert row["amount"] == 610000.0
    assert row["currency"] == "EUR"
    assert row["graph"].endswith("/graph/artikel-fit-lifesciences-campagne")
    assert row["path"] == "seeds/article-fit-lifesciences-campaign.txt"
    assert row["sha256"] == hashlib.sha256(article.read_bytes()).hexdigest()


# --- Aggregates, recomputed from the source files -------------------------------------------


@pytest.fixture(scope="module")
def evidence():
    """Per assessed section: its chapter title, number and the Kaleidos ids it cites.

    Computed with the parser and the decision index, without RDF: reports match sections by
    their quoted text, exactly as the corpus README says.
    """
    from policygraph.namespaces import Minter
    from policygraph.sources.agreement import read_agreements
    from policygraph.sources.decisions import read_decisions
    from policygraph.sources.reports.corpus import report_paths, resolve_references
    from policygraph.sources.reports.parse import parse_report

    agreement = next(a for a in read_agreements(DATA) if a.slug == "2019-2024")
    _, index = read_decisions(DATA, Minter("https://example.org"), [agreement])
    cited: dict[str, set[str]] = {}
    for path in report_paths(DATA, agreement):
        report = parse_report(path.read_text(encoding="utf-8"), str(path))
        cited[report.section_text] = {kaleidos for _, kaleidos in resolve_references(report, index)}
    return cited


def sections() -> list[tuple[str, str | None, str]]:
    """(chapter title, number or None, text) for every line of sections.jsonl."""
    rows = []
    for line in (DATA / "corpus" / "sections.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        chapter = item["name"].split("_-_")[0].split("_—_", 1)[1]
        chapter = re.sub(r"_+", " ", chapter).strip()
        number = re.match(r"(\d+(?:\.\d+)*)", item["text"]).group(1)
        rows.append((chapter, number if "." in number else None, item["text"].strip()))
    return rows


def same_chapter(a: str, b: str) -> bool:
    fold = lambda s: re.sub(r"\W+", "", s.lower())  # noqa: E731
    return fold(a) == fold(b)


def test_cq05a_sections_without_evidence(corpus_store, evidence):
    rows = answer(corpus_store, "cq05a")
    expected = {
        (
            chapter,
            number,
            "not assessed" if text not in evidence else "assessment cites no decision",
        )
        for chapter, number, text in sections()
        if not evidence.get(text)
    }
    got = {(r["chapterTitle"], r["number"], r["status"]) for r in rows}
    assert len(got) == len(expected) == 31
    assert {(re.sub(r"\W+", "", c.lower()), n, s) for c, n, s in got} == {
        (re.sub(r"\W+", "", c.lower()), n, s) for c, n, s in expected
    }


def test_cq05b_chapters_by_share_without_evidence(corpus_store, evidence):
    rows = answer(corpus_store, "cq05b")
    assert len(rows) == 26
    assert (rows[0]["chapterTitle"], rows[0]["sections"], rows[0]["withoutEvidence"]) == (
        "Werk en sociale economie",
        9,
        9,
    )
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for chapter, _, text in sections():
        totals[re.sub(r"\W+", "", chapter.lower())][0] += 1
        totals[re.sub(r"\W+", "", chapter.lower())][1] += 0 if evidence.get(text) else 1
    assert {
        re.sub(r"\W+", "", r["chapterTitle"].lower()): [r["sections"], r["withoutEvidence"]]
        for r in rows
    } == dict(totals)
    shares = [float(r["share"]) for r in rows]
    assert shares == sorted(shares, reverse=True)


def test_cq06_distinct_decisions_per_chapter_per_year(corpus_store, evidence):
    rows = answer(corpus_store, "cq06")
    dates = {
        json.loads(line)["id"]: json.loads(line)["date"]
        for line in (DATA / "corpus" / "decisions.jsonl").read_text(encoding="utf-8").splitlines()
    }
    chapter_of = {text: chapter for chapter, _, text in sections()}
    expected: dict[tuple[str, int], set[str]] = defaultdict(set)
    for text, ids in evidence.items():
        for decision in ids:
            key = (re.sub(r"\W+", "", chapter_of[text].lower()), int(dates[decision][:4]))
            expected[key].add(decision)
    got = {(re.sub(r"\W+", "", r["chapterTitle"].lower()), r["year"]): r["decisions"] for r in rows}
    assert got == {key: len(ids) for key, ids in expected.items()}
    assert len(rows) == 121


def test_cq07_decisions_cited_by_several_sections(corpus_store, evidence):
    rows = answer(corpus_store, "cq07")
    by_decision: dict[str, int] = defaultdict(int)
    for ids in evidence.values():
        for decision in ids:
            by_decision[decision] += 1
    expected = {d: n for d, n in by_decision.items() if n > 1}
    assert {r["kaleidosId"]: r["sections"] for r in rows} == expected
    assert len(rows) == 1229
    assert rows[0]["kaleidosId"] == "60ED3EBE364ED9000800134B"
    assert rows[0]["sections"] == 19


def test_cq08_brexit_decisions_and_who_cites_them(corpus_store, evidence):
    rows = answer(corpus_store, "cq08")
    mentioning = {
        item["id"]
        for line in (DATA / "corpus" / "decisions.jsonl").read_text(encoding="utf-8").splitlines()
        if "brexit"
        in ((item := json.loads(line))["title"] or "").lower() + " " + item["text"].lower()
    }
    assert {r["kaleidosId"] for r in rows} == mentioning
    citing = {(d, text) for text, ids in evidence.items() for d in ids if d in mentioning}
    assert sum(1 for r in rows if r["number"] is not None or r["chapterTitle"] is not None) == len(
        citing
    )
    assert len(rows) == 32


def test_cq10_every_claim_citing_one_decision(corpus_store):
    rows = answer(corpus_store, "cq10")
    assert len(rows) == 14
    assert {(r["chapterTitle"], r["number"]) for r in rows} >= {
        ("Buitenlands beleid en toerisme", "4.3.2"),
        ("Buitenlands beleid en toerisme", "4.1"),
    }
    # every claim listed cites the decision through a reference of its own report
    for row in rows:
        assert "[" in row["claimText"]


# --- How the assessments were generated -----------------------------------------------------

GENERATION_4_3_2 = (
    DATA
    / "corpus"
    / "generation"
    / "4_—_Buitenlands_beleid_en_toerisme_-_4.3_Een_doorgedreven_internationalisering_van_de_"
    "Vlaamse_economie_-_4.3.2_FIT_promoot_Vlaanderen_wereldwijd_als_innovatieve_topregio"
    / "raw_prompt_response.txt"
)


def test_cq14_candidates_shown_for_4_3_2_but_not_cited(corpus_store):
    rows = answer(corpus_store, "cq14")
    uncited = sorted({r["index"] for r in rows})
    assert uncited == [
        *(6, 9, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 27, 28, 29, 31, 32, 33, 34),
        *(35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56),
        *(57, 58, 59, 60, 61, 62, 63, 64, 65, 68, 70, 71, 72, 73),
    ]
    # The same from the raw file, read with plain patterns: "<index> - " entries, "[i]" markers.
    prompt, response = GENERATION_4_3_2.read_text(encoding="utf-8").split("\nRESPONSE:\n")
    shown = {int(i) for i in re.findall(r"(?:^|Beslissingen: )(\d+) - ", prompt, re.MULTILINE)}
    cited = {int(i) for i in re.findall(r"\[(\d+)\]", response)}
    assert len(shown) == 74
    assert len(cited) == 19
    assert uncited == sorted(shown - cited)
    # Four of them have a text that no decision of decisions.jsonl has.
    assert sorted(r["index"] for r in rows if r["decision"] is None) == [20, 39, 58, 62]
    assert all(
        r["candidate"].endswith(f"/kandidaat/buitenlands-beleid-en-toerisme/4.3.2/{r['index']}")
        for r in rows
    )


def test_cq15_references_that_disagree_with_the_raw_answer(corpus_store):
    report = "https://data.policygraph.be/id/regeerakkoord/2019-2024/beoordeling/omgeving/"
    decision = "https://data.policygraph.be/id/beslissing/"
    # Two decisions of 2022-06-17 share date, title and URL; the reports' tie-break gave both
    # references the first, where the raw answers cited the other.
    assert answer(corpus_store, "cq15") == [
        {
            "report": report + "2.2.2.3",
            "number": 27,
            "index": 39,
            "referenceDecision": decision + "62A9D1CC94D257C35246685B",
            "candidateDecision": decision + "62A9D22894D257C35246685C",
        },
        {
            "report": report + "2.2.2.4",
            "number": 16,
            "index": 19,
            "referenceDecision": decision + "62A9D1CC94D257C35246685B",
            "candidateDecision": decision + "62A9D22894D257C35246685C",
        },
    ]


def test_cq16_how_many_references_agree_with_the_raw_answer(corpus_store):
    concept = "https://data.policygraph.be/ns/concept/"
    assert answer(corpus_store, "cq16") == [
        {"outcome": concept + "renumbering-agrees", "label": "agrees", "references": 5529},
        {"outcome": concept + "renumbering-cannot-tell", "label": "cannot tell", "references": 97},
        {"outcome": concept + "renumbering-disagrees", "label": "disagrees", "references": 2},
    ]


SECTIONS = "https://data.policygraph.be/id/regeerakkoord/2019-2024/sectie/"


def test_cq18_sections_with_the_most_strong_suggestions(corpus_store):
    def row(path, chapter, strong, summed, assessed):
        return {
            "section": SECTIONS + path,
            "number": path.rsplit("/", 1)[1],
            "chapter": chapter,
            "strong": strong,
            "summedScore": summed,
            "assessed": assessed,
        }

    assert answer(corpus_store, "cq18") == [
        row(
            "fusie-van-entiteiten-bijlage-bij-het-regeerakkoord/8.1",
            "Fusie van entiteiten – bijlage bij het regeerakkoord",
            14,
            4.635,
            "false",
        ),
        row("inburgering-en-integratie/2.2.2", "Inburgering en integratie", 14, 4.301, "false"),
        row("justitie/3.3.3", "Justitie", 13, 4.085, "true"),
        row("kanselarij-en-bestuur/4.2.5", "Kanselarij en bestuur", 12, 4.614, "true"),
        row("werk-en-sociale-economie/3.2.2.2", "Werk en sociale economie", 12, 4.007, "false"),
        row("welzijn/1.2.1.3", "Welzijn", 12, 3.88, "false"),
        row("werk-en-sociale-economie/3.2.1.3", "Werk en sociale economie", 10, 3.421, "false"),
        row("werk-en-sociale-economie/3.2.2.1", "Werk en sociale economie", 9, 3.091, "false"),
        row(
            "binnenlands-bestuur-en-stedenbeleid/2.2.6",
            "Binnenlands bestuur en stedenbeleid",
            7,
            2.318,
            "true",
        ),
        row("kanselarij-en-bestuur/4.2.4", "Kanselarij en bestuur", 7, 2.187, "true"),
    ]


def test_every_report_has_exactly_one_generation_with_all_its_candidates(corpus_store):
    result = corpus_store.query(
        """PREFIX pg: <https://data.policygraph.be/ns/policygraph#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?report (COUNT(DISTINCT ?generation) AS ?generations) WHERE {
          ?report a pg:AssessmentReport .
          OPTIONAL { ?report prov:wasGeneratedBy ?generation .
                     ?generation a pg:AssessmentGeneration }
        } GROUP BY ?report"""
    )
    assert isinstance(result, QuerySolutions)
    counts = [int(row["generations"].value) for row in result]
    assert len(counts) == 193
    assert set(counts) == {1}
    prompts = corpus_store.query(
        """PREFIX pg: <https://data.policygraph.be/ns/policygraph#>
        SELECT ?prompt ?count (COUNT(?candidate) AS ?candidates) WHERE {
          ?prompt a pg:ModelPrompt ; pg:candidateCount ?count ; pg:hasCandidate ?candidate .
        } GROUP BY ?prompt ?count"""
    )
    assert isinstance(prompts, QuerySolutions)
    rows = [(int(r["count"].value), int(r["candidates"].value)) for r in prompts]
    assert len(rows) == 224
    assert all(count == candidates for count, candidates in rows)
    # DECISIONS_INCLUDED_IN_PROMPT, summed over the metadata files as written.
    included = sum(
        int(re.search(r"^DECISIONS_INCLUDED_IN_PROMPT: (\d+)$", path.read_text(), re.M)[1])
        for path in (DATA / "corpus" / "generation").glob("*/metadata.txt")
    )
    assert sum(count for count, _ in rows) == included == 13640


def test_cq17_claims_citing_decisions_with_weak_or_no_support(corpus_store):
    from policygraph.derive.citation_support import assess_citations
    from policygraph.derive.decision_ranking import DecisionRanking, read_decisions

    rows = answer(corpus_store, "cq17")
    claims = "https://data.policygraph.be/id/regeerakkoord/2019-2024/bewering/"
    decision = "https://data.policygraph.be/id/beslissing/"
    assert len(rows) == 3493
    assert sum(1 for row in rows if row["level"] == "weak") == 2703
    assert sum(1 for row in rows if row["level"] == "unsupported") == 790
    by_citation = {(row["claim"], row["decision"]): row for row in rows}
    # A claim that lists decisions only to say they have nothing to do with the section.
    dismissed = by_citation[(claims + "justitie/3.2.5/9", decision + "64F5E5C73605E1AC863BE0ED")]
    assert dismissed["level"] == "unsupported"
    assert float(dismissed["similarity"]) == 0.0
    assert dismissed["missingTerms"] is None
    partial = by_citation[
        (claims + "armoedebestrijding/2.1/7", decision + "5F85519B0379AD00080000AE")
    ]
    assert partial["level"] == "weak"
    assert float(partial["similarity"]) == pytest.approx(0.4807)
    assert set(partial["missingTerms"].split(" | ")) == {"Lokaal", "Activeringspact"}
    # The same citations, recomputed from the content without the derived graph.
    content = corpus_store.oxigraph
    recomputed = assess_citations(content, DecisionRanking(read_decisions(content)))
    assert {
        (one.citation.claim, one.citation.decision, one.level)
        for one in recomputed
        if one.level != "supported"
    } == {(row["claim"], row["decision"], row["level"]) for row in rows}
