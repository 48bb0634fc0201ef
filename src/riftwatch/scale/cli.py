"""The command-line faces of the Ray engine: ``code --engine ray`` and ``load``.

Kept here, not in ``riftwatch.cli``, so that the main CLI only gains two options and a
branch; ``register`` adds the ``load`` command to the main app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from .._cli_common import err, fail, open_store, print_run_summary
from ..errors import RiftwatchError

EXIT_REJECTED = 3


def _bar(label: str, show: bool) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn(label),
        TextColumn(
            "{task.fields[docs]} docs · {task.fields[events]} events · {task.fields[rate]} docs/s"
        ),
        TimeElapsedColumn(),
        console=err,
        disable=not show,
    )


def code_ray(
    inputs: list[str],
    out: str | None,
    *,
    workers: int,
    address: str | None,
    batch_size: int | None,
    coder_options: dict[str, Any],
    read_options: Any,
    progress: bool,
    verbose: bool,
) -> None:
    """``riftwatch code --engine ray``: code on Ray into Parquet files under ``out``."""
    from .ray_engine import DEFAULT_BATCH_SIZE, RayOptions, RaySummary, run_ray

    if out is None:
        raise typer.BadParameter("--engine ray writes Parquet files: give --out DIR")
    options = RayOptions(
        workers=workers,
        address=address,
        batch_size=batch_size or DEFAULT_BATCH_SIZE,
        coder_options=coder_options,
        read=read_options,
    )
    bar = _bar("coding on Ray", progress and err.is_terminal)
    task = bar.add_task("coding", total=None, docs=0, events=0, rate="0")

    def on_batch(summary: RaySummary) -> None:
        bar.update(
            task,
            docs=summary.documents,
            events=summary.events,
            rate=f"{summary.documents_per_second:.1f}",
        )
        if verbose:
            err.print(
                f"batch {summary.batches}: {summary.documents} coded, {summary.events} events,"
                f" {summary.rejected} rejected"
            )

    try:
        with bar:
            summary = run_ray(inputs, out, options=options, on_batch=on_batch)
    except KeyboardInterrupt:
        err.print("interrupted: finished batches are kept; run the same command again")
        raise typer.Exit(130) from None
    except RiftwatchError as e:
        raise fail(str(e)) from None

    print_run_summary(
        f"riftwatch code --engine ray → {out}",
        [
            ("input files", f"{summary.files:,}"),
            ("batches", f"{summary.batches:,}"),
            ("documents coded", f"{summary.documents:,}"),
            ("not coded (language)", f"{summary.not_coded:,}" if summary.not_coded else None),
            ("sentences", f"{summary.sentences:,}"),
            ("sentences parsed", f"{summary.sentences_parsed:,}"),
            ("event mentions", f"{summary.events:,}"),
            ("rejected inputs", f"{summary.rejected:,}"),
            ("seconds", f"{summary.seconds:.1f}"),
            ("documents/s", f"{summary.documents_per_second:.1f}"),
        ],
        summary.rejected_items,
    )
    err.print(f"load them into a store with: riftwatch load {out} --db riftwatch.duckdb")
    if summary.rejected:
        raise typer.Exit(EXIT_REJECTED)


def load(
    folder: Annotated[
        str,
        typer.Argument(help="Folder (or URI) written by `riftwatch code --engine ray --out`."),
    ],
    db: Annotated[
        Path,
        typer.Option(
            "--db",
            envvar="RIFTWATCH_DB",
            help="DuckDB store (created if missing). Env: RIFTWATCH_DB.",
        ),
    ] = Path("riftwatch.duckdb"),
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
) -> None:
    """Import the Parquet output of a Ray run into a store (idempotent)."""
    from .load import LoadSummary, load_dir

    store = open_store(db)
    bar = _bar("loading", progress and err.is_terminal)
    task = bar.add_task("loading", total=None, docs=0, events=0, rate="-")

    def on_batch(summary: LoadSummary) -> None:
        bar.update(task, docs=summary.documents + summary.skipped, events=summary.events)

    try:
        with bar:
            summary = load_dir(folder, store, on_batch=on_batch)
    except RiftwatchError as e:
        raise fail(str(e)) from None
    finally:
        store.close()
    table = Table(title=f"riftwatch load {folder} → {db}", show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("files read", f"{summary.files:,}")
    table.add_row("documents written", f"{summary.documents:,}")
    table.add_row("already stored (unchanged)", f"{summary.skipped:,}")
    table.add_row("copies dropped (duplicates, old versions)", f"{summary.superseded:,}")
    table.add_row("event mentions", f"{summary.events:,}")
    table.add_row("rejected inputs", f"{summary.rejected:,}")
    err.print(table)


def register(app: typer.Typer) -> None:
    """Add ``load`` to ``app``."""
    app.command("load")(load)
