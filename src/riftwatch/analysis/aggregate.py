"""Event mentions -> events: one row per real-world event, however many reports carry it.

Counting each report as an event is the classic failure of news-based event data (one
airstrike told by ten outlets becomes ten airstrikes). This module groups the mentions that
describe the same event and writes one ``events`` row per group, with its mentions, its
sources and a combined confidence.

Which mentions make events (the modality choice)
    Only ``asserted`` and ``claimed`` mentions. A negated ("Pakistan denied carrying out
    the strike"), hypothetical ("could strike") or future ("will strike") mention says an
    event did NOT (yet) happen; counting it would inflate exactly the conflict series an
    analyst reads. Claimed mentions ("the TTP said it attacked") are kept: most attacks are
    known only through claims, and the claimant is recorded on the mention. Mentions with
    other modalities stay in ``event_mentions`` with ``event_id`` NULL.

When two mentions are compatible (``AggregateConfig``)
    - same PLOVER event type (or, with ``match="quad"``, the same quad class);
    - actor country codes equal or one unknown, and the same for recipients;
    - place: same district, or point coordinates within ``max_km``; a side known only to
      province level matches that province; a side with no sub-national place (none, a
      country centroid, or only the article's dateline) matches anything; known countries
      must agree (except for dateline places);
    - dates (the event date, else the publication date) within ``window_days``.

How groups are cut (deterministic, order-free, incremental == full)
    Compatible mentions form a graph; its connected components are computed exactly (an
    update explores the whole component around new mentions, so it sees the same component
    a full rebuild sees). Single linkage alone would chain a daily series of clashes into
    one "event", so each component is then cut greedily in (date, id) order: a mention
    joins the first group whose anchor (earliest mention) it is compatible with, else it
    anchors a new group. The event id is a hash of the anchor mention id. Nothing depends on
    the order in which documents arrived.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from ..errors import ConfigError, StoreError

EVENT_MODALITIES = ("asserted", "claimed")
"""Modalities whose mentions make events (see the module docstring)."""

_PRECISION_RANK = {
    "day": 0,
    "week": 1,
    "published": 2,
    "month": 3,
    "year": 4,
    "decade": 5,
}

_PLACE_RANK = {
    "city": 0, "district": 1, "province": 2, "approximate": 3, "country": 4, "region": 5,
    "dateline": 6,
}  # fmt: skip
_PLACE_COLUMNS = (
    "place", "geonameid", "lat", "lon", "district", "province", "country_code", "loc_resolution",
)  # fmt: skip

_KEY_FIELDS = (
    "id", "document_id", "event", "quad_code", "@d", "actor_code", "recipient_code",
    "district", "province", "country_code", "lat", "lon", "loc_resolution",
)  # fmt: skip


def _key_select(alias: str = "") -> str:
    """The SELECT list of a ``_Key`` (``@d``: the event date, else the publication date)."""
    p = f"{alias}." if alias else ""
    return ", ".join(
        f"coalesce({p}date, {p}published)" if f == "@d" else f"{p}{f}" for f in _KEY_FIELDS
    )


@dataclass(frozen=True, slots=True)
class AggregateConfig:
    """How close two mentions must be to be one event."""

    window_days: int = 2
    """Largest gap between two mention dates (event date, else publication date)."""
    max_km: float = 25.0
    """Two located mentions in different (or unknown) districts merge within this distance."""
    match: str = "event"
    """``event``: same PLOVER type; ``quad``: same quad class (looser)."""
    modalities: tuple[str, ...] = EVENT_MODALITIES

    def __post_init__(self) -> None:
        if self.match not in ("event", "quad"):
            raise ConfigError(
                f"AggregateConfig.match must be 'event' or 'quad', not {self.match!r}"
            )
        if self.window_days < 0 or self.max_km < 0:
            raise ConfigError("AggregateConfig.window_days and max_km must be >= 0")


@dataclass(frozen=True, slots=True)
class _Key:
    """The fields compatibility looks at, for one mention."""

    id: str
    document_id: str | None
    event: str | None
    quad_code: int | None
    d: dt.date | None
    actor_code: str | None
    recipient_code: str | None
    district: str | None
    province: str | None
    country_code: str | None
    lat: float | None
    lon: float | None
    loc_resolution: str | None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _norm(value: str | None) -> str | None:
    return value.strip().casefold() if value and value.strip() else None


_COARSE = ("region", "country", "province", "approximate")
"""Resolutions whose coordinates are an area's centroid, not the event's point."""
_UNKNOWN = ("dateline",)
"""Resolutions that do not say where the event happened (the article's dateline city)."""


def _subnational(k: _Key) -> bool:
    """Does the mention say where inside a country it happened?"""
    if k.loc_resolution in _UNKNOWN:
        return False
    if _norm(k.district) or _norm(k.province):
        return True
    return k.lat is not None and k.lon is not None and k.loc_resolution not in (*_COARSE, None)


def _point(k: _Key) -> bool:
    """Are the coordinates those of the event's own place (city, village, district)?"""
    return (
        k.lat is not None
        and k.lon is not None
        and k.loc_resolution not in _COARSE
        and (k.loc_resolution is not None or _norm(k.district) is not None)
    )


def place_compatible(a: _Key, b: _Key, config: AggregateConfig) -> bool:
    """Could ``a`` and ``b`` have happened in the same place?

    Same district, or point coordinates within ``max_km``; a side known only to province
    level matches any place of that province; a side with no place (or only a dateline)
    matches anything.
    """
    if a.loc_resolution in _UNKNOWN or b.loc_resolution in _UNKNOWN:
        return True
    if a.country_code and b.country_code and a.country_code != b.country_code:
        return False
    if not _subnational(a) or not _subnational(b):
        return True
    da, db = _norm(a.district), _norm(b.district)
    if da and db and da == db:
        return True
    if _point(a) and _point(b):
        return haversine_km(a.lat, a.lon, b.lat, b.lon) <= config.max_km  # type: ignore[arg-type]
    if da and db:
        return False
    pa_, pb = _norm(a.province), _norm(b.province)
    return not pa_ or not pb or pa_ == pb


def compatible(a: _Key, b: _Key, config: AggregateConfig) -> bool:
    """The whole compatibility rule (type, actors, place, dates)."""
    if config.match == "event":
        if a.event != b.event:
            return False
    elif a.quad_code != b.quad_code:
        return False
    if a.d is None or b.d is None or abs((a.d - b.d).days) > config.window_days:
        return False
    for x, y in ((a.actor_code, b.actor_code), (a.recipient_code, b.recipient_code)):
        if x and y and x != y:
            return False
    return place_compatible(a, b, config)


# -- reading ------------------------------------------------------------------------------
def _eligible_where(config: AggregateConfig, alias: str = "") -> tuple[str, list[Any]]:
    p = f"{alias}." if alias else ""
    return f"{p}modality IN (SELECT unnest(?::VARCHAR[]))", [list(config.modalities)]


def _keys(
    con: duckdb.DuckDBPyConnection, ids: Sequence[str] | None, config: AggregateConfig
) -> dict[str, _Key]:
    where, params = _eligible_where(config)
    sql = f"SELECT {_key_select()} FROM event_mentions WHERE {where}"
    if ids is not None:
        sql += " AND id IN (SELECT unnest(?::VARCHAR[]))"
        params.append(list(ids))
    return {row[0]: _Key(*row) for row in con.execute(sql, params).fetchall()}


def _candidate_pairs(
    con: duckdb.DuckDBPyConnection, config: AggregateConfig, frontier: Sequence[str] | None
) -> list[tuple[_Key, _Key]]:
    """Pairs passing the cheap SQL block (type, date window, codes, rough place).

    ``frontier`` None: every unordered pair once. Else: pairs whose first side is in it.
    Dates are blocked into buckets one window wide and each mention is joined with its own
    and the two neighbouring buckets, so the join is a hash join on (type, bucket) instead
    of a range scan. Every condition here is implied by ``compatible`` (which decides).
    """
    wa, pa_ = _eligible_where(config)
    same = "a.event = b.event" if config.match == "event" else "a.quad_code = b.quad_code"
    width = config.window_days + 1
    fields = [f if f != "@d" else "d" for f in _KEY_FIELDS]
    m_cols = ", ".join("coalesce(date, published) AS d" if f == "d" else f for f in fields)
    cols_a = ", ".join(f"a.{f}" for f in fields)
    cols_b = ", ".join(f"b.{f}" for f in fields)
    # rough place block: an equirectangular distance with a 10% margin (haversine decides)
    near = (
        "111.2 * sqrt(pow(a.lat - b.lat, 2)"
        " + pow((a.lon - b.lon) * cos(radians((a.lat + b.lat) / 2)), 2)) <= ? * 1.1"
    )
    conditions = f"""
        a.id <> b.id AND abs(date_diff('day', a.d, b.d)) <= ?
          AND (a.actor_code IS NULL OR b.actor_code IS NULL OR a.actor_code = b.actor_code)
          AND (a.recipient_code IS NULL OR b.recipient_code IS NULL
               OR a.recipient_code = b.recipient_code)
          AND (a.loc_resolution = 'dateline' OR b.loc_resolution = 'dateline'
               OR ((a.country_code IS NULL OR b.country_code IS NULL
                    OR a.country_code = b.country_code)
                   AND (a.district IS NULL OR b.district IS NULL
                        OR lower(trim(a.district)) = lower(trim(b.district))
                        OR a.lat IS NULL OR b.lat IS NULL OR {near})))
    """
    if frontier is None:
        sql = f"""
            WITH m AS (
                SELECT {m_cols},
                       CAST(floor(date_diff('day', DATE '1970-01-01',
                            coalesce(date, published)) / ?) AS BIGINT) AS bk
                FROM event_mentions WHERE {wa} AND coalesce(date, published) IS NOT NULL
            ),
            b AS (SELECT *, unnest([bk - 1, bk, bk + 1]) AS jb FROM m)
            SELECT {cols_a}, {cols_b} FROM m a JOIN b ON {same} AND a.bk = b.jb
            WHERE {conditions} AND a.id < b.id
        """
        params: list[Any] = [width, *pa_, config.window_days, config.max_km]
    else:
        # an update: the frontier is small, so select it first and scan the store once for
        # mentions of its types within its date range (no store-wide self-join)
        sql = f"""
            WITH a AS (
                SELECT {m_cols} FROM event_mentions
                WHERE id IN (SELECT unnest(?::VARCHAR[])) AND {wa}
                  AND coalesce(date, published) IS NOT NULL
            ),
            b AS (
                SELECT {m_cols} FROM event_mentions
                WHERE {wa}
                  AND {"event" if config.match == "event" else "quad_code"} IN
                      (SELECT {"event" if config.match == "event" else "quad_code"} FROM a)
                  AND coalesce(date, published) BETWEEN (SELECT min(d) FROM a) - ?::INTEGER
                      AND (SELECT max(d) FROM a) + ?::INTEGER
            )
            SELECT {cols_a}, {cols_b} FROM a JOIN b ON {same} WHERE {conditions}
        """
        params = [
            list(frontier), *pa_, *pa_, config.window_days, config.window_days,
            config.window_days, config.max_km,
        ]  # fmt: skip
    n = len(_Key.__slots__)
    out = []
    for row in con.execute(sql, params).fetchall():
        out.append((_Key(*row[:n]), _Key(*row[n:])))
    return out


# -- clustering ---------------------------------------------------------------------------
class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


def _order(k: _Key) -> tuple[dt.date, str]:
    return (k.d or dt.date.max, k.id)


def _cut(members: list[_Key], edges: set[tuple[str, str]]) -> list[list[_Key]]:
    """Cut one connected component into anchored groups (see module docstring)."""
    groups: list[list[_Key]] = []
    for m in sorted(members, key=_order):
        for g in groups:
            if (g[0].id, m.id) in edges:
                g.append(m)
                break
        else:
            groups.append([m])
    return groups


def _cluster(
    keys: dict[str, _Key], pairs: Iterable[tuple[_Key, _Key]], config: AggregateConfig
) -> list[tuple[str, list[_Key]]]:
    """(component id, group) for every group of the mentions in ``keys``."""
    uf = _UnionFind()
    edges: set[tuple[str, str]] = set()
    for a, b in pairs:
        if a.id in keys and b.id in keys and compatible(a, b, config):
            edges.add((a.id, b.id))
            edges.add((b.id, a.id))
            uf.union(a.id, b.id)
    comps: dict[str, list[_Key]] = {}
    for k in keys.values():
        comps.setdefault(uf.find(k.id), []).append(k)
    out = []
    for members in comps.values():
        first = min(members, key=_order)
        comp_id = "C" + _digest(first.id)
        for group in _cut(members, edges):
            out.append((comp_id, group))
    return out


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def event_id_for(anchor_mention_id: str) -> str:
    """The id of the event anchored on a mention: stable whatever the arrival order."""
    return "ev-" + _digest(anchor_mention_id)


# -- writing ------------------------------------------------------------------------------
def _event_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute("DESCRIBE events").fetchall()]


def _mention_rows(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    cur = con.execute(
        "SELECT * FROM event_mentions WHERE id IN (SELECT unnest(?::VARCHAR[]))", [list(ids)]
    )
    cols = [d[0] for d in cur.description]
    return {row[0]: dict(zip(cols, row, strict=True)) for row in cur.fetchall()}


def combined_confidence(by_document: dict[str | None, float]) -> float:
    """1 - prod(1 - c) over documents (the best mention of each document).

    Several sentences of one article are not independent confirmations, so each document
    counts once with its most confident mention.
    """
    miss = 1.0
    for c in by_document.values():
        miss *= 1.0 - min(max(c or 0.0, 0.0), 1.0)
    return round(1.0 - miss, 6)


def _merge(
    group: list[_Key], rows: dict[str, dict[str, Any]], comp_id: str, columns: list[str]
) -> dict[str, Any]:
    """One ``events`` row from a group of mention rows."""
    anchor = min(group, key=_order)
    members = [rows[k.id] for k in group]
    # representative: most confident, then most precise date, then id (deterministic)
    members.sort(
        key=lambda r: (
            -(r.get("confidence") or 0.0),
            _PRECISION_RANK.get(r.get("date_precision") or "", 9),
            r["id"],
        )
    )
    rep = dict(members[0])
    # fill what the representative lacks from the others, in the same order
    for col in (
        "actor_code", "actor_sector", "actor_text", "actor_kb_id",
        "recipient_code", "recipient_sector", "recipient_text", "recipient_kb_id",
        "place", "geonameid", "lat", "lon", "district", "province", "country_code",
        "loc_resolution", "mode", "cameo_code", "goldstein", "event_scale", "quad_code",
    ):  # fmt: skip
        if rep.get(col) is None:
            for r in members[1:]:
                if r.get(col) is not None:
                    rep[col] = r[col]
                    break
    # the place: from the member that locates the event most finely
    located = [r for r in members if r.get("place") is not None or r.get("lat") is not None]
    if located:
        best_loc = min(located, key=lambda r: _PLACE_RANK.get(r.get("loc_resolution") or "", 5))
        for col in _PLACE_COLUMNS:
            rep[col] = best_loc.get(col)
    # the best-attested date: the most precise, earliest among equals
    dated = [r for r in members if r.get("date") is not None]
    if dated:
        best = min(
            dated, key=lambda r: (_PRECISION_RANK.get(r.get("date_precision") or "", 9), r["date"])
        )
        rep["date"], rep["date_precision"] = best["date"], best["date_precision"]
    # victims: the latest report that gives a number (tolls rise), with the range of reports
    by_report = sorted(members, key=lambda r: (r.get("published") or dt.date.min, r["id"]))
    for col in ("dead", "injured", "arrested"):
        vals = [r[col] for r in by_report if r.get(col) is not None]
        rep[col] = vals[-1] if vals else None
    deads = [r["dead"] for r in members if r.get("dead") is not None]
    lows = [r["dead_low"] for r in members if r.get("dead_low") is not None] + deads
    highs = [r["dead_high"] for r in members if r.get("dead_high") is not None] + deads
    rep["dead_low"] = min(lows) if lows else None
    rep["dead_high"] = max(highs) if highs else None
    best_by_doc: dict[str | None, float] = {}
    for r in members:
        doc = r.get("document_id")
        best_by_doc[doc] = max(best_by_doc.get(doc, 0.0), r.get("confidence") or 0.0)
    reports = [r["published"] for r in members if r.get("published") is not None]
    outlets = {r["source"] for r in members if r.get("source")}
    rep["id"] = event_id_for(anchor.id)
    rep["confidence"] = combined_confidence(best_by_doc)
    rep["mentions"] = len(members)
    rep["sources"] = len(best_by_doc)
    rep["outlets"] = len(outlets)
    rep["first_report"] = min(reports) if reports else None
    rep["last_report"] = max(reports) if reports else None
    rep["component"] = comp_id
    rep["record"] = _record(rep)
    return {c: rep.get(c) for c in columns}


def _record(rep: dict[str, Any]) -> str:
    """The representative's PLOVER record with the event-level fields overwritten."""
    try:
        record = json.loads(rep.get("record") or "{}")
    except (TypeError, ValueError):
        record = {}
    record["id"] = rep["id"]
    record["date"] = rep["date"].isoformat() if rep.get("date") else None
    record["date_precision"] = rep.get("date_precision")
    size = record.setdefault("size", {}) or {}
    for col in ("dead", "injured", "arrested", "dead_low", "dead_high"):
        size[col] = rep.get(col)
    record["size"] = size
    ext = record.setdefault("riftwatch", {}) or {}
    ext.update(
        confidence=rep["confidence"],
        mentions=rep["mentions"],
        sources=rep["sources"],
        outlets=rep["outlets"],
        first_report=rep["first_report"].isoformat() if rep.get("first_report") else None,
        last_report=rep["last_report"].isoformat() if rep.get("last_report") else None,
    )
    record["riftwatch"] = ext
    return json.dumps(record, ensure_ascii=False)


def _write(
    con: duckdb.DuckDBPyConnection,
    clusters: list[tuple[str, list[_Key]]],
    drop_events: Sequence[str],
    clear_mentions: Sequence[str],
) -> None:
    """Replace ``drop_events`` by the events of ``clusters``; point mentions at them."""
    if drop_events:
        con.execute(
            "DELETE FROM events WHERE id IN (SELECT unnest(?::VARCHAR[]))", [list(drop_events)]
        )
        con.execute(
            "DELETE FROM event_members WHERE event_id IN (SELECT unnest(?::VARCHAR[]))",
            [list(drop_events)],
        )
    if clear_mentions:
        con.execute(
            "UPDATE event_mentions SET event_id = NULL WHERE id IN (SELECT unnest(?::VARCHAR[]))",
            [list(clear_mentions)],
        )
    if not clusters:
        return
    columns = _event_columns(con)
    ids = [k.id for _, g in clusters for k in g]
    rows = _mention_rows(con, ids)
    merged = [_merge(g, rows, comp, columns) for comp, g in clusters]
    members: dict[str, list[Any]] = {
        "event_id": [], "mention_id": [], "document_id": [], "component": []
    }  # fmt: skip
    for (comp, g), ev in zip(clusters, merged, strict=True):
        for k in g:
            members["component"].append(comp)
            members["event_id"].append(ev["id"])
            members["mention_id"].append(k.id)
            members["document_id"].append(k.document_id)
    schema = {r[0]: r[1] for r in con.execute("DESCRIBE events").fetchall()}
    table = pa.table({c: pa.array([m[c] for m in merged]) for c in columns})
    member_table = pa.table(members)
    con.register("_rw_new_events", table)
    con.register("_rw_new_members", member_table)
    try:
        casts = ", ".join(f'CAST("{c}" AS {schema[c]}) AS "{c}"' for c in columns)
        con.execute(f"INSERT INTO events SELECT {casts} FROM _rw_new_events")
        con.execute(
            "INSERT INTO event_members SELECT event_id, mention_id, document_id, component"
            " FROM _rw_new_members"
        )
        con.execute(
            "UPDATE event_mentions SET event_id = m.event_id FROM _rw_new_members m"
            " WHERE event_mentions.id = m.mention_id"
        )
    finally:
        con.unregister("_rw_new_events")
        con.unregister("_rw_new_members")


# -- public API ---------------------------------------------------------------------------
def update_events(
    con: duckdb.DuckDBPyConnection,
    document_ids: list[str],
    *,
    config: AggregateConfig | None = None,
) -> None:
    """Recompute the events touched by the mentions of ``document_ids`` (just written).

    Runs inside the caller's transaction. Only the connected groups of compatible mentions
    around the new mentions (and the groups that held mentions of these documents before
    they were re-coded) are recomputed, and the result equals a full ``rebuild_events``.
    """
    config = config or AggregateConfig()
    docs = sorted(set(document_ids))
    if not docs:
        return
    try:
        # old events these documents belonged to (their old mentions may be gone now)
        stale = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT event_id FROM event_members"
                " WHERE document_id IN (SELECT unnest(?::VARCHAR[]))",
                [docs],
            ).fetchall()
        ]
        new_all = [
            r[0]
            for r in con.execute(
                "SELECT id FROM event_mentions WHERE document_id IN (SELECT unnest(?::VARCHAR[]))",
                [docs],
            ).fetchall()
        ]
        seeds = set(new_all)
        comps = _components_of(con, stale)
        drop = set(stale)
        seeds |= set(_members_of_components(con, comps))
        keys: dict[str, _Key] = {}
        pairs: list[tuple[_Key, _Key]] = []
        keys.update(_keys(con, sorted(seeds), config))
        frontier = sorted(keys)
        while frontier:
            found = _candidate_pairs(con, config, frontier)
            pairs += found
            nxt: set[str] = set()
            for a, b in found:
                if compatible(a, b, config) and b.id not in keys:
                    keys[b.id] = b
                    nxt.add(b.id)
            # whole old components these mentions belonged to are re-cut too
            touched = _events_of_mentions(con, sorted(nxt | set(frontier)))
            more = _components_of(con, touched) - comps
            if more:
                comps |= more
                extra = set(_members_of_components(con, more)) - set(keys)
                for k in _keys(con, sorted(extra), config).values():
                    keys[k.id] = k
                    nxt.add(k.id)
            frontier = sorted(nxt)
        drop |= set(_events_in_components(con, comps))
        drop |= set(_events_of_mentions(con, sorted(keys)))
        # rows written 1:1 per mention (before aggregation was wired in) carry mention ids
        drop |= set(keys) | set(new_all)
        clusters = _cluster(keys, pairs, config)
        ineligible = sorted(set(new_all) - set(keys))
        _write(con, clusters, sorted(drop), ineligible)
    except duckdb.Error as e:
        raise StoreError(f"could not aggregate event mentions into events: {e}") from e


def rebuild_events(con: duckdb.DuckDBPyConnection, *, config: AggregateConfig | None = None) -> int:
    """Recompute every event from every mention; returns the number of events."""
    config = config or AggregateConfig()
    try:
        con.execute("DELETE FROM events")
        con.execute("DELETE FROM event_members")
        con.execute("UPDATE event_mentions SET event_id = NULL")
        keys = _keys(con, None, config)
        pairs = _candidate_pairs(con, config, None)
        clusters = _cluster(keys, pairs, config)
        _write(con, clusters, [], [])
    except duckdb.Error as e:
        raise StoreError(f"could not rebuild events: {e}") from e
    return len(clusters)


def _components_of(con: duckdb.DuckDBPyConnection, event_ids: Sequence[str]) -> set[str]:
    if not event_ids:
        return set()
    rows = con.execute(
        "SELECT DISTINCT component FROM event_members"
        " WHERE event_id IN (SELECT unnest(?::VARCHAR[])) AND component IS NOT NULL",
        [list(event_ids)],
    ).fetchall()
    return {r[0] for r in rows}


def _events_in_components(con: duckdb.DuckDBPyConnection, comps: set[str]) -> list[str]:
    if not comps:
        return []
    rows = con.execute(
        "SELECT DISTINCT event_id FROM event_members WHERE component IN"
        " (SELECT unnest(?::VARCHAR[]))",
        [sorted(comps)],
    ).fetchall()
    return [r[0] for r in rows]


def _members_of_components(con: duckdb.DuckDBPyConnection, comps: set[str]) -> list[str]:
    if not comps:
        return []
    rows = con.execute(
        "SELECT mention_id FROM event_members WHERE component IN (SELECT unnest(?::VARCHAR[]))",
        [sorted(comps)],
    ).fetchall()
    return [r[0] for r in rows]


def _events_of_mentions(con: duckdb.DuckDBPyConnection, mention_ids: Sequence[str]) -> list[str]:
    if not mention_ids:
        return []
    rows = con.execute(
        "SELECT DISTINCT event_id FROM event_members WHERE mention_id IN (SELECT unnest(?::VARCHAR[]))",
        [list(mention_ids)],
    ).fetchall()
    return [r[0] for r in rows]
