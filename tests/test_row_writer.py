"""The store's plain INSERTs store exactly what sqlite-utils' insert stored."""

from __future__ import annotations

import datetime
import decimal
import sqlite3
import uuid

import pytest
import sqlite_utils

from mdt_app.store.row_writer import insert_row, insert_rows

ROW = {
    "text": "Zoë Łukasiewicz",
    "number": 3,
    "real": decimal.Decimal("1.5"),
    "listed": ["a", "ü"],
    "mapped": {"k": [1, 2]},
    "day": datetime.date(2026, 12, 2),
    "moment": datetime.datetime(2026, 12, 2, 9, 30),
    "span": datetime.timedelta(days=2),
    "uid": uuid.UUID(int=7),
    "missing": None,
    "flag": True,
}


def _table(db: sqlite_utils.Database, name: str) -> None:
    db.execute(f"CREATE TABLE {name} (id INTEGER PRIMARY KEY, {', '.join(ROW)})")


def test_same_values_as_sqlite_utils():
    db = sqlite_utils.Database(sqlite3.connect(":memory:"))
    _table(db, "theirs")
    _table(db, "ours")
    db.table("theirs").insert(ROW)
    assert insert_row(db.conn, "ours", ROW) == 1
    insert_rows(db.conn, "ours", [ROW, ROW])
    theirs = db.execute("SELECT * FROM theirs").fetchall()
    ours = db.execute("SELECT * FROM ours").fetchall()
    assert [r[1:] for r in ours] == [theirs[0][1:]] * 3


def test_unknown_column_is_refused():
    db = sqlite_utils.Database(sqlite3.connect(":memory:"))
    _table(db, "ours")
    with pytest.raises(sqlite3.OperationalError):
        insert_row(db.conn, "ours", {"nonesuch": 1})
