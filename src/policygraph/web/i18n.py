"""The words of the linked-data pages in Dutch and English: one table, looked up by key."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "home": "Start",
        "query": "Bevragen",
        "ontology": "Ontologie",
        "void": "Datasetbeschrijving",
        "dumps": "Downloads",
        "formats": "Deze gegevens in",
        "statements": "Uitspraken",
        "property": "eigenschap",
        "value": "waarde",
        "graph": "graaf",
        "graph_holds": "Deze benoemde graaf bevat",
        "triples": "triples",
        "incoming": "Verwijzingen naar deze bron",
        "subject": "bron",
        "page": "pagina",
        "of": "van",
        "next": "volgende",
        "previous": "vorige",
        "also": "Verbonden knopen",
        "text": "Tekst van het regeerakkoord",
        "assessment": "Beoordeling",
        "summary": "Samenvatting",
        "conclusion": "Conclusie",
        "claims": "Beweringen en hun bewijs",
        "part_summary": "samenvatting",
        "part_details": "toelichting",
        "part_conclusion": "conclusie",
        "cites": "citeert",
        "no_decision": "citeert geen beslissing",
        "timeline": "Tijdlijn van de geciteerde beslissingen",
        "no_assessment": "Voor dit onderdeel is er geen beoordeling.",
        "parts": "Onderdelen",
        "chapter": "Hoofdstuk",
        "part_of": "Deel van",
        "named_by": "Organisaties die deze tekst noemt",
        "sections_naming": "Secties die deze organisatie noemen",
        "cited_for_sections": "Beslissingen die de beoordelingen van die secties citeren",
        "campaigns": "Campagnes",
        "linked_decisions": "Beslissingen die naar deze organisatie verwijzen",
        "all_of": "alle",
        "date": "datum",
        "title": "titel",
        "decision": "beslissing",
        "coverage_title": "Dekking van het regeerakkoord: secties per hoofdstuk",
        "with_evidence": "met geciteerde beslissingen",
        "without_evidence": "beoordeeld, zonder geciteerde beslissing",
        "not_assessed": "niet beoordeeld",
        "months_title": "Beslissingen van de Vlaamse Regering per maand",
        "cited": "geciteerd in een beoordeling",
        "not_cited": "niet geciteerd",
        "month": "maand",
        "decisions": "beslissingen",
        "intro": (
            "Het Vlaamse regeerakkoord 2019-2024, de beslissingen van de Vlaamse Regering en de "
            "beoordelingen die per sectie nagaan welke beslissingen het akkoord uitvoeren, als "
            "gekoppelde open data."
        ),
        "start_here": "Begin hier",
        "examples": "Voorbeeldvragen",
        "run": "uitvoeren",
        "language": "English",
        "dumps_graph": "De hele graaf, met de namen van de grafen (RDF)",
        "dumps_tables": "Tabellen voor een rekenblad (CSV)",
        "table_citations": (
            "Eén rij per bewering van een beoordeling en per beslissing die ze citeert, met "
            "de sectie en het hoofdstuk die ze beoordeelt."
        ),
        "table_sections": (
            "Eén rij per te beoordelen onderdeel van het regeerakkoord: beoordeeld of niet, "
            "hoeveel beweringen, hoeveel geciteerde beslissingen."
        ),
        "dump_file": "bestand",
        "dump_rows": "uitspraken of rijen",
        "dump_bytes": "bytes",
        # The generation of an assessment (partial template ld/generation.html).
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
        "home": "Home",
        "query": "Query",
        "ontology": "Ontology",
        "void": "Dataset description",
        "dumps": "Downloads",
        "formats": "This data as",
        "statements": "Statements",
        "property": "property",
        "value": "value",
        "graph": "graph",
        "graph_holds": "This named graph holds",
        "triples": "triples",
        "incoming": "Links to this resource",
        "subject": "resource",
        "page": "page",
        "of": "of",
        "next": "next",
        "previous": "previous",
        "also": "Dependent nodes",
        "text": "Text of the coalition agreement",
        "assessment": "Assessment",
        "summary": "Summary",
        "conclusion": "Conclusion",
        "claims": "Claims and their evidence",
        "part_summary": "summary",
        "part_details": "details",
        "part_conclusion": "conclusion",
        "cites": "cites",
        "no_decision": "cites no decision",
        "timeline": "Timeline of the cited decisions",
        "no_assessment": "There is no assessment of this part.",
        "parts": "Parts",
        "chapter": "Chapter",
        "part_of": "Part of",
        "named_by": "Organisations this text names",
        "sections_naming": "Sections that name this organisation",
        "cited_for_sections": "Decisions the assessments of those sections cite",
        "campaigns": "Campaigns",
        "linked_decisions": "Decisions that link to this organisation",
        "all_of": "all",
        "date": "date",
        "title": "title",
        "decision": "decision",
        "coverage_title": "Coverage of the coalition agreement: sections per chapter",
        "with_evidence": "with cited decisions",
        "without_evidence": "assessed, without a cited decision",
        "not_assessed": "not assessed",
        "months_title": "Decisions of the Flemish Government per month",
        "cited": "cited by an assessment",
        "not_cited": "not cited",
        "month": "month",
        "decisions": "decisions",
        "intro": (
            "The Flemish coalition agreement 2019-2024, the decisions of the Flemish Government "
            "and the assessments that check, per section, which decisions carry the agreement "
            "out, as linked open data."
        ),
        "start_here": "Start here",
        "examples": "Example questions",
        "run": "run",
        "language": "Nederlands",
        "dumps_graph": "The whole graph, with the graphs' names (RDF)",
        "dumps_tables": "Tables for a spreadsheet (CSV)",
        "table_citations": (
            "One row per claim of an assessment and per decision it cites, with the section "
            "and the chapter it judges."
        ),
        "table_sections": (
            "One row per part of the agreement to assess: assessed or not, how many claims, "
            "how many decisions cited."
        ),
        "dump_file": "file",
        "dump_rows": "statements or rows",
        "dump_bytes": "bytes",
        # The generation of an assessment (partial template ld/generation.html).
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


def words(language: str) -> dict[str, str]:
    return WORDS.get(language, WORDS["nl"])
