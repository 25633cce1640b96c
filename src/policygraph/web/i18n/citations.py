"""The words that say how well a citation holds (the partial ld/citation_support.html and the
home page's chart of weak and unsupported citations per chapter)."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "support_supported": "gesteund",
        "support_weak": "zwak",
        "support_unsupported": "niet gesteund",
        "support_label": "Steun van deze citatie (automatisch gemeten)",
        "support_similarity": "gelijkenis {:.2f}",
        "support_among": "bij de {} kandidaten van het model",
        "support_not_among": "niet bij de {} kandidaten van het model",
        "support_inside_legislature": "gedateerd binnen de legislatuur",
        "support_outside_legislature": "gedateerd buiten de legislatuur",
        "support_inside_period": "binnen de jaren die de bewering noemt",
        "support_outside_period": "buiten de jaren die de bewering noemt",
        "support_terms": "{} van {} specifieke termen gevonden",
        "support_no_terms": "geen specifieke termen",
        "support_chart_title": "Zwakke en niet gesteunde citaties per hoofdstuk",
        "support_chart_intro": (
            "Per hoofdstuk het aandeel van de citaties (bewering → beslissing) dat een "
            "automatische meting zwak of niet gesteund vindt: een aanwijzing om de beslissing "
            "te lezen, geen oordeel."
        ),
        "support_citations": "citaties",
        "support_weak_share": "aandeel zwak",
        "support_unsupported_share": "aandeel niet gesteund",
    },
    "en": {
        "support_supported": "supported",
        "support_weak": "weak",
        "support_unsupported": "unsupported",
        "support_label": "Support of this citation (measured automatically)",
        "support_similarity": "similarity {:.2f}",
        "support_among": "among the model's {} candidates",
        "support_not_among": "not among the model's {} candidates",
        "support_inside_legislature": "dated inside the legislature",
        "support_outside_legislature": "dated outside the legislature",
        "support_inside_period": "inside the years the claim names",
        "support_outside_period": "outside the years the claim names",
        "support_terms": "{} of {} specific terms found",
        "support_no_terms": "no specific terms",
        "support_chart_title": "Weak and unsupported citations per chapter",
        "support_chart_intro": (
            "Per chapter, the share of citations (claim → decision) that an automatic "
            "measurement finds weak or unsupported: a prompt to read the decision, not a verdict."
        ),
        "support_citations": "citations",
        "support_weak_share": "share weak",
        "support_unsupported_share": "share unsupported",
    },
}
