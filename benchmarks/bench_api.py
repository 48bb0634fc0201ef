"""API speed: every endpoint of ``riftwatch serve`` must answer in < 300 ms over 1,000,000 events.

A store of 1M aggregated events (each with its mention, four mentions per document, so
250,000 documents with text) is generated inside DuckDB with vectorised SQL. After 2020
the PAK/AFG dyads turn to conflict, so shift detection finds shifts and the drivers
decomposition runs (the expensive path of /api/shifts). Each endpoint is then called
through the real app (FastAPI's TestClient: routing, validation, security middleware
and JSON encoding included): ``cold`` is the first call after the app started,
``median`` the median of ``--repeat`` calls. The app starts as ``riftwatch serve`` starts
it: its start-up (``api.start_up``: imports, the events table read once, the overview's
answers computed) runs before it reports ready, and is timed apart as ``startup_s``; so
``cold`` is what the first visitor of a freshly started server waits. Endpoints whose
answers the server caches until the next write are timed with the cache emptied before
every call (their uncached cost), and their cached cost is reported apart. Figures are
saved under benchmarks/results/api.json, with the load average before and after (the
machine is shared: compare figures taken at a similar load).

    python benchmarks/bench_api.py [--events 1000000] [--repeat 5] [--db PATH]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import save  # noqa: E402

from riftwatch.server.app import create_app  # noqa: E402
from riftwatch.store import Store  # noqa: E402

with warnings.catch_warnings():
    # starlette's TestClient warns that it wants httpx2; httpx is what is installed
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TARGET_S = 0.300

GENERATE = """
CREATE TEMP TABLE gen AS
WITH g AS (
    SELECT range AS i,
           DATE '2015-01-01' + CAST(floor(random() * 3650) AS INTEGER) AS date,
           CAST(floor(random() * 8) AS INTEGER) AS c1i,
           CAST(floor(random() * 8) AS INTEGER) AS c2i,
           CAST(floor(random() * 5) AS INTEGER) AS s1i,
           CAST(floor(random() * 5) AS INTEGER) AS s2i,
           CAST(floor(random() * 16) AS INTEGER) AS pi,
           random() AS r1, random() AS r2
    FROM range(?)
)
SELECT g.*,
       -- after 2020 the PAK/AFG dyads turn to conflict: shifts for /api/shifts to find
       CASE WHEN date >= DATE '2020-01-01' AND c1i < 2 AND c2i < 2
            THEN 3 + CAST(floor(r1 * 3) AS INTEGER)
            ELSE CAST(floor(r1 * 6) AS INTEGER) END AS ti
FROM g
"""

FILL = """
CREATE TEMP TABLE rows AS
SELECT 'ev-' || i AS id, 'm-' || i AS mention_id, 'doc-' || (i // 4) AS document_id,
       CAST(i % 4 AS INTEGER) AS sentence_index, date, t.event, t.quad, t.score,
       c1.code AS actor_code, s1.sector AS actor_sector,
       CASE WHEN r2 < 0.05 THEN 'TTP' END AS actor_kb_id,
       c2.code AS recipient_code, s2.sector AS recipient_sector,
       p.place, p.lat, p.lon, p.cc,
       CASE WHEN t.quad = 4 THEN CAST(floor(r2 * 6) AS INTEGER) END AS dead,
       c1.name || ' ' || t.verb || ' ' || c2.name || ' near ' || p.place
           || ', officials said on day ' || (i % 97) || '.' AS text
FROM gen
JOIN (VALUES (0, 'AGREE', 1, 2.5, 'agreed with'), (1, 'CONSULT', 1, 2.5, 'held talks with'),
             (2, 'AID', 2, 6.0, 'sent aid to'), (3, 'ACCUSE', 3, -3.0, 'accused'),
             (4, 'THREATEN', 3, -3.5, 'threatened'), (5, 'ASSAULT', 4, -9.0, 'attacked'))
     t(ti, event, quad, score, verb) USING (ti)
JOIN (VALUES (0, 'PAK', 'Pakistani forces'), (1, 'AFG', 'Afghan officials'),
             (2, 'IND', 'Indian officials'), (3, 'IRN', 'Iranian guards'),
             (4, 'USA', 'US envoys'), (5, 'CHN', 'Chinese diplomats'),
             (6, 'RUS', 'Russian officials'), (7, 'SAU', 'Saudi ministers'))
     c1(c1i, code, name) USING (c1i)
JOIN (VALUES (0, 'PAK', 'Pakistani police'), (1, 'AFG', 'Afghan troops'),
             (2, 'IND', 'Indian troops'), (3, 'IRN', 'Iranian officials'),
             (4, 'USA', 'US officials'), (5, 'CHN', 'Chinese engineers'),
             (6, 'RUS', 'Russian envoys'), (7, 'SAU', 'Saudi officials'))
     c2(c2i, code, name) USING (c2i)
JOIN (VALUES (0, 'GOV'), (1, 'MIL'), (2, 'COP'), (3, 'REB'), (4, 'CVL')) s1(s1i, sector)
     USING (s1i)
JOIN (VALUES (0, 'GOV'), (1, 'MIL'), (2, 'COP'), (3, 'REB'), (4, 'CVL')) s2(s2i, sector)
     USING (s2i)
JOIN (VALUES (0, 'Khost', 33.34, 69.92, 'AFG'), (1, 'Paktika', 32.27, 68.52, 'AFG'),
             (2, 'Kabul', 34.53, 69.17, 'AFG'), (3, 'Kandahar', 31.61, 65.71, 'AFG'),
             (4, 'Jalalabad', 34.43, 70.45, 'AFG'), (5, 'Torkham', 34.10, 71.09, 'PAK'),
             (6, 'Peshawar', 34.01, 71.58, 'PAK'), (7, 'Bannu', 32.99, 70.60, 'PAK'),
             (8, 'Quetta', 30.18, 66.99, 'PAK'), (9, 'Chaman', 30.92, 66.45, 'PAK'),
             (10, 'Islamabad', 33.69, 73.05, 'PAK'), (11, 'Zahedan', 29.50, 60.86, 'IRN'),
             (12, 'Amritsar', 31.63, 74.87, 'IND'), (13, 'Herat', 34.35, 62.20, 'AFG'),
             (14, 'Gwadar', 25.12, 62.32, 'PAK'), (15, 'Srinagar', 34.08, 74.80, 'IND'))
     p(pi, place, lat, lon, cc) USING (pi)
"""

COLUMNS = (
    "id, document_id, sentence_index, date, date_precision, event, quad_code, event_scale,"
    " goldstein, actor_code, actor_sector, actor_text, actor_kb_id, recipient_code,"
    " recipient_sector, recipient_text, place, lat, lon, province, country_code,"
    " loc_resolution, dead, modality, confidence, text, published, source, record"
)
VALUES = """
    {id}, document_id, sentence_index, date, 'day', event, quad, score, score, actor_code,
    actor_sector, actor_code || ' ' || actor_sector, actor_kb_id, recipient_code,
    recipient_sector, recipient_code || ' ' || recipient_sector, place, lat, lon, place, cc,
    'district', dead, 'asserted', 0.7, text, date, 'Bench Wire',
    '{{"id":"' || {id} || '","event":"' || event || '","riftwatch":{{"evidence":'
      || '{{"sentence_index":' || sentence_index || ',"sentence_span":['
      || (sentence_index * 120) || ',' || (sentence_index * 120 + 100) || ']}}}}}}'
"""


def build(path: Path, n: int) -> tuple[int, float]:
    t0 = time.perf_counter()
    # a million rows in one INSERT build their indexes in memory: more than the writer's
    # default cap, which is sized for coding runs' small batches
    with Store(path, memory_limit="2GB") as store:
        con = store.con
        con.execute(GENERATE, [n])
        con.execute(FILL)
        con.execute(
            f"INSERT INTO events ({COLUMNS}, mentions, sources, first_report, last_report)"
            f" SELECT {VALUES.format(id='id')}, 1, 1, date, date FROM rows"
        )
        con.execute(
            f"INSERT INTO event_mentions ({COLUMNS}, event_id)"
            f" SELECT {VALUES.format(id='mention_id')}, id FROM rows"
        )
        # each document's text: its four sentences padded to 120 characters each
        con.execute(
            """
            INSERT INTO documents (id, version, text_hash, title, text, published, source,
                                   url, coded_at)
            SELECT document_id, 1, md5(document_id), 'Report from ' || any_value(place)
                       || ' (' || min(date) || ')',
                   string_agg(rpad(text, 119, ' '), ' ' ORDER BY sentence_index), min(date),
                   'Bench Wire', 'https://news.example.org/' || document_id, now()
            FROM rows GROUP BY document_id
            """
        )
        con.execute("DROP TABLE rows")
        con.execute("DROP TABLE gen")
        con.execute("CHECKPOINT")
        total = con.execute("SELECT count(*) FROM events").fetchone()[0]
    return int(total), time.perf_counter() - t0


ENDPOINTS: list[tuple[str, str, bool]] = [
    # (name, url, cached by the server)
    ("health", "/api/health", False),
    ("meta", "/api/meta", False),
    ("events", "/api/events", False),
    ("events dyad filter", "/api/events?actor=PAK:MIL&recipient=AFG", False),
    ("events type+sort dead", "/api/events?event=ASSAULT,COERCE&sort=-dead", False),
    ("events country+dates", "/api/events?country=AFG&since=2019-01-01&until=2019-12-31", False),
    ("events text search", "/api/events?q=attacked%20afghan", False),
    ("events deep page", "/api/events?offset=200000&limit=500", False),
    ("events at a place (map)", "/api/events?place=Torkham&country=PAK&event=ASSAULT", False),
    ("event detail", "/api/events/ev-123456", False),
    ("volume month", "/api/volume", False),
    ("volume week actor", "/api/volume?by=week&actor=PAK", False),
    ("dyads top", "/api/dyads/top", True),
    ("dyad month", "/api/dyad?a=PAK&b=AFG", True),
    ("dyad day", "/api/dyad?a=PAK&b=AFG&by=day", True),
    ("shifts", "/api/shifts?a=PAK&b=AFG", True),
    ("shifts sector", "/api/shifts?a=PAK:MIL&b=AFG:GOV", True),
    ("shifts recent", "/api/shifts/recent", True),
    ("network", "/api/network", True),
    ("places", "/api/places", False),
    ("places filtered", "/api/places?event=ASSAULT&since=2020-01-01", False),
    ("actors", "/api/actors", True),
    ("actors q", "/api/actors?q=pak", True),
    ("actor detail", "/api/actors/PAK:MIL", False),
    ("actor detail kb", "/api/actors/TTP", False),
    ("documents", "/api/documents", False),
    ("documents q", "/api/documents?q=khost", False),
    ("document detail", "/api/documents/doc-4567", False),
    ("rejected", "/api/rejected", False),
    ("jobs", "/api/jobs", False),
]


def time_call(client: TestClient, url: str, state: object, uncached: bool) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process: the app's and DuckDB's threads)."""
    if uncached:
        state.bump()  # type: ignore[attr-defined]
    t0, c0 = time.perf_counter(), time.process_time()
    r = client.get(url)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    if r.status_code != 200:
        raise SystemExit(f"{url}: HTTP {r.status_code} {r.text[:200]}")
    return elapsed, cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--db", type=Path, help="reuse (or keep) the generated store here")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.duckdb"
        if path.exists():
            with Store(path) as store:
                n = int(store.con.execute("SELECT count(*) FROM events").fetchone()[0])
            gen_s = 0.0
        else:
            n, gen_s = build(path, args.events)
            print(f"generated {n:,} events in {gen_s:.1f} s", flush=True)
        results: dict[str, object] = {"events": n, "generate_s": round(gen_s, 2)}
        results["load_average_before"] = [round(x, 2) for x in os.getloadavg()]
        app = create_app(path)
        state = app.state.server
        endpoints: dict[str, dict[str, object]] = {}
        t0 = time.perf_counter()
        with TestClient(app) as client:
            results["startup_s"] = round(time.perf_counter() - t0, 2)
            print(f"server start-up (before ready) {results['startup_s']:.2f} s", flush=True)
            # ``bump`` here empties the caches to time uncached answers; it is no write, so
            # the background re-warming a real write triggers must not run during timing
            state.on_change = None
            for name, url, cached in ENDPOINTS:
                cold, _ = time_call(client, url, state, cached)
                runs = [time_call(client, url, state, cached) for _ in range(args.repeat)]
                entry: dict[str, object] = {"url": url, "cold_ms": round(cold * 1000, 1)}
                entry["median_ms"] = round(statistics.median(w for w, _ in runs) * 1000, 1)
                entry["cpu_median_ms"] = round(statistics.median(c for _, c in runs) * 1000, 1)
                if cached:
                    hits = [time_call(client, url, state, False)[0] for _ in range(args.repeat)]
                    entry["cached_median_ms"] = round(statistics.median(hits) * 1000, 1)
                endpoints[name] = entry
                extra = f"  (cached {entry['cached_median_ms']:6.1f} ms)" if cached else ""
                print(
                    f"{name:<24} cold {entry['cold_ms']:7.1f} ms  median"
                    f" {entry['median_ms']:7.1f} ms  cpu {entry['cpu_median_ms']:7.1f} ms{extra}",
                    flush=True,
                )
    worst_name = max(endpoints, key=lambda k: float(endpoints[k]["median_ms"]))
    worst_cold = max(endpoints, key=lambda k: float(endpoints[k]["cold_ms"]))
    results["endpoints"] = endpoints
    results["worst"] = {"endpoint": worst_name, "median_ms": endpoints[worst_name]["median_ms"]}
    results["worst_cold"] = {"endpoint": worst_cold, "cold_ms": endpoints[worst_cold]["cold_ms"]}
    results["target_ms"] = TARGET_S * 1000
    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(
        f"slowest endpoint over {n:,} events: {worst_name}"
        f" {endpoints[worst_name]['median_ms']:.0f} ms median (target < {TARGET_S * 1000:.0f} ms);"
        f" slowest first call: {worst_cold} {endpoints[worst_cold]['cold_ms']:.0f} ms"
    )
    save("api", results)
    return 0 if endpoints[worst_name]["median_ms"] < TARGET_S * 1000 else 1


if __name__ == "__main__":
    sys.exit(main())
