"""What a list is made of: its columns, facets and orders, the rows a store gives it, and a page.

A list is read whole from the store once per version and language (a few thousand rows at
most) and sorted once in each of its orders; every filter, order and page a request asks for is
then a selection from that one value.
All the pages of one version are therefore slices of one sequence, so paging through them lists
each member exactly once, and the order is total: every sort ends on the member's IRI.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from pyoxigraph import Literal, NamedNode, QuerySolution, QuerySolutions, Variable

from policygraph.namespaces import sparql_prologue
from policygraph.read.describe import best_literal
from policygraph.read.evidence.rows import Link, text
from policygraph.store import GraphStore

Cell = str | int | bool | date | Link | None
"""A value of a row: text, a count, a yes/no, a date, or another resource with its label."""

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500


_PROLOGUE = sparql_prologue(("pg", "dct", "cito", "skos", "schema", "foaf", "org", "prov"))


def select(store: GraphStore, query: str, collection: str | None = None) -> list[QuerySolution]:
    """The solutions of ``query``, its ``?collection`` bound to the list's IRI when given (the
    variable is in the projection: pyoxigraph binds only projected variables)."""
    bound = {Variable("collection"): NamedNode(collection)} if collection is not None else None
    result = store.query(_PROLOGUE + query, substitutions=bound)
    if not isinstance(result, QuerySolutions):
        raise TypeError("expected SELECT solutions")
    return list(result)


def grouped(
    store: GraphStore, query: str, collection: str, key: str
) -> dict[str, list[QuerySolution]]:
    """The solutions of ``query`` grouped by the IRI in ``key`` (one list member each)."""
    groups: dict[str, list[QuerySolution]] = defaultdict(list)
    for row in select(store, query, collection):
        groups[text(row, key) or ""].append(row)
    return groups


def best_text(rows: Sequence[QuerySolution], name: str, language: str) -> str | None:
    """The value of ``name`` in the language asked for, else in another, else any."""
    chosen = best_literal((r[name] for r in rows if isinstance(r[name], Literal)), language)
    return None if chosen is None else chosen.value


class ListParameterError(ValueError):
    """A request asked for a filter, order or page the list does not have (a client's fault)."""


class PageNotFoundError(LookupError):
    """A page past the last one."""


@dataclass(frozen=True)
class Column:
    key: str
    """The row's value, the CSV header and the word of the column heading (``col_{key}``)."""
    kind: str = "text"
    """``title`` (the row's own label, linked to it), ``text``, ``date``, ``number``, ``flag``
    (yes or no) or ``link`` (another resource)."""


@dataclass(frozen=True)
class Row:
    iri: str
    values: Mapping[str, Cell]

    def get(self, key: str) -> Cell:
        return self.values.get(key)

    @property
    def title(self) -> str:
        """Its title; else the start of its text (an ``excerpt``); else its IRI's last part."""
        for key in ("title", "excerpt"):
            value = self.values.get(key)
            if value:
                return str(value)
        return self.iri.rstrip("/").rsplit("/", 1)[-1]

    @property
    def titled(self) -> bool:
        return bool(self.values.get("title"))


@dataclass(frozen=True)
class Choice:
    """A value a facet can be set to, in words, and how many rows have it."""

    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Facet:
    """A filter: the rows whose ``value`` is the one asked for."""

    name: str
    """The query parameter, and the word of its label (``facet_{name}``)."""
    value: Callable[[Row], str | None]
    pattern: str | None = None
    """For an open facet (a year), the form every value must have; a closed facet (a kind)
    accepts only the values its rows have."""
    label: Callable[[Row], str] | None = None
    """The words for a row's value, when they are not the value itself."""
    order: Callable[[str, str], object] | None = None
    """How the choices are ordered, from (value, label); by label without it."""

    def choices(self, rows: Sequence[Row]) -> list[Choice]:
        """The values the rows have, with their words and how many rows have each, in order."""
        counts: Counter[str] = Counter()
        labels: dict[str, str] = {}
        for row in rows:
            value = self.value(row)
            if value is not None:
                counts[value] += 1
                labels.setdefault(value, self.label(row) if self.label else value)
        order = self.order or (lambda value, label: (_sort_text(label), value))
        found = [Choice(value, labels[value], n) for value, n in counts.items()]
        return sorted(found, key=lambda c: order(c.value, c.label))  # type: ignore[arg-type,return-value]

    def check(self, wanted: str, choices: Sequence[Choice]) -> str:
        if self.pattern is not None:
            if not re.fullmatch(self.pattern, wanted):
                raise ListParameterError(f"{self.name}={wanted!r} is not a valid {self.name}")
            return wanted
        known = [choice.value for choice in choices]
        if wanted not in known:
            raise ListParameterError(
                f"{self.name}={wanted!r} is not one of: {', '.join(known) or '(none)'}"
            )
        return wanted


@dataclass(frozen=True)
class Order:
    """An order of the rows: by ``key`` ascending; ``-{name}`` asks for it descending."""

    name: str
    key: Callable[[Row], object]
    """A comparable value; None sorts last whichever way the order goes."""


@dataclass(frozen=True)
class ListKind:
    name: str
    """``decisions``, ``sections``…: the word of the title (``list_{name}``), the CSV's name."""
    columns: tuple[Column, ...]
    read: Callable[[GraphStore, str, str], list[Row]]
    """``read(store, collection_iri, language)``: every member, in any order."""
    facets: tuple[Facet, ...] = ()
    orders: tuple[Order, ...] = ()
    default_order: str = ""
    """The order without ``sort=``: an order's name, ``-`` before it for descending."""

    def facet(self, name: str) -> Facet | None:
        return next((f for f in self.facets if f.name == name), None)


@dataclass(frozen=True)
class ListData:
    """A list as read from one version: its rows, its facets' values with their counts, and its
    rows in each of its orders, sorted once."""

    kind: ListKind
    rows: tuple[Row, ...]
    facets: dict[str, list[Choice]]
    ordered: dict[str, tuple[tuple[Row, ...], tuple[Row, ...]]]
    """Per order: the rows that have its key, ascending (ties by IRI), and those without."""


def list_data(kind: ListKind, rows: Sequence[Row]) -> ListData:
    by_iri = sorted(rows, key=lambda row: row.iri)
    ordered = {}
    for order in kind.orders:
        keyed = [(order.key(row), row) for row in by_iri]
        present = [(key, row) for key, row in keyed if key is not None]
        present.sort(key=lambda pair: pair[0])  # type: ignore[arg-type,return-value]
        missing = tuple(row for key, row in keyed if key is None)
        ordered[order.name] = (tuple(row for _, row in present), missing)
    return ListData(kind, tuple(rows), {f.name: f.choices(rows) for f in kind.facets}, ordered)


@dataclass(frozen=True)
class Selection:
    """What a request asks of a list: its filters, its order, its page."""

    filters: tuple[tuple[str, str], ...] = ()
    order: str = ""
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    def collection_parameters(self, kind: ListKind) -> list[tuple[str, str]]:
        """The parameters that name the filtered list itself (not one page of it)."""
        sort = [] if self.order in ("", kind.default_order) else [("sort", self.order)]
        return sorted([*self.filters, *sort])


@dataclass(frozen=True)
class ListPage:
    kind: ListKind
    selection: Selection
    rows: tuple[Row, ...]
    """The rows of this page."""
    total: int
    """The rows of the whole filtered list."""
    facets: dict[str, list[Choice]] = field(default_factory=dict)
    """Every facet's values with their counts, over the unfiltered list."""

    @property
    def page(self) -> int:
        return self.selection.page

    @property
    def per_page(self) -> int:
        return self.selection.per_page

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_index(self) -> int:
        """The 1-based position of the page's first row in the list (0 when it is empty)."""
        return (self.page - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last_index(self) -> int:
        return (self.page - 1) * self.per_page + len(self.rows)


def parse_selection(data: ListData, params: Mapping[str, Sequence[str]]) -> Selection:
    """The selection ``params`` asks for (each name given at most once); ListParameterError
    says what is wrong with it."""

    def one(name: str) -> str | None:
        values = params.get(name) or ()
        if len(values) > 1:
            raise ListParameterError(f"{name} is given {len(values)} times; give it once")
        return values[0].strip() if values else None

    kind = data.kind
    filters = []
    for facet in kind.facets:
        wanted = one(facet.name)
        if wanted:
            filters.append((facet.name, facet.check(wanted, data.facets[facet.name])))
    order = one("sort") or kind.default_order
    if order.removeprefix("-") not in {o.name for o in kind.orders}:
        names = ", ".join(f"{o.name}, -{o.name}" for o in kind.orders)
        raise ListParameterError(f"sort={order!r} is not one of: {names}")
    return Selection(
        filters=tuple(filters),
        order=order,
        page=_positive(one("page"), "page", 1, None),
        per_page=_positive(one("per_page"), "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE),
    )


def _positive(raw: str | None, name: str, default: int, most: int | None) -> int:
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1 or len(raw) > 9:
        raise ListParameterError(f"{name} must be a positive whole number, not {raw!r}")
    value = int(raw)
    if most is not None and value > most:
        raise ListParameterError(f"{name} is at most {most}, not {value}")
    return value


def selected(data: ListData, selection: Selection) -> list[Row]:
    """Every row of the filtered list, in the selection's order: ties by IRI (descending, the
    exact reverse of ascending), rows without the order's value last either way."""
    kind = data.kind
    present, missing = data.ordered[selection.order.removeprefix("-")]
    ordered = [*(reversed(present) if selection.order.startswith("-") else present), *missing]
    for name, value in selection.filters:
        facet = kind.facet(name)
        ordered = [row for row in ordered if facet is not None and facet.value(row) == value]
    return ordered


def page_of(data: ListData, selection: Selection, chosen: Sequence[Row] | None = None) -> ListPage:
    """One page of the selection (of ``chosen``, when its rows are selected already);
    PageNotFoundError past the last page (an empty list has one, empty, page)."""
    if chosen is None:
        chosen = selected(data, selection)
    start = (selection.page - 1) * selection.per_page
    if selection.page > 1 and start >= len(chosen):
        raise PageNotFoundError(f"page {selection.page} is past the last page of this list")
    return ListPage(
        kind=data.kind,
        selection=selection,
        rows=tuple(chosen[start : start + selection.per_page]),
        total=len(chosen),
        facets=data.facets,
    )


def _sort_text(text: str) -> str:
    if text.isascii():
        return text.casefold()
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if not unicodedata.combining(c)).casefold()


def text_key(key: str) -> Callable[[Row], object]:
    """An order by a text value, without regard to case or accents (é with e)."""

    def of(row: Row) -> object:
        value = row.get(key)
        if isinstance(value, Link):
            value = value.label
        return None if value is None or value == "" else _sort_text(str(value))

    return of


def value_key(key: str) -> Callable[[Row], object]:
    """An order by a date or a number."""
    return lambda row: row.get(key)


def flag(value: Cell) -> str:
    """A yes-or-no facet's value."""
    return "yes" if value else "no"


__all__ = [
    "DEFAULT_PER_PAGE",
    "MAX_PER_PAGE",
    "Cell",
    "Choice",
    "Column",
    "Facet",
    "ListData",
    "ListKind",
    "ListPage",
    "ListParameterError",
    "Order",
    "PageNotFoundError",
    "Row",
    "Selection",
    "best_text",
    "flag",
    "grouped",
    "list_data",
    "page_of",
    "parse_selection",
    "select",
    "selected",
    "text_key",
    "value_key",
]
