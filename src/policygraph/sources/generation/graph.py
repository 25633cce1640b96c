"""A generation as RDF, in the terms of docs/model.md: the activity, what it used, who took part,
what came back, and the renumbering check of the report it became.

Every node has an IRI minted under the agreement, the chapter and the section number (as the
report's): the generation, its prompt, the prompt's candidates (by prompt index) and the answer.
The models are ``prov:SoftwareAgent``s and the method a ``prov:Plan``, shared by every
generation that followed them. The time is what the source knows, the month (``xsd:gYearMonth``
in ``dct:date``), never a made-up day: ``prov:startedAtTime`` takes an ``xsd:dateTime``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Triple

from policygraph.namespaces import DCT, PG, PGC, PROV, RDF, SCHEMA, XSD, AgreementMinter, Minter
from policygraph.sources.generation.parse import ParsedGeneration
from policygraph.sources.generation.renumbering import Check

LANGUAGE_MODEL = "gpt-4-1106-preview"
EMBEDDING_MODEL = "text-embedding-ada-002"
GENERATED_IN = "2024-01"
"""The month the origin's code and notes give for the calls; no day is recorded."""


@dataclass(frozen=True)
class Placed:
    """A generation with where it belongs: its section (or chapter), and its report if any."""

    generation: ParsedGeneration
    chapter: str
    number: str | None
    assessed: NamedNode
    report: NamedNode | None
    candidate_decisions: Sequence[tuple[str, ...]]
    """Per prompt index, the Kaleidos ids of the decisions whose text is the candidate's."""
    checks: Sequence[Check]
    """The renumbering check of each reference of the report (none without a report)."""
    source: NamedNode
    """The source document it was read from."""


def _count(number: int) -> Literal:
    return Literal(str(number), datatype=XSD.nonNegativeInteger)


def _dutch(text: str) -> Literal:
    return Literal(text, language="nl")


def _english(text: str) -> Literal:
    return Literal(text, language="en")


def agent_triples(minter: Minter) -> list[Triple]:
    """The two models as software agents."""
    model, embedder = minter.software(LANGUAGE_MODEL), minter.software(EMBEDDING_MODEL)
    return [
        Triple(model, RDF.type, PG.LanguageModel),
        Triple(model, RDF.type, PROV.SoftwareAgent),
        Triple(model, DCT.title, Literal(LANGUAGE_MODEL)),
        Triple(model, SCHEMA.version, Literal("1106-preview")),
        Triple(model, DCT.description, _dutch("Taalmodel van OpenAI (GPT-4 Turbo, preview)")),
        Triple(model, DCT.description, _english("Language model of OpenAI (GPT-4 Turbo, preview)")),
        Triple(embedder, RDF.type, PG.EmbeddingModel),
        Triple(embedder, RDF.type, PROV.SoftwareAgent),
        Triple(embedder, DCT.title, Literal(EMBEDDING_MODEL)),
        Triple(embedder, SCHEMA.version, Literal("002")),
        Triple(embedder, DCT.description, _dutch("Embeddingmodel van OpenAI")),
        Triple(embedder, DCT.description, _english("Embedding model of OpenAI")),
    ]


def plan_iri(generation: ParsedGeneration, minter: Minter) -> NamedNode:
    """One plan per template and limits: its slug is a digest of them, so that generations
    made alike share it and a changed template makes another."""
    p = generation.parameters
    key = f"{generation.exchange.instruction}\n{p.max_candidates}\n{p.max_prompt_tokens}"
    return minter.plan("beoordeling-" + hashlib.sha256(key.encode()).hexdigest()[:12])


def plan_triples(generation: ParsedGeneration, minter: Minter) -> list[Triple]:
    plan, p = plan_iri(generation, minter), generation.parameters
    return [
        Triple(plan, RDF.type, PG.GenerationMethod),
        Triple(plan, RDF.type, PROV.Plan),
        Triple(plan, DCT.title, _dutch("Werkwijze van de beoordelingen")),
        Triple(plan, DCT.title, _english("Method of the assessments")),
        Triple(
            plan,
            DCT.description,
            _dutch(
                f"Per sectie: de {p.max_candidates} beslissingen die het meest op de tekst van de "
                f"sectie lijken ({EMBEDDING_MODEL}), waarvan zoveel als er in "
                f"{p.max_prompt_tokens} tokens passen, in die volgorde in de prompt; één vraag "
                f"aan {LANGUAGE_MODEL} per sectie."
            ),
        ),
        Triple(
            plan,
            DCT.description,
            _english(
                f"Per section: the {p.max_candidates} decisions most similar to the section's "
                f"text ({EMBEDDING_MODEL}), as many of them as fit in {p.max_prompt_tokens} "
                f"tokens put in the prompt in that order; one call to {LANGUAGE_MODEL} per section."
            ),
        ),
        Triple(plan, PG.promptTemplate, _dutch(generation.exchange.instruction)),
        Triple(plan, PG.maxCandidates, _count(p.max_candidates)),
        Triple(plan, PG.maxPromptTokens, _count(p.max_prompt_tokens)),
    ]


def generation_triples(placed: Placed, iris: AgreementMinter) -> list[Triple]:
    """The generation, its prompt and candidates, its answer and the report's checks."""
    g, chapter, number = placed.generation, placed.chapter, placed.number
    activity = iris.generation(chapter, number)
    prompt, answer = iris.prompt(chapter, number), iris.answer(chapter, number)
    association = NamedNode(activity.value + "#taalmodel")
    model = iris.minter.software(LANGUAGE_MODEL)
    embedder = iris.minter.software(EMBEDDING_MODEL)
    label = number or chapter
    triples = [
        Triple(activity, RDF.type, PG.AssessmentGeneration),
        Triple(activity, DCT.title, _dutch(f"Generatie van de beoordeling van {label}")),
        Triple(activity, DCT.title, _english(f"Generation of the assessment of {label}")),
        Triple(activity, DCT.date, Literal(GENERATED_IN, datatype=XSD.gYearMonth)),
        Triple(activity, PROV.used, prompt),
        Triple(activity, PROV.used, placed.assessed),
        Triple(activity, PROV.wasAssociatedWith, model),
        Triple(activity, PROV.wasAssociatedWith, embedder),
        Triple(activity, PROV.qualifiedAssociation, association),
        Triple(association, RDF.type, PROV.Association),
        Triple(association, PROV.agent, model),
        Triple(association, PROV.hadPlan, plan_iri(g, iris.minter)),
        Triple(prompt, RDF.type, PG.ModelPrompt),
        Triple(prompt, DCT.title, _dutch(f"Prompt voor de beoordeling van {label}")),
        Triple(prompt, DCT.title, _english(f"Prompt for the assessment of {label}")),
        Triple(prompt, PG.promptSectionText, _dutch(g.exchange.section_text)),
        Triple(prompt, PG.candidateCount, _count(g.parameters.candidates_in_prompt)),
        Triple(prompt, PROV.wasDerivedFrom, placed.assessed),
        Triple(prompt, PROV.wasDerivedFrom, placed.source),
        Triple(answer, RDF.type, PG.ModelAnswer),
        Triple(answer, DCT.title, _dutch(f"Antwoord van het model over {label}")),
        Triple(answer, DCT.title, _english(f"The model's answer on {label}")),
        Triple(answer, PROV.value, _dutch(g.exchange.answer)),
        Triple(answer, PROV.wasGeneratedBy, activity),
        Triple(answer, PROV.wasDerivedFrom, placed.source),
    ]
    for candidate in g.exchange.candidates:
        node = iris.candidate(chapter, number, candidate.index)
        triples += [
            Triple(prompt, PG.hasCandidate, node),
            Triple(node, RDF.type, PG.PromptCandidate),
            Triple(node, PG.promptIndex, _count(candidate.index)),
            Triple(node, PG.candidateText, _dutch(candidate.text)),
        ]
        triples += [
            Triple(node, PG.candidateDecision, iris.minter.decision(kaleidos))
            for kaleidos in placed.candidate_decisions[candidate.index]
        ]
    shown = len(g.exchange.candidates)
    for index in g.exchange.cited:
        if index < shown:
            triples.append(
                Triple(answer, PG.citesCandidate, iris.candidate(chapter, number, index))
            )
        else:
            triples.append(Triple(answer, PG.citesMissingCandidate, _count(index)))
    if placed.report is not None:
        triples += [
            Triple(placed.report, PROV.wasGeneratedBy, activity),
            Triple(placed.report, PROV.wasRevisionOf, answer),
        ]
    triples += _check_triples(placed, iris)
    return triples


def _check_triples(placed: Placed, iris: AgreementMinter) -> list[Triple]:
    shown = len(placed.generation.exchange.candidates)
    triples = []
    for check in placed.checks:
        reference = iris.reference(placed.chapter, placed.number, check.reference)
        triples += [
            Triple(reference, PG.renumberingOutcome, PGC[check.outcome.value]),
            Triple(reference, PG.renumberingNote, _english(check.note)),
        ]
        if check.prompt_index is not None and check.prompt_index < shown:
            candidate = iris.candidate(placed.chapter, placed.number, check.prompt_index)
            triples.append(Triple(reference, PG.correspondingCandidate, candidate))
    return triples


def resolved_references(
    references: Sequence[int], resolved: Mapping[int, str]
) -> dict[int, str | None]:
    """Every reference number with the decision it resolves to, None where it resolves to none."""
    return {number: resolved.get(number) for number in references}


__all__ = [
    "EMBEDDING_MODEL",
    "GENERATED_IN",
    "LANGUAGE_MODEL",
    "Placed",
    "agent_triples",
    "generation_triples",
    "plan_iri",
    "plan_triples",
    "resolved_references",
]
