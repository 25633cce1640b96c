"""``policygraph query`` says what is wrong with a text as the endpoint does: a syntax error in
words with its line and a caret, an update refused as read-only; both exit 2."""

from __future__ import annotations

from click.testing import CliRunner

from policygraph.cli import main


def query(store_dir: str, text: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["query", "--store", store_dir, text])


def test_a_syntax_error_names_line_column_and_shows_a_caret(built):
    settings, _ = built
    run = query(str(settings.store_dir), "SELECT ?s WHERE { ?s ?p ?o }\nLIMIT ten")
    assert run.exit_code == 2
    assert "line 2, column 7: expected" in run.output
    assert "found 'ten'" in run.output
    assert "  LIMIT ten\n        ^" in run.output


def test_an_update_is_refused_as_read_only_not_as_bad_syntax(built):
    settings, _ = built
    run = query(str(settings.store_dir), "INSERT DATA { <https://e.org/a> <https://e.org/b> 1 }")
    assert run.exit_code == 2
    assert "read-only: SPARQL Update (INSERT) is not accepted" in run.output
    assert "line 1" not in run.output
