"""PLOVER and CAMEO reference tables (shipped as CSV under ``riftwatch/data/plover``).

Loaded once per process; every event candidate looks up its quad code, PLOVER score,
closest CAMEO code and Goldstein score here rather than in code.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class EventType:
    event: str
    quad_code: int
    quad_name: str
    plover_score: float
    requires_recipient: bool


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    name: str
    goldstein: float | None


@dataclass(frozen=True)
class PloverTables:
    """All PLOVER/CAMEO facts the coder needs."""

    event_types: dict[str, EventType]
    modes: dict[str, dict[str, float]]
    """event -> mode -> PLOVER score"""
    contexts: dict[str, str]
    cameo: dict[str, CameoCode]
    plover_to_cameo: dict[tuple[str, str], str]
    """(event, mode or "") -> closest CAMEO code"""
    cameo_to_plover: dict[str, tuple[str, str, tuple[str, ...]]]

    def score(self, event: str, mode: str | None) -> float | None:
        """The PLOVER score of the type/mode (the type's score when the mode has none)."""
        if mode and mode in self.modes.get(event, {}):
            return self.modes[event][mode]
        et = self.event_types.get(event)
        return et.plover_score if et else None

    def quad_code(self, event: str) -> int | None:
        et = self.event_types.get(event)
        return et.quad_code if et else None

    def cameo_code(self, event: str, mode: str | None) -> str | None:
        return self.plover_to_cameo.get((event, mode or "")) or self.plover_to_cameo.get(
            (event, "")
        )

    def goldstein(self, cameo_code: str | None) -> float | None:
        if not cameo_code:
            return None
        c = self.cameo.get(cameo_code)
        return c.goldstein if c else None


def _rows(name: str) -> list[dict[str, str]]:
    text = (resources.files("riftwatch.data") / "plover" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@lru_cache(maxsize=1)
def plover_tables() -> PloverTables:
    """Load the shipped tables (cached)."""
    event_types = {
        r["event"]: EventType(
            event=r["event"],
            quad_code=int(r["quad_code"]),
            quad_name=r["quad_name"],
            plover_score=float(r["plover_score"]),
            requires_recipient=r["requires_recipient"] == "yes",
        )
        for r in _rows("event_types.csv")
    }
    modes: dict[str, dict[str, float]] = {}
    for r in _rows("modes.csv"):
        modes.setdefault(r["event"], {})[r["mode"]] = float(r["plover_score"])
    contexts = {r["context"]: r["description"] for r in _rows("contexts.csv")}
    cameo = {
        r["cameo_code"]: CameoCode(
            r["cameo_code"], r["name"], float(r["goldstein"]) if r["goldstein"] else None
        )
        for r in _rows("cameo_codes.csv")
    }
    p2c = {(r["event"], r["mode"]): r["cameo_code"] for r in _rows("plover_to_cameo.csv")}
    c2p = {
        r["cameo_code"]: (r["event"], r["mode"], tuple(c for c in r["context"].split(";") if c))
        for r in _rows("cameo_to_plover.csv")
    }
    return PloverTables(event_types, modes, contexts, cameo, p2c, c2p)
