/* Overview: data counts, event volume by type, most active dyads, recent shifts. */
"use strict";
(() => {
  const { el, $, api, clear, empty, showError, num, signed } = RW;
  let by = RW.params().get("by") === "week" ? "week" : "month";

  async function stats() {
    const box = $("stats");
    try {
      const h = await api("/api/health");
      const c = h.counts || {};
      clear(box);
      const items = [
        ["Events", c.events, "/events"],
        ["Event reports", c.event_mentions, null],
        ["Documents", c.documents, null],
        ["Rejected inputs", c.rejected, null],
      ];
      for (const [k, v, href] of items) {
        const value = el("div", { class: "v" }, href ? el("a", { href, text: num(v) }) : num(v));
        box.appendChild(el("div", { class: "stat" }, value, el("div", { class: "k", text: k })));
      }
    } catch (err) { showError(box, err, "counts"); }
  }

  async function volume() {
    const div = $("volume");
    for (const b of document.querySelectorAll("#by button")) b.setAttribute("aria-pressed", String(b.dataset.by === by));
    try {
      const [v, quadOf] = await Promise.all([api("/api/volume", { by }), RW.ploverTypes()]);
      const types = RW.sortTypesByQuad(Object.keys(v.series || {}), quadOf);
      if (!v.periods || !v.periods.length || !types.length) {
        RW.emptyChart(div, "No dated events yet. Code some documents (riftwatch code, or POST /api/documents) and they appear here.");
        return;
      }
      const colors = RW.typeColors(types, quadOf);
      const traces = types.map((t) => ({
        type: "bar", name: t, x: v.periods, y: v.series[t],
        marker: { color: colors[t], line: { width: 0 } },
        hovertemplate: "%{x|" + (by === "week" ? "week of %d %b %Y" : "%b %Y") + "}<br>" + t + ": %{y}<extra></extra>",
      }));
      RW.plot(div, traces, {
        barmode: "stack", bargap: 0.15,
        xaxis: { type: "date", tickformat: by === "week" ? "%d %b\n%Y" : "%b\n%Y", hoverformat: "%d %b %Y" },
        yaxis: { title: { text: "events per " + by } },
        legend: { orientation: "v", x: 1.01, y: 1, traceorder: "normal", font: { size: 11 } },
        margin: { r: 130, b: 48 },
      });
    } catch (err) { showError(div, err, "volume"); }
  }

  function indexCell(v) {
    if (v === null || v === undefined) return el("td", { class: "num muted", text: "–" });
    return el("td", { class: "num " + (v < 0 ? "index-neg" : "index-pos"), text: signed(v) });
  }

  async function dyads() {
    const box = $("dyads");
    try {
      const rows = await api("/api/dyads/top", { limit: 10 });
      if (!rows.length) { empty(box, "No dyads yet: events with both an actor and a recipient appear here."); return; }
      const tbody = el("tbody");
      for (const r of rows) {
        const href = RW.dyadHref(r.a, r.b);
        tbody.appendChild(el("tr", { class: "clickable", onclick: () => { location.href = href; } },
          el("td", {}, el("a", { href, text: (r.a_label || r.a) + " – " + (r.b_label || r.b) })),
          el("td", { class: "num", text: num(r.events) }),
          el("td", { class: "num", text: num(r.conflict) }),
          el("td", { class: "num", text: num(r.cooperation) }),
          el("td", { class: "num", text: num(r.dead) }),
          indexCell(r.index)));
      }
      const head = el("thead", {}, el("tr", {}, ["Dyad", "Events", "Conflict", "Cooperation", "Dead", "Index"].map(
        (h, i) => el("th", { class: i ? "num" : "", text: h }))));
      clear(box).appendChild(el("table", { class: "data" }, head, tbody));
    } catch (err) { showError(box, err, "dyads"); }
  }

  async function shifts() {
    const box = $("shifts");
    try {
      const rows = await api("/api/shifts/recent", { limit: 6 });
      if (!rows.length) { empty(box, "No shift detected: a relation needs enough periods with events before a change can be told from noise."); return; }
      const ul = el("ul", { class: "plain" });
      for (const s of rows) {
        const worse = s.delta < 0;
        ul.appendChild(el("li", { class: worse ? "shift-down" : "shift-up" },
          el("a", { href: RW.dyadHref(s.a, s.b), text: (s.a_label || s.a) + " – " + (s.b_label || s.b) }),
          el("div", { class: "small" },
            el("strong", { text: worse ? "Deterioration" : "Improvement" }),
            " from " + s.date + ": index " + signed(s.before_mean) + " → " + signed(s.after_mean),
            s.robust === false ? el("span", { class: "muted", text: " (possible)" }) : null)));
      }
      clear(box).appendChild(ul);
    } catch (err) { showError(box, err, "shifts"); }
  }

  function refresh() { stats(); volume(); dyads(); shifts(); }

  document.addEventListener("DOMContentLoaded", () => {
    for (const b of document.querySelectorAll("#by button")) {
      b.addEventListener("click", () => { by = b.dataset.by; RW.setParams({ by: by === "month" ? null : by }); volume(); });
    }
    refresh();
    document.addEventListener("rw:data", refresh);
  });
})();
