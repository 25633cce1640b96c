"""The declared agreement 2019-2024, which the source tests read the corpus as."""

from __future__ import annotations

from pathlib import Path

import pytest

from policygraph.namespaces import AgreementMinter, Minter
from policygraph.sources.agreement import Agreement, read_agreements

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


def declared_agreement(slug: str = "2019-2024") -> Agreement:
    return next(a for a in read_agreements(DATA_DIR) if a.slug == slug)


@pytest.fixture(scope="session")
def agreement() -> Agreement:
    return declared_agreement()


@pytest.fixture(scope="module")
def iris(minter: Minter, agreement: Agreement) -> AgreementMinter:
    return agreement.iris(minter)
