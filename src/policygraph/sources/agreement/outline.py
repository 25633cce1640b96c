"""An agreement's outline: its chapters and its sections, from the files its declaration names.

The sections file (``data/corpus/sections.jsonl`` for 2019-2024) holds one line per section the
corpus split the agreement into::

    {"name": "4_—_Buitenlands_beleid_en_toerisme_-_4.3_Een_doorgedreven_…_-_4.3.2_FIT_promoot_…",
     "text": "4.3.2 FIT promoot Vlaanderen wereldwijd als innovatieve topregio De …"}

The name is ``<chapter no>_—_<chapter>`` followed by one ``_-_<number>_<title>`` per level of
the outline, spaces written as ``_``; the text starts with the deepest number and its title.
Numbering restarts per chapter and several chapters share a number, so a chapter is identified
by its name (``Minter.chapter(slug)``) and a section by its chapter and number.

Three things the names do not say plainly, and how this module deals with them:

* **Levels without a line of their own.** "4.3 Een doorgedreven internationalisering …" exists
  only inside the names of 4.3.1 and 4.3.2. Every level named in a name becomes a section; one
  without a line gets its title from the names and no ``pg:text``.
* **Titles whose characters the names lost.** Names drop some characters ("/" in 1.8
  "“Slimme” mobiliteit / innovatie", an "s" in 4.2 "…slagkrachtige…") and change case. The text
  is the agreement's own wording, so the title of a section with a line is taken from its text:
  as many words as the name's title has (words of letters or digits; punctuation-only tokens
  such as "/" ride along), checked to be the same title as the name's up to such losses.
* **Names cut short at their end.** A name is cut when its title stops inside a word of the
  text: the name's last word is a proper prefix of the text's word at that place (4.3.1 ends in
  "…advies op maat v" where the text reads "…advies op maat van hun bedrijf."). The title of a
  cut name runs on, in the text, to the end of the sentence it was cut in. A name cut exactly
  between two words cannot be told from a complete one; none of the corpus names is long enough
  to suggest one (the one cut name is the longest, 251 characters; the next is 234).

Chapter-level lines with no numbered sections ("3_—_Dierenwelzijn", "6_—_Media") give their
chapter a ``pg:text``. ``coalition-agreement-categories.json`` lists the chapters; it must list
only chapters that ``sections.jsonl`` names (it lists 25 of the 26: "Werk en sociale economie",
which has no reports, is missing from it), else the two files do not describe one agreement.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policygraph.errors import SourceError, SourceFormatError
from policygraph.namespaces import slugify
from policygraph.sources.agreement.declaration import AgreementFiles

_CHAPTER_SEPARATOR = "_—_"
# A level starts at "_-_" followed by a number of two or more parts and "_"; titles may hold
# "_-_" themselves ("3.2.1_Werf_1_-_Elk_talent_telt"), never followed by such a number.
_LEVEL_SEPARATOR = re.compile(r"_-_(?=\d+(?:\.\d+)+\.?_)")
_LEVEL = re.compile(r"(?P<number>\d+(?:\.\d+)+)\.?_(?P<title>.+)", re.DOTALL)
_CHAPTER_NUMBER = re.compile(r"\d+")
_TEXT_START = re.compile(r"(?P<number>\d+(?:\.\d+)*)\.?\s+")
_TOKEN = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"[.!?]$")
# Below this similarity the name and the text do not give the same title (see _title_from_text).
_SAME_TITLE_RATIO = 0.9


@dataclass(frozen=True)
class Chapter:
    slug: str
    number: str
    title: str
    text: str | None
    """The agreement's words, for chapters that are one section only (Dierenwelzijn, Media)."""


@dataclass(frozen=True)
class Section:
    chapter_slug: str
    number: str
    title: str
    text: str | None
    """None for an intermediate level that has no line of its own in sections.jsonl."""
    line: int | None
    """Line of sections.jsonl that holds the section, None for an intermediate level."""
    name_was_cut: bool = False
    """The line's name stops inside a word of the title; the title was completed from the text."""

    @property
    def parts(self) -> tuple[int, ...]:
        return number_parts(self.number)

    @property
    def parent_number(self) -> str | None:
        """The number of the enclosing section, None when the chapter encloses it."""
        head, _, _ = self.number.rpartition(".")
        return head if "." in head else None


@dataclass(frozen=True)
class AgreementOutline:
    """The agreement as read: chapters by name, sections in chapter and number order."""

    chapters: tuple[Chapter, ...]
    sections: tuple[Section, ...]

    def section(self, chapter_slug: str, number: str) -> Section:
        for section in self.sections:
            if section.chapter_slug == chapter_slug and section.number == number:
                return section
        raise KeyError((chapter_slug, number))


@dataclass(frozen=True)
class _Line:
    """One parsed line of sections.jsonl."""

    line: int
    chapter_number: str
    chapter_title: str
    levels: tuple[tuple[str, str], ...]
    """(number, title as the name gives it) from the outermost level to the line's own."""
    text: str


def read_outline(data_dir: Path, files: AgreementFiles) -> AgreementOutline:
    """Chapters and sections of the agreement, checked against the chapter list."""
    sections_path = Path(data_dir) / files.sections
    lines = list(_read_lines(sections_path))
    chapter_titles = _read_chapter_list(Path(data_dir) / files.chapters)
    chapters = _chapters(lines, sections_path)
    unknown = sorted(set(chapter_titles) - {chapter.slug for chapter in chapters})
    if unknown:
        raise SourceFormatError(
            f"{Path(data_dir) / files.chapters}: lists chapters that {files.sections} does not "
            f"name: {', '.join(repr(chapter_titles[slug]) for slug in unknown)}"
        )
    return AgreementOutline(chapters=chapters, sections=_sections(lines, sections_path))


def _read_lines(path: Path) -> Iterator[_Line]:
    try:
        content = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise SourceFormatError(f"{path}: not UTF-8: {exc}") from exc
    for number, raw in enumerate(content.splitlines(), start=1):
        if raw.strip():
            yield _parse_line(raw, path, number)


def _parse_line(raw: str, path: Path, line: int) -> _Line:
    where = f"{path}, line {line}"
    try:
        record: Any = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise SourceFormatError(f"{where}: not JSON: {exc.msg} (column {exc.colno})") from exc
    if not isinstance(record, dict):
        raise SourceFormatError(f"{where}: expected a JSON object")
    name, text = record.get("name"), record.get("text")
    if not isinstance(name, str) or not isinstance(text, str) or not text.strip():
        raise SourceFormatError(f"{where}: expected a string 'name' and a non-empty string 'text'")

    chapter_number, separator, rest = name.partition(_CHAPTER_SEPARATOR)
    if not separator or not _CHAPTER_NUMBER.fullmatch(chapter_number):
        raise SourceFormatError(f"{where}: name {name!r} does not start with '<chapter no>_—_'")
    chapter_part, *level_parts = _LEVEL_SEPARATOR.split(rest)
    chapter_title = _words(chapter_part)
    if not chapter_title:
        raise SourceFormatError(f"{where}: name {name!r} has no chapter name")

    levels: list[tuple[str, str]] = []
    parent = chapter_number
    for part in level_parts:
        match = _LEVEL.fullmatch(part)
        if match is None:  # the split guarantees a number; the title may still be empty
            raise SourceFormatError(f"{where}: level {part!r} of name {name!r} has no title")
        number = match["number"]
        if number.rpartition(".")[0] != parent:
            raise SourceFormatError(
                f"{where}: level {number} of name {name!r} is not a part of {parent}"
            )
        levels.append((number, match["title"]))
        parent = number

    start = _TEXT_START.match(text)
    if start is None or start["number"] != parent:
        raise SourceFormatError(f"{where}: text does not start with the number {parent}")
    return _Line(line, chapter_number, chapter_title, tuple(levels), text)


def place_of_name(name: str, where: str) -> tuple[str, str | None]:
    """The chapter slug and the section number a ``name`` of the sections file gives (no number
    for a chapter that is one section); other files named after the sections use it too."""
    chapter_number, separator, rest = name.partition(_CHAPTER_SEPARATOR)
    if not separator or not _CHAPTER_NUMBER.fullmatch(chapter_number):
        raise SourceFormatError(f"{where}: name {name!r} does not start with '<chapter no>_—_'")
    chapter_part, *level_parts = _LEVEL_SEPARATOR.split(rest)
    chapter_title = _words(chapter_part)
    if not chapter_title:
        raise SourceFormatError(f"{where}: name {name!r} has no chapter name")
    if not level_parts:
        return slugify(chapter_title), None
    match = _LEVEL.fullmatch(level_parts[-1])
    if match is None:
        raise SourceFormatError(f"{where}: the last level of name {name!r} has no title")
    return slugify(chapter_title), match["number"]


def _read_chapter_list(path: Path) -> dict[str, str]:
    """Chapter slug → name, from coalition-agreement-categories.json."""
    try:
        records: Any = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceFormatError(f"{path}: not a JSON document: {exc}") from exc
    if not isinstance(records, list):
        raise SourceFormatError(f"{path}: expected a JSON list of chapters")
    chapters: dict[str, str] = {}
    for index, record in enumerate(records):
        name = record.get("name") if isinstance(record, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise SourceFormatError(f"{path}: entry {index} has no string 'name'")
        chapters[slugify(name)] = name
    return chapters


def _chapters(lines: list[_Line], path: Path) -> tuple[Chapter, ...]:
    found: dict[str, Chapter] = {}
    for line in lines:
        slug = slugify(line.chapter_title)
        text = None if line.levels else line.text
        known = found.get(slug)
        if known is None:
            found[slug] = Chapter(slug, line.chapter_number, line.chapter_title, text)
            continue
        if (known.number, known.title) != (line.chapter_number, line.chapter_title):
            raise SourceFormatError(
                f"{path}, line {line.line}: chapter {line.chapter_number} {line.chapter_title!r} "
                f"has the slug {slug!r} of chapter {known.number} {known.title!r}"
            )
        if text is not None or known.text is not None:
            raise SourceFormatError(
                f"{path}, line {line.line}: chapter {known.title!r} is a single section and "
                "has numbered sections too"
            )
    return tuple(found[slug] for slug in sorted(found))


def _sections(lines: list[_Line], path: Path) -> tuple[Section, ...]:
    own: dict[tuple[str, str], Section] = {}
    named: dict[tuple[str, str], str] = {}
    for line in lines:
        if not line.levels:
            continue
        chapter = slugify(line.chapter_title)
        *outer, (number, name_title) = line.levels
        key = (chapter, number)
        if key in own:
            raise SourceFormatError(
                f"{path}, line {line.line}: section {number} of {chapter!r} is also on line "
                f"{own[key].line}"
            )
        title, cut = _title_from_text(name_title, line.text, f"{path}, line {line.line}")
        own[key] = Section(chapter, number, title, line.text, line.line, cut)
        for outer_number, outer_title in outer:
            outer_key = (chapter, outer_number)
            named[outer_key] = _merge_names(
                named.get(outer_key), _words(outer_title), f"{path}, line {line.line}"
            )
    intermediate = {
        key: Section(key[0], key[1], title, None, None)
        for key, title in named.items()
        if key not in own
    }
    every = {**own, **intermediate}
    return tuple(every[key] for key in sorted(every, key=lambda k: (k[0], number_parts(k[1]))))


def _title_from_text(name_title: str, text: str, where: str) -> tuple[str, bool]:
    """The section's title as its text prints it, and whether the name was cut short.

    The text starts with the number and then the title, with nothing to mark where the title
    ends; the name says how many words it has. Tokens with no letter or digit ("/", "–") are not
    counted, as the names drop some of them.
    """
    name_words = [word for word in name_title.split("_") if _is_word(word)]
    body_start = _TEXT_START.match(text)
    if body_start is None:
        raise SourceFormatError(f"{where}: the text does not start with a section number")
    body = text[body_start.end() :]
    tokens = list(_TOKEN.finditer(body))
    words = [token for token in tokens if _is_word(token.group())]
    if not name_words or len(words) < len(name_words):
        raise SourceFormatError(f"{where}: the text is shorter than the title in the name")
    last = words[len(name_words) - 1]
    end = last.end()

    name_key, text_key = _key(" ".join(name_words)), _key(body[:end])
    last_name_word, last_text_word = _key(name_words[-1]), _key(last.group())
    cut = (
        last_text_word != last_name_word
        and last_text_word.startswith(last_name_word)
        and text_key.startswith(name_key)
    )
    if cut:
        end = _sentence_end(tokens, last, where)
    elif difflib.SequenceMatcher(None, name_key, text_key).ratio() < _SAME_TITLE_RATIO:
        raise SourceFormatError(
            f"{where}: the name's title {_words(name_title)!r} is not the one the text starts "
            f"with, {body[:end]!r}"
        )
    return body[:end], cut


def _sentence_end(tokens: list[re.Match[str]], cut_word: re.Match[str], where: str) -> int:
    """Where the sentence a cut title stops in ends: the first token from it ending in . ! or ?"""
    for token in tokens:
        if token.start() >= cut_word.start() and _SENTENCE_END.search(token.group()):
            return token.end()
    raise SourceFormatError(f"{where}: the name is cut short and the text has no sentence end")


def _merge_names(known: str | None, title: str, where: str) -> str:
    """Names that give the same intermediate level must agree; one may be cut shorter."""
    if known is None or known == title:
        return title
    if _key(known).startswith(_key(title)):
        return known
    if _key(title).startswith(_key(known)):
        return title
    raise SourceFormatError(f"{where}: the names give two titles, {known!r} and {title!r}")


def number_parts(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


def _words(name_part: str) -> str:
    """A name's words with single spaces: "Energie_en_klimaat_" → "Energie en klimaat"."""
    return " ".join(name_part.replace("_", " ").split())


def _is_word(token: str) -> bool:
    return any(character.isalnum() for character in token)


def _key(text: str) -> str:
    """Letters and digits only, case-folded: what a name and a text must share."""
    return "".join(character for character in text.casefold() if character.isalnum())


__all__ = [
    "AgreementOutline",
    "Chapter",
    "Section",
    "number_parts",
    "place_of_name",
    "read_outline",
]
