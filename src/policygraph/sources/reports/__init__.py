"""Assessment reports, one Markdown file per section: ``parse`` reads a file into the values of
``model`` (its assessment by ``assessment``, over the text helpers of ``markdown``), ``graph``
maps them to RDF, and ``corpus`` reads every report of an agreement into named graphs."""
