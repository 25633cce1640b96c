"""Annotations as the API takes them: the JSON form, Turtle or JSON-LD, made into the triples of
one ``oa:Annotation`` (docs/model.md, "Annotations by researchers").

The server names every annotation (``{base}/id/annotatie/{account}/{id}``, a time-ordered id),
its comment (``…#comment``), its author (the account's agent) and its time of writing. A body
may say things about the annotation and its own body nodes only: a triple about anything else
would let one account write about the graph's resources in its name, and is refused.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Triple, parse

from policygraph.build.provenance import COMPILATION_LICENSE
from policygraph.errors import AnnotationInputError, AnnotationSyntaxError
from policygraph.namespaces import DCT, FOAF, OA, PG, PGC, PROV, RDF, RDFS, SD, XSD, Minter

VERDICTS = ("kept", "partly-kept", "in-progress", "stalled", "broken", "not-rateable")
"""The ``skos:notation`` of each concept of ``pgc:verdicts``, the JSON form's names for them."""
MOTIVATIONS = ("assessing", "editing", "commenting")
JSON_FIELDS = frozenset(
    {"target", "verdict", "comment", "language", "evidence", "motivation", "corrects", "replaces"}
)
SERVER_SET = (DCT.created, PG.retractedAt)
"""Said by the server only: when an annotation was written, and when it was retracted."""

# Crockford's base 32: digits and capitals without I, L, O, U; sorts as the time it encodes.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_id(now_ms: int | None = None) -> str:
    """26 characters: 48 bits of milliseconds, then 80 random bits (a ULID)."""
    value = ((time.time_ns() // 1_000_000 if now_ms is None else now_ms) << 80) | (
        secrets.randbits(80)
    )
    return "".join(_ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(26)))


@dataclass(frozen=True)
class AccountNames:
    """The IRIs of one account: its graph, its agent, the prefix of its annotations."""

    minter: Minter
    account: str

    @property
    def graph(self) -> NamedNode:
        return self.minter.graph("annotations", self.account)

    @property
    def agent(self) -> NamedNode:
        return self.minter.thing("annotator", self.account)

    def annotation(self, annotation_id: str) -> NamedNode:
        return self.minter.thing("annotatie", self.account, annotation_id)

    def owns(self, iri: NamedNode) -> bool:
        """Whether ``iri`` is one of the account's annotations or a node of one (``…#comment``)."""
        prefix = self.minter.thing("annotatie", self.account, "x").value[:-1]
        rest = iri.value.removeprefix(prefix)
        return iri.value.startswith(prefix) and bool(rest) and "/" not in rest

    def described(self) -> list[Triple]:
        """The agent and the graph's own description: who the graph comes from, its licence."""
        agent, graph = self.agent, self.graph
        return [
            Triple(agent, RDF.type, PROV.Agent),
            Triple(agent, RDF.type, FOAF.Agent),
            Triple(agent, FOAF.nick, Literal(self.account)),
            Triple(agent, RDFS.label, Literal(self.account)),
            Triple(graph, RDF.type, SD.NamedGraph),
            Triple(graph, RDF.type, PROV.Entity),
            Triple(
                graph,
                DCT.title,
                Literal(f"Annotaties van {self.account} / annotations by {self.account}"),
            ),
            Triple(graph, DCT.license, NamedNode(COMPILATION_LICENSE)),
            Triple(graph, PROV.wasAttributedTo, agent),
        ]


@dataclass(frozen=True)
class Annotation:
    iri: NamedNode
    triples: tuple[Triple, ...]

    def quads(self, graph: NamedNode) -> list[Quad]:
        return [Quad(t.subject, t.predicate, t.object, graph) for t in self.triples]

    def mentioned(self) -> set[NamedNode]:
        """The IRIs it points at outside itself: targets, evidence, verdicts, replaced ones."""
        return {
            t.object
            for t in self.triples
            if isinstance(t.object, NamedNode) and not t.object.value.startswith(self.iri.value)
        }


def _stamp(now: datetime) -> Literal:
    return Literal(now.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime)


def _iri(value: object, field: str) -> NamedNode:
    if not isinstance(value, str):
        raise AnnotationInputError(f"{field} must be an IRI as a string")
    try:
        iri = NamedNode(value)
    except ValueError:
        raise AnnotationInputError(f"{field} is not an IRI: {value!r}") from None
    if not iri.value.startswith(("http://", "https://")):
        raise AnnotationInputError(f"{field} must be an http(s) IRI: {value!r}")
    return iri


def from_json(data: bytes, names: AccountNames, now: datetime) -> Annotation:
    """The JSON form: ``{"target": IRI, "verdict": "partly-kept", "comment": "…",
    "evidence": [IRI, …]}`` (and ``motivation``, ``language``, ``corrects``, ``replaces``)."""
    try:
        form = json.loads(data)
    except (UnicodeDecodeError, ValueError) as exc:
        raise AnnotationSyntaxError(f"the body is not JSON: {exc}") from None
    if not isinstance(form, dict):
        raise AnnotationInputError("the body must be a JSON object")
    unknown = sorted(set(form) - JSON_FIELDS)
    if unknown:
        raise AnnotationInputError(
            f"unknown field(s) {', '.join(unknown)}; known: {', '.join(sorted(JSON_FIELDS))}"
        )
    evidence = form.get("evidence", [])
    if not isinstance(evidence, list):
        raise AnnotationInputError("evidence must be a list of IRIs")
    comment = form.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise AnnotationInputError("comment must be a string")
    language = form.get("language", "nl")
    if not isinstance(language, str):
        raise AnnotationInputError("language must be a string such as nl or en")
    return make_annotation(
        names,
        now,
        target=_iri(form.get("target"), "target"),
        verdict=form.get("verdict"),
        motivation=form.get("motivation"),
        comment=comment,
        language=language,
        evidence=[_iri(e, "each evidence") for e in evidence],
        corrects=_iri(form["corrects"], "corrects") if "corrects" in form else None,
        replaces=_iri(form["replaces"], "replaces") if "replaces" in form else None,
    )


def make_annotation(
    names: AccountNames,
    now: datetime,
    *,
    target: NamedNode,
    verdict: object = None,
    motivation: object = None,
    comment: str | None = None,
    language: str = "nl",
    evidence: Sequence[NamedNode] = (),
    corrects: NamedNode | None = None,
    replaces: NamedNode | None = None,
) -> Annotation:
    """An annotation from its parts (the JSON form's, or the page form's)."""
    if verdict is not None and verdict not in VERDICTS:
        raise AnnotationInputError(f"unknown verdict {verdict!r}: one of {', '.join(VERDICTS)}")
    if motivation is None:
        motivation = "assessing" if verdict else "editing" if corrects else "commenting"
    if motivation not in MOTIVATIONS:
        raise AnnotationInputError(
            f"unknown motivation {motivation!r}: one of {', '.join(MOTIVATIONS)}"
        )
    iri = names.annotation(new_id(int(now.timestamp() * 1000)))
    triples = [
        Triple(iri, RDF.type, OA.Annotation),
        Triple(iri, OA.hasTarget, target),
        Triple(iri, OA.motivatedBy, OA[str(motivation)]),
        *(Triple(iri, PG.evidenceDecision, decision) for decision in evidence),
    ]
    if verdict is not None:
        triples.append(Triple(iri, OA.hasBody, PGC[str(verdict)]))
    if comment is not None and comment.strip():
        body = NamedNode(iri.value + "#comment")
        triples += [
            Triple(iri, OA.hasBody, body),
            Triple(body, RDF.type, OA.TextualBody),
            Triple(body, RDF.value, Literal(comment.strip())),
            Triple(body, DCT.language, Literal(language)),
            Triple(body, DCT["format"], Literal("text/plain")),
        ]
    if corrects is not None:
        triples.append(Triple(iri, PG.correctedDecision, corrects))
    if replaces is not None:
        triples.append(Triple(iri, DCT.replaces, replaces))
    triples += [Triple(iri, DCT.creator, names.agent), Triple(iri, DCT.created, _stamp(now))]
    return Annotation(iri, tuple(triples))


def parse_triples(data: bytes, fmt: RdfFormat, base_iri: str) -> list[Triple]:
    """The triples of a body in ``fmt``; a named graph in it is refused."""
    try:
        quads = list(parse(data, format=fmt, base_iri=base_iri))
    except (SyntaxError, ValueError) as exc:
        raise AnnotationSyntaxError(f"the body does not parse as {fmt.name}: {exc}") from None
    if any(not isinstance(q.graph_name, DefaultGraph) for q in quads):
        raise AnnotationInputError("the body names a graph: the server chooses the graph")
    return [q.triple for q in quads]


def from_rdf(data: bytes, fmt: RdfFormat, names: AccountNames, now: datetime) -> Annotation:
    """One annotation written in Turtle or JSON-LD, as ``<>`` or a blank node.

    Relative IRIs resolve against the IRI the server mints, so ``<>`` is the annotation and
    ``<#comment>`` its comment; blank body nodes are named ``…#comment``, ``…#body-2``….
    """
    iri = names.annotation(new_id(int(now.timestamp() * 1000)))
    triples = parse_triples(data, fmt, iri.value)
    nodes = {t.subject for t in triples if t.predicate == RDF.type and t.object == OA.Annotation}
    if len(nodes) != 1:
        raise AnnotationInputError(
            f"the body must describe exactly one oa:Annotation; it describes {len(nodes)}"
        )
    node = nodes.pop()
    if node != iri and not isinstance(node, BlankNode):
        raise AnnotationInputError(
            f"the server names the annotation: write it as <> or a blank node, not <{node}>"
        )
    bodies = sorted(
        {
            t.object
            for t in triples
            if t.subject == node and t.predicate == OA.hasBody
            if isinstance(t.object, BlankNode)
            or (isinstance(t.object, NamedNode) and t.object.value.startswith(iri.value + "#"))
        },
        key=str,
    )
    renamed: dict[object, NamedNode] = {node: iri}
    for k, body in enumerate(b for b in bodies if isinstance(b, BlankNode)):
        renamed[body] = NamedNode(f"{iri.value}#{'comment' if k == 0 else f'body-{k + 1}'}")
    own = {iri, *renamed.values(), *(b for b in bodies if isinstance(b, NamedNode))}
    result: list[Triple] = []
    for t in triples:
        subject = renamed.get(t.subject, t.subject)
        obj = renamed.get(t.object, t.object)
        if subject not in own:
            raise AnnotationInputError(
                f"the body says something about {t.subject}: an annotation may describe only "
                "itself and its own bodies"
            )
        if isinstance(obj, BlankNode):
            raise AnnotationInputError("a blank node that is not a body of the annotation")
        if t.predicate in SERVER_SET:
            raise AnnotationInputError(f"{t.predicate} is set by the server, not the client")
        if t.predicate == DCT.creator and obj != names.agent:
            raise AnnotationInputError(f"an annotation by {names.account} has no other creator")
        if isinstance(subject, NamedNode) and isinstance(obj, NamedNode | Literal):
            result.append(Triple(subject, t.predicate, obj))
    result += [Triple(iri, DCT.creator, names.agent), Triple(iri, DCT.created, _stamp(now))]
    return Annotation(iri, tuple(dict.fromkeys(result)))


def graph_triples(data: bytes, fmt: RdfFormat, names: AccountNames) -> list[Triple]:
    """A whole account graph (Graph Store PUT or POST): every subject one of the account's
    annotations or their nodes, its agent or the graph itself; the description is the server's."""
    triples = parse_triples(data, fmt, names.graph.value)
    own = {names.agent, names.graph}
    for t in triples:
        if not isinstance(t.subject, NamedNode) or isinstance(t.object, BlankNode):
            raise AnnotationInputError("an account graph has no blank nodes: name every node")
        if t.subject not in own and not names.owns(t.subject):
            raise AnnotationInputError(
                f"the body says something about {t.subject}: an account graph holds only the "
                f"annotations of {names.account}, its agent and its own description"
            )
        if t.predicate == DCT.creator and t.object != names.agent:
            raise AnnotationInputError(f"an annotation by {names.account} has no other creator")
    described = set(names.described())
    return [t for t in triples if t.subject not in own or t in described]


def as_quads(triples: Iterable[Triple], graph: NamedNode) -> list[Quad]:
    return [Quad(t.subject, t.predicate, t.object, graph) for t in triples]
