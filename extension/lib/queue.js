// The offline queue: anything the buyer clicked while the helper was unreachable waits
// in chrome.storage.local and is sent, in order, when the helper answers again.
// Items: {id, kind: "order"|"capture", order_id, method, path, body, timeout, created}.
// A capture's path holds "{case}", resolved from the order's case when it is sent.
const KEY = "queue";
const RESULTS = "queueResults";

export class Queue {
  constructor(client) {
    this.client = client;
    this.flushing = null;
  }

  async items() { return (await chrome.storage.local.get(KEY))[KEY] || []; }
  async save(items) { await chrome.storage.local.set({ [KEY]: items }); }

  async caseFor(order_id) {
    const r = await this.client.call("GET", `/cases?order_id=${encodeURIComponent(order_id)}&limit=1`, undefined, { timeout: 8000, retries: 0 });
    if (r.ok && r.data && r.data.cases && r.data.cases[0]) return { ok: true, id: r.data.cases[0].id };
    return r.ok ? { ok: false, error: { code: "no_case", message: "file the order first" } } : r;
  }

  async send(item) {
    let path = item.path;
    if (path.includes("{case}")) {
      const c = await this.caseFor(item.order_id);
      if (!c.ok) return c;
      path = path.replace("{case}", c.id);
    }
    return this.client.call(item.method, path, item.body, { timeout: item.timeout || 10000, retries: 1 });
  }

  // Send now; when the helper is unreachable keep it (nothing the buyer clicked is lost).
  async submit(item) {
    await this.flush();
    const pending = await this.items();
    // Do not jump the queue: an order's capture must follow its order.
    if (!pending.some((p) => p.order_id === item.order_id)) {
      const r = await this.send(item);
      if (!r.offline) return r;
    }
    item.id = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    item.created = new Date().toISOString();
    pending.push(item);
    await this.save(pending);
    return { ok: false, queued: true, queue_id: item.id, error: { code: "queued", message: "the helper is not reachable; saved in the browser and sent when it is back" } };
  }

  async flushIfPending() {
    if ((await this.items()).length) return this.flush();
    return null;
  }

  async flush() {
    if (!this.flushing) {
      this.flushing = this._flush().finally(() => { this.flushing = null; });
    }
    return this.flushing;
  }

  async _flush() {
    let pending = await this.items();
    const results = (await chrome.storage.local.get(RESULTS))[RESULTS] || {};
    let sent = 0;
    while (pending.length) {
      const item = pending[0];
      const r = await this.send(item);
      if (r.offline) break;
      results[item.id] = { ok: r.ok, order_id: item.order_id, kind: item.kind, data: r.ok ? r.data : null, error: r.ok ? null : r.error, at: Date.now() };
      if (!r.ok) console.warn("[投诉助手] queued request refused by the helper:", item.kind, r.error);
      pending = (await this.items()).filter((p) => p.id !== item.id);
      await this.save(pending);
      sent++;
    }
    // keep the last results a while so waiting pages can pick them up
    const cutoff = Date.now() - 10 * 60e3;
    for (const [k, v] of Object.entries(results)) if (v.at < cutoff) delete results[k];
    await chrome.storage.local.set({ [RESULTS]: results });
    return { ok: true, sent, pending: pending.length };
  }

  async status(order_id) {
    const pending = (await this.items()).filter((p) => !order_id || p.order_id === order_id);
    const results = (await chrome.storage.local.get(RESULTS))[RESULTS] || {};
    const done = Object.entries(results).filter(([, v]) => !order_id || v.order_id === order_id).map(([id, v]) => ({ id, ...v }));
    return { ok: true, pending: pending.map((p) => ({ id: p.id, kind: p.kind })), done };
  }
}
