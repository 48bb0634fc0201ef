"""Validated query parameters and the SQL behind the JSON endpoints.

Every user value reaches DuckDB as a bound parameter; the only text spliced into SQL is
fixed fragments chosen from whitelists here (sort orders, column names) and the
conditions built by ``riftwatch.store.selectors.selector_sql``, which rejects anything
that is not a selector before it builds its (parameterised) condition. A bad value raises
``BadQuery`` naming the parameter, which the app turns into HTTP 400.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any

import duckdb

from ..analysis.common import actor_label
from ..errors import ConfigError
from ..events.tables import plover_tables
from ..store.selectors import selector_sql

MAX_LIMIT = 500
MAX_OFFSET = 10_000_000


@dataclass(frozen=True)
class SortOrder:
    """A sort of the event table: leading keys (column, descending), then ``id``."""

    keys: tuple[tuple[str, bool], ...]

    @property
    def sql(self) -> str:
        parts = [f"{col} {'DESC' if desc else 'ASC'} NULLS LAST" for col, desc in self.keys]
        return ", ".join([*parts, "id"])


SORTS = {
    "date": SortOrder((("date", False),)),
    "-date": SortOrder((("date", True),)),
    "dead": SortOrder((("dead", False), ("date", True))),
    "-dead": SortOrder((("dead", True), ("date", True))),
}

_COUNTRY = re.compile(r"^[A-Za-z]{3}$")

ROW_COLUMNS = (
    "id, date, event, mode, modality, quad_code, event_scale, goldstein, actor_code,"
    " actor_sector, actor_text, actor_kb_id, recipient_code, recipient_sector,"
    " recipient_text, recipient_kb_id, place, country_code, lat, lon, dead, injured,"
    " arrested, mentions, sources, text, document_id"
)


class BadQuery(ValueError):
    """A request parameter that cannot be used; the message names it."""


def event_types() -> list[str]:
    return list(plover_tables().event_types)


# -- parameter parsing ---------------------------------------------------------------
def parse_date(value: str | None, name: str) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value)
    except (ValueError, TypeError):
        raise BadQuery(f"{name}: {value!r} is not a date (use YYYY-MM-DD)") from None


def parse_types(value: str | None, name: str = "event") -> list[str] | None:
    if not value:
        return None
    known = set(event_types())
    types = [t.strip().upper() for t in value.split(",") if t.strip()]
    bad = [t for t in types if t not in known]
    if bad:
        raise BadQuery(
            f"{name}: unknown PLOVER event type {bad[0]!r}; use one of {', '.join(sorted(known))}"
        )
    return types or None


def parse_quads(value: str | None) -> list[int] | None:
    if not value:
        return None
    out = []
    for part in value.split(","):
        part = part.strip()
        if part not in ("1", "2", "3", "4"):
            raise BadQuery(f"quad: {part!r} is not a quad code (use 1, 2, 3 or 4)")
        out.append(int(part))
    return out


def parse_country(value: str | None) -> str | None:
    if not value:
        return None
    if not _COUNTRY.match(value):
        raise BadQuery(f"country: {value!r} is not an ISO 3166-1 alpha-3 code (e.g. AFG)")
    return value.upper()


def parse_text(value: str | None, name: str, max_len: int = 200) -> str | None:
    if value is None or value == "":
        return None
    if len(value) > max_len:
        raise BadQuery(f"{name}: longer than {max_len} characters")
    return value


def parse_sort(value: str | None) -> SortOrder:
    value = value or "-date"
    if value not in SORTS:
        raise BadQuery(f"sort: {value!r} is not a sort order; use {', '.join(SORTS)}")
    return SORTS[value]


def check_selector(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        selector_sql(value, "actor")
    except ConfigError as e:
        raise BadQuery(f"{name}: {e}") from None
    return value.strip()


def page(limit: int, offset: int) -> tuple[int, int]:
    if not 1 <= limit <= MAX_LIMIT:
        raise BadQuery(f"limit: must be between 1 and {MAX_LIMIT}")
    if not 0 <= offset <= MAX_OFFSET:
        raise BadQuery(f"offset: must be between 0 and {MAX_OFFSET}")
    return limit, offset


# -- event filters -------------------------------------------------------------------
@dataclass
class EventFilter:
    """The filters of an event query, already validated."""

    actor: str | None = None
    recipient: str | None = None
    types: list[str] | None = None
    quads: list[int] | None = None
    country: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    q: str | None = None
    document_id: str | None = None
    place: str | None = None
    extra: list[tuple[str, list[Any]]] = field(default_factory=list)

    @classmethod
    def parse(
        cls,
        *,
        actor: str | None = None,
        recipient: str | None = None,
        event: str | None = None,
        quad: str | None = None,
        country: str | None = None,
        since: str | None = None,
        until: str | None = None,
        q: str | None = None,
        document_id: str | None = None,
        place: str | None = None,
    ) -> EventFilter:
        f = cls(
            actor=check_selector(actor, "actor"),
            recipient=check_selector(recipient, "recipient"),
            types=parse_types(event),
            quads=parse_quads(quad),
            country=parse_country(country),
            since=parse_date(since, "since"),
            until=parse_date(until, "until"),
            q=parse_text(q, "q"),
            document_id=parse_text(document_id, "document_id"),
            place=parse_text(place, "place"),
        )
        if f.since and f.until and f.since > f.until:
            raise BadQuery("since: must not be after until")
        return f

    def where(self, prefix: str = "") -> tuple[str, list[Any]]:
        """A parameterised WHERE clause (empty string when there is no filter)."""
        p = f"{prefix}." if prefix else ""
        conds: list[str] = []
        params: list[Any] = []
        for value, role in ((self.actor, "actor"), (self.recipient, "recipient")):
            if value:
                sql, ps = selector_sql(value, role, table=prefix)
                conds.append(sql)
                params += ps
        if self.types:
            conds.append(f"{p}event IN (SELECT unnest(?::VARCHAR[]))")
            params.append(self.types)
        if self.quads:
            conds.append(f"{p}quad_code IN (SELECT unnest(?::INTEGER[]))")
            params.append(self.quads)
        if self.country:
            conds.append(f"{p}country_code = ?")
            params.append(self.country)
        if self.since:
            conds.append(f"{p}date >= ?")
            params.append(self.since)
        if self.until:
            conds.append(f"{p}date <= ?")
            params.append(self.until)
        if self.q:
            conds.append(f"contains(lower({p}text), ?)")
            params.append(self.q.lower())
        if self.document_id:
            conds.append(f"{p}document_id = ?")
            params.append(self.document_id)
        if self.place:
            conds.append(f"{p}place = ?")
            params.append(self.place)
        for sql, ps in self.extra:
            conds.append(sql)
            params += ps
        return (" WHERE " + " AND ".join(conds)) if conds else "", params


# -- rows ------------------------------------------------------------------------------
def _iso(v: Any) -> Any:
    return v.isoformat() if isinstance(v, dt.date) else v


def _party(code: Any, sector: Any, text: Any, kb_id: Any) -> dict[str, Any]:
    """An actor of an event row: its selector (``PAK:MIL``, ``TTP``) and readable name.

    The same pair (``selector``, ``label``) names actors in every answer (dyads, actors,
    partners, network nodes), so a page can show the name and keep the selector for links.
    """
    selector = actor_label(code, sector, kb_id) if (code or kb_id) else None
    if selector == "?":
        selector = None
    return {
        "code": code,
        "sector": sector,
        "text": text,
        "kb_id": kb_id,
        "selector": selector,
        "label": label_of(selector) if selector else None,
    }


def event_row(r: tuple) -> dict[str, Any]:
    """A row of ``ROW_COLUMNS`` as the API's Row object."""
    return {
        "id": r[0],
        "date": _iso(r[1]),
        "event": r[2],
        "mode": r[3],
        "modality": r[4],
        "quad_code": r[5],
        "event_scale": r[6],
        "goldstein": r[7],
        "actor": _party(r[8], r[9], r[10], r[11]),
        "recipient": _party(r[12], r[13], r[14], r[15]),
        "place": r[16],
        "country_code": r[17],
        "lat": r[18],
        "lon": r[19],
        "dead": r[20],
        "injured": r[21],
        "arrested": r[22],
        "mentions": r[23],
        "sources": r[24],
        "text": r[25],
        "document_id": r[26],
    }


def count(con: duckdb.DuckDBPyConnection, table: str, where: str, params: list[Any]) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}{where}", params).fetchone()
    return int(row[0]) if row else 0


def list_events(
    con: duckdb.DuckDBPyConnection,
    flt: EventFilter,
    *,
    sort: SortOrder = SORTS["-date"],
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """One page of events in ``sort`` order, and how many match.

    Sorting a million rows for every page is what makes paging slow (a deep page costs a
    full sort), so the page is found first on a histogram of the sort keys (a cheap
    GROUP BY over one or two narrow columns), then only the rows of the few key values
    that hold the page are read and sorted. The histogram also gives the total.
    """
    where, params = flt.where()
    if flt.q:
        return _list_searched(con, where, params, sort, limit, offset)
    keys = [col for col, _ in sort.keys]
    order = ", ".join(f"{c} {'DESC' if d else 'ASC'} NULLS LAST" for c, d in sort.keys)
    hist = con.execute(
        f"SELECT {', '.join(keys)}, count(*) FROM events{where} GROUP BY ALL ORDER BY {order}",
        params,
    ).fetchall()
    total = sum(int(h[-1]) for h in hist)
    page_rows: list[tuple] = []
    seek = _seek(hist, sort, limit, offset)
    if seek is not None:
        cond, cparams, skip = seek
        # OFFSET 0 keeps the optimiser from pushing the filters into the inner scan, so
        # costly ones (text search, selectors) run on the page's few buckets, not on all
        page_rows = con.execute(
            f"SELECT {ROW_COLUMNS} FROM (SELECT * FROM events WHERE {cond} OFFSET 0){where}"
            f" ORDER BY {sort.sql} LIMIT ? OFFSET ?",
            [*cparams, *params, limit, skip],
        ).fetchall()
    return {
        "total": total,
        "limit": limit,
        "offset": offset,
        "items": [event_row(r) for r in page_rows],
    }


def _list_searched(
    con: duckdb.DuckDBPyConnection,
    where: str,
    params: list[Any],
    sort: SortOrder,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    """A page of a text search: one scan (the substring test is the costly part).

    The matches' ids and sort keys are kept once; the page is a top-n of them and the
    total a count of them (cheaper than a window count over a full sort). The page's rows
    are then read by primary key (an index lookup; a row-id list costs a scan). Both run
    in one transaction (one snapshot), so a coding job committing in between cannot
    change what the page shows.
    """
    keys = ", ".join(col for col, _ in sort.keys)
    con.execute("BEGIN TRANSACTION")
    try:
        hits = con.execute(
            f"WITH m AS MATERIALIZED (SELECT {keys}, id FROM events{where})"
            f" SELECT id, (SELECT count(*) FROM m) FROM m ORDER BY {sort.sql} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        if hits:
            total = int(hits[0][1])
        elif offset == 0:
            total = 0  # an empty first page: nothing matches
        else:
            total = count(con, "events", where, params)
        rows = _rows_by_id(con, [h[0] for h in hits])
    finally:
        con.execute("COMMIT")
    return {
        "total": total,
        "limit": limit,
        "offset": offset,
        "items": [event_row(r) for r in rows],
    }


def _rows_by_id(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[tuple]:
    """The ``ROW_COLUMNS`` rows of ``ids``, in that order (a primary-key lookup)."""
    if not ids:
        return []
    rows = con.execute(
        f"SELECT {ROW_COLUMNS} FROM events WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids]
    ).fetchall()
    by_id = {r[0]: r for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def _seek(
    hist: list[tuple], sort: SortOrder, limit: int, offset: int
) -> tuple[str, list[Any], int] | None:
    """(condition selecting the histogram buckets that hold the page, params, rows to skip).

    Buckets come in sort order; the page's buckets are contiguous, so per value of the
    first key (at most a few in a page) the second key spans one range.
    """
    start = 0
    first: int | None = None
    last = -1
    skip = 0
    for i, h in enumerate(hist):
        n = int(h[-1])
        if first is None and start + n > offset:
            first, skip = i, offset - start
        if first is not None:
            last = i
            if start + n >= offset + limit:
                break
        start += n
    if first is None:
        return None
    buckets = hist[first : last + 1]
    conds: list[str] = []
    params: list[Any] = []
    if len(sort.keys) == 1:
        col = sort.keys[0][0]
        conds.append(_range(col, [b[0] for b in buckets], params))
    else:
        col1, col2 = sort.keys[0][0], sort.keys[1][0]
        groups: dict[Any, list[Any]] = {}
        for b in buckets:
            groups.setdefault(b[0], []).append(b[1])
        for value, seconds in groups.items():
            inner_params: list[Any] = []
            inner = _range(col2, seconds, inner_params)
            if value is None:
                conds.append(f"({col1} IS NULL AND {inner})")
            else:
                conds.append(f"({col1} = ? AND {inner})")
                params.append(value)
            params += inner_params
    return "(" + " OR ".join(conds) + ")", params, skip


def _range(col: str, values: list[Any], params: list[Any]) -> str:
    """``col`` within [min, max] of ``values`` (NULL too when one of them is NULL)."""
    known = [v for v in values if v is not None]
    parts = []
    if known:
        parts.append(f"{col} BETWEEN ? AND ?")
        params += [min(known), max(known)]
    if len(known) < len(values):
        parts.append(f"{col} IS NULL")
    return "(" + " OR ".join(parts) + ")"


def get_event(con: duckdb.DuckDBPyConnection, event_id: str) -> dict[str, Any] | None:
    """A Row plus its PLOVER record and ``reports`` (the mentions, with their documents).

    ``mentions`` stays the count it is in every list row; the reports themselves are a
    separate key, so a client reading rows from any endpoint sees one type per field.
    """
    row = con.execute(
        f"SELECT {ROW_COLUMNS}, record FROM events WHERE id = ?", [event_id]
    ).fetchone()
    if row is None:
        return None
    out = event_row(row)
    out["record"] = json.loads(row[-1]) if row[-1] else None
    mentions = con.execute(
        "SELECT m.id, m.document_id, d.title, coalesce(d.source, m.source), d.url,"
        " coalesce(d.published, m.published), m.text, m.sentence_index"
        " FROM event_mentions m LEFT JOIN documents d ON d.id = m.document_id"
        " WHERE m.event_id = ? ORDER BY m.published NULLS LAST, m.id",
        [event_id],
    ).fetchall()
    out["reports"] = [
        {
            "mention_id": m[0],
            "document_id": m[1],
            "title": m[2],
            "source": m[3],
            "url": m[4],
            "published": _iso(m[5]),
            "text": m[6],
            "sentence_index": m[7],
        }
        for m in mentions
    ]
    return out


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    out = {}
    for table in ("documents", "event_mentions", "events", "rejected"):
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        out[table] = int(row[0]) if row else 0
    return out


# -- meta and volume ---------------------------------------------------------------------
def meta(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    tables = plover_tables()
    first, last = con.execute("SELECT min(date), max(date) FROM events").fetchone() or (None, None)
    quads = {str(t.quad_code): t.quad_name for t in tables.event_types.values()}
    return {
        "event_types": list(tables.event_types),
        "first_date": _iso(first),
        "last_date": _iso(last),
        "quad_names": dict(sorted(quads.items())),
    }


def volume(con: duckdb.DuckDBPyConnection, flt: EventFilter, by: str) -> dict[str, Any]:
    """Events per period and type; every period between the first and last is listed."""
    from ..analysis.common import period_range

    if by not in ("week", "month"):
        raise BadQuery(f"by: {by!r} is not a period; use week or month")
    flt.extra.append(("date IS NOT NULL", []))
    where, params = flt.where()
    rows = con.execute(
        f"SELECT CAST(date_trunc(?, date) AS DATE) AS p, event, count(*) FROM events{where}"
        " GROUP BY 1, 2 ORDER BY 1, 2",
        [by, *params],
    ).fetchall()
    if not rows:
        return {"by": by, "periods": [], "series": {}}
    periods = period_range(flt.since or rows[0][0], flt.until or rows[-1][0], by)
    index = {p: i for i, p in enumerate(periods)}
    series: dict[str, list[int]] = {}
    for p, ev, n in rows:
        key = ev or "?"
        series.setdefault(key, [0] * len(periods))[index[p]] = int(n)
    order = [t for t in event_types() if t in series] + sorted(
        t for t in series if t not in event_types()
    )
    return {
        "by": by,
        "periods": [p.isoformat() for p in periods],
        "series": {t: series[t] for t in order},
    }


# -- dyads -------------------------------------------------------------------------------
_PAIRS = """
    SELECT actor_code, actor_sector, actor_kb_id, recipient_code, recipient_sector,
           recipient_kb_id, count(*),
           count(*) FILTER (WHERE {sign} = -1),
           count(*) FILTER (WHERE {sign} = 1),
           coalesce(sum(dead), 0),
           coalesce(sum({weight}) FILTER (WHERE {sign} = 1), 0),
           coalesce(sum({weight}) FILTER (WHERE {sign} = -1), 0)
    FROM events{where}
    GROUP BY ALL
"""


@dataclass
class PairCounts:
    """Events between two labelled actors (a directed pair)."""

    events: int = 0
    conflict: int = 0
    cooperation: int = 0
    dead: int = 0
    coop_weight: float = 0.0
    conflict_weight: float = 0.0
    codes: tuple[Any, Any, Any, Any] = (None, None, None, None)
    """actor code, actor sector, recipient code, recipient sector (of one group)."""

    def add(self, other: PairCounts) -> None:
        self.events += other.events
        self.conflict += other.conflict
        self.cooperation += other.cooperation
        self.dead += other.dead
        self.coop_weight += other.coop_weight
        self.conflict_weight += other.conflict_weight

    @property
    def index(self) -> float | None:
        total = self.coop_weight + self.conflict_weight
        return round((self.coop_weight - self.conflict_weight) / total, 4) if total else None


def label_pairs(
    con: duckdb.DuckDBPyConnection,
    since: dt.date | None,
    until: dt.date | None,
    combos: set[tuple[Any, ...]] | None = None,
) -> dict[tuple[str, str], PairCounts]:
    """Directed (actor label, recipient label) -> counts, for events with both actors.

    Grouping by the six raw actor columns (narrow, low-cardinality) and labelling the few
    thousand groups in Python is several times cheaper than building a label string for
    each of a million rows in SQL; labels are ``analysis.common.actor_label``, the same as
    the analysis layer's ``label_sql``, so they are selectors ``/api/dyad`` accepts.
    ``combos`` (when given) receives the six columns of every group, events without both
    actors included (``dyad_series_many`` matches rows to dyads by them).
    """
    from ..analysis.common import SIGN_SQL, WEIGHT_SQL

    cond, params = _date_cond(since, until)
    both = "actor_code IS NOT NULL AND recipient_code IS NOT NULL"
    where = " WHERE " + (f"TRUE{cond}" if combos is not None else both + cond)
    rows = con.execute(_PAIRS.format(sign=SIGN_SQL, weight=WEIGHT_SQL, where=where), params)
    out: dict[tuple[str, str], PairCounts] = {}
    for ac, asec, akb, rc, rsec, rkb, n, conflict, coop, dead, cw, fw in rows.fetchall():
        if combos is not None:
            combos.add((ac, asec, akb, rc, rsec, rkb))
            if ac is None or rc is None:
                continue
        key = (actor_label(ac, asec, akb), actor_label(rc, rsec, rkb))
        counts = PairCounts(
            int(n), int(conflict), int(coop), int(dead), float(cw), float(fw), (ac, asec, rc, rsec)
        )
        if key in out:
            out[key].add(counts)
        else:
            out[key] = counts
    return out


def top_dyads(
    con: duckdb.DuckDBPyConnection,
    *,
    since: dt.date | None,
    until: dt.date | None,
    limit: int,
    combos: set[tuple[Any, ...]] | None = None,
) -> list[dict[str, Any]]:
    """The most active undirected dyads (self-pairs left out), named by selectors.

    ``combos``: see ``label_pairs``."""
    undirected: dict[tuple[str, str], PairCounts] = {}
    for (a, b), counts in label_pairs(con, since, until, combos).items():
        if a == b:
            continue
        key = (min(a, b), max(a, b))
        undirected.setdefault(key, PairCounts()).add(counts)
    ranked = sorted(undirected.items(), key=lambda kv: (-kv[1].events, kv[0]))[:limit]
    labels = labeller()
    return [
        {
            "a": a,
            "b": b,
            "a_label": labels.name(a),
            "b_label": labels.name(b),
            "events": c.events,
            "conflict": c.conflict,
            "cooperation": c.cooperation,
            "dead": c.dead,
            "index": c.index,
        }
        for (a, b), c in ranked
    ]


def _date_cond(since: dt.date | None, until: dt.date | None) -> tuple[str, list[Any]]:
    cond, params = "", []
    if since:
        cond += " AND date >= ?"
        params.append(since)
    if until:
        cond += " AND date <= ?"
        params.append(until)
    return cond, params


# -- labels ------------------------------------------------------------------------------
class Labeller:
    """Human names for selectors: ``PAK:MIL`` -> "Pakistan military", ``TTP`` -> its KB name."""

    SECTORS = {
        "GOV": "government",
        "MIL": "military",
        "COP": "police",
        "REB": "rebels",
        "CVL": "civilians",
        "SPY": "intelligence",
        "OPP": "opposition",
        "JUD": "judiciary",
        "LEG": "legislature",
        "ELI": "elites",
        "BUS": "business",
        "MED": "media",
        "EDU": "education",
        "REF": "refugees",
        "HLH": "health",
        "LAB": "labour",
        "AGR": "agriculture",
        "CRM": "criminals",
        "UAF": "armed group",
        "IGO": "intergovernmental",
        "NGO": "NGO",
        "REL": "religious",
        "PTY": "party",
        "SOC": "society",
        "ENV": "environment",
    }

    def __init__(self) -> None:
        from ..actors.kb import load_kb

        self.kb = load_kb()

    def entry(self, who: str) -> Any:
        e = self.kb.get(who) or self.kb.get(who.lower())
        if e is None:
            e = next((x for x in self.kb.entries.values() if x.id.upper() == who.upper()), None)
        return e

    def name(self, selector: str) -> str:
        who, _, sector = selector.partition(":")
        entry = self.kb.get(who)
        if entry is not None and entry.kind != "country":
            return entry.name
        country = self.kb.country_name(who) or who
        if sector:
            return f"{country} {self.SECTORS.get(sector, sector.lower())}"
        return country


@functools.cache
def labeller() -> Labeller:
    return Labeller()


@functools.lru_cache(maxsize=4096)
def label_of(selector: str) -> str:
    """The readable name of a selector (memoised: a page of rows repeats a few actors)."""
    return labeller().name(selector)


# -- network -----------------------------------------------------------------------------
def network(
    con: duckdb.DuckDBPyConnection,
    *,
    since: dt.date | None,
    until: dt.date | None,
    min_events: int,
) -> dict[str, Any]:
    """The actor network (``analysis.network``'s graph and centralities), as nodes and edges."""
    import networkx as nx

    from ..analysis.network import _centrality

    g = nx.DiGraph()
    pairs = label_pairs(con, since, until)
    for (src, dst), c in sorted(pairs.items()):
        if c.events < min_events:
            continue
        ac, asec, rc, rsec = c.codes
        for node, code, sector in ((src, ac, asec), (dst, rc, rsec)):
            if node not in g:
                g.add_node(node, country=code or "", sector=sector or "", events=0)
            g.nodes[node]["events"] += c.events
        g.add_edge(
            src,
            dst,
            events=c.events,
            weight=c.events,
            coop=c.cooperation,
            conflict=c.conflict,
            coop_score=c.coop_weight,
            conflict_score=c.conflict_weight,
            net=c.coop_weight - c.conflict_weight,
            dead=c.dead,
        )
    _centrality(g)
    labels = labeller()
    nodes = sorted(
        (
            {
                "id": n,
                "selector": n,
                "label": labels.name(n),
                "events": int(d["events"]),
                "degree": d.get("degree", 0.0),
                "centrality": d.get("strength", 0.0),
                "betweenness": d.get("betweenness", 0.0),
                "pagerank": d.get("pagerank", 0.0),
                "country": d.get("country") or None,
                "sector": d.get("sector") or None,
            }
            for n, d in g.nodes(data=True)
        ),
        key=lambda x: (-x["centrality"], -x["events"], x["id"]),
    )
    edges = sorted(
        (
            {
                "source": u,
                "target": v,
                "events": int(d["events"]),
                "conflict": int(d["conflict"]),
                "cooperation": int(d["coop"]),
                "weight": int(d["weight"]),
                "net": round(float(d["net"]), 4),
                "dead": int(d["dead"]),
            }
            for u, v, d in g.edges(data=True)
        ),
        key=lambda x: (-x["events"], x["source"], x["target"]),
    )
    return {"nodes": nodes, "edges": edges}


# -- places ------------------------------------------------------------------------------
def places(con: duckdb.DuckDBPyConnection, flt: EventFilter) -> dict[str, Any]:
    """A GeoJSON FeatureCollection: one point per named place, with its event counts."""
    flt.extra.append(("lat IS NOT NULL AND lon IS NOT NULL", []))
    where, params = flt.where()
    rows = con.execute(
        "SELECT coalesce(place, '?'), country_code, lat, lon, count(*), coalesce(sum(dead), 0),"
        f" max_by(id, date, 20), max(date) FROM events{where} GROUP BY 1, 2, 3, 4",
        params,
    ).fetchall()
    by_type = con.execute(
        f"SELECT coalesce(place, '?'), country_code, event, count(*) FROM events{where}"
        " GROUP BY 1, 2, 3",
        params,
    ).fetchall()
    merged: dict[tuple[str, str | None], dict[str, Any]] = {}
    # one feature per (place, country): the coordinates its events most often carry
    for name, cc, lat, lon, n, dead, ids, last in sorted(rows, key=lambda r: -r[4]):
        f = merged.get((name, cc))
        if f is None:
            merged[(name, cc)] = {
                "lat": lat,
                "lon": lon,
                "events": int(n),
                "dead": int(dead),
                "ids": [(last, ids)],
                "types": {},
            }
        else:
            f["events"] += int(n)
            f["dead"] += int(dead)
            f["ids"].append((last, ids))
    for name, cc, ev, n in by_type:
        types = merged[(name, cc)]["types"]
        types[ev or "?"] = types.get(ev or "?", 0) + int(n)
    features = []
    for (name, cc), f in sorted(merged.items(), key=lambda kv: (-kv[1]["events"], kv[0][0])):
        ids = [
            i for _, group in sorted(f["ids"], key=lambda x: str(x[0]), reverse=True) for i in group
        ]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [f["lon"], f["lat"]]},
                "properties": {
                    "place": name,
                    "country_code": cc,
                    "events": f["events"],
                    "dead": f["dead"],
                    "types": dict(sorted(f["types"].items(), key=lambda kv: -kv[1])),
                    "event_ids": ids[:20],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


# -- actors ------------------------------------------------------------------------------
_ROLE_GROUPS = """
    SELECT {r}_code, {r}_sector, {r}_kb_id, count(*) FROM events
    WHERE {r}_code IS NOT NULL OR {r}_kb_id IS NOT NULL GROUP BY ALL
"""


def actors(con: duckdb.DuckDBPyConnection, q: str | None, limit: int) -> list[dict[str, Any]]:
    """Actors (by selector) with their event counts; ``q`` matches selector, code or name."""
    labels = labeller()
    found: dict[str, dict[str, Any]] = {}
    for role in ("actor", "recipient"):
        for code, sector, kb_id, n in con.execute(_ROLE_GROUPS.format(r=role)).fetchall():
            sel = actor_label(code, sector, kb_id)
            if sel == "?":
                continue
            item = found.get(sel)
            if item is None:
                is_kb = sel == kb_id
                entry = labels.kb.get(kb_id) if is_kb else None
                label = labels.name(sel)
                item = found[sel] = {
                    "selector": sel,
                    "label": label,
                    "code": code,
                    "sector": None if is_kb else sector,
                    "kb_id": kb_id if is_kb else None,
                    "name": entry.name if entry is not None else label,
                    "events_as_actor": 0,
                    "events_as_recipient": 0,
                }
            item[f"events_as_{role}"] += int(n)
    needle = q.lower() if q else None
    out = [
        item
        for item in found.values()
        if not needle
        or any(needle in (item[k] or "").lower() for k in ("selector", "code", "label", "name"))
    ]
    out.sort(key=lambda x: (-(x["events_as_actor"] + x["events_as_recipient"]), x["selector"]))
    return out[:limit]


def actor_detail(
    con: duckdb.DuckDBPyConnection,
    selector: str,
    *,
    since: dt.date | None,
    until: dt.date | None,
) -> dict[str, Any]:
    """An actor's counts, event types and partners (one grouped scan) and its recent events."""
    from ..analysis.common import SIGN_SQL
    from ..store.selectors import Selector

    sel = Selector.parse(selector)
    canonical = f"{sel.who}:{sel.sector}" if sel.sector else sel.who
    labels = labeller()
    entry = labels.entry(sel.who)
    cond, dparams = _date_cond(since, until)
    as_actor, pa = selector_sql(canonical, "actor")
    as_rec, pr = selector_sql(canonical, "recipient")
    groups = con.execute(
        f"""
        SELECT is_a, is_r, event,
               CASE WHEN is_a THEN recipient_code ELSE actor_code END,
               CASE WHEN is_a THEN recipient_sector ELSE actor_sector END,
               CASE WHEN is_a THEN recipient_kb_id ELSE actor_kb_id END,
               count(*), count(*) FILTER (WHERE sign = -1), count(*) FILTER (WHERE sign = 1)
        FROM (
            SELECT coalesce({as_actor}, false) AS is_a, coalesce({as_rec}, false) AS is_r,
                   event, {SIGN_SQL} AS sign, actor_code, actor_sector, actor_kb_id,
                   recipient_code, recipient_sector, recipient_kb_id
            FROM events WHERE ({as_actor} OR {as_rec}){cond}
        )
        GROUP BY ALL
        """,
        [*pa, *pr, *pa, *pr, *dparams],
    ).fetchall()
    n_a = n_r = 0
    by_type: dict[str, int] = {}
    partners: dict[str, list[int]] = {}
    for is_a, is_r, event, code, sector, kb_id, n, conflict, coop in groups:
        n_a += int(n) if is_a else 0
        n_r += int(n) if is_r else 0
        by_type[event or "?"] = by_type.get(event or "?", 0) + int(n)
        partner = actor_label(code, sector, kb_id)
        if partner != "?":
            p = partners.setdefault(partner, [0, 0, 0])
            p[0] += int(n)
            p[1] += int(conflict)
            p[2] += int(coop)
    # the top 20 on (date, id) first, then their rows by primary key: sorting the full
    # rows (text included) of every event of a busy actor costs more than both
    con.execute("BEGIN TRANSACTION")
    try:
        ids = con.execute(
            f"SELECT id FROM events WHERE ({as_actor} OR {as_rec}){cond}"
            " ORDER BY date DESC NULLS LAST, id LIMIT 20",
            [*pa, *pr, *dparams],
        ).fetchall()
        recent = _rows_by_id(con, [i[0] for i in ids])
    finally:
        con.execute("COMMIT")
    top = sorted(partners.items(), key=lambda kv: (-kv[1][0], kv[0]))[:25]
    return {
        "selector": canonical,
        "label": labels.name(canonical),
        "kb": entry.to_dict() if entry is not None else None,
        "events_as_actor": n_a,
        "events_as_recipient": n_r,
        "by_type": dict(sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))),
        "partners": [
            {
                "selector": p,
                "label": labels.name(p),
                "events": n,
                "conflict": c,
                "cooperation": k,
            }
            for p, (n, c, k) in top
        ],
        "recent_events": [event_row(r) for r in recent],
    }


# -- documents ---------------------------------------------------------------------------
def list_documents(
    con: duckdb.DuckDBPyConnection, q: str | None, limit: int, offset: int
) -> dict[str, Any]:
    where, params = "", []
    if q:
        where, params = " WHERE contains(lower(title), ?)", [q.lower()]
    total = count(con, "documents", where, params)
    rows = con.execute(
        f"SELECT id, title, source, url, published FROM documents{where}"
        " ORDER BY published DESC NULLS LAST, id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    ids = [r[0] for r in rows]
    n_events = dict(
        con.execute(
            "SELECT document_id, count(*) FROM event_mentions"
            " WHERE document_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY 1",
            [ids],
        ).fetchall()
    )
    return {
        "total": total,
        "limit": limit,
        "offset": offset,
        "items": [
            {
                "id": r[0],
                "title": r[1],
                "source": r[2],
                "url": r[3],
                "published": _iso(r[4]),
                "events": int(n_events.get(r[0], 0)),
            }
            for r in rows
        ],
    }


_SPANS = (
    ("sentence", "sentence_span"),
    ("trigger", "trigger_span"),
    ("actor", "actor_span"),
    ("recipient", "recipient_span"),
)


def get_document(con: duckdb.DuckDBPyConnection, doc_id: str) -> dict[str, Any] | None:
    row = con.execute(
        "SELECT id, title, source, url, published, language, text FROM documents WHERE id = ?",
        [doc_id],
    ).fetchone()
    if row is None:
        return None
    mentions = con.execute(
        "SELECT coalesce(event_id, id), id, event, modality,"
        " json_extract(record, '$.riftwatch.evidence') FROM event_mentions"
        " WHERE document_id = ? ORDER BY sentence_index, id",
        [doc_id],
    ).fetchall()
    text = row[6] or ""
    highlights = []
    for event_id, mention_id, event, modality, evidence in mentions:
        ev = json.loads(evidence) if isinstance(evidence, str) else evidence
        if not isinstance(ev, dict):
            continue
        for kind, key in _SPANS:
            span = ev.get(key)
            if not (isinstance(span, list) and len(span) == 2):
                continue
            start, end = int(span[0]), int(span[1])
            if 0 <= start < end <= len(text):
                highlights.append(
                    {
                        "event_id": event_id,
                        "mention_id": mention_id,
                        "event": event,
                        "modality": modality,
                        "kind": kind,
                        "start": start,
                        "end": end,
                    }
                )
    return {
        "id": row[0],
        "title": row[1],
        "source": row[2],
        "url": row[3],
        "published": _iso(row[4]),
        "language": row[5],
        "text": text,
        "highlights": highlights,
    }


def rejected(con: duckdb.DuckDBPyConnection, limit: int, offset: int) -> dict[str, Any]:
    total = count(con, "rejected", "", [])
    rows = con.execute(
        'SELECT input, location, reason, "at" FROM rejected ORDER BY "at" DESC NULLS LAST,'
        " input, location LIMIT ? OFFSET ?",
        [limit, offset],
    ).fetchall()
    return {
        "total": total,
        "limit": limit,
        "offset": offset,
        "items": [
            {"input": r[0], "location": r[1], "reason": r[2], "at": _iso(r[3])} for r in rows
        ],
    }
