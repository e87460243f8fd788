"""Errors a user can cause and fix; the CLI prints them as one line, the window as a dialog."""


class UserError(Exception):
    """A problem with what the user asked for: unknown id, bad file, unreadable database."""

    exit_code = 1


class NotFound(UserError):
    """An id that names nothing in the database."""


class StoreError(UserError):
    """The database cannot be opened, read or written (locked, corrupt, not a database)."""


class DatabaseUnavailable(StoreError):
    """The database cannot be reached just now: its file is gone or locked past the wait,
    or the server connection is lost. Nothing was written; the same step may succeed
    later, so the window keeps the user's typing on this computer (``mdt_app.live``)."""


class ValidationError(UserError):
    """A value that is impossible or breaks a rule (the message names the field)."""


class SignedDecisionError(UserError):
    """An attempt to change a decision that has been signed off: amend it instead."""


class ConflictError(UserError):
    """A save against an older version of a record someone else has changed since.

    Nothing was written. ``changes`` maps each field that differs between the stored
    record and the one being saved to ``{"stored": ..., "yours": ...}``; ``current`` is
    the record as now stored, so the window can show it beside what the user typed.
    """

    def __init__(
        self,
        what: str,
        *,
        expected_version: int,
        stored_version: int,
        changed_by: str | None = None,
        changed_at: str | None = None,
        changes: dict | None = None,
        current: object = None,
    ):
        self.what = what
        self.expected_version = expected_version
        self.stored_version = stored_version
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.changes = changes or {}
        self.current = current
        who = f" by {changed_by}" if changed_by else ""
        when = f" at {changed_at[11:16]}" if changed_at and len(changed_at) >= 16 else ""
        fields = ", ".join(sorted(self.changes)) or "no visible field"
        super().__init__(
            f"{what} was changed{who}{when} after you opened it (version {expected_version}, "
            f"now {stored_version}; differs in: {fields}); nothing was saved - "
            "review their version, then reload or save yours again"
        )


StaleEdit = ConflictError  # the name the issue uses


class AuthenticationError(UserError):
    """A wrong username or password, or a disabled account."""


class PermissionDenied(UserError):
    """The acting user's role (or the database's rules) does not allow this."""
