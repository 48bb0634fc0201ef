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
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from .common import SIGN_SQL, WEIGHT_SQL, check_table, connection, dyad_where, label_sql
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
    """Decompose the index change of ``shift`` by sub-dyad, event type and place."""
    found = window_drivers(
        store_or_con,
        a,
        b,
        before=(shift.before_start, shift.before_end),
        after=(shift.after_start, shift.after_end),
        directed=directed,
        top=top,
        evidence=evidence,
        table=table,
    )
    return replace(
        found,
        turn=turn_events(
            store_or_con,
            a,
            b,
            shift.date,
            direction=-1 if shift.delta < 0 else 1,
            days=turn_days,
            limit=turn,
            directed=directed,
            table=table,
        ),
    )


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
    sql = f"""
        SELECT e.id, e.date, e.event, e.text, d.title, coalesce(d.source, e.source), d.url,
               e.document_id, {sources}, e.dead, NULL, {_PLACE_SQL}
        FROM {table} e LEFT JOIN documents d ON d.id = e.document_id
        WHERE {where} AND {sign} = ?
        ORDER BY {weight} * coalesce({sources}, 1) DESC, coalesce(e.dead, 0) DESC, e.date, e.id
        LIMIT ?
    """
    rows = con.execute(sql, [*params, 1 if direction >= 0 else -1, limit * 4]).fetchall()
    # one event per document first: three sentences of one article are one story
    seen: set[str] = set()
    first, rest = [], []
    for r in rows:
        (rest if r[7] in seen else first).append(r)
        seen.add(r[7])
    return [_evidence(r) for r in (first + rest)[:limit]]


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
    """Decompose the index change between two date windows (inclusive bounds)."""
    con = connection(store_or_con)
    table = check_table(table)
    where, params = dyad_where(a, b, directed=directed, since=before[0], until=after[1], table="e")
    sources = "e.sources" if table == "events" else "1"
    sql = f"""
        SELECT e.id, e.date, e.event, e.text, d.title, coalesce(d.source, e.source), d.url,
               e.document_id, {sources}, e.dead,
               {label_sql("actor", "e")} || ' → ' || {label_sql("recipient", "e")},
               {_PLACE_SQL},
               {SIGN_SQL.replace("quad_code", "e.quad_code")},
               {WEIGHT_SQL.replace("event_scale", "e.event_scale")}
        FROM {table} e LEFT JOIN documents d ON d.id = e.document_id
        WHERE {where}
    """
    rows = con.execute(sql, params).fetchall()
    windows: dict[str, list[tuple]] = {"before": [], "after": []}
    for r in rows:
        if r[12] == 0:
            continue
        if before[0] <= r[1] <= before[1]:
            windows["before"].append(r)
        elif after[0] <= r[1] <= after[1]:
            windows["after"].append(r)
    total = {k: sum(r[13] for r in v) for k, v in windows.items()}

    def index(rows_: list[tuple], w: float) -> float | None:
        return sum(r[12] * r[13] for r in rows_) / w if w else None

    ib, ia = index(windows["before"], total["before"]), index(windows["after"], total["after"])
    delta = (ia or 0.0) - (ib or 0.0)
    keys = {"sub-dyad": 10, "event type": 2, "place": 11}
    out: dict[str, list[Driver]] = {}
    for grouping, col in keys.items():
        groups: dict[str, dict[str, list[tuple]]] = {}
        for side, rs in windows.items():
            for r in rs:
                groups.setdefault(r[col] or "?", {"before": [], "after": []})[side].append(r)
        drivers = []
        for label, sides in groups.items():
            share = {
                side: (sum(r[12] * r[13] for r in rs) / total[side] if total[side] else 0.0)
                for side, rs in sides.items()
            }
            contribution = share["after"] - share["before"]
            # evidence from the window whose share moved the index most
            side = "after" if abs(share["after"]) >= abs(share["before"]) else "before"
            sign = 1 if (contribution >= 0) == (side == "after") else -1
            picked = sorted(
                sides[side],
                key=lambda r, s=sign: (-(s * r[12] * r[13]), -(r[8] or 1), -(r[9] or 0), str(r[0])),
            )[:evidence]
            drivers.append(
                Driver(
                    grouping=grouping,
                    label=label,
                    contribution=round(contribution, 4),
                    share_before=round(share["before"], 4),
                    share_after=round(share["after"], 4),
                    events_before=len(sides["before"]),
                    events_after=len(sides["after"]),
                    evidence=[_evidence(r) for r in picked],
                )
            )
        drivers.sort(key=lambda d: (-abs(d.contribution), d.label))
        out[grouping] = drivers[:top]
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
    )


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
