"""store/ can be used without a terminal: it imports neither Textual, Rich nor tui."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STORE = sorted((ROOT / "store").rglob("*.py"))
FORBIDDEN = {"textual", "rich", "tui"}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every absolute module an import statement names, with its line (any nesting)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id == "__import__" and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.append((node.lineno, node.args[0].value))
    return found


def test_the_walk_sees_imports():
    assert len(STORE) >= 8
    names = {m for p in STORE for _, m in imported_modules(p)}
    assert {"tomllib", "tomli_w", "secrets"} <= names


@pytest.mark.parametrize("path", STORE, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_store_module_imports_no_terminal_library(path):
    bad = [f"{path.name}:{line}: {m}" for line, m in imported_modules(path)
           if m.split(".")[0] in FORBIDDEN]
    assert bad == []


def test_importing_store_loads_no_terminal_library():
    code = (
        "import importlib, pathlib; "
        "[importlib.import_module('.'.join(p.with_suffix('').parts).removesuffix('.__init__')) "
        " for p in pathlib.Path('store').rglob('*.py')]; "
        "import sys; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'tui')); "
        "assert not bad, bad"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
