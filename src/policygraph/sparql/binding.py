"""Putting values into SPARQL text for endpoints that cannot bind them, without splicing.

A local pyoxigraph store binds variables itself (``substitutions``); a remote SPARQL 1.1
endpoint can only be sent text. Values then travel in a ``VALUES`` block whose terms are written
by pyoxigraph's own N-Triples serialiser: an IRI was validated when its ``NamedNode`` was made,
a literal is escaped, and nothing a user typed reaches the query as syntax.

``with_bindings`` puts such a block first in the query's WHERE group, which is how the local
store's substitution behaves for the queries policygraph sends (SEP-0007 binds the variable
throughout the query; a block at the start of the group does the same for every variable that
the group and its sub-patterns use, which is what a linked-data page or a parameterised
competency query needs). It finds that group in the tokens of the one lexer (``lexer.py``), so
braces inside strings, IRIs and comments are not mistaken for structure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pyoxigraph import BlankNode, Literal, NamedNode, Triple, Variable

from policygraph.errors import QueryError
from policygraph.sparql.inspection import QUERY_FORMS, form
from policygraph.sparql.lexer import PUNCT, after_prologue, tokenize

Term = NamedNode | Literal
BindingValue = NamedNode | BlankNode | Literal | Triple


def term(value: BindingValue) -> str:
    """The SPARQL form of an IRI or a literal, as pyoxigraph serialises it (escaped)."""
    if isinstance(value, NamedNode | Literal):
        return str(value)
    raise QueryError(
        f"{value} cannot be sent to a remote endpoint: blank nodes are local to one store and "
        "SPARQL 1.1 has no quoted triples"
    )


def values_block(variables: Sequence[Variable], rows: Sequence[Sequence[BindingValue]]) -> str:
    """``VALUES (?a ?b) { (<x> "y") … }``: one row per tuple of terms."""
    if any(len(row) != len(variables) for row in rows):
        raise ValueError("every row of a VALUES block needs one term per variable")
    head = " ".join(str(v) for v in variables)
    body = " ".join("(" + " ".join(term(t) for t in row) + ")" for row in rows)
    return f"VALUES ({head}) {{ {body} }}"


_MODIFIERS = ("GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES")


def with_bindings(sparql: str, bindings: Mapping[Variable, BindingValue]) -> str:
    """The query with a VALUES block of ``bindings`` first in its WHERE group."""
    if not bindings:
        return sparql
    variables = list(bindings)
    block = values_block(variables, [[bindings[v] for v in variables]])
    tokens = tokenize(sparql)
    start = after_prologue(tokens)
    query = form(tokens)
    if query not in QUERY_FORMS:
        raise QueryError("substitutions need a SELECT, CONSTRUCT, ASK or DESCRIBE query")
    depth = 0
    skip_template = query == "CONSTRUCT"
    for index in range(start + 1, len(tokens)):
        token = tokens[index]
        if token.text == "{" and token.kind == PUNCT:
            if depth == 0 and skip_template:
                if tokens[index - 1].is_keyword("WHERE"):  # CONSTRUCT WHERE { … }
                    raise QueryError("substitutions cannot be sent with CONSTRUCT WHERE { … }")
                skip_template = False
                depth += 1
                continue
            if depth == 0:
                at = token.start + 1
                return sparql[:at] + " " + block + " " + sparql[at:]
            depth += 1
        elif token.text == "}" and token.kind == PUNCT:
            depth -= 1
        elif depth == 0 and query == "DESCRIBE" and token.is_keyword(*_MODIFIERS):
            # DESCRIBE ?x LIMIT 1, without a WHERE group: add one before the modifiers.
            at = token.start
            return sparql[:at] + "WHERE { " + block + " } " + sparql[at:]
    if query == "DESCRIBE":
        return sparql.rstrip() + " WHERE { " + block + " }"
    raise QueryError("no WHERE group found to bind the substitutions in")


# The remote store asks these of the text it sends; their one definition is in ``inspection``.
__all__ = [
    "term",
    "values_block",
    "with_bindings",
]
