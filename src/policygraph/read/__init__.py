"""Read models over a store: what a resource is, the evidence about the agreement, VoID, dumps,
counts, the ontology's documentation and the example queries. Plain values; no web framework."""
