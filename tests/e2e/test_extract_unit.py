"""The content scripts' pure helpers (exact-id JSON, literal unescape, times, money,
legacy mapping) checked under Node, without a browser."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def test_extract_helpers_under_node() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (scripts/setup --test installs it)")
    script = Path(__file__).with_name("extract_unit.js")
    result = subprocess.run([node, str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "ok" in result.stdout
