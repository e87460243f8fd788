"""mdt_app is the product without a window: it must never import PySide6 or ui."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import mdt_app

CORE = Path(mdt_app.__file__).parent
FORBIDDEN = ("PySide6", "ui", "shiboken6")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


# The one hand-over from the core to the window: `mdt-app` without a command opens it,
# importing the window inside that function only (so the CLI itself loads without Qt).
HAND_OVER = ("cli.py", "_open_window", {"ui", "ui.app"})


def test_no_module_of_mdt_app_imports_qt_or_ui():
    offenders = [
        f"{path.relative_to(CORE.parent)}: imports {name}"
        for path in sorted(CORE.rglob("*.py"))
        for name in _imports(path)
        if name.split(".")[0] in FORBIDDEN
        and not (path == CORE / HAND_OVER[0] and name in HAND_OVER[2])
    ]
    assert offenders == []


def test_the_window_is_imported_only_inside_the_cli_hand_over():
    """The hand-over's imports of ui sit in its function, none at module level."""
    file, function, names = HAND_OVER
    tree = ast.parse((CORE / file).read_text(encoding="utf-8"))
    top_level = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert not [n for n in top_level if isinstance(n, ast.ImportFrom) and n.module in names]
    body = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function)
    inside = {n.module for n in ast.walk(body) if isinstance(n, ast.ImportFrom)}
    assert names <= inside


def test_every_core_module_imports_with_qt_unavailable():
    """Load every mdt_app module in a fresh interpreter where PySide6 and ui cannot be found."""
    modules = sorted(
        ".".join(p.relative_to(CORE.parent).with_suffix("").parts).removesuffix(".__init__")
        for p in CORE.rglob("*.py")
        if p.name != "__main__.py"
    )
    script = (
        "import sys, importlib\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        f"        if name.split('.')[0] in {FORBIDDEN!r}:\n"
        "            raise ImportError('blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "print('ok', len(sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok")
