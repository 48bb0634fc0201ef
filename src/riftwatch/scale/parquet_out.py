"""The Parquet layout the Ray engine writes and ``load`` reads.

    DIR/documents/part-KEY.parquet            one row per coded document
    DIR/events/date=YYYY-MM-DD/part-KEY.parquet  event mentions (store columns, minus date)
    DIR/events/date=__HIVE_DEFAULT_PARTITION__/part-KEY.parquet  mentions with no date
    DIR/rejected/part-KEY.parquet             inputs that could not become documents

KEY is a hash of what the batch holds (document ids and text hashes, rejected inputs), so
the same batch always writes the same file names: a task that is retried after its worker
died overwrites the files the dead attempt began instead of adding a second copy. The
documents file of a batch is written last and is its commit mark: ``load`` ignores event
files whose documents file is missing (a batch that never finished).

The event columns are the store's ``event_mentions`` columns (``event_row``), so the files
can be queried directly (DuckDB, Spark, pandas with hive partitioning); the full PLOVER
record rides along in ``record``, from which ``event_from_record`` rebuilds the ``Event``
that ``Store.write_batch`` takes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from ..model import ActorRef, Citation, Document, Event, Evidence, Place, Rejected, Size
from ..store.db import EVENT_ROW_COLUMNS, CodedDocument, event_row, text_hash

DOCUMENTS = "documents"
EVENTS = "events"
REJECTED = "rejected"
NO_DATE = "__HIVE_DEFAULT_PARTITION__"
"""The partition of mentions without a date (the name Hive, Spark and pyarrow use)."""

_ORDER = [
    pa.field("run_started", pa.timestamp("us")),
    pa.field("file_index", pa.int64()),
    pa.field("item_index", pa.int64()),
    pa.field("batch", pa.string()),
]
"""Where a row came from: the run (a later run's version of a document wins), the input
file and position in it (the local engine's order), and the batch file."""

DOCUMENT_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string()),
        pa.field("text_hash", pa.string()),
        pa.field("title", pa.string()),
        pa.field("text", pa.string()),
        pa.field("published", pa.date32()),
        pa.field("published_source", pa.string()),
        pa.field("source", pa.string()),
        pa.field("url", pa.string()),
        pa.field("input", pa.string()),
        pa.field("location", pa.string()),
        pa.field("language", pa.string()),
        pa.field("dateline_place", pa.string()),
        pa.field("sentences", pa.int32()),
        pa.field("sentences_parsed", pa.int32()),
        pa.field("note", pa.string()),
        *_ORDER,
    ]
)

_EVENT_TYPES: dict[str, pa.DataType] = {
    "sentence_index": pa.int32(),
    "date": pa.date32(),
    "context": pa.list_(pa.string()),
    "quad_code": pa.int32(),
    "event_scale": pa.float64(),
    "geonameid": pa.int64(),
    "lat": pa.float64(),
    "lon": pa.float64(),
    "dead": pa.int32(),
    "injured": pa.int32(),
    "arrested": pa.int32(),
    "dead_low": pa.int32(),
    "dead_high": pa.int32(),
    "goldstein": pa.float64(),
    "confidence": pa.float64(),
    "published": pa.date32(),
}
EVENT_SCHEMA = pa.schema(
    [pa.field(c, _EVENT_TYPES.get(c, pa.string())) for c in EVENT_ROW_COLUMNS if c != "date"]
    + [pa.field("event_index", pa.int32())]
    + _ORDER
)
"""Event mention files: the store's columns except ``date``, which is the partition, and
``event_index``, the mention's place among its document's events (a document's mentions
can fall in several date partitions)."""

REJECTED_SCHEMA = pa.schema(
    [
        pa.field("input", pa.string()),
        pa.field("location", pa.string()),
        pa.field("reason", pa.string()),
        *_ORDER,
    ]
)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A document or rejected input and where it was read (for ordering versions)."""

    item: Document | Rejected
    file_index: int
    item_index: int


@dataclass(frozen=True, slots=True)
class Written:
    """What one batch wrote."""

    batch: str
    documents: int
    events: int
    rejected: int
    sentences: int
    sentences_parsed: int
    not_coded: int


def batch_key(items: Iterable[Occurrence]) -> str:
    """A name for a batch from its content: the same batch always gets the same key."""
    h = hashlib.sha256()
    for occ in items:
        it = occ.item
        if isinstance(it, Document):
            part = f"d\0{it.id}\0{text_hash(it.text)}\0{occ.file_index}\0{occ.item_index}"
        else:
            part = f"r\0{it.input}\0{it.location}\0{it.reason}\0{occ.file_index}\0{occ.item_index}"
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\n")
    return h.hexdigest()[:24]


def _order(run_started: dt.datetime, occ: Occurrence, batch: str) -> list[Any]:
    return [run_started, occ.file_index, occ.item_index, batch]


def document_table(
    coded: Sequence[tuple[Occurrence, CodedDocument]], run_started: dt.datetime, batch: str
) -> pa.Table:
    rows = []
    for occ, c in coded:
        d = c.document
        rows.append(
            [
                d.id,
                text_hash(d.text),
                d.title,
                d.text,
                d.published,
                d.published_source,
                d.source,
                d.url,
                d.input,
                d.location,
                c.language or d.language,
                d.dateline_place,
                c.sentences,
                c.sentences_parsed,
                c.note,
                *_order(run_started, occ, batch),
            ]
        )
    return _table(rows, DOCUMENT_SCHEMA)


def event_tables(
    coded: Sequence[tuple[Occurrence, CodedDocument]], run_started: dt.datetime, batch: str
) -> dict[str, pa.Table]:
    """Event mention tables by date partition value (``YYYY-MM-DD`` or ``NO_DATE``)."""
    date_at = EVENT_ROW_COLUMNS.index("date")
    by_date: dict[str, list[list[Any]]] = {}
    for occ, c in coded:
        for n, e in enumerate(c.events):
            row = event_row(e)
            day = row.pop(date_at)
            key = day.isoformat() if day is not None else NO_DATE
            by_date.setdefault(key, []).append([*row, n, *_order(run_started, occ, batch)])
    return {k: _table(v, EVENT_SCHEMA) for k, v in sorted(by_date.items())}


def rejected_table(
    rejected: Sequence[Occurrence], run_started: dt.datetime, batch: str
) -> pa.Table:
    rows = []
    for occ in rejected:
        r = occ.item
        assert isinstance(r, Rejected)
        rows.append([r.input, r.location, r.reason, *_order(run_started, occ, batch)])
    return _table(rows, REJECTED_SCHEMA)


def _table(rows: list[list[Any]], schema: pa.Schema) -> pa.Table:
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in schema]
    return pa.Table.from_arrays(
        [pa.array(list(col), type=f.type) for col, f in zip(columns, schema, strict=True)],
        schema=schema,
    )


# -- writing ----------------------------------------------------------------------------
def write_table(fs: pafs.FileSystem, path: str, table: pa.Table) -> None:
    """Write ``table`` to ``path`` so that no reader ever sees half a file.

    On a local disk the file is written under a hidden temporary name and renamed (atomic);
    object stores (S3, GCS) only show an object once its upload is complete.
    """
    parent = path.rsplit("/", 1)[0]
    fs.create_dir(parent, recursive=True)
    if isinstance(fs, pafs.LocalFileSystem):
        tmp = f"{parent}/.tmp-{uuid.uuid4().hex}-{path.rsplit('/', 1)[1]}"
        pq.write_table(table, tmp, filesystem=fs)
        fs.move(tmp, path)
    else:
        pq.write_table(table, path, filesystem=fs)


def write_batch(
    fs: pafs.FileSystem,
    root: str,
    coded: Sequence[tuple[Occurrence, CodedDocument]],
    rejected: Sequence[Occurrence],
    *,
    run_started: dt.datetime,
    crash_before_commit: bool = False,
) -> Written:
    """Write one batch's files: events, rejected, then the documents file (the commit).

    ``crash_before_commit`` kills the process after the events are written and before the
    commit: the fault-injection the tests use to show that a retried batch loses and
    duplicates nothing.
    """
    batch = batch_key([occ for occ, _ in coded] + list(rejected))
    events = 0
    for day, table in event_tables(coded, run_started, batch).items():
        write_table(fs, f"{root}/{EVENTS}/date={day}/part-{batch}.parquet", table)
        events += table.num_rows
    if rejected:
        table = rejected_table(rejected, run_started, batch)
        write_table(fs, f"{root}/{REJECTED}/part-{batch}.parquet", table)
    if crash_before_commit:
        os._exit(17)
    if coded:
        table = document_table(coded, run_started, batch)
        write_table(fs, f"{root}/{DOCUMENTS}/part-{batch}.parquet", table)
    return Written(
        batch=batch,
        documents=len(coded),
        events=events,
        rejected=len(rejected),
        sentences=sum(c.sentences for _, c in coded),
        sentences_parsed=sum(c.sentences_parsed for _, c in coded),
        not_coded=sum(1 for _, c in coded if c.note and c.sentences == 0),
    )


# -- reading back -----------------------------------------------------------------------
def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _span(value: list[int] | None) -> tuple[int, int] | None:
    return (int(value[0]), int(value[1])) if value else None


def _actor(value: dict[str, Any] | None) -> ActorRef:
    value = value or {}
    return ActorRef(
        code=value.get("code"),
        sector=value.get("sector"),
        entity_text=value.get("entity_text"),
        identifier_id=value.get("identifier_id"),
        identifier_text=value.get("identifier_text"),
        office=value.get("office"),
    )


def event_from_record(record: dict[str, Any]) -> Event:
    """The ``Event`` a PLOVER record was dumped from (``Event.to_plover`` round trip).

    What the record does not carry (actor and place confidences and spans, which
    ``evidence`` repeats) is not stored by the store either.
    """
    ext = record.get("riftwatch") or {}
    cite_info = record.get("cite_info")
    cite = (
        Citation(
            document_id=cite_info["document_id"],
            title=cite_info.get("title"),
            source=cite_info.get("source"),
            url=cite_info.get("url"),
            published=_date(cite_info.get("published")),
        )
        if cite_info
        else None
    )
    ev = ext.get("evidence")
    evidence = None
    if ev:
        sentence_span = _span(ev.get("sentence_span"))
        assert sentence_span is not None
        evidence = Evidence(
            document_id=cite.document_id if cite else "",
            sentence_index=int(ev["sentence_index"]),
            sentence_span=sentence_span,
            trigger_span=_span(ev.get("trigger_span")),
            actor_span=_span(ev.get("actor_span")),
            recipient_span=_span(ev.get("recipient_span")),
            location_span=_span(ev.get("location_span")),
        )
    loc = record.get("event_loc")
    claimant = ext.get("claimant")
    return Event(
        id=record["id"],
        event=record["event"],
        mode=record.get("mode"),
        context=list(record.get("context") or []),
        quad_code=record.get("quad_code"),
        event_scale=record.get("event_scale"),
        actor=_actor(record.get("actor")),
        recipient=_actor(record.get("recipient")),
        event_text=record.get("event_text"),
        text=record.get("text") or "",
        date=_date(record.get("date")),
        date_precision=record.get("date_precision"),
        event_loc=Place(**loc) if loc else None,
        size=Size(**(record.get("size") or {})),
        modality=ext.get("modality", "asserted"),
        claimant=_actor(claimant) if claimant is not None else None,
        cameo_code=ext.get("cameo_code"),
        goldstein=ext.get("goldstein"),
        confidence=float(ext.get("confidence", 0.0)),
        evidence=evidence,
        cite=cite,
        mentions=int(ext.get("mentions", 1)),
        sources=int(ext.get("sources", 1)),
        ongoing=bool(ext.get("ongoing", False)),
    )


def document_from_row(row: dict[str, Any]) -> Document:
    return Document(
        id=row["id"],
        text=row["text"],
        title=row["title"],
        published=row["published"],
        published_source=row["published_source"],
        source=row["source"],
        url=row["url"],
        input=row["input"],
        location=row["location"],
        language=row["language"],
        dateline_place=row["dateline_place"],
    )


def coded_from_rows(row: dict[str, Any], events: Sequence[dict[str, Any]]) -> CodedDocument:
    """A ``CodedDocument`` from its documents row and its event mention rows."""
    return CodedDocument(
        document=document_from_row(row),
        events=[event_from_record(json.loads(e["record"])) for e in events],
        sentences=row["sentences"] or 0,
        sentences_parsed=row["sentences_parsed"] or 0,
        language=row["language"],
        note=row["note"],
    )
