/* Network: actors as nodes, dyads as edges coloured by conflict vs cooperation. */
"use strict";
(() => {
  const { el, $, api, clear, empty, showError, num } = RW;
  const MAX_NODES = 120;

  /** Fruchterman–Reingold from a fixed start (a circle by size), so the same data draws alike. */
  function layout(nodes, edges) {
    const n = nodes.length;
    const idx = new Map(nodes.map((d, i) => [d.id, i]));
    const pos = nodes.map((_, i) => [Math.cos((2 * Math.PI * i) / n), Math.sin((2 * Math.PI * i) / n)]);
    if (n < 2) return pos.map(() => [0, 0]);
    const k = Math.sqrt(4 / n);
    const links = edges.map((e) => [idx.get(e.source), idx.get(e.target), Math.log1p(e.events)]).filter((l) => l[0] !== undefined && l[1] !== undefined && l[0] !== l[1]);
    let temp = 0.2;
    for (let it = 0; it < 300; it++) {
      const disp = pos.map(() => [0, 0]);
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          let dx = pos[i][0] - pos[j][0], dy = pos[i][1] - pos[j][1];
          let d2 = dx * dx + dy * dy;
          if (d2 < 1e-9) { dx = 1e-3 * (i - j); dy = 1e-3; d2 = dx * dx + dy * dy; }
          const f = (k * k) / d2;
          disp[i][0] += dx * f; disp[i][1] += dy * f; disp[j][0] -= dx * f; disp[j][1] -= dy * f;
        }
      }
      for (const [a, b, w] of links) {
        const dx = pos[a][0] - pos[b][0], dy = pos[a][1] - pos[b][1];
        const d = Math.sqrt(dx * dx + dy * dy) || 1e-6;
        const f = (d / k) * (0.5 + 0.5 * w);
        disp[a][0] -= dx * f; disp[a][1] -= dy * f; disp[b][0] += dx * f; disp[b][1] += dy * f;
      }
      for (let i = 0; i < n; i++) {
        // gravity keeps disconnected parts on screen
        disp[i][0] -= pos[i][0] * 0.05 * n; disp[i][1] -= pos[i][1] * 0.05 * n;
        const d = Math.hypot(disp[i][0], disp[i][1]) || 1e-9;
        const step = Math.min(d, temp);
        pos[i][0] += (disp[i][0] / d) * step; pos[i][1] += (disp[i][1] / d) * step;
      }
      temp *= 0.985;
    }
    return pos;
  }

  function edgeClass(e) {
    const total = (e.conflict || 0) + (e.cooperation || 0);
    if (!total) return "neutral";
    const share = e.conflict / total;
    return share >= 0.6 ? "conflict" : share <= 0.4 ? "cooperation" : "mixed";
  }
  const EDGE_STYLE = {
    conflict: { color: "#D55E00", name: "mostly conflict" },
    cooperation: { color: "#0072B2", name: "mostly cooperation" },
    mixed: { color: "#8c7ea8", name: "mixed" },
    neutral: { color: "#b0b8c2", name: "neutral" },
  };

  function draw(data) {
    const div = $("graph");
    let nodes = [...data.nodes].sort((a, b) => b.events - a.events);
    if (nodes.length > MAX_NODES) nodes = nodes.slice(0, MAX_NODES);
    const keep = new Set(nodes.map((d) => d.id));
    const edges = data.edges.filter((e) => keep.has(e.source) && keep.has(e.target));
    const pos = layout(nodes, edges);
    const at = new Map(nodes.map((d, i) => [d.id, pos[i]]));
    const maxEdge = Math.max(1, ...edges.map((e) => e.events));
    const traces = [];
    for (const cls of ["cooperation", "mixed", "neutral", "conflict"]) {
      for (const [lo, hi, width] of [[0, 0.2, 1], [0.2, 0.6, 2.5], [0.6, 1.01, 5]]) {
        const x = [], y = [];
        for (const e of edges) {
          const r = e.events / maxEdge;
          if (edgeClass(e) !== cls || r < lo || r >= hi) continue;
          const a = at.get(e.source), b = at.get(e.target);
          x.push(a[0], b[0], null); y.push(a[1], b[1], null);
        }
        if (!x.length) continue;
        traces.push({ type: "scatter", mode: "lines", x, y, hoverinfo: "skip", name: EDGE_STYLE[cls].name,
          legendgroup: cls, showlegend: false, line: { color: EDGE_STYLE[cls].color, width }, opacity: 0.75 });
      }
    }
    // invisible midpoints carry the edge hover text
    traces.push({ type: "scatter", mode: "markers", hoverinfo: "text", showlegend: false, name: "edges",
      x: edges.map((e) => (at.get(e.source)[0] + at.get(e.target)[0]) / 2),
      y: edges.map((e) => (at.get(e.source)[1] + at.get(e.target)[1]) / 2),
      text: edges.map((e) => RW.plotText(label(nodes, e.source) + " → " + label(nodes, e.target)) + "<br>" + e.events + " events: " + e.conflict + " conflict, " + e.cooperation + " cooperation"),
      marker: { size: 10, opacity: 0 } });
    const maxEvents = Math.max(1, ...nodes.map((d) => d.events));
    traces.push({ type: "scatter", mode: "markers+text", name: "actors", showlegend: false,
      x: nodes.map((d) => at.get(d.id)[0]), y: nodes.map((d) => at.get(d.id)[1]),
      text: nodes.map((d) => RW.plotText(d.label || d.id)), textposition: "top center", textfont: { size: 12, color: "#1f2933" },
      customdata: nodes.map((d) => d.id),
      hovertext: nodes.map((d) => RW.plotText(d.label || d.id) + "<br>" + d.events + " events · degree " + Number(d.degree || 0).toFixed(2) + " · centrality " + Number(d.centrality || 0).toFixed(3)),
      hoverinfo: "text",
      marker: { size: nodes.map((d) => 10 + 26 * Math.sqrt(d.events / maxEvents)), color: "#3a4a5e", line: { color: "#fff", width: 1.5 } } });
    RW.plot(div, traces, {
      xaxis: { visible: false, rangemode: "normal" }, yaxis: { visible: false, rangemode: "normal", scaleanchor: "x" },
      margin: { l: 10, r: 10, t: 10, b: 10 }, hovermode: "closest", dragmode: "pan",
    }, { scrollZoom: true }).then(() => {
      div.removeAllListeners && div.removeAllListeners("plotly_click");
      div.on("plotly_click", (ev) => {
        const pt = ev.points && ev.points[0];
        if (pt && pt.data.name === "actors") location.href = RW.actorHref(pt.customdata);
      });
    });
    const legend = clear($("legend"));
    for (const cls of ["conflict", "cooperation", "mixed"]) legend.appendChild(el("span", {}, el("span", { class: "sw", style: "background:" + EDGE_STYLE[cls].color }), EDGE_STYLE[cls].name));
    legend.appendChild(el("span", { text: nodes.length < data.nodes.length ? "showing the " + nodes.length + " busiest of " + data.nodes.length + " actors" : data.nodes.length + " actors, " + edges.length + " links" }));
  }

  function label(nodes, id) { const n = nodes.find((d) => d.id === id); return n ? n.label || id : id; }

  function central(data) {
    const box = $("central");
    const rows = [...data.nodes].sort((a, b) => (b.centrality || 0) - (a.centrality || 0)).slice(0, 15);
    const tbody = el("tbody", {}, rows.map((d) => el("tr", {},
      el("td", {}, el("a", { href: RW.actorHref(d.id), text: d.label || d.id })),
      el("td", { class: "num", text: num(d.events) }),
      el("td", { class: "num", text: Number(d.degree || 0).toFixed(2) }),
      el("td", { class: "num", text: Number(d.centrality || 0).toFixed(3) }))));
    const head = el("thead", {}, el("tr", {}, ["Actor", "Events", "Degree", "Centrality"].map((h, i) => el("th", { class: i ? "num" : "", text: h }))));
    clear(box).appendChild(el("table", { class: "data" }, head, tbody));
  }

  async function load() {
    clear($("message"));
    const f = $("form").elements;
    const params = { since: f.since.value, until: f.until.value, min_events: f.min_events.value && f.min_events.value !== "1" ? f.min_events.value : null };
    RW.setParams(params);
    try {
      const data = await api("/api/network", params);
      if (!data.nodes || !data.nodes.length) {
        RW.emptyChart($("graph"), "No actor pairs for these filters: the network needs events with both an actor and a recipient.");
        empty($("central"), "No actor yet.");
        clear($("legend"));
        return;
      }
      draw(data);
      central(data);
    } catch (err) { showError($("message"), err, "cannot load the network"); }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const p = RW.params();
    for (const k of ["since", "until", "min_events"]) if (p.has(k)) $("form").elements[k].value = p.get(k);
    $("form").addEventListener("submit", (ev) => { ev.preventDefault(); load(); });
    document.addEventListener("rw:data", load);
    load();
  });
})();
