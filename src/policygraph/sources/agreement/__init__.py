"""Coalition agreements: each declared in ``data/agreements/*.toml`` (``declaration``), its
outline read from the files the declaration names (``outline``) and mapped to RDF (``graph``)."""

from __future__ import annotations

from policygraph.sources.agreement.declaration import (
    Agreement,
    former_iris_agreement,
    read_agreements,
)
from policygraph.sources.agreement.graph import read_agreement
from policygraph.sources.agreement.outline import (
    AgreementOutline,
    Chapter,
    Section,
    place_of_name,
    read_outline,
)

__all__ = [
    "Agreement",
    "AgreementOutline",
    "Chapter",
    "Section",
    "former_iris_agreement",
    "place_of_name",
    "read_agreement",
    "read_agreements",
    "read_outline",
]
