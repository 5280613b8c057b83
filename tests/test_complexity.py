"""The complexity limit (radon, 15 per function) holds for src/, and the check can fail."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("complexity", ROOT / "scripts" / "complexity.py")
assert spec is not None and spec.loader is not None
complexity = importlib.util.module_from_spec(spec)
spec.loader.exec_module(complexity)


def test_src_within_the_limit():
    assert complexity.problems(complexity.blocks(ROOT / "src")) == []


def test_a_new_complex_function_fails(tmp_path):
    pkg = tmp_path / "src"
    pkg.mkdir()
    body = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(16))
    (pkg / "m.py").write_text(f"def f(x):\n{body}    return -1\n")
    (bad,) = complexity.problems(complexity.blocks(pkg))
    assert "src/m.py:1 f: complexity 17 is above the limit (15 allowed)" == bad
