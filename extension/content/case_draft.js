// The case panel's draft: complaint type, demand, amount, the buyer's notes and the items
// (case_facts.js) are the buyer's choices, kept per case by the helper (draft-state), so a
// second tab, a reopened case and the review UI all show the same ones; a change in one
// tab reaches the others at once (the service worker announces it in chrome.storage). The
// draft shown is the version the buyer chose to look at — the one 填入投诉内容 fills — and
// the panel says when a newer one exists. Each draft is for one channel (卖家 → 平台 → 12315
// → 消协 → 法院, the catalog's order): only a platform draft is form text, the others are
// copied; a statutory demand the platform does not award is offered to 12315 instead.
/* global Tousu, TousuSites */
(() => {
  const L = Tousu.labels;
  const t = L.t;
  const h = (...a) => Tousu.h(...a);
  const NEEDS_AMOUNT = ["refund_only", "return_refund", "compensation"];
  const FORM_CHANNEL = "platform";
  // where the helper refuses statutory damages, and the channel that can award them
  const NEGOTIATING = ["seller", "platform"];
  const STATUTORY_CHANNEL = "regulator";

  const choices = (ctx) => (ctx.state && ctx.state.choices) || {};

  // A newer state than the one held (answers may arrive out of order).
  const adopt = (ctx, state) => { if (!ctx.state || state.revision >= ctx.state.revision) ctx.state = state; };

  // Send what the buyer changed; the answer is the shared state every tab will show. While
  // a change is on its way, announcements are not applied to the controls (they would put
  // back what the buyer just changed).
  async function choose(ctx, change) {
    ctx.inflight = (ctx.inflight || 0) + 1;
    try {
      const r = await Tousu.send("chooseDraft", { case_id: ctx.kase.id, choices: change });
      if (r.ok) adopt(ctx, r.data);
      else ctx.draftBox.prepend(h("div", { class: "missing", "data-tousu-state": "error" }, L.error(r.error)));
      return r;
    } finally {
      ctx.inflight--;
    }
  }

  // The request the helper drafts from, built from the shared choices.
  function request(ctx) {
    const c = choices(ctx);
    const kind = ctx.demandSel.value;
    const demand = { kind };
    const amount = TousuSites.fields.money(ctx.amount.value);
    if (amount && NEEDS_AMOUNT.includes(kind)) demand.amount = amount;
    const req = { complaint_type: ctx.typeSel.value, demand, channel: ctx.channelSel.value };
    if (ctx.fraudSel.value) req.fraud_facts = [ctx.fraudSel.value];
    const notes = ctx.notes.value.trim();
    if (notes) req.notes = notes;
    if (c.sub_order_ids) req.sub_order_ids = c.sub_order_ids;
    return req;
  }

  // Put the shared choices into the controls (leaving the one the buyer is typing in alone).
  function apply(ctx) {
    const c = choices(ctx);
    const focused = ctx.box.getRootNode().activeElement;
    const set = (el, v) => { if (el !== focused && v !== undefined && v !== null && el.value !== v) el.value = v; };
    set(ctx.typeSel, c.complaint_type);
    set(ctx.demandSel, c.demand_kind);
    if (ctx.amount !== focused) ctx.amount.value = c.amount || "";
    if (ctx.notes !== focused) ctx.notes.value = c.notes || "";
    ctx.picker.sync(c.sub_order_ids);
  }

  // Lint spans are Python code-point offsets; slice by code points, not UTF-16 units.
  function highlight(text, findings, attrs) {
    const cps = Array.from(text);
    const box = h("div", { class: "draft", ...attrs });
    const sorted = [...(findings || [])].filter((f) => Number.isInteger(f.start) && Number.isInteger(f.end)).sort((a, b) => a.start - b.start);
    let at = 0;
    for (const f of sorted) {
      if (f.start < at) continue;
      box.append(cps.slice(at, f.start).join(""));
      box.append(h("mark", { "data-tousu-finding": f.category || "", "data-severity": f.severity || "", title: f.suggestion || "" }, cps.slice(f.start, f.end).join("")));
      at = f.end;
    }
    box.append(cps.slice(at).join(""));
    return box;
  }

  // The draft the buyer looks at, with what to check; `newer`: a later version exists.
  async function show(ctx, d) {
    ctx.shownVersion = d.version;
    const channel = d.channel || FORM_CHANNEL;
    ctx.channelSel.value = channel;
    const textLint = await Tousu.send("lint", { text: d.text });
    const findings = textLint.ok ? textLint.data.findings : [];
    const notes = (choices(ctx).notes || "").trim();
    const own = (d.findings || []).filter((f) => f.source === "notes");
    const warnings = [
      ...(d.warnings || []).map((w) => L.notice(w)),
      ...((d.demand_check && d.demand_check.reasons) || []).filter((x) => x.level !== "info").map((x) => L.notice(x)),
      ...(d.findings || []).map((f) => `「${f.text}」：${f.suggestion}`),
      ...findings.map((f) => `「${f.text}」：${f.suggestion}`),
    ].filter(Boolean);
    const latest = ctx.state && ctx.state.latest_draft_version;
    const parts = [
      h("div", { class: "muted", "data-tousu-draft-version": String(d.version) },
        t("draftHeader", d.title, d.version, Array.from(d.form_text).length, d.form_limit)),
      latest && latest > d.version ? h("div", { class: "missing", "data-tousu-newer-draft": String(latest) }, t("draftNewer", latest, d.version),
        " ", h("button", { class: "btn", "data-tousu-action": "show-newer-draft", onclick: () => look(ctx, latest) }, t("draftShowNewer", latest))) : null,
      highlight(d.text, findings, { "data-tousu-draft": "" }),
      // sentences of the buyer's own that no text carries as written: the buyer sees them here
      (d.withheld || []).length ? h("div", { "data-tousu-withheld": String(d.withheld.length) },
        h("div", { class: "muted" }, t("draftWithheld")),
        h("ul", { class: "plain" }, d.withheld.map((w) => h("li", { class: "missing" },
          `「${w.text}」→ ${w.action === "rewritten" ? t("withheldRewritten", w.rewrite) : t("withheldOmitted", w.rewrite)}`)))) : null,
      own.length && notes ? h("div", {}, h("div", { class: "muted" }, t("draftOwnWords")), highlight(notes, own, { "data-tousu-notes-lint": "" })) : null,
      warnings.length ? h("ul", { class: "plain", "data-tousu-warnings": String(warnings.length) }, warnings.map((w) => h("li", { class: "missing" }, w)))
        : h("div", { class: "ok", "data-tousu-warnings": "0" }, t("draftNoProblems")),
      d.basis && d.basis.length ? h("div", { class: "muted" }, t("draftBasis", d.basis.map((b) => b.title).join("；"))) : null,
      channel === FORM_CHANNEL ? h("div", { class: "muted" }, t("draftHint")) : copyOffer(ctx, d, channel),
    ];
    ctx.draftBox.replaceChildren(...parts.filter(Boolean));
    ctx.draftBox.setAttribute("data-tousu-state", "drafted");
    if (Array.isArray(d.checklist)) { ctx.lastChecklist = d.checklist; Tousu.caseEvidence.checklist(ctx, d.checklist); }
  }

  // A text that is not the platform's form text: the buyer copies it to where it goes.
  function copyOffer(ctx, d, channel) {
    const done = h("span", { class: "muted", "data-tousu-copy-status": "" });
    const copy = async () => { done.textContent = (await Tousu.copyText(d.text)) ? t("draftCopied") : t("draftCopyFailed"); };
    return h("div", { class: "missing", "data-tousu-not-form": channel },
      t("draftNotForm", L.channel(ctx.cat, channel)), " ",
      h("button", { class: "btn", "data-tousu-action": "copy-draft", onclick: copy }, t("btnCopyDraft")), " ", done);
  }

  // The helper's refusal, with its reasons; a statutory demand refused where it is not
  // awarded gets the one-click way to the channel that can award it.
  function refused(ctx, error, channel) {
    const details = error.details || [];
    const reasons = details.map((d) => L.notice(d)).filter(Boolean);
    const statutory = NEGOTIATING.includes(channel) && details.some((d) => d.code === "statutory_not_on_platform");
    ctx.draftBox.replaceChildren(...[h("div", { class: "missing", "data-tousu-state": "error" }, t("draftFailed", L.error(error))),
      reasons.length ? h("ul", { class: "plain", "data-tousu-refusal": error.code || "" }, reasons.map((x) => h("li", {}, x))) : null,
      statutory ? h("button", { class: "btn primary", "data-tousu-action": "draft-regulator", onclick: () => make(ctx, STATUTORY_CHANNEL) },
        t("btnDraftRegulator", L.channel(ctx.cat, STATUTORY_CHANNEL))) : null].filter(Boolean));
    ctx.draftBox.setAttribute("data-tousu-state", "error");
  }

  // Look at another version (the buyer's choice, shared with every tab).
  async function look(ctx, version) {
    const r = await Tousu.send("draftVersion", { case_id: ctx.kase.id, version });
    if (!r.ok) { ctx.draftBox.replaceChildren(h("div", { class: "missing" }, L.error(r.error))); return; }
    await choose(ctx, { draft_version: version });
    await show(ctx, r.data);
  }

  // `channel`: draft for this channel instead of the one picked (and pick it).
  async function make(ctx, channel) {
    if (channel) ctx.channelSel.value = channel;
    clearTimeout(ctx.notesTimer);
    await choose(ctx, { notes: ctx.notes.value.trim() || null, amount: TousuSites.fields.money(ctx.amount.value) || null });
    ctx.draftBox.replaceChildren(h("div", { class: "muted" }, t("draftMaking")));
    ctx.draftBox.removeAttribute("data-tousu-state");
    const r = await Tousu.send("draft", { case_id: ctx.kase.id, request: request(ctx) });
    if (!r.ok) { refused(ctx, r.error, ctx.channelSel.value); return; }
    await choose(ctx, { draft_version: r.data.version });
    await show(ctx, r.data);
    Tousu.caseFacts.deadlines(ctx);
  }

  // Another tab (or this one) changed the shared state: show it.
  async function reload(ctx) {
    if (ctx.inflight) return;
    const r = await Tousu.send("draftState", { case_id: ctx.kase.id });
    if (!r.ok || ctx.inflight) return;
    const before = ctx.state;
    adopt(ctx, r.data);
    apply(ctx);
    Tousu.caseEvidence.checklist(ctx, ctx.lastChecklist);
    const v = r.data.choices.draft_version;
    if (v && (v !== ctx.shownVersion || (before && before.latest_draft_version !== r.data.latest_draft_version))) {
      const d = await Tousu.send("draftVersion", { case_id: ctx.kase.id, version: v });
      if (d.ok) await show(ctx, d.data);
    }
    if (!before || JSON.stringify(before.stated) !== JSON.stringify(r.data.stated)) {
      const c = await Tousu.send("caseGet", { case_id: ctx.kase.id });
      if (c.ok) { ctx.kase = c.data; Tousu.caseFacts.refresh(ctx); }
    }
    Tousu.caseFacts.claim(ctx, request(ctx));
  }

  function section(ctx) {
    const cat = ctx.cat;
    const types = cat ? cat.types.map((x) => x.id) : [];
    const demands = cat ? cat.demands.map((x) => x.id) : [];
    ctx.typeSel = h("select", { "data-tousu-field": "complaint-type", "aria-label": t("fieldType") }, types.map((id) => h("option", { value: id }, L.type(cat, id))));
    ctx.demandSel = h("select", { "data-tousu-field": "demand", "aria-label": t("fieldDemand") }, demands.map((id) => h("option", { value: id }, L.demand(cat, id))));
    ctx.channelSel = h("select", { "data-tousu-field": "channel", "aria-label": t("fieldChannel") },
      ((cat && cat.channels) || []).map((c) => h("option", { value: c.id, title: c.when }, L.channel(cat, c.id))));
    ctx.channelSel.value = FORM_CHANNEL;
    ctx.fraudSel = h("select", { "data-tousu-field": "fraud-fact", "aria-label": t("fieldFraudFact") },
      h("option", { value: "" }, t("fraudFactNone")),
      ((cat && cat.fraud_facts) || []).map((f) => h("option", { value: f.label, title: f.means }, L.label(f))));
    ctx.amount = h("input", { "data-tousu-field": "amount", type: "text", inputmode: "decimal", size: "10", placeholder: t("fieldAmount"), "aria-label": t("fieldAmount") });
    ctx.notes = h("textarea", { "data-tousu-field": "notes", rows: "4", style: "width:100%", placeholder: t("notesPlaceholder"), "aria-label": t("fieldNotes") });
    ctx.draftBox = h("div", { "data-tousu-draft-box": "" });
    ctx.typeSel.addEventListener("change", () => { Tousu.caseEvidence.checklist(ctx); choose(ctx, { complaint_type: ctx.typeSel.value }); });
    ctx.demandSel.addEventListener("change", async () => { await choose(ctx, { demand_kind: ctx.demandSel.value }); Tousu.caseFacts.claim(ctx, request(ctx)); });
    ctx.amount.addEventListener("change", () => choose(ctx, { amount: TousuSites.fields.money(ctx.amount.value) || null }));
    const saveNotes = () => { clearTimeout(ctx.notesTimer); choose(ctx, { notes: ctx.notes.value.trim() || null }); };
    ctx.notes.addEventListener("input", () => { clearTimeout(ctx.notesTimer); ctx.notesTimer = setTimeout(saveNotes, 600); });
    ctx.notes.addEventListener("blur", saveNotes);
    return h("section", {}, h("h3", {}, t("secDraft")),
      h("div", { class: "row" }, ctx.typeSel, ctx.demandSel, ctx.amount),
      h("div", { class: "row" }, h("label", {}, t("fieldChannel"), " ", ctx.channelSel), h("label", {}, t("fieldFraudFact"), " ", ctx.fraudSel)),
      ctx.notes,
      h("div", { class: "row" }, h("button", { class: "btn primary", "data-tousu-action": "draft", onclick: () => make(ctx) }, t("btnDraft"))),
      ctx.draftBox);
  }

  // After the panel is built: the shared choices into the controls, the version looked at.
  async function start(ctx) {
    apply(ctx);
    Tousu.caseFacts.claim(ctx, request(ctx));
    const v = choices(ctx).draft_version;
    if (v) {
      const d = await Tousu.send("draftVersion", { case_id: ctx.kase.id, version: v });
      if (d.ok) await show(ctx, d.data);
    }
  }

  Tousu.caseDraft = { section, start, reload, request, choose };
})();
