// Refund / after-sales / complaint forms: a 填入投诉内容 button that finds the case from the
// URL's order id and fills the form with the draft version the buyer looks at in the case
// panel (saying so when a newer one exists), re-fitted to the page's own text limit. Fields
// are found by their visible labels (content/form_fields.js) and set the way a buyer would
// (content/form_widgets.js), in the page's order: 服务类型, then 货物状态 (from the case:
// shipped? received?) where the page asks for it before its reasons, the reason, the
// amount, the description — each waiting for the page's redraw after its server round
// trip. Then a receipt: what each field now shows, confirmed or not; what could not be
// filled is put on the clipboard and its field highlighted. Undo puts back every field it
// changed. It never submits.
/* global Tousu, TousuSites */
(() => {
  if (window.__tousuPrefill) return;
  const F = TousuSites.forUrl(location.href, ["form"])[0];
  if (!F) return;
  window.__tousuPrefill = true;
  const L = Tousu.labels;
  const t = L.t;
  const { text, money, urlParam } = TousuSites.fields;
  const h = (...a) => Tousu.h(...a);
  const { norm, locate, kindOf, limitOf } = Tousu.formFields;
  const W = Tousu.formWidgets.make(F.submit);
  const BUSY = '.loading, .next-loading, [aria-busy="true"]';

  const find = (slot) => locate(F.labels[slot] || []);

  // The page is done with its round trips: no busy marker, and no change for a moment.
  async function quiet(ms = 6000) {
    let last = Date.now();
    const obs = new MutationObserver(() => { last = Date.now(); });
    obs.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    await W.until(() => Date.now() - last > 500 && !document.querySelector(BUSY), ms, 100);
    obs.disconnect();
  }

  function synonymsFor(value) {
    if (!value) return [];
    if (typeof value === "object") return [value.label, ...(value.synonyms || [])].filter(Boolean);
    return [value];
  }

  // 货物状态 from the case: not shipped yet; shipped and, for a complaint about delivery, not
  // received; otherwise received (a quality or description complaint means the goods came).
  function goodsState(order, complaintType) {
    const status = String(order.status_text || "");
    const received = !!order.received_at || /交易成功|已签收|确认收货/.test(status);
    const shipped = received || !!order.shipped_at || /已发货|运输|派送/.test(status);
    if (!shipped) return "unshipped";
    return !received && ["not_received", "late_shipment"].includes(complaintType) ? "not_received" : "received";
  }

  function fitText(body, max) {
    if (!max || body.length <= max) return body;
    // The helper fits form_text to the page's limit; this is the last resort: never cut mid-sentence.
    const cut = body.slice(0, max);
    const end = Math.max(cut.lastIndexOf("。"), cut.lastIndexOf("\n"), cut.lastIndexOf("；"));
    return end > max / 2 ? cut.slice(0, end + 1) : cut;
  }

  // The plan: slot → the words (or text) to set, in the order the page needs them.
  function plan(draft, order) {
    const f = draft.fields || {};
    const kindWords = [...(f.service_kind ? [f.service_kind] : []), ...(F.kinds[draft.demand && draft.demand.kind] || [])];
    const reasons = [...synonymsFor(f.reason), ...(F.reasons[draft.complaint_type] || [])];
    return [
      ["kind", kindWords],
      ["goods", F.goods ? F.goods[goodsState(order, draft.complaint_type)] || [] : []],
      ["reason", reasons],
      ["amount", f.amount ? money(f.amount) || String(f.amount) : ""],
      ["description", (f.description || draft.form_text || draft.text || "")],
    ].filter(([, v]) => v && v.length);
  }

  // Fill one slot; its control may appear only after an earlier pick (the page redraws).
  async function fillSlot(slot, value) {
    const found = await W.until(() => find(slot), slot === "kind" ? 300 : 4000);
    if (!found) return { slot, value, error: "absent" };
    const kind = kindOf(found.control);
    const shown = () => (find(slot) || found).control;
    const label = text(found.label).replace(/[\s*＊:：]+$/, "");
    let intended = value;
    if (slot === "description") intended = fitText(value, limitOf(found.control));
    if ((slot === "amount" || slot === "description") && kind !== "text") return { slot, value, label, error: "kind" };
    try {
      const r = await W.fill(kind, found.control, intended, shown);
      if (r.missing) return { slot, value, label, kind, control: found.control, error: "missing", options: r.missing };
      found.control.setAttribute("data-tousu-filled", "1");
      return { slot, value, label, kind, control: found.control, shown, before: r.before, chosen: r.chosen };
    } catch (err) {
      return { slot, value, label, error: "failed", detail: String(err && err.message || err) };
    }
  }

  // 货物状态 is set where the page asks for it before it offers reasons (today's refund page
  // shows its reasons only once the goods state is chosen), not where the reasons are there.
  function needsGoods(reasons) {
    const reason = find("reason");
    if (!reason) return !!find("goods");
    if (kindOf(reason.control) !== "modselect") return false;
    const offered = [...reason.control.querySelectorAll(".options-item")].map((o) => text(o));
    return Tousu.formWidgets.matchOption(offered, reasons) < 0;
  }

  async function fill(draft, order) {
    const steps = plan(draft, order);
    const reasons = (steps.find(([s]) => s === "reason") || [null, []])[1];
    const results = [];
    for (const [slot, value] of steps) {
      if (slot === "goods" && !needsGoods(reasons)) continue;
      if (slot === "kind" && !find("kind")) continue;
      results.push(await fillSlot(slot, value));
    }
    await quiet();
    return results;
  }

  // ---- the receipt ----
  // What each field shows now (the page's rendering), against what was meant.
  function readBack(r) {
    if (r.error) return { ...r, confirmed: false };
    const shows = W.drivers[r.kind].read(r.shown());
    const meant = r.kind === "text" ? (r.slot === "amount" ? money(r.chosen) : r.chosen) : r.chosen;
    const now = r.slot === "amount" ? money(shows) : shows;
    const confirmed = r.slot === "description" ? now === meant : norm(now) === norm(meant);
    return { ...r, shows, confirmed };
  }

  const valueText = (r) => (Array.isArray(r.value) ? r.value[0] : r.value);

  const copy = (value) => Tousu.copyText(value);

  function highlight(control) {
    if (!control) return;
    control.setAttribute("data-tousu-unfilled", "1");
    control.style.setProperty("outline", "3px solid #ff5000", "important");
    control.style.setProperty("outline-offset", "2px");
  }
  function unhighlight(control) {
    control.removeAttribute("data-tousu-unfilled");
    control.style.removeProperty("outline");
    control.style.removeProperty("outline-offset");
  }

  function why(r) {
    if (r.error === "absent") return t("receiptAbsent");
    if (r.error === "missing") return t("receiptNoOption", (r.options || []).join("、") || "—");
    if (r.error) return t("receiptFailed");
    return t("receiptShowsOther", r.shows || "—");
  }

  function receiptRow(r, copied) {
    const label = r.label || (F.labels[r.slot] || [r.slot])[0];
    const attrs = { "data-tousu-receipt-field": r.slot, "data-tousu-confirmed": r.confirmed ? "1" : "0", "data-slot": r.slot };
    if (r.confirmed) {
      const shown = r.slot === "description" ? t("receiptChars", Array.from(r.shows).length) : r.shows;
      return h("li", { class: "ok", ...attrs }, `✓ ${label}：${shown}`);
    }
    const value = valueText(r);
    return h("li", { class: "missing", ...attrs, "data-tousu-copied": copied ? "1" : "0" },
      `✗ ${label}：${why(r)}${copied ? " " + t("receiptCopied") : ""} `,
      h("button", { class: "btn", "data-tousu-action": "copy-field", onclick: () => copy(value) }, t("btnCopy")));
  }

  // ---- the button, the receipt and undo ----
  function idsFromUrl() {
    return { sub: urlParam(location.href, F.idParams.sub), main: urlParam(location.href, F.idParams.main) };
  }

  async function findCase() {
    const ids = idsFromUrl();
    const tries = [];
    if (ids.sub) tries.push({ sub_order_id: ids.sub }, { order_id: ids.sub });
    if (ids.main) tries.push({ order_id: ids.main }, { sub_order_id: ids.main });
    if (!tries.length) return { ok: false, error: { code: "no_order_id" } };
    for (const q of tries) {
      const r = await Tousu.send("caseFor", q);
      if (!r.ok) return r;
      if (r.data.cases && r.data.cases.length) return Tousu.send("caseGet", { case_id: r.data.cases[0].id });
    }
    return { ok: false, error: { code: "no_case" } };
  }

  // The version the buyer looks at in the case panel; re-fitted when this page's box holds
  // fewer characters. `notes`: what the buyer should know about the choice.
  async function draftToFill(kase, notes) {
    const st = await Tousu.send("draftState", { case_id: kase.id });
    if (!st.ok) return st;
    const { choices, latest_draft_version: latest, draft_request: request } = st.data;
    const version = choices.draft_version || latest;
    if (!version) return { ok: false, error: { code: "no_draft" } };
    let d = await Tousu.send("draftVersion", { case_id: kase.id, version });
    if (!d.ok) return d;
    // a seller message or a 12315 text is not form text: it is copied, never filled
    if ((d.data.channel || "platform") !== "platform") return { ok: false, notForm: d.data };
    // a version never shown in the panel may leave out sentences the buyer has not seen
    if (!choices.draft_version && (d.data.withheld || []).length) return { ok: false, error: { code: "draft_unseen" } };
    notes.push(t("prefillVersion", version));
    if (latest > version) notes.push(t("prefillNewer", latest, version));
    const box = find("description");
    const limit = box ? limitOf(box.control) : 0;
    if (limit >= 100 && limit < d.data.form_limit) {
      const base = request || { complaint_type: d.data.complaint_type, demand: d.data.demand };
      const refit = await Tousu.send("draft", { case_id: kase.id, request: { ...base, channel: "platform", form_limit: limit } });
      if (refit.ok) {
        // the re-fitted text is what this buyer now files: the panel shows it too
        await Tousu.send("chooseDraft", { case_id: kase.id, choices: { draft_version: refit.data.version } });
        notes.push(t("prefillRefit", limit, refit.data.version, version));
        d = refit;
      }
    }
    const sub = idsFromUrl().sub;
    const items = kase.order.items || [];
    if (sub && items.length > 1) {
      const chosen = choices.sub_order_ids;
      if (!chosen) notes.push(t("prefillWholeOrder", items.length));
      else if (!chosen.includes(sub)) notes.push(t("prefillOtherItem"));
    }
    return d;
  }

  function mount() {
    const { host, root } = Tousu.shadowHost("prefill");
    host.style.cssText = "position:fixed;right:16px;top:96px;z-index:2147483000;";
    const status = h("div", { class: "muted", "data-tousu-prefill-status": "" });
    const notesBox = h("ul", { class: "plain", "data-tousu-prefill-notes": "" });
    const list = h("ul", { class: "plain", "data-tousu-prefill-report": "", "data-tousu-receipt": "" });
    const undoBtn = h("button", { class: "btn", "data-tousu-action": "undo-prefill", hidden: true }, t("btnUndo"));
    const btn = h("button", { class: "btn primary", "data-tousu-action": "prefill" }, t("btnPrefill"));
    root.append(h("div", { class: "panel", style: "position:static;width:320px;padding:10px;" },
      h("div", { class: "row" }, btn, undoBtn), status, notesBox, list, h("div", { class: "muted" }, t("prefillNote"))));
    (document.body || document.documentElement).append(host);
    const fail = (e) => { status.textContent = L.error(e); status.setAttribute("data-tousu-state", "error"); };
    const offerCopy = (draft) => {
      const done = h("span", { class: "muted", "data-tousu-copy-status": "" });
      status.replaceChildren(t("prefillNotForm", L.channel(null, draft.channel)), " ",
        h("button", { class: "btn", "data-tousu-action": "copy-draft",
          onclick: async () => { done.textContent = (await copy(draft.text)) ? t("draftCopied") : t("draftCopyFailed"); } }, t("btnCopyDraft")),
        " ", done);
      status.setAttribute("data-tousu-state", "not-form");
    };
    let last = [];
    btn.addEventListener("click", async () => {
      btn.disabled = true;
      status.removeAttribute("data-tousu-state");
      status.textContent = t("prefillFinding");
      try {
        const c = await findCase();
        if (!c.ok) { fail(c.error); return; }
        const notes = [];
        const d = await draftToFill(c.data, notes);
        if (d.notForm) { offerCopy(d.notForm); return; }
        if (!d.ok) { fail(d.error); return; }
        notesBox.replaceChildren(...notes.map((n) => h("li", { class: "muted" }, n)));
        status.textContent = t("prefillFilling");
        const results = (await fill(d.data, c.data.order)).map(readBack);
        const unfilled = results.filter((r) => !r.confirmed);
        let copied = false;
        if (unfilled.length) {
          copied = await copy(unfilled.map((r) => (unfilled.length > 1 ? `${r.label || r.slot}：` : "") + valueText(r)).join("\n"));
          for (const r of unfilled) highlight(r.control);
        }
        list.replaceChildren(...results.map((r) => receiptRow(r, copied)));
        list.setAttribute("data-filled", String(results.filter((r) => !r.error).length));
        list.setAttribute("data-confirmed", String(results.length - unfilled.length));
        last = results.filter((r) => !r.error);
        status.textContent = unfilled.length ? t("prefillPartly", results.length - unfilled.length, unfilled.length) : t("prefillDone", results.length);
        status.setAttribute("data-tousu-state", "filled");
        undoBtn.hidden = !last.length;
      } finally {
        btn.disabled = false;
      }
    });
    undoBtn.addEventListener("click", async () => {
      undoBtn.disabled = true;
      const stuck = [];
      let restored = 0;
      for (const r of [...last].reverse()) {
        const ok = await W.restore(r.kind, r.shown(), r.before, r.shown);
        if (ok) restored++; else stuck.push(r.label || r.slot);
        r.control.removeAttribute("data-tousu-filled");
      }
      await quiet();
      for (const el of document.querySelectorAll("[data-tousu-unfilled]")) unhighlight(el);
      last = [];
      list.replaceChildren();
      notesBox.replaceChildren();
      status.textContent = stuck.length ? t("undoPartly", restored, stuck.join("、")) : t("undoDone", restored);
      status.setAttribute("data-tousu-state", "undone");
      undoBtn.hidden = true;
      undoBtn.disabled = false;
    });
  }

  mount();
})();
