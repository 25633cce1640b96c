"""The competency questions of queries/ become one-click examples with their nl and en words."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Store

from policygraph.read.examples import read_example, read_examples

QUERIES = Path(__file__).resolve().parents[2] / "queries"


def test_every_query_file_has_a_question_in_both_languages():
    examples = read_examples(QUERIES)
    assert len(examples) == len(list(QUERIES.glob("*.rq")))
    for example in examples:
        assert set(example.questions) >= {"nl", "en"}, example.name
        assert example.question("en").endswith("?") or example.question("en").endswith(".")
        Store().query(example.query)  # each one is SPARQL that parses


def test_continuation_lines_join_the_question(tmp_path):
    path = tmp_path / "cq99-x.rq"
    path.write_text(
        "# nl: Welke\n#     vraag?\n# en: Which\n#     question?\n# A note.\nSELECT * WHERE {}\n"
    )
    example = read_example(path)
    assert example.questions == {"nl": "Welke vraag?", "en": "Which question?"}
    assert example.name == "cq99-x"
    assert example.query.endswith("SELECT * WHERE {}\n")


def test_a_missing_folder_has_no_examples(tmp_path):
    assert read_examples(tmp_path / "none") == ()
