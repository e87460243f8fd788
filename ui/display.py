"""Can a window open here? Checked before Qt is touched, so the user gets one clear line.

Without a display (ssh without X forwarding, a server, a container) or with an X11
library missing, Qt prints a misleading message and aborts the process (SIGABRT, exit
134). ``display_problem()`` finds those cases first and says what is missing and how to
fix it. This module imports no Qt: it must work where Qt itself cannot load.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import socket
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

# Qt platforms that need no display server at all.
HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "minimalegl", "vnc", "eglfs", "linuxfb"})

# Shared library -> the Debian/Ubuntu package that provides it (for the fix in the message).
DEBIAN_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}

_MISSING_LIBRARY = re.compile(r"(\S+\.so[.\d]*): cannot open shared object file")


def display_problem(
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    load: Callable[[str], object] | None = None,
) -> str | None:
    """Why a window cannot open here, as one line with the fix; None when it should open.

    Only Linux and the other X11/Wayland systems are checked: Windows and macOS always
    have their own platform plugin."""
    env = os.environ if environ is None else environ
    system = sys.platform if platform is None else platform
    if system.startswith(("win", "cygwin", "darwin")):
        return None
    wanted = [p.strip() for p in env.get("QT_QPA_PLATFORM", "").split(";") if p.strip()]
    if not wanted:
        # Qt's own default on Linux: Wayland in a Wayland session, else X11.
        wanted = ["wayland", "xcb"] if env.get("WAYLAND_DISPLAY") else ["xcb"]
    problems: list[str] = []
    for name in wanted:
        base = name.split(":", 1)[0]  # "offscreen:fontengine=freetype" and the like
        if base in HEADLESS_PLATFORMS:
            return None
        if base == "wayland":
            problem = _wayland_problem(env)
        elif base == "xcb":
            problem = _x11_problem(env, load or _load_library)
        else:
            return None  # a platform we do not know: let Qt judge it
        if problem is None:
            return None
        problems.append(problem)
    return "; ".join(dict.fromkeys(problems))  # every platform asked for, and why not


def _wayland_problem(env: Mapping[str, str]) -> str | None:
    if env.get("WAYLAND_DISPLAY"):
        return None
    return _NO_DISPLAY


_NO_DISPLAY = (
    "no display (DISPLAY and WAYLAND_DISPLAY are not set): run it in a desktop session "
    "or over `ssh -X`, or set QT_QPA_PLATFORM=offscreen; the other commands work without one"
)


def _x11_problem(env: Mapping[str, str], load: Callable[[str], object]) -> str | None:
    display = env.get("DISPLAY", "")
    if not display:
        return _NO_DISPLAY
    error = xcb_load_error(load)
    if error:
        found = _MISSING_LIBRARY.search(error)
        if not found:
            return f"Qt's X11 plugin cannot be loaded ({error}): reinstall MDT Assistant"
        missing = found.group(1)
        package = DEBIAN_PACKAGES.get(missing)
        fix = (
            f"install it (Debian/Ubuntu: `sudo apt-get install {package}`; "
            "the README lists every library the desktop needs)"
            if package
            else "install the package that provides it (the README lists the libraries)"
        )
        return f"the library {missing} that Qt needs to open a window is missing: {fix}"
    if not x_server_reachable(display):
        return (
            f"cannot reach the X display {display!r} (DISPLAY): check that the desktop "
            "session or the ssh X forwarding is still running, or set "
            "QT_QPA_PLATFORM=offscreen for a window nobody sees"
        )
    return None


def xcb_plugin() -> Path | None:
    """Qt's X11 platform plugin inside the installed (or frozen) PySide6, if found."""
    try:
        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        return None
    for location in (spec.submodule_search_locations or []) if spec else []:
        for sub in ("Qt/plugins/platforms", "plugins/platforms"):
            plugin = Path(location, sub, "libqxcb.so")
            if plugin.is_file():
                return plugin
    return None


def xcb_load_error(load: Callable[[str], object] | None = None) -> str | None:
    """Why Qt's X11 plugin cannot be loaded (the dynamic loader's message), else None.

    Loads the plugin the way Qt will (its own Qt libraries come from beside it), so a
    missing system library is named exactly as the loader misses it."""
    plugin = xcb_plugin()
    if plugin is None:
        return None  # not a PySide6 layout we know: let Qt report for itself
    try:
        (load or _load_library)(str(plugin))
    except OSError as exc:
        return _loader_message(exc)
    return None


def _loader_message(exc: BaseException) -> str:
    """The dynamic loader's own words. In a frozen bundle PyInstaller's ctypes wrapper
    raises its own "Failed to load dynlib" error from the loader's, so look down the chain."""
    messages: list[str] = []
    seen: BaseException | None = exc
    while seen is not None and len(messages) < 5:
        messages.append(str(seen))
        seen = seen.__cause__ or seen.__context__
    return next((m for m in messages if _MISSING_LIBRARY.search(m)), messages[-1])


def _load_library(path: str) -> object:
    return ctypes.CDLL(path)


def x_server_reachable(display: str, timeout: float = 2.0) -> bool:
    """Whether something listens where DISPLAY points (True when the form is unknown)."""
    found = re.fullmatch(r"(?P<host>[^:/]*):(?P<number>\d+)(\.\d+)?", display)
    if not found:
        return True  # e.g. a launchd path: not ours to judge
    host, number = found["host"], int(found["number"])
    if host in ("", "unix"):
        path = f"/tmp/.X11-unix/X{number}"
        addresses: list[tuple[int, object]] = [(socket.AF_UNIX, path)]
        if sys.platform.startswith("linux"):
            addresses.append((socket.AF_UNIX, "\0" + path))  # the abstract socket
    else:
        addresses = [(socket.AF_INET, (host, 6000 + number))]
    for family, address in addresses:
        try:
            if family == socket.AF_INET:
                socket.create_connection(address, timeout=timeout).close()  # type: ignore[arg-type]
            else:
                with socket.socket(family, socket.SOCK_STREAM) as sock:
                    sock.settimeout(timeout)
                    sock.connect(address)  # type: ignore[arg-type]
            return True
        except OSError:
            continue
    return False


def import_problem(error: BaseException) -> str:
    """One line for Qt failing to import (a system library missing), with the fix."""
    text = str(error)
    found = _MISSING_LIBRARY.search(text)
    if not found:
        return f"the desktop app cannot start: {text}"
    missing = found.group(1)
    package = DEBIAN_PACKAGES.get(missing)
    fix = f"Debian/Ubuntu: `sudo apt-get install {package}`; " if package else ""
    return (
        f"the desktop app cannot start: the system library {missing} is missing "
        f"({fix}the README lists every library Qt needs)"
    )
