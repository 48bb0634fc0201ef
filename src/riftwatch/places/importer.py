"""Upgrade the gazetteer from GeoNames dumps that a user downloaded.

Accepted files (plain or zipped, recognised by name): a main dump (``allCountries``,
``cities500``/``cities1000``/..., or a country file such as ``PK.txt``: 19 tab-separated
columns), ``admin1CodesASCII.txt`` and ``admin2Codes.txt`` (admin codes -> names and ids)
and ``alternateNamesV2`` (``alternateNames``). Rows whose GeoNames id the gazetteer
already has update it (real coordinates replace the computed centroids of provinces and
countries; names are added); new rows are added. The result replaces the cache file.
"""

from __future__ import annotations

import io
import pickle
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from riftwatch.errors import ConfigError

from .normalize import is_latin
from .store import (
    ADM1,
    ADM2,
    CITY,
    COUNTRY,
    FEATURE,
    Q_ALIAS,
    REGION,
    Builder,
    Tables,
)

# Feature classes kept from a main dump: admin, populated places, regions, water, terrain,
# and the few spot features news locates events at.
_KEEP_CLASSES = {"A", "P", "L", "H", "T"}
_KEEP_SPOTS = {"BDRCRS", "AIRP", "AIRB", "CSTM", "PAL", "MLTY", "PRN", "DAM", "BLDG", "CMP"}
_COUNTRY_CODES = {"PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL"}
_SKIP_LANGS = {"link", "wkdt", "post", "iata", "icao", "faac", "tcid", "unlc", "fr_1793"}


def _lines(path: Path) -> Iterator[str]:
    """Lines of a text file or of the ``.txt`` members of a zip archive."""
    if not path.is_file():
        raise ConfigError(f"no such file: {path}")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            for member in zf.namelist():
                if not member.endswith(".txt") or member.lower().startswith("readme"):
                    continue
                with zf.open(member) as raw:
                    yield from io.TextIOWrapper(raw, encoding="utf-8")
        return
    with open(path, encoding="utf-8") as f:
        yield from f


def _file_kind(path: Path) -> str:
    name = path.name.lower()
    if name.startswith("admin1codes"):
        return "admin1"
    if name.startswith("admin2codes"):
        return "admin2"
    if name.startswith("alternatenames"):
        return "altnames"
    return "main"


def import_files(paths: list[Path], tables: Tables) -> tuple[Tables, dict[str, Any]]:
    """A new Tables with the dumps merged in, and counts of what changed."""
    order = {"admin1": 0, "admin2": 1, "main": 2, "altnames": 3}
    paths = sorted(paths, key=lambda p: order[_file_kind(p)])
    # Work on a copy: a failed import must leave the loaded gazetteer untouched.
    b = Builder(pickle.loads(pickle.dumps(tables, protocol=pickle.HIGHEST_PROTOCOL)))
    t = b.t
    stats = {"updated": 0, "added": 0, "names": 0, "files": [p.name for p in paths]}
    admin_gid: dict[str, int] = {}  # "PK.03" / "PK.03.1168875" -> GeoNames id
    for path in paths:
        kind = _file_kind(path)
        if kind in ("admin1", "admin2"):
            for n, line in enumerate(_lines(path), start=1):
                cols = line.rstrip("\r\n").split("\t")
                if len(cols) < 4:
                    raise ConfigError(f"{path}:{n}: expected 4 columns in an admin codes file")
                if cols[3].strip().isdigit():
                    admin_gid[cols[0]] = int(cols[3])
        elif kind == "main":
            _import_main(path, b, admin_gid, stats)
        else:
            _import_altnames(path, b, stats)
    meta = dict(t.meta)
    meta["sources"] = list(meta.get("sources", [])) + [f"geonames:{p.name}" for p in paths]
    return b.finish(meta), stats


def _import_main(path: Path, b: Builder, admin_gid: dict[str, int], stats: dict) -> None:
    t = b.t
    pending_parents: list[tuple[int, str, str, str]] = []
    code_row: dict[str, int] = {}
    for n, line in enumerate(_lines(path), start=1):
        cols = line.rstrip("\r\n").split("\t")
        if len(cols) != 19:
            raise ConfigError(
                f"{path}:{n}: expected 19 columns in a GeoNames dump, got {len(cols)}"
            )
        gid = int(cols[0])
        name, ascii_name, alt = cols[1], cols[2], cols[3]
        lat, lon = float(cols[4]), float(cols[5])
        fclass, fcode, cc = cols[6], cols[7], cols[8]
        a1, a2 = cols[10], cols[11]
        pop = int(cols[14]) if cols[14].strip() else 0
        if fclass not in _KEEP_CLASSES and not (fclass == "S" and fcode in _KEEP_SPOTS):
            continue
        row = b.by_gid.get(gid)
        if row is not None:
            t.lat[row], t.lon[row] = lat, lon
            t.pop[row] = max(t.pop[row], pop)
            t.fclass[row], t.fcode[row] = fclass, fcode
            stats["updated"] += 1
        else:
            if fcode in _COUNTRY_CODES:
                kind = COUNTRY
            elif fcode.startswith("ADM1"):
                kind = ADM1
            elif fcode.startswith("ADM2"):
                kind = ADM2
            elif fclass == "P":
                kind = CITY
            elif fcode == "CONT":
                kind = REGION
            else:
                kind = FEATURE
            if kind == COUNTRY and cc in t.country_row:
                continue
            row = b.add(
                name,
                gid=gid,
                lat=lat,
                lon=lon,
                pop=pop,
                kind=kind,
                fclass=fclass,
                fcode=fcode,
                cc=cc,
            )
            if kind == COUNTRY:
                t.country_row[cc] = row
            stats["added"] += 1
            pending_parents.append((row, cc, a1, a2))
        if fcode.startswith("ADM1") and a1:
            code_row[f"{cc}.{a1}"] = row
        elif fcode.startswith("ADM2") and a2:
            code_row[f"{cc}.{a1}.{a2}"] = row
        for alias in {ascii_name, *alt.split(",")}:
            if alias and alias != name and is_latin(alias):
                b.add_name(row, alias, Q_ALIAS)
                stats["names"] += 1
    for row, cc, a1, a2 in pending_parents:
        kind = t.kind[row]
        if kind in (COUNTRY, REGION, ADM1) or not a1:
            continue
        p1 = _admin_row(b, code_row, admin_gid, f"{cc}.{a1}")
        t.adm1[row] = p1
        if kind != ADM2 and a2:
            t.adm2[row] = _admin_row(b, code_row, admin_gid, f"{cc}.{a1}.{a2}")


def _admin_row(b: Builder, code_row: dict[str, int], admin_gid: dict[str, int], code: str) -> int:
    if code in code_row:
        return code_row[code]
    gid = admin_gid.get(code)
    return b.by_gid.get(gid, -1) if gid is not None else -1


def _import_altnames(path: Path, b: Builder, stats: dict) -> None:
    for n, line in enumerate(_lines(path), start=1):
        cols = line.rstrip("\r\n").split("\t")
        if len(cols) < 4:
            raise ConfigError(f"{path}:{n}: expected at least 4 columns in alternate names")
        row = b.by_gid.get(int(cols[1])) if cols[1].isdigit() else None
        if row is None or cols[2] in _SKIP_LANGS:
            continue
        colloquial = len(cols) > 6 and cols[6] == "1"
        historic = len(cols) > 7 and cols[7] == "1"
        if colloquial or historic or not is_latin(cols[3]):
            continue
        b.add_name(row, cols[3], Q_ALIAS)
        stats["names"] += 1
