"""The manifest's content scripts agree with the translators: the pages each entry runs on
are exactly the pages the translators it loads say they read, and every translator is
loaded where it is needed. When Taobao moves a page, the translator's `matches` change
and this test names the manifest lines that must follow."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.e2e.conftest import EXTENSION

SITES = EXTENSION / "sites"
DUMP = """
const fs = require("node:fs"), path = require("node:path");
const dir = process.argv[1];
for (const f of ["registry.js", "fields.js"]) (0, eval)(fs.readFileSync(path.join(dir, f), "utf8"));
const files = fs.readdirSync(dir).filter((f) => f.endsWith(".js") && !["registry.js", "fields.js"].includes(f)).sort();
const out = [];
for (const f of files) {
  const before = globalThis.TousuSites.all.length;
  (0, eval)(fs.readFileSync(path.join(dir, f), "utf8"));
  const added = globalThis.TousuSites.all.slice(before);
  for (const t of added) out.push({ file: "sites/" + f, id: t.id, kind: t.kind, matches: t.matches, excludes: t.excludes,
    responses: t.responses.map(String), tests: t.tests.length });
  if (added.length !== 1) out.push({ file: "sites/" + f, error: `registers ${added.length} translators` });
}
console.log(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def translators() -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (scripts/setup --test installs it)")
    done = subprocess.run([node, "-e", DUMP, str(SITES)], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def entries() -> dict[str, dict]:
    """The manifest's content-script entries by role: the response hook, order pages, forms."""
    scripts = json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8"))["content_scripts"]
    return {
        "hook": next(e for e in scripts if e.get("world") == "MAIN"),
        "orders": next(e for e in scripts if "content/orders.js" in e["js"]),
        "forms": next(e for e in scripts if "content/prefill.js" in e["js"]),
        "snapshots": next(e for e in scripts if "content/trade_snapshot.js" in e["js"]),
    }


def union(ts: list[dict], key: str) -> list[str]:
    return sorted({m for t in ts for m in t[key]})


def test_one_translator_per_file_each_with_recorded_pages(translators) -> None:  # noqa: ANN001
    assert not [t for t in translators if "error" in t]
    for t in translators:
        assert t["file"] == f"sites/{t['id']}.js" and t["tests"] > 0, t


def test_manifest_runs_each_entry_where_its_translators_read(translators) -> None:  # noqa: ANN001
    e = entries()
    readers = [t for t in translators if t["responses"]]
    pages = [t for t in translators if t["kind"] in ("list", "detail")]
    forms = [t for t in translators if t["kind"] == "form"]
    snapshots = [t for t in translators if t["kind"] == "snapshot"]
    # the hook runs where some translator reads a response, and loads exactly those translators
    assert sorted(e["hook"]["matches"]) == union(readers, "matches")
    assert e["hook"]["js"] == ["sites/registry.js", *[t["file"] for t in readers], "content/hook.js"]
    assert sorted(e["orders"]["matches"]) == union(pages, "matches")
    assert sorted(e["orders"].get("exclude_matches", [])) == union(pages, "excludes")
    assert sorted(e["forms"]["matches"]) == union(forms, "matches")
    assert sorted(e["snapshots"]["matches"]) == union(snapshots, "matches")
    # the 交易快照 pages the order pages leave out are the snapshot pages
    assert union(pages, "excludes") == sorted(m.rstrip("*") + "*" for m in union(snapshots, "matches"))
    for entry, ts in ((e["orders"], pages), (e["forms"], forms), (e["snapshots"], snapshots)):
        js = entry["js"]
        assert js[:2] == ["sites/registry.js", "sites/fields.js"]
        assert js[2:2 + len(ts)] == [t["file"] for t in ts], "translators load before the code that uses them"


def test_every_listed_script_exists() -> None:
    for entry in entries().values():
        for f in entry["js"]:
            assert (EXTENSION / f).is_file(), f
