// Words the in-page UI shows, in the browser's UI language (chrome.i18n, _locales/): the
// case statuses, evidence kinds, complaint types and demands (the catalog's Chinese or
// English label), deadlines, and every error by its `code` — the helper's English messages
// never reach a Chinese page, and a code no locale knows still says what to do. Loaded by
// the content scripts and by the options page.
/* exported Tousu */
var Tousu = globalThis.Tousu || (globalThis.Tousu = {}); // also the options page's, which has no common.js

(() => {
  const chinese = (() => { try { return /^zh/i.test(chrome.i18n.getUILanguage()); } catch (_) { return true; } })();

  // A message of _locales/<lang>/messages.json; "" when there is none.
  const raw = (key, subs) => {
    try { return chrome.i18n.getMessage(key, subs === undefined ? undefined : subs.map(String)) || ""; } catch (_) { return ""; }
  };
  const t = (key, ...subs) => raw(key, subs.length ? subs : undefined) || key;

  // Catalog entries carry both languages (label, label_en).
  const label = (entry) => (entry ? (chinese ? entry.label : entry.label_en || entry.label) : "");
  const byId = (list, id) => (list || []).find((x) => x.id === id);

  const status = (s) => raw(`status_${s}`) || s;
  const evidenceKind = (k) => raw(`kind_${k}`) || k;
  const category = (cat, id) => label(byId(cat && cat.evidence_categories, id)) || raw(`cat_${id}`) || id;
  const type = (cat, id) => label(byId(cat && cat.types, id)) || raw(`type_${id}`) || id;
  const demand = (cat, id) => label(byId(cat && cat.demands, id)) || raw(`demand_${id}`) || id;
  // Channels: the catalog's Chinese label; the English UI's own words (the catalog's label_en is a gloss).
  const channel = (cat, id) => (chinese ? label(byId(cat && cat.channels, id)) : raw(`channel_${id}`)) || raw(`channel_${id}`) || id;
  // The helper names deadlines and draft notices in Chinese; the English UI uses its own words by key/code.
  const deadline = (d) => (chinese ? d.label : raw(`deadline_${d.key}`) || d.label);
  const notice = (n) => (chinese ? n.message : raw(`notice_${n.code}`) || n.message);

  // An error as the buyer should read it: by its code, with the step to take.
  function error(e, helperUrl) {
    const err = e || {};
    const code = String(err.code || "error");
    const mapped = raw(`err_${code}`, [helperUrl || "http://127.0.0.1:17345"]) ||
      (/^http_\d+$/.test(code) ? raw("err_http", [code.slice(5)]) : "");
    if (mapped) return mapped;
    // A code this version does not know: the helper's own sentence in the Chinese UI only
    // when it is Chinese, else the code with the general advice.
    if (chinese && /[\u4e00-\u9fff]/.test(err.message || "")) return err.message;
    return raw("err_unknown", [code]) || code;
  }

  Tousu.labels = { chinese, t, raw, label, status, evidenceKind, category, type, demand, channel, deadline, notice, error };
})();
