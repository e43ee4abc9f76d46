// A 交易快照 page in the buyer's own tab: it needs their login, so it is saved from here as a
// tab snapshot of the case (category 交易快照, the page's own title and address), not by
// the helper's browser, which cannot log in. Opened from the case panel (the address ends
// in #tousu-save) it saves itself once the page is loaded; otherwise a button offers it.
// The outcome is announced in chrome.storage, where the case panel that opened it waits.
/* global Tousu, TousuSites */
(() => {
  if (window.__tousuTradeSnapshot) return;
  const T = TousuSites.forUrl(location.href, ["snapshot"])[0];
  if (!T) return;
  window.__tousuTradeSnapshot = true;
  const L = Tousu.labels;
  const t = L.t;
  const h = (...a) => Tousu.h(...a);
  const sub = T.subOrder(location.href);

  async function caseOf() {
    for (const q of [{ sub_order_id: sub }, { order_id: sub }]) {
      const r = await Tousu.send("caseFor", q);
      if (!r.ok) return r;
      if (r.data.cases.length) return { ok: true, case: r.data.cases[0] };
    }
    return { ok: false, error: { code: "no_case" } };
  }

  async function save(button, status) {
    button.disabled = true;
    status.setAttribute("data-tousu-state", "saving");
    status.textContent = t("captureSaving");
    const c = await caseOf();
    if (!c.ok) {
      status.setAttribute("data-tousu-state", "error");
      status.textContent = t("captureFailed", L.error(c.error));
      button.disabled = false;
      return;
    }
    // the page's address without our #tousu-save, as the buyer would copy it
    const snapshot = { ...Tousu.tabSnapshot(), url: location.href.split("#")[0] };
    const result = await Tousu.send("captureTab", { order_id: c.case.order_id, snapshot, category: "listing_snapshot" });
    await chrome.storage.local.set({ tradeSnapshotSaved: { order_id: c.case.order_id, sub_order_id: sub, result, at: Date.now() } });
    status.setAttribute("data-tousu-state", result.ok ? "saved" : result.queued ? "queued" : "error");
    status.textContent = result.ok ? t("tradeSnapshotSaved") : result.queued ? t("captureQueued") : t("captureFailed", L.error(result.error));
    button.disabled = false;
  }

  function mount() {
    const { host, root } = Tousu.shadowHost("trade-snapshot");
    host.style.cssText = "position:fixed;right:16px;top:16px;z-index:2147483000;";
    const status = h("div", { class: "muted", "data-tousu-snapshot-status": "" }, t("tradeSnapshotHint"));
    const button = h("button", { class: "btn primary", "data-tousu-action": "save-trade-snapshot" }, t("btnSaveTradeSnapshot"));
    button.addEventListener("click", () => save(button, status));
    root.append(h("div", { class: "panel", style: "position:static;width:280px;padding:10px;" }, button, status));
    (document.body || document.documentElement).append(host);
    if (location.hash === "#tousu-save" && sub) save(button, status);
  }

  mount();
})();
