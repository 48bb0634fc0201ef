"""The command line: a thin face on the library.

Each command parses its options, calls one library function and formats the result.
Exit status: 0 when everything was done, 1 on an error (a one-line message, no traceback),
2 on a usage error, 3 when a ``code`` run rejected some inputs (the rest was coded; the
rejected inputs are listed and stored in the ``rejected`` table).
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ._cli_common import err, fail, open_store, parse_date, print_run_summary
from .errors import RiftwatchError

EXIT_REJECTED = 3

app = typer.Typer(
    name="riftwatch",
    help="Political event data from news text: who did what to whom, where, when, how many.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
out = Console(highlight=False, soft_wrap=True)
if not out.is_terminal and "COLUMNS" not in os.environ:
    out = Console(highlight=False, soft_wrap=True, width=160)  # pipes and files: wide tables

DbOption = Annotated[
    Path,
    typer.Option(
        "--db",
        envvar="RIFTWATCH_DB",
        help="DuckDB store (created if missing). Env: RIFTWATCH_DB.",
    ),
]
DEFAULT_DB_PATH = Path("riftwatch.duckdb")


# -- code -------------------------------------------------------------------------------
@app.command()
def code(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders (recursively) or - for stdin: .txt, .jsonl, .json, .csv,"
            " .html, RSS/Atom feeds."
        ),
    ],
    db: DbOption = DEFAULT_DB_PATH,
    published: Annotated[
        str | None,
        typer.Option(help="Publication date (YYYY-MM-DD) for documents that give none."),
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, max=1024, help="Coding processes (Ray actors with --engine ray).")
    ] = 1,
    out_path: Annotated[
        str | None,
        typer.Option(
            "--out",
            help="Also write the events of these inputs as PLOVER JSONL. With --engine ray:"
            " the folder (or URI) the Parquet files are written to.",
        ),
    ] = None,
    field: Annotated[
        list[str] | None,
        typer.Option(help="Field name mapping for JSON/CSV, e.g. --field text=body."),
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="Source name for documents that give none.")
    ] = None,
    max_bytes: Annotated[
        int,
        typer.Option(help="Size limit in bytes: per file, and per line or row for JSONL and CSV."),
    ] = 50_000_000,
    actors: Annotated[
        list[Path] | None, typer.Option(help="Extra actor knowledge-base YAML file(s).")
    ] = None,
    lexicon: Annotated[
        list[Path] | None, typer.Option(help="Extra event lexicon YAML file(s).")
    ] = None,
    batch_size: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Documents per committed batch (default: coded 16 at a time and committed"
            " 64 at a time; 32 on Ray).",
        ),
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log each batch.")] = False,
    engine: Annotated[
        str,
        typer.Option(
            help="local (this machine, into --db) or ray (a Ray cluster, Parquet into --out DIR;"
            " then `riftwatch load DIR`)."
        ),
    ] = "local",
    ray_address: Annotated[
        str | None,
        typer.Option(
            help="Ray cluster to use with --engine ray (auto, ray://HOST:10001); default: start"
            " a local Ray with --workers CPUs."
        ),
    ] = None,
    ner: Annotated[
        bool,
        typer.Option(
            "--ner/--no-ner",
            help="Find dates, people and organisations with spaCy's entity recogniser"
            " (about 1.6x the parse time) instead of riftwatch's rules (the default).",
        ),
    ] = False,
) -> None:
    """Code documents into event data and store them (idempotent; resumable)."""
    from .api import code_documents
    from .ingest import FieldMap, read_inputs

    pub = parse_date(published, "--published")
    try:
        fields = FieldMap.parse(field or [])
    except (ValueError, RiftwatchError) as e:
        raise typer.BadParameter(str(e), param_hint="--field") from None
    missing = [i for i in inputs if i != "-" and "://" not in i and not Path(i).exists()]
    for m in missing:
        err.print(
            f"[yellow]warning:[/] {m}: no such file or folder (recorded as rejected)", markup=True
        )
    if engine not in ("local", "ray"):
        raise typer.BadParameter("use local or ray", param_hint="--engine")
    if engine == "ray":
        from .scale.cli import code_ray
        from .scale.sources import ReadOptions

        code_ray(
            inputs,
            out_path,
            workers=workers,
            address=ray_address,
            batch_size=batch_size,
            coder_options={
                **({"actor_files": [str(p) for p in actors]} if actors else {}),
                **({"lexicon_files": [str(p) for p in lexicon]} if lexicon else {}),
                **({"ner": True} if ner else {}),
            },
            read_options=ReadOptions(fields, pub, max_bytes, source),
            progress=progress,
            verbose=verbose,
        )
        return
    store = open_store(db)
    seen_ids: list[str] = []

    def items() -> Iterator[Any]:
        for item in read_inputs(
            inputs, fields=fields, published=pub, max_bytes=max_bytes, source=source
        ):
            if hasattr(item, "text"):
                seen_ids.append(item.id)
            yield item

    coder_options: dict[str, Any] = {}
    if actors:
        coder_options["actor_files"] = [str(p) for p in actors]
    if lexicon:
        coder_options["lexicon_files"] = [str(p) for p in lexicon]
    if ner:
        coder_options["ner"] = True

    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    show_bar = progress and err.is_terminal
    bar = Progress(
        SpinnerColumn(),
        TextColumn("coding"),
        BarColumn(),
        TextColumn(
            "{task.fields[docs]} docs · {task.fields[events]} events · {task.fields[rate]} docs/s"
        ),
        TimeElapsedColumn(),
        console=err,
        disable=not show_bar,
    )
    task = bar.add_task("coding", total=None, docs=0, events=0, rate="0")

    def on_batch(summary: Any) -> None:
        bar.update(
            task,
            docs=summary.documents + summary.skipped,
            events=summary.events,
            rate=f"{summary.documents_per_second:.1f}",
        )
        if verbose:
            err.print(
                f"committed: {summary.documents} coded, {summary.skipped} already stored,"
                f" {summary.events} events, {summary.rejected} rejected"
            )

    try:
        with bar:
            summary = code_documents(
                items(),
                store,
                workers=workers,
                batch_size=batch_size or 16,
                commit_every=batch_size,
                published=pub,
                coder_options=coder_options or None,
                on_batch=on_batch,
                inputs=[str(i) for i in inputs],
            )
    except KeyboardInterrupt:
        store.close()
        err.print("interrupted: committed batches are kept; run the same command again to resume")
        raise typer.Exit(130) from None
    except RiftwatchError as e:
        store.close()
        raise fail(str(e)) from None

    if out_path is not None:
        n = _write_plover_jsonl(store, Path(out_path), document_ids=seen_ids)
        err.print(f"wrote {n} events to {out_path}")
    store.close()
    _print_summary(summary, db)
    if summary.rejected:
        raise typer.Exit(EXIT_REJECTED)


def _print_summary(summary: Any, db: Path) -> None:
    print_run_summary(
        f"riftwatch code → {db}",
        [
            ("documents coded", f"{summary.documents:,}"),
            ("already stored (unchanged)", f"{summary.skipped:,}" if summary.skipped else None),
            (
                "stored, not coded (language)",
                f"{summary.not_coded:,}" if summary.not_coded else None,
            ),
            ("sentences", f"{summary.sentences:,}"),
            ("sentences parsed", f"{summary.sentences_parsed:,}"),
            ("events", f"{summary.events:,}"),
            ("rejected inputs", f"{summary.rejected:,}"),
            ("seconds", f"{summary.seconds:.1f}"),
            ("documents/s", f"{summary.documents_per_second:.1f}"),
        ],
        summary.rejected_items,
    )


# -- events / export ---------------------------------------------------------------------
FLAT_COLUMNS = [
    "date",
    "event",
    "mode",
    "actor_code",
    "actor_sector",
    "actor_text",
    "recipient_code",
    "recipient_sector",
    "recipient_text",
    "place",
    "dead",
    "injured",
    "arrested",
    "modality",
    "confidence",
    "text",
    "document_id",
    "id",
]


def _filters(
    actor: str | None,
    recipient: str | None,
    event: str | None,
    since: str | None,
    until: str | None,
) -> dict[str, Any]:
    from .store import Selector

    for value, name in ((actor, "--actor"), (recipient, "--recipient")):
        if value:
            try:
                Selector.parse(value)
            except RiftwatchError as e:
                raise typer.BadParameter(str(e), param_hint=name) from None
    return {
        "actor": actor,
        "recipient": recipient,
        "event": event,
        "since": parse_date(since, "--since"),
        "until": parse_date(until, "--until"),
    }


ActorOpt = Annotated[str | None, typer.Option(help="Actor selector: PAK, PAK:MIL, TTP.")]
RecipientOpt = Annotated[str | None, typer.Option(help="Recipient selector: AFG, AFG:GOV.")]
EventOpt = Annotated[str | None, typer.Option(help="PLOVER event type(s), comma-separated.")]
SinceOpt = Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).")]
UntilOpt = Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD).")]


@app.command()
def events(
    db: DbOption = DEFAULT_DB_PATH,
    actor: ActorOpt = None,
    recipient: RecipientOpt = None,
    event: EventOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, jsonl or csv.")] = "table",
    limit: Annotated[int, typer.Option(help="At most this many events (0: all).")] = 50,
    mentions: Annotated[
        bool, typer.Option(help="List event mentions (one per report) instead of events.")
    ] = False,
) -> None:
    """List stored events, newest first."""
    if format not in ("table", "jsonl", "csv"):
        raise typer.BadParameter("use table, jsonl or csv", param_hint="--format")
    store = open_store(db, read_only=True)
    table_name = "event_mentions" if mentions else "events"
    filters = _filters(actor, recipient, event, since, until)
    if format == "jsonl":
        n = 0
        for record in store.iter_records(table=table_name, **filters):
            out.print(json.dumps(record, ensure_ascii=False), markup=False, highlight=False)
            n += 1
            if limit and n >= limit:
                break
        return
    rows = store.query_events(table=table_name, limit=limit or None, **filters)
    if format == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=FLAT_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
        sys.stdout.write(buf.getvalue())
        return
    if not rows:
        err.print("no events match")
        return
    t = Table(show_lines=False)
    for col in ("date", "event", "mode", "actor", "recipient", "place", "dead", "modality"):
        t.add_column(col, no_wrap=True, overflow="ellipsis", max_width=24)
    t.add_column("sentence", ratio=1, min_width=30, overflow="fold")
    for r in rows:
        t.add_row(
            str(r["date"] or ""),
            r["event"],
            r["mode"] or "",
            _who(r, "actor"),
            _who(r, "recipient"),
            r["place"] or "",
            "" if r["dead"] is None else str(r["dead"]),
            r["modality"] or "",
            _clip(r["text"], 320),
        )
    out.print(t)
    err.print(
        f"{len(rows)} event(s) shown"
        + (f" (--limit {limit})" if limit and len(rows) == limit else "")
    )


def _clip(text: str | None, n: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _who(row: dict[str, Any], role: str) -> str:
    code = row.get(f"{role}_code")
    sector = row.get(f"{role}_sector")
    kb = row.get(f"{role}_kb_id")
    label = f"{code}:{sector}" if code and sector else (code or "")
    if kb and kb.upper() != (code or "").upper():
        label += f" ({kb})"
    return label or (row.get(f"{role}_text") or "?")


def _write_plover_jsonl(
    store: Any, path: Path, *, document_ids: list[str] | None = None, **filters: Any
) -> int:
    n = 0
    wanted = set(document_ids) if document_ids is not None else None
    with path.open("w", encoding="utf-8") as fh:
        for record in store.iter_records(
            table="event_mentions" if wanted is not None else "events", **filters
        ):
            if (
                wanted is not None
                and (record.get("cite_info") or {}).get("document_id") not in wanted
            ):
                continue
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    return n


@app.command()
def export(
    format: Annotated[
        str,
        typer.Option("--format", "-f", help="plover-jsonl, csv, parquet, geojson or graphml."),
    ] = "plover-jsonl",
    out_path: Annotated[Path, typer.Option("--out", help="Output file.")] = Path("events.jsonl"),
    db: DbOption = DEFAULT_DB_PATH,
    actor: ActorOpt = None,
    recipient: RecipientOpt = None,
    event: EventOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    mentions: Annotated[
        bool, typer.Option(help="Export event mentions (one per report) instead of events.")
    ] = False,
) -> None:
    """Export stored events: PLOVER JSONL, CSV, Parquet, GeoJSON (map) or GraphML (network)."""
    from .store.export import export_events

    store = open_store(db, read_only=True)
    filters = _filters(actor, recipient, event, since, until)
    try:
        n = export_events(
            store,
            out_path,
            format=format,
            table="event_mentions" if mentions else "events",
            **filters,
        )
    except RiftwatchError as e:
        raise fail(str(e)) from None
    err.print(f"wrote {n} events to {out_path} ({format})")


@app.command()
def rejected(db: DbOption = DEFAULT_DB_PATH) -> None:
    """List the inputs that were rejected, with the reason."""
    store = open_store(db, read_only=True)
    rows = store.rejected()
    if not rows:
        err.print("nothing rejected")
        return
    t = Table()
    for col in ("input", "location", "reason", "at"):
        t.add_column(col, overflow="fold")
    for r in rows:
        t.add_row(r["input"], r["location"] or "", r["reason"], str(r["at"])[:19])
    out.print(t)


@app.command()
def info(db: DbOption = DEFAULT_DB_PATH) -> None:
    """Counts of what a store holds."""
    store = open_store(db, read_only=True)
    for k, v in store.counts().items():
        out.print(f"{k:16} {v:>10,}")


# -- demo -------------------------------------------------------------------------------
def _demo_dir() -> Path | None:
    here = Path(__file__).resolve()
    for base in (Path.cwd(), *here.parents):
        candidate = base / "examples" / "demo"
        if candidate.is_dir():
            return candidate
    return None


@app.command()
def demo(
    db: DbOption = Path("demo.duckdb"),
    path: Annotated[Path | None, typer.Option(help="Demo corpus folder.")] = None,
) -> None:
    """Code the bundled demo corpus (examples/demo) and print what it found."""
    from .api import code_documents
    from .ingest import read_inputs

    folder = path or _demo_dir()
    if folder is None or not folder.is_dir():
        raise fail("demo corpus not found: pass --path examples/demo")
    # the corpus is in the sub-folders; the folder's own README and expectations are not news
    parts = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")) or [
        folder
    ]
    store = open_store(db)
    summary = code_documents(read_inputs(parts), store, inputs=[str(p) for p in parts])
    _print_summary(summary, db)
    rows = store.query_events(limit=None)
    by_type: dict[str, int] = {}
    for r in rows:
        by_type[r["event"]] = by_type.get(r["event"], 0) + 1
    t = Table(title="events by type")
    t.add_column("event")
    t.add_column("count", justify="right")
    for k, v in sorted(by_type.items(), key=lambda kv: -kv[1]):
        t.add_row(k, str(v))
    out.print(t)
    sample = [r for r in rows if r["actor_code"] and r["recipient_code"]][:12]
    s = Table(title="a sample of dyadic events (newest first)")
    for col in ("date", "event", "actor", "recipient", "place", "dead"):
        s.add_column(col, no_wrap=True, overflow="ellipsis", max_width=24)
    s.add_column("sentence", ratio=1, min_width=30, overflow="fold")
    for r in sample:
        s.add_row(
            str(r["date"] or ""),
            r["event"],
            _who(r, "actor"),
            _who(r, "recipient"),
            r["place"] or "",
            "" if r["dead"] is None else str(r["dead"]),
            _clip(r["text"], 240),
        )
    out.print(s)
    store.close()
    out.print(f"store: {db}   try: riftwatch events --db {db} --actor PAK --recipient AFG")


# -- serve ------------------------------------------------------------------------------
@app.command()
def serve(
    db: DbOption = DEFAULT_DB_PATH,
    host: Annotated[
        str, typer.Option(help="Address to listen on; other than loopback needs a token.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    watch: Annotated[
        Path | None,
        typer.Option(help="Folder to poll: files that appear or change in it are coded."),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="RIFTWATCH_TOKEN",
            help="Bearer token required on every request. Env: RIFTWATCH_TOKEN (preferred:"
            " a flag shows in the process list).",
        ),
    ] = None,
    read_only: Annotated[bool, typer.Option("--read-only", help="Refuse all writes.")] = False,
    max_upload_mb: Annotated[
        float, typer.Option(help="Largest request body (POST /api/documents), in MB.")
    ] = 10.0,
) -> None:
    """Serve the dashboard and the JSON API (docs at /docs) over a store."""
    from .server.app import serve as run_server

    if read_only and not db.exists():
        raise fail(f"no store at {db} (run `riftwatch code INPUT --db {db}` first)")
    try:
        run_server(
            db,
            host=host,
            port=port,
            watch_dir=watch,
            token=token,
            read_only=read_only,
            max_upload_mb=max_upload_mb,
        )
    except RiftwatchError as e:
        raise fail(str(e)) from None


# -- sub-apps (mounted when their modules are installed) ----------------------------------
eval_app = typer.Typer(help="Score riftwatch against gold-standard files.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


def _eval_command(name: str, module: str, help_text: str) -> None:
    def command(
        path: Annotated[Path, typer.Argument(help="Gold file.", exists=True, dir_okay=False)],
        as_json: Annotated[bool, typer.Option("--json", help="Machine-readable JSON.")] = False,
    ) -> None:
        import importlib

        mod = importlib.import_module(f"riftwatch.evaluate.{module}")
        try:
            result = mod.evaluate(path)
        except RiftwatchError as e:
            raise fail(str(e)) from None
        if as_json:
            out.print(json.dumps(result, indent=2, default=str), markup=False, highlight=False)
        else:
            out.print(mod.format_report(result), markup=False, highlight=False)

    command.__doc__ = help_text
    eval_app.command(name)(command)


_eval_command("plover", "plover", "Event coding against a PLOVER gold file (PLOVER_GSR format).")
_eval_command("actors", "actors", "Actor resolution against a PLOVER gold file.")
_eval_command("geo", "geo", "Geoparsing against GeoWebNews / LGL / TR-News XML.")
_eval_command("ucdp", "ucdp", "Fatality counts and dates against a UCDP GED CSV.")


def _mount_subapps() -> None:
    import importlib

    for module, attr, name in (
        ("riftwatch.actors.cli", "app", "actors"),
        ("riftwatch.places.cli", "geo_app", "geo"),
        ("riftwatch.places.cli", "gazetteer_app", "gazetteer"),
    ):
        try:
            sub = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError):
            continue
        app.add_typer(sub, name=name)


_mount_subapps()

from .analysis.cli import register as _register_analysis  # noqa: E402

_register_analysis(app)

from .scale.cli import register as _register_scale  # noqa: E402

_register_scale(app)


def cli() -> None:
    """Console-script entry point: library errors become one-line messages."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        app()
    except RiftwatchError as e:
        err.print(f"error: {e}", markup=False)
        sys.exit(1)
