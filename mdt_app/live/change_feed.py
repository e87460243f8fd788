"""The change feed: "tell me what changed since I last asked, and by whom".

A window showing a meeting asks its feed a few times a second (`poll`); the feed
answers with the `Change` records other clients committed meanwhile, and raises
`DatabaseUnavailable` when the database cannot be reached (then `reachable` says when it
is back). The journal is the audit log itself (every write appends to it in its own
transaction), so a feed only needs a cheap way to know *whether* to read it.

SQLite (`SqliteChangeFeed`, between processes on one machine)
    ``PRAGMA data_version`` changes only when *another* connection committed: when it is
    unchanged, the entries since the last poll are this window's own and are skipped
    without being read. When it changed, the entries after the last one seen are read by
    id (the primary key). The database file is also watched by ``stat`` (device and
    inode): a file that is gone or was replaced (a share disconnected) is reported as
    unavailable, because SQLite would go on writing into the deleted file.

PostgreSQL (the hook for the server backend, issue 19)
    A backend supplies its own feed by registering a factory for its name
    (``register_feed("postgresql", factory)``); `open_change_feed(store)` picks it by
    ``store.backend`` (SQLite when the store has none). The expected design:

    - an ``AFTER INSERT ON audit_log FOR EACH ROW`` trigger runs
      ``pg_notify('mdt_changes', json_build_object('audit_id', NEW.id, 'entity',
      NEW.entity, 'entity_id', NEW.entity_id, 'actor', NEW.actor)::text)``; NOTIFY is
      delivered at commit, so a listener never hears of a change it cannot read yet;
    - the feed holds one dedicated connection (outside the pool) that has run
      ``LISTEN mdt_changes``; `poll` drains the pending notifications without waiting
      (psycopg 3: ``conn.notifies(timeout=0)``) and, if there were any (or every few
      seconds anyway, in case one was lost), reads `changes_after(store, last_seen)` just
      as SQLite does: the payload is only a wake-up, never the data, so every feed returns
      the same `Change` records with the meeting and case they concern;
    - it may return this client's own entries too: the window compares what it shows
      with the stored versions and leaves alone what it already shows;
    - a lost connection raises `DatabaseUnavailable`; `reachable` reconnects (and
      LISTENs again) and answers whether it could.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from mdt_app.errors import DatabaseUnavailable, StoreError
from mdt_app.live.changes import Change, changes_after, newest_audit_id
from mdt_app.store import Store

CHANNEL = "mdt_changes"  # the PostgreSQL NOTIFY channel (see the module docstring)


class ChangeFeed(Protocol):
    """What the window needs from a backend to stay current and notice an outage."""

    def poll(self) -> list[Change]:
        """The changes committed by other clients since the last poll, oldest first.

        Raises DatabaseUnavailable when the database cannot be reached."""
        ...

    def reachable(self) -> bool:
        """Whether the database can be read and written again (after DatabaseUnavailable);
        never waits for a lock."""
        ...

    def check_available(self) -> None:
        """Raise DatabaseUnavailable if a write now would not reach the database (asked
        before each autosave; cheap: no round trip needed where a lost connection shows
        up as an error of the write itself, as on a server)."""
        ...


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


class SqliteChangeFeed:
    """The feed of an SQLite file shared by the processes of one machine."""

    def __init__(self, store: Store):
        self.store = store
        self.path = Path(store.path)
        self.file = _identity(self.path)
        self.last_seen = newest_audit_id(store)
        self.data_version = self._data_version()

    def _data_version(self) -> int:
        return int(self.store.query("PRAGMA data_version")[0]["data_version"])

    def _check_file(self) -> None:
        now = _identity(self.path)
        if now is None:
            raise DatabaseUnavailable(f"{self.path}: the database file cannot be found")
        if self.file is not None and now != self.file:
            raise DatabaseUnavailable(
                f"{self.path}: the database file was replaced while open; "
                "restart the app to open the new file"
            )

    def check_available(self) -> None:
        # SQLite goes on writing into a file that was deleted or replaced under it: such
        # a save would look successful and be lost. stat() only: nothing is opened.
        self._check_file()

    def poll(self) -> list[Change]:
        self._check_file()
        if self.store.db.conn.in_transaction:
            return []  # this window is mid-write; ask again on the next turn
        newest = newest_audit_id(self.store)  # first: then a commit in between is noticed
        version = self._data_version()
        if version == self.data_version:  # nobody else committed: the entries are ours
            self.last_seen = max(self.last_seen, newest)
            return []
        self.data_version = version
        found: list[Change] = []
        while True:
            batch = changes_after(self.store, self.last_seen)
            if not batch:
                return found
            found += batch
            self.last_seen = batch[-1].audit_id

    def reachable(self) -> bool:
        if _identity(self.path) is None or (
            self.file is not None and _identity(self.path) != self.file
        ):
            return False
        conn = self.store.db.conn
        if conn.in_transaction:
            return True  # this window is writing to it, so it is there
        # Take the write lock without waiting, then give it back: a lock held too long by
        # another program means saves would still fail.
        timeout_ms = int(self.store.busy_timeout * 1000)
        try:
            conn.execute("PRAGMA busy_timeout = 0")
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return True
        except Exception:  # sqlite3's or SQLCipher's error: busy, or not there
            return False
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            conn.execute(f"PRAGMA busy_timeout = {timeout_ms}")


def _postgresql_feed(store: Store) -> ChangeFeed:
    """LISTEN/NOTIFY on a team database (mdt_app.store.pg.change_feed), same Changes."""
    from mdt_app.store.pg.change_feed import PgChangeFeed

    return PgChangeFeed(store, changes_after, newest_audit_id, DatabaseUnavailable)


FeedFactory = Callable[[Store], ChangeFeed]
_FACTORIES: dict[str, FeedFactory] = {"sqlite": SqliteChangeFeed, "postgresql": _postgresql_feed}


def register_feed(backend: str, factory: FeedFactory) -> None:
    """Let a backend (``store.backend``, e.g. "postgresql") supply its own feed."""
    _FACTORIES[backend] = factory


def open_change_feed(store: Store) -> ChangeFeed:
    """The change feed for ``store``'s backend (SQLite unless the store says otherwise)."""
    backend = str(getattr(store, "backend", "sqlite") or "sqlite")
    factory = _FACTORIES.get(backend)
    if factory is None:
        raise StoreError(f"no change feed for the {backend} backend; live updates are off")
    return factory(store)
