"""The house rules the code can check: no import cycles in helper/, and no SQLite on the event loop.

A cycle is counted on explicit imports, lazy (function-level) ones included — a lazy
import is still a dependency, only hidden — but not `if TYPE_CHECKING:` imports, and not
the implicit import of a parent package.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import helper

ROOT = Path(helper.__file__).parent


def _modules() -> dict[str, Path]:
    found = {"helper": ROOT / "__init__.py"}
    for info in pkgutil.walk_packages([str(ROOT)], prefix="helper."):
        spec = importlib.util.find_spec(info.name)
        assert spec is not None and spec.origin is not None
        found[info.name] = Path(spec.origin)
    return found


def _type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    skipped = {id(n) for block in ast.walk(tree) if _type_checking_block(block) for n in ast.walk(block)}
    targets: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            targets.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                targets.add(sub if sub in modules else base)
    return {t for t in targets if t in modules and t != name}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_helper_has_no_import_cycles() -> None:
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    assert len(graph) > 40, "the walk found too few modules to mean anything"
    assert _cycles(graph) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    """The checker itself: a planted two-module cycle is reported."""
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]


def test_every_module_imports() -> None:
    for name in _modules():
        if name != "helper.__main__":  # runs the CLI when imported
            importlib.import_module(name)


async def test_sqlite_on_the_event_loop_raises(tmp_path: Path) -> None:
    """The store's debug check: a connection used on the loop's thread is refused, so a
    handler that forgot to await a repository fails every test that reaches it."""
    from helper.store import Store

    store = Store(tmp_path)
    try:
        assert await store.cases.count() == 0  # the awaited way works
        with pytest.raises(RuntimeError, match="event loop"):
            store.db._read_sync(lambda conn: conn.execute("SELECT 1"))
        with pytest.raises(RuntimeError, match="event loop"):
            store.db._commit_pending()
    finally:
        store.close()
