"""Plain prepared INSERTs for the store's writes (an import writes thousands of rows).

sqlite-utils' `table.insert` re-reads the table's schema and checks it exists on every
call (about seven statements a row: 119 statements per imported case); these write the
same row in one statement, with the values adapted as sqlite-utils adapts them (lists and
dicts as JSON, dates as ISO text), so the stored bytes do not change.

Many rows go in as multi-row ``INSERT ... VALUES (...), (...)`` statements: SQLite
evaluates a CHECK's ``IN (...)`` list once per statement it runs, so a case row, with
some thirty such checks, costs about half as much when a statement carries many rows.
"""

from __future__ import annotations

import datetime
import json
import sqlite3
from collections.abc import Iterable, Mapping
from functools import lru_cache
from operator import itemgetter
from typing import Any

# Rows in one multi-row statement at most (fewer when the parameters would not fit).
ROWS_PER_STATEMENT = 200


def _value(value: object) -> object:
    """A value as sqlite-utils would store it (its `jsonify_if_needed`)."""
    import decimal  # here: rows hardly ever hold one, and an import's start skips it
    import uuid

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
def _insert_sql(table: str, columns: tuple[str, ...], count: int = 1) -> str:
    """The INSERT of ``count`` rows of these columns."""
    names = ", ".join(f"[{c}]" for c in columns)
    one = f"({', '.join('?' * len(columns))})"
    return f"INSERT INTO [{table}] ({names}) VALUES {', '.join([one] * count)}"


# Values SQLite takes as they are: most of a row, so they skip _value's checks.
_AS_IS = frozenset({str, int, float, bytes, type(None)})


def _values(row: Mapping[str, Any], columns: tuple[str, ...]) -> list[object]:
    return [v if type(v) in _AS_IS else _value(v) for v in (row[c] for c in columns)]


@lru_cache(maxsize=256)
def _getter(columns: tuple[str, ...]) -> Any:
    return itemgetter(*columns) if len(columns) > 1 else (lambda row: (row[columns[0]],))


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
    get = _getter(columns)
    flat: list[object] = []
    for row in batch:
        values = get(row)
        if _AS_IS.issuperset(map(type, values)):  # the usual row: nothing to adapt
            flat.extend(values)
        else:
            flat.extend(v if type(v) in _AS_IS else _value(v) for v in values)
    width = len(columns)
    per = max(1, min(ROWS_PER_STATEMENT, _variable_limit(conn) // width))
    step = per * width
    full = len(batch) // per * step
    if full:
        sql = _insert_sql(table, columns, per)
        conn.executemany(sql, [flat[i : i + step] for i in range(0, full, step)])
    if full < len(flat):
        conn.execute(_insert_sql(table, columns, (len(flat) - full) // width), flat[full:])


def _variable_limit(conn: Any) -> int:
    """How many parameters one statement may have on this connection."""
    try:
        return int(conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    except (AttributeError, sqlite3.Error):  # not a sqlite3 connection, or an old one
        return 999  # SQLite's smallest default
