"""What is read of a query before it is evaluated, each fact from the one lexer's tokens."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from policygraph.sparql import binding, inspection
from policygraph.sparql.inspection import QueryText, has_dataset_clause, inspect_query
from policygraph.sparql.lexer import tokenize
from policygraph.sparql.single_scan import single_scan

W3C = Path(__file__).resolve().parents[1] / "w3c" / "data"
BASE = "https://example.org/sparql"


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        (
            "PREFIX ex: <https://example.org/> SELECT * FROM NAMED <g> "
            "{ SERVICE SILENT ex:a\\-b { ?s ?p ?o } SERVICE <other> {} SERVICE ?x {} }",
            QueryText(
                has_dataset_clause=True,
                services=("https://example.org/a-b", "https://example.org/other", None),
                update_operations=(),
                deterministic=True,
            ),
        ),
        (
            "DELETE WHERE { ?s <http://x/#SERVICE> 'FROM' } ; insert data { <a> <b> <c> }",
            QueryText(False, (), ("DELETE", "INSERT"), True),
        ),
        ("SELECT (now() AS ?t) (?uuid AS ?u) { ?s ?p ?uuid }", QueryText(False, (), (), False)),
        ("SELECT * { ?s <http://x/p> 'rand' } # FROM now", QueryText(False, (), (), True, True)),
        ('SELECT * { ?s ?p """\nFROM\n""" }', QueryText(False, (), (), True, True)),
    ],
)
def test_the_facts_of_a_query(text: str, facts: QueryText) -> None:
    assert inspect_query(text, BASE) == facts


def test_a_dataset_clause_is_one_fact_with_one_definition() -> None:
    assert has_dataset_clause("SELECT * FROM <http://g/> { ?s ?p ?o }")
    assert not has_dataset_clause('SELECT * { ?s ?p "FROM" } # FROM')
    assert not has_dataset_clause("SELECT * { ?s <http://x/FROM> ?from }")
    # Only inspection defines it: binding and the remote store ask inspection.
    assert not hasattr(binding, "has_dataset_clause")
    assert not hasattr(binding, "query_form")


def test_the_shortcut_that_skips_tokenizing_agrees_with_tokenizing_every_w3c_query() -> None:
    """``inspect_query`` does not tokenize a text without the words that matter; checked here
    against reading every W3C query in full."""
    for path in sorted(W3C.rglob("*.rq")):
        text = path.read_text(encoding="utf-8")
        tokens = tokenize(text)
        full = replace(inspection._facts(tokens, BASE), single_scan=single_scan(tokens))
        fast = inspect_query(text, BASE)
        # The single-scan pre-test may miss a scan (soundness is what counts, not completeness).
        assert fast == full or (fast == replace(full, single_scan=False)), path
