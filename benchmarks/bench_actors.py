"""Benchmark: resolve 100,000 actor mentions on one core.

Acceptance (issue 3): under 10 s. The mention mix is realistic rather than one string
repeated: names, agents with adjectives, possessives, titles, IGOs, and bare agents that
need the sentence context, over dates spread across 2001-2025 (so the date-bucketed cache
is exercised but not trivially). Also reports the cold rate with every cache cleared
before each call. CPU time is printed beside wall time because the machine may be shared.

Run: .venv/bin/python benchmarks/bench_actors.py [N]
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time

from riftwatch.actors import ActorResolver, load_kb

MENTIONS = [
    "Taliban",
    "the Taliban",
    "Afghan Taliban",
    "Pakistani Taliban",
    "TTP",
    "Imran Khan",
    "Prime Minister Imran Khan",
    "Shehbaz Sharif",
    "Pakistani police",
    "Pakistan's military",
    "Afghan security forces",
    "a senior Taliban leader",
    "Interior Minister Sheikh Rasheed Ahmed",
    "the head of the US military",
    "ISI",
    "NATO",
    "UN Security Council",
    "Islamabad",
    "Kabul",
    "Hamid Karzai",
    "Ashraf Ghani",
    "army chief General Asim Munir",
    "Indian troops",
    "Chinese foreign ministry",
    "police",
    "militants",
    "the government",
    "security forces",
    "Haqqani network",
    "ISKP",
    "Balochistan Liberation Army",
    "Narendra Modi",
    "Joe Biden",
    "Zalmay Khalilzad",
    "Iranian border guards",
    "Tajik officials",
    "the weather",
]
CONTEXTS = [
    None,
    "Police in Pakistan said militants attacked a checkpoint in Khyber Pakhtunkhwa.",
    "Afghan officials said the attack in Kunar killed three.",
]


def main(n: int = 100_000) -> None:
    t0 = time.perf_counter()
    resolver = ActorResolver(load_kb())
    t_load = time.perf_counter() - t0
    rng = random.Random(7)
    start = dt.date(2001, 1, 1).toordinal()
    days = [dt.date.fromordinal(start + rng.randrange(9000)) for _ in range(n)]
    work = [(rng.choice(MENTIONS), days[i], rng.choice(CONTEXTS)) for i in range(n)]
    t0, c0 = time.perf_counter(), time.process_time()
    found = 0
    for text, day, ctx in work:
        found += bool(resolver.resolve(text, date=day, context=ctx))
    t_warm, c_warm = time.perf_counter() - t0, time.process_time() - c0
    cold = ActorResolver(resolver.kb)
    m = min(n, 20_000)
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(m):
        text, day, ctx = work[i]
        cold._cache.clear()
        cold._scans.clear()
        cold._contexts.clear()
        cold.resolve(f"{text} ", date=day, context=ctx)
    t_cold = (time.perf_counter() - t0) / m * n
    c_cold = (time.process_time() - c0) / m * n
    print(f"knowledge base: {len(resolver.kb)} entries, loaded in {t_load:.2f} s")
    print(
        f"resolved {n} mentions ({found} with an actor) in {t_warm:.2f} s wall, "
        f"{c_warm:.2f} s CPU (cached by text and date epoch)"
    )
    print(f"every cache cleared before each call: {t_cold:.2f} s wall, {c_cold:.2f} s CPU per {n}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
