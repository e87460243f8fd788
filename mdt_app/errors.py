"""Errors a user can cause and fix; the CLI prints them as one line, the window as a dialog."""


class UserError(Exception):
    """A problem with what the user asked for: unknown id, bad file, unreadable database."""

    exit_code = 1


class NotFound(UserError):
    """An id that names nothing in the database."""


class StoreError(UserError):
    """The database cannot be opened, read or written (locked, corrupt, not a database)."""


class ValidationError(UserError):
    """A value that is impossible or breaks a rule (the message names the field)."""


class SignedDecisionError(UserError):
    """An attempt to change a decision that has been signed off: amend it instead."""
