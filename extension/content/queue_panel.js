// The offline queue as the buyer sees it in the page panel: what waits to be sent to the
// helper (and why, and when it is tried again), and what the helper refused, with its
// message, until the buyer has read it. Redrawn whenever the worker changes the queue.
/* global Tousu */
(() => {
  const M = (key, fallback, subs) => Tousu.msg(key, fallback, subs);
  const KIND = { order: () => M("queueKindOrder", "订单"), capture: () => M("queueKindCapture", "本页快照") };
  const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

  // the helper's answer (its HTTP status, if it gave one) in the UI's words
  const why = (e) => (e ? `${e.status ? e.status + " " : ""}${Tousu.labels.error(e)}` : "");

  async function render() {
    if (!Tousu.ui.panel) return;
    const s = await Tousu.send("queueStatus", {});
    if (!s.ok) return;
    const p = Tousu.ui.ensurePanel();
    const h = Tousu.h;
    const old = p.notices.querySelector("[data-tousu-queue]");
    if (!s.pending.length && !s.dropped.length) { if (old) old.remove(); return; }
    const pending = s.pending.map((q) => h("li", { "data-queue-id": q.id, "data-kind": q.kind, "data-order-id": q.order_id, "data-tousu-state": "queued" },
      `${KIND[q.kind] ? KIND[q.kind]() : q.kind} ${q.order_id}`,
      q.last_error ? ` · ${why(q.last_error)}` : "",
      q.next_at > Date.now() ? ` · ${M("queueRetryAt", "$1 再试", [clock.format(new Date(q.next_at))])}` : ""));
    const dropped = s.dropped.map((d) => h("li", { "data-queue-id": d.id, "data-kind": d.kind, "data-order-id": d.order_id, "data-tousu-state": "dropped", class: "missing" },
      `${KIND[d.kind] ? KIND[d.kind]() : d.kind} ${d.order_id} · ${M("queueRefused", "助手拒收")}：${why(d.error)} `,
      h("button", { class: "btn", "data-tousu-action": "queue-dismiss", onclick: async () => { await Tousu.send("queueDismiss", { id: d.id }); render(); } },
        M("btnQueueDismiss", "知道了"))));
    const box = h("section", { "data-tousu-queue": "", "data-pending": String(s.pending.length), "data-dropped": String(s.dropped.length) },
      s.pending.length ? h("div", {}, h("h3", {}, M("queueWaiting", "等待发送给助手"), ` (${s.pending.length})`), h("ul", { class: "plain" }, pending),
        h("button", { class: "btn", "data-tousu-action": "queue-retry", onclick: async () => { await Tousu.send("queueFlush", { force: true }); render(); } },
          M("btnQueueRetry", "立即重试"))) : null,
      s.dropped.length ? h("div", {}, h("h3", {}, M("queueDropped", "没能送到助手"), ` (${s.dropped.length})`), h("ul", { class: "plain" }, dropped)) : null);
    if (old) old.replaceWith(box); else p.notices.append(box);
  }

  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && (changes.queue || changes.queueDropped)) render();
  });
  Tousu.queuePanel = { render };
})();
