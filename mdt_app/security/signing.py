"""The electronic signature of an MDT decision: a chair, proving who they are with their
password again at the moment of signing; the signature records the signer, the meaning
("approved as the MDT decision") and the time. Never done from the command line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from mdt_app import domain as d
from mdt_app.errors import PermissionDenied
from mdt_app.security.users import User, authenticate, sign_in
from mdt_app.store import Store


@contextmanager
def confirmed_signature(store: Store, chair: User) -> Iterator[None]:
    """Within the block, ``store`` signs as ``chair`` (already authenticated); the
    previous identity is put back after."""
    if chair.role != "chair" or not chair.active:
        raise PermissionDenied("only a chair can sign off a decision")
    before = (store.actor, store.role, store.authenticated, store.user_id)
    sign_in(store, chair)
    store.confirmed_signer = chair.id
    try:
        yield
    finally:
        store.confirmed_signer = None
        store.actor, store.role, store.authenticated, store.user_id = before


def sign_off(
    store: Store,
    decision_id: int,
    username: str,
    password: str,
    *,
    exception_reason: str | None = None,
    today: date | None = None,
    version: int | None = None,
) -> d.Decision:
    """Check the chair's password, then sign the decision in their name (with the
    recorded reason when there is no quorum or it is not the meeting's day). A wrong
    password raises AuthenticationError and signs nothing."""
    chair = authenticate(store, username, password)
    with confirmed_signature(store, chair):
        return store.sign_decision(
            decision_id, chair.name, version, exception_reason=exception_reason, today=today
        )
