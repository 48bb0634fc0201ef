/* Events: a searchable, filterable, paged table; a row opens its document at the sentence. */
"use strict";
(() => {
  const { el, $, api, clear, empty, showError, num } = RW;
  const FIELDS = ["q", "actor", "recipient", "event", "quad", "place", "country", "since", "until", "sort"];
  const LIMIT = 50;
  let offset = 0;
  let total = 0;

  function filters() {
    const form = $("form");
    const out = {};
    for (const f of FIELDS) {
      const v = form.elements[f].value.trim();
      if (v && !(f === "sort" && v === "-date")) out[f] = f === "country" ? v.toUpperCase() : v;
    }
    return out;
  }

  function fillForm() {
    const p = RW.params();
    const form = $("form");
    for (const f of FIELDS) if (p.has(f)) form.elements[f].value = p.get(f);
    const off = parseInt(p.get("offset") || "0", 10);
    offset = Number.isFinite(off) && off > 0 ? off : 0;
  }

  function place(r) {
    if (!r.place && !r.country_code) return "–";
    if (r.place && r.country_code) return r.place + " (" + r.country_code + ")";
    return r.place || r.country_code;
  }

  function row(r) {
    const href = RW.docHref(r.document_id, r.id);
    const tr = el("tr", { class: "clickable", dataset: { eventId: r.id }, onclick: (ev) => {
      if (ev.target.closest("a")) return; // a link inside the row goes where it points
      location.href = href;
    } },
      el("td", { class: "num", text: r.date || "undated" }),
      el("td", {}, RW.chip(r.event, r.quad_code), r.modality && r.modality !== "asserted" ? el("div", { class: "small muted", text: r.modality }) : null),
      el("td", {}, RW.actorLink(r.actor)),
      el("td", {}, RW.hasParty(r.recipient) ? RW.actorLink(r.recipient) : el("span", { class: "muted", text: "–" })),
      el("td", { text: place(r) }),
      el("td", { class: "num", text: r.dead === null || r.dead === undefined ? "" : num(r.dead) }),
      el("td", { class: "num", title: num(r.mentions) + " report(s)", text: num(r.sources) }),
      el("td", { class: "sentence" }, el("a", { href, text: r.text || "(no sentence)" })));
    return tr;
  }

  async function load() {
    const box = $("table");
    const f = filters();
    RW.setParams(Object.assign({}, f, { offset: offset || null }));
    clear($("message"));
    try {
      const data = await api("/api/events", Object.assign({}, f, { limit: LIMIT, offset }));
      total = data.total;
      $("count").textContent = num(total) + (total === 1 ? " event" : " events");
      if (!data.items.length) {
        empty(box, Object.keys(f).length ? "No event matches these filters." : "No events yet: code some documents and they appear here.");
      } else {
        const head = el("thead", {}, el("tr", {}, ["Date", "Type", "Actor", "Recipient", "Place", "Dead", "Sources", "Sentence"].map(
          (h) => el("th", { class: ["Date", "Dead", "Sources"].includes(h) ? "num" : "", text: h }))));
        const tbody = el("tbody", {}, data.items.map(row));
        clear(box).appendChild(el("table", { class: "data", id: "events-table" }, head, tbody));
      }
      const last = Math.min(offset + LIMIT, total);
      $("range").textContent = total ? "showing " + num(offset + 1) + "–" + num(last) : "";
      $("page").textContent = total > LIMIT ? "page " + (Math.floor(offset / LIMIT) + 1) + " of " + Math.ceil(total / LIMIT) : "";
      $("prev").disabled = offset <= 0;
      $("next").disabled = offset + LIMIT >= total;
    } catch (err) {
      $("count").textContent = "Events";
      clear(box);
      showError($("message"), err, "cannot list events");
    }
  }

  async function types() {
    const sel = $("form").elements.event;
    try {
      const quadOf = await RW.ploverTypes();
      for (const t of RW.sortTypesByQuad(Object.keys(quadOf), quadOf)) sel.appendChild(el("option", { value: t, text: t }));
    } catch (_) { /* the type filter still accepts typed values via the URL */ }
  }

  document.addEventListener("DOMContentLoaded", async () => {
    await types();
    fillForm();
    $("form").addEventListener("submit", (ev) => { ev.preventDefault(); offset = 0; load(); });
    $("form").elements.event.addEventListener("change", () => { offset = 0; load(); });
    $("form").elements.quad.addEventListener("change", () => { offset = 0; load(); });
    $("form").elements.sort.addEventListener("change", () => { offset = 0; load(); });
    $("reset").addEventListener("click", () => { $("form").reset(); offset = 0; load(); });
    $("prev").addEventListener("click", () => { offset = Math.max(0, offset - LIMIT); load(); });
    $("next").addEventListener("click", () => { if (offset + LIMIT < total) { offset += LIMIT; load(); } });
    document.addEventListener("rw:data", load);
    load();
  });
})();
