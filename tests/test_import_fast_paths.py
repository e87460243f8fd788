"""The shortcuts that make an import of a thousand files quick still refuse and store
exactly what the slow paths did (issue 17)."""

from __future__ import annotations

import json

import pytest

from mdt_app.casefile import CaseFileError, parse_json_text
from mdt_app.exchange.importer import apply_import, read_file
from mdt_app.store import open_store
from tests.conftest import FIXTURES


def _selects_of_settings(store, action) -> int:
    seen: list[str] = []
    store.db.conn.set_trace_callback(seen.append)
    try:
        action()
    finally:
        store.db.conn.set_trace_callback(None)
    return sum(1 for s in seen if s.startswith("SELECT value FROM settings"))


def test_identity_settings_read_once_per_write(tmp_path):
    with open_store(tmp_path / "s.db") as store:
        store.set_setting("identifier_systems", {"urn:x": {"case_sensitive": True}})

        def twice_in_one_write() -> None:
            with store.atomic():
                assert store.get_setting("identifier_systems") == {
                    "urn:x": {"case_sensitive": True}
                }
                got = store.get_setting("identifier_systems")
                got["urn:x"]["case_sensitive"] = False  # a caller's change stays its own
                assert store.get_setting("identifier_systems")["urn:x"]["case_sensitive"]

        assert _selects_of_settings(store, twice_in_one_write) == 1
        # Outside a write every read asks the database (another program may change it).
        assert (
            _selects_of_settings(
                store, lambda: [store.get_setting("identifier_systems") for _ in range(2)]
            )
            == 2
        )


def test_a_setting_changed_in_the_write_is_read_again(tmp_path):
    with open_store(tmp_path / "s.db") as store, store.atomic():
        assert store.get_setting("default_identifier_system") is None
        store.set_setting("default_identifier_system", "urn:centre")
        assert store.get_setting("default_identifier_system") == "urn:centre"
        with pytest.raises(RuntimeError), store.atomic():
            store.set_setting("default_identifier_system", "urn:other")
            assert store.get_setting("default_identifier_system") == "urn:other"
            raise RuntimeError("rolled back")
        assert store.get_setting("default_identifier_system") == "urn:centre"


def test_many_brackets_but_shallow_is_read_and_deep_is_refused():
    shallow = json.dumps({"labs": [[] for _ in range(200)]})
    assert len(parse_json_text(shallow, "f.json")["labs"]) == 200
    deep = "[" * 65 + "]" * 65
    with pytest.raises(CaseFileError, match="nested more than 64 levels"):
        parse_json_text(deep, "f.json")
    with pytest.raises(CaseFileError, match="the key 'a' appears twice"):
        parse_json_text('{"b": {"a": 1, "c": 2, "a": 3}}', "f.json")


def test_a_lone_surrogate_is_refused_naming_the_field(tmp_path):
    raw = json.loads((FIXTURES / "import" / "valid_case.json").read_text(encoding="utf-8"))
    raw["referral"]["question"] = "Resectable?\ud800"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(raw), encoding="utf-8")  # ascii escapes: valid JSON text
    with pytest.raises(CaseFileError, match="referral.question.*surrogate"):
        read_file(path)


def test_same_mrn_twice_with_other_data_is_still_refused(tmp_path):
    raw = json.loads((FIXTURES / "import" / "valid_case.json").read_text(encoding="utf-8"))
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text(json.dumps(raw), encoding="utf-8")
    raw["ecog"] = 3
    second.write_text(json.dumps(raw), encoding="utf-8")
    with open_store(tmp_path / "s.db") as store:
        files = [read_file(first), read_file(first), read_file(second)]
        with pytest.raises(Exception, match="appears twice in this import"):
            apply_import(store, files)
        assert store.case_ids() == []


def test_a_new_database_is_built_quickly_and_then_written_as_safely_as_before(
    tmp_path, monkeypatch
):
    import mdt_app.store as store_module

    statements: list[str] = []
    real = store_module.SQLiteDatabase

    def traced(conn):
        conn.set_trace_callback(statements.append)
        return real(conn)

    monkeypatch.setattr(store_module, "SQLiteDatabase", traced)
    with open_store(tmp_path / "new.db") as store:
        assert "PRAGMA synchronous = NORMAL" in statements  # while the empty file is built
        assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL again
        assert store.case_ids() == []
    statements.clear()
    with open_store(tmp_path / "new.db"):
        pass
    assert "PRAGMA synchronous = NORMAL" not in statements  # an existing file: never
