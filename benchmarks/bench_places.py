"""Benchmark the places layer: gazetteer load time and toponym resolution throughput.

Targets (issue 5): loading the gazetteer from the cache < 2 s; resolving 10,000 toponyms in
context < 10 s on one core. Documents are synthetic: sentences written here around names
drawn (seeded) from the gazetteer itself, 20 toponyms per document, so the per-document
context scan (``new_state``) is part of the measured time.

Run: ``python benchmarks/bench_places.py [--toponyms N]``
"""

from __future__ import annotations

import argparse
import random
import time

from riftwatch.model import Document
from riftwatch.places.api import resolve_in_state
from riftwatch.places.gazetteer import Gazetteer
from riftwatch.places.state import new_state
from riftwatch.places.store import ADM1, ADM2, CITY, COUNTRY, cache_path

TEMPLATES = [
    "Police said a bomb exploded in {} on Monday.",
    "Officials from {} met the delegation.",
    "Protesters marched through {} after the vote.",
    "The convoy was stopped near {} by troops.",
    "Floods cut the road between the capital and {}.",
]
FIXED = [
    "Khost",
    "Paktika",
    "Quetta",
    "Peshawar",
    "Torkham",
    "Chaman",
    "Kandahar",
    "Hyderabad",
    "Georgia",
]


def sample_names(gaz: Gazetteer, n: int, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    t = gaz.t
    rows = [
        r
        for r in range(len(t))
        if t.kind[r] in (COUNTRY, ADM1, ADM2) or (t.kind[r] == CITY and t.pop[r] >= 20_000)
    ]
    names = [t.names[r] for r in rng.sample(rows, min(n, len(rows)))]
    return names + FIXED


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--toponyms", type=int, default=10_000)
    args = parser.parse_args()

    started = time.perf_counter()
    Gazetteer.load()  # builds the cache if missing (not part of the load figure)
    first = time.perf_counter() - started
    Gazetteer.forget()
    started = time.perf_counter()
    gaz = Gazetteer.load()
    load_s = time.perf_counter() - started
    print(f"gazetteer: {cache_path()} ({len(gaz.t):,} places, {len(gaz.t.index):,} names)")
    print(f"first use (build or load): {first:.2f} s")
    print(f"load from cache: {load_s:.2f} s  (target < 2 s)")

    rng = random.Random(7)
    names = sample_names(gaz, 2000)
    per_doc = 20
    docs = []
    for _ in range(args.toponyms // per_doc):
        parts, spans, pos = [], [], 0
        for _ in range(per_doc):
            name = rng.choice(names)
            sentence = rng.choice(TEMPLATES).format(name)
            start = pos + sentence.index(name)
            spans.append((start, start + len(name)))
            parts.append(sentence)
            pos += len(sentence) + 1
        docs.append((" ".join(parts), spans))

    resolved = 0
    started = time.perf_counter()
    cpu_started = time.process_time()
    for i, (text, spans) in enumerate(docs):
        state = new_state(Document(id=str(i), text=text), None, gazetteer=gaz)
        for start, end in spans:
            if resolve_in_state(state, text, start, end) is not None:
                resolved += 1
    resolve_s = time.perf_counter() - started
    cpu_s = time.process_time() - cpu_started
    total = len(docs) * per_doc
    print(
        f"resolve {total:,} toponyms in {len(docs)} documents: {resolve_s:.2f} s "
        f"({total / resolve_s:,.0f}/s, {resolved:,} resolved)  (target < 10 s)"
    )
    # On a shared machine the wall time includes waiting for a core; CPU time does not.
    print(f"  CPU time of this process: {cpu_s:.2f} s")


if __name__ == "__main__":
    main()
