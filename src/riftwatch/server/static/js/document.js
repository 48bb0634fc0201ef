/* Document view: the full text with one event's sentence, trigger, actor and recipient
 * highlighted. The highlight is built from character offsets as text nodes inside spans:
 * the article text never passes through an HTML parser. */
"use strict";
(() => {
  const { el, $, api, clear, empty, showError, num } = RW;
  const KINDS = ["sentence", "trigger", "actor", "recipient"];
  let doc = null;
  let selected = null;

  function documentId() {
    const rest = location.pathname.slice("/documents/".length);
    try { return decodeURIComponent(rest); } catch (_) { return rest; }
  }

  /** Offsets from the server count code points (Python); JS strings count UTF-16 units. */
  function unitIndex(text) {
    if (!/[\uD800-\uDFFF]/.test(text)) return (i) => i;
    const map = [0];
    let u = 0;
    for (const ch of text) { u += ch.length; map.push(u); }
    return (i) => map[Math.max(0, Math.min(i, map.length - 1))];
  }

  function spansFor(eventId) {
    const toUnit = unitIndex(doc.text);
    const len = doc.text.length;
    const out = [];
    const seenOther = new Set();
    for (const h of doc.highlights || []) {
      const start = Math.max(0, Math.min(len, toUnit(h.start)));
      const end = Math.max(0, Math.min(len, toUnit(h.end)));
      if (end <= start) continue;
      if (h.event_id === eventId) {
        if (KINDS.includes(h.kind)) out.push({ start, end, cls: "hl-" + h.kind, kind: h.kind });
      } else if (h.kind === "sentence") {
        const key = h.event_id + ":" + start;
        if (seenOther.has(key)) continue;
        seenOther.add(key);
        out.push({ start, end, cls: "hl-other", other: h.event_id });
      }
    }
    return out;
  }

  /** Split the text at every span boundary; each piece is a text node in a classed span. */
  function renderText(eventId) {
    const box = clear($("doc-text"));
    const text = doc.text || "";
    const spans = spansFor(eventId);
    const cuts = new Set([0, text.length]);
    for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
    const points = [...cuts].sort((a, b) => a - b);
    let first = null;
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      const piece = document.createTextNode(text.slice(a, b));
      const covering = spans.filter((s) => s.start <= a && s.end >= b);
      if (!covering.length) { box.appendChild(piece); continue; }
      const own = covering.filter((s) => !s.other);
      const span = document.createElement("span");
      if (own.length) {
        span.className = own.map((s) => s.cls).join(" ");
        span.dataset.kinds = own.map((s) => s.kind).join(" ");
        if (!first && own.some((s) => s.kind === "sentence")) { first = span; span.id = "evidence"; }
      } else {
        const other = covering[0].other;
        span.className = "hl-other";
        span.title = "another event: click to highlight it";
        span.addEventListener("click", () => select(other));
      }
      span.appendChild(piece);
      box.appendChild(span);
    }
    if (first) first.scrollIntoView({ block: "center" });
  }

  function fact(dl, k, v) {
    if (v === null || v === undefined || v === "") return;
    dl.appendChild(el("dt", { text: k }));
    dl.appendChild(v instanceof Node ? el("dd", {}, v) : el("dd", { text: String(v) }));
  }

  async function showEvent(eventId) {
    const box = $("event");
    if (!eventId) { empty(box, "This document reports no coded event."); return; }
    try {
      const e = await api("/api/events/" + encodeURIComponent(eventId));
      const dl = el("dl", { class: "facts" });
      fact(dl, "Type", el("span", {}, RW.chip(e.event, e.quad_code), e.mode ? " " + e.mode : ""));
      if (e.modality && e.modality !== "asserted") fact(dl, "Modality", e.modality);
      fact(dl, "Date", e.date || "undated");
      fact(dl, "Actor", RW.actorDetail(e.actor));
      if (RW.hasParty(e.recipient)) fact(dl, "Recipient", RW.actorDetail(e.recipient));
      fact(dl, "Place", e.place ? e.place + (e.country_code ? " (" + e.country_code + ")" : "") : null);
      const size = [["dead", e.dead], ["injured", e.injured], ["arrested", e.arrested]].filter(([, v]) => v !== null && v !== undefined);
      if (size.length) fact(dl, "Toll", size.map(([k, v]) => num(v) + " " + k).join(", "));
      fact(dl, "Reports", num(e.mentions) + " from " + num(e.sources) + " source(s)");
      const conf = e.record && e.record.riftwatch ? e.record.riftwatch.confidence : null;
      if (conf !== null && conf !== undefined) fact(dl, "Confidence", Number(conf).toFixed(2));
      const parts = [dl];
      const others = (e.reports || []).filter((m) => m.document_id !== doc.id);
      if (others.length) {
        parts.push(el("h3", { text: "Also reported in" }));
        parts.push(el("ul", { class: "plain small" }, others.slice(0, 8).map((m) => el("li", {},
          el("a", { href: RW.docHref(m.document_id, eventId), text: m.title || m.document_id }),
          el("span", { class: "muted", text: " " + [m.source, m.published].filter(Boolean).join(", ") })))));
      }
      clear(box);
      for (const p of parts) box.appendChild(p);
    } catch (err) { showError(box, err, "event " + eventId); }
  }

  async function listEvents() {
    const ul = clear($("doc-events"));
    try {
      const data = await api("/api/events", { document_id: doc.id, sort: "date", limit: 200 });
      if (!data.items.length) { ul.appendChild(el("li", { class: "muted", text: "No coded event in this document." })); return data.items; }
      for (const r of data.items) {
        ul.appendChild(el("li", { dataset: { eventId: r.id }, "aria-selected": String(r.id === selected), tabindex: "0",
          onclick: () => select(r.id), onkeydown: (ev) => { if (ev.key === "Enter") select(r.id); } },
          RW.chip(r.event, r.quad_code), " ", RW.actorName(r.actor),
          RW.hasParty(r.recipient) ? [" → ", RW.actorName(r.recipient)] : "",
          el("div", { class: "small muted", text: r.text || "" })));
      }
      return data.items;
    } catch (err) { showError($("message"), err, "events of this document"); return []; }
  }

  function select(eventId) {
    selected = eventId;
    RW.setParams({ event: eventId });
    for (const li of document.querySelectorAll("#doc-events li[data-event-id]")) {
      li.setAttribute("aria-selected", String(li.dataset.eventId === eventId));
    }
    renderText(eventId);
    showEvent(eventId);
  }

  function meta() {
    const box = clear($("doc-meta"));
    const bits = [doc.source, doc.published ? "published " + doc.published : "date unknown", "id " + doc.id];
    box.appendChild(document.createTextNode(bits.filter(Boolean).join(" · ")));
    const href = doc.url ? RW.safeHref(doc.url) : null;
    if (href) {
      box.appendChild(document.createTextNode(" · "));
      box.appendChild(el("a", { href, rel: "noopener noreferrer", target: "_blank", text: "original article" }));
    }
    const keys = clear($("keys"));
    for (const k of KINDS) keys.appendChild(el("span", { class: "hl-" + k, text: k }));
    keys.appendChild(el("span", { class: "hl-other", text: "other events (click)" }));
  }

  document.addEventListener("DOMContentLoaded", async () => {
    const id = documentId();
    try {
      doc = await api("/api/documents/" + encodeURIComponent(id));
    } catch (err) {
      $("doc-title").textContent = "Document not found";
      showError($("message"), err, "document " + id);
      return;
    }
    document.title = (doc.title || doc.id) + " · riftwatch";
    $("doc-title").textContent = doc.title || "(untitled document)";
    meta();
    const want = RW.params().get("event");
    selected = want || ((doc.highlights || []).find((h) => h.kind === "sentence") || {}).event_id || null;
    renderText(selected);
    await listEvents();
    select(selected);
  });
})();
