"""Drivers of a shift: which sub-dyads, event types and places moved the relation index.

The index of a window is ``I = sum_e s_e w_e / W`` with ``W = sum_e w_e`` (see
``analysis.common``). Splitting the events into groups g (say sub-dyads),
``I = sum_g N_g / W`` with ``N_g = sum_{e in g} s_e w_e``; so the change between the window
before and the window after a shift splits exactly into

    contribution_g = N_g(after) / W(after) - N_g(before) / W(before)

and the contributions of all groups of one grouping add up to the index change. A group
with a large negative contribution is what turned the relation sour: more (or heavier)
conflict from it after the shift, or cooperation from it that stopped. Each group comes
with its top evidence: the sentences of its weightiest events in the window that made the
contribution, with their document title, source, link and date.

The windows of a shift are long (from one change point to the next), so the weightiest
events of the after window may come years after the turn. ``turn`` therefore lists the
events AT the turn: those dated within ``turn_days`` of the shift date that pushed the
index the way it moved (conflict for a deterioration), weightiest first. They are what an
analyst names as "what happened" at a shift.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from .common import (
    SIGN_SQL,
    SIGNED_SQL,
    WEIGHT_SQL,
    check_table,
    connection,
    dyad_where,
    label_sql,
)
from .dyads import DyadRows, source_of
from .shifts import Shift

GROUPINGS = ("sub-dyad", "event type", "place")
TURN_DAYS = 75
"""Days either side of a shift date whose events count as "at the turn"."""


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    event_id: str
    date: dt.date | None
    event: str | None
    text: str | None
    title: str | None
    source: str | None
    url: str | None
    document_id: str | None
    sources: int
    dead: int | None
    place: str | None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["date"] = self.date.isoformat() if self.date else None
        return out


@dataclass(frozen=True, slots=True)
class Driver:
    grouping: str
    """``sub-dyad``, ``event type`` or ``place``."""
    label: str
    contribution: float
    """This group's part of the index change (the parts of a grouping sum to the change)."""
    share_before: float
    share_after: float
    events_before: int
    events_after: int
    evidence: list[EvidenceItem] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["evidence"] = [e.to_dict() for e in self.evidence]
        return out


@dataclass(frozen=True, slots=True)
class ShiftDrivers:
    a: str
    b: str
    shift_date: dt.date
    before: tuple[dt.date, dt.date]
    after: tuple[dt.date, dt.date]
    index_before: float | None
    index_after: float | None
    delta: float
    drivers: dict[str, list[Driver]] = field(default_factory=dict)
    turn: list[EvidenceItem] = field(default_factory=list)
    """The weightiest events near the shift date that moved the index its way."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "turn": [e.to_dict() for e in self.turn],
            "a": self.a,
            "b": self.b,
            "shift_date": self.shift_date.isoformat(),
            "before": [d.isoformat() for d in self.before],
            "after": [d.isoformat() for d in self.after],
            "index_before": self.index_before,
            "index_after": self.index_after,
            "delta": self.delta,
            "drivers": {k: [d.to_dict() for d in v] for k, v in self.drivers.items()},
        }


_PLACE_SQL = (
    "coalesce(e.district, e.province, e.place, 'unknown place')"
    " || CASE WHEN e.country_code IS NOT NULL AND coalesce(e.district, e.province, e.place)"
    " IS NOT NULL THEN ' (' || e.country_code || ')' ELSE '' END"
)


def shift_drivers(
    store_or_con: Any,
    a: str,
    b: str,
    shift: Shift,
    *,
    directed: bool = False,
    top: int = 5,
    evidence: int = 3,
    table: str = "events",
    turn_days: int = TURN_DAYS,
    turn: int = 5,
    rows: DyadRows | None = None,
) -> ShiftDrivers:
    """Decompose the index change of ``shift`` by sub-dyad, event type and place.

    The drivers and the events at the turn come from one scan of the table (the dyad's
    rows of both windows and of the turn are selected once), which is most of the cost;
    with ``rows`` (the dyad's rows already read, ``analysis.dyads.read_dyad_rows``, holding
    the dates of ``shift_rows_range``) from those rows.
    """
    return _drivers(
        store_or_con,
        a,
        b,
        before=(shift.before_start, shift.before_end),
        after=(shift.after_start, shift.after_end),
        directed=directed,
        top=top,
        evidence=evidence,
        table=table,
        turn=_Turn(shift.date, -1 if shift.delta < 0 else 1, turn_days, turn),
        rows=rows,
    )


def shift_rows_range(
    since: dt.date | None, until: dt.date | None, *, turn_days: int = TURN_DAYS
) -> tuple[dt.date | None, dt.date | None]:
    """The dates the drivers of any shift of a series from ``since`` to ``until`` read.

    A shift's windows start and end on period bounds (a period holding ``since`` may start
    up to a month before it) and its turn reaches ``turn_days`` either side of its date,
    so the rows to read for the series and all its drivers (``read_dyad_rows``) reach a
    month and ``turn_days`` further out on each side.
    """
    pad = dt.timedelta(days=turn_days + 31)
    lo = since - pad if since is not None and since > dt.date.min + pad else None
    hi = until + pad if until is not None and until < dt.date.max - pad else None
    return lo, hi


@dataclass(frozen=True, slots=True)
class _Turn:
    """What ``turn_events`` selects: events within ``days`` of ``day`` of sign ``direction``."""

    day: dt.date
    direction: int
    days: int
    limit: int

    @property
    def window(self) -> tuple[dt.date, dt.date]:
        return self.day - dt.timedelta(days=self.days), self.day + dt.timedelta(days=self.days)


def _turn_ids(rows: list[tuple[str, str | None]], limit: int) -> list[str]:
    """The shown events at a turn from the ranked (id, document id) candidates: one event
    per document first, since three sentences of one article are one story."""
    seen: set[str | None] = set()
    first, rest = [], []
    for event_id, document_id in rows:
        (rest if document_id in seen else first).append(event_id)
        seen.add(document_id)
    return (first + rest)[:limit]


def turn_events(
    store_or_con: Any,
    a: str,
    b: str,
    day: dt.date,
    *,
    direction: int,
    days: int = TURN_DAYS,
    limit: int = 5,
    directed: bool = False,
    table: str = "events",
) -> list[EvidenceItem]:
    """Events within ``days`` of ``day`` whose sign is ``direction``, weightiest first.

    Weight: |PLOVER score| times the number of sources (an event many outlets carried
    mattered more), then the death toll; ties by date and id, so the list is stable. The
    best event of each document comes before a second one from the same document.
    """
    con = connection(store_or_con)
    table = check_table(table)
    lo, hi = day - dt.timedelta(days=days), day + dt.timedelta(days=days)
    where, params = dyad_where(a, b, directed=directed, since=lo, until=hi, table="e")
    sources = "e.sources" if table == "events" else "1"
    sign = SIGN_SQL.replace("quad_code", "e.quad_code")
    weight = WEIGHT_SQL.replace("event_scale", "e.event_scale")
    # rank on the light columns; read text and documents only for the events shown
    sql = f"""
        SELECT e.id, e.document_id
        FROM {table} e
        WHERE {where} AND {sign} = ?
        ORDER BY {weight} * coalesce({sources}, 1) DESC, coalesce(e.dead, 0) DESC, e.date, e.id
        LIMIT ?
    """
    rows = con.execute(sql, [*params, 1 if direction >= 0 else -1, limit * 4]).fetchall()
    ids = _turn_ids(rows, limit)
    items = _evidence_items(con, ids, table)
    return [items[i] for i in ids]


def window_drivers(
    store_or_con: Any,
    a: str,
    b: str,
    *,
    before: tuple[dt.date, dt.date],
    after: tuple[dt.date, dt.date],
    directed: bool = False,
    top: int = 5,
    evidence: int = 3,
    table: str = "events",
    rows: DyadRows | None = None,
) -> ShiftDrivers:
    """Decompose the index change between two date windows (inclusive bounds).

    A busy dyad has tens of thousands of events in its windows, so the work is done
    inside DuckDB (``_window_query``): the sums of every group and the ids of its best
    evidence candidates; only the shown evidence is then read. ``rows``: as in
    ``shift_drivers``.
    """
    return _drivers(
        store_or_con,
        a,
        b,
        before=before,
        after=after,
        directed=directed,
        top=top,
        evidence=evidence,
        table=table,
        turn=None,
        rows=rows,
    )


def _drivers(
    store_or_con: Any,
    a: str,
    b: str,
    *,
    before: tuple[dt.date, dt.date],
    after: tuple[dt.date, dt.date],
    directed: bool,
    top: int,
    evidence: int,
    table: str,
    turn: _Turn | None,
    rows: DyadRows | None = None,
) -> ShiftDrivers:
    """``window_drivers``, and with ``turn`` also ``turn_events``, from one query."""
    since, until = before[0], after[1]
    if turn is not None:
        since, until = min(since, turn.window[0]), max(until, turn.window[1])
    con, source = source_of(
        rows, store_or_con, a, b, directed=directed, table=table, since=since, until=until
    )
    sql, params = _window_query(
        a, b, before, after, directed, table, turn, evidence=evidence, source=source
    )
    total = {"before": 0.0, "after": 0.0}
    groups: dict[str, dict[str, dict[str, tuple[int, float]]]] = {g: {} for g in GROUPINGS}
    best: dict[tuple[str, str, str], tuple[list[str], list[str]]] = {}
    candidates: list[str] = []
    for grouping, side, label, n, net, weight, up, down in con.execute(sql, params).fetchall():
        if grouping == "total":
            total[side] = float(weight)
        elif grouping == "turn":
            candidates = up
        else:
            groups[grouping].setdefault(label, {})[side] = (int(n), float(net))
            best[grouping, label, side] = (up, down)
    net = {
        side: sum(g[side][1] for g in groups[GROUPINGS[0]].values() if side in g) for side in total
    }

    def index(side: str) -> float | None:
        return net[side] / total[side] if total[side] else None

    ib, ia = index("before"), index("after")
    delta = (ia or 0.0) - (ib or 0.0)
    chosen: dict[str, list[tuple[float, str, dict[str, float], dict[str, int]]]] = {}
    for grouping in GROUPINGS:
        ranked = []
        for label, sides in groups[grouping].items():
            share = {
                side: sides[side][1] / total[side] if side in sides and total[side] else 0.0
                for side in ("before", "after")
            }
            counts = {side: sides[side][0] if side in sides else 0 for side in share}
            ranked.append((round(share["after"] - share["before"], 4), label, share, counts))
        ranked.sort(key=lambda d: (-abs(d[0]), d[1]))
        chosen[grouping] = ranked[:top]
    ids = {
        (grouping, label): _evidence_ids(best, grouping, label, share, evidence)
        for grouping, ranked in chosen.items()
        for _, label, share, _ in ranked
    }
    shown = [i for found in ids.values() for i in found]
    items = _evidence_items(con, [*shown, *candidates], table)
    turn_ids = (
        _turn_ids([(i, items[i].document_id) for i in candidates], turn.limit) if turn else []
    )
    out = {
        grouping: [
            Driver(
                grouping=grouping,
                label=label,
                contribution=contribution,
                share_before=round(share["before"], 4),
                share_after=round(share["after"], 4),
                events_before=counts["before"],
                events_after=counts["after"],
                evidence=[items[i] for i in ids[grouping, label]],
            )
            for contribution, label, share, counts in ranked
        ]
        for grouping, ranked in chosen.items()
    }
    return ShiftDrivers(
        a,
        b,
        after[0],
        before,
        after,
        round(ib, 4) if ib is not None else None,
        round(ia, 4) if ia is not None else None,
        round(delta, 4),
        out,
        [items[i] for i in turn_ids],
    )


def _evidence_ids(
    best: dict[tuple[str, str, str], tuple[list[str], list[str]]],
    grouping: str,
    label: str,
    share: dict[str, float],
    evidence: int,
) -> list[str]:
    """A group's evidence: from the window whose share moved the index most, the events
    weightiest in the direction of the group's contribution (``_window_query`` ranks both
    directions of every window; this picks one)."""
    before, after = share["before"], share["after"]
    side = "after" if abs(after) >= abs(before) else "before"
    up = (after - before >= 0) == (abs(after) >= abs(before))
    found = best.get((grouping, label, side))
    if not found or evidence <= 0:
        return []
    return list(found[0 if up else 1][:evidence])


def _window_query(
    a: str,
    b: str,
    before: tuple[dt.date, dt.date],
    after: tuple[dt.date, dt.date],
    directed: bool,
    table: str,
    turn: _Turn | None = None,
    *,
    evidence: int = 3,
    source: str | None = None,
) -> tuple[str, list[Any]]:
    """SQL (and parameters) of the drivers of two windows, read from ``source`` (the table,
    or the dyad's rows already read: ``analysis.dyads.read_dyad_rows``).

    Rows (grouping, side, label, events, signed weight, weight, up, down): per window
    (``side``) one ``total`` row (its weight) and one row per group of each grouping, with
    the ids of the group's ``evidence`` weightiest events pushing the index up (``up``:
    largest signed weight first) and down (``down``: most negative first), then sources,
    then death toll, then id (so ties are stable). An event in both windows counts in
    ``before``; events with no sign (quad unknown) move no index and are left out. Python
    then picks, for each group shown, the window whose share moved most and the direction
    of its contribution (``_evidence_ids``). ``arg_min(id, key, n)`` keeps the ``n`` best
    of each group as it aggregates, where ranking every event of a busy dyad by group
    (a window function) cost more than the rest of the query.

    With ``turn``, one ``turn`` row lists (in ``up``) the candidate events at the turn,
    ranked as ``turn_events`` ranks them; they are selected in the same scan (``base``).
    """
    since, until = before[0], after[1]
    if turn is not None:
        since, until = min(since, turn.window[0]), max(until, turn.window[1])
    where, params = dyad_where(a, b, directed=directed, since=since, until=until, table="e")
    sign = SIGN_SQL.replace("quad_code", "e.quad_code")
    weight = WEIGHT_SQL.replace("event_scale", "e.event_scale")
    sources = "e.sources" if table == "events" else "1"
    n = max(evidence, 1)
    turn_range, turn_rows, turn_params = "", "", []
    if turn is not None:
        turn_range = " OR e.date BETWEEN ? AND ?"
        turn_rows = """
        UNION ALL
        SELECT 'turn', NULL, NULL, NULL, NULL, NULL,
               arg_min(id, row(-(wt * coalesce(sources, 1)), -coalesce(dead, 0), date, id), ?),
               NULL
        FROM base WHERE date BETWEEN ? AND ? AND sgn = ?"""
        turn_params = [max(turn.limit * 4, 1), *turn.window, 1 if turn.direction >= 0 else -1]
    sql = f"""
        WITH base AS MATERIALIZED (
            SELECT e.id, e.date, {sources} AS sources, e.dead, {sign} AS sgn, {weight} AS wt,
                   CASE WHEN e.date BETWEEN ? AND ? THEN 'before'
                        WHEN e.date BETWEEN ? AND ? THEN 'after' END AS side,
                   coalesce(nullif({label_sql("actor", "e")} || ' → '
                                   || {label_sql("recipient", "e")}, ''), '?') AS sub,
                   coalesce(nullif(e.event, ''), '?') AS etype,
                   coalesce(nullif({_PLACE_SQL}, ''), '?') AS place
            FROM {source or table} e
            WHERE {where} AND {SIGNED_SQL.replace("quad_code", "e.quad_code")}
              AND (e.date BETWEEN ? AND ? OR e.date BETWEEN ? AND ?{turn_range})
        ),
        windows AS (
            SELECT side, sub, etype, place, id, sgn * wt AS push, wt,
                   -coalesce(nullif(sources, 0), 1) AS fewer, -coalesce(dead, 0) AS safer
            FROM base WHERE side IS NOT NULL
        )
        SELECT CASE GROUPING(sub, etype, place) WHEN 7 THEN 'total' WHEN 3 THEN 'sub-dyad'
                    WHEN 5 THEN 'event type' ELSE 'place' END,
               side, coalesce(sub, etype, place), count(*), sum(push), sum(wt),
               arg_min(id, row(-push, fewer, safer, id), ?),
               arg_min(id, row(push, fewer, safer, id), ?)
        FROM windows
        GROUP BY GROUPING SETS ((side), (side, sub), (side, etype), (side, place)){turn_rows}
    """
    dates = [before[0], before[1], after[0], after[1]]
    scan = (
        [*dates, *params, *dates, *turn.window] if turn is not None else [*dates, *params, *dates]
    )
    return sql, [*scan, n, n, *turn_params]


def _evidence_items(con: Any, ids: list[str], table: str) -> dict[str, EvidenceItem]:
    """The evidence items of ``ids``, looked up by primary key with their documents.

    Fetched apart from the ranking: reading the text of every event of a busy dyad (or
    joining every document) costs far more than looking up the few that are shown. The ids
    go in as a list of parameters: DuckDB looks each up in the key's index, where a join
    with an unnested array of more than 50 ids scans the whole table (100 ms at 1M events).
    """
    if not ids:
        return {}
    sources = "e.sources" if table == "events" else "1"
    wanted = sorted(set(ids))
    events = con.execute(
        f"""
        SELECT e.id, e.date, e.event, e.text, e.source, e.document_id, {sources}, e.dead,
               {_PLACE_SQL}
        FROM {table} e WHERE e.id IN ({", ".join("?" * len(wanted))})
        """,
        wanted,
    ).fetchall()
    doc_ids = sorted({r[5] for r in events if r[5] is not None})
    docs: dict[str, tuple] = {}
    if doc_ids:
        found = con.execute(
            "SELECT id, title, source, url FROM documents"
            f" WHERE id IN ({', '.join('?' * len(doc_ids))})",
            doc_ids,
        ).fetchall()
        docs = {r[0]: r[1:] for r in found}
    out = {}
    for r in events:
        title, source, url = docs.get(r[5], (None, None, None))
        source = r[4] if source is None else source  # the document's source first
        out[r[0]] = _evidence((*r[:4], title, source, url, r[5], r[6], r[7], None, r[8]))
    return out


def _evidence(r: tuple) -> EvidenceItem:
    return EvidenceItem(
        event_id=r[0],
        date=r[1],
        event=r[2],
        text=r[3],
        title=r[4],
        source=r[5],
        url=r[6],
        document_id=r[7],
        sources=int(r[8] or 1),
        dead=r[9],
        place=r[11],
    )
