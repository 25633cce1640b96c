"""The specific terms of a claim, and the years it speaks of: what a cited decision must name.

A claim that a decision supports usually names something precise: an amount ("12,5 miljoen
euro"), a share ("30%"), a year, an acronym ("VDAB", "COVID-19") or a proper name ("Ventilus").
When the cited decision names none of them, the citation is at best about the topic. The
extractor is a handful of regular expressions, so that the same claim gives the same terms
anywhere; it looks for them in a decision's title and text the same way.

- An amount is a number with its unit (``%``, ``procent``, ``euro``, ``€``, ``miljoen``,
  ``miljard``), read as a value: "12,5 miljoen euro" and "12.500.000 euro" are the same amount.
- A year is a four-digit number from 1950 to 2049 that is not part of an amount.
- An acronym is a word of two or more capitals (digits and a hyphen allowed: "COVID-19"); Roman
  numerals are not acronyms.
- A proper name is a capitalised word that does not start a sentence or a themed lead, and that
  fewer than ``COMMON_SHARE`` of the decisions contain: "Vlaamse" and "Regering" name nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from policygraph.search.analyzer import fold

COMMON_SHARE = 0.05
"""A capitalised word in at least this share of the decisions is too common to be a name."""

_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_AMOUNT = re.compile(
    rf"(?:€\s*(?P<pre>{_NUMBER})(?:\s*(?P<premul>miljoen|miljard))?)"
    rf"|(?:(?P<num>{_NUMBER})\s*(?P<mul>miljoen|miljard)?\s*(?P<unit>%|procent|euro|EUR|€)?)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&]*[A-Z][A-Z0-9]*(?:-\d+)?\b")
_ROMAN = re.compile(r"^[IVXLCDM]+$")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_CAPITALISED = re.compile(r"^[A-ZÀ-Ý][a-zà-ÿ'’-]{2,}$")
_SENTENCE_END = re.compile(r"[.:;!?]\s*(?:\[\d+\]\s*)*$")
_MARKER = re.compile(r"\[[^\]]*\]")
_MULTIPLIERS = {"miljoen": Decimal(1_000_000), "miljard": Decimal(1_000_000_000)}


@dataclass(frozen=True)
class SpecificTerm:
    """A term of a claim as written (``text``) and what a decision must contain to name it
    (``key``: a value for amounts, the year, the acronym, the folded name)."""

    kind: str
    """``amount``, ``year``, ``acronym`` or ``name``."""
    text: str
    key: str


@dataclass(frozen=True)
class DecisionVocabulary:
    """What a decision's title and text name, read once per decision."""

    amounts: frozenset[str]
    years: frozenset[str]
    acronyms: frozenset[str]
    words: frozenset[str]

    def names(self, term: SpecificTerm) -> bool:
        if term.kind == "amount":
            return term.key in self.amounts
        if term.kind == "year":
            return term.key in self.years
        if term.kind == "acronym":
            return term.key in self.acronyms
        return term.key in self.words


def without_markers(text: str) -> str:
    """The claim's words without its ``[n]`` markers."""
    return re.sub(r"\s+", " ", _MARKER.sub(" ", text)).strip()


def _value(number: str, multiplier: str | None) -> str | None:
    digits = (
        number.replace(".", "") if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", number) else number
    )
    try:
        value = Decimal(digits.replace(",", "."))
    except InvalidOperation:
        return None
    if multiplier:
        value *= _MULTIPLIERS[multiplier.lower()]
    return format(value.normalize(), "f")


def _amounts(text: str) -> Iterable[tuple[str, str, tuple[int, int]]]:
    for match in _AMOUNT.finditer(text):
        if match["pre"]:
            number, multiplier, unit = match["pre"], match["premul"], "€"
        else:
            number, multiplier, unit = match["num"], match["mul"], match["unit"]
        if not (multiplier or unit):
            continue
        key = _value(number, multiplier)
        if key is not None:
            kind = "%" if unit and unit.lower() in {"%", "procent"} else ""
            yield match.group(0).strip(), key + kind, match.span()


def _common_words(vocabularies: Iterable[frozenset[str]]) -> frozenset[str]:
    counts: Counter[str] = Counter()
    total = 0
    for words in vocabularies:
        total += 1
        counts.update(words)
    return frozenset(word for word, n in counts.items() if n >= COMMON_SHARE * max(total, 1))


class TermExtractor:
    """Extracts the specific terms of claims, knowing which words the decisions all use."""

    def __init__(self, decision_words: Iterable[frozenset[str]]) -> None:
        """``decision_words``: the folded words of each decision (``DecisionVocabulary.words``)."""
        self.common = _common_words(decision_words)

    def terms(self, claim_text: str, theme: str | None = None) -> tuple[SpecificTerm, ...]:
        """The specific terms of a claim, each once, in order of appearance."""
        text = without_markers(claim_text)
        if theme and text.startswith(theme):
            # The themed lead ("Impact van Brexit:") is capitalised like a title, not as names.
            text = text[len(theme) :].lstrip(" :")
        found: list[SpecificTerm] = []
        taken: list[tuple[int, int]] = []
        for written, key, span in _amounts(text):
            found.append(SpecificTerm("amount", written, key))
            taken.append(span)

        def free(span: tuple[int, int]) -> bool:
            return all(span[1] <= start or span[0] >= end for start, end in taken)

        for match in _YEAR.finditer(text):
            if free(match.span()):
                found.append(SpecificTerm("year", match.group(0), match.group(0)))
        for match in _ACRONYM.finditer(text):
            word = match.group(0)
            if not _ROMAN.match(word):
                found.append(SpecificTerm("acronym", word, word))
        for match in _WORD.finditer(text):
            word = match.group(0).rstrip("'’-")
            if not _CAPITALISED.match(word) or _SENTENCE_END.search(text[: match.start()] or "."):
                continue
            key = "".join(fold(word))
            if key and key not in self.common:
                found.append(SpecificTerm("name", word, key))
        return tuple({(t.kind, t.key): t for t in found}.values())


def decision_vocabulary(text: str, words: frozenset[str] | None = None) -> DecisionVocabulary:
    """What ``text`` (a decision's titles and text) names, for ``DecisionVocabulary.names``
    (``words``: its folded words, when they were read already)."""
    return DecisionVocabulary(
        amounts=frozenset(key for _, key, _ in _amounts(text)),
        years=frozenset(_YEAR.findall(text)),
        acronyms=frozenset(_ACRONYM.findall(text)),
        words=frozenset(fold(text)) if words is None else words,
    )


def years_spoken_of(claim_text: str, first: int, last: int) -> tuple[int, int] | None:
    """The span of years from ``first`` to ``last`` that the claim names (its earliest and its
    latest); None when it names none of them. Years outside (targets for 2030, a reform of
    2014) say what a measure aims at or follows from, not when it was decided."""
    years = [int(y) for y in _YEAR.findall(without_markers(claim_text)) if first <= int(y) <= last]
    return (min(years), max(years)) if years else None


__all__ = [
    "DecisionVocabulary",
    "SpecificTerm",
    "TermExtractor",
    "decision_vocabulary",
    "without_markers",
    "years_spoken_of",
]
