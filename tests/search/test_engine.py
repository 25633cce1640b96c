"""The search engine on a small store: what it finds, in which order, with which snippets and
facets; and that no text a person may type breaks it."""

from __future__ import annotations

from pathlib import Path

import pytest
from ld_support import BASE, CAMPAIGN, ORGANISATION, fixture_quads, fixture_store

from policygraph.errors import SearchRequestError, SearchUnavailableError
from policygraph.search import SearchIndex, SearchRequest, ensure_index, index_store, open_index
from policygraph.search.analyzer import fold
from policygraph.search.index import index_stamp
from policygraph.store.local import LocalVersions, current_version_dir

BREXIT = f"{BASE}/id/beslissing/6000000000000000000000A1"
IMAGO = f"{BASE}/id/beslissing/6100000000000000000000B2"
CLAIM = f"{BASE}/id/regeerakkoord/2019-2024/bewering/buitenlands-beleid-en-toerisme/4.3.2/1"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    target = tmp_path_factory.mktemp("index") / "search"
    index_store(fixture_store(), target)
    return open_index(target)


def iris(index: SearchIndex, text: str, **options: object) -> list[str]:
    return [hit.iri for hit in index.search(SearchRequest(text=text, **options)).hits]


def test_every_type_of_resource_is_indexed(index: SearchIndex) -> None:
    facets = index.search(SearchRequest(text="fit vlaanderen brexit campagne")).facets
    assert {count.value for count in facets["type"]} >= {"decision", "claim", "section"}


def test_a_word_finds_the_decision_titled_with_it_first(index: SearchIndex) -> None:
    assert iris(index, "brexit", types=("decision",)) == [BREXIT]


def test_a_type_filter_keeps_only_that_type(index: SearchIndex) -> None:
    page = index.search(SearchRequest(text="brexit", types=("claim",)))
    assert [hit.type for hit in page.hits] == ["claim"]


def test_without_a_filter_every_type_that_matches_is_found(index: SearchIndex) -> None:
    assert set(iris(index, "brexit")) == {BREXIT, CLAIM}


def test_a_campaign_is_found_by_the_reasons_its_source_gives(index: SearchIndex) -> None:
    assert iris(index, "handelsregels") == [CAMPAIGN]


def test_resources_with_every_word_come_before_those_with_some(index: SearchIndex) -> None:
    page = index.search(SearchRequest(text="brexit export"))
    assert ([hit.iri for hit in page.hits], page.relaxed) == ([BREXIT, CLAIM], True)


def test_without_words_in_common_nothing_is_relaxed(index: SearchIndex) -> None:
    page = index.search(SearchRequest(text="brexit"))
    assert page.relaxed is False


def test_a_phrase_matches_its_words_in_order_only(index: SearchIndex) -> None:
    assert iris(index, '"vlaamse export"') == [BREXIT]
    assert iris(index, '"export vlaamse"') == []


def test_a_misspelt_word_is_taken_for_the_nearest_indexed_word(index: SearchIndex) -> None:
    page = index.search(SearchRequest(text="brexti", types=("decision",)))
    assert ([hit.iri for hit in page.hits], page.corrections) == ([BREXIT], {"brexti": "brexit"})


def test_a_word_finds_the_compounds_it_begins(index: SearchIndex) -> None:
    assert IMAGO in iris(index, "imago")


def test_a_compound_the_index_lacks_is_searched_as_its_parts(index: SearchIndex) -> None:
    assert iris(index, "brexitimpact", types=("decision",)) == [BREXIT]


def test_an_organisation_is_found_by_its_name(index: SearchIndex) -> None:
    assert iris(index, "Flanders Investment", types=("organisation",)) == [ORGANISATION]


def test_the_snippet_marks_the_words_that_matched(index: SearchIndex) -> None:
    hit = index.search(SearchRequest(text="Brexit", types=("claim",))).hits[0]
    marked = [hit.snippet[start:end] for start, end in hit.highlights]
    assert [fold(text) for text in marked] == [["brexit"]]


def test_accented_text_is_marked_at_the_right_characters(index: SearchIndex) -> None:
    hit = index.search(SearchRequest(text="azie", types=("decision",))).hits[0]
    assert [hit.snippet[start:end] for start, end in hit.highlights] == ["Azië"]


def test_the_facets_count_every_match_not_only_the_page(index: SearchIndex) -> None:
    page = index.search(SearchRequest(text="brexit", per_page=1))
    assert (page.total, sum(c.count for c in page.facets["type"])) == (2, 2)


def test_a_facet_filter_narrows_the_total(index: SearchIndex) -> None:
    page = index.search(SearchRequest(text="brexit", years=("2020",)))
    assert (page.total, [hit.iri for hit in page.hits]) == (1, [BREXIT])


def test_a_decision_knows_its_year_kind_and_whether_a_report_cites_it(index: SearchIndex) -> None:
    hit = index.search(SearchRequest(text="brexit", types=("decision",))).hits[0]
    assert (hit.date, hit.year, hit.kind, hit.cited) == (
        "2020-03-13",
        "2020",
        "https://data.policygraph.be/ns/concept/mededeling",
        True,
    )


def test_pages_together_hold_every_hit_once(index: SearchIndex) -> None:
    whole = index.search(SearchRequest(text="fit vlaanderen", per_page=100))
    paged = [
        hit.iri
        for number in range(1, whole.total + 1)
        for hit in index.search(SearchRequest(text="fit vlaanderen", page=number, per_page=1)).hits
    ]
    assert paged == [hit.iri for hit in whole.hits]


def test_everything_gives_every_hit_of_a_search(index: SearchIndex) -> None:
    request = SearchRequest(text="fit vlaanderen", per_page=1)
    assert len(index.everything(request).hits) == index.search(request).total


def test_scores_are_the_search_s_own(index: SearchIndex) -> None:
    page = index.search(SearchRequest(text="brexit"))
    assert index.scores("brexit") == {hit.iri: hit.score for hit in page.hits}


@pytest.mark.parametrize(
    "text",
    [
        "AND OR NOT",
        "*",
        "title:brexit",
        "brexit~2^5",
        "((((( brexit",
        "[1 TO 5]",
        "\x00\x01\x1b[31m fit",
        "x" * 10_000,
        "brexit " * 2000,
        "😀 ∑ ∞",
        "",
        "   ",
    ],
)
def test_query_syntax_is_read_as_the_words_it_holds(index: SearchIndex, text: str) -> None:
    assert iris(index, text) == iris(index, " ".join(fold(text)))


@pytest.mark.parametrize("text", ['"', '"""', '"brexit', 'brexit"', '"" brexit ""', '"(*)"'])
def test_stray_quotes_are_no_syntax_error(index: SearchIndex, text: str) -> None:
    assert iris(index, text) in ([], [BREXIT, CLAIM], [CLAIM, BREXIT])


def test_a_query_of_punctuation_only_finds_nothing(index: SearchIndex) -> None:
    assert index.search(SearchRequest(text="?! -- ()")).total == 0


@pytest.mark.parametrize(
    "request_",
    [
        SearchRequest(text="x", types=("person",)),
        SearchRequest(text="x", per_page=0),
        SearchRequest(text="x", per_page=101),
        SearchRequest(text="x", page=0),
        SearchRequest(text="x", page=200, per_page=10),
        SearchRequest(text="x", cited=("maybe",)),
    ],
)
def test_parameters_out_of_bounds_are_refused(index: SearchIndex, request_: SearchRequest) -> None:
    with pytest.raises(SearchRequestError):
        index.search(request_)


def test_a_folder_without_an_index_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(SearchUnavailableError, match="policygraph build --force"):
        open_index(tmp_path / "search")


def test_an_index_is_written_whole_and_once(tmp_path: Path) -> None:
    LocalVersions(tmp_path, derive=ensure_index).write_version("v1", fixture_quads())
    version_dir = current_version_dir(tmp_path)
    indexes = sorted(p.name for p in version_dir.iterdir() if p.name.startswith(("search", ".")))
    assert indexes == ["search", f"search-{index_stamp()}"]  # no folder left half-written
    assert ensure_index(version_dir) is False
