"""First-time set-up of a team database: schema, group roles, the first chair."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mdt_app.errors import StoreError
from mdt_app.paths import ServerURL

if TYPE_CHECKING:
    from mdt_app.security.users import User


def initialise_server(
    url: ServerURL, username: str, name: str, password: str, *, specialty: str = ""
) -> User:
    """Create the schema on the empty database at ``url`` and its first chair.

    Refused (nothing created) when the database already holds an MDT Assistant schema
    with accounts, or tables of another program."""
    from mdt_app.security.users import add_user, has_users
    from mdt_app.store import open_store
    from mdt_app.store.pg import roles
    from mdt_app.store.pg.open import connect_direct, verify_identity

    probe = connect_direct(url)
    try:
        if verify_identity(probe, url):  # tables of ours (or a refusal naming others')
            with open_store(url, create=False) as existing:
                if has_users(existing):
                    raise StoreError(
                        f"{url}: is already set up (it has accounts); "
                        "add people with 'mdt-app user add'"
                    )
    finally:
        probe.close()
    with open_store(url, actor=username) as store:
        roles.set_up_server_roles(store)
        chair = add_user(store, username, name, "chair", password, specialty)
    return chair
