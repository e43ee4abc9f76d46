// Driving a form's controls the way a buyer does — so React (or Vue) sees every change —
// and reading back what each control now shows: native inputs, selects and textareas,
// Fusion Next dropdowns and radio groups, and Alibaba's own .mod-select-pc dropdown. Pages
// that ask their server after every pick show the value late: `settle` waits (bounded) until
// the page shows what was picked. Every driver keeps what the control showed before, so an
// undo can put it back. Nothing here ever presses a submit control.
/* global Tousu, TousuSites */
(() => {
  const { text } = TousuSites.fields;
  const { norm, visible, inputOf } = Tousu.formFields;
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const POPUP_OPTIONS = '[role="option"], .next-menu-item, [class*="select-item"], [class*="option-item"]';

  // Poll `probe` until it returns something truthy, at most `ms`; the last value either way.
  async function until(probe, ms = 5000, every = 100) {
    const end = Date.now() + ms;
    let v = probe();
    while (!v && Date.now() < end) { await sleep(every); v = probe(); }
    return v;
  }

  function setNativeValue(el, value) {
    const proto = el.tagName === "TEXTAREA" ? HTMLTextAreaElement.prototype : el.tagName === "SELECT" ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, "value").set.call(el, value);
  }

  function matchOption(texts, synonyms) {
    const syn = synonyms.map(norm).filter(Boolean);
    // exact first, then contains either way
    for (const s of syn) { const i = texts.findIndex((t) => norm(t) === s); if (i >= 0) return i; }
    for (const s of syn) { const i = texts.findIndex((t) => norm(t).includes(s) || (norm(t).length >= 2 && s.includes(norm(t)))); if (i >= 0) return i; }
    return -1;
  }

  function fire(el, type) {
    const r = el.getBoundingClientRect();
    const opts = { bubbles: true, cancelable: true, view: window, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2 };
    el.dispatchEvent(type.startsWith("pointer") ? new PointerEvent(type, opts) : new MouseEvent(type, opts));
  }

  function make(submit) {
    // Belt and braces: whatever the page's markup, prefill never presses a submit control.
    function isSubmit(el) {
      const b = el.closest(["button, input[type=submit], input[type=image], [role=button]", ...submit.selectors].join(", "));
      if (!b) return false;
      if (b.matches("[type=submit], input[type=image]") || (b.tagName === "BUTTON" && (b.getAttribute("type") || "submit") === "submit" && b.form)) return true;
      const t = norm(text(b) || b.value || "");
      return [...submit.words, "submit"].some((w) => t === norm(w));
    }
    function realClick(el) {
      if (isSubmit(el)) throw new Error("refusing to click a submit control");
      for (const t of ["pointerdown", "mousedown", "pointerup", "mouseup", "click"]) fire(el, t);
    }

    const drivers = {
      text: {
        read: (c) => (inputOf(c) || {}).value || "",
        async set(c, value) {
          const input = inputOf(c);
          input.focus();
          // End any IME composition the page thinks is running, so it does not swallow the change.
          input.dispatchEvent(new CompositionEvent("compositionend", { bubbles: true, data: "" }));
          setNativeValue(input, value);
          input.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText", data: value }));
          input.dispatchEvent(new Event("change", { bubbles: true }));
          input.blur(); // pages that ask their server about a value do it when the box loses focus
          return value;
        },
      },
      select: {
        read: (c) => (c.selectedIndex >= 0 && c.value !== "" ? text(c.options[c.selectedIndex]) : ""),
        async set(c, synonyms) {
          const texts = [...c.options].map((o) => o.textContent);
          const i = matchOption(texts, synonyms);
          if (i < 0) return { missing: texts };
          setNativeValue(c, c.options[i].value);
          c.dispatchEvent(new Event("change", { bubbles: true }));
          return texts[i].trim();
        },
      },
      dropdown: {
        read: (c) => text(c.querySelector(".next-select-values, [class*='select-value'], [class*='selection-item']")),
        async set(c, synonyms) {
          const existing = new Set(document.querySelectorAll(POPUP_OPTIONS));
          const trigger = c.querySelector(".next-select-trigger, .next-select-inner, [role='combobox'], input") || c;
          realClick(trigger);
          let options = [];
          for (let i = 0; i < 40 && !options.length; i++) { // wait for the popup list the page renders
            await sleep(50);
            options = [...document.querySelectorAll(POPUP_OPTIONS)].filter((o) => visible(o) && !o.closest("[data-tousu-host]") && (!existing.has(o) || i > 2));
          }
          if (!options.length) return { missing: [] };
          const texts = options.map((o) => text(o));
          const i = matchOption(texts, synonyms);
          if (i < 0) { realClick(trigger); document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true })); return { missing: texts }; }
          realClick(options[i]);
          return texts[i];
        },
      },
      // Alibaba's dropdown: the options sit in the DOM while it is closed; .selected-wrap
      // (or i.arrow-down) opens it, an .options-item picks.
      modselect: {
        read: (c) => {
          const wrap = c.querySelector(".selected-wrap");
          const v = wrap && wrap.querySelector(".selected-text:not(.placeholder), .selected-value");
          return v ? text(v) : wrap && !wrap.querySelector(".placeholder") ? text(wrap) : "";
        },
        async set(c, synonyms) {
          const items = [...c.querySelectorAll(".options-item")];
          const texts = items.map((o) => text(o));
          const i = matchOption(texts, synonyms);
          if (i < 0) return { missing: texts };
          realClick(c.querySelector(".selected-wrap, i.arrow-down") || c);
          await until(() => visible(items[i]), 1500, 50);
          realClick(items[i]);
          return texts[i];
        },
      },
      radio: {
        read: (c) => {
          const on = [...c.querySelectorAll("label, .next-radio-wrapper, [role='radio']")]
            .find((x) => { const r = x.querySelector("input[type=radio]"); return r ? r.checked : x.getAttribute("aria-checked") === "true"; });
          return on ? text(on) : "";
        },
        async set(c, synonyms) {
          const choices = [...c.querySelectorAll("label, .next-radio-wrapper, [role='radio']")].filter((x) => x.querySelector("input[type=radio]") || x.getAttribute("role") === "radio");
          const texts = choices.map((x) => text(x));
          const i = matchOption(texts, synonyms);
          if (i < 0) return { missing: texts };
          if (isSubmit(choices[i])) return { missing: texts };
          (choices[i].querySelector("input[type=radio]") || choices[i]).click();
          return texts[i];
        },
      },
    };

    // Set a control and wait until the page shows the value (its server round trip and
    // redraw included), at most `ms`. `value`: the text (text boxes) or the option's words.
    async function fill(kind, control, value, shown, ms = 5000) {
      const d = drivers[kind];
      const before = d.read(control);
      const chosen = await d.set(control, value);
      if (chosen && chosen.missing) return { before, missing: chosen.missing };
      // the page may redraw the control itself: find it again by the same means
      const after = await until(() => { const v = d.read(shown()); return v && norm(v) === norm(chosen) ? v : null; }, ms);
      return { before, chosen, shows: after || d.read(shown()) };
    }

    // Put a control back to what it showed before; false when the page offers no way to
    // empty it (a dropdown that had no choice).
    async function restore(kind, control, before, shown) {
      const d = drivers[kind];
      if (norm(d.read(control)) === norm(before)) return true;
      if (!before && kind !== "text") return false;
      const r = await fill(kind, control, kind === "text" ? before : [before], shown);
      return !r.missing;
    }

    return { drivers, fill, restore, until, realClick, isSubmit };
  }

  Tousu.formWidgets = { make, until, matchOption };
})();
