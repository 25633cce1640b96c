import pytest

from policygraph.namespaces import (
    PG,
    PREFIXES,
    Minter,
    UrlMapper,
    moved_iri,
    slugify,
    sparql_prologue,
)

BASE = "https://data.policygraph.be"
MINT = Minter(BASE)
AGREEMENT = MINT.within("2019-2024")


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


def test_section_iri_carries_its_agreement_and_chapter():
    a = AGREEMENT.section("buitenlands-beleid-en-toerisme", "4.3")
    b = AGREEMENT.section("kanselarij-en-bestuur", "4.3")
    c = MINT.within("2024-2029").section("buitenlands-beleid-en-toerisme", "4.3")
    assert len({a, b, c}) == 3
    assert a.value == f"{BASE}/id/regeerakkoord/2019-2024/sectie/buitenlands-beleid-en-toerisme/4.3"
    assert AGREEMENT.iri == MINT.agreement("2019-2024")
    assert AGREEMENT.iri.value == f"{BASE}/id/regeerakkoord/2019-2024"


def test_chapter_level_report_has_no_number_segment():
    assert AGREEMENT.report("media", None).value == (
        f"{BASE}/id/regeerakkoord/2019-2024/beoordeling/media"
    )
    assert AGREEMENT.claim("media", None, 2).value.endswith("/2019-2024/bewering/media/2")
    assert AGREEMENT.report_graph("media", None).value == (
        f"{BASE}/graph/regeerakkoord/2019-2024/beoordeling/media"
    )


@pytest.mark.parametrize("number", ["4.3.", "", "a.1", "4..3"])
def test_bad_section_numbers_are_refused(number):
    with pytest.raises(ValueError, match="section number"):
        AGREEMENT.section("x", number)


@pytest.mark.parametrize(
    ("former", "now"),
    [
        ("/id/sectie/wonen/4.1", "/id/regeerakkoord/2019-2024/sectie/wonen/4.1"),
        ("/id/hoofdstuk/wonen", "/id/regeerakkoord/2019-2024/hoofdstuk/wonen"),
        ("/id/beoordeling/media", "/id/regeerakkoord/2019-2024/beoordeling/media"),
        ("/id/bewering/wonen/4.1/3", "/id/regeerakkoord/2019-2024/bewering/wonen/4.1/3"),
        ("/id/referentie/wonen/4.1/0", "/id/regeerakkoord/2019-2024/referentie/wonen/4.1/0"),
        ("/graph/beoordeling/wonen/4.1", "/graph/regeerakkoord/2019-2024/beoordeling/wonen/4.1"),
        ("/graph/regeerakkoord", "/graph/regeerakkoord/2019-2024"),
        ("/graph/vermeldingen", "/graph/regeerakkoord/2019-2024/vermeldingen"),
    ],
)
def test_former_iris_move_into_their_agreement(former, now):
    assert moved_iri(BASE + former, BASE, "2019-2024") == BASE + now


@pytest.mark.parametrize(
    "iri",
    [
        f"{BASE}/id/regeerakkoord/2019-2024",
        f"{BASE}/id/regeerakkoord/2019-2024/sectie/wonen/4.1",
        f"{BASE}/graph/regeerakkoord/2019-2024",
        f"{BASE}/id/sectie",
        f"{BASE}/id/organisatie/fit",
        f"{BASE}/graph/beslissingen",
        "https://elsewhere.example/id/sectie/wonen/4.1",
    ],
)
def test_other_iris_have_not_moved(iri):
    assert moved_iri(iri, BASE, "2019-2024") is None


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
