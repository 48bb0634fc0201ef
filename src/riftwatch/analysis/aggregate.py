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

How it stays fast on huge groups (sub-quadratic)
    No pair list is built. Mentions are blocked by type (or quad) and swept in date order;
    compatibility depends only on a mention's signature (codes and place) and its date, so
    the sweep keeps one live mention per signature inside the date window (``_Sweep``).
    Twenty thousand reports of one strike cost about as much as twenty thousand distinct
    events: see benchmarks/bench_aggregate.py. (Many *distinct* signatures alive in one
    window, e.g. thousands of places on one day, still compare pairwise among themselves.)
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


def _load_windows(
    con: duckdb.DuckDBPyConnection,
    config: AggregateConfig,
    windows: dict[Any, list[tuple[dt.date, dt.date]]],
) -> dict[str, _Key]:
    """Eligible mentions of each type (event type, or quad) dated inside its intervals.

    One query for every type at once: a round of ``_closure`` touches dozens of types and a
    query per type cost more than the clustering.
    """
    spans = [(t, lo, hi) for t, intervals in windows.items() for lo, hi in intervals]
    if not spans:
        return {}
    where, params = _eligible_where(config, "m")
    col = "event" if config.match == "event" else "quad_code"
    cast = "VARCHAR" if config.match == "event" else "INTEGER"
    sql = f"""
        SELECT {_key_select("m")} FROM event_mentions m
        JOIN (SELECT unnest(?::{cast}[]) AS t, unnest(?::DATE[]) AS lo,
                     unnest(?::DATE[]) AS hi) r
          ON m.{col} = r.t AND coalesce(m.date, m.published) BETWEEN r.lo AND r.hi
        WHERE {where}
    """
    cols = list(zip(*spans, strict=True))
    rows = con.execute(sql, [list(cols[0]), list(cols[1]), list(cols[2]), *params]).fetchall()
    return {row[0]: _Key(*row) for row in rows}


def _merge_intervals(days: Iterable[dt.date], width: int) -> list[tuple[dt.date, dt.date]]:
    """Disjoint date intervals covering ``[d - width, d + width]`` for every day."""
    out: list[tuple[dt.date, dt.date]] = []
    pad = dt.timedelta(days=width)
    for d in sorted(set(days)):
        lo, hi = d - pad, d + pad
        if out and lo <= out[-1][1] + dt.timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
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


def _signature(k: _Key) -> tuple[Any, ...]:
    """Everything ``compatible`` reads except the date: equal signatures, same verdicts."""
    return (
        k.event, k.quad_code, k.actor_code, k.recipient_code, k.district, k.province,
        k.country_code, k.lat, k.lon, k.loc_resolution,
    )  # fmt: skip


_VERDICT_CACHE = 500_000
"""Most cached signature-pair verdicts kept at once."""


class _Sweep:
    """Date-ordered sweeps over one block of mentions (one event type, or one quad).

    Two mentions with the same signature (``_signature``) get the same verdict from
    ``compatible`` against any third mention dated within the window, so the sweep keeps
    only one mention per signature among those still inside the window: the cost grows
    with the mentions times the *distinct* signatures alive in a window, not with the
    square of the mentions (twenty thousand reports of one clash is one signature).
    Verdicts between signatures are cached.
    """

    def __init__(self, config: AggregateConfig) -> None:
        self.config = config
        self.window = dt.timedelta(days=config.window_days)
        self._verdicts: dict[int, bool] = {}
        # signatures are numbered once: hashing a pair of small ints per comparison is far
        # cheaper than hashing a pair of ten-field tuples (millions of comparisons in a
        # dense window)
        self._sig_ids: dict[tuple[Any, ...], int] = {}

    def sig_id(self, sig: tuple[Any, ...]) -> int:
        """A small number standing for ``sig`` (the same for equal signatures)."""
        i = self._sig_ids.get(sig)
        if i is None:
            i = self._sig_ids[sig] = len(self._sig_ids)
        return i

    def compatible(
        self, a: _Key, sa: tuple[Any, ...], ia: int, b: _Key, sb: tuple[Any, ...], ib: int
    ) -> bool:
        """``compatible(a, b)`` for two mentions already known to lie within the window.

        ``ia`` and ``ib`` are ``sig_id(sa)`` and ``sig_id(sb)``.
        """
        key = (ia << 32) | ib
        verdict = self._verdicts.get(key)
        if verdict is None:
            probe = _Key(a.id, a.document_id, *sa[:2], b.d, *sa[2:])
            verdict = compatible(probe, b, self.config)
            if len(self._verdicts) > _VERDICT_CACHE:
                self._verdicts.clear()  # bounded memory when signatures are all distinct
            self._verdicts[key] = verdict
            self._verdicts[(ib << 32) | ia] = verdict
        return verdict

    def union(self, block: list[_Key], uf: _UnionFind) -> None:
        """Join every mention of ``block`` (sorted by ``_order``) to its compatible ones.

        Per signature only the latest mention seen is kept: any earlier one within the
        window of the current mention is within the window of that latest one too (same
        signature, dates in between), so it is already in the same component.
        """
        window = self.config.window_days
        # signature number -> (latest mention, its signature, its day number)
        latest: dict[int, tuple[_Key, tuple[Any, ...], int]] = {}
        for m in block:
            sm = _signature(m)
            im = self.sig_id(sm)
            uf.find(m.id)
            if m.d is None:
                continue
            day = m.d.toordinal()
            for s in list(latest):
                other, so, other_day = latest[s]
                if day - other_day > window:
                    del latest[s]
                elif uf.find(other.id) != uf.find(m.id) and self.compatible(
                    other, so, s, m, sm, im
                ):  # already joined: the verdict would change nothing
                    uf.union(other.id, m.id)
            latest[im] = (m, sm, day)

    def cut(self, block: list[_Key]) -> list[list[_Key]]:
        """Greedy anchored groups of ``block`` (sorted by ``_order``).

        A mention joins the first group (in creation order) whose anchor it is compatible
        with. Only anchors within the window can match and, among those, no two share a
        signature (a mention with an alive anchor's signature would have joined it), so
        the live anchors to test are few. An anchor is only ever compatible with
        mentions of its own component, so cutting the whole block at once gives each
        component's own cut.
        """
        groups: list[list[_Key]] = []
        live: list[tuple[list[_Key], tuple[Any, ...], int]] = []
        for m in block:
            if m.d is None:
                groups.append([m])
                continue
            sm = _signature(m)
            im = self.sig_id(sm)
            live = [(g, s, i) for g, s, i in live if m.d - g[0].d <= self.window]  # type: ignore[operator]
            for g, s, i in live:
                if self.compatible(g[0], s, i, m, sm, im):
                    g.append(m)
                    break
            else:
                group = [m]
                groups.append(group)
                live.append((group, sm, im))
        return groups


def _blocks(keys: Iterable[_Key], config: AggregateConfig) -> list[list[_Key]]:
    """Mentions split by what must be equal (type or quad), each sorted by ``_order``."""
    by: dict[Any, list[_Key]] = {}
    for k in keys:
        by.setdefault(k.event if config.match == "event" else k.quad_code, []).append(k)
    return [sorted(b, key=_order) for _, b in sorted(by.items(), key=lambda kv: str(kv[0]))]


def _components(keys: dict[str, _Key], config: AggregateConfig) -> _UnionFind:
    uf = _UnionFind()
    sweep = _Sweep(config)
    for block in _blocks(keys.values(), config):
        sweep.union(block, uf)
    return uf


def _cluster(keys: dict[str, _Key], config: AggregateConfig) -> list[tuple[str, list[_Key]]]:
    """(component id, group) for every group of the mentions in ``keys``.

    ``keys`` must hold whole components (every compatible mention of each member).
    """
    uf = _components(keys, config)
    comp_id: dict[str, str] = {}
    for k in sorted(keys.values(), key=_order):
        comp_id.setdefault(uf.find(k.id), "C" + _digest(k.id))
    sweep = _Sweep(config)
    out = []
    for block in _blocks(keys.values(), config):
        for group in sweep.cut(block):
            out.append((comp_id[uf.find(group[0].id)], group))
    return out


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def event_id_for(anchor_mention_id: str) -> str:
    """The id of the event anchored on a mention: stable whatever the arrival order."""
    return "ev-" + _digest(anchor_mention_id)


# -- writing ------------------------------------------------------------------------------
def _event_schema(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Column -> SQL type of ``events``, in table order."""
    return {r[0]: r[1] for r in con.execute("DESCRIBE events").fetchall()}


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
    schema = _event_schema(con)
    columns = list(schema)
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
        keys, comps = _closure(con, sorted(seeds), comps, config)
        drop |= set(_events_in_components(con, comps))
        drop |= set(_events_of_mentions(con, sorted(keys)))
        # rows written 1:1 per mention (before aggregation was wired in) carry mention ids
        drop |= set(keys) | set(new_all)
        clusters = _cluster(keys, config)
        ineligible = sorted(set(new_all) - set(keys))
        _write(con, clusters, sorted(drop), ineligible)
    except duckdb.OutOfMemoryException:
        raise  # the store retries the batch under a higher cap
    except duckdb.Error as e:
        raise StoreError(f"could not aggregate event mentions into events: {e}") from e


def _closure(
    con: duckdb.DuckDBPyConnection,
    seeds: Sequence[str],
    comps: set[str],
    config: AggregateConfig,
) -> tuple[dict[str, _Key], set[str]]:
    """The whole new components around ``seeds``, and every old component they touch.

    Mentions of the seeds' types dated within the window of the current components are
    loaded and swept; while a component reaches a day whose window was not loaded yet, or
    holds a mention of an old component not yet included (whose events must be re-cut),
    the load grows, twice as far each round. It stops when nothing outside can be
    compatible with a member, so the components are exactly those a full rebuild finds.
    """
    keys = _keys(con, seeds, config)
    wanted = set(keys)
    loaded: dict[str, _Key] = dict(keys)
    covered: set[tuple[Any, dt.date]] = set()
    checked: set[str] = set()
    pad = config.window_days
    uf = _UnionFind()
    dirty = True
    while True:
        if dirty:  # re-sweep only when the loaded mentions changed
            uf = _components(loaded, config)
            dirty = False
        roots = {uf.find(i) for i in wanted}
        members = {i: k for i, k in loaded.items() if uf.find(i) in roots}
        need = {
            (k.event if config.match == "event" else k.quad_code, k.d)
            for k in members.values()
            if k.d is not None
        } - covered
        fresh = sorted(set(members) - checked)
        checked.update(fresh)
        more = _components_of(con, _events_of_mentions(con, fresh)) - comps
        if not need and not more:
            return members, comps
        if more:
            comps |= more
            extra = _keys(con, _members_of_components(con, more), config)
            dirty |= bool(set(extra) - set(loaded))
            loaded.update(extra)
            wanted |= set(extra)
        by_type: dict[Any, set[dt.date]] = {}
        for t, d in need:
            by_type.setdefault(t, set()).add(d)
        windows = {t: _merge_intervals(days, pad) for t, days in by_type.items()}
        for i, k in _load_windows(con, config, windows).items():
            if i not in loaded:
                loaded[i] = k
                dirty = True
        covered |= need
        # a long chain of daily reports needs many rounds at one window per round: load
        # twice as far each round (what lies beyond a component is swept, then ignored)
        pad = max(1, 2 * pad)


def rebuild_events(con: duckdb.DuckDBPyConnection, *, config: AggregateConfig | None = None) -> int:
    """Recompute every event from every mention; returns the number of events."""
    config = config or AggregateConfig()
    try:
        con.execute("DELETE FROM events")
        con.execute("DELETE FROM event_members")
        con.execute("UPDATE event_mentions SET event_id = NULL")
        clusters = _cluster(_keys(con, None, config), config)
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
