"""The team database's speed beside the file's (issue 19), measured in the same run:

- case switch (what the window reads when the chair opens the next case: the case, its
  decisions, its draft) and agenda load (the meeting's agenda and case list), each on the
  demo database as an SQLite file and on the test cluster over the loopback interface
  (TCP to 127.0.0.1, SCRAM, as a client machine would connect);
- 20 clients reading agendas while one writes drafts, for a few seconds on each backend:
  p50/p95 latency of the reads and the writes, and the number of errors (none allowed).

Ratios are printed, never asserted:

    .venv/bin/python -m pytest tests/benchmarks/test_bench_server.py -m benchmark -s
"""

from __future__ import annotations

import statistics
import threading
import time

import pytest

from mdt_app import domain as d
from mdt_app.store import open_store

pytestmark = pytest.mark.benchmark

ROUNDS = 60
READERS = 20
SECONDS = float(4)


@pytest.fixture(scope="module")
def two_backends(tmp_path_factory, pg_cluster, _demo_template):
    """The demo as a file, and the same copied onto the server (migrate-db), reached
    over loopback TCP."""
    import shutil

    from mdt_app.cli import main

    folder = tmp_path_factory.mktemp("bench-server")
    file_db = folder / "demo.db"
    shutil.copy(_demo_template, file_db)
    pg_cluster.admin("DROP DATABASE IF EXISTS bench_demo WITH (FORCE)")
    pg_cluster.admin("CREATE DATABASE bench_demo")
    pg_cluster.admin("DROP ROLE IF EXISTS bench")
    pg_cluster.admin("CREATE ROLE bench LOGIN SUPERUSER PASSWORD 'bench password'")
    assert main(["migrate-db", "--from", str(file_db), "--to", pg_cluster.url("bench_demo")]) == 0
    return {"SQLite file": str(file_db), "PostgreSQL loopback": pg_cluster.tcp_url(
        "bench_demo", "bench", "bench password")}  # fmt: skip


def _meeting_and_items(location: str) -> tuple[int, list[d.AgendaItem]]:
    with open_store(location) as store:
        meeting = next(m for m in store.list_meetings() if m.status == "in_progress")
        return meeting.id or 0, store.agenda(meeting.id or 0)


def _timed(step, rounds: int = ROUNDS) -> list[float]:
    times = []
    for i in range(rounds):
        start = time.perf_counter()
        step(i)
        times.append(time.perf_counter() - start)
    return times


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def test_case_switch_and_agenda_load_file_vs_server(two_backends, benchmark_report):
    medians: dict[str, dict[str, float]] = {}
    for name, location in two_backends.items():
        meeting_id, items = _meeting_and_items(location)
        with open_store(location) as store:

            def switch(i: int, store=store, items=items) -> None:
                item = items[i % len(items)]
                store.get_case(item.case_id)
                store.decisions_for_item(item.id or 0)
                store.current_draft(item.id or 0)

            def agenda(i: int, store=store, meeting_id=meeting_id) -> None:
                store.agenda(meeting_id)
                store.list_cases(meeting_id)

            switch(0)
            agenda(0)  # warm: the first statement of each kind is prepared
            medians[name] = {
                "case switch": statistics.median(_timed(switch)),
                "agenda load": statistics.median(_timed(agenda)),
            }
    lite, server = medians["SQLite file"], medians["PostgreSQL loopback"]
    for figure in ("case switch", "agenda load"):
        ratio = server[figure] / lite[figure]
        benchmark_report(
            f"{figure}: SQLite file {1000 * lite[figure]:.2f} ms, PostgreSQL over loopback "
            f"{1000 * server[figure]:.2f} ms (median of {ROUNDS}; {ratio:.1f}x)"
        )


def _readers_and_a_writer(location: str) -> tuple[list[float], list[float], list[str]]:
    meeting_id, items = _meeting_and_items(location)
    draft_item = next(i for i in items if i.status == "queued")
    reads: list[float] = []
    writes: list[float] = []
    errors: list[str] = []
    stop = threading.Event()
    lock = threading.Lock()
    ready = threading.Barrier(READERS + 2)

    def reader() -> None:
        try:
            with open_store(location, actor="reader") as store:
                ready.wait()
                while not stop.is_set():
                    start = time.perf_counter()
                    store.agenda(meeting_id)
                    store.list_cases(meeting_id)
                    with lock:
                        reads.append(time.perf_counter() - start)
        except Exception as exc:  # counted, and the benchmark fails below
            errors.append(f"reader: {exc}")

    def writer() -> None:
        try:
            with open_store(location, actor="writer") as store:
                draft = store.current_draft(draft_item.id or 0) or store.save_draft(
                    d.Decision(case_id=draft_item.case_id, agenda_item_id=draft_item.id or 0)
                )
                ready.wait()
                n = 0
                while not stop.is_set():
                    n += 1
                    draft.plan_text = f"Plan as typed, keystroke {n}"
                    start = time.perf_counter()
                    draft = store.save_draft(draft)
                    writes.append(time.perf_counter() - start)
        except Exception as exc:
            errors.append(f"writer: {exc}")

    threads = [threading.Thread(target=reader) for _ in range(READERS)]
    threads.append(threading.Thread(target=writer))
    for thread in threads:
        thread.start()
    ready.wait()
    time.sleep(SECONDS)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    return reads, writes, errors


def test_twenty_readers_while_one_writes(two_backends, benchmark_report, monkeypatch):
    monkeypatch.setenv("MDT_APP_POOL_SIZE", str(READERS + 4))  # one program plays 21 clients
    from mdt_app.paths import ServerURL
    from mdt_app.store.pg.open import close_pool

    close_pool(ServerURL(two_backends["PostgreSQL loopback"]))
    failures = []
    for name, location in two_backends.items():
        reads, writes, errors = _readers_and_a_writer(location)
        failures += errors
        benchmark_report(
            f"{READERS} readers + 1 writer for {SECONDS:g} s, {name}: reads p50 "
            f"{_ms(reads, 0.5):.1f} ms p95 {_ms(reads, 0.95):.1f} ms ({len(reads)} agenda "
            f"loads); writes p50 {_ms(writes, 0.5):.1f} ms p95 {_ms(writes, 0.95):.1f} ms "
            f"({len(writes)} draft saves); {len(errors)} errors"
        )
    assert not failures, failures[:3]
