// MAIN-world hook, injected at document_start on the order pages after the translators
// (sites/*.js), whose `responses` say which of the page's own responses carry orders. It
// reads those responses (never sends a request of its own) and hands the raw text to the
// isolated content script with postMessage. Raw text, not parsed objects: the page's own
// JSON.parse loses precision on 19-digit ids; the content script re-parses with big
// numbers kept as strings. The registry is removed again so the page finds no trace of it.
(() => {
  if (window.__tousuHooked) return;
  Object.defineProperty(window, "__tousuHooked", { value: true });
  const sites = globalThis.TousuSites;
  const patterns = sites ? sites.responsePatterns(location.href) : [];
  delete globalThis.TousuSites;
  if (!patterns.length) return;
  const watched = (url) => patterns.some((re) => re.test(url));
  const TAG = "tousu-helper:response";
  const seen = [];
  const post = (url, text) => {
    const msg = { __tousu: TAG, url: String(url), text };
    if (seen.length < 50) seen.push(msg);
    window.postMessage(msg, location.origin);
  };
  // The isolated script may start after early responses: it asks for a replay.
  window.addEventListener("message", (event) => {
    if (event.source === window && event.data && event.data.__tousu === "tousu-helper:replay") {
      for (const msg of seen) window.postMessage(msg, location.origin);
    }
  });
  const charsetOf = (contentType) => {
    const m = /charset\s*=\s*"?([\w-]+)/i.exec(contentType || "");
    return m ? m[1].toLowerCase() : "utf-8";
  };

  const origFetch = window.fetch;
  if (origFetch) {
    window.fetch = function tousuFetch(input, init) {
      const url = typeof input === "string" ? input : (input && input.url) || "";
      const p = origFetch.apply(this, arguments);
      if (watched(url)) {
        p.then((response) => {
          // fetch's .text() always decodes UTF-8; asyncBought answers in GBK, so decode
          // the bytes with the charset the server declared.
          response.clone().arrayBuffer().then((buf) => {
            let text;
            try { text = new TextDecoder(charsetOf(response.headers.get("content-type"))).decode(buf); }
            catch (_) { text = new TextDecoder().decode(buf); }
            post(response.url || url, text);
          }).catch(() => {});
        }).catch(() => {});
      }
      return p;
    };
  }

  const XHR = window.XMLHttpRequest;
  if (XHR) {
    const open = XHR.prototype.open;
    const send = XHR.prototype.send;
    XHR.prototype.open = function (method, url) {
      this.__tousuUrl = String(url || "");
      return open.apply(this, arguments);
    };
    XHR.prototype.send = function () {
      if (watched(this.__tousuUrl || "")) {
        this.addEventListener("load", () => {
          try {
            // responseText honours the declared charset (GBK) for text responses.
            if (this.responseType === "" || this.responseType === "text") post(this.responseURL || this.__tousuUrl, this.responseText);
            else if (this.responseType === "json") post(this.responseURL || this.__tousuUrl, JSON.stringify(this.response));
          } catch (_) { /* never break the page */ }
        });
      }
      return send.apply(this, arguments);
    };
  }
})();
