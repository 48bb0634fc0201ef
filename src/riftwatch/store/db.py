"""The DuckDB store: an adapter at the edge of the pipeline.

Stages never touch the database; the CLI, the API and the analysis layer do, through this
class. Every write of a batch of documents is one transaction, so an interrupted run keeps
what it committed and loses nothing else: the next run over the same inputs re-codes only
the documents that are missing or changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from ..analysis.aggregate import AggregateConfig, update_events
from ..errors import StoreError
from ..model import Document, Event, Rejected
from .migrations import apply_migrations
from .selectors import selector_sql

DEFAULT_DB = "riftwatch.duckdb"

MEMORY_ENV = "RIFTWATCH_DUCKDB_MEMORY"
THREADS_ENV = "RIFTWATCH_DUCKDB_THREADS"
DEFAULT_WRITER_MEMORY = "256MB"
"""DuckDB's own default memory limit is 80% of RAM, and its buffer cache grows towards it
as a run writes: the parent of a long parallel run grew by hundreds of MB. A writer needs
little (batches are small; big operators spill to ``<store>.tmp``), so a file store opened
for writing is capped at this unless ``RIFTWATCH_DUCKDB_MEMORY`` or ``memory_limit`` says
otherwise; the cap bounds the memory of a coding run of any length. What DuckDB cannot
spill (the indexes of a store of millions of events) may need more: a batch that runs out
of memory is rolled back and written again under a doubled cap (``write_batch``).
Read-only and in-memory stores keep DuckDB's default unless configured (an in-memory
store's data counts against the limit)."""
_UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12}
_UNITS.update({"kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40})
log = logging.getLogger(__name__)


def _parse_bytes(text: str) -> int | None:
    """Bytes in a size as DuckDB prints or accepts it ("256.0 MiB", "512MB")."""
    m = re.fullmatch(r"\s*([0-9.]+)\s*([a-zA-Z]*)\s*", text)
    unit = _UNITS.get(m.group(2).lower()) if m else None
    if m is None or unit is None:
        return None
    try:
        return int(float(m.group(1)) * unit)
    except ValueError:
        return None


def _ram_bytes() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not Linux
        return 8 * 2**30


class _OutOfMemory(Exception):
    """A write that needed more memory than DuckDB's cap (DuckDB reports it as an
    out-of-memory error, or, when the commit is what needs it, a transaction error)."""


def _is_out_of_memory(error: BaseException | None) -> bool:
    """Whether DuckDB ran out of memory here, or in the error this one happened after."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, duckdb.OutOfMemoryException) or "could not allocate" in str(error):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute("ROLLBACK")
    except duckdb.TransactionException:
        pass  # a failed commit has ended the transaction already


MAX_MEMORY_RETRIES = 4
"""Doublings of the memory cap ``write_batch`` tries (256 MB -> 4 GB by default)."""
DEFAULT_WRITER_THREADS = 1
"""A file store opened for writing uses one DuckDB thread unless ``RIFTWATCH_DUCKDB_THREADS``
or ``threads`` says otherwise: its statements are small per-batch writes (a second thread
bought nothing in a measured run) and the coding workers need the cores."""

EVENT_ROW_COLUMNS = [
    "id",
    "document_id",
    "sentence_index",
    "date",
    "date_precision",
    "event",
    "mode",
    "context",
    "quad_code",
    "event_scale",
    "actor_code",
    "actor_sector",
    "actor_text",
    "actor_kb_id",
    "recipient_code",
    "recipient_sector",
    "recipient_text",
    "recipient_kb_id",
    "place",
    "geonameid",
    "lat",
    "lon",
    "district",
    "province",
    "country_code",
    "loc_resolution",
    "dead",
    "injured",
    "arrested",
    "dead_low",
    "dead_high",
    "modality",
    "claimant_code",
    "cameo_code",
    "goldstein",
    "confidence",
    "event_text",
    "text",
    "published",
    "source",
    "record",
]


_STR, _INT, _F64, _DATE = pa.string(), pa.int32(), pa.float64(), pa.date32()
_MENTION_TYPES = {
    "sentence_index": _INT, "date": _DATE, "context": pa.list_(_STR), "quad_code": _INT,
    "event_scale": _F64, "geonameid": pa.int64(), "lat": _F64, "lon": _F64, "dead": _INT,
    "injured": _INT, "arrested": _INT, "dead_low": _INT, "dead_high": _INT,
    "goldstein": _F64, "confidence": _F64, "published": _DATE,
}  # fmt: skip
_MENTION_SCHEMA = pa.schema(
    [(c, _MENTION_TYPES.get(c, _STR)) for c in [*EVENT_ROW_COLUMNS, "event_id"]]
)
"""Arrow types of an ``event_row`` (plus ``event_id``), as the ``event_mentions`` columns."""
_DOCUMENT_SCHEMA = pa.schema(
    [
        ("id", _STR), ("version", _INT), ("text_hash", _STR), ("title", _STR),
        ("text", _STR), ("published", _DATE), ("published_source", _STR), ("source", _STR),
        ("url", _STR), ("input", _STR), ("location", _STR), ("language", _STR),
        ("dateline_place", _STR), ("sentences", _INT), ("sentences_parsed", _INT),
        ("note", _STR), ("ingested_at", pa.timestamp("us")), ("coded_at", pa.timestamp("us")),
    ]
)  # fmt: skip


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class CodedDocument:
    """A document after coding: what the store writes in one go."""

    document: Document
    events: list[Event]
    sentences: int = 0
    sentences_parsed: int = 0
    language: str | None = None
    note: str | None = None


def event_row(event: Event) -> list[Any]:
    loc = event.event_loc
    ev = event.evidence
    cite = event.cite
    return [
        event.id,
        ev.document_id if ev else (cite.document_id if cite else None),
        ev.sentence_index if ev else None,
        event.date,
        event.date_precision,
        event.event,
        event.mode,
        list(event.context),
        event.quad_code,
        event.event_scale,
        event.actor.code,
        event.actor.sector,
        event.actor.entity_text,
        event.actor.identifier_id,
        event.recipient.code,
        event.recipient.sector,
        event.recipient.entity_text,
        event.recipient.identifier_id,
        loc.resolved_place or loc.extracted_place if loc else None,
        loc.geonameid if loc else None,
        loc.lat if loc else None,
        loc.lon if loc else None,
        loc.district if loc else None,
        loc.province if loc else None,
        loc.country_code if loc else None,
        loc.resolution if loc else None,
        event.size.dead,
        event.size.injured,
        event.size.arrested,
        event.size.dead_low,
        event.size.dead_high,
        event.modality,
        event.claimant.code if event.claimant else None,
        event.cameo_code,
        event.goldstein,
        event.confidence,
        event.event_text,
        event.text,
        cite.published if cite else None,
        cite.source if cite else None,
        json.dumps(event.to_plover(), ensure_ascii=False),
    ]


def _document_row(item: CodedDocument, version: int, h: str, now: dt.datetime) -> list[Any]:
    doc = item.document
    return [
        doc.id,
        version,
        h,
        doc.title,
        doc.text,
        doc.published,
        doc.published_source,
        doc.source,
        doc.url,
        doc.input,
        doc.location,
        item.language or doc.language,
        doc.dateline_place,
        item.sentences,
        item.sentences_parsed,
        item.note,
        now,
        now,
    ]


def _env_int(name: str) -> int | None:
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError as e:
        raise StoreError(f"{name} must be a whole number of threads, not {value!r}") from e


class Store:
    """``Store(path)`` opens (and creates or migrates) a riftwatch DuckDB file.

    ``Store(":memory:")`` is an in-memory store for tests and one-off runs.
    """

    def __init__(
        self,
        path: str | Path = DEFAULT_DB,
        *,
        read_only: bool = False,
        aggregate_config: AggregateConfig | None = None,
        memory_limit: str | None = None,
        threads: int | None = None,
    ):
        self.path = str(path)
        self.aggregate_config = aggregate_config
        memory_limit = memory_limit or os.environ.get(MEMORY_ENV) or None
        threads = threads or _env_int(THREADS_ENV)
        if not read_only and self.path != ":memory:":
            memory_limit = memory_limit or DEFAULT_WRITER_MEMORY
            threads = threads or DEFAULT_WRITER_THREADS
        config: dict[str, Any] = {}
        if memory_limit and read_only:
            config["memory_limit"] = str(memory_limit)
        if threads:
            config["threads"] = int(threads)
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.con = duckdb.connect(self.path, read_only=read_only, config=config)
        except duckdb.IOException as e:
            raise StoreError(f"cannot open the store {self.path}: {e}") from e
        except duckdb.Error as e:
            raise StoreError(f"{self.path} is not a riftwatch DuckDB store: {e}") from e
        if not read_only:
            apply_migrations(self.con)  # under DuckDB's default cap: a migration runs once
            if memory_limit:
                try:
                    self.con.execute("SET memory_limit = ?", [str(memory_limit)])
                except duckdb.Error as e:
                    self.con.close()
                    raise StoreError(f"bad DuckDB memory limit {memory_limit!r}: {e}") from e

    # -- lifecycle --------------------------------------------------------------------
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writes -----------------------------------------------------------------------
    def known(self, documents: Sequence[Document]) -> dict[str, str]:
        """Map document id -> stored text hash, for the ids of ``documents`` already coded."""
        ids = [d.id for d in documents]
        if not ids:
            return {}
        rows = self.con.execute(
            "SELECT id, text_hash FROM documents WHERE coded_at IS NOT NULL AND id IN"
            " (SELECT unnest(?::VARCHAR[]))",
            [ids],
        ).fetchall()
        return dict(rows)

    def needs_coding(self, documents: Sequence[Document]) -> list[Document]:
        """The documents that are new or whose text changed since they were coded."""
        known = self.known(documents)
        seen: set[tuple[str, str]] = set()
        out = []
        for doc in documents:
            h = text_hash(doc.text)
            if known.get(doc.id) == h or (doc.id, h) in seen:
                continue
            seen.add((doc.id, h))
            out.append(doc)
        return out

    def write_batch(self, coded: Iterable[CodedDocument], *, run_id: str | None = None) -> int:
        """Write coded documents and their events in ONE transaction; returns events written.

        A document already stored under the same id with a different text becomes a new
        version: its old event mentions are replaced. Rows go in as Arrow tables (one insert
        per table, not one statement per row): per-row inserts cost more CPU than the
        coding itself on the parent side of a parallel run. A batch that runs out of
        DuckDB memory is rolled back and written again under a doubled cap.
        """
        items = list(coded)
        if not items:
            return 0
        for attempt in range(MAX_MEMORY_RETRIES + 1):
            try:
                return self._write_batch(items)
            except _OutOfMemory as e:
                if attempt == MAX_MEMORY_RETRIES or not self.raise_memory_limit():
                    raise StoreError(f"could not write a batch to {self.path}: {e}") from e
        raise AssertionError("unreachable")  # pragma: no cover

    def memory_limit(self) -> str:
        """DuckDB's current memory cap for this connection, as DuckDB prints it."""
        row = self.con.execute("SELECT current_setting('memory_limit')").fetchone()
        return str(row[0]) if row else ""

    def raise_memory_limit(self) -> bool:
        """Double DuckDB's memory cap (at most DuckDB's own default, 80% of RAM); False if
        it cannot grow."""
        current = _parse_bytes(self.memory_limit())
        ceiling = _ram_bytes() * 8 // 10
        if current is None or current >= ceiling:
            return False
        new = min(current * 2, ceiling)
        self.con.execute(f"SET memory_limit = '{new // 2**20}MiB'")
        log.info("store %s: DuckDB memory cap raised to %d MB", self.path, new // 2**20)
        return True

    def _write_batch(self, items: list[CodedDocument]) -> int:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        con = self.con
        written = [item.document.id for item in items]
        n_events = sum(len(item.events) for item in items)
        con.execute("BEGIN TRANSACTION")
        try:
            stored = {
                r[0]: (r[1], r[2])
                for r in con.execute(
                    "SELECT id, version, text_hash FROM documents WHERE id IN"
                    " (SELECT unnest(?::VARCHAR[]))",
                    [sorted(set(written))],
                ).fetchall()
            }
            existing = sorted(stored)
            # a document repeated within the batch: the last copy wins, versions counted
            # in order, as if the copies had been written one after the other
            latest: dict[str, tuple[CodedDocument, int, str]] = {}
            for item in items:
                doc = item.document
                h = text_hash(doc.text)
                old = stored.get(doc.id)
                version = 1 if old is None else (old[0] if old[1] == h else old[0] + 1)
                stored[doc.id] = (version, h)
                latest[doc.id] = (item, version, h)
            if existing:  # new versions of stored documents replace the old rows
                con.execute(
                    "DELETE FROM event_mentions WHERE document_id IN (SELECT unnest(?::VARCHAR[]))",
                    [existing],
                )
                con.execute(
                    "DELETE FROM documents WHERE id IN (SELECT unnest(?::VARCHAR[]))", [existing]
                )
            self._insert_arrow(
                "documents",
                _DOCUMENT_SCHEMA,
                [_document_row(item, version, h, now) for item, version, h in latest.values()],
            )
            rows = [event_row(e) + [e.id] for item, _, _ in latest.values() for e in item.events]
            if rows:
                self._insert_arrow("event_mentions", _MENTION_SCHEMA, rows)
            # merge the new mentions with the reports of the same events already stored
            update_events(con, written, config=self.aggregate_config)
            con.execute("COMMIT")
        except Exception as e:
            _rollback(con)
            if _is_out_of_memory(e):
                raise _OutOfMemory(str(e)) from e
            raise StoreError(f"could not write a batch to {self.path}: {e}") from e
        return n_events

    def _insert_arrow(self, table: str, schema: pa.Schema, rows: list[list[Any]]) -> None:
        """Insert ``rows`` (in ``schema``'s column order) with one statement."""
        data = pa.Table.from_arrays(
            [
                pa.array([r[i] for r in rows], type=f.type)
                for i, f in enumerate(schema)  # noqa: B035
            ],
            schema=schema,
        )
        view = f"_rw_insert_{table}"
        cols = ", ".join(f'"{n}"' for n in schema.names)
        self.con.register(view, data)
        try:
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {view}")
        finally:
            self.con.unregister(view)

    def add_rejected(self, rejected: Iterable[Rejected], *, run_id: str | None = None) -> int:
        """Record rejected inputs; the same (input, location, reason) is recorded once."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        n = 0
        for r in rejected:
            exists = self.con.execute(
                "SELECT 1 FROM rejected WHERE input = ? AND location IS NOT DISTINCT FROM ?"
                " AND reason = ?",
                [r.input, r.location, r.reason],
            ).fetchone()
            if exists:
                self.con.execute(
                    'UPDATE rejected SET "at" = ?, run_id = ? WHERE input = ?'
                    " AND location IS NOT DISTINCT FROM ? AND reason = ?",
                    [now, run_id, r.input, r.location, r.reason],
                )
            else:
                self.con.execute(
                    'INSERT INTO rejected (input, location, reason, "at", run_id)'
                    " VALUES (?, ?, ?, ?, ?)",
                    [r.input, r.location, r.reason, now, run_id],
                )
            n += 1
        return n

    def start_run(self, run_id: str, inputs: list[str]) -> None:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        self.con.execute(
            "INSERT INTO runs (id, started_at, inputs, status) VALUES (?, ?, ?, 'running')",
            [run_id, now, inputs],
        )

    def finish_run(self, run_id: str, *, status: str, **counts: int) -> None:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        self.con.execute(
            "UPDATE runs SET finished_at = ?, status = ?, documents = ?, skipped = ?,"
            " sentences = ?, events = ?, rejected = ? WHERE id = ?",
            [
                now,
                status,
                counts.get("documents", 0),
                counts.get("skipped", 0),
                counts.get("sentences", 0),
                counts.get("events", 0),
                counts.get("rejected", 0),
                run_id,
            ],
        )

    # -- reads ------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("documents", "event_mentions", "events", "rejected"):
            row = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()
            out[table] = int(row[0]) if row else 0
        return out

    def _event_filter(
        self,
        *,
        actor: str | None = None,
        recipient: str | None = None,
        event: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        modality: str | None = None,
    ) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if actor:
            sql, p = selector_sql(actor, "actor")
            where.append(sql)
            params += p
        if recipient:
            sql, p = selector_sql(recipient, "recipient")
            where.append(sql)
            params += p
        if event:
            types = [t.strip().upper() for t in event.split(",") if t.strip()]
            where.append("event IN (SELECT unnest(?::VARCHAR[]))")
            params.append(types)
        if since:
            where.append("date >= ?")
            params.append(since)
        if until:
            where.append("date <= ?")
            params.append(until)
        if modality:
            where.append("modality = ?")
            params.append(modality)
        return (" WHERE " + " AND ".join(where)) if where else "", params

    def query_events(
        self,
        *,
        table: str = "events",
        limit: int | None = None,
        **filters: Any,
    ) -> list[dict[str, Any]]:
        """Events as flat dicts (newest first), filtered by actor/recipient selectors etc."""
        if table not in ("events", "event_mentions"):
            raise StoreError(f"unknown event table {table!r}")
        where, params = self._event_filter(**filters)
        sql = f"SELECT * EXCLUDE (record) FROM {table}{where} ORDER BY date DESC NULLS LAST, id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        cur = self.con.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    def iter_records(
        self, *, table: str = "events", batch: int = 5000, **filters: Any
    ) -> Iterator[dict[str, Any]]:
        """PLOVER records (dicts) in date order, streamed in batches."""
        if table not in ("events", "event_mentions"):
            raise StoreError(f"unknown event table {table!r}")
        where, params = self._event_filter(**filters)
        cur = self.con.execute(
            f"SELECT record FROM {table}{where} ORDER BY date NULLS LAST, id", params
        )
        while True:
            rows = cur.fetchmany(batch)
            if not rows:
                return
            for (record,) in rows:
                yield json.loads(record)

    def rejected(self) -> list[dict[str, Any]]:
        cur = self.con.execute('SELECT input, location, reason, "at" FROM rejected ORDER BY "at"')
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
