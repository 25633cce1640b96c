"""The words of researchers' verdicts: the block on a section's page, the form, the home
chart, the codebook of the coded dataset and the change feeds."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "verdicts_heading": "Oordelen van onderzoekers",
        "verdicts_none": "Nog geen onderzoeker heeft over dit deel een oordeel geveld.",
        "verdicts_history": "Geschiedenis",
        "verdict_motivation_assessing": "oordeel",
        "verdict_motivation_editing": "correctie van een citaat",
        "verdict_motivation_commenting": "opmerking",
        "verdict_on_part": "over een bewering of referentie",
        "verdict_retracted": "ingetrokken op",
        "verdict_should_cite": "had moeten citeren:",
        "verdict_form_heading": "Uw oordeel ({account})",
        "verdict_label": "Oordeel",
        "verdict_comment": "Toelichting",
        "verdict_evidence": "Beslissingen als bewijs (een IRI per regel)",
        "verdict_submit": "Oordeel bewaren",
        "verdicts_chart_title": "Oordelen van onderzoekers per hoofdstuk",
        "verdicts_chart_empty": "Nog geen oordelen.",
        "codebook_title": "Codeboek van de oordelen",
        "codebook_link_about": "wat elke kolom van verdicts.csv en elk oordeel betekent.",
        "table_verdicts": (
            "Een rij per deel van het regeerakkoord en onderzoeker: het huidige oordeel, "
            "de datum, de toelichting en de beslissingen als bewijs."
        ),
        "codebook_col_section": "De IRI van het deel van het regeerakkoord (sectie of hoofdstuk).",
        "codebook_col_section_number": "Het nummer van dat deel in het regeerakkoord (4.3.2).",
        "codebook_col_chapter": "De titel van het hoofdstuk waarin het deel staat.",
        "codebook_col_annotator": "De accountnaam van de onderzoeker die het oordeel gaf.",
        "codebook_col_verdict": "De code van het oordeel op de schaal hieronder.",
        "codebook_col_verdict_label": "Het Engelse label van dat oordeel.",
        "codebook_col_date": "Wanneer het oordeel gegeven werd (xsd:dateTime, UTC).",
        "codebook_col_comment": "De toelichting van de onderzoeker (platte tekst), of leeg.",
        "codebook_col_evidence": (
            "De id's (mu:uuid) van de beslissingen die als bewijs aangehaald worden, "
            "gescheiden door ;."
        ),
        "codebook_col_annotation": (
            "De IRI van de annotatie (oa:Annotation) die het oordeel vastlegt, met zijn "
            "geschiedenis in de graaf van de onderzoeker."
        ),
        "codebook_intro": (
            "verdicts.csv heeft een rij per deel van het regeerakkoord en per onderzoeker: het "
            "huidige oordeel van die onderzoeker (het nieuwste dat niet ingetrokken is)."
        ),
        "codebook_columns": "Kolommen",
        "codebook_column": "kolom",
        "codebook_meaning": "betekenis",
        "codebook_scale": "De schaal",
        "codebook_notation": "code",
        "codebook_definition": "definitie",
        "codebook_download": "Downloaden",
        "codebook_no_scale": "De schaal staat (nog) niet in de gepubliceerde versie.",
        "feed_title": "policygraph: wijzigingen",
        "feed_subtitle": (
            "Nieuwe en gewijzigde beslissingen, oordelen, correcties en intrekkingen."
        ),
        "feed_decision_create": "Nieuwe beslissing",
        "feed_decision_update": "Gewijzigde beslissing",
        "feed_decision_delete": "Verdwenen beslissing",
        "feed_assessing_create": "Oordeel",
        "feed_editing_create": "Correctie van een citaat",
        "feed_commenting_create": "Opmerking",
        "feed_annotation_undo": "Ingetrokken",
        "feed_by": "door",
    },
    "en": {
        "verdicts_heading": "Researchers' verdicts",
        "verdicts_none": "No researcher has given a verdict on this part yet.",
        "verdicts_history": "History",
        "verdict_motivation_assessing": "verdict",
        "verdict_motivation_editing": "correction of a citation",
        "verdict_motivation_commenting": "comment",
        "verdict_on_part": "on a claim or reference",
        "verdict_retracted": "retracted on",
        "verdict_should_cite": "should have cited:",
        "verdict_form_heading": "Your verdict ({account})",
        "verdict_label": "Verdict",
        "verdict_comment": "Comment",
        "verdict_evidence": "Decisions as evidence (one IRI per line)",
        "verdict_submit": "Save verdict",
        "verdicts_chart_title": "Researchers' verdicts per chapter",
        "verdicts_chart_empty": "No verdicts yet.",
        "codebook_title": "Codebook of the verdicts",
        "codebook_link_about": "what each column of verdicts.csv and each verdict means.",
        "table_verdicts": (
            "One row per part of the agreement and researcher: the current verdict, its date, "
            "comment and the decisions cited as evidence."
        ),
        "codebook_col_section": (
            "The IRI of the part of the coalition agreement (section or chapter)."
        ),
        "codebook_col_section_number": "The number of that part in the agreement (4.3.2).",
        "codebook_col_chapter": "The title of the chapter the part is in.",
        "codebook_col_annotator": "The account name of the researcher who gave the verdict.",
        "codebook_col_verdict": "The code of the verdict on the scale below.",
        "codebook_col_verdict_label": "The English label of that verdict.",
        "codebook_col_date": "When the verdict was given (xsd:dateTime, UTC).",
        "codebook_col_comment": "The researcher's comment (plain text), or empty.",
        "codebook_col_evidence": (
            "The ids (mu:uuid) of the decisions cited as evidence, separated by ;."
        ),
        "codebook_col_annotation": (
            "The IRI of the annotation (oa:Annotation) that records the verdict, with its "
            "history in the researcher's graph."
        ),
        "codebook_intro": (
            "verdicts.csv has one row per part of the coalition agreement and per researcher: "
            "that researcher's current verdict (the newest not retracted)."
        ),
        "codebook_columns": "Columns",
        "codebook_column": "column",
        "codebook_meaning": "meaning",
        "codebook_scale": "The scale",
        "codebook_notation": "code",
        "codebook_definition": "definition",
        "codebook_download": "Download",
        "codebook_no_scale": "The scale is not in the published version (yet).",
        "feed_title": "policygraph: changes",
        "feed_subtitle": "New and changed decisions, verdicts, corrections and retractions.",
        "feed_decision_create": "New decision",
        "feed_decision_update": "Changed decision",
        "feed_decision_delete": "Decision gone",
        "feed_assessing_create": "Verdict",
        "feed_editing_create": "Correction of a citation",
        "feed_commenting_create": "Comment",
        "feed_annotation_undo": "Retracted",
        "feed_by": "by",
    },
}
