"""The embedded gazetteer: loaded from the user's cache, built there on first use.

``Gazetteer.load()`` is what every caller uses; the instance is shared per cache path
because loading takes a few hundred milliseconds and the tables are read-only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riftwatch.model import Place

from .normalize import norm
from .store import ADM1, ADM2, CITY, COUNTRY, RESOLUTION, Tables, cache_path, load_file, save

_LOCK = threading.Lock()
_LOADED: dict[Path, Gazetteer] = {}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer row a name may refer to, with how well the name matched it."""

    row: int
    quality: int


class Gazetteer:
    """Read-only access to the gazetteer tables."""

    def __init__(self, tables: Tables, path: Path | None = None) -> None:
        self.t = tables
        self.path = path

    # -- loading --------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path | None = None, *, rebuild: bool = False) -> Gazetteer:
        """The gazetteer in ``path`` (default: the user cache), built there if missing."""
        path = path or cache_path()
        with _LOCK:
            if not rebuild and path in _LOADED:
                return _LOADED[path]
            tables = None if rebuild else load_file(path)
            if tables is None:
                from .build import build_from_packages

                tables = build_from_packages()
                save(tables, path)
            gaz = cls(tables, path)
            _LOADED[path] = gaz
            return gaz

    @classmethod
    def forget(cls, path: Path | None = None) -> None:
        """Drop the loaded instance of ``path`` (all when None): its file has changed."""
        with _LOCK:
            if path is None:
                _LOADED.clear()
            else:
                _LOADED.pop(path, None)

    def info(self) -> dict[str, Any]:
        t = self.t
        kinds = {"region": 0, "country": 0, "province": 0, "district": 0, "city": 0}
        for k in t.kind:
            level = RESOLUTION[k]
            kinds[level] = kinds.get(level, 0) + 1
        size = self.path.stat().st_size if self.path and self.path.exists() else None
        return {
            "path": str(self.path) if self.path else None,
            "bytes": size,
            "places": len(t),
            "names": len(t.index),
            "by_level": kinds,
            "sources": list(t.meta.get("sources", [])),
            "format": t.meta.get("format"),
        }

    # -- lookups --------------------------------------------------------------------------
    def candidates(self, name: str, *, normalised: bool = False) -> list[Candidate]:
        key = name if normalised else norm(name)
        if key.startswith("the "):
            key = key[4:]
        return [Candidate(code >> 2, code & 3) for code in self.t.index.get(key, ())]

    def has_name(self, key: str) -> bool:
        return key in self.t.index

    def demonym(self, name: str) -> str | None:
        """The target of a demonym ("Afghan" -> "AF"), "" for people-only ones, else None."""
        return self.t.demonyms.get(norm(name))

    def country_row(self, iso2: str) -> int | None:
        return self.t.country_row.get(iso2)

    def iso3(self, iso2: str) -> str | None:
        return self.t.iso3.get(iso2)

    def iso2_of_iso3(self, iso3: str) -> str | None:
        inv = getattr(self, "_inv_iso3", None)
        if inv is None:
            inv = {v: k for k, v in self.t.iso3.items()}
            self._inv_iso3 = inv
        return inv.get(iso3)

    def largest_city(self, area: int) -> int | None:
        """The most populous city of a province or district (None when it has none)."""
        biggest = getattr(self, "_largest", None)
        if biggest is None:
            t = self.t
            biggest = {}
            for row, kind in enumerate(t.kind):
                if kind != CITY:
                    continue
                for a in (t.adm1[row], t.adm2[row]):
                    if a >= 0 and (a not in biggest or t.pop[row] > t.pop[biggest[a]]):
                        biggest[a] = row
            self._largest = biggest
        return biggest.get(area)

    def is_capital(self, row: int) -> bool:
        return row in self.t.capitals

    def row_by_name(self, name: str, kind: int | None = None) -> int | None:
        """The most populous row of that name (and kind): for tests and curated lookups."""
        best = None
        for c in self.candidates(name):
            if kind is not None and self.t.kind[c.row] != kind:
                continue
            if best is None or self.t.pop[c.row] > self.t.pop[best]:
                best = c.row
        return best

    # -- output ---------------------------------------------------------------------------
    def place(
        self,
        row: int,
        *,
        extracted: str,
        span: tuple[int, int] | None = None,
        confidence: float = 0.0,
        resolution: str | None = None,
    ) -> Place:
        """The PLOVER location record of a gazetteer row."""
        t = self.t
        kind = t.kind[row]
        adm1 = t.adm1[row]
        adm2 = t.adm2[row]
        cc = t.cc[row]
        country_row = t.country_row.get(cc)
        gid = t.gid[row]
        return Place(
            extracted_place=extracted,
            resolved_place=t.names[row],
            geonameid=gid if gid > 0 else None,
            lat=round(t.lat[row], 5),
            lon=round(t.lon[row], 5),
            city=t.names[row] if RESOLUTION[kind] == "city" else None,
            district=t.names[row] if kind == ADM2 else (t.names[adm2] if adm2 >= 0 else None),
            province=t.names[row] if kind == ADM1 else (t.names[adm1] if adm1 >= 0 else None),
            country=(t.names[country_row] if country_row is not None else None),
            country_code=t.iso3.get(cc) if cc else None,
            feature_class=t.fclass[row],
            feature_code=t.fcode[row],
            resolution=resolution or RESOLUTION[kind],
            span=span,
            confidence=round(confidence, 3),
        )

    def is_area(self, row: int) -> bool:
        return self.t.kind[row] in (COUNTRY, ADM1, ADM2)
