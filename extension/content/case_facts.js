// The facts a complaint is about, as the case panel shows them: the price paid, status,
// dates (the buyer's own where the pages gave none) and logistics, and the item picker —
// the whole order or chosen items; what is claimed follows the choice (the helper shares the
// order's discounts out over the chosen items). A date a deadline needs and the pages did
// not give (签收, 发货) is asked in one step and kept by the helper as the buyer's word.
/* global Tousu */
(() => {
  const L = Tousu.labels;
  const t = L.t;
  const h = (...a) => Tousu.h(...a);
  const DAY = 86400e3;

  // A Beijing day as YYYY-MM-DD, `back` days before today.
  const beijingDay = (back = 0) => new Date(Date.now() + 8 * 3600e3 - back * DAY).toISOString().slice(0, 10);
  const day = (iso) => (iso ? String(iso).slice(0, 10) : "");
  // A time as Beijing wall time; a list page gives only the day (stored as 00:00:00), so
  // that is shown as the day alone.
  const time = (iso) => (!iso ? "" : /T00:00:00/.test(iso) ? day(iso) : String(iso).slice(0, 16).replace("T", " "));

  const chosenIds = (ctx) => (ctx.state && ctx.state.choices.sub_order_ids) || null;

  // ---- the facts ----
  function facts(ctx) {
    const o = ctx.kase.order;
    const stated = (ctx.state && ctx.state.stated) || {};
    const mine = (k) => (stated[k] && o[k] && day(stated[k]) === day(o[k]) ? ` ${t("factStatedByYou")}` : "");
    const rows = [
      ["factPaid", o.actual_fee ? `¥${o.actual_fee}` : null, "paid"],
      ["factStatus", o.status_text, "status"],
      ["factCreated", time(o.created_at), "created"],
      ["factPaidAt", time(o.paid_at), "paid-at"],
      ["factShipped", o.shipped_at ? time(o.shipped_at) + mine("shipped_at") : null, "shipped"],
      ["factReceived", o.received_at ? time(o.received_at) + mine("received_at") : null, "received"],
      ["factLogistics", o.logistics ? [o.logistics.company, o.logistics.tracking_no].filter(Boolean).join(" ") : null, "logistics"],
    ].filter(([, v]) => v);
    return h("dl", { class: "facts", "data-tousu-facts": "" },
      rows.flatMap(([key, value, name]) => [h("dt", {}, t(key)), h("dd", { "data-fact": name }, value)]));
  }

  // ---- the item picker ----
  function picker(ctx, onChange) {
    const items = ctx.kase.order.items || [];
    const chosen = new Set(chosenIds(ctx) || items.map((i) => i.sub_order_id));
    const summary = h("div", { class: "muted", "data-tousu-items-summary": "" });
    const boxes = items.map((i) => h("input", { type: "checkbox", "data-sub-order-id": i.sub_order_id, checked: chosen.has(i.sub_order_id),
      "aria-label": i.title || i.sub_order_id }));
    const group = h("div", { "data-tousu-field": "items", role: "group", "aria-label": t("itemsPick") },
      items.map((i, n) => h("label", { class: "item" }, boxes[n],
        h("span", { class: "t" }, i.title || i.sub_order_id,
          i.sku ? h("span", { class: "muted" }, ` · ${i.sku}`) : null),
        h("span", { class: "muted", "data-item-price": "" }, i.unit_price ? `¥${i.unit_price} × ${i.quantity || 1}` : `× ${i.quantity || 1}`))),
      summary);
    const selected = () => boxes.filter((b) => b.checked).map((b) => b.getAttribute("data-sub-order-id"));
    for (const b of boxes) {
      b.addEventListener("change", () => {
        if (!selected().length) { b.checked = true; summary.textContent = t("itemsAtLeastOne"); return; }
        onChange(selected().length === boxes.length ? null : selected());
      });
    }
    group.sync = (ids) => {
      const want = new Set(ids || items.map((i) => i.sub_order_id));
      for (const b of boxes) b.checked = want.has(b.getAttribute("data-sub-order-id"));
    };
    group.summary = summary;
    return group;
  }

  // What the choice claims, as the helper computes it (demand-check: the price paid for the
  // chosen items, discounts shared out); shown under the picker and as the amount's hint.
  async function claim(ctx, request) {
    const items = ctx.kase.order.items || [];
    const ids = chosenIds(ctx);
    const r = await Tousu.send("demandCheck", { case_id: ctx.kase.id, request });
    const paid = r.ok ? r.data.refund || r.data.paid : null;
    const what = ids ? t("itemsSome", ids.length, items.length) : t("itemsWhole", items.length);
    ctx.picker.summary.textContent = paid ? `${what} · ${t("itemsPaidFor", paid)}` : what;
    ctx.picker.summary.setAttribute("data-claim", paid || "");
    if (ctx.amount && paid) ctx.amount.placeholder = t("amountUpTo", paid);
    return paid;
  }

  // ---- the date question ----
  const QUESTIONS = { missing_received_at: ["received-at", "received_at", "dateAskReceived"],
    missing_shipped_at: ["shipped-at", "shipped_at", "dateAskShipped"] };

  function question(ctx, warnings, onSaved) {
    const asks = warnings.filter((w) => QUESTIONS[w.code]);
    if (!asks.length) return null;
    const fields = asks.map((w) => {
      const [name, key, label] = QUESTIONS[w.code];
      const input = h("input", { type: "date", "data-tousu-field": name, max: beijingDay(0), min: "2003-01-01", "aria-label": t(label) });
      const pick = (back) => () => { input.value = beijingDay(back); };
      return { key, input, row: h("div", { class: "row" }, h("span", {}, t(label)), input,
        h("button", { class: "btn", type: "button", "data-tousu-action": `${name}-today`, onclick: pick(0) }, t("dateToday")),
        h("button", { class: "btn", type: "button", "data-tousu-action": `${name}-yesterday`, onclick: pick(1) }, t("dateYesterday"))) };
    });
    const status = h("div", { class: "muted", "data-tousu-date-status": "" }, t("dateWhy"));
    const save = h("button", { class: "btn primary", type: "button", "data-tousu-action": "save-dates" }, t("dateSave"));
    save.addEventListener("click", async () => {
      const dates = Object.fromEntries(fields.filter((f) => f.input.value).map((f) => [f.key, `${f.input.value}T00:00:00+08:00`]));
      if (!Object.keys(dates).length) { status.textContent = t("dateNone"); return; }
      save.disabled = true;
      const r = await Tousu.send("stateDates", { case_id: ctx.kase.id, dates });
      save.disabled = false;
      if (!r.ok) { status.textContent = L.error(r.error); status.setAttribute("data-tousu-state", "error"); return; }
      ctx.state = r.data;
      onSaved();
    });
    return h("li", { class: "question", "data-tousu-date-question": "" }, fields.map((f) => f.row), h("div", { class: "row" }, save), status);
  }

  // ---- the deadlines ----
  async function deadlines(ctx) {
    const list = ctx.deadlines;
    const r = await Tousu.send("deadlines", { case_id: ctx.kase.id });
    if (!r.ok) { list.replaceChildren(h("li", { class: "muted" }, L.error(r.error))); return; }
    const { deadlines: items, warnings } = r.data;
    const ask = question(ctx, warnings || [], async () => {
      const c = await Tousu.send("caseGet", { case_id: ctx.kase.id });
      if (c.ok) ctx.kase = c.data;
      refresh(ctx);
    });
    list.replaceChildren(...(ask ? [ask] : []), ...items.map((d) => h("li", { "data-deadline": d.key, "data-state": d.state,
      class: d.state === "passed" ? "muted" : d.state === "due_soon" ? "missing" : "", title: `${d.basis}${d.note ? "；" + d.note : ""}` },
    `${L.deadline(d)}：${d.last_day}（${d.days_left >= 0 ? t("deadlineDaysLeft", d.days_left) : t("deadlinePassed")}）${d.confirmed ? "" : " " + t("deadlineUnconfirmed")}`)));
    for (const w of warnings || []) if (!QUESTIONS[w.code]) list.append(h("li", { class: "muted", "data-notice": w.code }, L.notice(w)));
    if (!items.length && !ask && !(warnings || []).length) list.append(h("li", { class: "muted" }, t("deadlineNone")));
  }

  // Redraw the facts and the deadlines (after a date was given or another tab changed them).
  function refresh(ctx) {
    ctx.factsBox.replaceChildren(facts(ctx));
    return deadlines(ctx);
  }

  Tousu.caseFacts = { facts, picker, claim, deadlines, refresh, chosenIds };
})();
