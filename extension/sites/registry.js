// The translators' registry: what the extension knows about each generation of a Taobao
// page lives in one file under sites/ (like Zotero's translators), and that file
// registers itself here. Content scripts are classic scripts (MV3 cannot load modules
// into a page), so the registry is a shared global, loaded before the translators and
// the code that uses them. The same files load in the page's MAIN world (the response
// hook needs their URL patterns before the page's first request) and under Node (tests).
// A global property (not a `var`) so the MAIN-world hook can remove it again once it has
// read the patterns: the page should find no trace of the extension.
globalThis.TousuSites = globalThis.TousuSites || (() => {
  const KINDS = ["list", "detail", "form", "snapshot"];
  const translators = [];

  // A Chrome match pattern ("https://trade.taobao.com/trade/detail/*") as a RegExp, so
  // the translator's own `matches` decide both the manifest and the runtime check.
  function matchPatternToRegExp(pattern) {
    const m = /^(https?|\*):\/\/([^/]+)(\/.*)$/.exec(pattern);
    if (!m) throw new Error(`not a match pattern: ${pattern}`);
    const esc = (s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    const scheme = m[1] === "*" ? "https?" : m[1];
    const host = m[2].startsWith("*.") ? `([\\w-]+\\.)*${esc(m[2].slice(2))}` : esc(m[2]);
    const path = m[3].split("*").map(esc).join(".*");
    return new RegExp(`^${scheme}://${host}${path}$`);
  }

  function register(t) {
    if (!t || typeof t.id !== "string" || !KINDS.includes(t.kind) || !Array.isArray(t.matches) || !t.matches.length) {
      throw new Error(`translator ${t && t.id} needs an id, a kind (${KINDS.join("/")}) and match patterns`);
    }
    if (translators.some((x) => x.id === t.id)) return translators.find((x) => x.id === t.id);
    const urls = t.matches.map(matchPatternToRegExp);
    const not = (t.excludes || []).map(matchPatternToRegExp);
    const coversUrl = (url) => {
      const u = String(url).split("#")[0];
      return urls.some((re) => re.test(u)) && !not.some((re) => re.test(u));
    };
    const entry = Object.freeze({ blobs: [], responses: [], excludes: [], tests: [], ...t, coversUrl });
    translators.push(entry);
    return entry;
  }

  return {
    register,
    matchPatternToRegExp,
    get all() { return translators.slice(); },
    get: (id) => translators.find((t) => t.id === id) || null,
    // Every translator whose pages include this URL (a list URL serves two generations).
    forUrl: (url, kinds = KINDS) => translators.filter((t) => kinds.includes(t.kind) && t.coversUrl(url)),
    // The responses the page at `url` may receive that some translator reads.
    responsePatterns: (url) => translators.filter((t) => t.kind !== "form" && t.coversUrl(url)).flatMap((t) => t.responses),
  };
})();
