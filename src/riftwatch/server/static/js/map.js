/* Map: events by place over country borders served by this server (no tiles, no CDN). */
"use strict";
(() => {
  const { el, $, api, clear, empty, showError, num } = RW;
  let basemap = null;
  let quadOf = {};
  let features = [];
  let labelTimer = null;

  function selectedTypes() {
    return [...document.querySelectorAll("#types input:checked")].map((i) => i.value);
  }

  function filters() {
    const f = $("form").elements;
    const out = {};
    for (const k of ["since", "until", "actor"]) if (f[k].value.trim()) out[k] = f[k].value.trim();
    const all = document.querySelectorAll("#types input");
    const types = selectedTypes();
    if (types.length && types.length < all.length) out.event = types.join(",");
    return out;
  }

  let borders = null;
  /** One line trace for all borders (null-separated rings, filled as land); built once. */
  function borderTrace() {
    if (borders) return borders;
    const x = [], y = [];
    for (const c of basemap ? basemap.countries : []) {
      for (const ring of c.rings) {
        for (const [lon, lat] of ring) { x.push(lon); y.push(lat); }
        x.push(null); y.push(null);
      }
    }
    borders = { type: "scatter", mode: "lines", x, y, name: "borders", hoverinfo: "skip", showlegend: false,
      line: { color: "#9aa5b1", width: 0.8 }, fill: "toself", fillcolor: "#ffffff" };
    return borders;
  }

  function dominantQuad(types) {
    const byQuad = { 1: 0, 2: 0, 3: 0, 4: 0 };
    for (const [t, n] of Object.entries(types || {})) byQuad[quadOf[t] || 4] += n;
    let best = 4, max = -1;
    for (const q of [4, 3, 2, 1]) if (byQuad[q] > max) { max = byQuad[q]; best = q; }
    return best;
  }

  function topTypes(types) {
    return Object.entries(types || {}).sort((a, b) => b[1] - a[1]).slice(0, 4).map(([t, n]) => RW.plotText(t) + " " + n).join(", ");
  }

  function markerTraces() {
    const maxEvents = Math.max(1, ...features.map((f) => f.properties.events));
    const traces = [];
    for (const q of [1, 2, 3, 4]) {
      const fs = features.filter((f) => dominantQuad(f.properties.types) === q);
      if (!fs.length) continue;
      traces.push({
        type: "scatter", mode: "markers", name: "mostly " + RW.QUADS[q].name,
        x: fs.map((f) => f.geometry.coordinates[0]), y: fs.map((f) => f.geometry.coordinates[1]),
        customdata: fs.map((f) => features.indexOf(f)),
        text: fs.map((f) => RW.plotText((f.properties.place || "?") + (f.properties.country_code ? " (" + f.properties.country_code + ")" : ""))
          + "<br>" + f.properties.events + " events" + (f.properties.dead ? ", " + f.properties.dead + " dead" : "") + "<br>" + topTypes(f.properties.types)),
        hovertemplate: "%{text}<extra></extra>",
        marker: { color: RW.QUADS[q].color, opacity: 0.8, line: { color: "#fff", width: 1 },
          size: fs.map((f) => 8 + 30 * Math.sqrt(f.properties.events / maxEvents)) },
      });
    }
    return traces;
  }

  /** Names of the busiest places beside their circles (at most 15, to stay legible). */
  function placeLabels(ex) {
    // greedy: the busiest places first, skipping any too close to one already named
    const minGap = Math.max(ex.x[1] - ex.x[0], ex.y[1] - ex.y[0]) / 18;
    const top = [];
    for (const f of [...features].sort((a, b) => b.properties.events - a.properties.events)) {
      const [x, y] = f.geometry.coordinates;
      if (top.some((g) => Math.hypot(g.geometry.coordinates[0] - x, g.geometry.coordinates[1] - y) < minGap)) continue;
      top.push(f);
      if (top.length >= 15) break;
    }
    return { type: "scatter", mode: "text", hoverinfo: "skip", showlegend: false, name: "place names",
      x: top.map((f) => f.geometry.coordinates[0]), y: top.map((f) => f.geometry.coordinates[1]),
      text: top.map((f) => "\u2003" + RW.plotText(f.properties.place || "")), textposition: "middle right",
      textfont: { size: 11, color: "#1f2933" } };
  }

  /** Country names for the countries whose label point is in view (at most 40). */
  function labelTrace(xr, yr) {
    const xs = [], ys = [], ts = [];
    if (basemap) {
      const span = Math.max(xr[1] - xr[0], yr[1] - yr[0]);
      const maxRank = span > 40 ? 4 : span > 15 ? 6 : 99; // small states get names when zoomed in
      const inView = basemap.countries.filter((c) => c.rank <= maxRank && c.label[0] >= xr[0] && c.label[0] <= xr[1] && c.label[1] >= yr[0] && c.label[1] <= yr[1]);
      inView.sort((a, b) => a.rank - b.rank);
      const gap = Math.max(xr[1] - xr[0], yr[1] - yr[0]) / 16;
      for (const c of inView) {
        if (xs.length >= 40) break;
        if (xs.some((x, i) => Math.hypot(x - c.label[0], ys[i] - c.label[1]) < gap)) continue;
        xs.push(c.label[0]); ys.push(c.label[1]); ts.push(RW.plotText(c.name));
      }
    }
    return { type: "scatter", mode: "text", x: xs, y: ys, text: ts, hoverinfo: "skip", showlegend: false, name: "labels",
      textfont: { color: "#7b8794", size: 11 } };
  }

  function extent() {
    if (!features.length) return { x: [20, 110], y: [0, 50] };
    const xs = features.map((f) => f.geometry.coordinates[0]);
    const ys = features.map((f) => f.geometry.coordinates[1]);
    let x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
    const pad = Math.max(2.5, (x1 - x0) * 0.25, (y1 - y0) * 0.25);
    return { x: [x0 - pad * 1.6, x1 + pad * 1.6], y: [Math.max(-85, y0 - pad), Math.min(85, y1 + pad)] };
  }

  function draw() {
    const div = $("map");
    const ex = extent();
    const midLat = (ex.y[0] + ex.y[1]) / 2;
    const traces = [borderTrace(), labelTrace(ex.x, ex.y), ...markerTraces(), placeLabels(ex)];
    RW.plot(div, traces, {
      xaxis: { range: ex.x, showgrid: false, zeroline: false, showticklabels: true, ticksuffix: "°E", linecolor: "#c9d1db" },
      yaxis: { range: ex.y, showgrid: false, zeroline: false, ticksuffix: "°N", scaleanchor: "x", scaleratio: 1 / Math.cos((midLat * Math.PI) / 180), rangemode: "normal" },
      plot_bgcolor: "#eef3f8", showlegend: true, legend: { orientation: "h", y: -0.08, x: 0 },
      margin: { l: 44, r: 10, t: 10, b: 36 }, dragmode: "pan", hovermode: "closest",
    }, { scrollZoom: true }).then(() => {
      div.removeAllListeners && div.removeAllListeners("plotly_click");
      div.removeAllListeners && div.removeAllListeners("plotly_relayout");
      div.on("plotly_click", (ev) => {
        const pt = ev.points && ev.points[0];
        if (pt && pt.customdata !== undefined && typeof pt.customdata === "number") showPlace(features[pt.customdata]);
      });
      div.on("plotly_relayout", () => {
        clearTimeout(labelTimer);
        labelTimer = setTimeout(() => {
          const xr = div._fullLayout.xaxis.range, yr = div._fullLayout.yaxis.range;
          const t = labelTrace(xr, yr);
          Plotly.restyle(div, { x: [t.x], y: [t.y], text: [t.text] }, [1]);
        }, 150);
      });
    });
    if (!features.length) empty($("message"), "No located event matches these filters. Events whose place could not be resolved are not on the map; see the Events table.");
  }

  const PLACE_ROWS = 12;
  function key(p) { return (p.place || "") + "|" + (p.country_code || ""); }

  async function showPlace(f) {
    const box = $("place");
    const p = f.properties;
    box.dataset.place = key(p);
    const quads = Object.entries(p.types || {}).sort((a, b) => b[1] - a[1]);
    clear(box);
    box.appendChild(el("h3", { text: (p.place || "unknown place") + (p.country_code ? " (" + p.country_code + ")" : "") }));
    box.appendChild(el("p", { class: "small muted", text: num(p.events) + " events" + (p.dead ? " · " + num(p.dead) + " dead" : "") }));
    box.appendChild(el("div", { class: "legend" }, quads.map(([t, n]) => el("span", {}, RW.chip(t, quadOf[t]), " " + n))));
    const f2 = filters();
    if (p.country_code) {
      box.appendChild(el("p", { class: "small" }, el("a", { href: "/events" + RW.query(Object.assign({}, f2, { country: p.country_code })), text: "all events in " + p.country_code + " with these filters →" })));
    }
    const list = el("ul", { class: "plain", id: "place-events" });
    box.appendChild(el("h3", { text: "Events here" }));
    box.appendChild(list);
    if (!p.place || p.place === "?") { list.appendChild(el("li", { class: "muted small", text: "These events have coordinates but no place name; filter the Events table by country to list them." })); return; }
    // the circle's events in one call: its exact place name, its country and the map's filters
    const here = Object.assign({}, f2, { place: p.place, country: p.country_code || null });
    let data;
    try {
      data = await api("/api/events", Object.assign({}, here, { limit: PLACE_ROWS }));
    } catch (err) { showError(list, err, "events at " + p.place); return; }
    if (box.dataset.place !== key(p)) return; // another circle was clicked meanwhile
    for (const r of data.items) {
      list.appendChild(el("li", { class: "small" },
        el("div", {}, el("span", { class: "muted", text: (r.date || "undated") + " " }), RW.chip(r.event, r.quad_code), " ", RW.actorName(r.actor),
          RW.hasParty(r.recipient) ? [" → ", RW.actorName(r.recipient)] : ""),
        el("a", { href: RW.docHref(r.document_id, r.id), text: r.text || "(no sentence)" })));
    }
    if (!data.items.length) list.appendChild(el("li", { class: "muted small", text: "No event listed." }));
    if (data.total > data.items.length) {
      list.appendChild(el("li", { class: "small" }, el("a", { href: "/events" + RW.query(here), text: "all " + num(data.total) + " events at " + p.place + " →" })));
    }
  }

  async function load() {
    clear($("message"));
    const f = filters();
    RW.setParams(f);
    if (!selectedTypes().length) {
      features = [];
      draw();
      clear($("message"));
      empty($("message"), "No event type selected: tick at least one type above.");
      return;
    }
    try {
      const geo = await api("/api/places", f);
      features = (geo.features || []).filter((x) => x.geometry && Array.isArray(x.geometry.coordinates));
      draw();
    } catch (err) { showError($("message"), err, "cannot load places"); }
  }

  let loadTimer = null;
  /** Ticking several boxes in a row draws once. */
  function loadSoon() { clearTimeout(loadTimer); loadTimer = setTimeout(load, 350); }

  function setAllTypes(on) {
    for (const cb of document.querySelectorAll("#types input")) cb.checked = on;
    loadSoon();
  }

  async function init() {
    quadOf = await RW.ploverTypes();
    const p = RW.params();
    const chosen = p.get("event") ? new Set(p.get("event").split(",")) : null;
    const box = $("types");
    for (const t of RW.sortTypesByQuad(Object.keys(quadOf), quadOf)) {
      const cb = el("input", { type: "checkbox", value: t, checked: !chosen || chosen.has(t) });
      cb.addEventListener("change", loadSoon);
      box.appendChild(el("label", {}, cb, RW.chip(t, quadOf[t])));
    }
    for (const k of ["since", "until", "actor"]) if (p.has(k)) $("form").elements[k].value = p.get(k);
    try {
      basemap = await api("/static/basemap.json");
      $("attribution").textContent = "Borders: " + basemap.source + (basemap.source_version ? " v" + basemap.source_version : "") + ", " + basemap.licence.split(" (")[0] + ". Scroll to zoom, drag to pan, double-click to reset.";
    } catch (err) {
      basemap = null;
      $("attribution").textContent = "Country borders unavailable (" + err.message + "); events are drawn on bare coordinates.";
    }
  }

  document.addEventListener("DOMContentLoaded", async () => {
    await init();
    $("form").addEventListener("submit", (ev) => { ev.preventDefault(); load(); });
    $("types-all").addEventListener("click", () => setAllTypes(true));
    $("types-none").addEventListener("click", () => setAllTypes(false));
    $("reset").addEventListener("click", () => {
      $("form").reset();
      for (const cb of document.querySelectorAll("#types input")) cb.checked = true;
      load();
    });
    document.addEventListener("rw:data", load);
    load();
  });
})();
