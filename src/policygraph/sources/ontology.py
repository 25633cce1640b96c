"""The ontology and its code lists, loaded as data so that labels and definitions are queryable."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Triple

from policygraph.namespaces import ONTOLOGY_IRI, Minter, slugify
from policygraph.rdfio import read_quads
from policygraph.sources import SourceDocument, SourceGraph


def read_ontology(ontology_dir: Path, minter: Minter) -> list[SourceGraph]:
    graphs = []
    for path in sorted(Path(ontology_dir).glob("*.ttl")):
        slug = "ontologie-" + slugify(path.stem)
        document = SourceDocument(
            slug=slug,
            title=f"policygraph ontology file {path.name}",
            path=path,
            relative_path=f"ontology/{path.name}",
            origin=ONTOLOGY_IRI,
            license="https://creativecommons.org/licenses/by/4.0/",
            media_type="text/turtle",
        )
        triples = tuple(Triple(q.subject, q.predicate, q.object) for q in read_quads(path))
        graphs.append(
            SourceGraph(
                name=minter.graph("ontologie", slugify(path.stem)),
                title=f"Ontologie / ontology: {path.name}",
                document=document,
                triples=triples,
            )
        )
    return graphs
