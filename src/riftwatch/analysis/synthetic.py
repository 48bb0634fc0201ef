"""Hand-built coded documents for tests, benchmarks and report previews.

The NLP stages are not needed to exercise the analysis layer: these helpers build
``Event`` records directly (as the pipeline would) so aggregation, dyads, shifts, drivers
and the report can be tested on data whose truth is known.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from ..model import ActorRef, Citation, Document, Event, Evidence, Place, Size
from ..store.db import CodedDocument

_SCORES = {
    "AGREE": (1, 2.5),
    "CONSULT": (1, 2.5),
    "SUPPORT": (1, 5.0),
    "AID": (2, 6.0),
    "COOPERATE": (2, 5.0),
    "ACCUSE": (3, -3.0),
    "THREATEN": (3, -3.5),
    "REJECT": (3, -2.0),
    "PROTEST": (4, -5.0),
    "COERCE": (4, -7.0),
    "ASSAULT": (4, -9.0),
}

PLACES: dict[str, tuple[float, float, str, str]] = {
    # name: (lat, lon, province, ISO3) -- coordinates are public facts
    "Khost": (33.34, 69.92, "Khost", "AFG"),
    "Paktika": (32.27, 68.52, "Paktika", "AFG"),
    "Kabul": (34.53, 69.17, "Kabul", "AFG"),
    "Kandahar": (31.61, 65.71, "Kandahar", "AFG"),
    "Jalalabad": (34.43, 70.45, "Nangarhar", "AFG"),
    "Torkham": (34.10, 71.09, "Khyber Pakhtunkhwa", "PAK"),
    "North Waziristan": (32.99, 70.12, "Khyber Pakhtunkhwa", "PAK"),
    "South Waziristan": (32.30, 69.60, "Khyber Pakhtunkhwa", "PAK"),
    "Peshawar": (34.01, 71.58, "Khyber Pakhtunkhwa", "PAK"),
    "Bannu": (32.99, 70.60, "Khyber Pakhtunkhwa", "PAK"),
    "Quetta": (30.18, 66.99, "Balochistan", "PAK"),
    "Chaman": (30.92, 66.45, "Balochistan", "PAK"),
    "Islamabad": (33.69, 73.05, "Islamabad", "PAK"),
}


def actor(sel: str | None, text: str | None = None) -> ActorRef:
    """``PAK:MIL`` -> ActorRef; ``TTP`` style ids become PAK:REB with that KB id."""
    if not sel:
        return ActorRef()
    groups = {"TTP": ("PAK", "REB"), "ISKP": ("AFG", "REB"), "ISI": ("PAK", "SPY")}
    if sel in groups:
        code, sector = groups[sel]
        return ActorRef(code=code, sector=sector, entity_text=text or sel, identifier_id=sel)
    code, _, sector = sel.partition(":")
    return ActorRef(code=code, sector=sector or None, entity_text=text or sel)


def place(name: str | None, level: str = "district") -> Place | None:
    """A place of ``PLACES`` resolved at ``level`` (district, province or dateline)."""
    if not name:
        return None
    lat, lon, province, cc = PLACES[name]
    if level == "province":
        # a province centroid: somewhere else than the district's own point
        return Place(
            extracted_place=province,
            resolved_place=province,
            lat=lat + 0.4,
            lon=lon - 0.4,
            province=province,
            country_code=cc,
            resolution="province",
        )
    return Place(
        extracted_place=name,
        resolved_place=name,
        lat=lat,
        lon=lon,
        district=name,
        province=province,
        country_code=cc,
        resolution=level,
    )


@dataclass
class Mention:
    """One event mention to build (a sentence of a document)."""

    event: str
    a: str | None
    b: str | None
    date: dt.date | None
    where: str | None = None
    text: str = ""
    dead: int | None = None
    modality: str = "asserted"
    confidence: float = 0.6
    level: str = "district"
    """Place resolution: district, province or dateline."""


def coded_document(
    doc_id: str,
    mentions: list[Mention],
    *,
    published: dt.date | None = None,
    title: str | None = None,
    source: str | None = "Example Wire",
    url: str | None = None,
) -> CodedDocument:
    """A ``CodedDocument`` holding ``mentions`` (one sentence each)."""
    published = published or next((m.date for m in mentions if m.date), None)
    text = " ".join(m.text or f"{m.a} {m.event} {m.b}." for m in mentions)
    doc = Document(
        id=doc_id,
        text=text,
        title=title or f"Report {doc_id}",
        published=published,
        published_source="metadata" if published else "unknown",
        source=source,
        url=url or f"https://news.example.org/{doc_id}",
    )
    events = []
    pos = 0
    for i, m in enumerate(mentions):
        sentence = m.text or f"{m.a} {m.event} {m.b}."
        quad, score = _SCORES[m.event]
        events.append(
            Event(
                id=f"{doc_id}-m{i}",
                event=m.event,
                quad_code=quad,
                event_scale=score,
                goldstein=score,
                actor=actor(m.a),
                recipient=actor(m.b),
                text=sentence,
                date=m.date,
                date_precision="day" if m.date else None,
                event_loc=place(m.where, m.level),
                size=Size(dead=m.dead),
                modality=m.modality,
                confidence=m.confidence,
                evidence=Evidence(doc_id, i, (pos, pos + len(sentence))),
                cite=Citation(
                    doc_id, title=doc.title, source=source, url=doc.url, published=published
                ),
            )
        )
        pos += len(sentence) + 1
    return CodedDocument(doc, events, sentences=len(mentions), sentences_parsed=len(mentions))


def relation_story(seed: int = 7) -> list[CodedDocument]:
    """A PAK–AFG story: cooperation in 2021–22, a turn to conflict from early 2023.

    Weekly reports over three years; from 2023-03 Pakistani air strikes in Khost/Paktika
    and TTP attacks in Khyber Pakhtunkhwa dominate, each strike told by 1–3 outlets.
    """
    rng = random.Random(seed)
    docs: list[CodedDocument] = []
    start = dt.date(2021, 9, 6)
    turn = dt.date(2023, 3, 1)
    outlets = ["Frontier Post Wire", "Kabul Monitor", "Gulf Desk", "Asia Brief"]
    n = 0
    day = start
    while day < dt.date(2024, 9, 1):
        if day < turn:
            pool = [
                (
                    "CONSULT",
                    "PAK:GOV",
                    "AFG:GOV",
                    "Kabul",
                    "{a} officials held talks with {b} counterparts in {w} on border trade.",
                ),
                (
                    "AGREE",
                    "PAK:GOV",
                    "AFG:GOV",
                    "Islamabad",
                    "{a} and {b} agreed in {w} to reopen crossings for traders.",
                ),
                (
                    "AID",
                    "PAK:GOV",
                    "AFG:GOV",
                    "Torkham",
                    "{a} sent wheat and medicine through {w} to {b}.",
                ),
                ("ACCUSE", "PAK:GOV", "AFG:GOV", None, "{a} accused {b} of tolerating militants."),
                (
                    "ASSAULT",
                    "TTP",
                    "PAK:COP",
                    "Bannu",
                    "Militants of the {a} attacked a police post in {w}.",
                ),
            ]
            weights = [4, 3, 3, 1, 1]
        else:
            pool = [
                (
                    "ASSAULT",
                    "PAK:MIL",
                    "AFG:GOV",
                    "Khost",
                    "{a} jets struck targets in {w}, {b} said.",
                ),
                (
                    "ASSAULT",
                    "PAK:MIL",
                    "AFG:GOV",
                    "Paktika",
                    "An air strike by {a} hit a village in {w}.",
                ),
                (
                    "ASSAULT",
                    "TTP",
                    "PAK:COP",
                    "North Waziristan",
                    "{a} fighters stormed a checkpoint in {w}.",
                ),
                (
                    "THREATEN",
                    "AFG:GOV",
                    "PAK:GOV",
                    None,
                    "{a} warned {b} of consequences after the raids.",
                ),
                ("ACCUSE", "PAK:GOV", "AFG:GOV", None, "{a} accused {b} of sheltering the TTP."),
                (
                    "COERCE",
                    "PAK:GOV",
                    "AFG:CVL",
                    "Torkham",
                    "{a} closed the {w} crossing to Afghan traders.",
                ),
                ("CONSULT", "PAK:GOV", "AFG:GOV", "Kabul", "{a} envoys met {b} ministers in {w}."),
            ]
            weights = [3, 2, 3, 2, 2, 2, 1]
        for _ in range(rng.randint(1, 3)):
            ev, a, b, w, tpl = rng.choices(pool, weights)[0]
            date = day + dt.timedelta(days=rng.randint(0, 5))
            dead = rng.randint(2, 15) if ev == "ASSAULT" else None
            sentence = tpl.format(a=a, b=b, w=w or "")
            k = rng.randint(1, 3)
            for j in range(k):
                n += 1
                docs.append(
                    coded_document(
                        f"doc{n:05d}",
                        [
                            Mention(
                                ev,
                                a,
                                b,
                                date,
                                w,
                                sentence if j == 0 else f"Reports: {sentence}",
                                dead,
                                confidence=0.5 + 0.1 * j,
                            )
                        ],
                        published=date + dt.timedelta(days=j),
                        title=f"{ev.title()} — {w or 'border'} ({date:%d %b %Y})",
                        source=outlets[(n + j) % len(outlets)],
                    )
                )
        day += dt.timedelta(days=7)
    return docs


def insert_coded(con: object, coded: list[CodedDocument]) -> int:
    """Bulk-insert documents and mentions (no per-row SQL), then rebuild events.

    ``Store.write_batch`` writes row by row, which is right for a pipeline batch but slow
    for thousands of synthetic documents in a test; this writes the same rows in one go.
    """
    import pyarrow as pa

    from ..store.db import EVENT_ROW_COLUMNS, event_row, text_hash
    from .aggregate import rebuild_events

    docs = {
        "id": [c.document.id for c in coded],
        "version": [1] * len(coded),
        "text_hash": [text_hash(c.document.text) for c in coded],
        "title": [c.document.title for c in coded],
        "text": [c.document.text for c in coded],
        "published": [c.document.published for c in coded],
        "published_source": [c.document.published_source for c in coded],
        "source": [c.document.source for c in coded],
        "url": [c.document.url for c in coded],
        "sentences": [c.sentences for c in coded],
        "sentences_parsed": [c.sentences_parsed for c in coded],
        "coded_at": [dt.datetime(2024, 1, 1)] * len(coded),
    }
    rows = [event_row(e) for c in coded for e in c.events]
    cols = {c: [r[i] for r in rows] for i, c in enumerate(EVENT_ROW_COLUMNS)}
    doc_table = pa.table(docs)
    mention_table = pa.table({c: pa.array(v) for c, v in cols.items()})
    con.register("_rw_docs", doc_table)  # type: ignore[attr-defined]
    con.register("_rw_mentions", mention_table)  # type: ignore[attr-defined]
    try:
        names = ", ".join(docs)
        con.execute(f"INSERT INTO documents ({names}) SELECT {names} FROM _rw_docs")  # type: ignore[attr-defined]
        mcols = ", ".join(EVENT_ROW_COLUMNS)
        con.execute(  # type: ignore[attr-defined]
            f"INSERT INTO event_mentions ({mcols}) SELECT {mcols} FROM _rw_mentions"
        )
    finally:
        con.unregister("_rw_docs")  # type: ignore[attr-defined]
        con.unregister("_rw_mentions")  # type: ignore[attr-defined]
    return rebuild_events(con)  # type: ignore[arg-type]


_FLOOD_SQL = """
INSERT INTO event_mentions (id, document_id, date, date_precision, event, quad_code,
    event_scale, actor_code, actor_sector, recipient_code, place, lat, lon, district,
    province, country_code, loc_resolution, modality, confidence, published, source)
SELECT ? || lpad(CAST(i AS VARCHAR), 7, '0'), ? || 'doc-' || i,
       ?::DATE + CAST(i % 3 AS INTEGER), 'day', 'ASSAULT', 4, -9.5, 'PAK', 'MIL',
       CASE WHEN i % 10 = 0 THEN NULL ELSE 'AFG' END, ?, ?, ?, ?, ?, 'AFG', 'district',
       'asserted', 0.5, ?::DATE + CAST(i % 4 AS INTEGER), 'Outlet ' || (i % 40)
FROM range(?) t(i)
"""


def insert_flood(
    con: object,
    n: int,
    *,
    day: dt.date = dt.date(2024, 3, 18),
    where: str = "Khost",
    prefix: str = "flood-",
) -> None:
    """``n`` reports of one strike, one per document (mentions only; no events built).

    Same type, dyad and district over three days, a tenth naming no recipient: one huge
    group of compatible mentions, which pairwise comparison turns into ``n**2 / 2``
    pairs. Used to check that aggregation stays sub-quadratic.
    """
    lat, lon, province, _ = PLACES[where]
    con.execute(  # type: ignore[attr-defined]
        _FLOOD_SQL, [prefix, prefix, day, where, lat, lon, where, province, day, n]
    )
