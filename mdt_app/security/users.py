"""Local user accounts and roles; signing a user in on a Store.

Roles (what the window offers each is in `roles.py`): a chair runs the meeting and is
the only one who signs off; members draft; nurses print care programmes;
administrators export minutes and manage users. Accounts are disabled, never deleted,
so every name in the audit log stays resolvable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mdt_app.errors import AuthenticationError, NotFound, PermissionDenied, ValidationError
from mdt_app.security.passwords import hash_password, password_matches
from mdt_app.store import Store, now

ROLES = ("chair", "member", "nurse", "administrator")
USERNAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
MANAGERS = ("chair", "administrator")  # who may add, disable and reset accounts


__all__ = ["AuthenticationError", "PermissionDenied", "User"]


@dataclass(frozen=True)
class User:
    id: int
    username: str
    name: str
    specialty: str
    role: str
    active: bool

    @property
    def label(self) -> str:
        """How the title bar and lists show the user: name (role)."""
        return f"{self.name} ({self.role})"


def _user(row: dict) -> User:
    return User(
        row["id"], row["username"], row["name"], row["specialty"], row["role"], bool(row["active"])
    )


def has_users(store: Store) -> bool:
    return bool(store.query("SELECT 1 FROM users LIMIT 1"))


def list_users(store: Store, *, active_only: bool = False) -> list[User]:
    where = " WHERE active = 1" if active_only else ""
    return [_user(r) for r in store.query(f"SELECT * FROM users{where} ORDER BY name")]


def get_user(store: Store, username: str) -> User:
    found = store.query("SELECT * FROM users WHERE lower(username) = lower(?)", [username.strip()])
    if not found:
        raise NotFound(f"no user named {username.strip()!r}")
    return _user(found[0])


def add_user(
    store: Store, username: str, name: str, role: str, password: str, specialty: str = ""
) -> User:
    """Create an account. The first account of a database must be a chair; later ones
    need a chair or an administrator signed in on ``store``."""
    username, name = username.strip(), name.strip()
    if not USERNAME.match(username):
        raise ValidationError(
            "a username is 1-64 letters, digits, dots, hyphens or underscores (no spaces)"
        )
    if not name:
        raise ValidationError("a user needs a name")
    if role not in ROLES:
        raise ValidationError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    first = not has_users(store)
    if first and role != "chair":
        raise ValidationError("the first user of a database must be a chair")
    if not first:
        require_role(store, MANAGERS, "add users")
    if store.query("SELECT 1 FROM users WHERE lower(username) = lower(?)", [username]):
        raise ValidationError(f"the username {username!r} is taken")
    hashed = hash_password(password)
    stamp = now().isoformat()
    with store.atomic():
        user_id = store.insert(
            "users",
            {
                "username": username,
                "name": name,
                "specialty": specialty.strip(),
                "role": role,
                "password_hash": hashed,
                "created_at": stamp,
                "updated_at": stamp,
            },
        )
        store.audit(
            "add_user",
            "user",
            user_id,
            {"username": username, "role": role, "first_chair": first},
        )
        _server_login(store, username, role, password)
    return get_user(store, username)


def _server_login(store: Store, username: str, role: str, password: str) -> None:
    """On a team server: the user's own login in their role's group (store/pg/roles.py)."""
    if store.is_server:
        from mdt_app.store.pg.roles import save_login

        save_login(store, username, role, password)


def authenticate(store: Store, username: str, password: str) -> User:
    """The account whose password this is; AuthenticationError otherwise."""
    found = store.query("SELECT * FROM users WHERE lower(username) = lower(?)", [username.strip()])
    if not found or not password_matches(found[0]["password_hash"], password):
        raise AuthenticationError("wrong username or password")
    user = _user(found[0])
    if not user.active:
        raise AuthenticationError(f"the account {user.username!r} is disabled")
    return user


def sign_in(store: Store, user: User) -> None:
    """From now on the store records ``user`` (and their role) as acting, authenticated."""
    store.actor = user.username
    store.role = user.role
    store.authenticated = True
    store.user_id = user.id


def current_user(store: Store) -> User | None:
    if not store.authenticated or store.user_id is None:
        return None
    found = store.query("SELECT * FROM users WHERE id = ?", [store.user_id])
    return _user(found[0]) if found else None


def require_role(store: Store, roles: tuple[str, ...], doing: str) -> None:
    """Refuse unless a user with one of ``roles`` is signed in on ``store``."""
    if not store.authenticated:
        raise PermissionDenied(
            f"to {doing}, sign in as a {' or '.join(roles)} (on the command line: "
            "--as USERNAME with --password-file FILE or MDT_APP_PASSWORD)"
        )
    if store.role not in roles:
        raise PermissionDenied(f"a {store.role} cannot {doing}; a {' or '.join(roles)} can")


def disable_user(store: Store, username: str) -> User:
    require_role(store, MANAGERS, "disable users")
    user = get_user(store, username)
    if not user.active:
        return user
    chairs = [u for u in list_users(store, active_only=True) if u.role == "chair"]
    if user.role == "chair" and len(chairs) == 1:
        raise ValidationError("this is the last active chair; add another chair first")
    with store.atomic():
        store.db.execute(
            "UPDATE users SET active = 0, updated_at = ? WHERE id = ?",
            [now().isoformat(), user.id],
        )
        store.audit("disable_user", "user", user.id, {"username": user.username})
        if store.is_server:
            from mdt_app.store.pg.roles import disable_login

            disable_login(store, user.username)
    return get_user(store, username)


def set_password(store: Store, username: str, new_password: str) -> None:
    """Change a password: one's own, or anyone's for a chair or administrator."""
    user = get_user(store, username)
    if store.user_id != user.id:
        require_role(store, MANAGERS, "reset another user's password")
    hashed = hash_password(new_password)
    with store.atomic():
        store.db.execute(
            "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?",
            [hashed, now().isoformat(), user.id],
        )
        store.audit("set_password", "user", user.id, {"username": user.username})
        _server_login(store, user.username, user.role, new_password)
