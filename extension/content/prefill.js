// Refund / after-sales / complaint forms: a 填入投诉内容 button that finds the case from
// the URL's order id, takes the draft's `fields`, and fills the form by its visible
// labels — native controls, React-controlled inputs, custom dropdowns, radio groups —
// with the words the form's translator (sites/refund_form.js, sites/complaint_form.js)
// knows. It marks what it filled, shows it, offers undo, and never submits.
/* global Tousu, TousuSites */
(() => {
  if (window.__tousuPrefill) return;
  const F = TousuSites.forUrl(location.href, ["form"])[0];
  if (!F) return;
  window.__tousuPrefill = true;
  const { text, money, urlParam } = TousuSites.fields;
  const h = (...a) => Tousu.h(...a);
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const { norm, visible, locate, kindOf, inputOf } = Tousu.formFields;
  // ---- setting values so that React (or Vue) sees them ----
  function setNativeValue(el, value) {
    const proto = el.tagName === "TEXTAREA" ? HTMLTextAreaElement.prototype : el.tagName === "SELECT" ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
    const setter = Object.getOwnPropertyDescriptor(proto, "value").set;
    setter.call(el, value);
  }

  function typeText(el, value) {
    const input = el.matches("textarea, input") ? el : el.querySelector("textarea, input");
    const before = input.value;
    input.focus();
    // End any IME composition the page thinks is running, so it does not swallow the change.
    input.dispatchEvent(new CompositionEvent("compositionend", { bubbles: true, data: "" }));
    setNativeValue(input, value);
    input.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText", data: value }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
    input.blur();
    return { el: input, undo: () => typeText(input, before) };
  }

  function matchOption(texts, synonyms) {
    const syn = synonyms.map(norm).filter(Boolean);
    // exact first, then contains either way
    for (const s of syn) { const i = texts.findIndex((t) => norm(t) === s); if (i >= 0) return i; }
    for (const s of syn) { const i = texts.findIndex((t) => norm(t).includes(s) || (norm(t).length >= 2 && s.includes(norm(t)))); if (i >= 0) return i; }
    return -1;
  }

  function pickNativeSelect(sel, synonyms) {
    const texts = [...sel.options].map((o) => o.textContent);
    const i = matchOption(texts, synonyms);
    if (i < 0) return null;
    const before = sel.value;
    setNativeValue(sel, sel.options[i].value);
    sel.dispatchEvent(new Event("change", { bubbles: true }));
    return { el: sel, chosen: texts[i], undo: () => { setNativeValue(sel, before); sel.dispatchEvent(new Event("change", { bubbles: true })); } };
  }

  function fire(el, type) {
    const r = el.getBoundingClientRect();
    const opts = { bubbles: true, cancelable: true, view: window, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2 };
    if (type.startsWith("pointer")) el.dispatchEvent(new PointerEvent(type, opts));
    else el.dispatchEvent(new MouseEvent(type, opts));
  }
  // Belt and braces: whatever the page's markup, prefill never presses a submit control.
  function isSubmit(el) {
    const b = el.closest(["button, input[type=submit], input[type=image], [role=button]", ...F.submit.selectors].join(", "));
    if (!b) return false;
    if (b.matches("[type=submit], input[type=image]") || (b.tagName === "BUTTON" && (b.getAttribute("type") || "submit") === "submit" && b.form)) return true;
    const t = norm(text(b) || b.value || "");
    return [...F.submit.words, "submit"].some((w) => t === norm(w));
  }
  function realClick(el) {
    if (isSubmit(el)) throw new Error("refusing to click a submit control");
    for (const t of ["pointerdown", "mousedown", "pointerup", "mouseup", "click"]) fire(el, t);
  }

  function dropdownText(widget) {
    const v = widget.querySelector(".next-select-values, [class*='select-value'], [class*='selection-item']");
    return v ? text(v) : "";
  }

  async function pickDropdown(widget, synonyms) {
    const previous = dropdownText(widget);
    const existing = new Set(document.querySelectorAll('[role="option"], .next-menu-item, [class*="select-item"], [class*="option-item"]'));
    const trigger = widget.querySelector(".next-select-trigger, .next-select-inner, [role='combobox'], input") || widget;
    realClick(trigger);
    let options = [];
    for (let i = 0; i < 40; i++) { // wait for the popup list the page renders
      await sleep(50);
      options = [...document.querySelectorAll('[role="option"], .next-menu-item, [class*="select-item"], [class*="option-item"]')]
        .filter((o) => visible(o) && !o.closest("[data-tousu-host]") && (!existing.has(o) || i > 2));
      if (options.length) break;
    }
    if (!options.length) return null;
    const texts = options.map((o) => text(o));
    const i = matchOption(texts, synonyms);
    if (i < 0) { realClick(trigger); document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true })); return { missing: texts }; }
    realClick(options[i]);
    await sleep(50);
    return { el: widget, chosen: texts[i], undo: previous ? () => pickDropdown(widget, [previous]) : null };
  }

  function pickRadio(group, synonyms) {
    const choices = [...group.querySelectorAll("label, .next-radio-wrapper, [role='radio']")].filter((x) => x.querySelector("input[type=radio]") || x.getAttribute("role") === "radio");
    const texts = choices.map((c) => text(c));
    const i = matchOption(texts, synonyms);
    if (i < 0) return { missing: texts };
    const before = choices.find((c) => { const r = c.querySelector("input[type=radio]"); return r ? r.checked : c.getAttribute("aria-checked") === "true"; });
    const input = choices[i].querySelector("input[type=radio]");
    if (isSubmit(choices[i])) return null;
    (input || choices[i]).click();
    const undo = before && before !== choices[i] ? () => { const r = before.querySelector("input[type=radio]"); (r || before).click(); } : null;
    return { el: group, chosen: texts[i], undo };
  }

  // ---- the draft → form mapping ----
  function synonymsFor(value, table) {
    if (!value) return [];
    if (Array.isArray(value)) return value.flatMap((v) => synonymsFor(v, table));
    if (typeof value === "object") return [value.label, ...(value.synonyms || []), ...(table[value.key || value.kind || value.type] || [])].filter(Boolean);
    return [value, ...(table[value] || [])];
  }

  function fitText(draft, max) {
    const body = (draft.fields && draft.fields.description) || draft.form_text || draft.text || "";
    if (!max || max <= 0 || body.length <= max) return body;
    // The helper fits form_text to the limit we ask for; this is the last resort:
    // never cut mid-sentence.
    const cut = body.slice(0, max);
    const end = Math.max(cut.lastIndexOf("。"), cut.lastIndexOf("\n"), cut.lastIndexOf("；"));
    return end > max / 2 ? cut.slice(0, end + 1) : cut;
  }

  const find = (slot) => locate(F.labels[slot]);

  function descriptionLimit() {
    const found = find("description");
    if (!found) return 0;
    const input = inputOf(found.control);
    return input && input.maxLength > 0 ? input.maxLength : 0;
  }

  async function fill(draft, report) {
    const done = [];
    const skipped = [];
    const f = draft.fields || {};
    const demandKind = draft.demand && draft.demand.kind;
    const plan = [
      ["reason", [...synonymsFor(f.reason, {}), ...(F.reasons[draft.complaint_type] || [])]],
      ["kind", [...(f.service_kind ? [f.service_kind] : []), ...(F.kinds[demandKind] || [])]],
      ["amount", f.amount ? [String(f.amount)] : []],
      ["description", [null]],
    ];
    for (const [slot, values] of plan) {
      if (!values.length) continue;
      const found = find(slot);
      if (!found) { if (slot !== "kind" || f.service_kind) skipped.push([slot, "页面上没有这个字段"]); continue; }
      const { label, control } = found;
      const kind = kindOf(control);
      let r = null;
      try {
        if (slot === "description") {
          const input = inputOf(control);
          const max = input && input.maxLength > 0 ? input.maxLength : 0;
          r = input ? typeText(input, fitText(draft, max)) : null;
          if (r) r.chosen = `${input.value.length} 字${max ? ` / 上限 ${max}` : ""}`;
        } else if (slot === "amount") {
          r = kind === "text" ? typeText(control, money(values[0]) || values[0]) : null;
          if (r) r.chosen = values[0];
        } else if (kind === "select") r = pickNativeSelect(control, values);
        else if (kind === "dropdown") r = await pickDropdown(control, values);
        else if (kind === "radio") r = pickRadio(control, values);
        else r = typeText(control, values[0]);
      } catch (err) {
        skipped.push([slot, String(err && err.message || err)]);
        continue;
      }
      if (!r || r.missing) { skipped.push([slot, r && r.missing ? `页面选项里没有对应项（${r.missing.join("、")}）` : "无法填写"]); continue; }
      r.el.setAttribute("data-tousu-filled", "1");
      done.push({ slot, label: text(label), chosen: r.chosen, undo: r.undo, el: r.el });
    }
    report(done, skipped);
    return done;
  }

  // ---- the button and its little report ----
  function idsFromUrl() {
    return {
      sub: urlParam(location.href, F.idParams.sub),
      main: urlParam(location.href, F.idParams.main),
    };
  }

  async function findCase() {
    const ids = idsFromUrl();
    const tries = [];
    if (ids.sub) tries.push({ sub_order_id: ids.sub }, { order_id: ids.sub });
    if (ids.main) tries.push({ order_id: ids.main }, { sub_order_id: ids.main });
    if (!tries.length) return { ok: false, error: { message: "网址里没有订单号（bizOrderId / tradeId / bizId）" } };
    for (const q of tries) {
      const r = await Tousu.send("caseFor", q);
      if (!r.ok) return r;
      if (r.data.cases && r.data.cases.length) return { ok: true, case: r.data.cases[0] };
    }
    return { ok: false, error: { message: "助手里还没有这笔订单：先在「已买到的宝贝」里点 投诉助手" } };
  }

  // The helper's latest draft; re-fitted when this form's box holds fewer characters.
  async function latestDraft(caseId) {
    const d = await Tousu.send("draftLatest", { case_id: caseId });
    if (!d.ok) {
      if (d.status === 404) return { ok: false, error: { code: "no_draft", message: "这笔订单还没有草稿：先在订单页的投诉助手面板里生成草稿" } };
      return d;
    }
    const limit = descriptionLimit();
    if (limit >= 100 && limit < d.data.form_limit) {
      const refit = await Tousu.send("refitDraft", { case_id: caseId, form_limit: limit, draft: d.data });
      if (refit.ok) return refit;
    }
    return d;
  }

  function mount() {
    const { host, root } = Tousu.shadowHost("prefill");
    host.style.cssText = "position:fixed;right:16px;top:96px;z-index:2147483000;";
    const status = h("div", { class: "muted", "data-tousu-prefill-status": "" });
    const list = h("ul", { class: "plain", "data-tousu-prefill-report": "" });
    const undoBtn = h("button", { class: "btn", "data-tousu-action": "undo-prefill", hidden: true }, Tousu.msg("btnUndo", "撤销填写"));
    const btn = h("button", { class: "btn primary", "data-tousu-action": "prefill" }, Tousu.msg("btnPrefill", "填入投诉内容"));
    const box = h("div", { class: "panel", style: "position:static;width:300px;padding:10px;" },
      h("div", { class: "row" }, btn, undoBtn), status, list,
      h("div", { class: "muted" }, Tousu.msg("prefillNote", "只填写，不提交：请核对后自己点提交。")));
    root.append(box);
    (document.body || document.documentElement).append(host);
    let last = [];
    btn.addEventListener("click", async () => {
      btn.disabled = true;
      status.textContent = "正在查找案件…";
      try {
        const c = await findCase();
        if (!c.ok) { status.textContent = c.error.message; status.setAttribute("data-tousu-state", "error"); return; }
        const d = await latestDraft(c.case.id);
        if (!d.ok) { status.textContent = d.error.message; status.setAttribute("data-tousu-state", "error"); return; }
        status.textContent = "正在填写…";
        last = await fill(d.data, (done, skipped) => {
          list.replaceChildren(
            ...done.map((x) => h("li", { class: "ok", "data-slot": x.slot }, `✓ ${x.label}：${x.chosen || ""}`)),
            ...skipped.map(([slot, why]) => h("li", { class: "missing", "data-slot": slot }, `✗ ${F.labels[slot][0]}：${why}`)));
          status.textContent = `已填写 ${done.length} 项，请核对后自己提交。`;
          status.setAttribute("data-tousu-state", "filled");
        });
        undoBtn.hidden = !last.length;
      } finally {
        btn.disabled = false;
      }
    });
    undoBtn.addEventListener("click", async () => {
      let manual = 0;
      for (const x of last.reverse()) {
        if (x.undo) await x.undo(); else manual++;
        x.el.removeAttribute("data-tousu-filled");
      }
      last = [];
      list.replaceChildren();
      status.textContent = manual ? `已撤销；${manual} 项原来是空的，页面不允许清空，请手动检查` : "已撤销，表单恢复原样";
      status.setAttribute("data-tousu-state", "undone");
      undoBtn.hidden = true;
    });
  }

  mount();
})();
