// Finding a form's fields by their visible labels, the way a buyer does: a label text
// (after trimming *, colons and brackets), then the first control after it in the same
// group — native inputs, React-controlled inputs, Fusion-style dropdowns, Alibaba's
// .mod-select-pc (whose label sits inside it) and radio groups.
// Shared by prefill.js and the form translators' tests.
/* global Tousu */
(() => {
  const norm = (s) => String(s || "").replace(/[\s*＊:：（）()]/g, "").trim();
  const CONTROL = 'textarea, input:not([type=hidden]):not([type=radio]):not([type=checkbox]):not([type=file]), select, [role="combobox"], .next-select, .mod-select-pc, [role="radiogroup"], .next-radio-group, [class*="select-trigger"]';

  function visible(el) {
    if (!el || !el.isConnected) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden";
  }

  function labelElements(names) {
    const wanted = names.map(norm);
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT, {
      acceptNode: (el) => (el.hasAttribute("data-tousu-host") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    for (let el = walker.nextNode(); el; el = walker.nextNode()) {
      if (/^(SCRIPT|STYLE|TEXTAREA|SELECT|OPTION|BUTTON)$/.test(el.tagName)) continue;
      const own = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join("");
      const t = norm(own) || (el.children.length === 0 ? norm(el.textContent) : "");
      if (!t || t.length > 16) continue;
      const idx = wanted.findIndex((w) => t === w);
      if (idx >= 0 && visible(el)) found.push({ el, rank: idx });
    }
    return found.sort((a, b) => a.rank - b.rank).map((f) => f.el);
  }

  function controlFor(label) {
    // Alibaba's own dropdown carries its label inside (.mod-select-pc > .select-title)
    const own = label.closest(".mod-select-pc");
    if (own) return own;
    const forId = label.getAttribute && label.getAttribute("for");
    if (forId) { const c = document.getElementById(forId); if (c) return widen(c); }
    let node = label;
    for (let depth = 0; depth < 5 && node && node !== document.body; depth++) {
      node = node.parentElement;
      if (!node) break;
      const candidates = [...node.querySelectorAll(CONTROL)].filter((c) =>
        !label.contains(c) && (label.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING) && !c.closest("[data-tousu-host]"));
      if (candidates.length) return widen(candidates[0]);
    }
    return null;
  }

  // A click-target inside a custom widget → the widget itself.
  function widen(c) {
    return c.closest(".next-radio-group, [role='radiogroup']") || c.closest(".mod-select-pc") || c.closest(".next-select, [role='combobox']") || c;
  }

  function kindOf(c) {
    if (c.matches(".next-radio-group, [role='radiogroup']")) return "radio";
    if (c.matches(".mod-select-pc")) return "modselect";
    if (c.tagName === "SELECT") return "select";
    if (c.matches(".next-select, [role='combobox'], [class*='select-trigger']")) return "dropdown";
    if (c.tagName === "TEXTAREA") return "text";
    if (c.tagName === "INPUT" && c.readOnly) return "dropdown";
    return "text";
  }

  // The control a slot's labels point at, or null.
  function locate(names) {
    const label = labelElements(names)[0];
    const control = label && controlFor(label);
    return control ? { label, control } : null;
  }
  const inputOf = (control) => (control.matches("textarea, input") ? control : control.querySelector("textarea, input"));

  // How many characters a text box takes: its maxLength, or the page's own counter next to
  // it ("0/200") where the component enforces the limit without the attribute.
  function limitOf(control) {
    const input = inputOf(control);
    if (!input) return 0;
    if (input.maxLength > 0) return input.maxLength;
    let node = input;
    for (let depth = 0; depth < 3 && node.parentElement; depth++) {
      node = node.parentElement;
      for (const el of node.querySelectorAll("*")) {
        if (el.children.length || el.contains(input)) continue;
        const m = /^\s*\d+\s*\/\s*(\d{2,5})\s*$/.exec(el.textContent);
        if (m) return Number(m[1]);
      }
    }
    return 0;
  }

  Tousu.formFields = { norm, visible, locate, kindOf, inputOf, limitOf };
})();
