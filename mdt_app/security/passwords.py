"""Passwords: Argon2id hashes (argon2-cffi with its default, OWASP-level parameters).
A password itself is never stored, logged or kept longer than the check needs."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from mdt_app.errors import ValidationError

MIN_LENGTH = 8
_hasher = PasswordHasher()


def check_strength(password: str) -> None:
    """Refuse passwords too short to protect a medico-legal signature."""
    if len(password) < MIN_LENGTH:
        raise ValidationError(f"a password needs at least {MIN_LENGTH} characters")
    if not password.strip():
        raise ValidationError("a password cannot be only spaces")


def hash_password(password: str) -> str:
    check_strength(password)
    return _hasher.hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
