"""Rendering that needs no web framework: SVG charts, the ontology's class diagram, escaping, and
the README's generated blocks."""
