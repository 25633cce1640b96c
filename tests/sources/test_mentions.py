"""Organisations named in the agreement's text, found by their curated match patterns."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Triple

from policygraph.errors import SourceFormatError
from policygraph.namespaces import PG, AgreementMinter, Minter
from policygraph.sources import SourceDocument, SourceGraph
from policygraph.sources.agreement import Agreement, read_agreement
from policygraph.sources.curated import read_curated
from policygraph.sources.mentions import find_mentions

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
BASE = "https://data.policygraph.be"
FOREIGN = "buitenlands-beleid-en-toerisme"


def text_of(term: object) -> str:
    """The IRI or lexical form of a term (tests only meet IRIs and literals)."""
    assert isinstance(term, NamedNode | Literal), term
    return term.value


@pytest.fixture(scope="module")
def minter() -> Minter:
    return Minter(BASE)


@pytest.fixture(scope="module")
def text(minter: Minter, agreement: Agreement) -> SourceGraph:
    return read_agreement(DATA_DIR, agreement, minter)


@pytest.fixture(scope="module")
def mentions(agreement: Agreement, text: SourceGraph, minter: Minter) -> SourceGraph:
    (organisations,) = (
        g for g in read_curated(DATA_DIR, minter) if g.name == minter.graph("organisaties")
    )
    return find_mentions(agreement, text, organisations, minter)


def mentioned(graph: SourceGraph, organisation: NamedNode) -> set[str]:
    return {text_of(t.object) for t in graph.triples if t.subject == organisation}


def test_fit_and_toerisme_vlaanderen_are_found_in_4_3_2(
    mentions: SourceGraph, minter: Minter, iris: AgreementMinter
) -> None:
    section = iris.section(FOREIGN, "4.3.2")
    for slug in (
        "fit",
        "toerisme-vlaanderen",
        "sport-vlaanderen",
        "vlir",
        "departement-buitenlandse-zaken",
    ):
        assert Triple(minter.organisation(slug), PG.mentionedIn, section) in mentions.triples, slug


def test_mentions_per_organisation(
    mentions: SourceGraph, minter: Minter, iris: AgreementMinter
) -> None:
    counts = Counter(text_of(t.subject).rsplit("/", 1)[1] for t in mentions.triples)
    assert counts["fit"] == 9  # 4.3.1 and 4.3.2, and seven other sections across four chapters
    assert counts["toerisme-vlaanderen"] == 1
    assert counts["vib"] == counts["vito"] == 1
    assert counts["brussels-airport"] == 1  # "de luchthaven in Zaventem"
    assert counts["vlaamse-regering"] > 50
    for absent in ("pfizer", "pfizer-puurs", "b-u-t", "bridgeneers", "vlaamse-regering-jambon"):
        assert counts[absent] == 0
    assert mentioned(mentions, minter.organisation("fit")) >= {
        iris.section(FOREIGN, "4.3.1").value,
        iris.section("energie-en-klimaat", "1.1").value,  # "Flanders Investment & Trade"
    }


def test_only_parts_with_text_are_mentioned(mentions: SourceGraph, text: SourceGraph) -> None:
    with_text = {t.subject for t in text.triples if t.predicate == PG.text}
    assert {t.object for t in mentions.triples} <= with_text
    assert all(t.predicate == PG.mentionedIn for t in mentions.triples)


def test_graph_name_document_and_order(
    mentions: SourceGraph, text: SourceGraph, iris: AgreementMinter
) -> None:
    assert mentions.name == iris.mentions_graph()
    assert mentions.document == text.document
    keys = [(text_of(t.subject), text_of(t.object)) for t in mentions.triples]
    assert keys == sorted(set(keys))


# --- on small graphs --------------------------------------------------------------------------

DOCUMENT = SourceDocument(
    "test",
    "test",
    Path("test.ttl"),
    "test.ttl",
    "https://example.org/",
    "https://example.org/",
    "text/turtle",
)


def graph_of(minter: Minter, triples: list[Triple]) -> SourceGraph:
    return SourceGraph(minter.graph("test"), "test", DOCUMENT, tuple(triples))


def test_acronyms_match_as_words_and_chapters_count(
    minter: Minter, agreement: Agreement, iris: AgreementMinter
) -> None:
    fit, section, chapter = (
        minter.organisation("fit"),
        iris.section("x", "1.1"),
        iris.chapter("y"),
    )
    other = iris.section("x", "1.2")
    text = graph_of(
        minter,
        [
            Triple(
                section, PG.text, Literal("1.1 Bedrijven profiteren van BENEFIT.", language="nl")
            ),
            Triple(other, PG.text, Literal("1.2 Samen met FIT.", language="nl")),
            Triple(chapter, PG.text, Literal("3 Dierenwelzijn: FIT doet mee.", language="nl")),
        ],
    )
    organisations = graph_of(minter, [Triple(fit, PG.matchPattern, Literal(r"\bFIT\b"))])
    found = find_mentions(agreement, text, organisations, minter)
    assert {t.object for t in found.triples} == {other, chapter}


def test_several_patterns_of_one_organisation_are_alternatives(
    minter: Minter, agreement: Agreement, iris: AgreementMinter
) -> None:
    fit, section = minter.organisation("fit"), iris.section("x", "1.1")
    text = graph_of(minter, [Triple(section, PG.text, Literal("met Flanders Investment & Trade"))])
    organisations = graph_of(
        minter,
        [
            Triple(fit, PG.matchPattern, Literal(r"\bFIT\b")),
            Triple(fit, PG.matchPattern, Literal("Flanders Investment & Trade")),
        ],
    )
    assert len(find_mentions(agreement, text, organisations, minter).triples) == 1


def test_a_broken_pattern_is_a_format_error(minter: Minter, agreement: Agreement) -> None:
    organisations = graph_of(
        minter, [Triple(minter.organisation("x"), PG.matchPattern, Literal("(unclosed"))]
    )
    with pytest.raises(SourceFormatError, match="organisatie/x"):
        find_mentions(agreement, graph_of(minter, []), organisations, minter)


def test_a_pattern_that_is_not_a_literal_is_a_format_error(
    minter: Minter, agreement: Agreement
) -> None:
    organisations = graph_of(
        minter, [Triple(minter.organisation("x"), PG.matchPattern, minter.organisation("y"))]
    )
    with pytest.raises(SourceFormatError, match="literal"):
        find_mentions(agreement, graph_of(minter, []), organisations, minter)
