/* Actor page: who the actor is (knowledge base), what it did and to whom, recent events.
 * /actors?q=TEXT searches the actors; /actors/{selector} shows one. */
"use strict";
(() => {
  const { el, $, api, clear, empty, showError, num } = RW;

  function selectorFromPath() {
    const rest = location.pathname.replace(/^\/actors\/?/, "");
    if (!rest) return null;
    try { return decodeURIComponent(rest); } catch (_) { return rest; }
  }

  function kbValue(v) {
    if (v === null || v === undefined || v === "") return null;
    if (Array.isArray(v)) {
      if (!v.length) return null;
      if (v.every((x) => typeof x !== "object")) return v.slice(0, 12).join(", ") + (v.length > 12 ? ", … (" + v.length + ")" : "");
      return el("ul", { class: "plain small" }, v.slice(0, 8).map((x) => el("li", { text: typeof x === "object" ? Object.entries(x).filter(([, y]) => y !== null && y !== "").map(([k, y]) => k + ": " + y).join(" · ") : String(x) })));
    }
    if (typeof v === "object") return Object.entries(v).map(([k, y]) => k + ": " + y).join(" · ");
    return String(v);
  }

  function eventsTable(rows) {
    const head = el("thead", {}, el("tr", {}, ["Date", "Type", "Actor", "Recipient", "Place", "Sentence"].map((h) => el("th", { text: h }))));
    return el("table", { class: "data" }, head, el("tbody", {}, rows.map((r) => {
      const href = RW.docHref(r.document_id, r.id);
      return el("tr", { class: "clickable", onclick: (ev) => { if (!ev.target.closest("a")) location.href = href; } },
        el("td", { class: "num", text: r.date || "undated" }),
        el("td", {}, RW.chip(r.event, r.quad_code)),
        el("td", {}, RW.actorLink(r.actor)),
        el("td", {}, RW.hasParty(r.recipient) ? RW.actorLink(r.recipient) : "–"),
        el("td", { text: r.place ? r.place + (r.country_code ? " (" + r.country_code + ")" : "") : "–" }),
        el("td", { class: "sentence" }, el("a", { href, text: r.text || "(no sentence)" })));
    })));
  }

  async function profile(selector) {
    $("profile").hidden = false;
    $("actor-title").textContent = selector;
    let a;
    try {
      a = await api("/api/actors/" + encodeURIComponent(selector));
    } catch (err) {
      $("profile").hidden = true;
      if (err.status === 404 || err.status === 400) { await search(selector, err.message); return; }
      showError($("message"), err, "actor " + selector);
      return;
    }
    document.title = (a.label || a.selector) + " · riftwatch";
    $("actor-title").textContent = a.label || a.selector;
    const sub = clear($("actor-sub"));
    sub.appendChild(document.createTextNode("selector " + a.selector));
    if (a.kb) {
      const dl = el("dl", { class: "facts", style: "margin-top:.6rem" });
      for (const key of ["name", "kind", "country", "sector", "description", "aliases", "roles"]) {
        const v = kbValue(a.kb[key]);
        if (v === null) continue;
        dl.appendChild(el("dt", { text: key }));
        dl.appendChild(v instanceof Node ? el("dd", {}, v) : el("dd", { text: v }));
      }
      sub.appendChild(dl);
    }
    const stats = clear($("stats"));
    const items = [
      ["as actor", a.events_as_actor, "/events" + RW.query({ actor: a.selector })],
      ["as recipient", a.events_as_recipient, "/events" + RW.query({ recipient: a.selector })],
      ["partners", (a.partners || []).length, null],
    ];
    for (const [k, v, href] of items) {
      stats.appendChild(el("div", { class: "stat" }, el("div", { class: "v" }, href ? el("a", { href, text: num(v) }) : num(v)), el("div", { class: "k", text: "events " + k })));
    }
    stats.lastChild.querySelector(".k").textContent = "partners";
    $("all-events").setAttribute("href", "/events" + RW.query({ actor: a.selector }));

    const quadOf = await RW.ploverTypes().catch(() => ({}));
    const types = RW.sortTypesByQuad(Object.keys(a.by_type || {}), quadOf).filter((t) => a.by_type[t] > 0);
    if (!types.length) RW.emptyChart($("by-type"), "No event involves this actor yet.");
    else {
      RW.plot($("by-type"), [{ type: "bar", orientation: "h", y: types, x: types.map((t) => a.by_type[t]),
        marker: { color: types.map((t) => RW.QUADS[quadOf[t] || 4].color) }, hovertemplate: "%{y}: %{x}<extra></extra>" }], {
        yaxis: { autorange: "reversed", rangemode: "normal", automargin: true }, xaxis: { title: { text: "events" } },
        margin: { l: 100, t: 8 }, showlegend: false, height: Math.max(240, 28 * types.length + 70),
      });
    }
    const partners = a.partners || [];
    if (!partners.length) empty($("partners"), "No partner: no event links this actor to another.");
    else {
      const head = el("thead", {}, el("tr", {}, ["Partner", "Events", "Conflict", "Cooperation", ""].map((h, i) => el("th", { class: i && i < 4 ? "num" : "", text: h }))));
      const tbody = el("tbody", {}, partners.slice(0, 15).map((p) => el("tr", {},
        el("td", {}, el("a", { href: RW.actorHref(p.selector), text: p.label || p.selector })),
        el("td", { class: "num", text: num(p.events) }),
        el("td", { class: "num", text: num(p.conflict) }),
        el("td", { class: "num", text: num(p.cooperation) }),
        el("td", {}, el("a", { class: "small", href: RW.dyadHref(a.selector, p.selector), text: "dyad →" })))));
      clear($("partners")).appendChild(el("table", { class: "data" }, head, tbody));
    }
    const recent = a.recent_events || [];
    if (!recent.length) empty($("recent"), "No event yet.");
    else clear($("recent")).appendChild(eventsTable(recent));
  }

  async function search(q, why, jump) {
    $("search").hidden = false;
    $("search-sub").textContent = !q ? "The most active actors. Search by code (PAK), sector (AFG:GOV), id (TTP) or name in the box above."
      : (why ? why + " — actors matching “" + q + "”:" : "Actors matching “" + q + "”:");
    const box = $("results");
    try {
      const rows = await api("/api/actors", { q, limit: 50 });
      // a selector typed in the search box goes straight to its page
      const exact = jump && rows.find((r) => r.selector.toUpperCase() === q.trim().toUpperCase());
      if (exact) { location.replace(RW.actorHref(exact.selector)); return; }
      if (!rows.length) {
        empty(box, q ? "No actor matches “" + q + "”. Try a country code (PAK), a sector (AFG:GOV) or a name." : "No actor yet: code some documents and the actors they name appear here.");
        return;
      }
      const head = el("thead", {}, el("tr", {}, ["Actor", "Selector", "As actor", "As recipient"].map((h, i) => el("th", { class: i > 1 ? "num" : "", text: h }))));
      const tbody = el("tbody", {}, rows.map((r) => el("tr", {},
        el("td", {}, el("a", { href: RW.actorHref(r.selector), text: r.label || r.name || r.selector })),
        el("td", { class: "muted", text: r.selector }),
        el("td", { class: "num", text: num(r.events_as_actor) }),
        el("td", { class: "num", text: num(r.events_as_recipient) }))));
      clear(box).appendChild(el("table", { class: "data" }, head, tbody));
    } catch (err) { showError(box, err, "actor search"); }
  }

  document.addEventListener("DOMContentLoaded", async () => {
    const sel = selectorFromPath();
    const q = RW.params().get("q");
    if (sel) { await profile(sel); return; }
    if (q) {
      await search(q, null, true);
      return;
    }
    await search("");
  });
})();
