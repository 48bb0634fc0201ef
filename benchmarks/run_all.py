"""Run every benchmark (``make bench``); each saves its figures under benchmarks/results/.

Benchmarks that need ../shared print "skipped" when it is absent.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (script, extra arguments) in the order they run; the scale run is last: it is the longest
PLAN: list[tuple[str, list[str]]] = [
    ("bench_actors.py", []),
    ("bench_places.py", []),
    ("bench_dyad.py", []),
    ("bench_aggregate.py", []),
    ("bench_api.py", []),
    ("bench_ray.py", ["--limit", "300"]),
    # riftwatch vs spaCy alone on a corpus sample (1 and 2 workers), then the whole
    # corpus with 2 workers: one results file, benchmarks/results/throughput.json
    ("bench_throughput.py", []),
]


def main() -> int:
    failed = []
    for script, args in PLAN:
        path = HERE / script
        if not path.exists():
            print(f"== {script}: not present, skipped")
            continue
        print(f"== {script} {' '.join(args)}", flush=True)
        if subprocess.call([sys.executable, str(path), *args]) != 0:
            failed.append(script)
    if failed:
        print(f"failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
