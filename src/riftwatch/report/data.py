"""What a briefing says, gathered from the store (rendering lives in ``html``/``markdown``).

Kept apart from rendering so the HTML and Markdown briefings state the same facts and a
test can check the facts without parsing markup.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from ..analysis.common import SIGN_SQL, WEIGHT_SQL, connection, dyad_where, label_sql
from ..analysis.drivers import ShiftDrivers, shift_drivers
from ..analysis.dyads import dyad_series
from ..analysis.network import actor_network, network_summary
from ..analysis.shifts import ShiftConfig, ShiftResult, series_shifts
from ..errors import ConfigError
from .svg import MapPoint


@dataclass
class ReportData:
    a: str
    b: str
    since: dt.date | None
    until: dt.date | None
    by: str
    generated: dt.datetime
    shifts: ShiftResult
    drivers: list[ShiftDrivers] = field(default_factory=list)
    points: list[MapPoint] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)
    quality: dict[str, Any] = field(default_factory=dict)

    @property
    def first_day(self) -> dt.date | None:
        p = self.shifts.series.periods
        return self.since or (p[0].period if p else None)

    @property
    def last_day(self) -> dt.date | None:
        p = self.shifts.series.periods
        return self.until or (self.shifts.series.period_end(len(p) - 1) if p else None)


def choose_period(first: dt.date | None, last: dt.date | None) -> str:
    """Months over long spans, weeks over a season, days over a few weeks."""
    if not first or not last:
        return "month"
    days = (last - first).days
    if days > 540:
        return "month"
    if days > 60:
        return "week"
    return "day"


def gather(
    store: Any,
    a: str,
    b: str,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    by: str | None = None,
    max_shifts: int = 4,
    shift_config: ShiftConfig | None = None,
) -> ReportData:
    """Everything the briefing shows for the ``a``–``b`` dyad."""
    con = connection(store)
    if since and until and since > until:
        raise ConfigError(f"--since {since} is after --until {until}")
    if by is None:
        where, params = dyad_where(a, b, since=since, until=until)
        lo, hi = con.execute(
            f"SELECT min(date), max(date) FROM events WHERE {where}", params
        ).fetchone()
        by = choose_period(since or lo, until or hi)
    series = dyad_series(con, a, b, by=by, since=since, until=until)
    result = series_shifts(series, config=shift_config)
    # drivers for the robust shifts; for the possible ones only when nothing is robust
    candidates = result.shifts or result.tentative
    ranked = sorted(candidates, key=lambda s: -abs(s.delta))[:max_shifts]
    drivers = [shift_drivers(con, a, b, s) for s in sorted(ranked, key=lambda s: s.date)]
    first = since or (series.periods[0].period if series.periods else None)
    last = until or (series.period_end(len(series.periods) - 1) if series.periods else None)
    g = actor_network(con, since=first, until=last)
    summary = network_summary(g, top=10)
    return ReportData(
        a=a,
        b=b,
        since=since,
        until=until,
        by=by,
        generated=dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None),
        shifts=result,
        drivers=drivers,
        points=_map_points(con, a, b, first, last),
        actors=summary["nodes"],
        edges=summary["edges"],
        timeline=_timeline(con, a, b, first, last, cuts=[s.date for s in result.all_shifts]),
        totals=_totals(con, a, b, first, last),
        quality=_quality(con),
    )


def _map_points(
    con: Any, a: str, b: str, since: dt.date | None, until: dt.date | None
) -> list[MapPoint]:
    where, params = dyad_where(a, b, since=since, until=until)
    rows = con.execute(
        f"""SELECT coalesce(district, place, province, '?'), round(avg(lon), 3), round(avg(lat), 3),
                   count(*) FILTER (WHERE {SIGN_SQL} = 1), count(*) FILTER (WHERE {SIGN_SQL} = -1),
                   coalesce(sum(dead), 0),
                   coalesce(any_value(loc_resolution), '') IN ('country', 'region')
            FROM events WHERE {where} AND lat IS NOT NULL AND lon IS NOT NULL
            GROUP BY 1, round(lat, 1), round(lon, 1),
                     coalesce(loc_resolution, '') IN ('country', 'region')
            ORDER BY 1""",
        params,
    ).fetchall()
    return [
        MapPoint(r[0], float(r[1]), float(r[2]), int(r[3]), int(r[4]), int(r[5]), bool(r[6]))
        for r in rows
    ]


def _timeline(
    con: Any,
    a: str,
    b: str,
    since: dt.date | None,
    until: dt.date | None,
    top: int = 16,
    cuts: list[dt.date] | None = None,
) -> list[dict[str, Any]]:
    """The weightiest events: |score| x (1 + log sources) + dead/2, shown in date order.

    The quota is shared between the segments the shifts (``cuts``) delimit, so the quiet
    side of a shift keeps its key events instead of being crowded out by the violent side.
    """
    where, params = dyad_where(a, b, since=since, until=until, table="e")
    cur = con.execute(
        f"""SELECT e.id, e.date, e.event, e.quad_code, {label_sql("actor", "e")},
                   {label_sql("recipient", "e")}, coalesce(e.district, e.place, e.province),
                   e.country_code, e.dead, e.sources, e.mentions, e.text, d.title,
                   coalesce(d.source, e.source), d.url,
                   {WEIGHT_SQL.replace("event_scale", "e.event_scale")} * (1 + ln(greatest(e.sources, 1)))
                   + coalesce(e.dead, 0) / 2.0 AS weight
            FROM events e LEFT JOIN documents d ON d.id = e.document_id
            WHERE {where}
            ORDER BY weight DESC, e.date, e.id LIMIT ?""",
        [*params, top * 20],
    )
    cols = [d[0] for d in cur.description]
    rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    keys = [
        "id", "date", "event", "quad_code", "actor", "recipient", "place", "country_code",
        "dead", "sources", "mentions", "text", "title", "source", "url", "weight",
    ]  # fmt: skip
    ranked = [dict(zip(keys, r.values(), strict=True)) for r in rows]
    bounds = sorted(cuts or [])
    segments: dict[int, list[dict[str, Any]]] = {}
    for r in ranked:
        seg = sum(1 for c in bounds if r["date"] >= c)
        segments.setdefault(seg, []).append(r)
    quota = max(3, top // max(len(segments), 1))
    out = [r for rs in segments.values() for r in rs[:quota]]
    out.sort(key=lambda r: (-r["weight"], r["date"], r["id"]))
    out = out[:top]
    out.sort(key=lambda r: (r["date"], r["id"]))
    return out


TOLL_OUTLIER_MIN = 100
"""A single event's toll worth a second look when it is also most of the dyad's dead."""


def _totals(
    con: Any, a: str, b: str, since: dt.date | None, until: dt.date | None
) -> dict[str, Any]:
    where, params = dyad_where(a, b, since=since, until=until, table="e")
    row = con.execute(
        f"""SELECT count(*), coalesce(sum(e.mentions), 0), coalesce(sum(e.dead), 0),
                   count(*) FILTER (WHERE {SIGN_SQL.replace("quad_code", "e.quad_code")} = -1),
                   count(*) FILTER (WHERE {SIGN_SQL.replace("quad_code", "e.quad_code")} = 1),
                   count(*) FILTER (WHERE e.sources = 1)
            FROM events e WHERE {where}""",
        params,
    ).fetchone()
    # a toll that dwarfs all others is often a cumulative figure ("2,000 killed since 2021")
    # read as one event: flag the largest when it holds most of the dyad's dead
    top = con.execute(
        f"""SELECT e.dead, e.date, e.event, e.text, d.title FROM events e
            LEFT JOIN documents d ON d.id = e.document_id
            WHERE {where} AND e.dead IS NOT NULL ORDER BY e.dead DESC, e.date, e.id LIMIT 1""",
        params,
    ).fetchone()
    docs = con.execute(
        f"""SELECT count(DISTINCT m.document_id) FROM event_members m JOIN events e
            ON e.id = m.event_id WHERE {where}""",
        params,
    ).fetchone()[0]
    return {
        "events": int(row[0]),
        "reports": int(row[1]),
        "documents": int(docs),
        "dead": int(row[2]),
        "conflict": int(row[3]),
        "coop": int(row[4]),
        "single_source": int(row[5]),
        "toll_outlier": (
            {"dead": int(top[0]), "date": top[1], "event": top[2], "text": top[3], "title": top[4]}
            if top and row[2] and top[0] >= TOLL_OUTLIER_MIN and top[0] > 0.5 * row[2]
            else None
        ),
    }


def _quality(con: Any) -> dict[str, Any]:
    """Store-wide counts an analyst needs to judge how far to trust the figures."""
    one = lambda sql, p=None: con.execute(sql, p or []).fetchone()[0]  # noqa: E731
    q: dict[str, Any] = {
        "documents": one("SELECT count(*) FROM documents"),
        "documents_without_events": one(
            "SELECT count(*) FROM documents d WHERE NOT EXISTS"
            " (SELECT 1 FROM event_mentions m WHERE m.document_id = d.id)"
        ),
        "undated_documents": one("SELECT count(*) FROM documents WHERE published IS NULL"),
        "mentions": one("SELECT count(*) FROM event_mentions"),
        "events": one("SELECT count(*) FROM events"),
        "rejected": one("SELECT count(*) FROM rejected"),
        "actor_unresolved": one("SELECT count(*) FROM event_mentions WHERE actor_code IS NULL"),
        "recipient_unresolved": one(
            "SELECT count(*) FROM event_mentions WHERE recipient_code IS NULL"
        ),
        "place_missing": one("SELECT count(*) FROM event_mentions WHERE place IS NULL"),
        "place_unlocated": one(
            "SELECT count(*) FROM event_mentions WHERE place IS NOT NULL AND lat IS NULL"
        ),
        "date_missing": one("SELECT count(*) FROM event_mentions WHERE date IS NULL"),
        "date_from_publication": one(
            "SELECT count(*) FROM event_mentions WHERE date_precision = 'published'"
        ),
    }
    q["modalities"] = con.execute(
        "SELECT coalesce(modality, '?'), count(*) FROM event_mentions GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    q["unlocated_places"] = con.execute(
        "SELECT place, count(*) FROM event_mentions WHERE place IS NOT NULL AND lat IS NULL"
        " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 6"
    ).fetchall()
    q["unresolved_actor_texts"] = con.execute(
        "SELECT actor_text, count(*) FROM event_mentions WHERE actor_code IS NULL AND actor_text"
        " IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 6"
    ).fetchall()
    q["rejected_reasons"] = con.execute(
        "SELECT reason, count(*) FROM rejected GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 6"
    ).fetchall()
    q["events_single_source"] = one("SELECT count(*) FROM events WHERE sources = 1")
    return q


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def fmt_signed(v: float | None) -> str:
    return "n/a" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:+.2f}"
