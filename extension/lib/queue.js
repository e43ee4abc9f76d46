// The offline queue: anything the buyer clicked while the helper could not take it waits
// in chrome.storage.local and is sent, in order, when the helper takes it.
// Items: {id, kind: "order"|"capture", order_id, method, path, body, timeout, created,
// attempts, next_at, last_error}. A capture's path holds "{case}", resolved from the
// order's case when it is sent.
//
// What an answer means for an item:
// - delivered (2xx);
// - wrong in itself (400, 413, 415, 422): sending it again cannot succeed, so it is dropped
//   and kept in the "dropped" list with the helper's message until the buyer has seen it;
// - anything else (helper down, another program on the port, 5xx, 429, and
//   401/403/404/409, which speak of pairing, authorisation or the helper's state, not of
//   the item): kept. A helper that answers but fails is retried with a growing pause, so
//   a broken helper is not hammered; one that does not answer at all costs nothing to
//   try, so that is retried at the next chance.
const KEY = "queue";
const RESULTS = "queueResults";
const DROPPED = "queueDropped";
const ITEM_IS_WRONG = new Set([400, 413, 415, 422]);
const FIRST_PAUSE_MS = 5000;
const LONGEST_PAUSE_MS = 15 * 60e3;

export function outcome(r) {
  if (r.ok) return "delivered";
  // only our helper's word counts: another program on the port says nothing about the item
  if (ITEM_IS_WRONG.has(r.status) && !(r.error && r.error.code === "wrong_program")) return "dropped";
  return "kept";
}

export function pauseAfter(attempts, r) {
  if (r.offline) return 0;
  return Math.min(LONGEST_PAUSE_MS, FIRST_PAUSE_MS * 3 ** Math.max(0, attempts - 1));
}

const newId = () => `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
const errorOf = (r) => ({ status: r.status || 0, code: (r.error && r.error.code) || "error", message: (r.error && r.error.message) || "" });

export class Queue {
  constructor(client) {
    this.client = client;
    this.flushing = null;
  }

  async items() { return (await chrome.storage.local.get(KEY))[KEY] || []; }
  async save(items) { await chrome.storage.local.set({ [KEY]: items }); }
  async dropped() { return (await chrome.storage.local.get(DROPPED))[DROPPED] || []; }

  async caseFor(order_id) {
    const r = await this.client.call("GET", `/cases?order_id=${encodeURIComponent(order_id)}&limit=1`, undefined, { timeout: 8000, retries: 0 });
    if (r.ok && r.data && r.data.cases && r.data.cases[0]) return { ok: true, id: r.data.cases[0].id };
    // No case for the order: its own save was refused, so this capture cannot land either.
    return r.ok ? { ok: false, status: 422, error: { code: "no_case", message: "the order has no case in the helper: the snapshot has nowhere to go" } } : r;
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

  // Send now when nothing of this order waits (an order's capture must follow its order);
  // otherwise, or when the helper cannot take it, keep it.
  async submit(item) {
    await this.flush();
    const pending = await this.items();
    let r = null;
    if (!pending.some((p) => p.order_id === item.order_id)) {
      r = await this.send(item);
      if (outcome(r) !== "kept") return r;
    }
    const kept = { ...item, id: newId(), created: new Date().toISOString(), attempts: r ? 1 : 0,
      next_at: r ? Date.now() + pauseAfter(1, r) : 0, last_error: r ? errorOf(r) : null };
    pending.push(kept);
    await this.save(pending);
    return { ok: false, queued: true, queue_id: kept.id, status: r && r.status,
      error: { code: "queued", message: (r && r.error && r.error.message) || "the helper is not reachable; saved in the browser and sent when it is back" } };
  }

  async flushIfPending() {
    if ((await this.items()).length) return this.flush();
    return null;
  }

  // `force`: the buyer asked to retry now, so the pause is not waited out.
  async flush({ force = false } = {}) {
    if (!this.flushing) {
      this.flushing = this._flush(force).finally(() => { this.flushing = null; });
    }
    return this.flushing;
  }

  async _flush(force) {
    let pending = await this.items();
    const results = (await chrome.storage.local.get(RESULTS))[RESULTS] || {};
    let sent = 0;
    while (pending.length) {
      const item = pending[0];
      if (!force && item.next_at && Date.now() < item.next_at) break;
      const r = await this.send(item);
      const what = outcome(r);
      pending = await this.items();
      if (what === "kept") {
        const attempts = (item.attempts || 0) + 1;
        pending = pending.map((p) => (p.id === item.id ? { ...p, attempts, next_at: Date.now() + pauseAfter(attempts, r), last_error: errorOf(r) } : p));
        await this.save(pending);
        break;
      }
      results[item.id] = { ok: r.ok, order_id: item.order_id, kind: item.kind, data: r.ok ? r.data : null, error: r.ok ? null : r.error, at: Date.now() };
      if (what === "dropped") {
        console.warn("[投诉助手] the helper refused a queued item:", item.kind, r.error);
        const dropped = await this.dropped();
        dropped.push({ id: item.id, kind: item.kind, order_id: item.order_id, created: item.created, dropped_at: new Date().toISOString(), error: errorOf(r) });
        await chrome.storage.local.set({ [DROPPED]: dropped.slice(-20) });
      }
      pending = pending.filter((p) => p.id !== item.id);
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
    const mine = (x) => !order_id || x.order_id === order_id;
    const pending = (await this.items()).filter(mine);
    const results = (await chrome.storage.local.get(RESULTS))[RESULTS] || {};
    const done = Object.entries(results).filter(([, v]) => mine(v)).map(([id, v]) => ({ id, ...v }));
    return { ok: true, done, dropped: (await this.dropped()).filter(mine),
      pending: pending.map((p) => ({ id: p.id, kind: p.kind, order_id: p.order_id, created: p.created, attempts: p.attempts || 0,
        next_at: p.next_at || 0, last_error: p.last_error || null })) };
  }

  async dismiss(id) {
    await chrome.storage.local.set({ [DROPPED]: (await this.dropped()).filter((d) => d.id !== id) });
    return { ok: true };
  }
}
