"""The commands on a team database: `server init`, and `demo`, `cases`, `verify`,
`backup` and `migrate-db` on a postgresql:// URL exactly as on a file."""

from __future__ import annotations

import json
from collections.abc import Iterator

import psycopg
import pytest

from mdt_app.cli import main
from mdt_app.store import open_store


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def empty_url(pg_cluster, request) -> Iterator[str]:
    """An empty database (no schema), dropped after the test."""
    from mdt_app.paths import ServerURL
    from mdt_app.store.pg.open import close_pool

    name = "e_" + request.node.name.lower().replace("[", "_").replace("]", "")[:40]
    pg_cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    pg_cluster.admin(f"CREATE DATABASE {name}")
    url = pg_cluster.url(name)
    yield url
    close_pool(ServerURL(url))
    pg_cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _counts(location) -> dict[str, int]:
    from mdt_app.store.transfer import TABLE_ORDER

    with open_store(location, create=False) as store:
        return {t: store.query(f"SELECT count(*) AS n FROM {t}")[0]["n"] for t in TABLE_ORDER}


def _chain_head(location) -> str:
    with open_store(location, create=False) as store:
        return store.query("SELECT entry_hash FROM audit_log ORDER BY id DESC LIMIT 1")[0][
            "entry_hash"
        ]


def test_server_init_creates_the_schema_and_the_first_chair(capsys, empty_url, monkeypatch):
    monkeypatch.setenv("MDT_APP_PASSWORD", "a long chair password")
    code, out, err = run(
        capsys, "server", "init", empty_url, "--chair", "lead", "--name", "Dr Lead"
    )
    assert code == 0, err
    assert "First chair: lead (Dr Lead)" in out and "***" not in out
    code, out, err = run(capsys, "user", "list", "--db", empty_url, "--json")
    assert code == 0 and [u["username"] for u in json.loads(out)] == ["lead"]
    code, out, err = run(capsys, "server", "init", empty_url, "--chair", "other")
    assert code == 1 and "already set up" in err and len(err.splitlines()) == 1
    code, _, err = run(capsys, "server", "init", "/tmp/file.db", "--chair", "x")
    assert code == 1 and "not a postgresql:// URL" in err


def test_a_command_on_an_empty_server_says_to_init_it(capsys, empty_url):
    code, _, err = run(capsys, "cases", "--db", empty_url)
    assert code == 1 and "server init" in err and len(err.splitlines()) == 1


def test_demo_cases_verify_and_backup_on_a_url(capsys, empty_url, tmp_path):
    code, out, err = run(capsys, "demo", "--db", empty_url)
    assert code == 0, err
    code, out, err = run(capsys, "cases", "--db", empty_url, "--json")
    on_server = json.loads(out)
    assert code == 0 and len(on_server) > 5
    assert {"signed", "draft"} <= {c["decision_status"] for c in on_server}
    code, out, err = run(capsys, "verify", "--db", empty_url)
    assert code == 0 and "sound" in out, (out, err)
    backup = tmp_path / "server-backup.db"
    code, out, err = run(capsys, "backup", "--db", empty_url, "-o", str(backup))
    assert code == 0, err
    code, out, err = run(capsys, "verify", "--db", str(backup))
    assert code == 0 and "sound" in out
    code, out, _ = run(capsys, "cases", "--db", str(backup), "--json")
    assert json.loads(out) == on_server  # the same ids, patients and statuses
    assert _chain_head(backup) == _chain_head(empty_url)


def test_demo_with_an_archive_on_a_url_verifies(capsys, empty_url):
    code, out, err = run(capsys, "demo", "--db", empty_url, "--archive", "120")
    assert code == 0, err
    with open_store(empty_url, create=False) as store:
        archived = store.query("SELECT count(*) AS n FROM cases")[0]["n"]
    assert archived >= 120
    code, out, err = run(capsys, "verify", "--db", empty_url)
    assert code == 0 and "sound" in out, (out, err)


def test_migrate_db_there_and_back_keeps_everything(capsys, demo_db, empty_url, tmp_path):
    code, out, err = run(capsys, "migrate-db", "--from", str(demo_db), "--to", empty_url)
    assert code == 0 and "the copy verifies" in out, (out, err)
    assert "the server enforces the roles" in out
    # The copy, then two entries of its own: the server's roles set up, the logins given.
    copied, source = _counts(empty_url), _counts(demo_db)
    assert copied == {**source, "audit_log": source["audit_log"] + 2}
    with open_store(empty_url) as store:
        last_copied = store.query(
            "SELECT entry_hash FROM audit_log WHERE id = ?", [source["audit_log"]]
        )[0]["entry_hash"]
        assert [e.action for e in store.audit_log()[-2:]] == [
            "set_up_server_roles",
            "give_copied_logins",
        ]
    assert last_copied == _chain_head(demo_db)
    code, out, _ = run(capsys, "verify", "--db", empty_url)
    assert code == 0 and "sound" in out
    back = tmp_path / "back.db"
    code, out, err = run(capsys, "migrate-db", "--from", empty_url, "--to", str(back))
    assert code == 0, err
    assert _counts(back) == copied and _chain_head(back) == _chain_head(empty_url)
    for location in (demo_db, back):
        code, out, _ = run(capsys, "cases", "--db", str(location), "--json")
        assert code == 0
    assert (
        run(capsys, "cases", "--db", str(back), "--json")[1]
        == run(capsys, "cases", "--db", str(demo_db), "--json")[1]
    )
    # After the copy the server goes on numbering where the file stopped.
    with open_store(empty_url) as store:
        store.set_setting("after_copy", True)
        last = store.audit_log()[-1]
    assert last.action == "set_setting" and last.id == copied["audit_log"] + 1


def test_migrate_db_refuses_a_target_with_records_and_leaves_it_alone(
    capsys, demo_db, pg_url, tmp_path
):
    with open_store(pg_url) as store:
        store.set_setting("centre", {"name": "Other"})
    before = _counts(pg_url)
    code, _, err = run(capsys, "migrate-db", "--from", str(demo_db), "--to", pg_url)
    assert code == 1 and "already holds" in err and len(err.splitlines()) == 1
    assert _counts(pg_url) == before
    code, _, err = run(capsys, "migrate-db", "--from", str(tmp_path / "none.db"), "--to", pg_url)
    assert code == 1 and "no such database" in err
    assert not (tmp_path / "none.db").exists()


def test_verify_on_a_server_names_a_disabled_protection(capsys, pg_url):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")
    code, out, err = run(capsys, "verify", "--db", pg_url)
    assert code == 1
    assert "trigger audit_log_no_change: disabled" in out and "1 fault(s)" in err


def test_a_wrong_server_address_is_one_line(capsys, pg_cluster):
    url = pg_cluster.url("no_such_database")
    code, _, err = run(capsys, "cases", "--db", url)
    assert code == 1 and "cannot connect" in err and len(err.splitlines()) == 1
    assert "Traceback" not in err
