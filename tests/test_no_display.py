"""No display, no X11 library: `mdt-app` says so in one line and exits 1; commands still work.

Qt itself would abort the process (exit 134) with a message that names neither the cause
nor the fix, so the check runs before Qt loads.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from ui import display

FIXTURES = Path(__file__).parent / "fixtures"
CASE = FIXTURES / "import" / "valid_case.json"
DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the display check is for X11/Wayland systems"
)


def headless_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of an ssh session without X forwarding, data kept under tmp_path."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "MDT_APP_DB": str(tmp_path / "default.db"),
        "LANG": "C.UTF-8",
    }
    env.update(extra)
    return env


def mdt_app(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess:
    """`mdt-app ARGV` as the console script runs it (ui.launch, which hands the core the
    window opener)."""
    return subprocess.run(
        [sys.executable, "-m", "ui.launch", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@linux_only
@pytest.mark.parametrize("argv", [(), ("--demo",), ("--db", "given.db")])
def test_window_without_display_is_one_line_and_exit_1(tmp_path, argv):
    argv = tuple(str(tmp_path / a) if a.endswith(".db") else a for a in argv)
    done = mdt_app(headless_env(tmp_path), *argv)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("mdt-app: error: the desktop app cannot start: no display")
    assert "DISPLAY" in lines[0] and "QT_QPA_PLATFORM=offscreen" in lines[0]
    # Nothing was created or seeded for a window that never opened.
    assert not (tmp_path / "default.db").exists() and not (tmp_path / "given.db").exists()
    assert not (tmp_path / "data").exists()


@linux_only
def test_a_display_nobody_serves_is_one_line_not_an_abort(tmp_path):
    done = mdt_app(headless_env(tmp_path, DISPLAY=":987"), "--db", str(tmp_path / "x.db"))
    assert done.returncode == 1, done.stderr  # Qt alone: 134 (SIGABRT)
    line = done.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    # Either the X11 libraries are missing on this machine, or nothing listens on :987.
    assert "is missing" in line or "cannot reach the X display ':987'" in line, line


@linux_only
def test_commands_work_without_a_display(tmp_path, db_location):
    env = headless_env(tmp_path)
    db = db_location  # a new file, or an empty team database
    assert mdt_app(env, "demo", "--db", db).returncode == 0
    cases = mdt_app(env, "--db", db, "cases", "--json")
    assert cases.returncode == 0 and '"mrn"' in cases.stdout, cases.stderr
    assert mdt_app(env, "recommend", str(CASE), "--json").returncode == 0
    minutes = mdt_app(env, "--db", db, "minutes", "1", "-o", str(tmp_path / "m.pdf"))
    assert minutes.returncode == 0, minutes.stderr
    assert (tmp_path / "m.pdf").stat().st_size > 1000


def refuse(library: str):
    def load(path: str) -> None:
        raise OSError(f"{library}: cannot open shared object file: No such file or directory")

    return load


def loads(path: str) -> None:
    return None


@pytest.mark.skipif(display.xcb_plugin() is None, reason="PySide6 ships no X11 plugin here")
def test_a_missing_xcb_library_is_named_with_its_package():
    problem = display.display_problem(
        {"DISPLAY": ":0"}, platform="linux", load=refuse("libxcb-cursor.so.0")
    )
    assert problem is not None
    assert "libxcb-cursor.so.0" in problem and "apt-get install libxcb-cursor0" in problem


@pytest.mark.skipif(display.xcb_plugin() is None, reason="PySide6 ships no X11 plugin here")
def test_the_loaders_words_are_found_under_a_frozen_bundles_wrapper():
    def frozen_load(path: str) -> None:
        try:
            refuse("libxcb-icccm.so.4")(path)
        except OSError as exc:  # what PyInstaller's ctypes.CDLL does in a frozen bundle
            raise OSError(f"Failed to load dynlib/dll {path!r}. Most likely ...") from exc

    problem = display.display_problem({"DISPLAY": ":0"}, platform="linux", load=frozen_load)
    assert problem is not None and "apt-get install libxcb-icccm4" in problem


@pytest.mark.skipif(display.xcb_plugin() is None, reason="PySide6 ships no X11 plugin here")
def test_an_unknown_missing_library_still_names_the_library():
    problem = display.display_problem(
        {"DISPLAY": ":0"}, platform="linux", load=refuse("libfoo.so.3")
    )
    assert problem is not None and "libfoo.so.3" in problem and "apt-get" not in problem


def test_xcb_plugin_is_found_in_the_installed_pyside6():
    if sys.platform.startswith("linux"):
        plugin = display.xcb_plugin()
        assert plugin is not None and plugin.name == "libqxcb.so"


@pytest.mark.parametrize(
    "env",
    [
        {"QT_QPA_PLATFORM": "offscreen"},
        {"QT_QPA_PLATFORM": "offscreen:fontengine=freetype"},
        {"QT_QPA_PLATFORM": "wayland;offscreen"},
        {"WAYLAND_DISPLAY": "wayland-0"},
        {"QT_QPA_PLATFORM": "wayland", "WAYLAND_DISPLAY": "wayland-0"},
        {"QT_QPA_PLATFORM": "somethingnew"},
    ],
)
def test_platforms_that_need_no_check(env):
    assert display.display_problem(env, platform="linux", load=refuse("libxcb.so.1")) is None


@pytest.mark.parametrize("system", ["win32", "darwin"])
def test_windows_and_macos_are_never_refused(system):
    assert display.display_problem({}, platform=system) is None


def test_wayland_asked_for_without_a_compositor():
    problem = display.display_problem({"QT_QPA_PLATFORM": "wayland"}, platform="linux")
    assert problem is not None and "WAYLAND_DISPLAY" in problem


def test_a_reachable_x_server_over_tcp_passes():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        if port <= 6000:
            pytest.skip("the system gave a port below the X11 range")
        env = {"DISPLAY": f"127.0.0.1:{port - 6000}.0"}
        assert display.display_problem(env, platform="linux", load=loads) is None


def test_an_unreachable_x_server_is_named():
    problem = display.display_problem({"DISPLAY": ":987"}, platform="linux", load=loads)
    assert problem is not None and "':987'" in problem and "offscreen" in problem


def test_unknown_display_forms_are_left_to_qt():
    assert display.x_server_reachable("/private/tmp/com.apple.launchd.x/org.xquartz:0")


def test_a_missing_qt_library_at_import_names_the_package():
    error = ImportError("libglib-2.0.so.0: cannot open shared object file: No such file")
    line = display.import_problem(error)
    assert "libglib-2.0.so.0" in line and "apt-get install libglib2.0-0" in line
    assert display.import_problem(ImportError("No module named 'PySide6'")).endswith(
        "No module named 'PySide6'"
    )
