"""Inline SVG charts for the briefing: the relation trend with shifts, and the event map.

Generated as strings (no plotting library, no remote asset) so the report is one file that
opens offline. Every piece of text that comes from data goes through ``esc``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from ..analysis.dyads import DyadPeriod
from ..analysis.shifts import ShiftResult
from .outlines import CITIES, COUNTRY_LABELS, OUTLINES

QUAD_COLORS = {1: "#8cc084", 2: "#2e7d32", 3: "#f0a04b", 4: "#c62828"}
QUAD_LABELS = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
FONT = "font-family='Helvetica, Arial, sans-serif'"


def esc(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _fmt_period(day: dt.date, by: str) -> str:
    if by == "month":
        return day.strftime("%b %Y")
    return day.isoformat()


def pooled_rolling(periods: Sequence[DyadPeriod], half: int = 1) -> list[float | None]:
    """Index of each period pooled with ``half`` neighbours on each side (None: no event).

    Pooling sums the cooperation and conflict weights of the window before dividing, so
    busy periods count for more than quiet ones (a mean of ratios would not).
    """
    out: list[float | None] = []
    for i in range(len(periods)):
        window = periods[max(0, i - half) : i + half + 1]
        coop = sum(p.coop_weight for p in window)
        conflict = sum(p.conflict_weight for p in window)
        total = coop + conflict
        out.append(
            (coop - conflict) / total if total > 0 and periods[i].index is not None else None
        )
    return out


def trend_chart(result: ShiftResult, *, width: int = 1000) -> str:
    """Relation index (line, segment means, shifts) above event counts by quad class."""
    series = result.series
    periods = series.periods
    n = len(periods)
    if n == 0:
        return "<p class='muted'>No events for this dyad in the period.</p>"
    left, right, top = 56, 16, 28
    h_index, gap, h_bars, bottom = 210, 34, 110, 56
    height = top + h_index + gap + h_bars + bottom
    pw = width - left - right
    step = pw / n

    def x(i: float) -> float:
        return left + (i + 0.5) * step

    def y_index(v: float) -> float:
        return top + (1 - (v + 1) / 2) * h_index

    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='100%'"
        f" role='img' aria-label='Relation index and events per period' {FONT}>"
    ]
    # index panel: background bands and grid
    out.append(
        f"<rect x='{left}' y='{top}' width='{pw}' height='{h_index / 2}' fill='#eef6ee'/>"
        f"<rect x='{left}' y='{top + h_index / 2}' width='{pw}' height='{h_index / 2}'"
        " fill='#fbeeee'/>"
    )
    for v in (-1, -0.5, 0, 0.5, 1):
        yy = y_index(v)
        stroke = "#777" if v == 0 else "#d0d0d0"
        out.append(
            f"<line x1='{left}' x2='{left + pw}' y1='{yy:.1f}' y2='{yy:.1f}' stroke='{stroke}'"
            " stroke-width='1'/>"
            f"<text x='{left - 6}' y='{yy + 4:.1f}' font-size='11' text-anchor='end'"
            f" fill='#555'>{v:+.1f}</text>"
        )
    out.append(
        f"<text x='{left + 6}' y='{top + 14}' font-size='11' fill='#2e7d32'>cooperation</text>"
        f"<text x='{left + 6}' y='{top + h_index - 6}' font-size='11' fill='#c62828'>conflict</text>"
        f"<text x='{left}' y='{top - 10}' font-size='13' font-weight='bold' fill='#222'>"
        "Relation index (−1 all conflict … +1 all cooperation)</text>"
    )
    # rolling pooled index: each period with its neighbours (weights summed, not averaged),
    # so a month with one event does not swing the line from +1 to -1
    rolling = pooled_rolling(periods, half=1)
    seg: list[str] = []
    paths: list[list[str]] = []
    for i, v in enumerate(rolling):
        if v is None:
            if seg:
                paths.append(seg)
            seg = []
            continue
        seg.append(f"{x(i):.1f},{y_index(v):.1f}")
    if seg:
        paths.append(seg)
    for pts in paths:
        out.append(
            f"<polyline points='{' '.join(pts)}' fill='none' stroke='#1f3b73' stroke-width='2.4'"
            " stroke-linejoin='round'/>"
        )
    # segment means (the levels between shifts), labelled
    means = result.segment_means
    if means and result.all_shifts:
        start = 0
        for i in range(1, n + 1):
            if i == n or means[i] != means[start]:
                if means[start] is not None:
                    yy = y_index(means[start])
                    out.append(
                        f"<line x1='{left + start * step:.1f}' x2='{left + i * step:.1f}'"
                        f" y1='{yy:.1f}' y2='{yy:.1f}' stroke='#6a1b9a' stroke-width='3'"
                        " stroke-dasharray='8,3' stroke-opacity='0.75'/>"
                        f"<text x='{left + i * step - 4:.1f}' y='{yy - 5:.1f}' font-size='11'"
                        f" text-anchor='end' fill='#6a1b9a'>mean {means[start]:+.2f}</text>"
                    )
                start = i
    # periods: dots sized by their number of events (a period of one event is a small dot)
    max_ev = max((p.events for p in periods), default=1) or 1
    for i, p in enumerate(periods):
        if p.index is not None:
            r = 2.0 + 5.0 * math.sqrt(p.events / max_ev)
            out.append(
                f"<circle cx='{x(i):.1f}' cy='{y_index(p.index):.1f}' r='{r:.1f}'"
                " fill='#1f3b73' fill-opacity='0.35' stroke='#1f3b73' stroke-width='0.8'>"
                f"<title>{esc(_fmt_period(p.period, series.by))}: index {p.index:+.2f},"
                f" {p.events} events</title></circle>"
            )
    # shifts
    index_of = {p.period: i for i, p in enumerate(periods)}
    for k, s in enumerate(result.all_shifts, start=1):
        xx = left + s.position * step
        color = ("#c62828" if s.delta < 0 else "#2e7d32") if s.robust else "#8a6d3b"
        i_lo, i_hi = index_of.get(s.earliest), index_of.get(s.latest)  # type: ignore[arg-type]
        if i_lo is not None and i_hi is not None and i_hi > i_lo:
            out.append(
                f"<rect x='{left + i_lo * step:.1f}' y='{top}' width='{(i_hi - i_lo) * step:.1f}'"
                f" height='{h_index}' fill='{color}' fill-opacity='0.08'>"
                f"<title>the change fits about as well anywhere from"
                f" {esc(_fmt_period(s.earliest, series.by))} to"  # type: ignore[arg-type]
                f" {esc(_fmt_period(s.latest, series.by))}</title></rect>"  # type: ignore[arg-type]
            )
        dash = "5,4" if s.robust else "2,4"
        out.append(
            f"<line x1='{xx:.1f}' x2='{xx:.1f}' y1='{top}' y2='{top + h_index + gap + h_bars}'"
            f" stroke='{color}' stroke-width='2' stroke-dasharray='{dash}'/>"
        )
        anchor = "start" if xx < left + pw * 0.75 else "end"
        dx = 5 if anchor == "start" else -5
        out.append(
            f"<text x='{xx + dx:.1f}' y='{top + 28 + 14 * (k - 1)}' font-size='12'"
            f" font-weight='bold' fill='{color}' text-anchor='{anchor}'>"
            f"{'Shift' if s.robust else 'Possible shift'}:"
            f" {esc(_fmt_period(s.date, series.by))} (Δ {s.delta:+.2f}, p {s.p_value:.3f})"
            "</text>"
        )
    # bars panel
    by0 = top + h_index + gap
    max_n = max((p.events for p in periods), default=0) or 1
    out.append(
        f"<text x='{left}' y='{by0 - 8}' font-size='13' font-weight='bold' fill='#222'>"
        f"Events per {esc(series.by)} by PLOVER quad class</text>"
    )
    bw = max(step * 0.8, 1.0)
    for i, p in enumerate(periods):
        yy = by0 + h_bars
        for q, count in (
            (2, p.material_coop),
            (1, p.verbal_coop),
            (3, p.verbal_conflict),
            (4, p.material_conflict),
        ):
            if not count:
                continue
            hh = count / max_n * h_bars
            yy -= hh
            out.append(
                f"<rect x='{x(i) - bw / 2:.1f}' y='{yy:.1f}' width='{bw:.1f}' height='{hh:.1f}'"
                f" fill='{QUAD_COLORS[q]}'><title>{esc(_fmt_period(p.period, series.by))}:"
                f" {count} {QUAD_LABELS[q]}</title></rect>"
            )
    out.append(
        f"<line x1='{left}' x2='{left + pw}' y1='{by0 + h_bars}' y2='{by0 + h_bars}' stroke='#777'/>"
        f"<text x='{left - 6}' y='{by0 + 10}' font-size='11' text-anchor='end' fill='#555'>{max_n}</text>"
        f"<text x='{left - 6}' y='{by0 + h_bars}' font-size='11' text-anchor='end' fill='#555'>0</text>"
    )
    # x labels
    every = max(1, math.ceil(n / 12))
    for i in range(0, n, every):
        out.append(
            f"<text x='{x(i):.1f}' y='{by0 + h_bars + 16}' font-size='11' text-anchor='middle'"
            f" fill='#555'>{esc(_fmt_period(periods[i].period, series.by))}</text>"
        )
    # legend
    lx = left
    ly = height - 24
    for q in (1, 2, 3, 4):
        out.append(
            f"<rect x='{lx}' y='{ly - 9}' width='10' height='10' fill='{QUAD_COLORS[q]}'/>"
            f"<text x='{lx + 14}' y='{ly}' font-size='11' fill='#333'>{QUAD_LABELS[q]}</text>"
        )
        lx += 150
    lx, ly = left, ly + 17
    out.append(
        f"<circle cx='{lx + 5}' cy='{ly - 4}' r='4' fill='#1f3b73' fill-opacity='0.35'"
        " stroke='#1f3b73' stroke-width='0.8'/>"
        f"<text x='{lx + 14}' y='{ly}' font-size='11' fill='#333'>period (size: events)</text>"
        f"<line x1='{lx + 130}' x2='{lx + 148}' y1='{ly - 4}' y2='{ly - 4}' stroke='#1f3b73'"
        " stroke-width='2.4'/>"
        f"<text x='{lx + 152}' y='{ly}' font-size='11' fill='#333'>3-period pooled index</text>"
        f"<line x1='{lx + 280}' x2='{lx + 298}' y1='{ly - 4}' y2='{ly - 4}' stroke='#6a1b9a'"
        " stroke-width='3' stroke-dasharray='8,3'/>"
        f"<text x='{lx + 302}' y='{ly}' font-size='11' fill='#333'>level between shifts</text>"
    )
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True, slots=True)
class MapPoint:
    """Events aggregated at one location."""

    name: str
    lon: float
    lat: float
    coop: int
    conflict: int
    dead: int
    country_level: bool = False
    """Located only to a country (its centroid): listed, not drawn as a place."""


MAP_FRAME = (60.0, 78.0, 23.5, 38.8)
"""lon0, lon1, lat0, lat1 of the map (Afghanistan, Pakistan and their borders)."""


def in_frame(p: MapPoint) -> bool:
    lon0, lon1, lat0, lat1 = MAP_FRAME
    return lon0 <= p.lon <= lon1 and lat0 <= p.lat <= lat1


def _widen(lo: float, hi: float, span: float, bound: tuple[float, float]) -> tuple[float, float]:
    """``[lo, hi]`` widened around its centre to at least ``span``, moved inside ``bound``."""
    if hi - lo < span:
        mid = (lo + hi) / 2
        lo, hi = mid - span / 2, mid + span / 2
    if lo < bound[0]:
        lo, hi = bound[0], min(bound[1], hi + bound[0] - lo)
    if hi > bound[1]:
        lo, hi = max(bound[0], lo - (hi - bound[1])), bound[1]
    return lo, hi


def map_view(
    points: Sequence[MapPoint], *, pad: float = 1.2, min_span: tuple[float, float] = (8.0, 6.0)
) -> tuple[float, float, float, float]:
    """The part of ``MAP_FRAME`` the points occupy (padded, not smaller than ``min_span``).

    Events cluster along the border; drawing the whole of both countries leaves them a
    crowd of overlapping circles in a corner, so the map zooms to where they are.
    """
    lon0, lon1, lat0, lat1 = MAP_FRAME
    if not points:
        return MAP_FRAME
    lo = max(lon0, min(p.lon for p in points) - pad), min(lon1, max(p.lon for p in points) + pad)
    la = max(lat0, min(p.lat for p in points) - pad), min(lat1, max(p.lat for p in points) + pad)
    lo = _widen(*lo, min_span[0], (lon0, lon1))
    la = _widen(*la, min_span[1], (lat0, lat1))
    return lo[0], lo[1], la[0], la[1]


def event_map(points: Sequence[MapPoint], *, width: int = 640) -> str:
    """An equirectangular map of AFG/PAK with event locations sized by count.

    Only sub-national places inside the frame are drawn; the caller lists the others.
    """
    points = [p for p in points if in_frame(p) and not p.country_level]
    lon0, lon1, lat0, lat1 = map_view(points)
    kx = math.cos(math.radians((lat0 + lat1) / 2))
    scale = width / ((lon1 - lon0) * kx)
    height = int((lat1 - lat0) * scale)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (lon - lon0) * kx * scale, (lat1 - lat) * scale

    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='100%'"
        f" style='max-width:{width}px;overflow:hidden' role='img' aria-label='Map of events'"
        f" {FONT}>",
        f"<rect width='{width}' height='{height}' fill='#e8eef4'/>",
    ]
    for code, ring in OUTLINES.items():
        pts = " ".join(f"{a:.1f},{b:.1f}" for a, b in (xy(lo, la) for lo, la in ring))
        fill = "#f6efdc" if code == "AFG" else "#e4eed8"
        out.append(f"<polygon points='{pts}' fill='{fill}' stroke='#6d6d5d' stroke-width='1.4'/>")
    for name, lo, la in COUNTRY_LABELS:
        cx, cy = xy(lo, la)
        if 60 <= cx <= width - 60 and 20 <= cy <= height - 20:
            out.append(
                f"<text x='{cx:.1f}' y='{cy:.1f}' font-size='12' fill='#9a9a8a'"
                f" text-anchor='middle' letter-spacing='2'>{esc(name)}</text>"
            )
    for name, lo, la in CITIES:
        cx, cy = xy(lo, la)
        if not (0 <= cx <= width - 40 and 0 <= cy <= height - 14):
            continue
        out.append(
            f"<rect x='{cx - 2.5:.1f}' y='{cy - 2.5:.1f}' width='5' height='5' fill='#555'/>"
            f"<text x='{cx + 5:.1f}' y='{cy + 12:.1f}' font-size='10' fill='#666'>{esc(name)}</text>"
        )
    ranked = sorted(points, key=lambda p: -(p.coop + p.conflict))
    biggest = max((p.coop + p.conflict for p in ranked), default=1) or 1
    for p in reversed(ranked):
        cx, cy = xy(p.lon, p.lat)
        n = p.coop + p.conflict
        r = 4 + 18 * math.sqrt(n / biggest)
        color = "#c62828" if p.conflict >= p.coop else "#2e7d32"
        out.append(
            f"<circle cx='{cx:.1f}' cy='{cy:.1f}' r='{r:.1f}' fill='{color}' fill-opacity='0.45'"
            f" stroke='{color}' stroke-width='1'><title>{esc(p.name)}: {p.conflict} conflict,"
            f" {p.coop} cooperation events, {p.dead} dead</title></circle>"
        )
    placed: list[tuple[float, float, float, float]] = []
    for p in ranked[:10]:
        cx, cy = xy(p.lon, p.lat)
        n = p.coop + p.conflict
        r = 4 + 18 * math.sqrt(n / biggest)
        label = f"{p.name} ({n})"
        w = 7.0 * len(label)
        # first free slot right of the circle (left of it at the right edge), then below
        # and above it
        x0 = cx + r + 3 if cx + r + 3 + w <= width else cx - r - 3 - w
        for dy in (4.0, 18.0, -10.0, 32.0):
            box = (x0, cy + dy - 12, x0 + w, cy + dy + 2)
            if not any(
                box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed
            ):
                placed.append(box)
                out.append(
                    f"<text x='{box[0]:.1f}' y='{cy + dy:.1f}' font-size='12' font-weight='bold'"
                    f" fill='#222' stroke='#fff' stroke-width='3' paint-order='stroke'>"
                    f"{esc(label)}</text>"
                )
                break
    out.append(
        f"<text x='8' y='{height - 8}' font-size='10' fill='#777'>Outlines approximate"
        " (hand-drawn). Circle area ∝ events; red: mostly conflict, green: mostly"
        " cooperation.</text>"
    )
    out.append("</svg>")
    return "".join(out)


def contribution_bar(value: float, scale: float, *, width: int = 160) -> str:
    """A small horizontal bar for a driver's contribution (negative left, red)."""
    half = width / 2
    w = min(abs(value) / scale, 1.0) * half if scale else 0
    color = "#c62828" if value < 0 else "#2e7d32"
    xx = half - w if value < 0 else half
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='14'"
        f" viewBox='0 0 {width} 14'><rect x='0' y='6' width='{width}' height='2' fill='#eee'/>"
        f"<rect x='{xx:.1f}' y='2' width='{w:.1f}' height='10' fill='{color}'/>"
        f"<line x1='{half}' x2='{half}' y1='0' y2='14' stroke='#999'/></svg>"
    )
