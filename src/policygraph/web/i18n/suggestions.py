"""The words of machine suggestions (the partial template ld/suggestions.html)."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "sug_heading": "Beslissingen die de beoordeling niet citeert en die verwant lijken",
        "sug_note": (
            "Machinevoorstellen, geen oordeel: deze beslissingen lijken in hun woorden op de "
            "tekst van deze sectie, maar de beoordeling citeert ze niet. Niemand heeft ze "
            "nagelezen."
        ),
        "sug_method": "Hoe ze gekozen zijn",
        "sug_rank": "rang",
        "sug_score": "score",
        "sug_for_heading": "Voorgesteld (door een machine) bij secties",
        "sug_for_note": (
            "Machinevoorstellen: secties waarvan de beoordeling deze beslissing niet citeert, "
            "terwijl ze op hun tekst lijkt. Dit zijn geen citaten."
        ),
    },
    "en": {
        "sug_heading": "Decisions the assessment did not cite that look related",
        "sug_note": (
            "Machine suggestions, not a judgement: these decisions resemble this section's "
            "text in their words, but the assessment does not cite them. Nobody has reviewed "
            "them."
        ),
        "sug_method": "How they were chosen",
        "sug_rank": "rank",
        "sug_score": "score",
        "sug_for_heading": "Suggested (by a machine) for sections",
        "sug_for_note": (
            "Machine suggestions: sections whose assessment does not cite this decision while "
            "it resembles their text. These are not citations."
        ),
    },
}
