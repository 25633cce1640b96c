"""A Themis-shaped dataset in two versions, as the harvest tests serve it.

Version 1: 100 weekly meetings (Fridays 2020-01-10 … 2021-12-03), each with one agenda of four
decision agenda items and their four news items (400 decisions), plus news items that are not
decisions, a news item whose agenda item is on no agenda, an agenda item on two agendas, and
gaps: no title every tenth item, no text every 25th, no agendapunt type every 50th. Three
Kaleidos ids are the corpus's own, on the corpus's dates.

Version 2, as Themis would publish it later: 14 items changed (10 titles, 3 texts, 1 minister),
2 withdrawn, 6 new (4 on a new meeting, 2 added to an old one), and every ``dct:issued`` moved
(the export time, which is not content).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

THEMIS = "http://themis.vlaanderen.be/id/"
DECISION_TYPE = THEMIS + "concept/document-type/63d628cb-a594-4166-8b4e-880b4214fc5b"
OTHER_TYPE = THEMIS + "concept/document-type/0000-persbericht"
NOTA = THEMIS + "concept/agendapunt-type/dd47a8f8-3ad2-4d5a-8318-66fc02fe80fd"
MEDEDELING = THEMIS + "concept/agendapunt-type/8f8adcf0-58ef-4edc-9e36-0c9095fd76b0"
THEMES = [THEMIS + f"concept/thema/{n:04d}" for n in range(6)]
MINISTERS = [THEMIS + f"mandataris/{n:04d}" for n in range(9)]

FIRST_MEETING = date(2020, 1, 10)
MEETINGS = 100
PER_MEETING = 4

# Corpus decisions (data/corpus/decisions.jsonl), placed on meetings of their own dates.
CORPUS_IDS = {
    (3, 0): "e41fffe0-0fe2-11eb-9a42-a101b41f0404",  # 2020-01-31, mededeling
    (49, 0): "5FDC61446B34EF0008000DA4",  # 2020-12-18, nota
    (49, 1): "5FDC61446B34EF0008000DA5",  # not in the corpus: a Themis-only decision
}

TITLE_CHANGED = [20 * k for k in range(1, 11)]  # items 20, 40, …, 200
TEXT_CHANGED = [301, 302, 303]
MINISTER_CHANGED = [350]
WITHDRAWN = [101, 102]


@dataclass(frozen=True)
class Item:
    index: int
    meeting: int
    uuid: str
    kind: str | None
    title: str | None
    alternative: str | None
    text: str | None
    themes: tuple[str, ...]
    minister: str
    extra_meetings: tuple[int, ...] = ()
    literal_theme: str | None = None


@dataclass
class ThemisData:
    items: list[Item]
    issued: str
    extra_meetings: list[int] = field(default_factory=list)
    start_forms: dict[int, tuple[str, str]] = field(default_factory=dict)
    """Meetings whose start is written otherwise: (lexical form, datatype IRI)."""

    def by_index(self, index: int) -> Item:
        return next(item for item in self.items if item.index == index)


def meeting_date(meeting: int) -> date:
    return FIRST_MEETING + timedelta(days=7 * meeting)


def meeting_start(meeting: int) -> str:
    # Half the meetings as local time with an offset, half in UTC: both are xsd:dateTime.
    day = meeting_date(meeting).isoformat()
    return f"{day}T10:00:00+01:00" if meeting % 2 == 0 else f"{day}T09:00:00Z"


def uuid_for(index: int) -> str:
    return f"5E{index:022X}"


def version_1() -> ThemisData:
    items = []
    for meeting in range(MEETINGS):
        for slot in range(PER_MEETING):
            index = meeting * PER_MEETING + slot
            kind = None if index % 50 == 11 else (NOTA if slot % 2 == 0 else MEDEDELING)
            items.append(
                Item(
                    index=index,
                    meeting=meeting,
                    uuid=CORPUS_IDS.get((meeting, slot), uuid_for(index)),
                    kind=MEDEDELING if (meeting, slot) == (3, 0) else kind,
                    title=None if index % 10 == 7 else f'Beslissing {index}: "titel" & co',
                    alternative=f"Kort {index}" if index % 3 == 0 else None,
                    text=None
                    if index % 25 == 3
                    else f"Tekst van beslissing {index}.\nTweede regel.",
                    themes=tuple(THEMES[(index + k) % len(THEMES)] for k in range(1 + index % 2)),
                    minister=MINISTERS[index % len(MINISTERS)],
                    extra_meetings=(6,) if index == 5 else (),
                    literal_theme="Economie" if index == 9 else None,
                )
            )
    return ThemisData(items, issued="2022-01-15T03:00:00Z")


def version_2() -> ThemisData:
    v1 = version_1()
    items = []
    for item in v1.items:
        if item.index in WITHDRAWN:
            continue
        if item.index in TITLE_CHANGED:
            item = replace(item, title=f"Beslissing {item.index}, herziene titel")
        if item.index in TEXT_CHANGED:
            item = replace(item, text=f"Herziene tekst van beslissing {item.index}.")
        if item.index in MINISTER_CHANGED:
            item = replace(item, minister=MINISTERS[(item.index + 1) % len(MINISTERS)])
        items.append(item)
    new = [(MEETINGS, slot) for slot in range(PER_MEETING)] + [(10, 4), (10, 5)]
    for n, (meeting, _slot) in enumerate(new):
        index = 1000 + n
        items.append(
            Item(
                index,
                meeting,
                uuid_for(index),
                NOTA,
                f"Nieuwe beslissing {index}",
                None,
                f"Nieuwe tekst {index}.",
                (THEMES[0],),
                MINISTERS[0],
            )
        )
    return ThemisData(items, issued="2022-03-01T03:00:00Z", extra_meetings=[MEETINGS])


def _iri(value: str) -> str:
    return f"<{value}>"


def _lit(value: str, datatype: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"' + (f"^^<{datatype}>" if datatype else "")


def ntriples(data: ThemisData) -> str:
    """The dataset as N-Triples, in the default graph, shaped as Themis publishes it."""
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    dct = "http://purl.org/dc/terms/"
    besluit = "http://data.vlaanderen.be/ns/besluit#"
    bv = "https://data.vlaanderen.be/ns/besluitvorming#"
    prov = "http://www.w3.org/ns/prov#"
    mu = "http://mu.semte.ch/vocabularies/core/uuid"
    nie = "http://www.semanticdesktop.org/ontologies/2007/01/19/nie#htmlContent"
    xsd_dt = "http://www.w3.org/2001/XMLSchema#dateTime"
    lines: list[str] = []

    def t(s: str, p: str, o: str) -> None:
        lines.append(f"{_iri(s)} {_iri(p)} {o} .")

    meetings = sorted(
        {i.meeting for i in data.items} | {m for i in data.items for m in i.extra_meetings}
    )
    for meeting in meetings:
        m = THEMIS + f"zitting/{meeting:04d}"
        agenda = THEMIS + f"agenda/{meeting:04d}"
        t(m, rdf_type, _iri(besluit + "Vergaderactiviteit"))
        start, datatype = data.start_forms.get(meeting, (meeting_start(meeting), xsd_dt))
        t(m, besluit + "geplandeStart", _lit(start, datatype))
        t(agenda, rdf_type, _iri(bv + "Agenda"))
        t(agenda, bv + "isAgendaVoor", _iri(m))
    for item in data.items:
        punt = THEMIS + f"agendapunt/{item.index:04d}"
        news = THEMIS + f"nieuwsbericht/{item.uuid}"
        t(punt, rdf_type, _iri(besluit + "Agendapunt"))
        if item.kind:
            t(punt, besluit + "Agendapunt.type", _iri(item.kind))
        for meeting in (item.meeting, *item.extra_meetings):
            t(THEMIS + f"agenda/{meeting:04d}", dct + "hasPart", _iri(punt))
        t(news, rdf_type, _iri("https://data.vlaanderen.be/ns/dossier#Stuk"))
        t(news, dct + "type", _iri(DECISION_TYPE))
        t(news, mu, _lit(item.uuid))
        t(news, prov + "wasDerivedFrom", _iri(punt))
        t(news, dct + "issued", _lit(data.issued, xsd_dt))
        if item.title:
            t(news, dct + "title", _lit(item.title))
            t(news, nie, _lit(f"<p>{item.title}</p>"))
        if item.alternative:
            t(news, dct + "alternative", _lit(item.alternative))
        if item.text:
            t(news, prov + "value", _lit(item.text))
        for theme in item.themes:
            t(news, dct + "subject", _iri(theme))
        if item.literal_theme:
            t(news, dct + "subject", _lit(item.literal_theme))
        t(news, prov + "qualifiedAssociation", _iri(item.minister))
    # News items that are not decisions, on every tenth meeting: not harvested.
    for meeting in range(0, MEETINGS, 10):
        news = THEMIS + f"nieuwsbericht/pers-{meeting}"
        punt = THEMIS + f"agendapunt/pers-{meeting}"
        t(THEMIS + f"agenda/{meeting:04d}", dct + "hasPart", _iri(punt))
        t(news, rdf_type, _iri("https://data.vlaanderen.be/ns/dossier#Stuk"))
        t(news, dct + "type", _iri(OTHER_TYPE))
        t(news, mu, _lit(f"PERS{meeting:020d}"))
        t(news, prov + "wasDerivedFrom", _iri(punt))
    # A decision news item whose agenda item is on no agenda: it has no date, so no window.
    orphan = THEMIS + "nieuwsbericht/ORPHAN00000000000000000"
    t(orphan, rdf_type, _iri("https://data.vlaanderen.be/ns/dossier#Stuk"))
    t(orphan, dct + "type", _iri(DECISION_TYPE))
    t(orphan, mu, _lit("ORPHAN00000000000000000"))
    t(orphan, prov + "wasDerivedFrom", _iri(THEMIS + "agendapunt/orphan"))
    return "\n".join(lines) + "\n"
