"""Inputs made to hurt, shared by the tests of the layers that must refuse them."""

from __future__ import annotations

RDF_XML = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
{entities}]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="&ex;a"><ex:p>{value}</ex:p></rdf:Description>
</rdf:RDF>
"""


def entity_laughs(levels: int) -> str:
    """RDF/XML with nested entity declarations, each ten of the one before: its one literal
    holds 10**levels copies of "lol" (levels 9: the "billion laughs", under 1.5 KB)."""
    declarations = ['  <!ENTITY ex "http://example.org/">', '  <!ENTITY lol0 "lol">']
    declarations += [
        f'  <!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, levels + 1)
    ]
    return RDF_XML.format(entities="\n".join(declarations) + "\n", value=f"&lol{levels};")
