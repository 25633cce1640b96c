"""The curated Turtle: every fact of the article is in the graph, with the article as its source."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, QuerySolutions, Store, Variable

from policygraph.config import ONTOLOGY_DIR
from policygraph.errors import RDFSyntaxError
from policygraph.namespaces import PG, PROV, RDF, Minter, sparql_prologue
from policygraph.sources import SourceGraph
from policygraph.sources.agreement import Agreement, read_agreement
from policygraph.sources.curated import read_curated
from policygraph.sources.ontology import read_ontology

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
ARTICLE = DATA_DIR / "seeds" / "article-fit-lifesciences-campaign.txt"
BASE = "https://data.policygraph.be"
WD = "http://www.wikidata.org/entity/"
THEMIS = "http://themis.vlaanderen.be/id/"

# Only the links verified in Wikidata's and Themis's published data (shared VOCABULARIES.md).
VERIFIED_LINKS = {
    ("plaats", "vlaanderen"): WD + "Q9337",
    ("land", "BE"): WD + "Q31",
    ("plaats", "leuven"): WD + "Q118958",
    ("organisatie", "pfizer"): WD + "Q206921",
    ("persoon", "jan-jambon"): WD + "Q1865725",
    ("land", "US"): WD + "Q30",
    ("land", "GB"): WD + "Q145",
    ("land", "CA"): WD + "Q16",
    ("land", "JP"): WD + "Q17",
    ("land", "DE"): WD + "Q183",
    ("land", "FR"): WD + "Q142",
    ("land", "NL"): WD + "Q55",
}
THEMIS_LINKS = {
    ("organisatie", "vlaamse-regering"): THEMIS
    + "bestuursorgaan/7f2c82aa-75ac-40f8-a6c3-9fe539163025",
    ("organisatie", "vlaamse-regering-jambon"): THEMIS + "bestuursorgaan/5fed907ee6670526694a0706",
    ("persoon", "jan-jambon"): THEMIS + "persoon/5fed907ee6670526694a0707",
}
TARGET_COUNTRIES = {"US", "GB", "CA", "JP", "DE", "FR", "NL"}
# Every {base}/id/{type}/ that docs/model.md defines and the curated files may use.
KNOWN_TYPES = {
    "regeerakkoord",
    "organisatie",
    "persoon",
    "mandataris",
    "lidmaatschap",
    "campagne",
    "bedrag",
    "gebeurtenis",
    "plaats",
    "land",
    "strategie",
    "platform",
    "citaat",
    "bron",
    "doelgroep",
    "reden",
    "activiteit",
    "periode",
    "hoofdstuk",
    "sectie",
}


@pytest.fixture(scope="module")
def minter() -> Minter:
    return Minter(BASE)


@pytest.fixture(scope="module")
def graphs(minter: Minter) -> dict[str, SourceGraph]:
    return {g.name.value.rsplit("/", 1)[1]: g for g in read_curated(DATA_DIR, minter)}


@pytest.fixture(scope="module")
def store(graphs: dict[str, SourceGraph], minter: Minter) -> Store:
    """The curated graphs, with the ontology for the labels of its code lists (top sectors)."""
    store = Store()
    ontology = read_ontology(ONTOLOGY_DIR, minter)
    store.extend(quad for graph in [*graphs.values(), *ontology] for quad in graph.quads())
    return store


def select(store: Store, query: str, **bindings: NamedNode) -> list[dict[str, str]]:
    """Rows of a SELECT over the union of the curated graphs, IRIs bound, never spliced.

    pyoxigraph substitutes only variables of the projection, so the bound ones are added to it
    (and left out of the rows returned); an aggregating query must group by them itself.
    """
    projected = " ".join(f"?{name}" for name in bindings)
    query = query.replace("SELECT ", f"SELECT {projected} ", 1)
    results = store.query(
        sparql_prologue() + query,
        substitutions={Variable(k): v for k, v in bindings.items()},
        use_default_graph_as_union=True,
    )
    assert isinstance(results, QuerySolutions)
    names = [v.value for v in results.variables if v.value not in bindings]
    return [{n: row[n].value for n in names if row[n] is not None} for row in results]


def text_of(term: object) -> str:
    """The IRI or lexical form of a term (tests only meet IRIs and literals)."""
    assert isinstance(term, NamedNode | Literal), term
    return term.value


def thing(minter: Minter, kind: str, ref: str) -> NamedNode:
    return minter.thing(kind, ref)


def test_one_graph_per_file_with_the_model_names(
    graphs: dict[str, SourceGraph], minter: Minter
) -> None:
    assert set(graphs) == {"artikel-fit-lifesciences-campagne", "organisaties", "identiteitslinks"}
    article = graphs["artikel-fit-lifesciences-campagne"].document
    assert article.path == ARTICLE
    assert article.relative_path == "seeds/article-fit-lifesciences-campaign.txt"
    assert minter.source(article.slug) == minter.thing("bron", "artikel-fit-lifesciences-campagne")
    assert "curated Turtle is our reading" in article.title
    for name in ("organisaties", "identiteitslinks"):
        assert graphs[name].document.media_type == "text/turtle"


def test_budget_is_610000_eur(store: Store, minter: Minter) -> None:
    rows = select(
        store,
        "SELECT ?value ?currency WHERE { ?c pg:budget ?b . ?b a schema:MonetaryAmount ; "
        "schema:value ?value ; schema:currency ?currency }",
        c=thing(minter, "campagne", "fit-lifesciences-health-2021"),
    )
    assert rows == [{"value": "610000", "currency": "EUR"}]
    (literal,) = store.quads_for_pattern(None, NamedNode("http://schema.org/value"), None, None)
    assert isinstance(literal.object, Literal)
    assert literal.object.datatype.value.endswith("#decimal")


def test_campaign_organiser_end_date_sector_status_and_strategy(
    store: Store, minter: Minter
) -> None:
    rows = select(
        store,
        "SELECT ?organiser ?end ?sector ?status ?strategy WHERE { ?c a pg:Campaign ; "
        "pg:organiser ?organiser ; schema:endDate ?end ; pg:sector ?sector ; "
        "pg:campaignStatus ?status ; pg:servesStrategy ?strategy }",
        c=thing(minter, "campagne", "fit-lifesciences-health-2021"),
    )
    assert rows == [
        {
            "organiser": minter.organisation("fit").value,
            "end": "2021-07-05",
            "sector": "https://data.policygraph.be/ns/concept/lifesciences-health",
            "status": "https://data.policygraph.be/ns/concept/running",
            "strategy": minter.thing("strategie", "vlaanderen-versnelt").value,
        }
    ]


def test_seven_target_countries_each_with_its_verified_wikidata_link(
    store: Store, minter: Minter
) -> None:
    rows = select(
        store,
        "SELECT ?country ?wd WHERE { ?c pg:targetCountry ?country . ?country a schema:Country ; "
        "owl:sameAs ?wd . FILTER(STRSTARTS(STR(?wd), 'http://www.wikidata.org/')) }",
        c=thing(minter, "campagne", "fit-lifesciences-health-2021"),
    )
    found = {row["country"].rsplit("/", 1)[1]: row["wd"] for row in rows}
    assert set(found) == TARGET_COUNTRIES
    assert found == {code: VERIFIED_LINKS[("land", code)] for code in TARGET_COUNTRIES}


def test_reasons_for_the_countries(store: Store, minter: Minter) -> None:
    rows = select(
        store,
        "SELECT ?country (COUNT(?r) AS ?n) WHERE { ?c pg:rationale ?r . ?r pg:appliesTo ?country . "
        "?country a schema:Country } GROUP BY ?c ?country",
        c=thing(minter, "campagne", "fit-lifesciences-health-2021"),
    )
    reasons = {row["country"].rsplit("/", 1)[1]: int(row["n"]) for row in rows}
    # Top regions for life sciences, and FIT's science & technology offices: all seven.
    # Brexit, and companies in the UK that consider moving to the EU: the UK as well.
    assert reasons == {code: 4 if code == "GB" else 2 for code in TARGET_COUNTRIES}
    descriptions = " ".join(
        row["d"]
        for row in select(
            store,
            "SELECT ?d WHERE { ?c pg:rationale ?r . ?r dct:description ?d "
            "FILTER(LANG(?d) = 'nl') }",
            c=thing(minter, "campagne", "fit-lifesciences-health-2021"),
        )
    )
    for words in (
        "topregio's voor lifesciences",
        "science & technology office",
        "brexit",
        "verhuis naar de EU",
        "covid",
    ):
        assert words.lower() in descriptions.lower(), words


def test_websites_and_digital_rollout(store: Store, minter: Minter) -> None:
    rows = select(
        store,
        "SELECT ?url WHERE { ?c schema:url ?url ; pg:deliveryMode pgc:digital }",
        c=thing(minter, "campagne", "fit-lifesciences-health-2021"),
    )
    assert {row["url"] for row in rows} == {
        "http://www.teamvesalius.com",
        "http://www.flanders360.com",
    }


def test_launch_by_jambon_in_leuven_on_a_tuesday_evening_without_a_date(
    store: Store, minter: Minter
) -> None:
    rows = select(
        store,
        "SELECT ?launch ?by ?where ?day ?part WHERE { ?c pg:launch ?launch . ?launch a pg:Launch ; "
        "pg:launchedBy ?by ; schema:location ?where ; pg:dayOfWeek ?day ; pg:timeOfDay ?part "
        "FILTER(LANG(?part) = 'en') }",
        c=thing(minter, "campagne", "fit-lifesciences-health-2021"),
    )
    assert len(rows) == 1
    (row,) = rows
    assert row["by"] == minter.person("jan-jambon").value
    assert row["where"] == minter.thing("plaats", "leuven").value
    assert row["day"] == "http://www.w3.org/2006/time#Tuesday"
    assert row["part"] == "evening"
    dated = select(
        store,
        "SELECT ?p WHERE { ?launch ?p ?o FILTER(?p IN (prov:atTime, schema:startDate, dct:date)) }",
        launch=NamedNode(row["launch"]),
    )
    assert dated == []


def test_partners_platform_and_contributors(store: Store, minter: Minter) -> None:
    campaign = thing(minter, "campagne", "fit-lifesciences-health-2021")
    makers = select(
        store,
        "SELECT ?label WHERE { ?c pg:producedBy ?m . ?m a pg:Company ; "
        "skos:prefLabel ?label FILTER(LANG(?label) = 'nl') }",
        c=campaign,
    )
    assert {row["label"] for row in makers} == {"B.U.T.", "Bridgeneers"}
    platform = select(
        store,
        "SELECT ?name ?url ?provider WHERE { ?c pg:relatedPlatform ?p . "
        "?p a pg:DigitalPlatform ; schema:name ?name ; schema:url ?url ; "
        "schema:provider ?provider ; dct:description ?d FILTER(CONTAINS(?d, '3D-kaart')) }",
        c=campaign,
    )
    assert platform == [
        {
            "name": "Virtual Tours",
            "url": "http://www.flanders360.com",
            "provider": minter.organisation("fit").value,
        }
    ]
    contributors = select(
        store,
        "SELECT ?who WHERE { ?who pg:contributedTo ?a . ?a skos:prefLabel ?l "
        "FILTER(CONTAINS(?l, 'vaccins')) }",
    )
    assert {row["who"].split("/id/")[1] for row in contributors} >= {
        "organisatie/vib",
        "organisatie/brussels-airport",
        "organisatie/pfizer-puurs",
    }
    site = select(
        store,
        "SELECT ?of ?where WHERE { ?s a org:Site ; org:siteOf ?of ; schema:location ?where }",
        s=minter.organisation("pfizer-puurs"),
    )
    assert site == [
        {"of": minter.organisation("pfizer").value, "where": minter.thing("plaats", "puurs").value}
    ]


def test_strategy_and_the_four_planned_campaigns(store: Store, minter: Minter) -> None:
    strategy = minter.thing("strategie", "vlaanderen-versnelt")
    rows = select(
        store,
        "SELECT ?label ?by ?d WHERE { ?s a pg:Strategy ; skos:prefLabel ?label ; "
        "pg:coordinatedBy ?by ; dct:description ?d FILTER(LANG(?d) = 'nl') }",
        s=strategy,
    )
    assert rows == [
        {
            "label": "Vlaanderen Versnelt",
            "by": minter.organisation("fit").value,
            "d": "de internationaliseringsstrategie voor de Vlaamse economie",
        }
    ]
    spearheads = select(
        store,
        "SELECT ?label WHERE { ?s pg:spearhead ?c . ?c skos:inScheme pgc:top-sectors ; "
        "skos:prefLabel ?label FILTER(LANG(?label) = 'en') }",
        s=strategy,
    )
    assert {row["label"] for row in spearheads} == {
        "life sciences & health",
        "food",
        "smart logistics",
        "solution-driven engineering & technology",
        "sustainable resources, materials & chemistry",
    }
    planned = select(
        store,
        "SELECT ?c ?label WHERE { ?c a pg:Campaign ; pg:campaignStatus pgc:planned ; "
        "pg:organiser ?fit ; pg:servesStrategy ?s ; pg:sector ?sector . "
        "?sector skos:prefLabel ?label FILTER(LANG(?label) = 'en') }",
        s=strategy,
        fit=minter.organisation("fit"),
    )
    assert sorted(row["label"] for row in planned) == [
        "food",
        "smart logistics",
        "solution-driven engineering & technology",
        "sustainable resources, materials & chemistry",
    ]
    assert len({row["c"] for row in planned}) == 4
    scheme = select(
        store, "SELECT ?c WHERE { pgc:top-sectors a skos:ConceptScheme ; skos:hasTopConcept ?c }"
    )
    assert len(scheme) == 5


def test_quotations_are_the_articles_words(store: Store, minter: Minter) -> None:
    article = ARTICLE.read_text(encoding="utf-8")
    rows = select(
        store,
        "SELECT ?text ?who WHERE { ?q a pg:Quotation ; schema:text ?text ; "
        "schema:spokenByCharacter ?who ; schema:about ?about }",
        about=thing(minter, "campagne", "fit-lifesciences-health-2021"),
    )
    speakers = sorted(row["who"].rsplit("/", 1)[1] for row in rows)
    assert speakers == ["claire-tillekaerts", "jan-jambon", "jan-jambon"]
    for row in rows:
        assert f'"{row["text"]}' in article, row["text"][:40]


def test_fit_ceo_and_description(store: Store, minter: Minter) -> None:
    fit = minter.organisation("fit")
    rows = select(
        store,
        "SELECT ?who ?year WHERE { ?m a org:Membership ; org:member ?who ; "
        "org:organization ?fit ; org:role pgc:ceo ; org:memberDuring ?i ; "
        "prov:wasDerivedFrom ?article . ?i time:inside ?t . ?t time:inXSDgYear ?year }",
        fit=fit,
        article=minter.source("artikel-fit-lifesciences-campagne"),
    )
    assert rows == [{"who": minter.person("claire-tillekaerts").value, "year": "2021"}]
    described = select(
        store, "SELECT ?d WHERE { ?fit dct:description ?d FILTER(LANG(?d) = 'nl') }", fit=fit
    )
    assert described == [{"d": "het Vlaams agentschap voor internationaal ondernemen"}]
    labels = select(store, "SELECT ?alt WHERE { ?fit skos:altLabel ?alt }", fit=fit)
    assert {row["alt"] for row in labels} == {"FIT"}


def test_government_composition_and_mandate_from_themis(store: Store, minter: Minter) -> None:
    rows = select(
        store,
        "SELECT ?start ?end ?src WHERE { ?c generiek:isTijdspecialisatieVan ?g ; "
        "mandaat:bindingStart ?start ; mandaat:bindingEinde ?end ; prov:wasDerivedFrom ?src }",
        c=minter.organisation("vlaamse-regering-jambon"),
        g=minter.organisation("vlaamse-regering"),
    )
    assert rows == [
        {
            "start": "2019-10-02",
            "end": "2024-09-30",
            "src": THEMIS + "bestuursorgaan/5fed907ee6670526694a0706",
        }
    ]
    mandate = select(
        store,
        "SELECT ?start ?end ?holds WHERE { ?m a mandaat:Mandataris ; "
        "mandaat:isBestuurlijkeAliasVan ?p ; org:holds ?holds ; mandaat:start ?start ; "
        "mandaat:einde ?end ; prov:wasDerivedFrom ?holds }",
        p=minter.person("jan-jambon"),
    )
    assert mandate == [
        {
            "start": "2019-10-02",
            "end": "2024-09-30",
            "holds": THEMIS + "mandaat/5fed907ee6670526694a0702",
        }
    ]


def test_every_subject_of_the_article_graph_cites_the_article(
    graphs: dict[str, SourceGraph], minter: Minter
) -> None:
    graph = graphs["artikel-fit-lifesciences-campagne"]
    source = minter.source("artikel-fit-lifesciences-campagne")
    subjects = {t.subject for t in graph.triples}
    cited = {
        t.subject
        for t in graph.triples
        if t.predicate == PROV.wasDerivedFrom and t.object == source
    }
    assert subjects == cited
    assert len(subjects) > 30


def test_organisations_have_labels_provenance_and_a_working_pattern(
    graphs: dict[str, SourceGraph],
) -> None:
    graph = graphs["organisaties"]
    kinds = {PG.Agency, PG.Company, PG.GovernmentBody, NamedNode("http://www.w3.org/ns/org#Site")}
    organisations = {
        t.subject for t in graph.triples if t.predicate == RDF.type and t.object in kinds
    }
    assert len(organisations) == 14  # 2 government bodies, 7 agencies, 4 companies, 1 site
    for organisation in organisations:
        predicates = {t.predicate for t in graph.triples if t.subject == organisation}
        assert {
            PG.matchPattern,
            PROV.wasDerivedFrom,
            NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
        } <= predicates, organisation
    for subject in {t.subject for t in graph.triples}:
        assert any(
            t.subject == subject and t.predicate == PROV.wasDerivedFrom for t in graph.triples
        )


def pattern_of(graph: SourceGraph, organisation: NamedNode) -> re.Pattern[str]:
    (found,) = (
        text_of(t.object)
        for t in graph.triples
        if t.subject == organisation and t.predicate == PG.matchPattern
    )
    return re.compile(found)


@pytest.mark.parametrize(
    ("slug", "matches", "misses"),
    [
        (
            "fit",
            ["4.3.2 FIT promoot Vlaanderen", "samen met FIT, en", "Flanders Investment & Trade"],
            ["profiteren", "BENEFIT", "fit blijven"],
        ),
        (
            "toerisme-vlaanderen",
            ["stemmen FIT, Toerisme Vlaanderen, Sport"],
            ["toerisme in Vlaanderen"],
        ),
        ("vib", ["(IMEC, VIB, VITO"], ["VIBE"]),
        ("vlir", ["de VLIR om", "VLIR-UOS"], ["VLIRA"]),
        (
            "departement-buitenlandse-zaken",
            ["het departement Buitenlandse Zaken"],
            ["FOD Buitenlandse Zaken"],
        ),
        ("brussels-airport", ["de luchthaven in Zaventem"], ["de luchthaven van Oostende"]),
        ("b-u-t", ["het productiehuis B.U.T. en"], ["BUT", "B-U-T"]),
        (
            "vlaamse-regering",
            ["De Vlaamse regering zal", "de Vlaamse Regering"],
            ["de Vlaamse regeringsverklaring"],
        ),
    ],
)
def test_match_patterns(
    graphs: dict[str, SourceGraph], minter: Minter, slug: str, matches: list[str], misses: list[str]
) -> None:
    pattern = pattern_of(graphs["organisaties"], minter.organisation(slug))
    for text in matches:
        assert pattern.search(text), text
    for text in misses:
        assert not pattern.search(text), text


def test_identity_links_are_exactly_the_verified_ones(
    graphs: dict[str, SourceGraph], minter: Minter
) -> None:
    graph = graphs["identiteitslinks"]
    links = {(text_of(t.subject), text_of(t.object)) for t in graph.triples}
    assert all(t.predicate.value == "http://www.w3.org/2002/07/owl#sameAs" for t in graph.triples)
    expected = {
        (minter.thing(kind, ref).value, target)
        for (kind, ref), target in [*VERIFIED_LINKS.items(), *THEMIS_LINKS.items()]
    }
    assert links == expected


def test_every_referenced_thing_is_described(
    graphs: dict[str, SourceGraph], minter: Minter, agreement: Agreement
) -> None:
    """No typo in a relative IRI: every thing an object points to is a subject somewhere."""
    text = read_agreement(DATA_DIR, agreement, minter)
    triples = [t for g in [*graphs.values(), text] for t in g.triples]
    subjects = {text_of(t.subject) for t in triples}
    prefix = minter.base + "/id/"
    for t in triples:
        if isinstance(t.object, NamedNode) and t.object.value.startswith(prefix):
            kind = t.object.value[len(prefix) :].split("/", 1)[0]
            assert kind in KNOWN_TYPES, t
            if kind != "bron":  # source documents are described by the build, from SourceDocument
                assert t.object.value in subjects, t


def test_relative_iris_rebase_under_another_base(tmp_path: Path) -> None:
    elsewhere = Minter("http://localhost:8000/pg")
    graphs = read_curated(DATA_DIR, elsewhere)
    terms = {
        term.value
        for g in graphs
        for t in g.triples
        for term in (t.subject, t.object)
        if isinstance(term, NamedNode)
    }
    assert not [iri for iri in terms if iri.startswith(BASE + "/id/")]
    assert elsewhere.organisation("fit").value in terms
    assert elsewhere.thing("land", "GB").value in terms
    assert elsewhere.thing("campagne", "fit-lifesciences-health-2021").value in terms
    assert {g.name.value for g in graphs} == {
        "http://localhost:8000/pg/graph/" + n
        for n in ("artikel-fit-lifesciences-campagne", "organisaties", "identiteitslinks")
    }
    ontology = [iri for iri in terms if iri.startswith("https://data.policygraph.be/ns/")]
    assert ontology  # the pg: and pgc: namespaces stay absolute


def test_a_turtle_syntax_error_names_the_file_and_line(tmp_path: Path, minter: Minter) -> None:
    shutil.copytree(DATA_DIR / "curated", tmp_path / "curated")
    shutil.copytree(DATA_DIR / "seeds", tmp_path / "seeds")
    broken = tmp_path / "curated" / "organisations.ttl"
    lines = broken.read_text(encoding="utf-8").splitlines()
    lines.append("<id/organisatie/x> a pg:Agency")  # no final dot
    lines.append("<id/organisatie/y> a pg:Agency .")
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RDFSyntaxError) as raised:
        read_curated(tmp_path, minter)
    message = str(raised.value)
    assert str(broken) in message
    assert f"line {len(lines)}" in message


def test_quads_land_in_the_named_graph(graphs: dict[str, SourceGraph]) -> None:
    graph = graphs["organisaties"]
    assert all(isinstance(q, Quad) and q.graph_name == graph.name for q in graph.quads())
