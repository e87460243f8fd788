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


def test_no_module_of_mdt_app_imports_qt_or_ui():
    offenders = [
        f"{path.relative_to(CORE.parent)}: imports {name}"
        for path in sorted(CORE.rglob("*.py"))
        for name in _imports(path)
        if name.split(".")[0] in FORBIDDEN
    ]
    assert offenders == []


def test_the_entry_point_imports_the_window_only_when_it_opens_it():
    """`mdt-app` is ui.launch: Qt and the window load inside `open_window` only, so that
    every command runs without them."""
    tree = ast.parse((CORE.parent / "ui" / "launch.py").read_text(encoding="utf-8"))
    top_level = {n.module for n in tree.body if isinstance(n, ast.ImportFrom) and n.module} | {
        a.name for n in tree.body if isinstance(n, ast.Import) for a in n.names
    }
    assert not {m for m in top_level if m.split(".")[0] in ("ui", "PySide6")}
    body = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "open_window")
    inside = {n.module for n in ast.walk(body) if isinstance(n, ast.ImportFrom)}
    assert {"ui", "ui.app"} <= inside


def test_the_command_line_without_qt_runs_commands_and_names_the_window_entry():
    import subprocess
    import sys

    blocked = (
        "import sys; sys.modules['PySide6'] = None; sys.modules['ui'] = None\n"
        "from mdt_app.cli import main\n"
        "raise SystemExit(main(sys.argv[1:]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", blocked, "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.strip()
    done = subprocess.run([sys.executable, "-c", blocked], capture_output=True, text=True)
    assert done.returncode != 0
    assert done.stderr.count("\n") == 1 and "opens the desktop app" in done.stderr


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
