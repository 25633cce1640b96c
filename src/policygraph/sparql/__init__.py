"""SPARQL text: the one lexer, and what is built on it (inspecting a query, binding values)."""
