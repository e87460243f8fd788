"""Passwords: Argon2id hashes (argon2-cffi with its default, OWASP-level parameters).
A password itself is never stored, logged or kept longer than the check needs."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from mdt_app.errors import ValidationError

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MIN_LENGTH = 8


@cache
def _hasher() -> PasswordHasher:
    """argon2-cffi, loaded when a password is first hashed or checked (not by every
    command or window start that only lists who may sign in)."""
    from argon2 import PasswordHasher

    return PasswordHasher()


def check_strength(password: str) -> None:
    """Refuse passwords too short to protect a medico-legal signature."""
    if len(password) < MIN_LENGTH:
        raise ValidationError(f"a password needs at least {MIN_LENGTH} characters")
    if not password.strip():
        raise ValidationError("a password cannot be only spaces")


def hash_password(password: str) -> str:
    check_strength(password)
    return _hasher().hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        return bool(_hasher().verify(stored_hash, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
