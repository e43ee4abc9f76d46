// The case panel's evidence: the checklist of the chosen complaint type, what the case
// holds, and the two ways to add to it from here — a snapshot of this tab, and the 交易快照
// opened in the buyer's own tab (it needs the buyer's login, which a helper capture has
// not) and saved there. A snapshot kept while the helper was away is sent as soon as it is
// back, and this panel updates when it lands.
/* global Tousu */
(() => {
  const L = Tousu.labels;
  const t = L.t;
  const h = (...a) => Tousu.h(...a);
  const FALLBACK = ["order_page", "listing_snapshot", "product_photo", "chat_log", "logistics"];

  function checklist(ctx, items) {
    const have = {};
    for (const e of ctx.evidence) have[e.category] = (have[e.category] || 0) + 1;
    let need = items;
    if (!need) {
      const type = ctx.cat && ctx.cat.types.find((x) => x.id === ctx.typeSel.value);
      need = type ? type.evidence.map((e) => ({ category: e.category, required: e.required, why: e.why }))
        : FALLBACK.map((c) => ({ category: c, required: false }));
    }
    // what the case already holds beyond the type's list still counts
    const listed = new Set(need.map((c) => c.category));
    need = [...need, ...Object.keys(have).filter((c) => !listed.has(c)).map((c) => ({ category: c, required: false }))];
    ctx.checklist.replaceChildren(...need.map((c) => {
      const n = have[c.category] || 0;
      return h("li", { class: n ? "ok" : c.required ? "missing" : "muted", "data-category": c.category, "data-present": String(n),
        title: L.chinese ? c.why || "" : "" },
      `${n ? "✓" : (c.required ? "✗" : "○")} ${L.category(ctx.cat, c.category)}${c.required ? " " + t("evidenceRequired") : ""}${n ? ` ×${n}` : ""}`);
    }));
  }

  async function refresh(ctx) {
    const r = await Tousu.send("evidence", { case_id: ctx.kase.id });
    if (!r.ok) { ctx.evidenceList.replaceChildren(h("li", { class: "muted" }, L.error(r.error))); return; }
    ctx.evidence = r.data.evidence || [];
    ctx.evidenceList.replaceChildren(...ctx.evidence.map((e) => h("li", { "data-evidence-id": e.id, "data-kind": e.kind, "data-status": e.status },
      `${L.category(ctx.cat, e.category)} · ${L.evidenceKind(e.kind)} · ${e.title}${e.status !== "complete" ? ` (${L.raw(`evidence_${e.status}`) || e.status})` : ""}`)));
    if (!ctx.evidence.length) ctx.evidenceList.append(h("li", { class: "muted" }, t("noEvidence")));
    checklist(ctx, ctx.lastChecklist);
  }

  function status(msg, state, text) {
    msg.textContent = text;
    msg.setAttribute("data-tousu-state", state);
  }

  async function pollJob(jobId, msg) {
    for (let i = 0; i < 120; i++) {
      const j = await Tousu.send("job", { job_id: jobId });
      if (!j.ok) return j;
      if (["acknowledged", "done", "failed"].includes(j.data.state)) return j;
      msg.textContent = t("captureStage", L.raw(`stage_${j.data.stage || j.data.state}`) || j.data.stage || j.data.state);
      await new Promise((r) => setTimeout(r, 500));
    }
    return { ok: false, error: { code: "timeout" } };
  }

  // A queued snapshot: the queue keeps it; the panel says so and updates when it is sent.
  function whenSent(ctx, msg, queueId) {
    const done = (changes, area) => {
      if (area !== "local" || !changes.queueResults) return;
      const result = (changes.queueResults.newValue || {})[queueId];
      if (!result) return;
      chrome.storage.onChanged.removeListener(done);
      if (!msg.isConnected) return;
      if (result.ok) { status(msg, "saved", t("captureSentLater")); refresh(ctx); } else status(msg, "error", t("captureFailed", L.error(result.error)));
    };
    chrome.storage.onChanged.addListener(done);
    Tousu.ui.watchQueue();
  }

  async function afterCapture(ctx, r, msg) {
    if (r.queued) { status(msg, "queued", t("captureQueued")); whenSent(ctx, msg, r.queue_id); return; }
    if (!r.ok) { status(msg, "error", t("captureFailed", L.error(r.error))); return; }
    let job = r.data;
    if (job && job.id && !["acknowledged", "done", "failed"].includes(job.state)) {
      const j = await pollJob(job.id, msg);
      if (!j.ok) { status(msg, "error", t("captureFailed", L.error(j.error))); return; }
      job = j.data;
    }
    if (job && job.state === "failed") { status(msg, "error", t("captureFailed", L.error(job.error))); return; }
    status(msg, "saved", t("captureSaved"));
    if (job && job.evidence_id) msg.setAttribute("data-evidence-id", job.evidence_id);
    refresh(ctx);
  }

  async function captureTab(ctx) {
    status(ctx.captureMsg, "saving", t("captureSaving"));
    const snapshot = Tousu.tabSnapshot();
    const r = await Tousu.send("captureTab", { order_id: ctx.kase.order.order_id, snapshot, category: "order_page" });
    afterCapture(ctx, r, ctx.captureMsg);
  }

  // The 交易快照 is the buyer's own page (it needs their login): it opens in a tab of theirs,
  // which saves it as a tab snapshot (content/trade_snapshot.js) and reports back here.
  function openSnapshot(ctx, url) {
    const target = new URL(url);
    target.hash = "tousu-save";
    window.open(target.href, "_blank", "noopener");
    status(ctx.captureMsg, "opened", t("snapshotOpened"));
    const heard = (changes, area) => {
      if (area !== "local" || !changes.tradeSnapshotSaved) return;
      const v = changes.tradeSnapshotSaved.newValue || {};
      if (v.order_id !== ctx.kase.order.order_id) return;
      chrome.storage.onChanged.removeListener(heard);
      if (ctx.captureMsg.isConnected) afterCapture(ctx, v.result, ctx.captureMsg);
    };
    chrome.storage.onChanged.addListener(heard);
  }

  function section(ctx) {
    ctx.evidenceList = h("ul", { class: "plain", "data-tousu-evidence": "" });
    ctx.checklist = h("ul", { class: "plain", "data-tousu-checklist": "" });
    ctx.captureMsg = h("div", { class: "muted", "data-tousu-capture-status": "" });
    const snapUrl = ((ctx.kase.order.items || []).find((i) => i.snapshot_url) || {}).snapshot_url;
    return h("section", {}, h("h3", {}, t("secEvidence")), ctx.checklist, ctx.evidenceList,
      h("div", { class: "row" },
        h("button", { class: "btn", "data-tousu-action": "capture-tab", onclick: () => captureTab(ctx) }, t("btnCaptureTab")),
        snapUrl ? h("button", { class: "btn", "data-tousu-action": "capture-snapshot", onclick: () => openSnapshot(ctx, snapUrl) }, t("btnCaptureSnapshot")) : null),
      ctx.captureMsg);
  }

  Tousu.caseEvidence = { section, refresh, checklist, afterCapture };
})();
