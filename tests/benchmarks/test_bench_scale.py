"""Costs that follow the meeting, not the database: the archive-scale targets.

Builds a demo database and the same demo with a 100,000-case archive
(`mdt-app demo --archive`), then times each command on both, side by side in this run,
and prints one table: figure, target, ratio. The app's modules are byte-compiled first,
as installed. Nothing is asserted on time: run with

    .venv/bin/python -m pytest tests/benchmarks -m benchmark -s

ARCHIVE_CASES (environment) shrinks the archive for a quick look. BENCH_BEFORE=DIR (a
checkout of an earlier commit, e.g. `git archive main | tar -x -C DIR`) measures that
code too, figure by figure interleaved with this one, and the table gets a "before"
column: before and after side by side in one run, on the same databases.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

ARCHIVE = int(os.environ.get("ARCHIVE_CASES", "100000"))
BIG = f"{ARCHIVE // 1000}k" if ARCHIVE >= 1000 else str(ARCHIVE)
ROUNDS = 5
ROOT = Path(__file__).resolve().parents[2]
BEFORE = os.environ.get("BENCH_BEFORE")
TREES = [("now", ROOT)] + ([("before", Path(BEFORE).resolve())] if BEFORE else [])

pytestmark = pytest.mark.benchmark

# figure -> target, {tree: (measured, ratio)}
_ROWS: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {}


def _env(tree: Path, env: dict | None = None) -> dict:
    """The environment that runs ``tree``'s code (its folder first on the import path)."""
    return {**(env or os.environ), "PYTHONPATH": str(tree)}


def _run(args: list[str], env: dict | None = None, tree: Path = ROOT) -> tuple[float, int]:
    """Wall time (s) and peak memory (KiB) of one command, measured on that child alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        args, cwd=tree, env=_env(tree, env), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    assert proc.returncode == 0, f"{args}: {err}"
    return elapsed, usage.ru_maxrss


def _median(args: list[str], env: dict | None = None, tree: Path = ROOT) -> tuple[float, int]:
    runs = [_run(args, env, tree) for _ in range(ROUNDS)]
    return statistics.median(t for t, _ in runs), max(m for _, m in runs)


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "mdt_app", *args]


def _row(figure: str, measured: str, target: str, ratio: str, tree: str = "now") -> None:
    _ROWS.setdefault(figure, (target, {}))[1][tree] = (measured, ratio)


@pytest.fixture(scope="module", autouse=True)
def _compiled() -> None:
    """Bytecode for the app's own modules, as an installed app (wheel or bundle) has
    it: an editable checkout run with PYTHONDONTWRITEBYTECODE would otherwise compile
    every module on every start, and time the compiler rather than the app."""
    import compileall

    for _, tree in TREES:
        for package in ("mdt_app", "ui"):
            compileall.compile_dir(str(tree / package), quiet=1)


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scale")
    demo, big = folder / "demo.db", folder / "archive.db"
    _run(_cli("demo", "--db", str(demo)))
    for name, tree in reversed(TREES):  # "now" last: its archive is the one measured on
        big.unlink(missing_ok=True)
        start = time.perf_counter()
        _run(_cli("demo", "--db", str(big), "--archive", str(ARCHIVE)), tree=tree)
        built = time.perf_counter() - start
        _row(f"build demo + {ARCHIVE:,}-case archive", f"{built:.1f} s", "< 120 s", "", name)
    return demo, big


@pytest.fixture(scope="module")
def signed_case(databases):
    from mdt_app.store import open_store

    with open_store(databases[0]) as store:
        return next(r.id for r in store.list_cases(2) if r.decision_status == "signed")


def _side_by_side(label: str, databases, args_for, tmp_path) -> None:
    demo, big = databases
    for name, tree in TREES:
        for db in databases:  # one unmeasured run each: the first open after building settles
            _run(_cli("--db", str(db), *args_for(tmp_path / "warm")), tree=tree)
        small_t, small_m = _median(_cli("--db", str(demo), *args_for(tmp_path / "demo")),
                                   tree=tree)  # fmt: skip
        big_t, big_m = _median(_cli("--db", str(big), *args_for(tmp_path / "big")), tree=tree)
        _row(f"{label}: {BIG} vs demo", f"{big_t * 1000:.0f} / {small_t * 1000:.0f} ms",
             "<= 1.2x", f"{big_t / small_t:.2f}x", name)  # fmt: skip
        _row(f"{label}: peak memory {BIG} vs demo", f"{big_m // 1024} / {small_m // 1024} MiB",
             "flat", f"{big_m / small_m:.2f}x", name)  # fmt: skip


def test_cases_of_a_meeting(databases, tmp_path):
    _side_by_side("cases --meeting 2", databases, lambda _: ["cases", "--meeting", "2"], tmp_path)


@pytest.mark.parametrize("suffix", ["pdf", "docx", "csv", "json"])
def test_minutes(databases, tmp_path, suffix):
    _side_by_side(
        f"minutes .{suffix}", databases, lambda out: ["minutes", "2", "-o", f"{out}.{suffix}"],
        tmp_path,
    )  # fmt: skip


def test_care_programme(databases, signed_case, tmp_path):
    _side_by_side(
        "care-programme",
        databases,
        lambda out: ["care-programme", str(signed_case), "-o", f"{out}.pdf"],
        tmp_path,
    )


def test_start_of_the_command_line():
    case = ROOT / "tests" / "fixtures" / "import" / "valid_case.json"
    for name, tree in TREES:
        bare, _ = _median([sys.executable, "-c", "import sqlite3"], tree=tree)
        version, _ = _median(_cli("--version"), tree=tree)
        recommend, _ = _median(_cli("recommend", str(case)), tree=tree)
        _row("--version vs python -c 'import sqlite3'", f"{version * 1000:.0f} / "
             f"{bare * 1000:.0f} ms", "<= 3x", f"{version / bare:.1f}x", name)  # fmt: skip
        _row("recommend vs python -c 'import sqlite3'", f"{recommend * 1000:.0f} / "
             f"{bare * 1000:.0f} ms", "<= 5x", f"{recommend / bare:.1f}x", name)  # fmt: skip


_FIRST_PAINT = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("painted", flush=True)  # the parent's clock stops here
            QTimer.singleShot(0, QApplication.instance().quit)
        return False

if len(sys.argv) > 1:
    from ui.app import application, build_main_window
    app = application()
    window = build_main_window(sys.argv[1], load_after_paint=True)  # as `mdt-app` starts
else:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1366, 768)
watch = FirstPaint()
window.installEventFilter(watch)
window.show()
app.exec()
"""


def _until_painted(args: list[str], env: dict, tree: Path = ROOT) -> float:
    """Seconds from starting the process to its first paint (not to its exit: a window
    may still be finishing background work when it closes)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=tree, env=_env(tree, env), stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)  # fmt: skip
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == "painted":
            break
    elapsed = time.perf_counter() - start
    proc.stdout.close()
    assert proc.wait(timeout=120) == 0, args
    return elapsed


def _median_paint(args: list[str], env: dict, tree: Path) -> float:
    return statistics.median(_until_painted(args, env, tree) for _ in range(ROUNDS))


def test_window_start_to_first_paint(databases):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    demo, big = databases
    for name, tree in TREES:
        for db in (demo, big):  # one unmeasured start each (the first open after building)
            _until_painted([sys.executable, "-c", _FIRST_PAINT, str(db)], env, tree)
        bare = _median_paint([sys.executable, "-c", _FIRST_PAINT], env, tree)
        on_demo = _median_paint([sys.executable, "-c", _FIRST_PAINT, str(demo)], env, tree)
        on_big = _median_paint([sys.executable, "-c", _FIRST_PAINT, str(big)], env, tree)
        ms = f"{on_demo * 1000:.0f} / {bare * 1000:.0f} ms"
        _row("window first paint: demo vs bare QMainWindow", ms, "<= 3x",
             f"{on_demo / bare:.1f}x", name)  # fmt: skip
        ms = f"{on_big * 1000:.0f} / {on_demo * 1000:.0f} ms"
        _row(f"window first paint: {BIG} vs demo", ms, "<= 1.2x", f"{on_big / on_demo:.2f}x",
             name)  # fmt: skip


# The same start, timed until the first case of the meeting is painted (its banner shows
# a patient): what the chair waits for, beside the first frame measured above.
_FIRST_CASE = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from ui.app import application, build_main_window

app = application()
window = build_main_window(sys.argv[1], load_after_paint=True)

class CasePainted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and window.session.case is not None:
            window.banner.removeEventFilter(self)
            print("painted", flush=True)
            QTimer.singleShot(0, QApplication.instance().quit)
        return False

watch = CasePainted()
window.banner.installEventFilter(watch)
window.show()
app.exec()
"""


def test_window_start_until_the_first_case_is_painted(databases):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    demo, _ = databases
    for name, tree in TREES:
        _until_painted([sys.executable, "-c", _FIRST_CASE, str(demo)], env, tree)  # settle
        bare = _median_paint([sys.executable, "-c", _FIRST_PAINT], env, tree)
        case = _median_paint([sys.executable, "-c", _FIRST_CASE, str(demo)], env, tree)
        _row("window start until the first case is painted: demo vs bare QMainWindow",
             f"{case * 1000:.0f} / {bare * 1000:.0f} ms", "", f"{case / bare:.1f}x",
             name)  # fmt: skip


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def test_case_switch_until_painted(databases):
    """Each switch to the next (or previous) case, until the window has painted it; the
    baseline is a repaint of the same window without a switch, in the same process."""
    import json

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    script = str(ROOT / "tests" / "benchmarks" / "case_switch.py")  # the same driver for both
    for tree_name, tree in TREES:
        for name, db in zip(("demo", BIG), databases, strict=True):
            out = subprocess.run([sys.executable, script, str(db), "80"], cwd=tree,
                                 env=_env(tree, env), capture_output=True, text=True,
                                 check=True).stdout  # fmt: skip
            figures = json.loads(out.strip().splitlines()[-1])
            switch, repaint = figures["switch"][5:], figures["repaint"][5:]  # settled
            p50, p95 = _percentile(switch, 0.5), _percentile(switch, 0.95)
            base = _percentile(repaint, 0.5)
            _row(f"case switch until painted ({name}): p50", f"{p50:.1f} ms", "< 25 ms",
                 f"{p50 / base:.1f}x a repaint ({base:.1f} ms)", tree_name)  # fmt: skip
            _row(f"case switch until painted ({name}): p95", f"{p95:.1f} ms", "< 40 ms", "",
                 tree_name)  # fmt: skip
            cpu = figures["switch_cpu"][5:]  # on a busy machine the wall clock waits too
            _row(f"case switch, CPU time ({name}): p50 / p95",
                 f"{_percentile(cpu, 0.5):.1f} / {_percentile(cpu, 0.95):.1f} ms", "", "",
                 tree_name)  # fmt: skip


def test_import_of_1000_case_files(tmp_path):
    import json

    source = json.loads((ROOT / "tests" / "fixtures" / "import" / "valid_case.json").read_text())
    files = []
    for n in range(1000):
        source["patient"]["mrn"] = f"BENCH{n:05d}"
        path = tmp_path / f"case{n:04d}.json"
        path.write_text(json.dumps(source), encoding="utf-8")
        files.append(str(path))
    for name, tree in TREES:
        bare, _ = _median([sys.executable, "-c", "import sqlite3"], tree=tree)
        times = []
        for round_ in range(3):
            db = tmp_path / f"import-{name}-{round_}.db"
            start = time.perf_counter()
            _run(_cli("--db", str(db), "import", *files), tree=tree)
            times.append(time.perf_counter() - start)
        took = statistics.median(times)
        _row("import 1,000 case files, new database", f"{took:.2f} s", "< 0.5 s",
             f"{took / bare:.0f}x python start", name)  # fmt: skip


def test_zz_print_the_table(benchmark_report):
    """Last in this module: the table of every figure measured above."""
    names = [name for name, _ in TREES][::-1]  # before, then now
    width = max(len(f) for f in _ROWS) if _ROWS else 10
    head = "".join(f"  {n + ' measured':>22}  {n + ' ratio':>14}" for n in names)
    benchmark_report(f"{'figure':<{width}}  {'target':>9}{head}")
    for figure, (target, by_tree) in _ROWS.items():
        cells = "".join(
            f"  {by_tree.get(n, ('-', ''))[0]:>22}  {by_tree.get(n, ('-', ''))[1]:>14}"
            for n in names
        )
        benchmark_report(f"{figure:<{width}}  {target:>9}{cells}")
    assert _ROWS
