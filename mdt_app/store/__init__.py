"""The case store: one SQLite file through sqlite-utils.

`open_store(path)` checks the file, copies it before migrating, applies migrations,
turns on WAL and foreign keys. Every multi-step write runs in one transaction and is
written to the append-only audit log in that same transaction.

A Store (one sqlite connection) belongs to the thread that opened it.
"""

from __future__ import annotations

import getpass
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from mdt_app import domain as d
from mdt_app.errors import StoreError
from mdt_app.store import schema
from mdt_app.store.agenda import AgendaMixin
from mdt_app.store.cases import CasesMixin
from mdt_app.store.decisions import DecisionsMixin

SQLITE_HEADER = b"SQLite format 3\x00"


def now() -> datetime:
    return datetime.now().astimezone().replace(microsecond=0)


def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): still attribute the change
        return "unknown-user"


class Store(CasesMixin, AgendaMixin, DecisionsMixin):
    def __init__(self, db: Database, path: Path, actor: str | None = None):
        self.db = db
        self.path = path
        self.actor = actor or default_actor()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions and audit -------------------------------------------------------

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """One transaction; database errors become a StoreError naming the problem."""
        try:
            with self.db.atomic() as db:
                yield db
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"refused by the database: {exc}") from exc
        except sqlite3.OperationalError as exc:
            raise StoreError(_operational_message(self.path, exc)) from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: database error: {exc}") from exc

    def query(self, sql: str, params: Any = ()) -> list[dict]:
        try:
            return list(self.db.query(sql, params))
        except sqlite3.OperationalError as exc:
            raise StoreError(_operational_message(self.path, exc)) from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: database error: {exc}") from exc

    def audit(
        self, action: str, entity: str, entity_id: int | None, details: dict | None = None
    ) -> None:
        """Append to the audit log (call inside the transaction of the change it records)."""
        self.db.execute(
            "INSERT INTO audit_log (at, actor, action, entity, entity_id, details)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                now().isoformat(),
                self.actor,
                action,
                entity,
                entity_id,
                json.dumps(details or {}, ensure_ascii=False, default=str),
            ],
        )

    def audit_log(
        self, entity: str | None = None, entity_id: int | None = None
    ) -> list[d.AuditEntry]:
        where, params = [], []
        if entity is not None:
            where.append("entity = ?")
            params.append(entity)
        if entity_id is not None:
            where.append("entity_id = ?")
            params.append(entity_id)
        sql = "SELECT * FROM audit_log"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [
            d.AuditEntry(
                at=datetime.fromisoformat(r["at"]),
                actor=r["actor"],
                action=r["action"],
                entity=r["entity"],
                entity_id=r["entity_id"],
                details=json.loads(r["details"]),
                id=r["id"],
            )
            for r in self.query(sql + " ORDER BY id", params)
        ]

    # --- settings -----------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = self.query("SELECT value FROM settings WHERE key = ?", [key])
        return json.loads(rows[0]["value"]) if rows else default

    def set_setting(self, key: str, value: Any) -> None:
        with self.atomic():
            self.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, json.dumps(value, ensure_ascii=False)],
            )
            self.audit("set_setting", "setting", None, {"key": key, "value": value})


def _operational_message(path: Path, exc: sqlite3.OperationalError) -> str:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return f"{path}: the database is locked by another program; try again in a moment"
    if "readonly" in text or "read-only" in text:
        return f"{path}: the database is read-only; check the file's permissions"
    return f"{path}: database error: {text}"


def _check_file(path: Path) -> bool:
    """True when the file exists with content; refuse files that are not SQLite."""
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not a database file")
    if not path.exists() or path.stat().st_size == 0:
        return False
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"{path}: cannot be read ({exc.strerror})") from None
    if header != SQLITE_HEADER:
        raise StoreError(f"{path}: is not an MDT Assistant database (not an SQLite file)")
    return True


def _connect(path: Path) -> Database:
    conn = sqlite3.connect(str(path), timeout=5.0)
    db = Database(conn)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 5000")
    return db


def _backup_before_migrating(db: Database, path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.before-migration-{stamp}.bak")
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)  # consistent copy, WAL included
    finally:
        dest.close()
    return target


def open_store(path: str | Path, *, actor: str | None = None, create: bool = True) -> Store:
    """Open (creating and migrating as needed) the database at ``path``."""
    path = Path(path)
    existed = _check_file(path)
    if not existed:
        if not create:
            raise StoreError(
                f"{path}: no such database (create one with 'mdt-app import' or 'mdt-app demo')"
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{path.parent}: cannot create folder ({exc.strerror})") from None
    try:
        db = _connect(path)
        _verify_identity(db, path, existed)
        pending = schema.migrations.pending(db)
        if pending and existed and db.table_names():
            _backup_before_migrating(db, path)
        if pending:
            db.enable_wal()
            schema.migrations.apply(db)
        elif db.journal_mode != "wal":
            db.enable_wal()
    except StoreError:
        raise
    except sqlite3.OperationalError as exc:
        raise StoreError(_operational_message(path, exc)) from None
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: is damaged or not a database ({exc})") from None
    return Store(db, path, actor)


def _verify_identity(db: Database, path: Path, existed: bool) -> None:
    if not existed:
        return
    tables = db.table_names()
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    if tables and app_id != schema.APPLICATION_ID:
        raise StoreError(f"{path}: is an SQLite file of another program, not MDT Assistant")
    result = db.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise StoreError(f"{path}: the database is damaged ({result}); restore a backup")
