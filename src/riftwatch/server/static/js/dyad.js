/* Dyad view: relation index with shifts marked, events by quad, drivers of each shift. */
"use strict";
(() => {
  const { el, $, api, clear, empty, showError, num, signed } = RW;
  const FIELDS = ["a", "b", "by", "since", "until"];
  const GROUPINGS = ["sub-dyad", "event type", "place"];

  function form() { return $("form"); }
  function values() {
    const out = {};
    for (const f of FIELDS) { const v = form().elements[f].value.trim(); if (v) out[f] = v; }
    if (out.by === "month") delete out.by;
    return out;
  }

  function allShifts(data) {
    const robust = (data.shifts || []).map((s) => Object.assign({ robust: true }, s));
    const possible = (data.possible_shifts || []).map((s) => Object.assign({}, s, { robust: false }));
    return robust.concat(possible).sort((x, y) => (x.date < y.date ? -1 : 1));
  }

  /** Both charts share one date range, half a period beyond the first and last periods. */
  function dateRange(series) {
    const periods = series.periods || [];
    if (!periods.length) return undefined;
    const half = { day: 0.5, week: 3.5, month: 15 }[series.by || "month"] || 15;
    const shift = (iso, days) => new Date(Date.parse(iso) + days * 86400000).toISOString().slice(0, 10);
    return [shift(periods[0].period, -half), shift(periods[periods.length - 1].period, half)];
  }

  function trend(series, shifts) {
    const div = $("trend");
    const periods = series.periods || [];
    const x = periods.map((p) => p.period);
    const y = periods.map((p) => p.index);
    const traces = [{
      type: "scatter", mode: "lines+markers", name: "relation index", x, y, connectgaps: true,
      line: { color: "#4a5868", width: 1.5 },
      marker: { size: periods.map((p) => 5 + Math.min(14, Math.sqrt(p.events) * 2.2)), color: y.map((v) => (v === null ? "#999" : v < 0 ? "#D55E00" : "#0072B2")), line: { width: 0 } },
      customdata: periods.map((p) => [p.events, p.dead, p.verbal_coop + p.material_coop, p.verbal_conflict + p.material_conflict]),
      hovertemplate: "%{x|%d %b %Y}<br>index %{y:.2f}<br>%{customdata[0]} events (%{customdata[2]} coop, %{customdata[3]} conflict)<br>%{customdata[1]} dead<extra></extra>",
    }];
    // the mean of each segment between shifts, as a step line
    if (shifts.length && x.length) {
      const sx = [], sy = [];
      let start = x[0];
      let mean = shifts[0].before_mean;
      for (const s of shifts) {
        sx.push(start, s.date, null); sy.push(mean, mean, null);
        start = s.date; mean = s.after_mean;
      }
      sx.push(start, x[x.length - 1]); sy.push(mean, mean);
      traces.push({ type: "scatter", mode: "lines", name: "segment mean", x: sx, y: sy, hoverinfo: "skip", line: { color: "#1f2933", width: 2.5, dash: "solid" }, opacity: 0.55 });
    }
    const shapes = [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: 0, y1: 0, line: { color: "#9aa5b1", width: 1 } }];
    const annotations = [];
    for (const s of shifts) {
      const color = s.delta < 0 ? "#D55E00" : "#0072B2";
      shapes.push({ type: "line", xref: "x", yref: "paper", x0: s.date, x1: s.date, y0: 0, y1: 1, line: { color, width: 1.5, dash: s.robust ? "dash" : "dot" } });
      annotations.push({ x: s.date, y: 1, xref: "x", yref: "paper", yanchor: "bottom", showarrow: false,
        text: (s.delta < 0 ? "▼ " : "▲ ") + signed(s.delta) + (s.robust ? "" : " ?"), font: { color, size: 11 } });
    }
    RW.plot(div, traces, {
      xaxis: { type: "date", hoverformat: "%d %b %Y", range: dateRange(series) },
      yaxis: { range: [-1.08, 1.08], title: { text: "index" }, rangemode: "normal", zeroline: false },
      shapes, annotations, showlegend: false, margin: { t: 26 },
    });
  }

  function quads(series) {
    const div = $("quads");
    const periods = series.periods || [];
    const x = periods.map((p) => p.period);
    const Q = RW.QUADS;
    const mk = (key, q, sign) => ({
      type: "bar", name: Q[q].name, x, y: periods.map((p) => sign * p[key]), customdata: periods.map((p) => p[key]),
      marker: { color: Q[q].color }, hovertemplate: "%{x|%d %b %Y}<br>" + Q[q].name + ": %{customdata}<extra></extra>",
    });
    RW.plot(div, [mk("verbal_coop", 1, 1), mk("material_coop", 2, 1), mk("verbal_conflict", 3, -1), mk("material_conflict", 4, -1)], {
      barmode: "relative", bargap: 0.15, showlegend: false,
      xaxis: { type: "date", hoverformat: "%d %b %Y", range: dateRange(series) },
      yaxis: { title: { text: "← conflict · cooperation →" }, rangemode: "normal", zeroline: true, zerolinecolor: "#9aa5b1" },
    });
    const legend = clear($("quad-legend"));
    for (const q of [1, 2, 3, 4]) legend.appendChild(el("span", {}, el("span", { class: "sw", style: "background:" + Q[q].color }), Q[q].name));
  }

  function evidenceList(items) {
    return el("ul", { class: "evidence" }, items.map((e) => el("li", {},
      el("span", { class: "meta", text: [e.date || "undated", e.event, e.source, e.place, e.dead ? e.dead + " dead" : null, e.sources > 1 ? e.sources + " sources" : null].filter(Boolean).join(" · ") }),
      e.document_id ? el("a", { href: RW.docHref(e.document_id, e.event_id), title: e.title || "", text: e.text || e.title || "(no sentence)" }) : el("span", { text: e.text || "" }))));
  }

  function driverBlock(d, maxAbs, open) {
    const width = maxAbs > 0 ? Math.max(2, Math.round((Math.abs(d.contribution) / maxAbs) * 90)) : 2;
    const color = d.contribution < 0 ? "#D55E00" : "#0072B2";
    // a sub-dyad is named by its actors' readable names, its selectors in the tooltip
    const name = d.parties && d.parties.length === 2
      ? el("strong", { title: d.label, text: d.parties.map((p) => p.label || p.selector).join(" → ") })
      : el("strong", { text: d.label });
    const summary = el("summary", {},
      name, " ",
      el("span", { class: "contrib", style: "width:" + width + "px;background:" + color }), " ",
      el("span", { class: d.contribution < 0 ? "index-neg" : "index-pos", text: signed(d.contribution) }),
      el("span", { class: "muted small", text: " · events " + num(d.events_before) + " → " + num(d.events_after) }));
    const det = el("details", { open: open }, summary);
    if (d.evidence && d.evidence.length) det.appendChild(evidenceList(d.evidence));
    else det.appendChild(el("p", { class: "muted small", text: "No evidence sentence in the windows." }));
    return det;
  }

  function drivers(shifts) {
    const box = clear($("drivers"));
    if (!shifts.length) { empty(box, "No shift detected in this relation: the index has no change point distinguishable from noise at this period length. Try a finer period or a longer date range."); return; }
    for (const s of [...shifts].reverse()) {
      const worse = s.delta < 0;
      const section = el("section", { class: (worse ? "shift-down" : "shift-up"), style: "margin-bottom:1.4rem" },
        el("h3", { text: (worse ? "Deterioration" : "Improvement") + " from " + s.date + (s.robust ? "" : " (possible shift)") }),
        el("p", { class: "small muted", text: "index " + signed(s.before_mean) + " (" + s.before_start + " – " + s.before_end + ") → " + signed(s.after_mean) + " (" + s.after_start + " – " + s.after_end + "), change " + signed(s.delta) + (s.p_value !== undefined ? ", p = " + Number(s.p_value).toFixed(3) : "") }));
      const dd = s.drivers && s.drivers.drivers ? s.drivers.drivers : s.drivers || {};
      const grid = el("div", { class: "grid two" });
      for (const g of GROUPINGS.concat(Object.keys(dd).filter((k) => !GROUPINGS.includes(k)))) {
        const list = dd[g];
        if (!list || !list.length) continue;
        const maxAbs = Math.max(...list.map((d) => Math.abs(d.contribution)));
        grid.appendChild(el("div", { class: "driver-group" }, el("h3", { text: "By " + g }), list.map((d, i) => driverBlock(d, maxAbs, i === 0 && g === "sub-dyad"))));
      }
      if (!grid.childNodes.length) grid.appendChild(el("p", { class: "muted small", text: "No driver computed for this shift." }));
      section.appendChild(grid);
      box.appendChild(section);
    }
  }

  /** The dyad's readable names as the heading, its selectors beside them. */
  function title(data, v) {
    const a = data.a_label || v.a, b = data.b_label || v.b;
    const h = clear($("title"));
    h.appendChild(document.createTextNode(a + " – " + b));
    const sels = v.a + " – " + v.b;
    if (sels !== a + " – " + b) h.appendChild(el("span", { class: "selectors", title: "actor selectors", text: sels }));
    document.title = a + " – " + b + " · riftwatch";
    $("events-link").textContent = "list events " + a + " → " + b;
  }

  async function load() {
    const v = values();
    clear($("message"));
    if (!v.a || !v.b) {
      RW.emptyChart($("trend"), "Choose two actors above: country codes such as PAK, sectors such as PAK:MIL, or ids such as TTP.");
      RW.emptyChart($("quads"), "No dyad chosen.");
      empty($("drivers"), "No dyad chosen.");
      return;
    }
    RW.setParams(v);
    $("title").textContent = v.a + " – " + v.b;
    document.title = v.a + " – " + v.b + " · riftwatch";
    $("events-link").setAttribute("href", "/events" + RW.query({ actor: v.a, recipient: v.b }));
    $("events-link").textContent = "list events " + v.a + " → " + v.b;
    try {
      const data = await api("/api/shifts", Object.assign({ by: "month" }, v));
      title(data, v);
      const series = data.series || {};
      const shifts = allShifts(data);
      const total = series.total_events || 0;
      $("subtitle").textContent = num(total) + " events between " + (data.a_label || v.a) + " and " + (data.b_label || v.b) + " by " + (series.by || "month") + "; " + (shifts.length ? shifts.length + " shift(s)" : "no shift") + " detected.";
      if (!total) {
        RW.emptyChart($("trend"), "No event between these two actors in this date range.");
        RW.emptyChart($("quads"), "No event to count.");
        clear($("drivers"));
        return;
      }
      trend(series, shifts);
      quads(series);
      drivers(shifts);
    } catch (err) {
      showError($("message"), err, "cannot load the dyad");
    }
  }

  document.addEventListener("DOMContentLoaded", async () => {
    const p = RW.params();
    for (const f of FIELDS) if (p.has(f)) form().elements[f].value = p.get(f);
    if (!p.get("a") || !p.get("b")) {
      try {
        const top = await api("/api/dyads/top", { limit: 1 });
        if (top.length) { form().elements.a.value = top[0].a; form().elements.b.value = top[0].b; }
      } catch (_) { /* leave the form empty */ }
    }
    form().addEventListener("submit", (ev) => { ev.preventDefault(); load(); });
    document.addEventListener("rw:data", load);
    load();
  });
})();
