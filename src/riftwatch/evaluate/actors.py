"""Actor-coding evaluation on the PLOVER gold standard records (PLOVER_GSR_CAMEO.txt).

Each gold record gives a sentence, a date and its source/target actors as
``{"actorText", "code", "sector"}``. We resolve every ``actorText`` in the context of its
sentence and date and compare the country code (and, where gold gives one, the sector).

The gold file is "JSON-ish": records are JSON objects one after another, but some hold stray
braces inside strings, so the file is split on the lines that open and close a record and
each record is parsed on its own (records that still fail are counted, not fatal).

Code equivalences applied to the gold side (documented, not tuned): CAMEO country codes
that differ from ISO 3166 (JAP->JPN, ITL->ITA, ...), and the PLOVER manual's UNO/EUR
(United Nations / European Union) count as the older generic IGO.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riftwatch.actors import ActorResolver, load_kb
from riftwatch.errors import ConfigError

CAMEO_TO_ISO = {
    "JAP": "JPN",
    "ITL": "ITA",
    "VTN": "VNM",
    "GMY": "DEU",
    "UKG": "GBR",
    "SPN": "ESP",
    "ROM": "ROU",
    "YUG": "SRB",
    "ZAI": "COD",
    "BUR": "MMR",
}
IGO_LIKE = {"IGO", "UNO", "EUR"}


@dataclass(frozen=True, slots=True)
class GoldActor:
    record_id: str
    role: str
    text: str
    code: str
    sector: str | None
    sentence: str
    date: dt.date | None


def parse_gold(path: str | Path) -> tuple[list[GoldActor], int]:
    """(gold actors, number of records that could not be parsed)."""
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read gold file: {exc}") from exc
    chunks = re.split(r"^\{\s*$", raw, flags=re.M)[1:]
    actors: list[GoldActor] = []
    bad = 0
    for chunk in chunks:
        body = "{" + re.sub(r"\}\s*,?\s*\]?\s*$", "}", chunk.strip())
        try:
            rec = json.loads(body)
        except json.JSONDecodeError:
            bad += 1
            continue
        text = rec.get("text")
        if not isinstance(text, str) or not text:
            continue
        try:
            day = dt.date.fromisoformat(rec.get("date") or "")
        except ValueError:
            day = None
        for role in ("source", "target"):
            items = rec.get(role)
            if isinstance(items, dict):
                items = [items]
            if not isinstance(items, list):
                continue
            for a in items:
                if not isinstance(a, dict) or not a.get("actorText") or not a.get("code"):
                    continue
                sector = a.get("sector")
                actors.append(
                    GoldActor(
                        record_id=str(rec.get("id")),
                        role=role,
                        text=str(a["actorText"]),
                        code=str(a["code"]).upper(),
                        sector=str(sector)[:3].upper() if sector else None,
                        sentence=text.strip("{} "),
                        date=day,
                    )
                )
    return actors, bad


def _same_code(gold: str, pred: str | None) -> bool:
    if pred is None:
        return False
    gold = CAMEO_TO_ISO.get(gold, gold)
    if gold in IGO_LIKE and pred in IGO_LIKE:
        return True
    return gold == pred


def evaluate(path: str | Path, *, resolver: ActorResolver | None = None) -> dict[str, Any]:
    """Score country-code and sector accuracy of the resolver on the gold actors."""
    actors, bad = parse_gold(path)
    resolver = resolver or ActorResolver(load_kb())
    n = ok_code = 0
    n_sector = ok_sector = 0
    failures: Counter[str] = Counter()
    examples: dict[str, list[dict[str, Any]]] = {}
    for g in actors:
        n += 1
        matches = resolver.resolve(g.text, date=g.date, context=g.sentence)
        coded = [m for m in matches if m.code]
        pred = coded[0] if coded else (matches[0] if matches else None)
        code = pred.code if pred else None
        if _same_code(g.code, code):
            ok_code += 1
        else:
            if pred is None:
                if any(w[:1].isupper() for w in g.text.split()):
                    kind = "no actor found: name not in the knowledge base (or misspelt)"
                else:
                    kind = "no actor found: noun not in the agent list"
            elif code is None:
                kind = "agent without a country (context gave none)"
            elif CAMEO_TO_ISO.get(g.code, g.code) in IGO_LIKE | {"NGO", "IMG", "ISM", "MNC"}:
                kind = "international/non-state code differs (IGO vs NGO etc.)"
            elif pred.confidence <= 0.7:
                kind = "wrong country guessed from the sentence context"
            else:
                kind = "wrong country from the knowledge base (gold codes residence/affiliation)"
            failures[kind] += 1
            examples.setdefault(kind, []).append(
                {"mention": g.text, "gold": g.code, "predicted": code, "record": g.record_id}
            )
        if g.sector and g.sector != "***":
            n_sector += 1
            if pred is not None and pred.sector == g.sector:
                ok_sector += 1
    return {
        "file": str(path),
        "actors": n,
        "unparsed_records": bad,
        "country_accuracy": round(ok_code / n, 4) if n else 0.0,
        "country_correct": ok_code,
        "sector_accuracy": round(ok_sector / n_sector, 4) if n_sector else 0.0,
        "sector_scored": n_sector,
        "sector_correct": ok_sector,
        "failures": dict(failures.most_common()),
        "failure_examples": {k: v[:8] for k, v in examples.items()},
        "kb_entries": len(resolver.kb),
    }


def format_report(result: dict[str, Any]) -> str:
    lines = [
        f"Actor coding on {result['file']}",
        f"  actor mentions        {result['actors']}"
        + (
            f" ({result['unparsed_records']} records unparsed)"
            if result["unparsed_records"]
            else ""
        ),
        f"  country-code accuracy {result['country_accuracy']:.3f}"
        f" ({result['country_correct']}/{result['actors']})",
        f"  sector accuracy       {result['sector_accuracy']:.3f}"
        f" ({result['sector_correct']}/{result['sector_scored']} with a gold sector)",
        f"  knowledge-base size   {result['kb_entries']} entries",
        "  failure kinds:",
    ]
    for kind, count in result["failures"].items():
        lines.append(f"    {count:4d}  {kind}")
        for ex in result["failure_examples"].get(kind, [])[:3]:
            lines.append(f"          {ex['mention']!r}: gold {ex['gold']}, got {ex['predicted']}")
    return "\n".join(lines)
