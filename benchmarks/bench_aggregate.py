"""Aggregation on one huge group: 20,000 compatible reports of one strike.

Pairwise comparison would need n**2 / 2 = 200 million pairs; the date-sorted sweep with
one live mention per signature (``analysis.aggregate``) needs about n. Times the full
rebuild (clustering alone, then with writing the events) for growing n, and an
incremental update that lands in the big group. Figures go to
benchmarks/results/aggregate.json.

    python benchmarks/bench_aggregate.py [--sizes 1000 5000 20000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import save  # noqa: E402

from riftwatch.analysis.aggregate import AggregateConfig, _cluster, _keys, rebuild_events  # noqa: E402
from riftwatch.analysis.synthetic import Mention, coded_document, insert_flood  # noqa: E402
from riftwatch.store import Store  # noqa: E402

TARGET_S = 10.0
"""Whole rebuild of the largest group (clustering and writing one event)."""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    args = ap.parse_args()
    results: dict[str, object] = {}
    config = AggregateConfig()
    worst = 0.0
    for n in args.sizes:
        with Store(":memory:") as store:
            insert_flood(store.con, n)
            t0 = time.perf_counter()
            clusters = _cluster(_keys(store.con, None, config), config)
            cluster_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            events = rebuild_events(store.con)
            rebuild_s = time.perf_counter() - t0
            late = coded_document(
                "late-report",
                [Mention("ASSAULT", "PAK:MIL", "AFG:GOV", dt.date(2024, 3, 19), "Khost", "x.")],
            )
            t0 = time.perf_counter()
            store.write_batch([late])
            update_s = time.perf_counter() - t0
        worst = max(worst, rebuild_s)
        results[str(n)] = {
            "groups": len(clusters),
            "events": events,
            "cluster_s": round(cluster_s, 3),
            "rebuild_s": round(rebuild_s, 3),
            "update_s": round(update_s, 3),
        }
        print(
            f"{n:>7} mentions -> {events} event(s): cluster {cluster_s:6.2f} s,"
            f" rebuild {rebuild_s:6.2f} s, update one document {update_s:6.2f} s"
        )
    results["worst_rebuild_s"] = round(worst, 3)
    print(f"slowest rebuild: {worst:.2f} s (target < {TARGET_S:.0f} s)")
    save("aggregate", results)
    return 0 if worst < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
