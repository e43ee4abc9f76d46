// The case panel of one order, below the page panel's list: status, the facts and the item
// picker (case_facts.js), deadlines and the date question, evidence (case_evidence.js) and
// the draft (case_draft.js). Built from what the helper holds for the case — the order as
// merged from every page the buyer opened, and the buyer's shared draft choices — and kept
// in step with other tabs.
/* global Tousu */
(() => {
  const L = Tousu.labels;
  const t = L.t;
  const h = (...a) => Tousu.h(...a);

  let catalogPromise = null;
  const catalog = () => (catalogPromise = catalogPromise || Tousu.send("catalog", {}).then((r) => (r.ok ? r.data : null)));

  let current = null;
  chrome.storage.onChanged.addListener((changes, area) => {
    const c = area === "local" && changes.draftStateChanged && changes.draftStateChanged.newValue;
    if (current && c && c.case_id === current.kase.id && current.box.isConnected) Tousu.caseDraft.reload(current);
  });
  // Back to this tab: another program (the review UI, the CLI) may have changed the case.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && current && current.box.isConnected) Tousu.caseDraft.reload(current);
  });

  async function openReview(kase) {
    const r = await Tousu.send("openReview", { case_id: kase.id });
    if (!r.ok) Tousu.ui.notice(t("reviewFailed", L.error(r.error)));
  }

  async function render(box, kase) {
    const body = box.querySelector("[data-tousu-case-body]");
    const [cat, st] = await Promise.all([catalog(), Tousu.send("draftState", { case_id: kase.id })]);
    const ctx = { kase, cat, state: st.ok ? st.data : null, box, evidence: [] };
    current = ctx;
    ctx.factsBox = h("div", {});
    ctx.picker = Tousu.caseFacts.picker(ctx, async (ids) => {
      await Tousu.caseDraft.choose(ctx, { sub_order_ids: ids });
      Tousu.caseFacts.claim(ctx, Tousu.caseDraft.request(ctx));
    });
    ctx.deadlines = h("ul", { class: "plain", "data-tousu-deadlines": "" });
    const draft = Tousu.caseDraft.section(ctx);
    body.replaceChildren(
      h("section", {}, h("div", {}, t("caseStatus"), "：", h("b", { "data-tousu-case-status": kase.status }, L.status(kase.status)), " · ",
        h("a", { href: "#", "data-tousu-action": "open-review", onclick: (e) => { e.preventDefault(); openReview(kase); } }, t("linkReview")))),
      h("section", {}, h("h3", {}, t("secOrder")), ctx.factsBox, h("h3", {}, t("secItems")), ctx.picker),
      h("section", {}, h("h3", {}, t("secDeadlines")), ctx.deadlines),
      Tousu.caseEvidence.section(ctx),
      draft);
    Tousu.caseFacts.refresh(ctx);
    Tousu.caseEvidence.refresh(ctx);
    await Tousu.caseDraft.start(ctx);
    return ctx;
  }

  Tousu.casePanel = { render };
})();
