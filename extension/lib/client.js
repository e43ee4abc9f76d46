// The helper client: base URL and token from chrome.storage, timeouts, retries, and a
// diagnosis that tells "not running" from "another program" from "token revoked".
export const DEFAULT_URL = "http://127.0.0.1:17345";

export function normaliseUrl(value) {
  let v = String(value || "").trim();
  if (!v) return DEFAULT_URL;
  if (/^\d+$/.test(v)) v = `http://127.0.0.1:${v}`;
  if (!/^https?:\/\//.test(v)) v = `http://${v}`;
  const u = new URL(v);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(u.hostname)) throw new Error("the helper runs on this computer: use 127.0.0.1");
  return `${u.protocol}//${u.host}`;
}

// UI text in the browser's language (zh_CN default, en). Errors carry a `code` the pages
// word in that language (content/labels.js); `message` is for logs.
const t = (key, sub) => {
  try { return chrome.i18n.getMessage(key, sub === undefined ? undefined : [String(sub)]) || key; } catch (_) { return key; }
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class HelperClient {
  async settings() {
    const s = await chrome.storage.local.get(["helperUrl", "token", "clientName"]);
    return { helperUrl: s.helperUrl || DEFAULT_URL, token: s.token || null, clientName: s.clientName };
  }

  async setUrl(value) {
    try {
      const helperUrl = normaliseUrl(value);
      await chrome.storage.local.set({ helperUrl });
      return { ok: true, helperUrl };
    } catch (err) {
      return { ok: false, error: { code: "bad_url", message: err.message } };
    }
  }

  // One HTTP exchange. Network failures and timeouts are `offline: true` (queueable);
  // 5xx/429 are retried; 4xx are answers.
  async raw(method, url, { body, token, timeout = 10000 } = {}) {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), timeout);
    const headers = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    try {
      const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: ctrl.signal, cache: "no-store", credentials: "omit" });
      let data = null;
      const text = await res.text();
      try { data = text ? JSON.parse(text) : null; } catch (_) { data = null; }
      return { status: res.status, ours: res.headers.has("X-Tousu-Helper"), data, text };
    } catch (err) {
      return { status: 0, offline: true, timeout: ctrl.signal.aborted, message: String(err && err.message || err) };
    } finally {
      clearTimeout(timer);
    }
  }

  async call(method, path, body, { timeout = 10000, retries = 1 } = {}) {
    const { helperUrl, token } = await this.settings();
    if (!token) return { ok: false, offline: true, error: { code: "not_paired", message: "投诉助手 is not paired with the helper yet: open the extension's options" } };
    let last;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt) await sleep(250 * 3 ** (attempt - 1));
      last = await this.raw(method, helperUrl + "/api/v1" + path, { body, token, timeout });
      if (last.offline) continue;
      if (!last.ours) return { ok: false, status: last.status, error: { code: "wrong_program", message: `something other than tousu-helper answers on ${helperUrl}` } };
      if (last.status >= 500 || last.status === 429) continue;
      break;
    }
    if (last.offline) {
      return { ok: false, offline: true, error: { code: last.timeout ? "timeout" : "helper_unreachable", message: last.timeout ? "the helper did not answer in time" : "the helper is not running (or the browser blocked access to it)" } };
    }
    if (last.status >= 200 && last.status < 300) return { ok: true, status: last.status, data: last.data };
    const error = (last.data && last.data.error) || { code: "http_" + last.status, message: last.text ? last.text.slice(0, 300) : `HTTP ${last.status}` };
    return { ok: false, status: last.status, error };
  }

  async pair(urlValue, code) {
    let helperUrl;
    try { helperUrl = normaliseUrl(urlValue); } catch (err) { return { ok: false, error: { code: "bad_url", message: err.message } }; }
    const health = await this.raw("GET", helperUrl + "/api/v1/health", { timeout: 5000 });
    const d = classifyHealth(health, helperUrl);
    if (d) return { ok: false, diagnosis: d.state, error: { code: d.state, message: d.message } };
    const platform = (navigator.userAgentData && navigator.userAgentData.platform) || navigator.platform || "";
    const clientName = `浏览器扩展 ${chrome.runtime.getManifest().version} (${platform || "Chrome"})`.slice(0, 100);
    const r = await this.raw("POST", helperUrl + "/api/v1/pair", { body: { code: String(code || "").trim(), client_name: clientName }, timeout: 8000 });
    if (r.status === 201 && r.data && r.data.token) {
      await chrome.storage.local.set({ helperUrl, token: r.data.token, clientName: r.data.client_name || clientName });
      return { ok: true, helperUrl, clientName };
    }
    if (r.offline) return { ok: false, diagnosis: "not_running", error: { code: "not_running", message: t("diagMsgNotRunning", helperUrl) } };
    return { ok: false, status: r.status, error: (r.data && r.data.error) || { code: "http_" + r.status, message: `HTTP ${r.status}` } };
  }
}

function classifyHealth(h, helperUrl) {
  if (h.offline) {
    // A refused connection and a browser block look alike from JavaScript; a block
    // usually comes back instantly with a "Failed to fetch" and Chrome logs it as
    // "Local Network Access" / "Private Network Access" in the console.
    if (/local network|private network|loopback|permission/i.test(h.message || "")) {
      return { state: "blocked", message: t("diagMsgBlocked", helperUrl) };
    }
    if (h.timeout) return { state: "not_running", message: t("diagMsgTimeout", helperUrl) };
    return { state: "not_running", message: t("diagMsgNotRunning", helperUrl) };
  }
  if (!h.ours || !h.data || h.data.name !== "tousu-helper") {
    return { state: "wrong_program", message: t("diagMsgWrongProgram", helperUrl) };
  }
  return null;
}

export async function diagnose(client) {
  const { helperUrl, token } = await client.settings();
  const h = await client.raw("GET", helperUrl + "/api/v1/health", { timeout: 5000 });
  const d = classifyHealth(h, helperUrl);
  if (d) return { ok: false, state: d.state, message: d.message, helperUrl };
  const version = h.data.version;
  if (!token) return { ok: false, state: "unpaired", message: t("diagMsgUnpaired"), helperUrl, version };
  const r = await client.raw("GET", helperUrl + "/api/v1/cases?limit=1", { token, timeout: 5000 });
  if (r.status === 401) return { ok: false, state: "token_revoked", message: t("diagMsgRevoked"), helperUrl, version };
  if (r.status === 403) return { ok: false, state: "forbidden", message: t("diagMsgForbidden"), helperUrl, version };
  if (r.status !== 200) return { ok: false, state: "error", message: t("diagMsgHttp", r.status), helperUrl, version };
  return { ok: true, state: "paired", message: t("diagMsgConnected", version), helperUrl, version };
}
