"""The annotation API over HTTP, on the real app on loopback: who may write (the auth matrix),
what is written (the JSON form, Turtle, JSON-LD, a form), what is refused and with which status,
retraction, the Graph Store and optimistic concurrency."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from annotation_support import (
    BASE,
    CLAIM,
    DECISION,
    OA,
    OTHER_DECISION,
    PG,
    SECTION,
    Api,
    annotations_in,
    graph_of,
    graph_quads,
    serve_api,
    verdict,
)

from policygraph.annotations.accounts import AccountBook

ACCOUNTS = {"an": "annotator", "bo": "annotator", "ed": "editor", "gone": "annotator"}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with serve_api(tmp_path_factory.mktemp("annotations"), ACCOUNTS) as api:
        yield api


def _post(api: Api, account: str | None, body: object, **headers: str):  # type: ignore[no-untyped-def]
    with api.client(account) as client:
        return client.post("/annotations", json=body, headers=headers)


# --- Done when: a verdict on 4.3.2 through the API, seen in SPARQL, a second one beside it ---


def test_two_researchers_verdicts_sit_side_by_side_and_sparql_sees_them(api: Api) -> None:
    first = _post(api, "an", verdict(comment="De strategie is uitgerold, de evaluatie ontbreekt."))
    assert first.status_code == 201, first.text
    assert first.headers["Location"].endswith(first.json()["iri"].removeprefix(BASE))
    assert first.json()["iri"].startswith(f"{BASE}/id/annotatie/an/")
    second = _post(api, "bo", verdict(verdict="kept", evidence=[DECISION, OTHER_DECISION]))
    assert second.status_code == 201, second.text

    query = f"""
        PREFIX oa: <{OA}>
        SELECT ?g ?a ?verdict WHERE {{
          GRAPH ?g {{ ?a oa:hasTarget <{SECTION}> ; oa:motivatedBy oa:assessing ;
                         oa:hasBody ?verdict .
                      FILTER(isIRI(?verdict) && !CONTAINS(STR(?verdict), "#")) }}
        }}"""
    with api.client() as client:
        rows = client.get(
            "/sparql",
            params={"query": query},
            headers={"Accept": "application/sparql-results+json"},
        ).json()["results"]["bindings"]
    found = {(r["g"]["value"], r["a"]["value"], r["verdict"]["value"]) for r in rows}
    concept = "https://data.policygraph.be/ns/concept/"
    assert (graph_of("an"), first.json()["iri"], concept + "partly-kept") in found
    assert (graph_of("bo"), second.json()["iri"], concept + "kept") in found


# --- The auth matrix ---------------------------------------------------------------------------


def test_no_token_is_401_with_a_challenge(api: Api) -> None:
    answer = _post(api, None, verdict())
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_token_is_401(api: Api) -> None:
    for token in ("nonsense", "pgt_an_" + "x" * 43, api.tokens["bo"].replace("pgt_bo", "pgt_an")):
        with api.server.client() as client:
            answer = client.post(
                "/annotations", json=verdict(), headers={"Authorization": f"Bearer {token}"}
            )
        assert answer.status_code == 401, token
        assert "WWW-Authenticate" in answer.headers


def test_a_revoked_token_is_401(api: Api) -> None:
    assert _post(api, "gone", verdict()).status_code == 201
    AccountBook(api.store_dir).revoke("gone")
    assert _post(api, "gone", verdict()).status_code == 401


def test_an_annotator_may_not_replace_its_graph_but_an_editor_may(api: Api) -> None:
    turtle = b""
    with api.client("an") as client:
        answer = client.put(
            "/graph-store",
            params={"graph": graph_of("an")},
            content=turtle,
            headers={"Content-Type": "text/turtle"},
        )
    assert answer.status_code == 403
    with api.client("ed") as client:
        made = client.post("/annotations", json=verdict(verdict="stalled"))
        assert made.status_code == 201
        kept, _ = _graph(api, "ed")
        answer = client.put(
            "/graph-store",
            params={"graph": graph_of("ed")},
            content=kept,
            headers={"Content-Type": "text/turtle"},
        )
    assert answer.status_code == 204, answer.text


def test_another_accounts_graph_and_annotations_are_refused(api: Api) -> None:
    made = _post(api, "bo", verdict(verdict="broken"))
    path = made.json()["iri"].removeprefix(BASE)
    with api.client("an") as client:
        assert client.delete(path).status_code == 403
        answer = client.post(
            "/graph-store",
            params={"graph": graph_of("bo")},
            content=b"",
            headers={"Content-Type": "text/turtle"},
        )
        assert answer.status_code == 403
    assert made.json()["iri"] in annotations_in(api.store_dir, "bo")


# --- What is refused -------------------------------------------------------------------------


def test_shacl_refusals_carry_the_report_in_dutch_or_english(api: Api) -> None:
    wrong = verdict(target=DECISION)  # a decision is not a section, a claim or a reference
    with api.client("an") as client:
        dutch = client.post("/annotations", json=wrong, headers={"Accept-Language": "nl"})
        english = client.post("/annotations", json=wrong, headers={"Accept-Language": "en"})
        graph = client.post("/annotations", json=wrong, headers={"Accept": "text/turtle"})
    assert dutch.status_code == english.status_code == graph.status_code == 422
    assert "Een annotatie heeft precies één doel" in dutch.text
    assert "An annotation has exactly one target" in english.text
    assert "pgsh:Annotation-hasTarget" in english.text
    assert "sh:ValidationReport" in graph.text or "ValidationReport" in graph.text


def test_bad_input_gets_its_status(api: Api) -> None:
    with api.client("an") as client:
        malformed = client.post(
            "/annotations", content=b"<> a <oops", headers={"Content-Type": "text/turtle"}
        )
        media = client.post(
            "/annotations", content=b"target=x", headers={"Content-Type": "text/csv"}
        )
        large = client.post(
            "/annotations",
            content=json.dumps(verdict(comment="x" * (api.settings.annotation_max_bytes + 1))),
            headers={"Content-Type": "application/json"},
        )
        unknown = client.post("/annotations", json=verdict(verdict="mostly-kept"))
        other = client.post(
            "/annotations",
            content=f"""
                @prefix oa: <{OA}> .
                <> a oa:Annotation ; oa:hasTarget <{SECTION}> ; oa:motivatedBy oa:commenting .
                <{DECISION}> <http://purl.org/dc/terms/title> "hijacked"@nl .
            """.encode(),
            headers={"Content-Type": "text/turtle"},
        )
    assert malformed.status_code == 400
    assert media.status_code == 415
    assert large.status_code == 413
    assert unknown.status_code == 422
    assert "mostly-kept" in unknown.text
    assert other.status_code == 422
    assert DECISION in other.text


def test_turtle_and_json_ld_are_written_with_server_names(api: Api) -> None:
    turtle = f"""
        @prefix oa: <{OA}> .
        @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
        <> a oa:Annotation ; oa:hasTarget <{CLAIM}> ; oa:motivatedBy oa:commenting ;
           oa:hasBody [ a oa:TextualBody ; rdf:value "Deze bewering klopt." ] .
    """
    jsonld = {
        "@context": {"oa": OA},
        "@type": "oa:Annotation",
        "oa:hasTarget": {"@id": SECTION},
        "oa:motivatedBy": {"@id": OA + "assessing"},
        "oa:hasBody": {"@id": "https://data.policygraph.be/ns/concept/in-progress"},
        f"{PG}evidenceDecision": {"@id": DECISION},
    }
    with api.client("an") as client:
        from_turtle = client.post(
            "/annotations", content=turtle.encode(), headers={"Content-Type": "text/turtle"}
        )
        from_jsonld = client.post(
            "/annotations",
            content=json.dumps(jsonld).encode(),
            headers={"Content-Type": "application/ld+json"},
        )
    assert from_turtle.status_code == 201, from_turtle.text
    assert from_jsonld.status_code == 201, from_jsonld.text
    quads = graph_quads(api.store_dir, "an")
    comment = from_turtle.json()["iri"] + "#comment"
    assert any(q.subject.value == comment and "Deze bewering" in q.object.value for q in quads)
    assert from_jsonld.json()["iri"] in annotations_in(api.store_dir, "an")


# --- Retraction, the Graph Store, If-Match -------------------------------------------------------


def test_retraction_keeps_the_annotation_in_history(api: Api) -> None:
    made = _post(api, "an", verdict(verdict="broken"))
    iri = made.json()["iri"]
    with api.client("an") as client:
        assert client.delete(iri.removeprefix(BASE)).status_code == 204
    quads = graph_quads(api.store_dir, "an")
    assert iri in annotations_in(api.store_dir, "an")
    assert any(q.subject.value == iri and q.predicate.value == PG + "retractedAt" for q in quads)
    with api.server.client() as reader:
        described = reader.get(iri.removeprefix(BASE), headers={"Accept": "text/turtle"})
    assert described.status_code == 200
    assert "retractedAt" in described.text


def _graph(api: Api, account: str) -> tuple[bytes, str]:
    with api.server.client() as client:
        answer = client.get(
            "/graph-store", params={"graph": graph_of(account)}, headers={"Accept": "text/turtle"}
        )
    assert answer.status_code == 200
    assert answer.headers["Vary"] == "Accept"
    return answer.content, answer.headers["ETag"]


def test_if_match_with_a_stale_etag_is_412(api: Api) -> None:
    assert _post(api, "bo", verdict()).status_code == 201
    _, etag = _graph(api, "bo")
    assert _post(api, "bo", verdict(), **{"If-Match": etag}).status_code == 201
    stale = _post(api, "bo", verdict(), **{"If-Match": etag})
    assert stale.status_code == 412
    _, current = _graph(api, "bo")
    assert _post(api, "bo", verdict(), **{"If-Match": current}).status_code == 201


def test_graph_store_post_takes_only_the_accounts_own_resources(api: Api) -> None:
    iri = f"{BASE}/id/annotatie/an/01JEX0000000000000000000Z9"
    own = f"""
        @prefix oa: <{OA}> . @prefix dct: <http://purl.org/dc/terms/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <{iri}> a oa:Annotation ; oa:hasTarget <{SECTION}> ; oa:motivatedBy oa:assessing ;
            oa:hasBody <https://data.policygraph.be/ns/concept/stalled> ;
            dct:creator <{BASE}/id/annotator/an> ;
            dct:created "2026-12-01T10:00:00Z"^^xsd:dateTime .
    """
    with api.client("an") as client:
        added = client.post(
            "/graph-store",
            params={"graph": graph_of("an")},
            content=own.encode(),
            headers={"Content-Type": "text/turtle"},
        )
        foreign = client.post(
            "/graph-store",
            params={"graph": graph_of("an")},
            content=f'<{SECTION}> <http://purl.org/dc/terms/title> "x" .'.encode(),
            headers={"Content-Type": "application/n-triples"},
        )
    assert added.status_code == 204, added.text
    assert iri in annotations_in(api.store_dir, "an")
    assert foreign.status_code == 422


def test_a_signed_in_browser_posts_the_form_with_its_csrf_token(api: Api) -> None:
    with api.server.client() as browser:
        page = browser.get("/sign-in", headers={"Accept-Language": "nl"})
        assert page.status_code == 200
        assert "Aanmelden" in page.text
        signed = browser.post("/sign-in", data={"token": api.tokens["bo"], "next": "/"})
        assert signed.status_code == 303
        cookie = signed.headers["Set-Cookie"]
        assert "HttpOnly" in cookie
        assert "SameSite=Strict" in cookie
        form = {"target": SECTION, "verdict": "in-progress", "comment": "Via het formulier."}
        refused = browser.post("/annotations", data=form)
        assert refused.status_code == 403
        from policygraph.web.annotation_api import _csrf_of

        accepted = browser.post("/annotations", data={**form, "csrf": _csrf_of(api.tokens["bo"])})
        assert accepted.status_code == 303, accepted.text
    comments = [
        q for q in graph_quads(api.store_dir, "bo") if q.object.value == "Via het formulier."
    ]
    assert len(comments) == 1


def test_the_rate_limit_answers_429_with_retry_after(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with serve_api(tmp_path, {"fast": "annotator"}, annotation_burst=2) as api:
        with api.client("fast") as client:
            answers = [
                client.post(
                    "/annotations", content=b"{", headers={"Content-Type": "application/json"}
                )
                for _ in range(3)
            ]
        assert [a.status_code for a in answers] == [400, 400, 429]
        assert int(answers[-1].headers["Retry-After"]) >= 1
