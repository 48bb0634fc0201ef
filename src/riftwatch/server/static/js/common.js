/* riftwatch dashboard: helpers shared by every page.
 *
 * Rule for all page scripts: stored strings (titles, sentences, names, ids) only ever reach
 * the page as text nodes (el() and textContent); no data goes through innerHTML. Links to
 * outside sources are kept only when they are http(s) URLs, and open without a referrer.
 */
"use strict";

const RW = (() => {
  const QUADS = {
    1: { name: "verbal cooperation", color: "#56B4E9" },
    2: { name: "material cooperation", color: "#0072B2" },
    3: { name: "verbal conflict", color: "#E69F00" },
    4: { name: "material conflict", color: "#D55E00" },
  };
  // lighter/darker variants of each quad hue, for the event types inside a quad
  const SHADES = {
    1: ["#56B4E9", "#8fcdf1", "#2f8fc4", "#b9e0f6"],
    2: ["#0072B2", "#3d98cf", "#00517f", "#7fb8de"],
    3: ["#E69F00", "#f2c15a", "#b37b00", "#f7d89a"],
    4: ["#D55E00", "#ec8b45", "#a34700", "#f3b283", "#7a3500"],
  };
  const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

  /** Build an element; string children become text nodes, never markup. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = String(v);
      else if (k === "href") { const h = safeHref(v); if (h) node.setAttribute("href", h); }
      else if (k === "dataset") Object.assign(node.dataset, v);
      else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      node.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  /** Same-origin paths and http(s) URLs only: a stored "javascript:" URL never becomes a link. */
  function safeHref(value) {
    const s = String(value);
    if (s.startsWith("/") && !s.startsWith("//")) return s;
    try {
      const u = new URL(s);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (_) { return null; }
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function $(id) { return document.getElementById(id); }

  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) {
      if (v === null || v === undefined || v === "") continue;
      q.set(k, String(v));
    }
    const s = q.toString();
    return s ? "?" + s : "";
  }

  class ApiError extends Error {
    constructor(status, detail) { super(detail); this.status = status; }
  }

  /** GET a JSON endpoint; a non-2xx answer raises ApiError with the server's detail. */
  async function api(path, params) {
    const res = await fetch(path + query(params), { headers: { Accept: "application/json" }, credentials: "same-origin" });
    let body = null;
    try { body = await res.json(); } catch (_) { body = null; }
    if (!res.ok) {
      const detail = body && body.detail ? (typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail)) : res.statusText;
      throw new ApiError(res.status, detail || "HTTP " + res.status);
    }
    return body;
  }

  function showError(container, err, what) {
    const msg = (what ? what + ": " : "") + (err && err.message ? err.message : String(err));
    if (container._fullLayout && window.Plotly) Plotly.purge(container);
    clear(container).appendChild(el("div", { class: "error", role: "alert", text: msg }));
  }

  function empty(container, msg) {
    clear(container).appendChild(el("div", { class: "empty", text: msg }));
  }

  /** An empty state in place of a chart (removing the chart if one was drawn). */
  function emptyChart(div, msg) {
    if (div._fullLayout && window.Plotly) Plotly.purge(div);
    empty(div, msg);
  }

  function loading(container, msg) {
    clear(container).appendChild(el("div", { class: "loading", text: msg || "Loading…" }));
  }

  /** Data shown in plotly text or hover labels: plotly reads a subset of HTML there, so
   * stored strings are entity-escaped (plotly shows the entities as the characters). */
  function plotText(value) {
    return String(value === null || value === undefined ? "" : value)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  const fmt = new Intl.NumberFormat("en-GB");
  function num(v) { return v === null || v === undefined ? "–" : fmt.format(v); }
  function signed(v, digits) {
    if (v === null || v === undefined || Number.isNaN(v)) return "–";
    const d = digits === undefined ? 2 : digits;
    if (Math.abs(v) < 0.5 * 10 ** -d) return (0).toFixed(d); // no "-0.00"
    const s = Number(v).toFixed(d);
    return v > 0 ? "+" + s : s;
  }

  /** The selector the server gave an actor (PAK:MIL, TTP): the key of links and filters. */
  function selectorOf(p) {
    if (!p) return null;
    if (p.selector) return p.selector;
    if (!p.code) return null;
    return p.sector ? p.code + ":" + p.sector : p.code;
  }
  /** The readable name (Pakistan military); the selector when the server gave none. */
  function partyText(p) {
    if (!p) return "–";
    return p.label || selectorOf(p) || p.text || "–";
  }
  /** Tooltip of an actor name: its selector, and the words the article used. */
  function partyTitle(p) {
    const sel = selectorOf(p);
    return [sel, p && p.text && p.text !== sel ? "as written: " + p.text : null].filter(Boolean).join(" · ");
  }
  function hasParty(p) { return Boolean(p && (p.selector || p.code || p.kb_id)); }
  /** An actor's readable name as plain text, with the selector in its tooltip. */
  function actorName(p) {
    return el("span", { class: "actor", title: partyTitle(p) || null, text: partyText(p) });
  }
  function actorHref(selector) { return "/actors/" + encodeURIComponent(selector); }
  function dyadHref(a, b) { return "/dyad" + query({ a, b }); }
  function docHref(documentId, eventId) {
    return "/documents/" + encodeURIComponent(documentId) + query({ event: eventId });
  }
  /** The actor link followed by its selector as secondary text (for detail panels). */
  function actorDetail(p) {
    const sel = selectorOf(p);
    const link = actorLink(p);
    return sel && sel !== partyText(p) ? el("span", {}, link, " ", el("span", { class: "muted small selector", text: sel })) : link;
  }
  /** An actor as a link to its page (plain text when it has no selector). */
  function actorLink(p) {
    const sel = selectorOf(p);
    const label = partyText(p);
    if (!sel) return el("span", { class: "muted", text: label });
    return el("a", { href: actorHref(sel), class: "actor", title: partyTitle(p), text: label });
  }

  let ploverPromise = null;
  /** Event type -> quad code, from the server's shipped PLOVER tables. */
  function ploverTypes() {
    if (!ploverPromise) {
      ploverPromise = api("/static/plover.json").then((d) => {
        const out = {};
        for (const t of d.event_types) out[t.event] = t.quad_code;
        return out;
      });
    }
    return ploverPromise;
  }
  function typeColors(types, quadOf) {
    const used = { 1: 0, 2: 0, 3: 0, 4: 0 };
    const out = {};
    for (const t of types) {
      const q = quadOf[t] || 4;
      const shades = SHADES[q];
      out[t] = shades[used[q] % shades.length];
      used[q] += 1;
    }
    return out;
  }
  function sortTypesByQuad(types, quadOf) {
    return [...types].sort((a, b) => (quadOf[a] || 9) - (quadOf[b] || 9) || a.localeCompare(b));
  }
  function chip(eventType, quad) {
    return el("span", { class: "chip" + (quad ? " q" + quad : ""), title: quad ? QUADS[quad].name : "", text: eventType || "–" });
  }

  function baseLayout(extra) {
    const layout = {
      font: { family: FONT, size: 12, color: "#1f2933" },
      margin: { l: 52, r: 16, t: 16, b: 44 },
      paper_bgcolor: "#fff",
      plot_bgcolor: "#fff",
      hoverlabel: { font: { family: FONT } },
      legend: { orientation: "h", y: -0.18, x: 0 },
      xaxis: { gridcolor: "#eef1f4", linecolor: "#c9d1db", zeroline: false },
      yaxis: { gridcolor: "#eef1f4", linecolor: "#c9d1db", zeroline: false, rangemode: "tozero" },
    };
    return deepMerge(layout, extra || {});
  }
  function deepMerge(a, b) {
    for (const [k, v] of Object.entries(b)) {
      if (v && typeof v === "object" && !Array.isArray(v) && a[k] && typeof a[k] === "object") deepMerge(a[k], v);
      else a[k] = v;
    }
    return a;
  }
  const PLOT_CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["lasso2d", "select2d"] };
  function plot(div, traces, layout, config) {
    if (!div._fullLayout) clear(div); // drop a previous empty-state or error message
    return Plotly.react(div, traces, baseLayout(layout), Object.assign({}, PLOT_CONFIG, config || {}));
  }

  function params() { return new URLSearchParams(location.search); }
  /** Put the page's state in the address bar (shareable, survives reload). */
  function setParams(obj) {
    const url = location.pathname + query(obj);
    history.replaceState(null, "", url);
  }

  // live data counts in the top bar; pages listen for "rw:data" to refresh when jobs land
  let lastCounts = null;
  async function pollLive() {
    const live = $("live");
    try {
      const h = await api("/api/health");
      const c = h.counts || {};
      const jobs = h.jobs_running ? " · " + h.jobs_running + " job(s) running" : "";
      if (live) live.textContent = num(c.events) + " events · " + num(c.documents) + " docs" + jobs + (h.read_only ? " · read-only" : "");
      const key = JSON.stringify(c);
      if (lastCounts !== null && key !== lastCounts) document.dispatchEvent(new CustomEvent("rw:data", { detail: c }));
      lastCounts = key;
      return h;
    } catch (err) {
      if (live) live.textContent = "server unreachable";
      return null;
    }
  }

  function wireActorJump() {
    const form = document.querySelector(".actor-jump");
    if (!form) return;
    const input = form.querySelector("input");
    const list = $("actor-options");
    let timer = null;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      const q = input.value.trim();
      if (q.length < 2) return;
      timer = setTimeout(async () => {
        try {
          const rows = await api("/api/actors", { q, limit: 12 });
          clear(list);
          for (const r of rows) list.appendChild(el("option", { value: r.selector, label: r.label || r.selector }));
        } catch (_) { /* suggestions are optional */ }
      }, 200);
    });
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const q = input.value.trim();
      if (q) location.href = "/actors" + query({ q });
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    wireActorJump();
    pollLive();
    setInterval(pollLive, 15000);
  });

  return {
    QUADS, FONT, el, append, clear, $, api, ApiError, query, showError, empty, emptyChart, loading, num, signed,
    plotText, selectorOf, partyText, partyTitle, hasParty, actorName, actorDetail, actorHref, dyadHref, docHref, actorLink, ploverTypes, typeColors,
    sortTypesByQuad, chip, plot, baseLayout, params, setParams, safeHref, pollLive,
  };
})();
