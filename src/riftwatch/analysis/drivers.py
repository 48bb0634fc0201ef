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
) -> ShiftDrivers:
    """Decompose the index change of ``shift`` by sub-dyad, event type and place.

    The drivers and the events at the turn come from one scan of the table (the dyad's
    rows of both windows and of the turn are selected once), which is most of the cost.
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
    )


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
) -> ShiftDrivers:
    """Decompose the index change between two date windows (inclusive bounds).

    A busy dyad has tens of thousands of events in its windows, so the work is done
    inside DuckDB (``_window_query``): the sums of every group, and the evidence ids of
    the groups that can be among the ``top``; only the shown evidence is then read.
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
) -> ShiftDrivers:
    """``window_drivers``, and with ``turn`` also ``turn_events``, from one query."""
    con = connection(store_or_con)
    table = check_table(table)
    sql, params = _window_query(a, b, before, after, directed, table, turn)
    rows = con.execute(sql, [*params, top, _RANK_MARGIN, max(evidence, 0)]).fetchall()
    turn_rows: list[tuple[int, str, str | None]] = []
    total = {"before": 0.0, "after": 0.0}
    groups: dict[str, dict[str, dict[str, tuple[int, float]]]] = {g: {} for g in GROUPINGS}
    picked: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for kind, grouping, label, side, n, value, rank, event_id in rows:
        if kind == "total":
            total[side] = float(value)
        elif kind == "group":
            groups[grouping].setdefault(label, {})[side] = (int(n), float(value))
        elif kind == "turn":
            turn_rows.append((rank, event_id, label))
        else:
            picked.setdefault((grouping, label), []).append((rank, event_id))
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
        key: [i for _, i in sorted(found)[:evidence]]
        for key, found in picked.items()
        if any(key == (g, d[1]) for g, ranked in chosen.items() for d in ranked)
    }
    turn_ids = _turn_ids([(i, doc) for _, i, doc in sorted(turn_rows)], turn.limit) if turn else []
    items = _evidence_items(con, [i for found in ids.values() for i in found] + turn_ids, table)
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
                evidence=[items[i] for i in ids.get((grouping, label), [])],
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


_RANK_MARGIN = 2e-4
"""Groups are ranked by contribution rounded to 4 decimals (in Python); a group whose
unrounded contribution falls short of the ``top``-th by more than twice the rounding step
cannot reach the top, so SQL ranks no evidence for it."""


def _window_query(
    a: str,
    b: str,
    before: tuple[dt.date, dt.date],
    after: tuple[dt.date, dt.date],
    directed: bool,
    table: str,
    turn: _Turn | None = None,
) -> tuple[str, list[Any]]:
    """SQL of the drivers of two windows; parameters ``top``, margin, ``evidence`` follow.

    Rows: ``total`` (window, weight), ``group`` (grouping, label, window, events, signed
    weight), ``evidence`` (grouping, label, rank, event id). An event in both windows counts
    in ``before``; events with no sign (quad unknown) move no index and are left out.

    A group's evidence comes from the window whose share moved the index most, ranked by
    signed weight in the direction of the group's contribution, then sources, then death
    toll, then id (ties are stable). Shares, contributions and that choice are computed
    once here from the sums returned, so Python, dividing the same numbers, agrees.

    With ``turn``, rows ``turn`` (document id as label, rank, event id) are the candidate
    events at the turn, ranked as ``turn_events`` ranks them; the dyad's rows of the
    windows and of the turn are selected in one scan (``wide``).
    """
    since, until = before[0], after[1]
    if turn is not None:
        since, until = min(since, turn.window[0]), max(until, turn.window[1])
    where, params = dyad_where(a, b, directed=directed, since=since, until=until, table="e")
    sign = SIGN_SQL.replace("quad_code", "e.quad_code")
    weight = WEIGHT_SQL.replace("event_scale", "e.event_scale")
    sources = "e.sources" if table == "events" else "1"
    dates = [before[0], before[1], after[0], after[1]]
    turn_range, turn_cte, turn_rows, turn_params = "", "", "", []
    if turn is not None:
        turn_range = " OR e.date BETWEEN ? AND ?"
        turn_cte = """
        turn AS (
            SELECT id, document_id,
                   row_number() OVER (
                       ORDER BY wt * coalesce(sources, 1) DESC, coalesce(dead, 0) DESC, date, id
                   ) AS rank
            FROM wide WHERE date BETWEEN ? AND ? AND sgn = ?
            QUALIFY rank <= ?
        ),"""
        turn_rows = (
            "UNION ALL SELECT 'turn', NULL, document_id, NULL, NULL, NULL, rank, id FROM turn"
        )
        turn_params = [
            *turn.window,
            *turn.window,
            1 if turn.direction >= 0 else -1,
            turn.limit * 4,
        ]
    sql = f"""
        WITH wide AS MATERIALIZED (
            SELECT e.id, e.document_id, e.date, {sources} AS sources, e.dead, {sign} AS sgn,
                   coalesce(nullif({label_sql("actor", "e")} || ' → '
                                   || {label_sql("recipient", "e")}, ''), '?') AS sub,
                   coalesce(nullif(e.event, ''), '?') AS etype,
                   coalesce(nullif({_PLACE_SQL}, ''), '?') AS place,
                   {sign} * {weight} AS push, {weight} AS wt
            FROM {table} e
            WHERE {where} AND {SIGNED_SQL.replace("quad_code", "e.quad_code")}
              AND (e.date BETWEEN ? AND ? OR e.date BETWEEN ? AND ?{turn_range})
        ),
        base AS MATERIALIZED (
            SELECT id, sources, dead,
                   CASE WHEN date BETWEEN ? AND ? THEN 'before' ELSE 'after' END AS side,
                   sub, etype, place, push, wt
            FROM wide
            WHERE date BETWEEN ? AND ? OR date BETWEEN ? AND ?
        ),{turn_cte}
        grouped AS (
            SELECT 'sub-dyad' AS grouping, sub AS label, * FROM base
            UNION ALL SELECT 'event type', etype, * FROM base
            UNION ALL SELECT 'place', place, * FROM base
        ),
        totals AS MATERIALIZED (SELECT side, sum(wt) AS total FROM base GROUP BY side),
        sums AS MATERIALIZED (
            SELECT grouping, label, side, count(*) AS n, sum(push) AS net
            FROM grouped GROUP BY grouping, label, side
        ),
        shares AS (
            SELECT s.grouping, s.label,
                   coalesce(max(CASE WHEN t.total <> 0 THEN s.net / t.total END)
                            FILTER (WHERE s.side = 'before'), 0.0) AS before,
                   coalesce(max(CASE WHEN t.total <> 0 THEN s.net / t.total END)
                            FILTER (WHERE s.side = 'after'), 0.0) AS after
            FROM sums s JOIN totals t USING (side)
            GROUP BY s.grouping, s.label
        ),
        choice AS (
            SELECT grouping, label,
                   CASE WHEN abs(after) >= abs(before) THEN 'after' ELSE 'before' END AS side,
                   CASE WHEN (after - before >= 0) = (abs(after) >= abs(before))
                        THEN 1 ELSE -1 END AS dir,
                   abs(after - before) AS size,
                   nth_value(abs(after - before), ?) OVER (
                       PARTITION BY grouping ORDER BY abs(after - before) DESC
                       ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                   ) AS cut
            FROM shares
        ),
        ranked AS (
            SELECT g.grouping, g.label, g.id,
                   row_number() OVER (
                       PARTITION BY g.grouping, g.label
                       ORDER BY c.dir * g.push DESC, coalesce(nullif(g.sources, 0), 1) DESC,
                                coalesce(g.dead, 0) DESC, g.id
                   ) AS rank
            FROM grouped g JOIN choice c
              ON g.grouping = c.grouping AND g.label = c.label AND g.side = c.side
            WHERE c.cut IS NULL OR c.size >= c.cut - ?
            QUALIFY rank <= ?
        )
        SELECT 'total' AS kind, NULL AS grouping, NULL AS label, side, NULL AS n,
               total AS value, NULL AS rank, NULL AS id
        FROM totals
        UNION ALL SELECT 'group', grouping, label, side, n, net, NULL, NULL FROM sums
        UNION ALL SELECT 'evidence', grouping, label, NULL, NULL, NULL, rank, id FROM ranked
        {turn_rows}
    """
    wide = [*params, *dates, *turn_params[:2]]
    return sql, [*wide, before[0], before[1], *dates, *turn_params[2:]]


def _evidence_items(con: Any, ids: list[str], table: str) -> dict[str, EvidenceItem]:
    """The evidence items of ``ids``, looked up by primary key with their documents.

    Fetched apart from the ranking: reading the text of every event of a busy dyad (or
    joining every document) costs far more than looking up the few that are shown.
    """
    if not ids:
        return {}
    sources = "e.sources" if table == "events" else "1"
    events = con.execute(
        f"""
        SELECT e.id, e.date, e.event, e.text, e.source, e.document_id, {sources}, e.dead,
               {_PLACE_SQL}
        FROM {table} e WHERE e.id IN (SELECT unnest(?::VARCHAR[]))
        """,
        [sorted(set(ids))],
    ).fetchall()
    doc_ids = sorted({r[5] for r in events if r[5] is not None})
    docs: dict[str, tuple] = {}
    if doc_ids:
        found = con.execute(
            "SELECT id, title, source, url FROM documents WHERE id IN (SELECT unnest(?::VARCHAR[]))",
            [doc_ids],
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
