"""The judged relevance set of search: well-formed, true to the corpus, and held to a floor.

The set is ``tests/fixtures/search/judgements.toml``; the metrics are
``policygraph.search.relevance``; ``python -m bench search`` prints the full figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Variable

from policygraph.errors import SourceFormatError
from policygraph.search.relevance import (
    SPLITS,
    JudgedQuery,
    Judgement,
    evaluate,
    load_judgements,
    ndcg,
    reciprocal_rank,
    score,
    summarize,
)
from policygraph.store.local import LocalStore, current_version_dir

JUDGEMENTS = Path(__file__).resolve().parents[1] / "fixtures" / "search" / "judgements.toml"

# Measured on the held half with the engine as finished on its branch (2026-12-07 12:25 UTC,
# 38 queries, `python -m bench search`): MRR@10 0.974, nDCG@10 0.807. The floors sit 0.03
# below, rounded down, so that a regression fails; raise them when the engine gets better.
HELD_MRR_FLOOR = 0.94
HELD_NDCG_FLOOR = 0.77

PG = "https://data.policygraph.be/ns/policygraph#"
ORG = "http://www.w3.org/ns/org#"
CLASSES = {
    "section": (f"{PG}Section",),
    "claim": (f"{PG}Claim",),
    "decision": (f"{PG}GovernmentDecision",),
    "campaign": (f"{PG}Campaign",),
    "organisation": (
        f"{PG}GovernmentBody",
        f"{PG}Agency",
        f"{PG}Company",
        f"{ORG}Site",
        f"{ORG}FormalOrganization",
    ),
}
IS_A = "ASK { ?resource a ?class }"


@pytest.fixture(scope="module")
def judged() -> tuple[JudgedQuery, ...]:
    return load_judgements(JUDGEMENTS)


# --- (a) the judged set is well-formed ------------------------------------------------------


def test_the_set_has_enough_queries_in_both_halves(judged):
    assert len(judged) >= 25
    for split in SPLITS:
        assert sum(query.split == split for query in judged) >= 12, split


def test_both_halves_hold_every_kind_of_query_that_has_two(judged):
    kinds = {query.kind for query in judged}
    for kind in kinds:
        of_kind = [query for query in judged if query.kind == kind]
        if len(of_kind) >= 2:
            assert {query.split for query in of_kind} == set(SPLITS), kind


def test_every_result_has_a_grade_and_a_reason(judged):
    for query in judged:
        assert query.text.strip(), query.id
        for judgement in query.judgements:
            assert judgement.grade in (1, 2), (query.id, judgement.iri)
            assert len(judgement.reason.split()) >= 3, (query.id, judgement.iri)


def test_every_query_wants_something_exactly(judged):
    for query in judged:
        assert any(judgement.grade == 2 for judgement in query.judgements), query.id


@pytest.mark.slow
def test_every_judged_iri_is_a_searchable_resource_of_the_built_corpus(built, judged):
    settings, _ = built
    store = LocalStore.open(settings.store_dir)
    try:
        for query in judged:
            wanted = query.types or tuple(CLASSES)
            classes = [NamedNode(iri) for kind in wanted for iri in CLASSES[kind]]
            for judgement in query.judgements:
                resource = NamedNode(judgement.iri)
                found = any(
                    bool(
                        store.query(
                            IS_A,
                            substitutions={Variable("resource"): resource, Variable("class"): cls},
                        )
                    )
                    for cls in classes
                )
                assert found, f"{query.id}: <{judgement.iri}> is not a {' or '.join(wanted)}"
    finally:
        store.close()


def test_a_malformed_judgement_is_refused_with_its_place(tmp_path):
    path = tmp_path / "judgements.toml"
    path.write_text(
        '[[queries]]\nid = "x"\ntext = "x"\nkind = "topic"\nsplit = "tune"\n'
        '[[queries.results]]\niri = "https://example.org/a"\ngrade = 3\nreason = "because"\n',
        encoding="utf-8",
    )
    with pytest.raises(SourceFormatError, match=r"query 'x'.*grade 3"):
        load_judgements(path)


def test_a_result_without_a_reason_is_refused(tmp_path):
    path = tmp_path / "judgements.toml"
    path.write_text(
        '[[queries]]\nid = "x"\ntext = "x"\nkind = "topic"\nsplit = "held"\n'
        '[[queries.results]]\niri = "https://example.org/a"\ngrade = 2\n',
        encoding="utf-8",
    )
    with pytest.raises(SourceFormatError, match="no reason"):
        load_judgements(path)


def test_a_split_other_than_tune_or_held_is_refused(tmp_path):
    path = tmp_path / "judgements.toml"
    path.write_text(
        '[[queries]]\nid = "x"\ntext = "x"\nkind = "topic"\nsplit = "test"\n'
        '[[queries.results]]\niri = "https://example.org/a"\ngrade = 2\nreason = "it is"\n',
        encoding="utf-8",
    )
    with pytest.raises(SourceFormatError, match="split must be one of tune, held"):
        load_judgements(path)


# --- (b) the metrics, on rankings computed by hand ------------------------------------------


def test_reciprocal_rank_is_one_over_the_rank_of_the_first_relevant_result():
    assert reciprocal_rank(["x", "y", "a"], {"a": 1}) == pytest.approx(1 / 3)
    assert reciprocal_rank(["a", "b"], {"b": 2, "a": 1}) == 1.0


def test_reciprocal_rank_is_zero_without_a_relevant_result_in_the_top_k():
    assert reciprocal_rank(["x", "y"], {"a": 2}) == 0.0
    eleven = [f"x{n}" for n in range(10)] + ["a"]
    assert reciprocal_rank(eleven, {"a": 2}, k=10) == 0.0


def test_ndcg_is_one_for_the_judged_results_in_grade_order():
    assert ndcg(["a", "b"], {"a": 2, "b": 1}) == pytest.approx(1.0)


def test_ndcg_of_a_swapped_pair():
    # DCG  = (2^1-1)/log2(2) + (2^2-1)/log2(3) = 1 + 3/1.5849625 = 2.8927893
    # IDCG = (2^2-1)/log2(2) + (2^1-1)/log2(3) = 3 + 1/1.5849625 = 3.6309298
    assert ndcg(["b", "a"], {"a": 2, "b": 1}) == pytest.approx(2.8927893 / 3.6309298)
    assert ndcg(["b", "a"], {"a": 2, "b": 1}) == pytest.approx(0.7967076)


def test_ndcg_counts_unjudged_results_as_not_relevant():
    # DCG  = 0 + 1/log2(3) + 0 + 3/log2(5) = 0.6309298 + 3/2.3219281 = 1.9229594
    # IDCG = 3/log2(2) + 1/log2(3) + 1/log2(4) = 3 + 0.6309298 + 0.5 = 4.1309298
    grades = {"a": 1, "b": 2, "c": 1}
    assert ndcg(["x", "a", "y", "b"], grades) == pytest.approx(0.4655028)


def test_ndcg_takes_its_ideal_from_the_best_k_judged_results():
    twelve = {f"r{n}": 1 for n in range(12)}
    assert ndcg([f"r{n}" for n in range(10)], twelve, k=10) == pytest.approx(1.0)
    assert ndcg([], twelve) == 0.0


def test_scores_are_averaged_per_half():
    def query(name: str, split: str) -> JudgedQuery:
        return JudgedQuery(name, name, "topic", split, (), (Judgement("a", 2, "the one"),))

    scores = [
        score(query("q1", "tune"), ["a"]),  # RR 1, nDCG 1
        score(query("q2", "held"), ["x", "a"]),  # RR 1/2, nDCG (3/log2 3)/3 = 0.6309298
        score(query("q3", "held"), ["x", "y"]),  # RR 0, nDCG 0
    ]
    held = summarize(scores, "held")
    assert (held.queries, held.mrr) == (2, pytest.approx(0.25))
    assert held.ndcg == pytest.approx(0.6309298 / 2)
    assert summarize(scores, "tune").mrr == 1.0
    assert summarize(scores).queries == 3
    assert summarize(scores).mrr == pytest.approx(1.5 / 3)


# --- (c) the engine on the real corpus stays above the floor --------------------------------


@pytest.mark.slow
def test_search_ranks_the_held_queries_above_the_floor(built, judged):
    # Imported here, so that a missing engine fails this test by name and not the module.
    from policygraph.search import index_dir, open_index

    settings, _ = built
    index = open_index(index_dir(current_version_dir(settings.store_dir)))
    held = [query for query in judged if query.split == "held"]
    scores = evaluate(index, held)
    summary = summarize(scores, "held")
    worst = sorted(scores, key=lambda item: item.ndcg)[:5]
    detail = ", ".join(f"{item.query.id} {item.ndcg:.2f}" for item in worst)
    assert summary.mrr >= HELD_MRR_FLOOR, f"held MRR {summary.mrr:.3f}; lowest nDCG: {detail}"
    assert summary.ndcg >= HELD_NDCG_FLOOR, f"held nDCG@10 {summary.ndcg:.3f}; lowest: {detail}"
