"""The demo database's synthetic accounts (one per role), all with one published
password: they exist to show the sign-in and signature steps, never to protect data."""

from __future__ import annotations

from mdt_app.security.users import User, add_user, get_user, has_users, sign_in
from mdt_app.store import Store

DEMO_PASSWORD = "demo-password"  # noqa: S105  (published on purpose: synthetic demo only)
DEMO_CHAIR = "ines"
DEMO_USERS = (
    # username, name, specialty, role
    (DEMO_CHAIR, "Dr Inés Muñoz-Álvarez", "medical oncologist", "chair"),
    ("bartek", "Dr Bartłomiej Żółkiewski", "surgeon", "member"),
    ("gosia", "Małgorzata Dąbrowska", "nurse specialist", "nurse"),
    ("coordinator", "Sam Okafor (MDT coordinator)", "", "administrator"),
)


def add_demo_users(store: Store) -> User:
    """Create the demo accounts on an empty user table; returns the demo chair."""
    if has_users(store):
        return get_user(store, DEMO_CHAIR)
    before = (store.actor, store.role, store.authenticated, store.user_id)
    for username, name, specialty, role in DEMO_USERS:
        user = add_user(store, username, name, role, DEMO_PASSWORD, specialty)
        if role == "chair":  # the first chair adds the others
            sign_in(store, user)
    store.actor, store.role, store.authenticated, store.user_id = before
    return get_user(store, DEMO_CHAIR)
