"""The one Dutch analyzer: what a word becomes in the index and in a query."""

from __future__ import annotations

import pytest

from policygraph.search.analyzer import analyze, fold, is_stopword


def test_accents_are_folded_so_a_word_typed_without_them_meets_the_text() -> None:
    assert analyze("subsidiëring") == analyze("subsidiering")


def test_a_diaeresis_and_an_acute_accent_fold_to_their_letter() -> None:
    assert fold("Oekraïne café") == ["oekraine", "cafe"]


@pytest.mark.parametrize(
    ("one", "other"),
    [("subsidies", "subsidie"), ("beslissingen", "beslissing"), ("kantoren", "kantoor")],
)
def test_inflected_forms_share_one_stem(one: str, other: str) -> None:
    assert analyze(one) == analyze(other)


def test_words_are_lower_cased_and_cut_at_punctuation() -> None:
    assert analyze("Brexit-akkoord, (FIT)") == ["brexit", "akkoord", "fit"]


def test_fold_keeps_the_words_analyze_stems_one_for_one() -> None:
    text = "De Vlaamse Regering keurt de subsidiëring van waterstofprojecten goed."
    assert len(fold(text)) == len(analyze(text))


def test_punctuation_alone_has_no_terms() -> None:
    assert analyze('"*?! -- ()') == []


def test_a_run_of_letters_longer_than_a_word_is_not_a_term() -> None:
    assert analyze("x" * 500) == []


@pytest.mark.parametrize(("word", "expected"), [("de", True), ("van", True), ("brexit", False)])
def test_function_words_are_known_as_such(word: str, expected: bool) -> None:
    assert is_stopword(word) is expected
