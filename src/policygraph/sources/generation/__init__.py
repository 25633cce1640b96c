"""How each assessment report was generated (``corpus/generation/``): the prompt a language model
was sent for a section (its text and the candidate decisions retrieved for it), the model's raw
answer, and the check that the published report's references name the decisions the raw answer
cited (``renumbering``). ``parse`` reads a folder, ``graph`` maps it to RDF, ``corpus`` reads
every folder of an agreement."""
