"""One generation folder (``corpus/generation/<section name>/``): its two files → plain values.

``metadata.txt`` holds one ``KEY: value`` per line: ``MAX_PROMPT_TOKEN_COUNT``,
``MAX_DECISIONS_TO_INCLUDE``, ``DECISIONS_INCLUDED_IN_PROMPT`` and ``TOPIC_NAME``.
``raw_prompt_response.txt`` is ``PROMPT:``, the instruction, ``Regeerakkoord:`` and the
section's text, ``Beslissingen:`` and the candidates one per line as ``<index> - <text>`` (the
first on the ``Beslissingen:`` line itself), ``Jou antwoord:``, a rule of dashes, then a line
``RESPONSE:`` and the model's answer, which cites candidates by index (``[0][1]``, ranges and
``[Beslissingen 2, 3]`` read as the reports' markers are, by ``citations_in``).

Anything else raises ``SourceFormatError`` naming the file and, where there is one, the line:
a missing or repeated part, a candidate line that is not ``<index> - <text>``, indices that do
not run 0, 1, 2, …, an unknown or repeated metadata key, a count that is not a number, or a
``DECISIONS_INCLUDED_IN_PROMPT`` other than the number of candidates in the prompt.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from policygraph.errors import SourceError, SourceFormatError
from policygraph.sources.reports.assessment import citations_in

METADATA_FILE = "metadata.txt"
EXCHANGE_FILE = "raw_prompt_response.txt"

_COUNT_KEYS = ("MAX_PROMPT_TOKEN_COUNT", "MAX_DECISIONS_TO_INCLUDE", "DECISIONS_INCLUDED_IN_PROMPT")
_TOPIC_KEY = "TOPIC_NAME"
_METADATA_LINE = re.compile(r"^([A-Z_]+): (.*)$")
_CANDIDATE = re.compile(r"^(\d+) - (.*)$", re.DOTALL)
_SECTION_MARK = "Regeerakkoord:"
_CANDIDATES_MARK = "Beslissingen:"
_ANSWER_MARK = "Jou antwoord:"
_RULE = re.compile(r"^-{3,}$")
_BARE_MARKER = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class Parameters:
    """``metadata.txt``: the limits the prompt was built with and what fitted."""

    max_prompt_tokens: int
    max_candidates: int
    candidates_in_prompt: int
    topic: str


@dataclass(frozen=True)
class Candidate:
    index: int
    """The index the prompt gives it, and the number the answer cites it by."""
    text: str
    """As in the prompt, without the whitespace that ends its line."""


@dataclass(frozen=True)
class Exchange:
    """``raw_prompt_response.txt``: what was sent and what came back."""

    prompt: str
    instruction: str
    section_text: str
    candidates: tuple[Candidate, ...]
    answer: str

    @property
    def cited(self) -> tuple[int, ...]:
        """The indices the answer cites, in order of first appearance, read as the reports'
        markers are: ``[3]``, and ranges and lists such as ``[Beslissingen 2, 3]`` too."""
        return citations_in(self.answer)

    @property
    def numbered(self) -> tuple[int, ...]:
        """The indices of the bare ``[i]`` markers, in order of first appearance: what the
        cleaning renumbered (see ``renumbering``)."""
        return tuple(dict.fromkeys(int(index) for index in _BARE_MARKER.findall(self.answer)))


@dataclass(frozen=True)
class ParsedGeneration:
    folder: str
    parameters: Parameters
    exchange: Exchange


def read_generation(folder: Path) -> ParsedGeneration:
    """The generation recorded in one folder, its two files checked against each other."""
    parameters = parse_parameters(_read(folder / METADATA_FILE), str(folder / METADATA_FILE))
    where = str(folder / EXCHANGE_FILE)
    exchange = parse_exchange(_read(folder / EXCHANGE_FILE), where)
    if parameters.candidates_in_prompt != len(exchange.candidates):
        raise SourceFormatError(
            f"{where}: the prompt has {len(exchange.candidates)} candidates, "
            f"{METADATA_FILE} says DECISIONS_INCLUDED_IN_PROMPT {parameters.candidates_in_prompt}"
        )
    if parameters.topic != folder.name:
        raise SourceFormatError(
            f"{folder / METADATA_FILE}: TOPIC_NAME {parameters.topic!r} is not the folder's name"
        )
    return ParsedGeneration(folder.name, parameters, exchange)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceFormatError(f"{path}: not UTF-8: {exc}") from exc
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def parse_parameters(text: str, source: str) -> Parameters:
    """``metadata.txt``; ``source`` names it in error messages."""
    values: dict[str, str] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        match = _METADATA_LINE.match(line.rstrip("\r"))
        if match is None:
            raise SourceFormatError(f"{source}:{number}: expected 'KEY: value', found {line!r}")
        key, value = match[1], match[2].strip()
        if key not in (*_COUNT_KEYS, _TOPIC_KEY):
            raise SourceFormatError(f"{source}:{number}: unknown key {key}")
        if key in values:
            raise SourceFormatError(f"{source}:{number}: {key} is given twice")
        if key in _COUNT_KEYS and not value.isdigit():
            raise SourceFormatError(f"{source}:{number}: {key} must be a count, found {value!r}")
        values[key] = value
    missing = [key for key in (*_COUNT_KEYS, _TOPIC_KEY) if key not in values]
    if missing:
        raise SourceFormatError(f"{source}: missing {', '.join(missing)}")
    tokens, most, included = (int(values[key]) for key in _COUNT_KEYS)
    return Parameters(tokens, most, included, values[_TOPIC_KEY])


def parse_exchange(text: str, source: str) -> Exchange:
    """``raw_prompt_response.txt``; ``source`` names it in error messages."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "PROMPT:":
        raise SourceFormatError(f"{source}:1: expected 'PROMPT:'")
    answer_at = _only_line(lines, lambda line: line.strip() == "RESPONSE:", "RESPONSE:", source)
    prompt_lines = lines[1:answer_at]
    section_at = _only_line(
        prompt_lines, lambda line: line.lstrip().startswith(_SECTION_MARK), _SECTION_MARK, source
    )
    candidates_at = _only_line(
        prompt_lines,
        lambda line: line.lstrip().startswith(_CANDIDATES_MARK),
        _CANDIDATES_MARK,
        source,
    )
    closing_at = _only_line(
        prompt_lines, lambda line: line.strip() == _ANSWER_MARK, _ANSWER_MARK, source
    )
    if not section_at < candidates_at < closing_at:
        raise SourceFormatError(
            f"{source}:{candidates_at + 2}: expected {_SECTION_MARK}, {_CANDIDATES_MARK} and "
            f"{_ANSWER_MARK} in that order"
        )
    tail = [line.strip() for line in prompt_lines[closing_at + 1 :] if line.strip()]
    if len(tail) != 1 or not _RULE.match(tail[0]):
        raise SourceFormatError(
            f"{source}:{closing_at + 3}: expected a rule of dashes between the prompt and "
            "RESPONSE:, and nothing else"
        )
    section_lines = prompt_lines[section_at:candidates_at]
    section_lines[0] = section_lines[0].lstrip().removeprefix(_SECTION_MARK)
    section_text = "\n".join(section_lines).strip()
    if not section_text:
        raise SourceFormatError(f"{source}:{section_at + 2}: the section's text is empty")
    first = prompt_lines[candidates_at].lstrip().removeprefix(_CANDIDATES_MARK).lstrip()
    candidates = _candidates(
        [first, *prompt_lines[candidates_at + 1 : closing_at]], candidates_at + 2, source
    )
    return Exchange(
        prompt="\n".join(prompt_lines).strip("\n"),
        instruction="\n".join(line.strip() for line in prompt_lines[:section_at]).strip(),
        section_text=section_text,
        candidates=candidates,
        answer="\n".join(lines[answer_at + 1 :]).strip(),
    )


def _only_line(lines: list[str], test: Callable[[str], bool], what: str, source: str) -> int:
    """The index in ``lines`` of the one line that passes ``test``."""
    found = [i for i, line in enumerate(lines) if test(line)]
    if len(found) != 1:
        where = f"{source}:{found[1] + 2}" if len(found) > 1 else source
        issue = "more than one" if found else "no"
        raise SourceFormatError(f"{where}: {issue} line {what!r}")
    return found[0]


def _candidates(lines: list[str], first_line: int, source: str) -> tuple[Candidate, ...]:
    """``<index> - <text>`` per line, indices 0, 1, 2, …; blank lines after the last end it."""
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    candidates: list[Candidate] = []
    for offset, line in enumerate(lines):
        where = f"{source}:{first_line + offset}"
        match = _CANDIDATE.match(line)
        if match is None:
            raise SourceFormatError(f"{where}: expected '<index> - <decision text>': {line[:60]!r}")
        if int(match[1]) != len(candidates):
            raise SourceFormatError(
                f"{where}: candidate {match[1]} where {len(candidates)} was expected"
            )
        candidates.append(Candidate(len(candidates), match[2].rstrip()))
    if not candidates:
        raise SourceFormatError(f"{source}:{first_line}: the prompt has no candidate decisions")
    return tuple(candidates)


__all__ = [
    "EXCHANGE_FILE",
    "METADATA_FILE",
    "Candidate",
    "Exchange",
    "Parameters",
    "ParsedGeneration",
    "parse_exchange",
    "parse_parameters",
    "read_generation",
]
