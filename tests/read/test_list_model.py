"""The lists' read model on the small fixture graph: rows, facets, orders, pages, Hydra, CSV."""

from __future__ import annotations

import csv
import io

import pytest
from ld_support import BASE, fixture_store
from pyoxigraph import NamedNode

from policygraph.namespaces import HYDRA
from policygraph.read.lists import (
    DECISIONS,
    SECTIONS,
    ListParameterError,
    PageNotFoundError,
    hydra_triples,
    list_data,
    page_of,
    parse_selection,
    selected,
)
from policygraph.render.table import list_csv_lines

DECISIONS_IRI = f"{BASE}/id/beslissing/"
SECTIONS_IRI = f"{BASE}/id/regeerakkoord/2019-2024/sectie/"
CITED_ONCE = f"{BASE}/id/beslissing/5D9C56D56B1B8100080001EA"
UNCITED = f"{BASE}/id/beslissing/6200000000000000000000C3"


@pytest.fixture(scope="module")
def decisions():
    return list_data(DECISIONS, DECISIONS.read(fixture_store(), DECISIONS_IRI, "nl"))


@pytest.fixture(scope="module")
def decision_rows(decisions):
    return decisions.rows


def choose(data, **params):
    return selected(data, parse_selection(data, {k: [v] for k, v in params.items()}))


def test_decision_rows_have_date_title_kind_and_citations(decision_rows):
    by_iri = {row.iri: row for row in decision_rows}
    assert len(by_iri) == 4
    assert by_iri[CITED_ONCE].get("title") == "Oprichting van FIT-kantoren in Azië"
    assert by_iri[CITED_ONCE].get("kind_code") == "nota"
    assert by_iri[CITED_ONCE].get("cited") >= 1
    assert by_iri[UNCITED].get("cited") == 0


def test_filters_keep_what_they_name(decisions):
    assert [row.iri for row in choose(decisions, year="2019")] == [CITED_ONCE]
    assert {row.get("kind_code") for row in choose(decisions, kind="mededeling")} == {"mededeling"}
    assert UNCITED in {row.iri for row in choose(decisions, cited="no")}
    assert UNCITED not in {row.iri for row in choose(decisions, cited="yes")}
    assert choose(decisions, year="1999") == []


def test_orders_end_on_the_iri_and_go_both_ways(decisions, decision_rows):
    newest_first = choose(decisions)
    assert [r.get("date") for r in newest_first] == sorted(
        (r.get("date") for r in decision_rows), reverse=True
    )
    assert [r.iri for r in choose(decisions, sort="date")] == [r.iri for r in newest_first][::-1]
    titles = [r.get("title") for r in choose(decisions, sort="title")]
    assert titles == sorted(titles, key=str.casefold)


@pytest.mark.parametrize(
    "params",
    [
        {"kind": ["wet"]},
        {"year": ["twee"]},
        {"cited": ["soms"]},
        {"sort": ["kleur"]},
        {"page": ["0"]},
        {"per_page": ["501"]},
        {"page": ["1", "2"]},
    ],
)
def test_a_bad_parameter_is_refused_with_its_name(decisions, params):
    with pytest.raises(ListParameterError, match=next(iter(params))):
        parse_selection(decisions, params)


def test_pages_cover_the_list_once_and_stop(decisions, decision_rows):
    seen = []
    for number in (1, 2, 3, 4):
        selection = parse_selection(decisions, {"per_page": ["1"], "page": [str(number)]})
        page = page_of(decisions, selection)
        assert (page.first_index, page.last_index, page.pages) == (number, number, 4)
        seen += [row.iri for row in page.rows]
    assert sorted(seen) == sorted(row.iri for row in decision_rows)
    past = parse_selection(decisions, {"per_page": ["1"], "page": ["5"]})
    with pytest.raises(PageNotFoundError):
        page_of(decisions, past)


def test_hydra_links_the_pages(decisions):
    selection = parse_selection(decisions, {"per_page": ["2"], "page": ["2"]})
    page = page_of(decisions, selection)
    triples = hydra_triples(page, "http://x/list/", lambda n: f"http://x/list/?page={n}", "B", "nl")
    links = {(t.predicate, t.object) for t in triples}
    assert (HYDRA.previous, NamedNode("http://x/list/?page=1")) in links
    assert (HYDRA.last, NamedNode("http://x/list/?page=2")) in links
    assert not any(t.predicate == HYDRA.next for t in triples)
    assert sum(t.predicate == HYDRA.member for t in triples) == 2
    with_search = hydra_triples(
        page, "http://x/l/", lambda n: f"http://x/l/?page={n}", "B", "nl", "http://x/l/"
    )
    templates = [t.object.value for t in with_search if t.predicate == HYDRA.template]
    assert templates == ["http://x/l/{?year,kind,cited,sort,page,per_page}"]


def test_sections_in_agreement_order_with_their_chapter():
    sections = list_data(SECTIONS, SECTIONS.read(fixture_store(), SECTIONS_IRI, "nl"))
    ordered = selected(sections, parse_selection(sections, {}))
    assert [row.get("number") for row in ordered][:3] == ["4.3", "4.3.2", "4.3.3"]
    text = "".join(list_csv_lines(SECTIONS.columns, ordered))
    table = list(csv.DictReader(io.StringIO(text)))
    assert table[0]["chapter_iri"].endswith("/hoofdstuk/buitenlands-beleid-en-toerisme")
    assert {row["assessed"] for row in table} <= {"yes", "no"}
