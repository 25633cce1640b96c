"""pySHACL's parallel validation tells its progress as shape groups done of total."""

from __future__ import annotations

from pathlib import Path

from policygraph.config import load_settings
from policygraph.rdfio import read_quads
from policygraph.validation.shacl import SHACL_STEP, load_ontology, load_shapes, validate

VALID = Path(__file__).resolve().parents[1] / "shapes" / "valid"


class Tallies:
    """A Progress that keeps what it is told."""

    def __init__(self) -> None:
        self.told: list[tuple[str, int, int, str]] = []

    def start(self, step: str, total: int | None = None) -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        pass

    def tally(self, step: str, done: int, total: int, unit: str) -> None:
        self.told.append((step, done, total, unit))

    def finish(self, step: str, detail: str = "") -> None:
        pass


def test_shape_groups_are_counted_as_they_finish():
    quads = [q for file in sorted(VALID.glob("*.ttl")) for q in read_quads(file)]
    tallies = Tallies()
    settings = load_settings(env={})
    report = validate(
        quads,
        load_shapes(settings.shapes_dir),
        ontology=load_ontology(settings.ontology_dir),
        processes=2,
        progress=tallies,
        validator="pyshacl",
    )
    assert report.conforms
    total = tallies.told[-1][2]
    assert total > 2  # more groups than processes, so that the count moves
    assert tallies.told == [(SHACL_STEP, n, total, "shape groups") for n in range(1, total + 1)]
