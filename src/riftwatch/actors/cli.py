"""``riftwatch actors``: resolve a mention, list and show knowledge-base entries."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer

from riftwatch.actors.kb import KnowledgeBase, load_kb
from riftwatch.actors.resolver import ActorResolver
from riftwatch.errors import RiftwatchError

app = typer.Typer(
    help="Actor knowledge base: resolve mentions to PLOVER country + sector for a date.",
    no_args_is_help=True,
)


def _kb(actors: list[Path] | None) -> KnowledgeBase:
    try:
        return load_kb(list(actors or []))
    except RiftwatchError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        typer.echo(f"error: bad --date {value!r} (want YYYY-MM-DD)", err=True)
        raise typer.Exit(2) from exc


@app.command("resolve")
def resolve_cmd(
    text: str = typer.Argument(..., help="The mention, e.g. 'Pakistani police'."),
    date: str | None = typer.Option(None, "--date", help="Event date YYYY-MM-DD."),
    context: str | None = typer.Option(None, "--context", help="The sentence around it."),
    country: str | None = typer.Option(None, "--country", help="Country hint (ISO3)."),
    actors: list[Path] | None = typer.Option(None, "--actors", help="Extra actor file(s)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Resolve TEXT to actor codes (an empty list when it names no actor)."""
    day = _parse_date(date)
    resolver = ActorResolver(_kb(actors))
    matches = resolver.resolve(text, date=day, context=context, country_hint=country)
    rows = [
        {
            "code": m.code,
            "country": m.country,
            "sector": m.sector,
            "kb_id": m.kb_id,
            "name": m.name,
            "office": m.office,
            "confidence": round(m.confidence, 3),
        }
        for m in matches
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    if not rows:
        typer.echo("no actor")
        return
    for r in rows:
        sel = f"{r['code'] or '?'}:{r['sector'] or '-'}"
        typer.echo(f"{sel:10} {r['name'] or ''} ({r['kb_id']}) conf={r['confidence']}")


@app.command("list")
def list_cmd(
    country: str | None = typer.Option(None, "--country", help="Only this ISO3 code."),
    sector: str | None = typer.Option(None, "--sector", help="Only this sector (any role)."),
    kind: str | None = typer.Option(None, "--kind", help="country/agent/igo/org/person."),
    actors: list[Path] | None = typer.Option(None, "--actors", help="Extra actor file(s)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List knowledge-base entries."""
    kb = _kb(actors)
    out = []
    for e in kb.entries.values():
        codes = {e.country} | {r.code for r in e.roles if r.code}
        sectors = {e.sector} | {r.sector for r in e.roles}
        if country and country.upper() not in codes and e.id != country.upper():
            continue
        if sector and sector.upper() not in sectors:
            continue
        if kind and e.kind != kind:
            continue
        out.append(e)
    if as_json:
        typer.echo(json.dumps([e.to_dict() for e in out], ensure_ascii=False))
        return
    for e in out:
        typer.echo(f"{e.id:28} {e.kind:7} {e.country or '':4} {e.sector or '':4} {e.name}")


@app.command("show")
def show_cmd(
    entry_id: str = typer.Argument(..., help="Knowledge-base id, e.g. imran_khan."),
    actors: list[Path] | None = typer.Option(None, "--actors", help="Extra actor file(s)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show one entry with its aliases and dated roles."""
    kb = _kb(actors)
    e = kb.get(entry_id)
    if e is None:
        typer.echo(f"error: no actor with id {entry_id!r}", err=True)
        raise typer.Exit(1)
    d = e.to_dict()
    if as_json:
        typer.echo(json.dumps(d, ensure_ascii=False))
        return
    typer.echo(f"{e.name}  [{e.id}]  {e.kind}  {e.country or ''} {e.sector or ''}")
    if e.aliases:
        typer.echo("  aliases: " + ", ".join(e.aliases))
    for r in d.get("roles", []):
        span = f"{r.get('start', '…')} → {r.get('end', '…')}"
        typer.echo(
            f"  {span:26} {r.get('code', e.country) or ''} {r.get('sector', '')} {r.get('office', '')}"
        )
    typer.echo(f"  source: {e.source}")
