"""CLI commands of the analysis layer: ``dyad``, ``shifts``, ``network``, ``report``.

``register(app)`` adds them to the main Typer app. Each opens the store read-only, calls
one library function and formats its result (a Rich table by default, JSON with --json).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from .._cli_common import err, fail, open_store, parse_date
from ..errors import RiftwatchError

_err = err
_out = Console(highlight=False, soft_wrap=True)

DbOpt = Annotated[
    Path,
    typer.Option("--db", envvar="RIFTWATCH_DB", help="DuckDB store. Env: RIFTWATCH_DB."),
]
DEFAULT_DB = Path("riftwatch.duckdb")
ByOpt = Annotated[str, typer.Option("--by", help="Period: day, week or month.")]
SinceOpt = Annotated[str | None, typer.Option("--since", help="From this date (YYYY-MM-DD).")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Up to this date (YYYY-MM-DD).")]
DirectedOpt = Annotated[
    bool, typer.Option("--directed", help="Only A→B events (default: both ways).")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
SelA = Annotated[str, typer.Argument(help="Actor selector: PAK, PAK:MIL, AFG:GOV, TTP, ISI.")]
SelB = Annotated[str, typer.Argument(help="Other actor selector.")]


def _check_by(by: str) -> str:
    if by not in ("day", "week", "month"):
        raise typer.BadParameter("use day, week or month", param_hint="--by")
    return by


def _open(db: Path) -> Any:
    return open_store(db, read_only=True)


def _json(data: Any) -> None:
    _out.print(json.dumps(data, ensure_ascii=False, indent=2), markup=False, highlight=False)


def _num(v: float | None) -> str:
    return "" if v is None else f"{v:+.2f}"


def dyad(
    a: SelA,
    b: SelB,
    db: DbOpt = DEFAULT_DB,
    by: ByOpt = "month",
    since: SinceOpt = None,
    until: UntilOpt = None,
    directed: DirectedOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Time series of the A–B relation: events by quad class, scores, index, fatalities."""
    from .dyads import dyad_series

    store = _open(db)
    try:
        series = dyad_series(
            store, a, b, by=_check_by(by), since=parse_date(since, "--since"),
            until=parse_date(until, "--until"), directed=directed,
        )  # fmt: skip
    except RiftwatchError as e:
        raise fail(str(e)) from None
    finally:
        store.close()
    if as_json:
        _json(series.to_dict())
        return
    arrow = "→" if directed else "–"
    t = Table(title=f"{a} {arrow} {b} by {by} ({series.total_events:,} events)", box=None)
    for col in (
        "period",
        "events",
        "v.coop",
        "m.coop",
        "v.conf",
        "m.conf",
        "score",
        "index",
        "dead",
    ):
        t.add_column(col, justify="left" if col == "period" else "right", no_wrap=True)
    for p in series.periods:
        t.add_row(
            p.period.isoformat(), str(p.events), str(p.verbal_coop), str(p.material_coop),
            str(p.verbal_conflict), str(p.material_conflict), f"{p.score_sum:.1f}",
            _num(p.index), str(p.dead),
        )  # fmt: skip
    _out.print(t)


def shifts(
    a: SelA,
    b: SelB,
    db: DbOpt = DEFAULT_DB,
    by: ByOpt = "month",
    since: SinceOpt = None,
    until: UntilOpt = None,
    directed: DirectedOpt = False,
    drivers: Annotated[bool, typer.Option(help="Also list the drivers of each shift.")] = True,
    as_json: JsonOpt = False,
) -> None:
    """Robust shifts (change points) in the A–B relation index, with their drivers."""
    from .drivers import shift_drivers
    from .shifts import dyad_shifts

    store = _open(db)
    try:
        result = dyad_shifts(
            store, a, b, by=_check_by(by), since=parse_date(since, "--since"),
            until=parse_date(until, "--until"), directed=directed,
        )  # fmt: skip
        found = (
            [shift_drivers(store, a, b, s, directed=directed) for s in result.all_shifts]
            if drivers
            else []
        )
    except RiftwatchError as e:
        raise fail(str(e)) from None
    finally:
        store.close()
    if as_json:
        data = result.to_dict()
        data.pop("series")
        data["drivers"] = [d.to_dict() for d in found]
        _json(data)
        return
    if not result.all_shifts:
        _out.print(
            f"no robust shift in {a}–{b} ({len(result.series.periods)} {by}s; noise σ = {result.sigma:.2f})"
        )
        return
    t = Table(title=f"Shifts in {a}–{b} (noise σ = {result.sigma:.2f})")
    for col in ("date", "kind", "before", "after", "delta", "effect (σ)", "p"):
        t.add_column(col, justify="left" if col in ("date", "kind") else "right")
    for s in result.all_shifts:
        t.add_row(
            s.date.isoformat(),
            "shift" if s.robust else "possible",
            _num(s.before_mean),
            _num(s.after_mean),
            _num(s.delta),
            f"{s.effect:.1f}",
            f"{s.p_value:.3f}",
        )
    _out.print(t)
    for s in result.all_shifts:
        if s.earliest and s.latest and s.earliest != s.latest:
            _out.print(
                f"  {s.date}: the change fits about as well anywhere from {s.earliest:%Y-%m}"
                f" to {s.latest:%Y-%m}",
                markup=False,
            )
    for d in found:
        _out.print(
            f"\n[bold]drivers of the shift on {d.shift_date}[/] (index pooled over each"
            f" window: {_num(d.index_before)} → {_num(d.index_after)}, Δ {d.delta:+.2f})",
            markup=True,
        )
        for grouping, items in d.drivers.items():
            line = ", ".join(f"{x.label} {x.contribution:+.2f}" for x in items[:4])
            _out.print(f"  {grouping}: {line}", markup=False)
        if d.turn:
            _out.print("  at the turn:", markup=False)
        for e in d.turn:
            text = " ".join((e.text or "").split())
            text = text if len(text) <= 110 else text[:109] + "…"
            _out.print(f"    {e.date} {e.event} {e.place or ''}: {text}", markup=False)


def network(
    db: DbOpt = DEFAULT_DB,
    since: SinceOpt = None,
    until: UntilOpt = None,
    top: Annotated[int, typer.Option(help="Actors and ties to list.")] = 15,
    as_json: JsonOpt = False,
) -> None:
    """The actor interaction network: central actors and the heaviest ties."""
    from .network import actor_network, network_summary

    store = _open(db)
    try:
        g = actor_network(
            store, since=parse_date(since, "--since"), until=parse_date(until, "--until")
        )
    except RiftwatchError as e:
        raise fail(str(e)) from None
    finally:
        store.close()
    summary = network_summary(g, top=top)
    if as_json:
        _json(summary)
        return
    t = Table(title=f"Actors ({summary['n_nodes']} nodes, {summary['n_edges']} ties)")
    for col in ("actor", "events", "share", "betweenness", "targeted"):
        t.add_column(col, justify="left" if col == "actor" else "right")
    for n in summary["nodes"]:
        t.add_row(
            n["actor"],
            str(n["events"]),
            f"{n['strength']:.2f}",
            f"{n['betweenness']:.2f}",
            f"{n['pagerank']:.2f}",
        )
    _out.print(t)
    e = Table(title="Heaviest ties")
    for col in ("from", "to", "events", "coop", "conflict", "net score", "dead"):
        e.add_column(col, justify="left" if col in ("from", "to") else "right")
    for x in summary["edges"]:
        e.add_row(
            x["source"],
            x["target"],
            str(x["events"]),
            str(x["coop"]),
            str(x["conflict"]),
            f"{x['net']:+.1f}",
            str(x["dead"]),
        )
    _out.print(e)


def report(
    dyad: Annotated[
        tuple[str, str],
        typer.Option("--dyad", help="The two actor selectors, e.g. --dyad PAK AFG."),
    ],
    db: DbOpt = DEFAULT_DB,
    since: SinceOpt = None,
    until: UntilOpt = None,
    out_path: Annotated[
        Path | None,
        typer.Option("--out", help="FILE.html or FILE.md (default: report-A-B.html)."),
    ] = None,
) -> None:
    """Write a self-contained briefing on the A–B relation; prints its path."""
    from ..report import write_report

    a, b = dyad
    path = out_path or Path(f"report-{a}-{b}.html".replace(":", "_"))
    store = _open(db)
    try:
        written = write_report(
            store,
            a,
            b,
            path,
            since=parse_date(since, "--since"),
            until=parse_date(until, "--until"),
        )
    except RiftwatchError as e:
        raise fail(str(e)) from None
    finally:
        store.close()
    _out.print(str(written), markup=False)


def register(app: typer.Typer) -> None:
    """Add ``dyad``, ``shifts``, ``network`` and ``report`` to ``app``."""
    app.command("dyad")(dyad)
    app.command("shifts")(shifts)
    app.command("network")(network)
    app.command("report")(report)
