"""The briefing as Markdown (for wikis and tickets).

Markdown renderers pass raw HTML through, so article text is HTML-escaped here too, and
table cells lose their pipes and line breaks. Charts are replaced by a compact table.
"""

from __future__ import annotations

from html import escape

from .data import ReportData, fmt_signed, pct
from .render_html import safe_url


def _t(value: object) -> str:
    """Escape a value for a Markdown table cell or paragraph."""
    text = escape("" if value is None else str(value), quote=True)
    for ch in ("\\", "|", "[", "]", "`", "*", "_"):
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.split())


def _link(text: str, url: str | None) -> str:
    u = safe_url(url)
    if not u:
        return _t(text)
    return f"[{_t(text)}](<{escape(u, quote=True).replace('>', '%3E')}>)"


def render_md(data: ReportData, *, versions: dict[str, str] | None = None) -> str:
    r = data.shifts
    a, b = _t(data.a), _t(data.b)
    out = [
        f"# {a} – {b} relations: briefing",
        "",
        f"_{_t(data.first_day)} to {_t(data.last_day)}, by {_t(data.by)}, generated"
        f" {_t(data.generated.isoformat(sep=' '))} UTC by riftwatch._",
        "",
    ]
    if r.shifts:
        first, last = r.segment_means[0], r.segment_means[-1]
        verb = "deteriorated" if last < first else "improved"
        out.append(
            f"**{a}–{b} relations {verb}**: relation index {fmt_signed(first)} → {fmt_signed(last)},"
            f" {len(r.shifts)} robust shift(s): "
            + ", ".join(
                f"{s.date.isoformat()} (Δ {s.delta:+.2f}, p = {s.p_value:.3f})" for s in r.shifts
            )
            + "."
        )
    elif r.tentative:
        out.append(
            "No robust shift; possible shift(s) (significant at 5%, not 1%): "
            + ", ".join(
                f"{s.date.isoformat()} (Δ {s.delta:+.2f}, p = {s.p_value:.3f})" for s in r.tentative
            )
            + "."
        )
    else:
        out.append("No robust shift in the period.")
    t = data.totals
    out += [
        "",
        f"{t['events']:,} events from {t['reports']:,} reports in {t['documents']:,} documents;"
        f" {t['conflict']:,} conflict and {t['coop']:,} cooperation events; {t['dead']:,} reported dead.",
        "",
        "## Trend",
        "",
        "| period | events | coop (v/m) | conflict (v/m) | index | dead |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    shift_dates = {s.date for s in r.all_shifts}
    for p in r.series.periods:
        mark = " **← shift**" if p.period in shift_dates else ""
        out.append(
            f"| {p.period.isoformat()}{mark} | {p.events} | {p.verbal_coop}/{p.material_coop} |"
            f" {p.verbal_conflict}/{p.material_conflict} | {fmt_signed(p.index)} | {p.dead} |"
        )
    out += ["", "## Drivers", ""]
    if not data.drivers:
        out.append("No robust shift, so no drivers.")
    for k, sd in enumerate(data.drivers, start=1):
        shift = next((x for x in r.all_shifts if x.date == sd.shift_date), None)
        kind = "Shift" if shift is None or shift.robust else "Possible shift"
        out += [
            f"### {kind} {k}: {sd.shift_date.isoformat()} (index {fmt_signed(sd.index_before)} →"
            f" {fmt_signed(sd.index_after)}, Δ {fmt_signed(sd.delta)})",
            "",
        ]
        if sd.turn:
            out += ["At the turn:", ""]
            for ev in sd.turn[:4]:
                out.append(
                    f"- {_t(ev.date)} {_t(ev.event)}{', ' + _t(ev.place) if ev.place else ''}:"
                    f" “{_t(ev.text)}” ({_link(ev.title or ev.document_id or 'source', ev.url)})"
                )
            out.append("")
        for grouping, drivers in sd.drivers.items():
            out += [f"| {grouping} | contribution | events before → after |", "|---|---:|---:|"]
            for d in drivers:
                out.append(
                    f"| {_t(d.label)} | {fmt_signed(d.contribution)} | {d.events_before} → {d.events_after} |"
                )
            out.append("")
        for d in sd.drivers.get("sub-dyad", [])[:3]:
            for ev in d.evidence[:2]:
                out.append(
                    f"> “{_t(ev.text)}” — {_link(ev.title or ev.document_id or 'source', ev.url)},"
                    f" {_t(ev.source)}, {_t(ev.date)} ({_t(d.label)})"
                )
                out.append("")
    out += [
        "## Main actors",
        "",
        "| actor | events | share | betweenness | targeted |",
        "|---|---:|---:|---:|---:|",
    ]
    for n in data.actors:
        out.append(
            f"| {_t(n['actor'])} | {n['events']} | {n['strength']:.2f} | {n['betweenness']:.2f} | {n['pagerank']:.2f} |"
        )
    out += ["", "## Where", "", "| place | conflict | cooperation | dead |", "|---|---:|---:|---:|"]
    for p in sorted(data.points, key=lambda p: -(p.coop + p.conflict))[:12]:
        out.append(f"| {_t(p.name)} | {p.conflict} | {p.coop} | {p.dead} |")
    out += ["", "## Timeline of key events", ""]
    for e in data.timeline:
        out.append(
            f"- **{e['date'].isoformat()}** {_t(e['event'])} {_t(e['actor'])} → {_t(e['recipient'])}"
            f"{', ' + _t(e['place']) if e['place'] else ''}: “{_t(e['text'])}”"
            f" ({_link(e['title'] or e['id'], e['url'])}, {e['sources']} source(s))"
        )
    q = data.quality
    m = q["mentions"]
    out += [
        "",
        "## Data quality",
        "",
        f"- {q['documents']:,} documents, {m:,} event mentions, {q['events']:,} events,"
        f" {q['rejected']:,} rejected inputs.",
        "- Mentions by modality: " + ", ".join(f"{_t(k)} {v:,}" for k, v in q["modalities"]) + ".",
        f"- Unresolved actors: {q['actor_unresolved']:,} ({pct(q['actor_unresolved'], m)});"
        f" recipients: {q['recipient_unresolved']:,} ({pct(q['recipient_unresolved'], m)}).",
        f"- Places: {q['place_missing']:,} mentions without a place, {q['place_unlocated']:,} unlocated.",
        f"- Dates: {q['date_missing']:,} undated, {q['date_from_publication']:,} from the publication date.",
    ]
    outlier = data.totals.get("toll_outlier")
    if outlier:
        out.append(
            f"- **Check the death toll:** one event ({_t(outlier['event'])}, {outlier['date']})"
            f" carries {outlier['dead']:,} of the {data.totals['dead']:,} reported dead:"
            f" “{_t(outlier['text'])}”."
        )
    if q["rejected_reasons"]:
        out.append(
            "- Rejected by reason: " + "; ".join(f"{_t(r)} ({n})" for r, n in q["rejected_reasons"])
        )
    if versions:
        out += [
            "",
            "_Software: " + ", ".join(f"{_t(k)} {_t(v)}" for k, v in versions.items()) + "._",
        ]
    return "\n".join(out) + "\n"
