"""Dyad query speed: one ``dyad_series`` over 1,000,000 stored events must answer in < 1 s.

The events are generated inside DuckDB with vectorised SQL (``range()`` + ``random()``),
not Python loops, into a temporary store file; the query is then timed cold (first call)
and warm (median of repeats) for the month, week and day granularities and a sector
selector. Figures are saved under benchmarks/results/dyad.json.

    python benchmarks/bench_dyad.py [--events 1000000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import save  # noqa: E402

from riftwatch.analysis.dyads import dyad_series  # noqa: E402
from riftwatch.store import Store  # noqa: E402

GENERATE = """
INSERT INTO events (id, date, event, quad_code, event_scale, goldstein, actor_code,
                    actor_sector, actor_kb_id, recipient_code, recipient_sector, dead,
                    confidence, mentions, sources, modality)
SELECT 'ev-' || i,
       DATE '2015-01-01' + CAST(floor(random() * 3650) AS INTEGER),
       t.event, t.quad, t.score, t.score,
       c1.code, s1.sector, CASE WHEN random() < 0.05 THEN 'TTP' END,
       c2.code, s2.sector,
       CASE WHEN t.quad = 4 THEN CAST(floor(random() * 6) AS INTEGER) END,
       random(), 1 + CAST(floor(random() * 3) AS INTEGER), 1, 'asserted'
FROM (SELECT range AS i,
             CAST(floor(random() * 6) AS INTEGER) AS ti,
             CAST(floor(random() * 8) AS INTEGER) AS c1i,
             CAST(floor(random() * 8) AS INTEGER) AS c2i,
             CAST(floor(random() * 5) AS INTEGER) AS s1i,
             CAST(floor(random() * 5) AS INTEGER) AS s2i
      FROM range(?)) g
JOIN (VALUES (0, 'AGREE', 1, 2.5), (1, 'CONSULT', 1, 2.5), (2, 'AID', 2, 6.0),
             (3, 'ACCUSE', 3, -3.0), (4, 'THREATEN', 3, -3.5), (5, 'ASSAULT', 4, -9.0))
     t(ti, event, quad, score) USING (ti)
JOIN (VALUES (0, 'PAK'), (1, 'AFG'), (2, 'IND'), (3, 'IRN'), (4, 'USA'), (5, 'CHN'),
             (6, 'RUS'), (7, 'SAU')) c1(c1i, code) USING (c1i)
JOIN (VALUES (0, 'PAK'), (1, 'AFG'), (2, 'IND'), (3, 'IRN'), (4, 'USA'), (5, 'CHN'),
             (6, 'RUS'), (7, 'SAU')) c2(c2i, code) USING (c2i)
JOIN (VALUES (0, 'GOV'), (1, 'MIL'), (2, 'COP'), (3, 'REB'), (4, 'CVL')) s1(s1i, sector)
     USING (s1i)
JOIN (VALUES (0, 'GOV'), (1, 'MIL'), (2, 'COP'), (3, 'REB'), (4, 'CVL')) s2(s2i, sector)
     USING (s2i)
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        # one INSERT of a million rows: more memory than the writer's default cap
        with Store(path, memory_limit="2GB") as store:
            t0 = time.perf_counter()
            store.con.execute(GENERATE, [args.events])
            gen_s = time.perf_counter() - t0
            n = store.con.execute("SELECT count(*) FROM events").fetchone()[0]
        results: dict[str, object] = {"events": n, "generate_s": round(gen_s, 2)}
        with Store(path, read_only=True) as store:
            for name, a, b, by in (
                ("PAK-AFG month", "PAK", "AFG", "month"),
                ("PAK-AFG week", "PAK", "AFG", "week"),
                ("PAK-AFG day", "PAK", "AFG", "day"),
                ("PAK:MIL-AFG:GOV month", "PAK:MIL", "AFG:GOV", "month"),
                ("TTP-PAK month", "TTP", "PAK", "month"),
            ):
                t0 = time.perf_counter()
                series = dyad_series(store, a, b, by=by)
                cold = time.perf_counter() - t0
                times = []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    dyad_series(store, a, b, by=by)
                    times.append(time.perf_counter() - t0)
                warm = statistics.median(times)
                results[name] = {
                    "cold_s": round(cold, 4),
                    "warm_median_s": round(warm, 4),
                    "periods": len(series.periods),
                    "dyad_events": series.total_events,
                }
                print(
                    f"{name:<24} {series.total_events:>8} events in {len(series.periods):>5}"
                    f" periods: cold {cold * 1000:7.1f} ms, warm {warm * 1000:7.1f} ms"
                )
    print(f"generated {n:,} events in {gen_s:.1f} s")
    worst = max(v["cold_s"] for v in results.values() if isinstance(v, dict))
    results["worst_cold_s"] = worst
    print(f"slowest dyad query over {n:,} events: {worst * 1000:.0f} ms (target < 1000 ms)")
    save("dyad", results)
    return 0 if worst < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
