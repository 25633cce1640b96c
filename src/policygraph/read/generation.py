"""How an assessment was generated, as a page shows it: which language model wrote it and when,
what it was shown (the candidate decisions, by similarity with which embedding model), what it
cited, and how each reference of the published report compares with the raw answer.

``generation_of(store, iri)`` takes a report, or the section (or chapter) a report assesses, or
the generation itself, and returns ``None`` when the store knows no generation for it. A section
the model was asked about without a published report has a generation and no report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, QuerySolutions, Variable

from policygraph.namespaces import PREFIXES
from policygraph.store import GraphStore

_PROLOGUE = "".join(
    f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in ("pg", "prov", "dct", "skos", "rdf")
)

# A generation is found from itself, from the report it generated, or from what it assessed:
# one plain pattern each (tried in this order), so that the bound IRI selects, never filters.
_FINDERS = tuple(
    _PROLOGUE + f"SELECT ?iri ?generation WHERE {{ {pattern} }} LIMIT 1"
    for pattern in (
        "?iri a pg:AssessmentGeneration . BIND (?iri AS ?generation)",
        "?iri prov:wasGeneratedBy ?generation . ?generation a pg:AssessmentGeneration .",
        "?generation a pg:AssessmentGeneration ; prov:used ?iri .",
    )
)

_GENERATION = (
    _PROLOGUE
    + """
SELECT ?generation ?report ?prompt ?answer ?shown ?when ?model ?embedder WHERE {
  # Each pattern starts from a node already bound: pyoxigraph keeps the written order, and a
  # pattern that starts from a class scans all its members (0.5 s instead of a millisecond).
  ?generation prov:used ?prompt ; dct:date ?when ;
      prov:qualifiedAssociation/prov:agent/dct:title ?model .
  ?prompt pg:candidateCount ?shown ; a pg:ModelPrompt .
  ?answer prov:wasGeneratedBy ?generation .
  ?answer a pg:ModelAnswer .
  OPTIONAL { ?generation prov:wasAssociatedWith ?agent .
             ?agent a pg:EmbeddingModel ; dct:title ?embedder . }
  OPTIONAL { ?report prov:wasGeneratedBy ?generation . ?report a pg:AssessmentReport . }
}
LIMIT 1
"""
)

_CANDIDATES = (
    _PROLOGUE
    + """
SELECT ?prompt ?answer ?index ?text ?decision ?title ?cited WHERE {
  ?prompt pg:hasCandidate ?candidate .
  ?candidate pg:promptIndex ?index ; pg:candidateText ?text .
  OPTIONAL { ?candidate pg:candidateDecision ?decision .
             OPTIONAL { ?decision dct:title ?title } }
  BIND (EXISTS { ?answer pg:citesCandidate ?candidate } AS ?cited)
}
ORDER BY ?index ?decision
"""
)

_CHECKS = (
    _PROLOGUE
    + """
SELECT ?report ?number ?outcome ?label ?note ?index WHERE {
  ?report pg:hasReference ?reference .
  ?reference pg:referenceNumber ?number ; pg:renumberingOutcome ?outcome .
  OPTIONAL { ?outcome skos:prefLabel ?label FILTER (lang(?label) = "en") }
  OPTIONAL { ?reference pg:renumberingNote ?note }
  OPTIONAL { ?reference pg:correspondingCandidate/pg:promptIndex ?index }
}
ORDER BY ?number
"""
)


@dataclass(frozen=True)
class ShownCandidate:
    index: int
    text: str
    decisions: tuple[str, ...]
    """IRIs of the decisions whose text it is (none, one, or several that share a text)."""
    title: str | None
    """The title of its decision, when it has one; a page shows it instead of the text."""
    cited: bool


@dataclass(frozen=True)
class RenumberingCheck:
    reference: int
    outcome: str
    """The concept's local name: ``renumbering-agrees``, ``-disagrees`` or ``-cannot-tell``."""
    note: str
    prompt_index: int | None


@dataclass(frozen=True)
class GenerationFacts:
    generation: str
    report: str | None
    model: str
    embedding_model: str | None
    when: str
    """As the graph has it: the month, ``2024-01``."""
    shown: int
    candidates: tuple[ShownCandidate, ...]
    checks: tuple[RenumberingCheck, ...]

    @property
    def cited(self) -> int:
        return sum(1 for candidate in self.candidates if candidate.cited)

    @property
    def outcomes(self) -> dict[str, int]:
        """How many references had each outcome, every outcome named even when none had it."""
        counts = Counter(check.outcome for check in self.checks)
        return {name: counts[name] for name in OUTCOMES}


OUTCOMES = ("renumbering-agrees", "renumbering-disagrees", "renumbering-cannot-tell")


def generation_of(store: GraphStore, iri: str) -> GenerationFacts | None:
    """The generation of a report, section, chapter or generation IRI; None if there is none."""
    found = next(
        (rows[0] for finder in _FINDERS if (rows := _select(store, finder, iri=NamedNode(iri)))),
        None,
    )
    if found is None:
        return None
    generation = found["generation"]
    assert isinstance(generation, NamedNode)
    rows = _select(store, _GENERATION, generation=generation)
    if not rows:
        return None
    row = rows[0]
    prompt, answer = row["prompt"], row["answer"]
    assert isinstance(prompt, NamedNode)
    assert isinstance(answer, NamedNode)
    report = row.get("report")
    return GenerationFacts(
        generation=generation.value,
        report=report.value if isinstance(report, NamedNode) else None,
        model=_text(row["model"]),
        embedding_model=_text(row["embedder"]) if row.get("embedder") else None,
        when=_text(row["when"]),
        shown=int(_text(row["shown"])),
        candidates=_candidates(store, prompt, answer),
        checks=_checks(store, report) if isinstance(report, NamedNode) else (),
    )


def _candidates(
    store: GraphStore, prompt: NamedNode, answer: NamedNode
) -> tuple[ShownCandidate, ...]:
    by_index: dict[int, ShownCandidate] = {}
    for row in _select(store, _CANDIDATES, prompt=prompt, answer=answer):
        index = int(_text(row["index"]))
        decision = row.get("decision")
        known = by_index.get(index)
        decisions = (*(known.decisions if known else ()), *_iris(decision))
        title = (known.title if known else None) or (
            _text(row["title"]) if row.get("title") else None
        )
        by_index[index] = ShownCandidate(
            index=index,
            text=_text(row["text"]),
            decisions=tuple(dict.fromkeys(decisions)),
            title=title,
            cited=_text(row["cited"]) == "true",
        )
    return tuple(by_index[index] for index in sorted(by_index))


def _checks(store: GraphStore, report: NamedNode) -> tuple[RenumberingCheck, ...]:
    return tuple(
        RenumberingCheck(
            reference=int(_text(row["number"])),
            outcome=_local(row["outcome"]),
            note=_text(row["note"]) if row.get("note") else "",
            prompt_index=int(_text(row["index"])) if row.get("index") else None,
        )
        for row in _select(store, _CHECKS, report=report)
    )


def _select(store: GraphStore, query: str, **bound: NamedNode) -> list[dict[str, object]]:
    result = store.query(query, substitutions={Variable(k): v for k, v in bound.items()})
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    return [{name: row[name] for name in names if row[name] is not None} for row in result]


def _text(term: object) -> str:
    assert isinstance(term, Literal | NamedNode)
    return term.value


def _local(term: object) -> str:
    return _text(term).rsplit("/", 1)[-1]


def _iris(term: object) -> tuple[str, ...]:
    return (term.value,) if isinstance(term, NamedNode) else ()


__all__ = [
    "OUTCOMES",
    "GenerationFacts",
    "RenumberingCheck",
    "ShownCandidate",
    "generation_of",
]
