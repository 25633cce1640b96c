import pytest

from policygraph.namespaces import PG, PREFIXES, Minter, UrlMapper, slugify, sparql_prologue

MINT = Minter("https://data.policygraph.be")


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("4_—_Buitenlands_beleid_en_toerisme", "4-buitenlands-beleid-en-toerisme"),
        ("Cultuur, jeugd en sport", "cultuur-jeugd-en-sport"),
        ("Financiën en begroting", "financien-en-begroting"),
        (
            "Fusie van entiteiten – bijlage bij het  regeerakkoord",
            "fusie-van-entiteiten-bijlage-bij-het-regeerakkoord",
        ),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_slugify_refuses_empty():
    with pytest.raises(ValueError, match="slug"):
        slugify("—")


def test_section_iri_carries_its_chapter():
    a = MINT.section("buitenlands-beleid-en-toerisme", "4.3")
    b = MINT.section("kanselarij-en-bestuur", "4.3")
    assert a != b
    assert a.value == "https://data.policygraph.be/id/sectie/buitenlands-beleid-en-toerisme/4.3"


def test_chapter_level_report_has_no_number_segment():
    assert MINT.report("media", None).value == "https://data.policygraph.be/id/beoordeling/media"
    assert MINT.claim("media", None, 2).value.endswith("/id/bewering/media/2")


@pytest.mark.parametrize("number", ["4.3.", "", "a.1", "4..3"])
def test_bad_section_numbers_are_refused(number):
    with pytest.raises(ValueError, match="section number"):
        MINT.section("x", number)


def test_references_are_percent_encoded():
    assert MINT.thing("bron", "a b/c").value == "https://data.policygraph.be/id/bron/a%20b%2Fc"


def test_url_mapping_round_trips_only_under_the_base():
    urls = UrlMapper("https://data.policygraph.be", "http://127.0.0.1:8000")
    iri = "https://data.policygraph.be/id/organisatie/fit"
    assert urls.to_url(iri) == "http://127.0.0.1:8000/id/organisatie/fit"
    assert urls.to_iri(urls.to_url(iri)) == iri
    assert urls.to_url("http://www.wikidata.org/entity/Q31") == "http://www.wikidata.org/entity/Q31"
    # a lookalike host is not under the base
    assert (
        urls.to_url("https://data.policygraph.be.evil/id/x")
        == "https://data.policygraph.be.evil/id/x"
    )


def test_vocabulary_terms_and_prologue():
    assert PG.Campaign.value == PREFIXES["pg"] + "Campaign"
    assert sparql_prologue(("pg", "dct")) == (
        f"PREFIX pg: <{PREFIXES['pg']}>\nPREFIX dct: <{PREFIXES['dct']}>\n"
    )
