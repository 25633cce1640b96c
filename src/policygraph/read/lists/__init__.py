"""Browsable lists: every IRI pattern's parent (``/id/beslissing/``…) lists its members.

``model`` says what a list is (columns, facets, orders, pages); one module per family reads
the rows from the store (``decisions``, ``agreement``, ``reports``, ``things``, ``graphs`` for
``/graph/``); ``hydra`` gives a page as RDF. The lists are those a person browses; the parts
that have no meaning alone (a claim, a reference, a monetary amount, a launch) are reached from
the page of what they belong to.
"""

from __future__ import annotations

from policygraph.read.lists.agreement import AGREEMENTS, CHAPTERS, SECTIONS
from policygraph.read.lists.decisions import DECISIONS
from policygraph.read.lists.graphs import GRAPHS
from policygraph.read.lists.hydra import hydra_triples
from policygraph.read.lists.model import (
    DEFAULT_PER_PAGE,
    MAX_PER_PAGE,
    Choice,
    Column,
    ListData,
    ListKind,
    ListPage,
    ListParameterError,
    PageNotFoundError,
    Row,
    Selection,
    list_data,
    page_of,
    parse_selection,
    selected,
)
from policygraph.read.lists.reports import REPORTS
from policygraph.read.lists.things import CAMPAIGNS, ORGANISATIONS, PERSONS

TOP_LISTS: dict[str, ListKind] = {
    "beslissing": DECISIONS,
    "organisatie": ORGANISATIONS,
    "campagne": CAMPAIGNS,
    "persoon": PERSONS,
    "regeerakkoord": AGREEMENTS,
}
"""The lists at ``{base}/id/{segment}/``."""
AGREEMENT_LISTS: dict[str, ListKind] = {
    "hoofdstuk": CHAPTERS,
    "sectie": SECTIONS,
    "beoordeling": REPORTS,
}
"""The lists at ``{base}/id/regeerakkoord/{agreement}/{segment}/``."""

__all__ = [
    "AGREEMENTS",
    "AGREEMENT_LISTS",
    "CAMPAIGNS",
    "CHAPTERS",
    "DECISIONS",
    "DEFAULT_PER_PAGE",
    "GRAPHS",
    "MAX_PER_PAGE",
    "ORGANISATIONS",
    "PERSONS",
    "REPORTS",
    "SECTIONS",
    "TOP_LISTS",
    "Choice",
    "Column",
    "ListData",
    "ListKind",
    "ListPage",
    "ListParameterError",
    "PageNotFoundError",
    "Row",
    "Selection",
    "hydra_triples",
    "list_data",
    "page_of",
    "parse_selection",
    "selected",
]
