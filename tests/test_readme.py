"""The README tells the truth: its examples run as written (twice), its command table
lists every command and option there is, and its apt line is what CI installs."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mdt_app.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BASH_BLOCK = re.compile(r"^```bash\n(.*?)^```", re.MULTILINE | re.DOTALL)
# A line that opens the window: mdt-app with no command, only --demo / --db PATH.
OPENS_WINDOW = re.compile(r"mdt-app(\s+(--demo|--db\s+\S+))*\s*$", re.MULTILINE)
# Not copied into the example folder: build output, databases, virtual environments.
NOT_COPIED = {".git", ".venv", ".venv-build", "build", "dist", "out"}


def bash_blocks() -> list[str]:
    return BASH_BLOCK.findall(README)


def kind(block: str) -> str:
    if "python3 -m venv .venv" in block:
        return "set-up"  # the README's two set-up commands, run before everything else
    if "apt-get install" in block:
        return "system packages"  # needs root; checked against .ci/run below
    if OPENS_WINDOW.search(block):
        return "window"
    return "example"


EXAMPLES = [b for b in bash_blocks() if kind(b) == "example"]


def test_the_readme_has_its_set_up_commands_and_examples():
    kinds = [kind(b) for b in bash_blocks()]
    assert kinds.count("set-up") == 2
    assert len(EXAMPLES) >= 3


@pytest.fixture
def checkout(tmp_path) -> Path:
    """A folder that looks like the repository (its files linked, not copied), so the
    examples' relative paths work and everything they write lands in tmp_path."""
    folder = tmp_path / "checkout"
    folder.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in NOT_COPIED and entry.suffix != ".db":
            (folder / entry.name).symlink_to(entry)
    return folder


def as_installed(block: str) -> str:
    """The block with `.venv/bin/` pointing at the venv running these tests."""
    bin_dir = Path(sys.executable).parent
    if not (bin_dir / "mdt-app").exists() and not (bin_dir / "mdt-app.exe").exists():
        pytest.fail(f"mdt-app is not installed beside {sys.executable}: pip install -e .")
    return block.replace(".venv/bin/", f"{bin_dir}{os.sep}")


@pytest.mark.skipif(shutil.which("bash") is None, reason="the README's examples are bash")
def test_every_example_block_runs_as_written_and_again(checkout, tmp_path):
    """In README order, as a reader would type them after the set-up commands."""
    real = tmp_path / "real" / "mdt.db"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "MDT_APP_DB": str(real),  # the user's real database: no example may touch it
        "LANG": "C.UTF-8",
    }
    for attempt in ("first", "second"):
        for block in EXAMPLES:
            done = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", as_installed(block)],
                cwd=checkout,
                env=env,
                capture_output=True,
                text=True,
                timeout=240,
            )
            assert done.returncode == 0, f"{attempt} run of:\n{block}\n{done.stderr}"
    assert not real.exists(), "an example wrote to the real database"
    assert (checkout / "out" / "minutes.docx").is_file()


def _commands(
    parser: argparse.ArgumentParser, path: str = ""
) -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(path, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _commands(sub, f"{path} {name}".strip())
    return found


def _table_rows() -> list[str]:
    return [line for line in README.splitlines() if line.startswith("| `mdt-app")]


def _first_cell(row: str) -> str:
    return row.split(" | ")[0]


def test_the_command_table_lists_every_command_and_option():
    rows = _table_rows()
    missing: list[str] = []
    for path, parser in _commands(build_parser()):
        has_subcommands = any(isinstance(a, argparse._SubParsersAction) for a in parser._actions)
        if path and has_subcommands:
            continue  # e.g. `guideline`: its actions have the rows
        mine = [r for r in rows if re.search(rf"`mdt-app {re.escape(path)}\b", _first_cell(r))]
        if path == "":
            mine = rows  # the global options may appear on any row
        if not mine:
            missing.append(f"no row for `mdt-app {path}`")
            continue
        text = " ".join(mine)
        for action in parser._actions:
            options = action.option_strings
            if not options or "--help" in options or "--db" in options:
                continue  # --db and --help are described once, above the table
            if options[0] in ("--as", "--password-file", "--passphrase-file"):
                continue  # like --db: on every command, described once above the table
            if not any(re.search(rf"(?<![\w-]){re.escape(o)}\b", text) for o in options):
                missing.append(f"`mdt-app {path}`: {options[0]}")
    assert not missing, "README command table lacks:\n" + "\n".join(missing)


def _ci_packages() -> set[str]:
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    array = text.split("SYSTEM_PACKAGES=(", 1)[1].split("\n)", 1)[0]
    return {w for line in array.splitlines() for w in line.split("#", 1)[0].split()}


def _readme_packages() -> set[str]:
    [block] = [b for b in bash_blocks() if kind(b) == "system packages"]
    return set(block.split("apt-get install", 1)[1].split())


def test_ci_installs_everything_the_readme_asks_for():
    assert _readme_packages() <= _ci_packages()


def test_the_development_guide_installs_what_the_readme_lists():
    text = (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if "apt-get install -y" in line]
    assert lines, "docs/development.md has no apt line for a bare root"
    guide = set(lines[0].split("--no-install-recommends", 1)[1].split())
    assert guide == _readme_packages()


def test_the_server_for_the_team_database_tests_is_installed_everywhere():
    """The suite runs the store on PostgreSQL whenever its binaries are installed."""
    assert "postgresql" in _readme_packages() and "postgresql" in _ci_packages()
    assert "MDT_TEST_REQUIRE_POSTGRESQL=1" in (ROOT / ".ci" / "run").read_text()


def test_the_apt_line_holds_what_a_bare_machine_lacks():
    needed = {
        "python3-venv",
        "ca-certificates",
        "libglib2.0-0",
        "libxcb-cursor0",
        "libxkbcommon-x11-0",
        "libxcb-icccm4",
        "libxcb-image0",
        "libxcb-keysyms1",
        "libxcb-render-util0",
        "libxcb-shape0",
        "libxcb-randr0",
    }
    assert needed <= _readme_packages()
    assert needed <= _ci_packages()


def test_ci_script_is_valid_bash():
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash here")
    for script in (
        ROOT / ".ci" / "run",
        ROOT / ".ci" / "minimal-root-check",
        ROOT / "packaging" / "smoke.sh",
    ):
        done = subprocess.run([bash, "-n", str(script)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr


def test_the_fresh_machine_check_uses_the_readme_apt_line():
    page = (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    [line] = [x for x in page.splitlines() if x.startswith("apt-get install -y ")]
    words = line.split()[2:]
    assert set(w for w in words if not w.startswith("-")) == _readme_packages()
