"""Schema migrations, applied in order and recorded in ``_riftwatch_migrations``.

Each migration is a named function; a database records the names it has applied, so an
old file is brought up to date on open and a new migration never re-runs an old one. To
change the schema, append a migration; never edit one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

Migration = Callable[[duckdb.DuckDBPyConnection], None]

_EVENT_COLUMNS = """
    id VARCHAR PRIMARY KEY,
    document_id VARCHAR,
    sentence_index INTEGER,
    date DATE,
    date_precision VARCHAR,
    event VARCHAR,
    mode VARCHAR,
    context VARCHAR[],
    quad_code INTEGER,
    event_scale DOUBLE,
    actor_code VARCHAR,
    actor_sector VARCHAR,
    actor_text VARCHAR,
    actor_kb_id VARCHAR,
    recipient_code VARCHAR,
    recipient_sector VARCHAR,
    recipient_text VARCHAR,
    recipient_kb_id VARCHAR,
    place VARCHAR,
    geonameid BIGINT,
    lat DOUBLE,
    lon DOUBLE,
    district VARCHAR,
    province VARCHAR,
    country_code VARCHAR,
    loc_resolution VARCHAR,
    dead INTEGER,
    injured INTEGER,
    arrested INTEGER,
    dead_low INTEGER,
    dead_high INTEGER,
    modality VARCHAR,
    claimant_code VARCHAR,
    cameo_code VARCHAR,
    goldstein DOUBLE,
    confidence DOUBLE,
    event_text VARCHAR,
    text VARCHAR,
    published DATE,
    source VARCHAR,
    record JSON
"""


def m001_initial(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        CREATE TABLE documents (
            id VARCHAR PRIMARY KEY,
            version INTEGER NOT NULL DEFAULT 1,
            text_hash VARCHAR NOT NULL,
            title VARCHAR,
            text VARCHAR,
            published DATE,
            published_source VARCHAR,
            source VARCHAR,
            url VARCHAR,
            input VARCHAR,
            location VARCHAR,
            language VARCHAR,
            dateline_place VARCHAR,
            sentences INTEGER,
            sentences_parsed INTEGER,
            note VARCHAR,
            ingested_at TIMESTAMP,
            coded_at TIMESTAMP
        )
        """
    )
    con.execute(f"CREATE TABLE event_mentions ({_EVENT_COLUMNS}, event_id VARCHAR)")
    con.execute(
        f"CREATE TABLE events ({_EVENT_COLUMNS}, mentions INTEGER, sources INTEGER,"
        " first_report DATE, last_report DATE)"
    )
    con.execute(
        """
        CREATE TABLE rejected (
            input VARCHAR NOT NULL,
            location VARCHAR,
            reason VARCHAR NOT NULL,
            "at" TIMESTAMP,
            run_id VARCHAR
        )
        """
    )
    con.execute(
        """
        CREATE TABLE runs (
            id VARCHAR PRIMARY KEY,
            started_at TIMESTAMP,
            finished_at TIMESTAMP,
            inputs VARCHAR[],
            documents INTEGER,
            skipped INTEGER,
            sentences INTEGER,
            events INTEGER,
            rejected INTEGER,
            status VARCHAR
        )
        """
    )
    con.execute("CREATE INDEX event_mentions_document ON event_mentions (document_id)")
    con.execute("CREATE INDEX events_date ON events (date)")


MIGRATIONS: list[tuple[str, Migration]] = [
    ("001_initial", m001_initial),
]


def apply_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Bring ``con`` up to the latest schema; returns the names applied now."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS _riftwatch_migrations (name VARCHAR PRIMARY KEY,"
        " applied_at TIMESTAMP DEFAULT current_timestamp)"
    )
    done = {row[0] for row in con.execute("SELECT name FROM _riftwatch_migrations").fetchall()}
    applied = []
    for name, migration in MIGRATIONS:
        if name in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            migration(con)
            con.execute("INSERT INTO _riftwatch_migrations (name) VALUES (?)", [name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def m002_event_clusters(con: duckdb.DuckDBPyConnection) -> None:
    """What the aggregation (``riftwatch.analysis.aggregate``) needs beside ``events``.

    ``event_members`` lists the mentions (documents, component) each event groups, so an
    update finds the events a re-coded document touched even after its old mentions are
    deleted; ``events.component`` names the connected group of compatible mentions an event
    was cut from, so an update re-clusters whole groups; ``events.outlets`` counts distinct
    publishers (``sources`` counts distinct documents). A side table, not list columns, so
    flat CSV exports of ``events`` keep working.
    """
    con.execute("ALTER TABLE events ADD COLUMN component VARCHAR")
    con.execute("ALTER TABLE events ADD COLUMN outlets INTEGER")
    con.execute(
        "CREATE TABLE event_members (event_id VARCHAR NOT NULL, mention_id VARCHAR NOT NULL,"
        " document_id VARCHAR, component VARCHAR)"
    )


MIGRATIONS.append(("002_event_clusters", m002_event_clusters))
