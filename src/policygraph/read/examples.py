"""The competency questions of ``queries/*.rq``, as examples the query UI offers in one click.

Each file starts with comment lines that hold the question in Dutch (``# nl: …``) and English
(``# en: …``), continued on indented comment lines; the rest is the SPARQL query, kept whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from policygraph.errors import SourceError

_QUESTION = re.compile(r"^#\s*(nl|en):\s*(.*)$")
_CONTINUATION = re.compile(r"^#\s{2,}(\S.*)$")


@dataclass(frozen=True)
class Example:
    name: str
    """The file's stem, e.g. ``cq01-evidence-of-section-4.3.2``."""
    questions: dict[str, str]
    """The question per language (nl, en)."""
    query: str

    def question(self, language: str) -> str:
        return self.questions.get(language) or next(iter(self.questions.values()), self.name)


def read_example(path: Path) -> Example:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourceError(f"cannot read the query {path}: {exc.strerror or exc}") from exc
    questions: dict[str, str] = {}
    current: str | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        start = _QUESTION.match(line)
        if start:
            current = start.group(1)
            questions[current] = start.group(2).strip()
            continue
        more = _CONTINUATION.match(line)
        if more and current is not None:
            questions[current] += " " + more.group(1).strip()
        else:
            current = None
    return Example(name=path.stem, questions=questions, query=text)


def read_examples(queries_dir: Path | None) -> tuple[Example, ...]:
    """Every ``*.rq`` file of the folder, by name; none when there is no folder (installed)."""
    if queries_dir is None or not Path(queries_dir).is_dir():
        return ()
    folder = Path(queries_dir)
    return tuple(read_example(path) for path in sorted(folder.glob("*.rq")))
