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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from ..analysis.aggregate import AggregateConfig, update_events
from ..errors import StoreError
from ..model import Document, Event, Rejected
from .migrations import apply_migrations
from .selectors import selector_sql

DEFAULT_DB = "riftwatch.duckdb"

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
    ):
        self.path = str(path)
        self.aggregate_config = aggregate_config
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as e:
            raise StoreError(f"cannot open the store {self.path}: {e}") from e
        except duckdb.Error as e:
            raise StoreError(f"{self.path} is not a riftwatch DuckDB store: {e}") from e
        if not read_only:
            apply_migrations(self.con)

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
        version: its old event mentions are replaced.
        """
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        n_events = 0
        con = self.con
        written: list[str] = []
        con.execute("BEGIN TRANSACTION")
        try:
            for item in coded:
                written.append(item.document.id)
                doc = item.document
                h = text_hash(doc.text)
                old = con.execute(
                    "SELECT version, text_hash FROM documents WHERE id = ?", [doc.id]
                ).fetchone()
                version = 1 if old is None else (old[0] if old[1] == h else old[0] + 1)
                con.execute("DELETE FROM event_mentions WHERE document_id = ?", [doc.id])
                con.execute("DELETE FROM documents WHERE id = ?", [doc.id])
                con.execute(
                    "INSERT INTO documents (id, version, text_hash, title, text, published,"
                    " published_source, source, url, input, location, language, dateline_place,"
                    " sentences, sentences_parsed, note, ingested_at, coded_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
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
                    ],
                )
                rows = [event_row(e) for e in item.events]
                if rows:
                    placeholders = ", ".join("?" for _ in EVENT_ROW_COLUMNS)
                    cols = ", ".join(EVENT_ROW_COLUMNS)
                    con.executemany(
                        f"INSERT INTO event_mentions ({cols}, event_id) VALUES ({placeholders}, ?)",
                        [r + [r[0]] for r in rows],
                    )
                    n_events += len(rows)
            # merge the new mentions with the reports of the same events already stored
            update_events(con, written, config=self.aggregate_config)
            con.execute("COMMIT")
        except Exception as e:
            con.execute("ROLLBACK")
            raise StoreError(f"could not write a batch to {self.path}: {e}") from e
        return n_events

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
