"""The change feed of a team database (issue 19 point 4): LISTEN/NOTIFY.

Each audit entry's insert sends ``NOTIFY mdt_changes`` (migration p005_change_notify);
PostgreSQL delivers it at commit, so a listener never hears of a change it cannot read
yet. The feed holds one connection of its own, outside the pool, that LISTENs; `poll`
drains what has arrived without waiting and, when something has (or every few seconds
anyway, in case a notification was lost), reads the audit entries after the last one it
saw. The payload only wakes the feed: what changed is always read from the audit log,
so this feed returns the same records as the SQLite one.

It answers the `mdt_app.live` change-feed interface (`poll`, `reachable`,
`check_available`); what a "change" is comes from there, given as ``changes_after`` and
``newest`` (so this module does not depend on the window's live layer):

    register_feed("postgresql", lambda store: PgChangeFeed(
        store, changes_after, newest_audit_id, DatabaseUnavailable))
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import psycopg

from mdt_app.errors import StoreError
from mdt_app.store.pg.connection import PgDatabase
from mdt_app.store.pg.dialect import message

if TYPE_CHECKING:
    from mdt_app.store import Store

CHANNEL = "mdt_changes"
RESYNC_SECONDS = 5.0  # read the log even without a notification this often
Change = TypeVar("Change")


class PgChangeFeed(Generic[Change]):
    """LISTEN on a connection of its own; the audit log is the journal."""

    def __init__(
        self,
        store: Store,
        changes_after: Callable[[Store, int], list[Change]],
        newest: Callable[[Store], int],
        unavailable: type[Exception] = StoreError,
        *,
        resync_seconds: float = RESYNC_SECONDS,
    ) -> None:
        self.store = store
        self.changes_after = changes_after
        self.unavailable = unavailable
        self.resync_seconds = resync_seconds
        self.listener: psycopg.Connection[Any] | None = None
        self._listen()
        self.last_seen = newest(store)
        self.last_read = time.monotonic()

    def _listen(self) -> None:
        url = getattr(self.store.path, "url", str(self.store.path))
        try:
            self.listener = psycopg.connect(url, autocommit=True, connect_timeout=10)
            self.listener.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            self.listener = None
            raise self.unavailable(
                f"{self.store.path}: the server cannot be reached ({message(exc)})"
            ) from None

    def _drain(self) -> int:
        """How many notifications arrived since the last poll (never waits)."""
        if self.listener is None or self.listener.closed or self.listener.broken:
            raise self.unavailable(f"{self.store.path}: the connection to the server was lost")
        try:
            return sum(1 for _ in self.listener.notifies(timeout=0))
        except psycopg.Error as exc:
            self.listener.close()  # reachable() listens again on a new connection
            self.listener = None
            raise self.unavailable(
                f"{self.store.path}: the connection to the server was lost ({message(exc)})"
            ) from None

    def poll(self) -> list[Change]:
        """Changes committed since the last poll, oldest first (this client's own too:
        the window compares versions and leaves alone what it already shows)."""
        heard = self._drain()
        due = time.monotonic() - self.last_read >= self.resync_seconds
        if not heard and not due:
            return []
        self.check_available()
        if self.store.db.conn.in_transaction:
            return []  # this client is mid-write; ask again on the next turn
        found: list[Change] = []
        try:
            while True:
                batch = self.changes_after(self.store, self.last_seen)
                if not batch:
                    break
                found += batch
                self.last_seen = int(getattr(batch[-1], "audit_id", self.last_seen))
        except StoreError as exc:
            raise self.unavailable(str(exc)) from None
        self.last_read = time.monotonic()
        return found

    def check_available(self) -> None:
        """Raise when the store's own connection is gone (no round trip: a lost server
        shows up as an error of the next statement anyway)."""
        raw = self._db().conn.raw
        if raw.closed or raw.broken:
            raise self.unavailable(f"{self.store.path}: the connection to the server was lost")

    def reachable(self) -> bool:
        """Reconnect what was lost (the store's connection, the listener); True when
        both work again."""
        try:
            db = self._db()
            if db.conn.raw.closed or db.conn.raw.broken:
                db.reconnect()
            db.execute("SELECT 1")
            if self.listener is not None:
                try:
                    self.listener.execute("SELECT 1")  # a drop not noticed yet shows here
                except psycopg.Error:
                    self.listener.close()
                    self.listener = None
            if self.listener is None or self.listener.closed or self.listener.broken:
                self._listen()
            return True
        except Exception:  # noqa: BLE001 - any failure means "not yet"
            return False

    def _db(self) -> PgDatabase:
        db = self.store.db
        if not isinstance(db, PgDatabase):
            raise StoreError(f"{self.store.path}: not a team database on a server")
        return db

    def close(self) -> None:
        """Stop listening."""
        if self.listener is not None and not self.listener.closed:
            self.listener.close()
