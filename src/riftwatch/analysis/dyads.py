"""Dyad time series: how two actors (or actor groups) treat each other, period by period.

One SQL aggregation (grouped by ``date_trunc``) does the work, so a dyad over a million
stored events answers well under a second; periods with no event are filled with zeros
(and a ``None`` index: no events is not neutral relations) so series line up on a calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

from ..errors import ConfigError
from .common import (
    SIGN_SQL,
    WEIGHT_SQL,
    check_table,
    connection,
    dyad_where,
    next_period,
    period_range,
)

PERIODS = ("day", "week", "month")


@dataclass(frozen=True, slots=True)
class DyadPeriod:
    """One period of a dyad series."""

    period: dt.date
    """First day of the period (weeks start on Monday)."""
    events: int = 0
    verbal_coop: int = 0
    material_coop: int = 0
    verbal_conflict: int = 0
    material_conflict: int = 0
    score_sum: float = 0.0
    """Sum of PLOVER scores (event_scale)."""
    score_mean: float | None = None
    goldstein_sum: float = 0.0
    goldstein_mean: float | None = None
    index: float | None = None
    """Relation index in [-1, 1] (``analysis.common``); None when no event."""
    coop_weight: float = 0.0
    conflict_weight: float = 0.0
    dead: int = 0
    injured: int = 0
    reports: int = 0
    """Mentions behind these events (how much the press said)."""

    def to_dict(self) -> dict[str, Any]:
        # field by field, not ``asdict``: its deep copy is most of the cost of a day series
        out = {name: getattr(self, name) for name in _PERIOD_FIELDS}
        out["period"] = self.period.isoformat()
        return out


_PERIOD_FIELDS = tuple(f.name for f in fields(DyadPeriod))


@dataclass(frozen=True, slots=True)
class DyadSeries:
    a: str
    b: str
    by: str
    directed: bool
    since: dt.date | None
    until: dt.date | None
    periods: list[DyadPeriod] = field(default_factory=list)
    table: str = "events"

    @property
    def total_events(self) -> int:
        return sum(p.events for p in self.periods)

    def index_values(self) -> list[float | None]:
        return [p.index for p in self.periods]

    def period_end(self, i: int) -> dt.date:
        """Last day of period ``i``."""
        return next_period(self.periods[i].period, self.by) - dt.timedelta(days=1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "by": self.by,
            "directed": self.directed,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "table": self.table,
            "total_events": self.total_events,
            "periods": [p.to_dict() for p in self.periods],
        }


def dyad_series(
    store_or_con: Any,
    a: str,
    b: str,
    *,
    by: str = "month",
    since: dt.date | None = None,
    until: dt.date | None = None,
    directed: bool = False,
    table: str = "events",
) -> DyadSeries:
    """The ``a``–``b`` series (``a``→``b`` only when ``directed``), zero-filled.

    Without ``since``/``until`` the series spans the dyad's first to last event.
    """
    if by not in PERIODS:
        raise ConfigError(f"unknown period {by!r}; use day, week or month")
    con = connection(store_or_con)
    table = check_table(table)
    where, params = dyad_where(a, b, directed=directed, since=since, until=until)
    mentions = "mentions" if table == "events" else "1"
    sql = f"""
        SELECT CAST(date_trunc(?, date) AS DATE) AS period,
               count(*),
               count(*) FILTER (WHERE quad_code = 1),
               count(*) FILTER (WHERE quad_code = 2),
               count(*) FILTER (WHERE quad_code = 3),
               count(*) FILTER (WHERE quad_code = 4),
               coalesce(sum(event_scale), 0), avg(event_scale),
               coalesce(sum(goldstein), 0), avg(goldstein),
               coalesce(sum({WEIGHT_SQL}) FILTER (WHERE {SIGN_SQL} = 1), 0),
               coalesce(sum({WEIGHT_SQL}) FILTER (WHERE {SIGN_SQL} = -1), 0),
               coalesce(sum(dead), 0), coalesce(sum(injured), 0),
               coalesce(sum({mentions}), 0)
        FROM {table} WHERE {where}
        GROUP BY 1 ORDER BY 1
    """
    rows = con.execute(sql, [by, *params]).fetchall()
    found: dict[dt.date, DyadPeriod] = {}
    for r in rows:
        coop_w, conf_w = float(r[10]), float(r[11])
        total_w = coop_w + conf_w
        found[r[0]] = DyadPeriod(
            period=r[0],
            events=int(r[1]),
            verbal_coop=int(r[2]),
            material_coop=int(r[3]),
            verbal_conflict=int(r[4]),
            material_conflict=int(r[5]),
            score_sum=float(r[6]),
            score_mean=float(r[7]) if r[7] is not None else None,
            goldstein_sum=float(r[8]),
            goldstein_mean=float(r[9]) if r[9] is not None else None,
            index=(coop_w - conf_w) / total_w if total_w > 0 else None,
            coop_weight=coop_w,
            conflict_weight=conf_w,
            dead=int(r[12]),
            injured=int(r[13]),
            reports=int(r[14]),
        )
    first = since or (min(found) if found else None)
    last = until or (max(found) if found else None)
    periods: list[DyadPeriod] = []
    if first and last and first <= last:
        periods = [found.get(p) or DyadPeriod(period=p) for p in period_range(first, last, by)]
    return DyadSeries(a, b, by, directed, since, until, periods, table)
