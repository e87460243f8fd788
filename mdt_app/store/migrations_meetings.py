"""Migrations for running real meetings: meeting details and cancellation, recurring
series, intake drafts and the patient search index.

The meetings table is rebuilt once (SQLite cannot change a CHECK constraint in place)
so that 'cancelled' becomes a status (m130_meeting_cancelled_status). The rebuild copies
whatever columns, indexes and triggers the table has at that point, so migrations of
other modules that ran before keep their work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mdt_app.store.schema import migrations

if TYPE_CHECKING:  # annotations only: sqlite-utils loads where it is used
    from sqlite_utils import Database

OLD_STATUS_CHECK = "status IN ('planned', 'in_progress', 'closed')"
NEW_STATUS_CHECK = "status IN ('planned', 'in_progress', 'closed', 'cancelled')"


@migrations(transactional=False)
def m130_meeting_cancelled_status(db: Database) -> None:
    """Rebuild the meetings table so that 'cancelled' is an allowed status.

    Foreign keys must be off while the table is swapped (SQLite's documented procedure;
    deferring them is not enough, the drop counts as deleting every meeting), and that
    pragma only works outside a transaction: so this migration runs its own transaction
    and checks every foreign key before committing.
    """
    sql = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'meetings'"
    ).fetchone()[0]
    if "'cancelled'" in sql:
        return  # already done (a run stopped after the swap, before being recorded)
    if OLD_STATUS_CHECK not in sql:
        raise RuntimeError("the meetings table has an unexpected status constraint")
    if db.conn.in_transaction:
        raise RuntimeError("the meetings table cannot be rebuilt inside a transaction")
    extras = [
        row[0]
        for row in db.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'meetings'"
            " AND type IN ('index', 'trigger') AND sql IS NOT NULL"
        ).fetchall()
    ]
    columns = ", ".join(f'"{c.name}"' for c in db["meetings"].columns)
    new_sql = sql.replace(OLD_STATUS_CHECK, NEW_STATUS_CHECK).replace(
        "CREATE TABLE meetings", "CREATE TABLE meetings_rebuilt", 1
    )
    keys_were_on = db.execute("PRAGMA foreign_keys").fetchone()[0]
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        with db.atomic():
            db.execute(new_sql)
            db.execute(f"INSERT INTO meetings_rebuilt ({columns}) SELECT {columns} FROM meetings")
            db.execute("DROP TABLE meetings")
            db.execute("ALTER TABLE meetings_rebuilt RENAME TO meetings")
            for statement in extras:
                db.execute(statement)
            broken = db.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"rebuilding meetings broke foreign keys: {broken[:3]}")
    finally:
        if keys_were_on:
            db.execute("PRAGMA foreign_keys = ON")


@migrations()
def m130_meeting_details(db: Database) -> None:
    """Time, expected specialties, series, cancellation and closing of a meeting."""
    db.execute("""
        CREATE TABLE meeting_series (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL CHECK (length(trim(title)) > 0),
            weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
            starts_on TEXT NOT NULL,
            start_time TEXT,
            chair TEXT,
            location TEXT,
            expected_specialties TEXT NOT NULL DEFAULT '[]',
            weeks_ahead INTEGER NOT NULL DEFAULT 4 CHECK (weeks_ahead BETWEEN 1 AND 52),
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        )""")
    for statement in (
        "ALTER TABLE meetings ADD COLUMN start_time TEXT",
        "ALTER TABLE meetings ADD COLUMN expected_specialties TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE meetings ADD COLUMN series_id INTEGER REFERENCES meeting_series(id)",
        "ALTER TABLE meetings ADD COLUMN status_reason TEXT",
        "ALTER TABLE meetings ADD COLUMN closed_at TEXT",
        "ALTER TABLE meetings ADD COLUMN closed_by TEXT",
        # The selector lists meetings around today and finds older ones by date or title.
        "CREATE INDEX meetings_date ON meetings(date, start_time, id)",
        "CREATE INDEX meetings_title ON meetings(title COLLATE NOCASE)",
        "CREATE UNIQUE INDEX meetings_series_date ON meetings(series_id, date)"
        " WHERE series_id IS NOT NULL",
        "CREATE INDEX agenda_meeting ON agenda_items(meeting_id, position)",
    ):
        db.execute(statement)


@migrations()
def m130_intake_drafts(db: Database) -> None:
    """An unfinished referral form, kept per user until it is saved or discarded."""
    db.execute("""
        CREATE TABLE intake_drafts (
            actor TEXT PRIMARY KEY,
            saved_at TEXT NOT NULL,
            form TEXT NOT NULL
        )""")


# Letters that carry no combining accent (so Unicode decomposition leaves them alone)
# but that a user types without: "bjornstad" must find "Bjørnstad".
FOLDS = (
    ("ø", "o"), ("Ø", "o"), ("æ", "ae"), ("Æ", "ae"), ("œ", "oe"), ("Œ", "oe"),
    ("ß", "ss"), ("ł", "l"), ("Ł", "l"), ("đ", "d"), ("Đ", "d"), ("ð", "d"), ("Ð", "d"),
    ("þ", "th"), ("Þ", "th"), ("ı", "i"),
)  # fmt: skip


def folded_sql(expression: str) -> str:
    """SQL that applies FOLDS to ``expression`` (built-in functions only, so every
    connection, the sqlite3 shell included, can run the triggers)."""
    out = expression
    for letter, plain in FOLDS:
        out = f"replace({out}, '{letter}', '{plain}')"
    return out


def _search_text(prefix: str) -> str:
    name = f"{prefix}.given_name || ' ' || {prefix}.family_name"
    # Both spellings are indexed; the tokenizer folds case and combining accents.
    return f"{name} || ' ' || {folded_sql(name)}"


# The text m130's triggers index for a patient row named ``prefix``; an import indexes
# its batch of new patients with it in one statement (store/case_batch.py).
search_text_sql = _search_text


@migrations()
def m130_patient_search(db: Database) -> None:
    """Full-text index of patient names (FTS5), kept in step by triggers."""
    db.execute(
        "CREATE VIRTUAL TABLE patient_search USING fts5("
        "name, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')"
    )
    db.execute(
        f"INSERT INTO patient_search (rowid, name) SELECT p.id, {_search_text('p')} FROM patients p"
    )
    db.execute(f"""
        CREATE TRIGGER patient_search_insert AFTER INSERT ON patients BEGIN
            INSERT INTO patient_search (rowid, name) VALUES (NEW.id, {_search_text("NEW")});
        END""")
    db.execute(f"""
        CREATE TRIGGER patient_search_update AFTER UPDATE OF given_name, family_name
        ON patients BEGIN
            DELETE FROM patient_search WHERE rowid = OLD.id;
            INSERT INTO patient_search (rowid, name) VALUES (NEW.id, {_search_text("NEW")});
        END""")
    db.execute("""
        CREATE TRIGGER patient_search_delete AFTER DELETE ON patients BEGIN
            DELETE FROM patient_search WHERE rowid = OLD.id;
        END""")
    db.execute("CREATE INDEX patients_birth_date ON patients(birth_date)")
    db.execute("CREATE INDEX patients_mrn_nocase ON patients(mrn COLLATE NOCASE)")
