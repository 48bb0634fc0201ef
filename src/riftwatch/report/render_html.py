"""The briefing as one self-contained HTML file.

No script, no remote asset: styles are inline, charts are inline SVG, and a Content
Security Policy forbids scripts and remote loads, so even a payload that slipped past the
escaping could not run. Every value from the data goes through ``esc``; links are kept
only for http(s) URLs.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from ..analysis.drivers import TURN_DAYS, Driver, EvidenceItem, ShiftDrivers
from .data import ReportData, fmt_signed, pct
from .svg import QUAD_COLORS, contribution_bar, esc, event_map, in_frame, trend_chart

CSS = """
body{font-family:Helvetica,Arial,sans-serif;color:#222;margin:0;background:#f5f5f2}
main{max-width:1080px;margin:0 auto;padding:28px 36px 48px;background:#fff}
h1{font-size:26px;margin:0 0 4px} h2{font-size:19px;margin:34px 0 10px;border-bottom:2px solid #1f3b73;padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px} .muted{color:#666} .small{font-size:12px}
.lead{font-size:16px;line-height:1.5;background:#f1f4fa;border-left:4px solid #1f3b73;padding:10px 14px}
.cards{display:flex;gap:10px;flex-wrap:wrap;margin:14px 0}
.card{flex:1 1 130px;border:1px solid #ddd;border-radius:6px;padding:8px 12px}
.card b{display:block;font-size:22px} .card span{font-size:12px;color:#555}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #e5e5e5;vertical-align:top}
th{background:#f4f4f4;font-weight:600} td.num{text-align:right;white-space:nowrap}
blockquote{margin:4px 0 8px 0;padding:4px 10px;border-left:3px solid #bbb;font-size:13px;background:#fafafa}
blockquote .cite{display:block;color:#666;font-size:11px;margin-top:2px}
.neg{color:#c62828;font-weight:600} .pos{color:#2e7d32;font-weight:600}
.shift{border:1px solid #ddd;border-radius:6px;padding:10px 14px;margin:12px 0}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:18px}
ul{font-size:14px;line-height:1.5}
.q{display:inline-block;width:9px;height:9px;border-radius:2px;margin-right:4px}
a{color:#1f3b73}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def safe_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def link(text: str, url: str | None) -> str:
    u = safe_url(url)
    if not u:
        return esc(text)
    return f"<a href='{esc(u)}' rel='noopener noreferrer'>{esc(text)}</a>"


def _signed(v: float | None) -> str:
    cls = "neg" if (v or 0) < 0 else "pos"
    return f"<span class='{cls}'>{esc(fmt_signed(v))}</span>"


def _evidence(ev: EvidenceItem, *, show_type: bool = False) -> str:
    title = ev.title or ev.document_id or "source"
    meta = " · ".join(
        x
        for x in (
            f"<b>{esc(ev.event)}</b>" if show_type and ev.event else "",
            esc(ev.place) if show_type and ev.place else "",
            esc(ev.date.isoformat()) if ev.date else "",
            link(title, ev.url),
            esc(ev.source) if ev.source else "",
            f"{ev.sources} sources" if ev.sources > 1 else "1 source",
            f"{ev.dead} dead" if ev.dead else "",
        )
        if x
    )
    return f"<blockquote>“{esc(ev.text)}”<span class='cite'>{meta}</span></blockquote>"


def _driver_table(title: str, drivers: list[Driver], scale: float) -> str:
    if not drivers:
        return ""
    rows = []
    for d in drivers:
        rows.append(
            f"<tr><td>{esc(d.label)}</td><td class='num'>{_signed(d.contribution)}</td>"
            f"<td>{contribution_bar(d.contribution, scale)}</td>"
            f"<td class='num'>{d.events_before} → {d.events_after}</td></tr>"
        )
    return (
        f"<h3>By {esc(title)}</h3><table><tr><th>{esc(title)}</th><th>contribution</th>"
        "<th></th><th>events before → after</th></tr>" + "".join(rows) + "</table>"
    )


def _shift_block(k: int, sd: ShiftDrivers, data: ReportData) -> str:
    shift = next((s for s in data.shifts.all_shifts if s.date == sd.shift_date), None)
    kind = "Shift" if shift is None or shift.robust else "Possible shift"
    head = (
        f"<h3>{kind} {k}: {esc(sd.shift_date.isoformat())} — "
        f"{'deterioration' if sd.delta < 0 else 'improvement'}</h3>"
        f"<p>Index pooled over each window {_signed(sd.index_before)}"
        f" ({esc(sd.before[0])} to {esc(sd.before[1])}) → "
        f"{_signed(sd.index_after)} ({esc(sd.after[0])} to {esc(sd.after[1])}); "
        f"change {_signed(sd.delta)}"
    )
    if shift:
        head += f", {shift.effect:.1f}× the noise level, permutation p = {shift.p_value:.3f}"
        if shift.earliest and shift.latest and shift.earliest != shift.latest:
            head += (
                f"; the change fits about as well anywhere from {esc(shift.earliest.isoformat())}"
                f" to {esc(shift.latest.isoformat())} (shaded on the chart)"
            )
        if not shift.robust:
            head += " (not significant at 1%: read as a lead, not a finding)"
    head += ".</p>"
    scale = max((abs(d.contribution) for ds in sd.drivers.values() for d in ds), default=1.0)
    tables = "".join(_driver_table(g, ds, scale) for g, ds in sd.drivers.items())
    # what happened at the turn, then evidence for the top sub-dyads and event type
    quoted: list[str] = []
    seen: set[str] = set()
    if sd.turn:
        word = "conflict" if sd.delta < 0 else "cooperation"
        quoted.append(
            f"<h3>At the turn: the weightiest {word} events within"
            f" {TURN_DAYS} days of {esc(sd.shift_date.isoformat())}</h3>"
            + "".join(_evidence(e, show_type=True) for e in sd.turn[:4])
        )
        seen.update(e.event_id for e in sd.turn[:4])
    picks = sd.drivers.get("sub-dyad", [])[:3] + sd.drivers.get("event type", [])[:1]
    for d in picks:
        items = [e for e in d.evidence if e.event_id not in seen][:2]
        if not items:
            continue
        seen.update(e.event_id for e in items)
        when = (
            "what the shift ended"
            if all(e.date and e.date < sd.shift_date for e in items)
            else "after the shift"
        )
        quoted.append(
            f"<h3>Evidence: {esc(d.label)} ({esc(d.grouping)}, {_signed(d.contribution)})"
            f" <span class='small muted'>{when}</span></h3>" + "".join(_evidence(e) for e in items)
        )
    return f"<div class='shift'>{head}<div class='grid'><div>{tables}</div><div>{''.join(quoted)}</div></div></div>"


def _lead(data: ReportData) -> str:
    r = data.shifts
    shifts = r.shifts
    periods = [p for p in r.series.periods if p.index is not None]
    a, b = esc(data.a), esc(data.b)
    if not periods:
        return f"<p class='lead'>No coded events between {a} and {b} in this period.</p>"
    # the index of the first and last windows, as the driver sections state them
    if data.drivers:
        first, last = data.drivers[0].index_before, data.drivers[-1].index_after
    else:
        first, last = r.segment_means[0], r.segment_means[-1]
    if not shifts and r.tentative:
        verb = "deteriorated" if (last or 0) < (first or 0) else "improved"
        possible = ", ".join(
            f"{esc(s.date.isoformat())} (Δ {s.delta:+.2f}, p = {s.p_value:.3f})"
            for s in r.tentative
        )
        return (
            f"<p class='lead'>{a}–{b} relations appear to have <b>{verb}</b>: the relation"
            f" index moved from {_signed(first)} to {_signed(last)}, with a possible shift at"
            f" {possible}. The evidence is thin: the change is significant at 5% but not at"
            " 1%, so read the drivers below as leads to check, not findings.</p>"
        )
    if not shifts:
        mean = sum(p.index for p in periods if p.index is not None) / len(periods)
        return (
            f"<p class='lead'>No robust shift in {a}–{b} relations: the relation index"
            f" stayed around {_signed(mean)} (mean of {len(periods)} {esc(data.by)}s with"
            " events); changes were within the noise.</p>"
        )
    verb = "deteriorated" if (last or 0) < (first or 0) else "improved"
    parts = [
        f"{a}–{b} relations <b>{verb}</b>: the relation index moved from {_signed(first)}"
        f" at the start of the period to {_signed(last)} at the end, through"
        f" {len(shifts)} robust shift{'s' if len(shifts) > 1 else ''}"
        f" ({', '.join(esc(s.date.isoformat()) for s in shifts)})."
    ]
    if data.drivers:
        big = max(data.drivers, key=lambda d: abs(d.delta))
        subs = big.drivers.get("sub-dyad", [])[:2]
        types = big.drivers.get("event type", [])[:2]
        if subs:
            parts.append(
                f" The largest shift ({esc(big.shift_date.isoformat())}) is driven by "
                + " and ".join(
                    f"<b>{esc(d.label)}</b> ({fmt_signed(d.contribution)})" for d in subs
                )
                + (
                    "; event types: "
                    + ", ".join(f"{esc(d.label)} ({fmt_signed(d.contribution)})" for d in types)
                    if types
                    else ""
                )
                + "."
            )
        named = _turn_titles(big)
        if named:
            parts.append(f" At the turn: {named}.")
    return "<p class='lead'>" + "".join(parts) + "</p>"


def _turn_titles(sd: ShiftDrivers, limit: int = 3) -> str:
    """The headlines of the weightiest events at a shift, one per document."""
    seen: set[str] = set()
    out = []
    for e in sd.turn:
        key = e.document_id or e.event_id
        if key in seen:
            continue
        seen.add(key)
        day = f" ({esc(e.date.isoformat())})" if e.date else ""
        out.append(f"<i>{esc(e.title or e.text or e.event)}</i>{day}")
        if len(out) == limit:
            break
    return "; ".join(out)


def _cards(data: ReportData) -> str:
    t = data.totals
    cards = [
        (t["events"], "events (deduplicated)"),
        (t["reports"], "reports behind them"),
        (t["documents"], "source documents"),
        (t["conflict"], "conflict events"),
        (t["coop"], "cooperation events"),
        (t["dead"], "reported dead"),
    ]
    outlier = t.get("toll_outlier")
    if outlier:
        cards[-1] = (
            t["dead"],
            f"reported dead, {outlier['dead']:,} in one event: see data quality",
        )
    return (
        "<div class='cards'>"
        + "".join(
            f"<div class='card'><b>{esc(f'{v:,}')}</b><span>{esc(label)}</span></div>"
            for v, label in cards
        )
        + "</div>"
    )


def _actors(data: ReportData) -> str:
    if not data.actors:
        return "<p class='muted'>No actor pairs coded in this period.</p>"
    partners: dict[str, list[str]] = {}
    for e in data.edges:
        partners.setdefault(e["source"], []).append(
            f"→ {e['target']} ({e['conflict']} conflict, {e['coop']} coop)"
        )
    rows = "".join(
        f"<tr><td><b>{esc(n['actor'])}</b></td><td class='num'>{n['events']}</td>"
        f"<td class='num'>{n['strength']:.2f}</td><td class='num'>{n['betweenness']:.2f}</td>"
        f"<td class='num'>{n['pagerank']:.2f}</td><td class='small'>{esc('; '.join(partners.get(n['actor'], [])[:2]))}</td></tr>"
        for n in data.actors
    )
    return (
        "<table><tr><th>actor</th><th>events</th><th>share of interactions</th>"
        "<th>betweenness</th><th>targeted (PageRank of conflict)</th><th>main directed ties</th></tr>"
        + rows
        + "</table><p class='small muted'>All coded events in the period, not only the dyad:"
        " the actors around the relation (e.g. armed groups) appear here.</p>"
    )


def _where(data: ReportData) -> str:
    if not data.points:
        return "<p class='muted'>No located events for this dyad.</p>"
    drawn = [p for p in data.points if in_frame(p) and not p.country_level]
    top = sorted(drawn, key=lambda p: (-(p.coop + p.conflict), p.name))[:14]
    coarse = [p for p in data.points if p.country_level]
    outside = [p for p in data.points if not p.country_level and not in_frame(p)]
    notes = []
    if coarse:
        n = sum(p.coop + p.conflict for p in coarse)
        notes.append(
            f"{n} event{'s' if n != 1 else ''} located only to a country"
            f" ({esc(', '.join(p.name for p in coarse))}) are not drawn."
        )
    if outside:
        notes.append(
            "Outside the map: "
            + esc(", ".join(f"{p.name} ({p.coop + p.conflict})" for p in outside))
            + "."
        )
    rows = "".join(
        f"<tr><td>{esc(p.name)}</td><td class='num'>{p.conflict}</td><td class='num'>{p.coop}</td>"
        f"<td class='num'>{p.dead}</td></tr>"
        for p in top
    )
    return (
        "<div style='display:grid;grid-template-columns:640px 1fr;gap:18px;align-items:start'>"
        f"<div>{event_map(data.points)}</div><div><table><tr><th>place</th><th>conflict</th>"
        f"<th>coop</th><th>dead</th></tr>{rows}</table>"
        f"<p class='small muted'>{' '.join(notes)}</p></div></div>"
    )


def _timeline(data: ReportData) -> str:
    if not data.timeline:
        return "<p class='muted'>No events.</p>"
    shift_dates = sorted(s.date for s in data.shifts.all_shifts)
    rows: list[str] = []
    pending = list(shift_dates)
    for e in data.timeline:
        while pending and e["date"] >= pending[0]:
            rows.append(
                f"<tr><td colspan='5' style='background:#fff3f3'><b>— shift detected from"
                f" {esc(pending.pop(0).isoformat())} —</b></td></tr>"
            )
        q = e["quad_code"] or 0
        color = QUAD_COLORS.get(q, "#999")
        place = f"{e['place']} ({e['country_code']})" if e["place"] else (e["country_code"] or "")
        rows.append(
            f"<tr><td class='num'>{esc(e['date'].isoformat())}</td>"
            f"<td><span class='q' style='background:{color}'></span>{esc(e['event'])}</td>"
            f"<td>{esc(e['actor'])} → {esc(e['recipient'])}<br><span class='small muted'>{esc(place)}"
            f"{' · ' + esc(str(e['dead'])) + ' dead' if e['dead'] else ''}</span></td>"
            f"<td class='small'>“{esc(e['text'])}”<br><span class='muted'>"
            f"{link(e['title'] or e['id'], e['url'])} · {esc(e['source'] or '')}</span></td>"
            f"<td class='num'>{e['sources']}</td></tr>"
        )
    for d in pending:
        rows.append(
            f"<tr><td colspan='5'><b>— shift detected from {esc(d.isoformat())} —</b></td></tr>"
        )
    return (
        "<table><tr><th>date</th><th>type</th><th>who → whom, where</th><th>what the press said</th>"
        "<th>sources</th></tr>" + "".join(rows) + "</table>"
    )


def _quality(data: ReportData) -> str:
    q = data.quality
    m = q["mentions"]
    items = [
        f"{q['documents']:,} documents coded ({q['documents_without_events']:,} yielded no event;"
        f" {q['undated_documents']:,} without a publication date); {q['rejected']:,} inputs rejected.",
        f"{m:,} event mentions grouped into {q['events']:,} events"
        f" ({pct(q['events_single_source'], q['events'])} of events rest on a single document).",
        "Mentions by modality: "
        + ", ".join(f"{esc(k)} {v:,}" for k, v in q["modalities"])
        + " (only asserted and claimed mentions make events).",
        f"Unresolved actors: {q['actor_unresolved']:,} mentions without an actor"
        f" ({pct(q['actor_unresolved'], m)}), {q['recipient_unresolved']:,} without a recipient"
        f" ({pct(q['recipient_unresolved'], m)}).",
        f"Places: {q['place_missing']:,} mentions name no place ({pct(q['place_missing'], m)});"
        f" {q['place_unlocated']:,} name a place that was not located.",
        f"Dates: {q['date_missing']:,} mentions undated; {q['date_from_publication']:,} dated by"
        " the publication date because the text gave none.",
    ]
    outlier = data.totals.get("toll_outlier")
    if outlier:
        items.insert(
            0,
            f"<b>Check the death toll:</b> one event ({esc(outlier['event'])},"
            f" {esc(outlier['date'])}) carries {outlier['dead']:,} of the"
            f" {data.totals['dead']:,} reported dead: “{esc(outlier['text'])}”"
            f" ({esc(outlier['title'] or '')}). A cumulative figure read as one event inflates"
            " the total.",
        )
    if q["unlocated_places"]:
        items.append(
            "Unlocated place names: "
            + ", ".join(f"“{esc(p)}” ({n})" for p, n in q["unlocated_places"])
        )
    if q["unresolved_actor_texts"]:
        items.append(
            "Unresolved actor texts: "
            + ", ".join(f"“{esc(p)}” ({n})" for p, n in q["unresolved_actor_texts"])
        )
    if q["rejected_reasons"]:
        items.append(
            "Rejected inputs by reason: "
            + "; ".join(f"{esc(r)} ({n})" for r, n in q["rejected_reasons"])
        )
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def render_html(data: ReportData, *, versions: dict[str, str] | None = None) -> str:
    a, b = esc(data.a), esc(data.b)
    span = f"{esc(data.first_day)} to {esc(data.last_day)}" if data.first_day else "no events"
    parts: list[str] = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>riftwatch briefing: {a}–{b}</title><style>{CSS}</style></head><body><main>",
        f"<h1>{a} – {b} relations: briefing</h1>",
        f"<p class='muted'>{span} · by {esc(data.by)} · generated {esc(data.generated.isoformat(sep=' '))} UTC"
        " by riftwatch from coded news reports</p>",
        _lead(data),
        _cards(data),
        "<h2>Trend and shifts</h2>",
        trend_chart(data.shifts),
        "<p class='small muted'>Relation index per period = (cooperation − conflict) / total,"
        " each event weighted by |PLOVER score| (an air strike weighs 9, an accusation 3)."
        " Dots: periods, sized by their number of events (a one-event month sits at ±1 and"
        " says little); blue line: the index pooled over each period and its two neighbours;"
        " purple dashes: the level between shifts. Vertical dashed lines: shifts kept after a"
        " permutation test (p < 0.01); dotted brown lines: possible shifts (p < 0.05); shaded"
        " band: where the change fits about as well (likelihood within the 95% allowance)."
        " Empty periods are gaps.</p>",
        "<h2>What drove each shift</h2>",
    ]
    if data.drivers:
        parts.append(
            "<p class='small muted'>Contributions split the index change between the window"
            " before and after each shift exactly: they add up to the change within each"
            " grouping. Negative: pushed relations towards conflict.</p>"
        )
        parts += [_shift_block(k, sd, data) for k, sd in enumerate(data.drivers, start=1)]
    else:
        parts.append("<p class='muted'>No robust shift in this period, so no drivers.</p>")
    parts += [
        "<h2>Where</h2>",
        _where(data),
        "<h2>Main actors</h2>",
        _actors(data),
        "<h2>Timeline of key events</h2>",
        "<p class='small muted'>The weightiest events of the dyad (|PLOVER score| × sources,"
        " plus fatalities), in date order.</p>",
        _timeline(data),
        "<h2>Data quality</h2>",
        _quality(data),
        "<h2>Method</h2>",
        _method(data, versions or {}),
        "</main></body></html>",
    ]
    return "\n".join(parts)


def _method(data: ReportData, versions: dict[str, Any]) -> str:
    v = ", ".join(f"{esc(k)} {esc(x)}" for k, x in versions.items())
    return (
        "<p class='small'>Events are event mentions merged across reports (same type, actors,"
        " district or nearby place, dates within a window); negated, hypothetical and future"
        " mentions are not events. Shifts: PELT change points (ruptures) on the index series"
        f" with a BIC-like penalty scaled by the estimated noise (σ = {data.shifts.sigma:.2f}),"
        " kept only when a permutation test on the surrounding segments gives p < 0.01 and the"
        " change exceeds the noise. Drivers: exact decomposition of the index change by group."
        + (f" Software: {v}." if v else "")
        + "</p>"
    )
