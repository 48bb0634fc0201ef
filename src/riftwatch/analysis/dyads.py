"""Dyad time series: how two actors (or actor groups) treat each other, period by period.

One SQL aggregation (grouped by ``date_trunc``) does the work, so a dyad over a million
stored events answers well under a second; periods with no event are filled with zeros
(and a ``None`` index: no events is not neutral relations) so series line up on a calendar.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from ..errors import ConfigError
from .common import (
    ACTOR_COLUMNS,
    SIGN_SQL,
    WEIGHT_SQL,
    check_table,
    connection,
    dyad_match,
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


def _aggregates(mentions: str) -> str:
    """The columns of one period of a series (``_period`` reads them in this order)."""
    return f"""
        CAST(date_trunc(?, date) AS DATE) AS period,
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
    """


@dataclass(frozen=True, slots=True)
class DyadRows:
    """A dyad's events, read once from the table for the several queries of one answer.

    The series of a dyad and the drivers of each of its shifts each select the dyad's rows
    from the whole table; on a million events that selection (the actor selectors tested
    on every row, the columns read for every row group) is most of each query's cost. The
    rows are read once (``read_dyad_rows``) into an Arrow table registered on the
    connection as ``name``, and the same queries, with the same WHERE, run over it.
    """

    con: Any
    name: str
    a: str
    b: str
    directed: bool
    since: dt.date | None
    until: dt.date | None
    table: str

    def serves(
        self,
        a: str,
        b: str,
        *,
        directed: bool,
        table: str,
        since: dt.date | None,
        until: dt.date | None,
    ) -> bool:
        """True when these rows hold every row a query of this dyad and dates reads."""
        return (
            (a, b, directed, table) == (self.a, self.b, self.directed, self.table)
            and (self.since is None or (since is not None and since >= self.since))
            and (self.until is None or (until is not None and until <= self.until))
        )


def source_of(
    rows: DyadRows | None,
    store_or_con: Any,
    a: str,
    b: str,
    *,
    directed: bool,
    table: str,
    since: dt.date | None,
    until: dt.date | None,
) -> tuple[Any, str]:
    """(connection, relation) a dyad query reads: ``rows`` when they hold what it needs,
    else the table itself."""
    table = check_table(table)
    if rows is not None and rows.serves(
        a, b, directed=directed, table=table, since=since, until=until
    ):
        return rows.con, rows.name
    return connection(store_or_con), table


ROW_COLUMNS = (
    "id",
    "date",
    "quad_code",
    "event_scale",
    "goldstein",
    "dead",
    "injured",
    "event",
    "district",
    "province",
    "place",
    "country_code",
    *ACTOR_COLUMNS,
)
"""What the series (``dyad_series``) and the drivers (``analysis.drivers``) read; the
events table adds ``mentions`` and ``sources``."""

_ROWS_NAMES = itertools.count()


@contextlib.contextmanager
def read_dyad_rows(
    store_or_con: Any,
    a: str,
    b: str,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    directed: bool = False,
    table: str = "events",
) -> Iterator[DyadRows]:
    """The dated ``a``–``b`` rows between ``since`` and ``until`` (inclusive), registered
    on the connection while the block runs (per connection, so per server thread)."""
    table = check_table(table)
    where, params = dyad_where(a, b, directed=directed, since=since, until=until)
    columns = [*ROW_COLUMNS, *(("mentions", "sources") if table == "events" else ())]
    # a cursor of its own: the caller's connection may hold a result it has not fetched
    # to the end, and DuckDB refuses a new relation query on it until it has
    con = connection(store_or_con).cursor()
    try:
        data = con.sql(
            f"SELECT {', '.join(columns)} FROM {table} WHERE {where}", params=params
        ).to_arrow_table()
        name = f"_riftwatch_dyad_rows_{next(_ROWS_NAMES)}"
        con.register(name, data)
        yield DyadRows(con, name, a, b, directed, since, until, table)
    finally:
        con.close()


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
    rows: DyadRows | None = None,
) -> DyadSeries:
    """The ``a``–``b`` series (``a``→``b`` only when ``directed``), zero-filled.

    Without ``since``/``until`` the series spans the dyad's first to last event. ``rows``:
    the dyad's rows already read (``read_dyad_rows``), used when they cover the dates.
    """
    if by not in PERIODS:
        raise ConfigError(f"unknown period {by!r}; use day, week or month")
    table = check_table(table)
    con, source = source_of(
        rows, store_or_con, a, b, directed=directed, table=table, since=since, until=until
    )
    where, params = dyad_where(a, b, directed=directed, since=since, until=until)
    mentions = "mentions" if table == "events" else "1"
    sql = f"SELECT {_aggregates(mentions)} FROM {source} WHERE {where} GROUP BY 1 ORDER BY 1"
    rows = con.execute(sql, [by, *params]).fetchall()
    found = {r[0]: _period(r) for r in rows}
    return _fill(a, b, by, directed, since, until, table, found)


def dyad_series_many(
    store_or_con: Any,
    pairs: Sequence[tuple[str, str]],
    *,
    by: str = "month",
    since: dt.date | None = None,
    until: dt.date | None = None,
    directed: bool = False,
    table: str = "events",
    combos: Iterable[tuple[Any, ...]] | None = None,
) -> list[DyadSeries]:
    """``dyad_series`` of each pair, for several pairs at once (the overview's recent shifts).

    Testing every pair's selectors on every row costs as much per pair as a series does,
    so the selectors are tested on the distinct actor combinations instead (a few
    thousand), and the rows are matched to the pairs whose combinations they carry with
    one hash join: an event between two pairs' actors counts for both, as it would alone.
    ``combos``: the distinct (actor code, sector, KB id, recipient code, sector, KB id) of
    the table's rows (at least of those in the dates asked for), when the caller has them
    (``server.queries.top_dyads`` collects them in its own scan); read otherwise.
    """
    if by not in PERIODS:
        raise ConfigError(f"unknown period {by!r}; use day, week or month")
    con = connection(store_or_con)
    table = check_table(table)
    if not pairs:
        return []
    matches = [dyad_match(a, b, directed=directed) for a, b in pairs]
    date_sql = " AND date >= ?" * (since is not None) + " AND date <= ?" * (until is not None)
    date_params = [d for d in (since, until) if d is not None]
    # NULL and '' read alike to a selector (neither equals a code), so the combinations
    # are taken with NULL as '': then a plain equality join (much cheaper than IS NOT
    # DISTINCT FROM) matches each row to exactly the combinations it carries
    columns = ", ".join(f"coalesce({c}, '') AS {c}" for c in ACTOR_COLUMNS)
    source = f"SELECT DISTINCT {columns} FROM {table} WHERE date IS NOT NULL{date_sql}"
    source_params: list[Any] = list(date_params)
    if combos is not None:
        given = list(combos)
        lists = ", ".join(f"unnest(?::VARCHAR[]) AS {c}" for c in ACTOR_COLUMNS)
        source = f"SELECT DISTINCT {columns} FROM (SELECT {lists})"
        source_params = [[c[i] for c in given] for i in range(len(ACTOR_COLUMNS))]
    members = " UNION ALL ".join(
        f"SELECT {k} AS k, * FROM combos WHERE {m}" for k, (m, _) in enumerate(matches)
    )
    same = " AND ".join(f"coalesce(e.{c}, '') = m.{c}" for c in ACTOR_COLUMNS)
    mentions = "mentions" if table == "events" else "1"
    sql = f"""
        WITH combos AS MATERIALIZED ({source}),
        members AS MATERIALIZED ({members})
        SELECT m.k, {_aggregates(mentions)}
        FROM {table} e JOIN members m ON {same}
        WHERE e.date IS NOT NULL{date_sql.replace("date", "e.date")}
        GROUP BY m.k, period ORDER BY 1, 2
    """
    params = [*source_params, *(x for _, ps in matches for x in ps), by, *date_params]
    found: list[dict[dt.date, DyadPeriod]] = [{} for _ in pairs]
    for k, *r in con.execute(sql, params).fetchall():
        found[k][r[0]] = _period(r)
    return [
        _fill(a, b, by, directed, since, until, table, rows)
        for (a, b), rows in zip(pairs, found, strict=True)
    ]


def _period(r: Sequence[Any]) -> DyadPeriod:
    coop_w, conf_w = float(r[10]), float(r[11])
    total_w = coop_w + conf_w
    return DyadPeriod(
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


def _fill(
    a: str,
    b: str,
    by: str,
    directed: bool,
    since: dt.date | None,
    until: dt.date | None,
    table: str,
    found: dict[dt.date, DyadPeriod],
) -> DyadSeries:
    """The series over the calendar: periods without events are zeros with no index."""
    first = since or (min(found) if found else None)
    last = until or (max(found) if found else None)
    periods: list[DyadPeriod] = []
    if first and last and first <= last:
        periods = [found.get(p) or DyadPeriod(period=p) for p in period_range(first, last, by)]
    return DyadSeries(a, b, by, directed, since, until, periods, table)
