"""Resources reach the app from a wheel, an editable install and a frozen bundle alike."""

from __future__ import annotations

import configparser
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mdt_app import paths

ROOT = Path(__file__).resolve().parent.parent


def test_resource_path_finds_the_shipped_files():
    for parts in (
        ("guidelines", "atc.yaml"),
        ("fonts", "DejaVuSans.ttf"),
        ("icons", "mdt-assistant.png"),
    ):
        assert paths.resource_path(*parts).is_file(), parts


def test_frozen_bundle_location_wins(tmp_path, monkeypatch):
    (tmp_path / "resources" / "guidelines").mkdir(parents=True)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == tmp_path / "resources"


def test_database_location_order(tmp_path, monkeypatch):
    monkeypatch.setenv("MDT_APP_DB", str(tmp_path / "env.db"))
    assert paths.database_path("/x/cli.db") == Path("/x/cli.db")
    assert paths.database_path(None) == tmp_path / "env.db"
    monkeypatch.delenv("MDT_APP_DB")
    assert paths.database_path(None).name == "mdt.db"
    assert not paths.database_path(None).parent.exists()  # nothing created by asking


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.fail("building the wheel failed:\n" + done.stderr[-2000:])
    return next(out.glob("*.whl"))


def test_wheel_ships_resources_and_finds_them(wheel, tmp_path):
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(tmp_path / "site")
    for needed in (
        "mdt_app/_resources/guidelines/atc.yaml",
        "mdt_app/_resources/fonts/DejaVuSans.ttf",
        "ui/__init__.py",
    ):
        assert needed in names
    done = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            "import sys; sys.path.insert(0, '.'); "
            "from mdt_app import paths; print(paths.resources_dir())",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path / "site",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / "site" / "mdt_app" / "_resources")


def test_desktop_entry_is_complete():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(ROOT / "packaging" / "linux" / "mdt-assistant.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"].startswith("mdt-app")
    assert section["Icon"] == "mdt-assistant"
    assert section["Categories"].endswith(";")


def test_pyinstaller_spec_ships_resources():
    spec = (ROOT / "packaging" / "mdt-assistant.spec").read_text(encoding="utf-8")
    compile(spec, "mdt-assistant.spec", "exec")
    assert '(str(ROOT / "resources"), "resources")' in spec
    assert 'collect_submodules("mdt_app")' in spec


def test_spec_has_a_console_cli_beside_the_windowed_app():
    import ast

    spec = ast.parse((ROOT / "packaging" / "mdt-assistant.spec").read_text(encoding="utf-8"))
    exes = {}
    for node in ast.walk(spec):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "EXE":
            kw = {k.arg: k.value for k in node.keywords}
            exes[ast.literal_eval(kw["name"])] = ast.literal_eval(kw["console"])
    # Windows: only a console program prints to the terminal; the shortcuts start the other.
    assert exes == {"mdt-app": True, "mdt-assistant": False}
    iss = (ROOT / "packaging" / "windows" / "mdt-assistant.iss").read_text(encoding="utf-8")
    assert 'Filename: "{app}\\mdt-assistant.exe"' in iss


def test_spec_ships_python_docx_templates_as_files():
    spec = (ROOT / "packaging" / "mdt-assistant.spec").read_text(encoding="utf-8")
    assert 'collect_data_files("docx")' in spec
    assert 'module_collection_mode={"docx": "py"}' in spec
