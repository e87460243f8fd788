"""Shared fixtures. Qt runs offscreen; every data directory goes to tmp_path."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIXTURES = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(Path(__file__).parent))  # pg_server, store_helpers


@pytest.fixture(autouse=True)
def _isolated_data(tmp_path, monkeypatch):
    """No test touches the real user data directory or a real MDT_APP_DB."""
    monkeypatch.setenv("MDT_APP_DB", str(tmp_path / "default.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


# --- PostgreSQL: a throwaway cluster whenever the server binaries are installed -------

REQUIRE_PG_ENV = "MDT_TEST_REQUIRE_POSTGRESQL"  # .ci/run: a missing server is a failure


def _backends() -> list[str]:
    from pg_server import server_binaries

    if server_binaries() is not None:
        return ["sqlite", "postgresql"]
    if os.environ.get(REQUIRE_PG_ENV):
        raise pytest.UsageError(
            f"{REQUIRE_PG_ENV} is set but no PostgreSQL server binaries are installed "
            "(Debian: apt-get install postgresql)"
        )
    return ["sqlite"]


BACKENDS = _backends()


@pytest.fixture(scope="session")
def pg_cluster():
    """The running throwaway cluster (started on first use, stopped at the end)."""
    from pg_server import Cluster, server_binaries

    bin_dir = server_binaries()
    if bin_dir is None:
        pytest.fail("no PostgreSQL server binaries (Debian: apt-get install postgresql)")
    cluster = Cluster(bin_dir)
    cluster.start()
    yield cluster
    from mdt_app.store.pg.open import close_pools

    close_pools()
    cluster.stop()


@pytest.fixture(scope="session")
def _pg_template(pg_cluster) -> str:
    """A database with the schema migrated once; each test gets a copy of it."""
    from mdt_app.store import open_store
    from mdt_app.store.pg.open import close_pools

    pg_cluster.admin("CREATE DATABASE mdt_template")
    open_store(pg_cluster.url("mdt_template"), actor="tester").close()
    close_pools()  # a template must have no connections while it is copied
    return "mdt_template"


_pg_counter = iter(range(1, 1_000_000))


@pytest.fixture
def pg_url(pg_cluster, _pg_template) -> Iterator[str]:
    """The URL of a fresh, migrated, empty team database for one test (dropped after)."""
    yield from _pg_copy(pg_cluster, _pg_template)


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """Each backend the store runs on here: "sqlite", and "postgresql" when installed."""
    return request.param


@pytest.fixture
def db_location(backend, tmp_path, request) -> str:
    """A new database: a file, or a fresh database on the test cluster."""
    if backend == "postgresql":
        return request.getfixturevalue("pg_url")
    return str(tmp_path / "test.db")


@pytest.fixture
def store(db_location):
    """A new store, on each backend in turn."""
    from mdt_app.store import open_store

    s = open_store(db_location, actor="tester")
    yield s
    s.close()


@pytest.fixture
def sqlite_store(tmp_path):
    """A store on a file, for what only a file has (PRAGMAs, raw SQLite tampering)."""
    from mdt_app.store import open_store

    s = open_store(tmp_path / "test.db", actor="tester")
    yield s
    s.close()


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory) -> Path:
    from mdt_app.demo import build_demo_database

    path = tmp_path_factory.mktemp("demo-template") / "demo.db"
    build_demo_database(path)
    return path


@pytest.fixture(scope="session")
def _pg_demo_template(pg_cluster) -> str:
    """The demo built once on the cluster, the way `mdt-app demo --db URL` builds it;
    each test gets a copy (CREATE DATABASE ... TEMPLATE is a file copy on the server)."""
    from mdt_app.demo import build_demo_database
    from mdt_app.paths import ServerURL
    from mdt_app.store.pg.open import close_pool

    pg_cluster.admin("CREATE DATABASE mdt_demo")
    url = ServerURL(pg_cluster.url("mdt_demo"))
    build_demo_database(url)
    close_pool(url)  # a template must have no connections while it is copied
    return "mdt_demo"


def _pg_copy(pg_cluster, template: str | None) -> Iterator[str]:
    """A fresh database for one test, dropped after it: copied from ``template``, or
    with no schema at all when ``template`` is None."""
    from mdt_app.paths import ServerURL
    from mdt_app.store.pg.open import close_pool

    if template is None:
        name = f"n{os.getpid()}_{next(_pg_counter)}"
        pg_cluster.admin(f"CREATE DATABASE {name}")
    else:
        name = f"t{os.getpid()}_{next(_pg_counter)}"
        # FILE_COPY (PostgreSQL 15+) copies the template's files at once: a third of the
        # default WAL_LOG's time for a database this small (the test cluster never fsyncs).
        strategy = " STRATEGY FILE_COPY" if pg_cluster.version() >= 15 else ""
        pg_cluster.admin(f"CREATE DATABASE {name} TEMPLATE {template}{strategy}")
    url = pg_cluster.url(name)
    yield url
    close_pool(ServerURL(url))
    pg_cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def demo_file(_demo_template, tmp_path) -> Path:
    """A fresh copy of the demo database as a file, for what only a file has (file modes,
    raw SQLite tampering, SQLCipher, PRAGMAs, copies of the file itself)."""
    target = tmp_path / "demo.db"
    shutil.copy(_demo_template, target)
    return target


@pytest.fixture
def demo_db(backend, request) -> Iterator[Path | str]:
    """A fresh copy of the demo database for one test, on each backend in turn: a file
    (Path), or the URL (str) of a fresh copy on the test cluster."""
    if backend == "postgresql":
        yield request.getfixturevalue("pg_demo_url")
    else:
        yield request.getfixturevalue("demo_file")


@pytest.fixture
def pg_demo_url(pg_cluster, _pg_demo_template) -> Iterator[str]:
    """The URL of a fresh copy of the demo on the test cluster, for what only a server has."""
    yield from _pg_copy(pg_cluster, _pg_demo_template)


@pytest.fixture
def demo_store(demo_db):
    """A store on a fresh copy of the demo database (each backend in turn)."""
    from mdt_app.store import open_store

    s = open_store(demo_db, actor="tester")
    yield s
    s.close()


_FIGURES: list[str] = []


@pytest.fixture
def benchmark_report():
    """Benchmarks report figures through this; they are printed at the end of every run."""

    def report(line: str) -> None:
        _FIGURES.append(line)
        print(line)

    return report


def pytest_itemcollected(item):
    """A test that needs the cluster (pg_url, pg_demo_url, ...) answers to `-k postgresql`
    as the `[postgresql]` ids do, so `-k "not postgresql"` runs SQLite alone, no server."""
    if "pg_cluster" in getattr(item, "fixturenames", ()):
        item.extra_keyword_matches.add("postgresql")


def pytest_collection_modifyitems(config, items):
    """Benchmarks run only when asked for by name (`pytest -m benchmark -s`): they take
    time and print figures; the normal suite never times anything."""
    if "benchmark" in (config.getoption("markexpr") or ""):
        return  # -m benchmark, or an expression that decides about them itself
    chosen = [item for item in items if item.get_closest_marker("benchmark") is None]
    if len(chosen) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in chosen])
        items[:] = chosen


def pytest_terminal_summary(terminalreporter):
    if _FIGURES:
        terminalreporter.section("benchmark figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)


# --- s3-pg2 ---


@pytest.fixture
def pg_empty_url(pg_cluster) -> Iterator[str]:
    """The URL of a fresh database with no schema at all: a team database not made yet
    (dropped after the test)."""
    yield from _pg_copy(pg_cluster, None)


@pytest.fixture
def new_db_location(backend, tmp_path, request) -> str:
    """No database yet, on each backend: a file path not created, or an empty server
    database without the schema (what a refused command must leave as it found it)."""
    if backend == "postgresql":
        return request.getfixturevalue("pg_empty_url")
    return str(tmp_path / "new.db")


@pytest.fixture
def new_db_factory(backend, tmp_path, request):
    """``make(label)``: another database not made yet, on each backend (a file path not
    created, or an empty server database without the schema), for tests that need many;
    the server's are dropped after the test."""
    from mdt_app.paths import ServerURL
    from mdt_app.store.pg.open import close_pool

    cluster = request.getfixturevalue("pg_cluster") if backend == "postgresql" else None
    made: list[str] = []

    def make(label: str) -> str:
        if cluster is None:
            return str(tmp_path / f"{label}.db")
        name = f"n{os.getpid()}_{next(_pg_counter)}"
        cluster.admin(f"CREATE DATABASE {name}")
        made.append(cluster.url(name))
        return made[-1]

    yield make
    for url in made:
        close_pool(ServerURL(url))
        cluster.admin(f"DROP DATABASE IF EXISTS {ServerURL(url).name} WITH (FORCE)")


@pytest.fixture
def root_handlers():
    """Leave the root logger as it was (the excepthook and the CLI's log add a file
    handler)."""
    import logging

    root = logging.getLogger()
    before, level = root.handlers[:], root.level
    yield
    for h in root.handlers[:]:
        if h not in before:
            root.removeHandler(h)
            h.close()
    root.setLevel(level)


@pytest.fixture(scope="module")
def cups():
    """A throwaway CUPS server for a module's printing tests (skipped where this machine
    cannot run one)."""
    from tests import cups_server

    why = cups_server.missing()
    if why:
        pytest.skip(why)
    server = cups_server.start()
    yield server
    cups_server.stop(server)
