"""The synthetic archive (`demo --archive N`) is written in batches of whole meetings;
across batches it is the same archive: every meeting full and closed, every decision
signed with a sealed, chained sign-off entry that `mdt-app verify` accepts."""

from __future__ import annotations

import pytest

from mdt_app import archive
from mdt_app.security.verify import verify_database
from mdt_app.store import open_store


@pytest.mark.parametrize("batch", [archive.CASES_PER_MEETING, archive.BATCH_CASES])
def test_archive_across_batches_verifies(db_location, backend, monkeypatch, batch):
    monkeypatch.setattr(archive, "BATCH_CASES", batch)
    count = 2 * archive.CASES_PER_MEETING + 10
    with open_store(db_location, actor="tester") as store:
        assert archive.add_archive(store, count) == count
        assert verify_database(store.db) == []
        meetings = store.list_meetings()
        assert [m.status for m in meetings] == ["closed"] * 3
        dates = [m.date for m in meetings]
        assert all((a - b).days == 7 for a, b in zip(dates, dates[1:], strict=False))
        sizes = [len(store.agenda(m.id or 0)) for m in meetings]
        assert sizes == [archive.CASES_PER_MEETING, archive.CASES_PER_MEETING, 10]
        for meeting in meetings:
            rows = store.list_cases(meeting.id)
            assert {r.decision_status for r in rows} == {"signed"}
        signed = store.query("SELECT count(*) AS n FROM audit_log WHERE action = 'sign_decision'")[
            0
        ]["n"]
        assert signed == count
        if backend == "sqlite":  # the cache size asked for the build is given back
            assert store.db.execute("PRAGMA cache_size").fetchone()[0] == -2000
