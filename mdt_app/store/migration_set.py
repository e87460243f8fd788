"""The schema's migrations, registered without importing sqlite-utils.

The same interface and the same records as sqlite-utils' `Migrations` (the table
`_sqlite_migrations`, one row per applied migration of the set): every open asks which
are pending with two plain statements; applying them (rare) is sqlite-utils' own code,
loaded then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from mdt_app.store.sqlite_handle import as_database

if TYPE_CHECKING:
    from sqlite_utils.migrations import Migrations

F = TypeVar("F", bound=Callable[..., None])


@dataclass
class Migration:
    """One named schema migration and whether it runs in a transaction."""

    name: str
    fn: Callable[[Any], None]
    transactional: bool = True


class MigrationSet:
    """Named migrations in order, each applied once (recorded in `_sqlite_migrations`)."""

    migrations_table = "_sqlite_migrations"

    def __init__(self, name: str) -> None:
        self.name = name
        self._migrations: list[Migration] = []

    def __call__(self, *, name: str | None = None, transactional: bool = True) -> Callable[[F], F]:
        """Register the decorated function as the next migration."""

        def register(fn: F) -> F:
            migration_name = name or fn.__name__
            if any(m.name == migration_name for m in self._migrations):
                raise ValueError(
                    f"Migration '{migration_name}' is already registered in set '{self.name}'"
                )
            self._migrations.append(Migration(migration_name, fn, transactional))
            return fn

        return register

    def applied_names(self, db: Any) -> set[str]:
        """The names of this set's migrations the database has (plain statements)."""
        table = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
            [self.migrations_table],
        ).fetchall()
        if not table:
            return set()
        rows = db.execute(
            f"SELECT name FROM {self.migrations_table} WHERE migration_set = ?", [self.name]
        ).fetchall()
        return {r[0] for r in rows}

    def pending(self, db: Any) -> list[Migration]:
        """The migrations not yet applied, in order (read only)."""
        applied = self.applied_names(db)
        return [m for m in self._migrations if m.name not in applied]

    def _sqlite_utils(self) -> Migrations:
        from sqlite_utils.migrations import Migrations

        real = Migrations(self.name)
        real._migrations = list(self._migrations)  # type: ignore[arg-type]  # same fields
        return real

    def apply(self, db: Any, *, stop_before: str | Iterable[str] | None = None) -> None:
        """Apply the pending migrations (sqlite-utils' `Migrations.apply`)."""
        self._sqlite_utils().apply(as_database(db), stop_before=stop_before)

    def ensure_migrations_table(self, db: Any) -> None:
        """The records table, created as sqlite-utils creates it (statement for statement);
        an older layout of it is sqlite-utils' to convert."""
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if self.migrations_table in tables:
            key = [r[1] for r in db.execute(f"PRAGMA table_info({self.migrations_table})") if r[5]]
            if key != ["id"]:
                self._sqlite_utils().ensure_migrations_table(as_database(db))
            return
        db.execute(_CREATE_TABLE)
        db.execute(_CREATE_INDEX)

    def _record_applied(self, db: Any, name: str) -> None:
        db.execute(
            f'INSERT INTO "{self.migrations_table}" ("applied_at", "migration_set", "name") '
            "VALUES (?, ?, ?)",
            [str(datetime.now(UTC)), self.name, name],
        )


# Exactly what sqlite-utils 4 runs (kept byte for byte: the schema is compared).
_CREATE_TABLE = """CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);"""
_CREATE_INDEX = """CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");"""
