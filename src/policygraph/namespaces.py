"""Prefixes, IRI minting and the mapping between the base IRI and serving URLs.

Every IRI policygraph mints comes from ``Minter``; nothing else concatenates IRIs. Things follow
the Flemish URI standard, ``{base}/id/{type}/{ref}``; named graphs live under ``{base}/graph/``.
The ontology namespace is fixed, so queries and shapes do not depend on where data is served.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from pyoxigraph import NamedNode

ONTOLOGY_IRI = "https://data.policygraph.be/ns/policygraph"

PREFIXES: dict[str, str] = {
    "pg": ONTOLOGY_IRI + "#",
    "pgc": "https://data.policygraph.be/ns/concept/",
    "besluit": "http://data.vlaanderen.be/ns/besluit#",
    "mandaat": "http://data.vlaanderen.be/ns/mandaat#",
    "besluitvorming": "https://data.vlaanderen.be/ns/besluitvorming#",
    "dossier": "https://data.vlaanderen.be/ns/dossier#",
    "generiek": "https://data.vlaanderen.be/ns/generiek#",
    "persoon": "https://data.vlaanderen.be/ns/persoon#",
    "person": "http://www.w3.org/ns/person#",
    "biro": "http://purl.org/spar/biro/",
    "pgsh": "https://data.policygraph.be/ns/shapes#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "cito": "http://purl.org/spar/cito/",
    "schema": "http://schema.org/",
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "time": "http://www.w3.org/2006/time#",
    "mu": "http://mu.semte.ch/vocabularies/core/",
    "spdx": "http://spdx.org/rdf/terms#",
    "void": "http://rdfs.org/ns/void#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "sh": "http://www.w3.org/ns/shacl#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": "http://www.wikidata.org/entity/",
    "oa": "http://www.w3.org/ns/oa#",
    "hydra": "http://www.w3.org/ns/hydra/core#",
}


class Vocabulary:
    """Attribute access to the terms of one namespace: ``PG.Campaign`` is a NamedNode."""

    def __init__(self, namespace: str) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        return NamedNode(self._namespace + name)

    def __getitem__(self, name: str) -> NamedNode:
        return NamedNode(self._namespace + name)

    def __str__(self) -> str:
        return self._namespace


PG = Vocabulary(PREFIXES["pg"])
PGC = Vocabulary(PREFIXES["pgc"])
RDF = Vocabulary(PREFIXES["rdf"])
RDFS = Vocabulary(PREFIXES["rdfs"])
XSD = Vocabulary(PREFIXES["xsd"])
OWL = Vocabulary(PREFIXES["owl"])
DCT = Vocabulary(PREFIXES["dct"])
DCAT = Vocabulary(PREFIXES["dcat"])
PROV = Vocabulary(PREFIXES["prov"])
CITO = Vocabulary(PREFIXES["cito"])
SCHEMA = Vocabulary(PREFIXES["schema"])
SKOS = Vocabulary(PREFIXES["skos"])
FOAF = Vocabulary(PREFIXES["foaf"])
MU = Vocabulary(PREFIXES["mu"])
SPDX = Vocabulary(PREFIXES["spdx"])
ORG = Vocabulary(PREFIXES["org"])
GENERIEK = Vocabulary(PREFIXES["generiek"])
DOSSIER = Vocabulary(PREFIXES["dossier"])
VOID = Vocabulary(PREFIXES["void"])
SD = Vocabulary(PREFIXES["sd"])
HYDRA = Vocabulary(PREFIXES["hydra"])
OA = Vocabulary(PREFIXES["oa"])
# Change feeds: Activity Streams 2.0 (the kinds of event), Linked Data Event Streams and TREE
# (the paged stream of events).
AS = Vocabulary("https://www.w3.org/ns/activitystreams#")
LDES = Vocabulary("https://w3id.org/ldes#")
TREE = Vocabulary("https://w3id.org/tree#")


def sparql_prologue(names: tuple[str, ...] | None = None) -> str:
    """PREFIX declarations for the given prefixes (all of them by default)."""
    chosen = names or tuple(PREFIXES)
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in chosen)


_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """A lower-case ASCII slug: accents folded, every run of other characters a single ``-``."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", folded.lower()).strip("-")
    if not slug:
        raise ValueError(f"nothing to make a slug of in {text!r}")
    return slug


_SECTION_NUMBER = re.compile(r"^\d+(\.\d+)*$")


@dataclass(frozen=True)
class Minter:
    """Mints the IRIs of things and graphs under one base IRI."""

    base: str

    def thing(self, kind: str, *ref: str) -> NamedNode:
        """``{base}/id/{kind}/{ref…}``, each part percent-encoded where IRIs need it."""
        if not ref:
            raise ValueError("an IRI needs a reference")
        parts = "/".join(quote(part, safe="-._~") for part in ref)
        return NamedNode(f"{self.base}/id/{kind}/{parts}")

    def graph(self, *ref: str) -> NamedNode:
        return NamedNode(f"{self.base}/graph/" + "/".join(quote(p, safe="-._~") for p in ref))

    # The named kinds of docs/model.md, so that callers cannot misspell a type segment.
    def agreement(self, slug: str) -> NamedNode:
        """``{base}/id/regeerakkoord/{slug}``: the agreement a declaration in ``data/`` names."""
        return self.thing(AGREEMENT_KIND, slug)

    def agreement_slug(self, iri: NamedNode) -> str | None:
        """The slug of the agreement ``iri`` names; None when it names no agreement."""
        prefix = f"{self.base}/id/{AGREEMENT_KIND}/"
        rest = iri.value.removeprefix(prefix)
        return rest if iri.value.startswith(prefix) and rest and "/" not in rest else None

    def within(self, agreement_slug: str) -> AgreementMinter:
        """The minter of what is part of one agreement: chapters, sections, reports, graphs."""
        return AgreementMinter(self, agreement_slug)

    def decision(self, kaleidos_id: str) -> NamedNode:
        return self.thing("beslissing", kaleidos_id)

    def organisation(self, slug: str) -> NamedNode:
        return self.thing("organisatie", slug)

    def person(self, slug: str) -> NamedNode:
        return self.thing("persoon", slug)

    def source(self, slug: str) -> NamedNode:
        return self.thing("bron", slug)

    def software(self, slug: str) -> NamedNode:
        """``{base}/id/software/{slug}``: a program that acted in making the data (a model)."""
        return self.thing("software", slug)

    def plan(self, slug: str) -> NamedNode:
        """``{base}/id/werkwijze/{slug}``: a method followed to make something (a prov:Plan)."""
        return self.thing("werkwijze", slug)

    def suggestion(self, part: NamedNode, decision: NamedNode) -> NamedNode:
        """``{base}/id/regeerakkoord/{agreement}/suggestie/{chapter}[/{number}]/{decision id}``:
        a decision suggested as evidence for a section (or chapter), named by both, so that it
        keeps its IRI when its rank changes."""
        prefix = f"{self.base}/id/{AGREEMENT_KIND}/"
        agreement, _, rest = part.value.removeprefix(prefix).partition("/")
        kind, _, where = rest.partition("/")
        if not part.value.startswith(prefix) or kind not in ("sectie", "hoofdstuk") or not where:
            raise ValueError(f"<{part.value}> names no section or chapter")
        decision_id = decision.value.rstrip("/").rsplit("/", 1)[-1]
        return NamedNode(f"{prefix}{agreement}/suggestie/{where}/{quote(decision_id, safe='-._~')}")


AGREEMENT_KIND = "regeerakkoord"


@dataclass(frozen=True)
class AgreementMinter:
    """Mints what belongs to one agreement under the agreement's own IRI.

    Chapter names and section numbers repeat from one agreement to the next ("4.3.2" of
    "Buitenlands beleid en toerisme" may be in the next one too), so they only name something
    within their agreement: ``{base}/id/regeerakkoord/{agreement}/sectie/{chapter}/{number}``.
    Its named graphs sit under ``{base}/graph/regeerakkoord/{agreement}``.
    """

    minter: Minter
    slug: str

    @property
    def iri(self) -> NamedNode:
        return self.minter.agreement(self.slug)

    def _thing(self, kind: str, *ref: str) -> NamedNode:
        return self.minter.thing(AGREEMENT_KIND, self.slug, kind, *ref)

    def chapter(self, chapter_slug: str) -> NamedNode:
        return self._thing("hoofdstuk", chapter_slug)

    def section(self, chapter_slug: str, number: str) -> NamedNode:
        _check_number(number)
        return self._thing("sectie", chapter_slug, number)

    def report(self, chapter_slug: str, number: str | None) -> NamedNode:
        return self._thing("beoordeling", chapter_slug, *_number_part(number))

    def claim(self, chapter_slug: str, number: str | None, position: int) -> NamedNode:
        return self._thing("bewering", chapter_slug, *_number_part(number), str(position))

    def reference(self, chapter_slug: str, number: str | None, ref_number: int) -> NamedNode:
        return self._thing("referentie", chapter_slug, *_number_part(number), str(ref_number))

    def generation(self, chapter_slug: str, number: str | None) -> NamedNode:
        return self._thing("generatie", chapter_slug, *_number_part(number))

    def prompt(self, chapter_slug: str, number: str | None) -> NamedNode:
        return self._thing("prompt", chapter_slug, *_number_part(number))

    def answer(self, chapter_slug: str, number: str | None) -> NamedNode:
        return self._thing("antwoord", chapter_slug, *_number_part(number))

    def candidate(self, chapter_slug: str, number: str | None, index: int) -> NamedNode:
        return self._thing("kandidaat", chapter_slug, *_number_part(number), str(index))

    def graph(self) -> NamedNode:
        """The graph of the agreement's text: the agreement, its chapters and its sections."""
        return self.minter.graph(AGREEMENT_KIND, self.slug)

    def report_graph(self, chapter_slug: str, number: str | None) -> NamedNode:
        return self.minter.graph(
            AGREEMENT_KIND, self.slug, "beoordeling", chapter_slug, *_number_part(number)
        )

    def mentions_graph(self) -> NamedNode:
        return self.minter.graph(AGREEMENT_KIND, self.slug, "vermeldingen")

    def generation_graph(self, chapter_slug: str, number: str | None) -> NamedNode:
        return self.minter.graph(
            AGREEMENT_KIND, self.slug, "generatie", chapter_slug, *_number_part(number)
        )


# Before IRIs carried their agreement, the one agreement there was minted these kinds straight
# under /id/ and its graphs straight under /graph/. Those IRIs were published; they still name
# the same things, now in the agreement a declaration says held them (see ``moved_iri``).
_FORMER_THINGS = ("hoofdstuk", "sectie", "beoordeling", "bewering", "referentie")
_FORMER_GRAPHS = {"regeerakkoord": "", "vermeldingen": "/vermeldingen"}


def moved_iri(iri: str, base: str, agreement_slug: str) -> str | None:
    """The IRI an IRI of the former, agreement-less form names now; None for any other IRI.

    ``agreement_slug`` is the agreement that was minted in the former form.
    """
    if not iri.startswith(base + "/"):
        return None
    path = iri[len(base) :]
    under = f"{base}/{{}}/{AGREEMENT_KIND}/{agreement_slug}"
    kind, _, rest = path.removeprefix("/id/").partition("/")
    if path.startswith("/id/") and kind in _FORMER_THINGS and rest:
        return f"{under.format('id')}/{kind}/{rest}"
    graph = path.removeprefix("/graph/")
    if path.startswith("/graph/") and graph in _FORMER_GRAPHS:
        return under.format("graph") + _FORMER_GRAPHS[graph]
    if path.startswith("/graph/beoordeling/"):
        return f"{under.format('graph')}/{graph}"
    return None


def _check_number(number: str) -> None:
    if not _SECTION_NUMBER.match(number):
        raise ValueError(f"not a section number: {number!r}")


def _number_part(number: str | None) -> tuple[str, ...]:
    """A chapter-level report (Media, Dierenwelzijn) has no section number of its own."""
    if number is None:
        return ()
    _check_number(number)
    return (number,)


@dataclass(frozen=True)
class UrlMapper:
    """Maps IRIs under the base IRI to URLs under the public URL, and back.

    The same data is then served from localhost and from its public domain without rewriting it.
    """

    base_iri: str
    public_url: str

    def to_url(self, iri: str) -> str:
        if iri.startswith(self.base_iri + "/"):
            return self.public_url + iri[len(self.base_iri) :]
        return iri

    def to_iri(self, url: str) -> str:
        if url.startswith(self.public_url + "/"):
            return self.base_iri + url[len(self.public_url) :]
        return url
