"""`mdt-app centre`: the settings the care programme's emergency box and support list use."""

from __future__ import annotations

from mdt_app.cli import main
from mdt_app.store import open_store


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_set_and_show_the_centre(db_location, capsys):
    db = db_location
    open_store(db).close()
    code, out, err = run(
        capsys, "--db", db, "centre", "--name", "Kraków Centre", "--phone-24h",
        "+48 12 000 00 99", "--country", "pl",
    )  # fmt: skip
    assert code == 0, err
    assert "phone-24h\t+48 12 000 00 99" in out and "country\tPL" in out
    with open_store(db) as store:
        assert store.get_setting("centre") == {
            "name": "Kraków Centre",
            "phone_24h": "+48 12 000 00 99",
            "country": "PL",
        }
        assert any(e.action == "set_setting" for e in store.audit_log("setting"))
    code, out, _ = run(capsys, "--db", db, "centre", "--country", "")
    assert code == 0 and "country\t\n" in out


def test_bad_values_are_one_line_errors_and_change_nothing(db_location, capsys):
    db = db_location
    open_store(db).close()
    code, _, err = run(capsys, "--db", db, "centre", "--country", "France")
    assert code == 1 and "two-letter ISO code" in err and err.count("\n") == 1
    code, _, err = run(capsys, "--db", db, "centre", "--phone-24h", "call me")
    assert code == 1 and "not a phone number" in err
    with open_store(db) as store:
        assert store.get_setting("centre") is None
