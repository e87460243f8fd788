"""Plain prepared INSERTs for the store's writes (an import writes thousands of rows).

sqlite-utils' `table.insert` re-reads the table's schema and checks it exists on every
call (about seven statements a row: 119 statements per imported case); these write the
same row in one statement, with the values adapted as sqlite-utils adapts them (lists and
dicts as JSON, dates as ISO text), so the stored bytes do not change.
"""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any


def _value(value: object) -> object:
    """A value as sqlite-utils would store it (its `jsonify_if_needed`)."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, default=repr, ensure_ascii=False)
    if isinstance(value, (datetime.time, datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (datetime.timedelta, uuid.UUID)):
        return str(value)
    return value


@lru_cache(maxsize=256)
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(f"[{c}]" for c in columns)
    return f"INSERT INTO [{table}] ({names}) VALUES ({', '.join('?' * len(columns))})"


# Values SQLite takes as they are: most of a row, so they skip _value's checks.
_AS_IS = frozenset({str, int, float, bytes, type(None)})


def _values(row: Mapping[str, Any], columns: tuple[str, ...]) -> list[object]:
    return [v if type(v) in _AS_IS else _value(v) for v in (row[c] for c in columns)]


def insert_row(conn: Any, table: str, row: Mapping[str, Any]) -> int | None:
    """Insert ``row`` into ``table`` on ``conn`` (a sqlite3 connection); its rowid."""
    columns = tuple(row)
    cursor = conn.execute(_insert_sql(table, columns), _values(row, columns))
    return cursor.lastrowid


def insert_rows(conn: Any, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert rows that share their columns, in one prepared statement."""
    batch = list(rows)
    if not batch:
        return
    columns = tuple(batch[0])
    conn.executemany(_insert_sql(table, columns), [_values(r, columns) for r in batch])
