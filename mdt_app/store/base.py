"""The core of a Store: the connection, transactions, the audit log and settings."""

from __future__ import annotations

import getpass
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mdt_app import domain as d
from mdt_app.errors import DatabaseUnavailable, PermissionDenied, StoreError
from mdt_app.security import audit_chain
from mdt_app.store.dialect import SQLITE, Dialect

if TYPE_CHECKING:  # annotations only: sqlite-utils loads where it is used
    from sqlite_utils import Database

DEFAULT_BUSY_TIMEOUT = 5.0  # seconds a write waits for another program's write


def now() -> datetime:
    """The local time now, to the second, with its UTC offset (how every record is stamped)."""
    return datetime.now().astimezone().replace(microsecond=0)


def now_text() -> str:
    """``now()`` as stored in the database (ISO 8601 text)."""
    return now().isoformat()


def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): still attribute the change
        return "unknown-user"


def audit_entry_from(r: dict[str, Any]) -> d.AuditEntry:
    """One audit_log row as an AuditEntry (the store's log and a case's history)."""
    return d.AuditEntry(
        at=datetime.fromisoformat(r["at"]),
        actor=r["actor"],
        action=r["action"],
        entity=r["entity"],
        entity_id=r["entity_id"],
        details=json.loads(r["details"]),
        id=r["id"],
        role=r.get("role"),
        authenticated=bool(r.get("authenticated")),
        signed_hash=r.get("signed_hash"),
    )


# The audit_log columns the app writes, in the order audit_many builds them.
_AUDIT_COLUMNS = (
    "id", "at", "actor", "role", "authenticated", "action", "entity", "entity_id",
    "details", "signed_hash", "prev_hash", "entry_hash",
)  # fmt: skip

# Read for every imported case (patient identity), written only through set_setting.
READ_ONCE_PER_WRITE = frozenset({"default_identifier_system", "identifier_systems"})


class StoreCore:
    """What every repository of the store receives: the connection and its transactions,
    the clock, who is acting (and how they proved it), the audit log and settings.

    Repositories (cases, meetings, agenda, decisions, ...) hold one StoreCore and the
    few other repositories they read from; none of them calls back into the `Store`.
    """

    def __init__(
        self,
        db: Database | Any,  # sqlite-utils, or store.pg.connection.PgDatabase
        path: Path | Any,  # the file, or a paths.ServerURL
        actor: str | None = None,
        clock: Callable[[], datetime] = now,
        dialect: Dialect = SQLITE,
    ) -> None:
        self.db = db
        self.dialect = dialect
        self.path = path
        self.clock = clock
        self.actor = actor or default_actor()
        self.busy_timeout = DEFAULT_BUSY_TIMEOUT
        # Set by mdt_app.security.users when someone signs in; until then the OS login,
        # recorded as not authenticated.
        self.role: str | None = None
        self.authenticated = False
        self.user_id: int | None = None
        self.confirmed_signer: int | None = None  # a chair who re-entered their password
        # Set by the CLI when the database wants named users there and none was given.
        self.refuse_unnamed_writes = False
        self.passphrase: str | None = None  # in memory only, for copies (backups)
        # Settings read once per write transaction (see get_setting); None outside one.
        self._settings_this_write: dict[str, Any] | None = None

    def stamp(self) -> str:
        """The clock's time as stored (ISO 8601 with the UTC offset)."""
        return self.clock().isoformat()

    def close(self) -> None:
        self.db.close()

    # --- transactions and audit -------------------------------------------------------

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """One write transaction; database errors become a StoreError naming the problem.

        The outermost block is ``BEGIN IMMEDIATE``: the write lock is taken before the
        first read, so a busy database makes it wait (up to the busy timeout) instead of
        failing half-way between a read and a write. Nested blocks are savepoints.
        """
        try:
            if self.db.conn.in_transaction:
                try:
                    with self.db.atomic() as db:
                        yield db
                except BaseException:  # a savepoint rolled back may undo a setting read
                    if self._settings_this_write:
                        self._settings_this_write.clear()
                    raise
                return
            try:
                self.dialect.begin_write(self.db, self.busy_timeout)
            except BaseException:  # e.g. still locked after the wait: end what began
                if self.db.conn.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
            self._settings_this_write = {}
            try:
                try:
                    yield self.db
                except BaseException:
                    if self.db.conn.in_transaction:
                        self.db.execute("ROLLBACK")
                    raise
                try:
                    self.db.execute("COMMIT")
                except BaseException:
                    if self.db.conn.in_transaction:
                        self.db.execute("ROLLBACK")
                    raise
            finally:
                self._settings_this_write = None
        except StoreError:
            raise
        except Exception as exc:
            mapped = self.dialect.store_error(self.path, exc, self.busy_timeout)
            if mapped is None:
                raise
            raise mapped from exc

    def query(self, sql: str, params: Any = ()) -> list[dict]:
        try:
            # Straight on the connection: sqlite-utils' query() wraps each read in a
            # SAVEPOINT and a RELEASE, tripling the statements of every read.
            cursor = self.db.conn.execute(sql, params)
            names = [c[0] for c in cursor.description or ()]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        except Exception as exc:
            mapped = self.dialect.store_error(self.path, exc, self.busy_timeout)
            if mapped is None:
                raise
            raise mapped from exc

    def insert(self, table: str, row: dict) -> int:
        """Insert one row (inside a transaction) and return its id."""
        pk = self.dialect.insert(self.db, table, row)
        if pk is None:
            raise StoreError(f"{self.path}: the database returned no id for a new {table} row")
        return int(pk)

    def insert_many(self, table: str, rows: list[dict]) -> None:
        """Insert rows sharing their columns (a case's labs, imaging, prior treatments)."""
        self.dialect.insert_many(self.db, table, rows)

    def audit(
        self,
        action: str,
        entity: str,
        entity_id: int | None,
        details: dict | None = None,
        *,
        signed_hash: str | None = None,
    ) -> None:
        """Append to the audit log (call inside the transaction of the change it records).

        The entry is chained to the one before it (mdt_app.security.audit_chain) and
        records who acted, in which role, and whether they proved it with a password."""
        self.audit_many([(action, entity, entity_id, details, self.stamp())], signed_hash)

    def audit_many(
        self,
        entries: list[tuple[str, str, int | None, dict | None, str]],
        signed_hash: str | None = None,
    ) -> None:
        """Append several entries (action, entity, id, details, at) in one statement, each
        chained to the one before it exactly as ``audit`` chains them one by one (an
        import writes one entry per case)."""
        self.require_named_writer()
        if not entries:
            return
        last = self.db.execute(
            "SELECT id, entry_hash FROM audit_log ORDER BY id DESC LIMIT 1"
        ).fetchone()
        next_id = (last[0] + 1) if last else 1
        prev_hash = (last[1] if last else None) or audit_chain.GENESIS
        values: list[dict[str, Any]] = []
        for n, (action, entity, entity_id, details, at) in enumerate(entries):
            entry: dict[str, Any] = {
                "id": next_id + n,
                "at": at,
                "actor": self.actor,
                "role": self.role,
                "authenticated": int(self.authenticated),
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "details": json.dumps(details or {}, ensure_ascii=False, default=str),
                "signed_hash": signed_hash,
                "prev_hash": prev_hash,
            }
            entry["entry_hash"] = prev_hash = audit_chain.entry_hash(prev_hash, entry)
            values.append(entry)
        columns = ", ".join(_AUDIT_COLUMNS)
        sql = f"INSERT INTO audit_log ({columns}) VALUES ({', '.join('?' * len(_AUDIT_COLUMNS))})"
        if len(values) == 1:
            self.db.execute(sql, list(values[0].values()))
        elif self.dialect.name == "sqlite":
            # Multi-row statements: run one by one, each entry would open a statement
            # journal (the append-only trigger may abort it) and copy its pages there.
            from mdt_app.store.row_writer import insert_rows

            insert_rows(self.db.conn, "audit_log", values)
        else:
            self.db.conn.executemany(sql, [list(v.values()) for v in values])

    def require_named_writer(self) -> None:
        """PermissionDenied when this database wants named users and none signed in."""
        if self.refuse_unnamed_writes and not self.authenticated:
            raise PermissionDenied(
                "this database requires named users on the command line: add --as USERNAME"
                " (password from --password-file FILE or MDT_APP_PASSWORD)"
            )

    def audit_log(
        self, entity: str | None = None, entity_id: int | None = None
    ) -> list[d.AuditEntry]:
        where: list[str] = []
        params: list[Any] = []
        if entity is not None:
            where.append("entity = ?")
            params.append(entity)
        if entity_id is not None:
            where.append("entity_id = ?")
            params.append(entity_id)
        sql = "SELECT * FROM audit_log"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [audit_entry_from(r) for r in self.query(sql + " ORDER BY id", params)]

    # --- settings -----------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        """A stored setting (JSON), or ``default``.

        Inside a write transaction the settings an import reads for every case are read
        once: the write lock keeps other programs from changing them meanwhile, and
        ``set_setting`` (their only writer) drops what was read.
        """
        cache = self._settings_this_write
        if cache is not None and key in cache:
            value = cache[key]
        else:
            rows = self.query("SELECT value FROM settings WHERE key = ?", [key])
            value = rows[0]["value"] if rows else None
            if cache is not None and key in READ_ONCE_PER_WRITE:
                cache[key] = value
        return json.loads(value) if value is not None else default  # a fresh copy each time

    def set_setting(self, key: str, value: Any) -> None:
        with self.atomic():
            if self._settings_this_write is not None:
                self._settings_this_write.pop(key, None)
            self.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, json.dumps(value, ensure_ascii=False)],
            )
            self.audit("set_setting", "setting", None, {"key": key, "value": value})


StoreBase = StoreCore  # the name before the store was split into repositories


# What SQLite says when the file cannot be reached now but may be later (a share gone,
# a lock held past the wait): the window then keeps typing offline (mdt_app.live).
_UNAVAILABLE = ("locked", "busy", "unable to open", "disk i/o error", "no such file")


def _operational_error(
    path: Path, exc: sqlite3.OperationalError, timeout: float = DEFAULT_BUSY_TIMEOUT
) -> StoreError:
    """The one-line StoreError for ``exc``; DatabaseUnavailable when retrying may work."""
    message = _operational_message(path, exc, timeout)
    if any(word in str(exc).lower() for word in _UNAVAILABLE):
        return DatabaseUnavailable(message)
    return StoreError(message)


def _operational_message(
    path: Path, exc: sqlite3.OperationalError, timeout: float = DEFAULT_BUSY_TIMEOUT
) -> str:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return (
            f"{path}: the database is locked by another program (still busy after "
            f"waiting {timeout:g} s); nothing was changed - try again in a moment"
        )
    if "readonly" in text or "read-only" in text:
        return f"{path}: the database is read-only; check the file's permissions"
    if "unable to open" in text:
        return f"{path}: the database cannot be opened (check the folder and permissions)"
    if "malformed" in text:
        return f"{path}: the database is damaged ({text}); restore a backup"
    return f"{path}: database error: {text}"


def _database_error_message(path: Path, exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "not a database" in text:
        return f"{path}: is not an MDT Assistant database (not an SQLite file)"
    if "malformed" in text or "corrupt" in text:
        return f"{path}: the database is damaged ({text}); restore a backup"
    return f"{path}: database error: {text}"
