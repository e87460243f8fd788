"""Team server addresses that cannot be used as given (issue 19): a malformed
postgresql:// URL (on the command line, in MDT_APP_DB, pasted in the window's Connect
dialog), a URL given where a file is meant (`backup -o`), `--encrypted` for a server.
One line each naming the problem, never a traceback, never the password; nothing is
created."""

from __future__ import annotations

import pytest

from mdt_app.cli import main
from mdt_app.errors import UserError
from tests.conftest import FIXTURES

MALFORMED = "postgresql://lead:secret-pw@[::1/mdt_team"  # an unclosed IPv6 bracket


def run(capsys, *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(code: int, err: str, *words: str) -> None:
    assert code == 1 and len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert "secret-pw" not in err
    for word in words:
        assert word in err, err


VALID_CASE = str(FIXTURES / "import" / "valid_case.json")


@pytest.mark.parametrize("argv", [["cases"], ["import", VALID_CASE], ["verify"], ["meetings"]])
def test_a_malformed_server_address_is_one_line(capsys, argv):
    code, _, err = run(capsys, *argv, "--db", MALFORMED)
    _one_line(code, err, "not a valid postgresql:// address", "IPv6", "lead:***@")


def test_a_malformed_address_in_the_environment_is_one_line(capsys, monkeypatch):
    monkeypatch.setenv("MDT_APP_DB", MALFORMED)
    code, _, err = run(capsys, "cases")
    _one_line(code, err, "not a valid postgresql:// address")


def test_the_connect_dialog_refuses_a_malformed_pasted_address():
    from ui.server_connect import server_url

    with pytest.raises(UserError, match="not a valid postgresql:// address") as refused:
        server_url(MALFORMED, "", 5432, "")
    assert "secret-pw" not in str(refused.value)


def test_a_libpq_address_with_several_hosts_is_not_refused_as_malformed(capsys):
    from mdt_app import paths

    url = paths.database_location("postgresql://lead@db1:5432,db2:5433/mdt_team")
    assert isinstance(url, paths.ServerURL) and url.name == "mdt_team"


def test_backup_to_a_server_address_says_what_copies_onto_a_server(capsys, tmp_path):
    db = tmp_path / "mdt.db"
    code, _, err = run(capsys, "backup", "-o", "postgresql://lead@dbhost/mdt_team", "--db", db)
    _one_line(code, err, "migrate-db")
    assert not db.exists() and not list(tmp_path.iterdir())


def test_an_encrypted_demo_on_a_server_is_refused_saying_why(capsys):
    code, _, err = run(capsys, "demo", "--db", "postgresql://lead@dbhost/mdt_team", "--encrypted")
    _one_line(code, err, "--encrypted is for database files")
