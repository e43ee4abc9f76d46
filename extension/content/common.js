// Shared by the isolated-world content scripts (classic scripts share one global scope
// per page): exact-id JSON parsing, reading the data a page embeds in its scripts, UI
// strings, and the one door to the service worker. Page values → Order fields live in
// sites/fields.js, next to the translators that use them.
/* exported Tousu */
var Tousu = globalThis.Tousu || (globalThis.Tousu = {});

(() => {
  // JSON.parse that keeps integers of 16+ digits as strings: 4865640015090004803 must
  // stay "4865640015090004803", not become 4865640015090005000.
  // Most of the text is inside strings; skip those natively (indexOf) and look for long
  // digit runs only in the short stretches between them. Integers of 16+ digits become
  // strings, then the native JSON.parse does the rest.
  Tousu.parseJSONExact = function parseJSONExact(text) {
    if (!/\d{16}/.test(text)) return JSON.parse(text);
    const n = text.length;
    const big = /-?\d{16,}(?![.\deE])/g;
    let out = "";
    let last = 0;
    let i = 0;
    while (i < n) {
      const q = text.indexOf('"', i);
      const end = q < 0 ? n : q;
      if (end - i >= 16) {
        big.lastIndex = i;
        let m;
        while ((m = big.exec(text)) && m.index < end) {
          out += text.slice(last, m.index) + '"' + m[0] + '"';
          last = m.index + m[0].length;
        }
      }
      if (q < 0) break;
      // the closing quote: the next one not escaped by an odd run of backslashes
      let j = text.indexOf('"', q + 1);
      while (j > 0) {
        let b = 0;
        while (text.charCodeAt(j - 1 - b) === 92) b++;
        if (b % 2 === 0) break;
        j = text.indexOf('"', j + 1);
      }
      if (j < 0) break;
      i = j + 1;
    }
    return JSON.parse(last ? out + text.slice(last) : text);
  };

  function parseJSONQuotingBigInts(text) {
    let out = "";
    let last = 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) { // string: skip to its end
        for (i++; i < n; i++) {
          const d = text.charCodeAt(i);
          if (d === 92) i++;
          else if (d === 34) break;
        }
        continue;
      }
      if ((c >= 48 && c <= 57) || c === 45) {
        let j = c === 45 ? i + 1 : i;
        let k = j;
        while (k < n) { const d = text.charCodeAt(k); if (d < 48 || d > 57) break; k++; }
        const next = text.charCodeAt(k);
        if (k - j >= 16 && next !== 46 && next !== 101 && next !== 69) {
          out += text.slice(last, i) + '"' + text.slice(i, k) + '"';
          last = k;
        }
        i = k - 1;
      }
    }
    return JSON.parse(last ? out + text.slice(last) : text);
  }
  Tousu._parseJSONQuotingBigInts = parseJSONQuotingBigInts;

  // Undo JavaScript string-literal escapes (\" \/ \uXXXX \\ \' \xHH \n …) of the text
  // between quotes in `JSON.parse('…')`, giving the JSON text the page parses.
  // Fast path: Taobao's literal only uses escapes JSON shares (\" \/ \\ \uXXXX \n …),
  // so the native JSON.parse of it as a JSON string does the work.
  Tousu.unescapeJsLiteral = function unescapeJsLiteral(s) {
    if (!/\\['xv0-9\r\n\u2028\u2029]|\\u\{|[\u0000-\u001f]/.test(s) && !/(^|[^\\])(\\\\)*"/.test(s)) {
      try { return JSON.parse('"' + s + '"'); } catch (_) { /* fall through */ }
    }
    return unescapeSlow(s);
  };

  function unescapeSlow(s) {
    return s.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])/g, (m, e) => {
      if (e[0] === "u") return String.fromCodePoint(parseInt(e[1] === "{" ? e.slice(2, -1) : e.slice(1), 16));
      if (e[0] === "x") return String.fromCharCode(parseInt(e.slice(1), 16));
      switch (e) {
        case "n": return "\n"; case "r": return "\r"; case "t": return "\t";
        case "b": return "\b"; case "f": return "\f"; case "v": return "\v"; case "0": return "\0";
        case "\n": case "\r\n": case "\r": return "";
        default: return e;
      }
    });
  }

  // The embedded blob of an inline <script>: `var data = JSON.parse('…')` (a JS string
  // literal) or `var detailData = {…}` (an object literal in JSON syntax).
  Tousu.extractBlob = function extractBlob(doc, marker, kind) {
    for (const script of doc.scripts) {
      if (script.src) continue;
      const src = script.textContent;
      const at = src.indexOf(marker);
      if (at < 0) continue;
      const start = at + marker.length;
      try {
        if (kind === "json_parse_literal") {
          const quote = src[start - 1];
          let i = src.indexOf(quote, start);
          // a quote preceded by an odd number of backslashes is escaped: look further
          while (i > 0) {
            let b = 0;
            while (src.charCodeAt(i - 1 - b) === 92) b++;
            if (b % 2 === 0) break;
            i = src.indexOf(quote, i + 1);
          }
          if (i < 0) throw new Error("unterminated string literal");
          return Tousu.parseJSONExact(Tousu.unescapeJsLiteral(src.slice(start, i)));
        }
        return Tousu.parseJSONExact(balancedObject(src, start));
      } catch (err) {
        console.warn("[投诉助手] could not read the page's order data:", err);
        return null;
      }
    }
    return null;
  };

  function balancedObject(src, start) {
    let i = src.indexOf("{", start);
    const begin = i;
    let depth = 0;
    for (; i < src.length; i++) {
      const ch = src[i];
      if (ch === '"' || ch === "'") {
        for (i++; i < src.length && src[i] !== ch; i++) if (src[i] === "\\") i++;
        continue;
      }
      if (ch === "{" || ch === "[") depth++;
      else if (ch === "}" || ch === "]") { depth--; if (depth === 0) return src.slice(begin, i + 1); }
    }
    throw new Error("unterminated object literal");
  }

  // mtop answers JSON or JSONP (`mtopjsonp3({...})`).
  Tousu.parseResponseText = function parseResponseText(text) {
    const t = text.trim();
    const m = /^[\w$.]+\s*\(([\s\S]*)\)\s*;?$/.exec(t);
    return Tousu.parseJSONExact(m ? m[1] : t);
  };

  Tousu.send = (type, payload) => new Promise((resolve) => {
    try {
      chrome.runtime.sendMessage({ type, ...payload }, (reply) => {
        if (chrome.runtime.lastError) resolve({ ok: false, error: { code: "extension_error", message: chrome.runtime.lastError.message } });
        else resolve(reply || { ok: false, error: { code: "no_reply", message: "no answer from the extension" } });
      });
    } catch (err) {
      resolve({ ok: false, error: { code: "extension_error", message: String(err && err.message || err) } });
    }
  });

  const messages = new Map(); // chrome.i18n.getMessage is slow enough to matter ×50 rows
  // UI text in the browser's language; `subs` fill $1, $2 … (the Chinese fallback too).
  // Copy text for the buyer to paste where we do not fill (the clipboard API needs focus
  // and permission a page may not give; the textarea fallback works from a click).
  Tousu.copyText = async (value) => {
    try { await navigator.clipboard.writeText(value); return true; } catch (_) {
      const area = document.createElement("textarea");
      area.value = value;
      area.setAttribute("data-tousu-host", "clipboard");
      area.style.cssText = "position:fixed;left:-9999px;top:0;";
      document.body.append(area);
      area.select();
      let ok = false;
      try { ok = document.execCommand("copy"); } catch (_) { ok = false; }
      area.remove();
      return ok;
    }
  };

  Tousu.msg = (key, fallback, subs) => {
    if (subs) {
      let m = null;
      try { m = chrome.i18n.getMessage(key, subs.map(String)); } catch (_) { m = null; }
      return m || String(fallback || key).replace(/\$(\d)/g, (_, i) => String(subs[i - 1] ?? ""));
    }
    let m = messages.get(key);
    if (m === undefined) {
      try { m = chrome.i18n.getMessage(key) || fallback || key; } catch (_) { m = fallback || key; }
      messages.set(key, m);
    }
    return m;
  };

  // This tab as a snapshot for the helper: what the buyer sees, where, and how large.
  Tousu.tabSnapshot = () => ({ url: location.href, title: document.title, html: Tousu.snapshotHtml(),
    viewport_width: Math.min(4000, Math.max(200, innerWidth)), viewport_height: Math.min(4000, Math.max(200, innerHeight)) });

  // Serialise what the buyer sees: the live DOM (with typed form values) minus our own UI.
  Tousu.snapshotHtml = () => {
    const clone = document.documentElement.cloneNode(true);
    clone.querySelectorAll("[data-tousu-host]").forEach((el) => el.remove());
    const live = document.querySelectorAll("input, textarea, select");
    const copies = clone.querySelectorAll("input, textarea, select");
    if (live.length === copies.length) {
      live.forEach((el, i) => {
        const c = copies[i];
        if (el.tagName === "TEXTAREA") c.textContent = el.value;
        else if (el.tagName === "SELECT") [...c.options].forEach((o, j) => { if (el.options[j] && el.options[j].selected) o.setAttribute("selected", ""); });
        else if (el.type === "checkbox" || el.type === "radio") { if (el.checked) c.setAttribute("checked", ""); }
        else if (el.type !== "password") c.setAttribute("value", el.value);
      });
    }
    if (!clone.querySelector("base")) {
      const base = document.createElement("base");
      base.href = location.href;
      const head = clone.querySelector("head");
      if (head) head.prepend(base);
    }
    return "<!DOCTYPE html>\n" + clone.outerHTML;
  };
})();
