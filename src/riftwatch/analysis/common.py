"""Shared pieces of the analysis layer: connections, dyad filters, labels, the index.

The relation index used everywhere (dyads, shifts, drivers, report) is

    index = sum(sign * w) / sum(w)      sign = +1 for quad 1-2 (cooperation),
                                              -1 for quad 3-4 (conflict)
                                        w    = |PLOVER score| (event_scale), 1 if unknown

so it lies in [-1, 1]: +1 when all that happened was cooperation, -1 when all was
conflict, and an air strike (|score| 9) weighs more than an accusation (|score| 3). Because
it is a ratio of sums, its change between two windows splits exactly into the
contributions of sub-groups of events (see ``drivers``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb

from ..errors import ConfigError
from ..store.selectors import selector_sql

TABLES = ("events", "event_mentions")

SIGN_SQL = "(CASE WHEN quad_code IN (1, 2) THEN 1 WHEN quad_code IN (3, 4) THEN -1 ELSE 0 END)"
SIGNED_SQL = "quad_code IN (1, 2, 3, 4)"
"""True exactly where ``SIGN_SQL`` is not 0 (cheaper to test on every row)."""
WEIGHT_SQL = "coalesce(abs(event_scale), 1.0)"

QUAD_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}


def connection(store_or_con: Any) -> duckdb.DuckDBPyConnection:
    """Accept a ``Store`` or a DuckDB connection."""
    con = getattr(store_or_con, "con", store_or_con)
    if not isinstance(con, duckdb.DuckDBPyConnection):
        raise ConfigError("expected a riftwatch Store or a DuckDB connection")
    return con


def check_table(table: str) -> str:
    if table not in TABLES:
        raise ConfigError(f"unknown event table {table!r}; use events or event_mentions")
    return table


def dyad_where(
    a: str,
    b: str,
    *,
    directed: bool = False,
    since: dt.date | None = None,
    until: dt.date | None = None,
    table: str = "",
) -> tuple[str, list[Any]]:
    """A parameterised WHERE body selecting the events between ``a`` and ``b``.

    Undirected (default): a→b and b→a. Events without a date are left out (they cannot be
    placed on a time line).
    """
    p = f"{table}." if table else ""
    sql, params = dyad_match(a, b, directed=directed, table=table)
    sql += f" AND {p}date IS NOT NULL"
    if since:
        sql += f" AND {p}date >= ?"
        params.append(since)
    if until:
        sql += f" AND {p}date <= ?"
        params.append(until)
    return sql, params


def dyad_match(a: str, b: str, *, directed: bool = False, table: str = "") -> tuple[str, list[Any]]:
    """The actor part of ``dyad_where``: a condition on the six actor/recipient columns only
    (so it also selects from a table of distinct actor combinations)."""
    a_act, pa1 = selector_sql(a, "actor", table=table)
    b_rec, pb1 = selector_sql(b, "recipient", table=table)
    sql = f"(({a_act} AND {b_rec})"
    params: list[Any] = [*pa1, *pb1]
    if not directed:
        b_act, pb2 = selector_sql(b, "actor", table=table)
        a_rec, pa2 = selector_sql(a, "recipient", table=table)
        sql += f" OR ({b_act} AND {a_rec})"
        params += [*pb2, *pa2]
    return sql + ")", params


ACTOR_COLUMNS = (
    "actor_code",
    "actor_sector",
    "actor_kb_id",
    "recipient_code",
    "recipient_sector",
    "recipient_kb_id",
)
"""The columns a dyad selection reads (``dyad_match``)."""


def label_sql(role: str, table: str = "") -> str:
    """SQL for a selector-style label of ``role`` (mirrors ``actor_label``)."""
    p = f"{table}." if table else ""
    kb, code, sector = f"{p}{role}_kb_id", f"{p}{role}_code", f"{p}{role}_sector"
    return (
        f"(CASE WHEN {kb} IS NOT NULL AND regexp_full_match({kb}, '[A-Z][A-Z0-9_]{{1,11}}') THEN {kb}"
        f" WHEN {code} IS NULL THEN '?'"
        f" WHEN {sector} IS NULL THEN {code} ELSE {code} || ':' || {sector} END)"
    )


def actor_label(code: str | None, sector: str | None, kb_id: str | None = None) -> str:
    """``PAK:MIL``; an organisation with an acronym id in the KB is named by it (``TTP``).

    Acronym-style KB ids (upper case: TTP, ISI, ISKP) are groups an analyst selects by
    name; person ids (``imran_khan``) fold into their country:sector.
    """
    import re

    if kb_id and re.fullmatch(r"[A-Z][A-Z0-9_]{1,11}", kb_id):
        return kb_id
    if not code:
        return "?"
    return f"{code}:{sector}" if sector else code


def period_start(day: dt.date, by: str) -> dt.date:
    """The first day of the period (ISO week starts Monday) holding ``day``."""
    if by == "day":
        return day
    if by == "week":
        return day - dt.timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    raise ConfigError(f"unknown period {by!r}; use day, week or month")


def next_period(start: dt.date, by: str) -> dt.date:
    if by == "day":
        return start + dt.timedelta(days=1)
    if by == "week":
        return start + dt.timedelta(days=7)
    if by == "month":
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    raise ConfigError(f"unknown period {by!r}; use day, week or month")


def period_range(first: dt.date, last: dt.date, by: str) -> list[dt.date]:
    """Every period start from the period of ``first`` to that of ``last``."""
    out = []
    cur = period_start(first, by)
    end = period_start(last, by)
    while cur <= end:
        out.append(cur)
        cur = next_period(cur, by)
    return out
