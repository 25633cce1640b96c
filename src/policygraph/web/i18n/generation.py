"""The words that say how an assessment was made (the partial template ld/generation.html)."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "gen_heading": "Hoe deze beoordeling gemaakt is",
        "gen_written": (
            "Geschreven door een taalmodel ({model}), {month}. Het kreeg {shown} beslissingen "
            "te zien, gekozen op gelijkenis met {embedder}, en citeerde er {cited}."
        ),
        "gen_written_no_report": (
            "Het taalmodel {model} kreeg hier in {month} {shown} beslissingen te zien en "
            "citeerde er {cited}; van zijn antwoord is geen beoordeling gepubliceerd."
        ),
        "gen_months": "januari februari maart april mei juni juli augustus september oktober "
        "november december",
        "gen_candidates": (
            "De beslissingen die het model te zien kreeg, in de volgorde van de prompt"
        ),
        "gen_cited": "geciteerd",
        "gen_not_cited": "niet geciteerd",
        "gen_no_decision": "geen gekende beslissing met deze tekst",
        "gen_renumbering": "Klopt de nummering van de referenties met het ruwe antwoord?",
        "gen_renumbering_counts": (
            "{agrees} kloppen, {disagrees} kloppen niet, {cannot} niet te beoordelen"
        ),
        "gen_reference": "referentie",
        "gen_prompt_index": "index in de prompt",
        "gen_renumbering-agrees": "klopt",
        "gen_renumbering-disagrees": "klopt niet",
        "gen_renumbering-cannot-tell": "niet te beoordelen",
    },
    "en": {
        "gen_heading": "How this assessment was made",
        "gen_written": (
            "Written by a language model ({model}), {month}. It was shown {shown} decisions, "
            "retrieved by similarity with {embedder}, and cited {cited}."
        ),
        "gen_written_no_report": (
            "The language model {model} was shown {shown} decisions here in {month} and cited "
            "{cited}; no assessment was published from its answer."
        ),
        "gen_months": "January February March April May June July August September October "
        "November December",
        "gen_candidates": "The decisions the model was shown, in prompt order",
        "gen_cited": "cited",
        "gen_not_cited": "not cited",
        "gen_no_decision": "no known decision has this text",
        "gen_renumbering": "Does the numbering of the references agree with the raw answer?",
        "gen_renumbering_counts": "{agrees} agree, {disagrees} disagree, {cannot} cannot be told",
        "gen_reference": "reference",
        "gen_prompt_index": "prompt index",
        "gen_renumbering-agrees": "agrees",
        "gen_renumbering-disagrees": "disagrees",
        "gen_renumbering-cannot-tell": "cannot tell",
    },
}
