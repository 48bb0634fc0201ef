"""Ray engine throughput with 1 and 2 workers, scaling efficiency, and a cluster estimate.

The first N articles of ../shared/corpus/tehran_times_afpak.jsonl are coded by
``run_ray`` (read -> actor pool -> Parquet), once per worker count, each run in a fresh
subprocess that starts its own local Ray with as many CPUs as workers.

Two rates per run: end to end (including starting Ray and loading the pipeline in every
actor, a fixed cost of a run) and steady (documents over the time from the first batch's
start to the last batch's end, on the workers' clocks: what a long run sustains). Scaling efficiency is
docs/s(2) / (2 x docs/s(1)); the per-core steady rate of the 2-worker run gives the cores
(and 16-core nodes) needed to code a GDELT-sized day, 200,000 articles, within an hour.
The machine is shared and noisy: the load average at the start of each run is recorded.

    python benchmarks/bench_ray.py                  # 300 articles, 1 and 2 workers
    python benchmarks/bench_ray.py --limit 1000 --batch-size 32
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CORPUS, save  # noqa: E402

DAY_ARTICLES = 200_000
NODE_CORES = 16


def run_once(input_path: str, out: str, workers: int, batch_size: int) -> dict:
    """One run (in this process): wall time, first-batch time, counts, event ids."""
    import pyarrow.dataset as pads

    from riftwatch.scale import RayOptions, run_ray

    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    summary = run_ray([input_path], out, options=RayOptions(workers=workers, batch_size=batch_size))
    wall = time.perf_counter() - t0
    ids = pads.dataset(f"{out}/events", format="parquet").to_table(columns=["id"])
    return {
        "workers": workers,
        "load_average_at_start": round(load, 2),
        "documents": summary.documents,
        "batches": summary.batches,
        "event_mentions": summary.events,
        "event_ids": sorted(ids.column("id").to_pylist()),
        "seconds": round(wall, 2),
        "coding_seconds": round(summary.coding_seconds, 2),
        "docs_per_s": round(summary.documents / wall, 3),
        "steady_docs_per_s": round(summary.coding_documents_per_second, 3),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=300, help="articles (default 300)")
    ap.add_argument("--workers", default="1,2", help="worker counts to run (default 1,2)")
    ap.add_argument("--batch-size", type=int, default=16, help="documents per batch")
    ap.add_argument("--run", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--input", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.run:  # a child: one measurement, JSON on the last line of stdout
        result = run_once(args.input, args.out, args.run, args.batch_size)
        print(json.dumps(result))
        return 0

    if not CORPUS.exists():
        print(f"skipped: {CORPUS} is absent")
        return 0
    runs = []
    with tempfile.TemporaryDirectory(prefix="riftwatch-bench-ray-") as tmp:
        sample = Path(tmp) / "sample.jsonl"
        with CORPUS.open(encoding="utf-8") as src, sample.open("w", encoding="utf-8") as dst:
            for n, line in enumerate(src):
                if n >= args.limit:
                    break
                dst.write(line)
        for w in [int(x) for x in args.workers.split(",")]:
            out = str(Path(tmp) / f"out-{w}")
            cmd = [sys.executable, __file__, "--run", str(w), "--input", str(sample)]
            cmd += ["--out", out, "--batch-size", str(args.batch_size)]
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                print(proc.stderr[-3000:])
                return 1
            result = json.loads(proc.stdout.strip().splitlines()[-1])
            runs.append(result)
            print(
                f"{w} worker(s): {result['documents']} docs in {result['seconds']} s"
                f" ({result['docs_per_s']} docs/s end to end,"
                f" {result['steady_docs_per_s']} docs/s steady), load {result['load_average_at_start']}",
                flush=True,
            )
    same_events = all(r["event_ids"] == runs[0]["event_ids"] for r in runs)
    for r in runs:
        r.pop("event_ids")
    result: dict = {"articles": args.limit, "batch_size": args.batch_size, "runs": runs}
    result["same_events_for_every_worker_count"] = same_events
    by = {r["workers"]: r for r in runs}
    if 1 in by and 2 in by:
        for key in ("docs_per_s", "steady_docs_per_s"):
            one, two = by[1][key], by[2][key]
            result[f"scaling_efficiency_{key}"] = round(two / (2 * one), 3) if one else None
        per_core = by[2]["steady_docs_per_s"] / 2
        needed = DAY_ARTICLES / 3600
        cores = math.ceil(needed / per_core) if per_core else None
        result["estimate"] = {
            "articles": DAY_ARTICLES,
            "within_seconds": 3600,
            "docs_per_s_needed": round(needed, 1),
            "per_core_docs_per_s": round(per_core, 3),
            "cores": cores,
            "nodes_16_cores": math.ceil(cores / NODE_CORES) if cores else None,
        }
    path = save("ray", result)
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}, indent=2))
    print(f"saved {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
