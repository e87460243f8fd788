"""SQLite's named parameters (``:name`` with a dict) read the same on the team server:
the store's SQL is written once for both backends."""

from __future__ import annotations

from mdt_app.store.pg.connection import translate


def test_named_parameters_on_both_backends(store):
    store.set_setting("centre", {"name": "Named"})
    rows = store.query(
        "SELECT key FROM settings WHERE key = :key OR (key = :key AND 'a:b' = 'a:b')",
        {"key": "centre"},
    )
    assert [r["key"] for r in rows] == ["centre"]


def test_casts_quoted_colons_and_positional_marks_are_left_as_they_are():
    sql = "SELECT ':x', a::text FROM t WHERE id = :case_id AND b = ? AND c LIKE '%a'"
    assert translate(sql, True) == (
        "SELECT ':x', a::text FROM t WHERE id = %(case_id)s AND b = %s AND c LIKE '%%a'"
    )
    assert translate("SELECT a FROM t WHERE id = :case") == "SELECT a FROM t WHERE id = :case"
