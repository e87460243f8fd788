"""The first account of a database: its first chair, on a file or on a team server.

On a team server the first chair is also where the server starts enforcing the app
roles: the database's group roles are set up first (as `mdt-app server init` does), so
the chair and everyone added after get their own server login in their role's group.
Without this, `mdt-app user add` or the window's first-chair dialog on an empty server
database made a team database whose server enforced nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mdt_app.errors import StoreError

if TYPE_CHECKING:
    from mdt_app.security.users import User
    from mdt_app.store import Store


def add_first_chair(
    store: Store, username: str, name: str, password: str, specialty: str = ""
) -> User:
    """Create the first chair of ``store`` (a database with no accounts yet); on a server,
    after setting up its roles. A login that may not create roles is told, in one line,
    who can set the team database up instead; nothing is created then."""
    from mdt_app.security.users import add_user

    if store.is_server:
        from mdt_app.store.pg.roles import roles_enforced, set_up_server_roles

        if not roles_enforced(store):
            try:
                set_up_server_roles(store)
            except StoreError as exc:
                raise StoreError(
                    f"{exc}; a login that may create roles (the database's owner) sets the "
                    "team database up with `mdt-app server init URL --chair USERNAME`"
                ) from None
    return add_user(store, username, name, "chair", password, specialty)
