"""Where files live: the database, and the resources shipped with the app.

One module decides, so tests and `--db` can override it. Nothing is created at import.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "mdt-assistant"
APP_AUTHOR = "MDT Assistant"
DB_ENV = "MDT_APP_DB"
DB_FILENAME = "mdt.db"


def user_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


SERVER_SCHEMES = ("postgresql://", "postgres://")


class ServerURL:
    """A team database on a PostgreSQL server: ``postgresql://[user[:password]@]host/db``.

    Shown without its password (messages, logs); ``url`` is the full text for the driver.
    """

    def __init__(self, url: str) -> None:
        self.url = url.strip()

    @staticmethod
    def is_server(value: object) -> bool:
        """True for a ``postgresql://`` URL (else it names a file)."""
        return isinstance(value, ServerURL) or (
            isinstance(value, str) and value.strip().lower().startswith(SERVER_SCHEMES)
        )

    @property
    def name(self) -> str:
        """The database's name on the server."""
        from urllib.parse import urlsplit

        return urlsplit(self.url).path.lstrip("/") or "postgres"

    @property
    def username(self) -> str | None:
        """The server login named in the URL, if any."""
        from urllib.parse import unquote, urlsplit

        user = urlsplit(self.url).username
        return unquote(user) if user else None

    def with_login(self, username: str, password: str) -> ServerURL:
        """The same server and database as the login ``username`` with ``password``
        (an app user's own server login, store/pg/roles.py)."""
        from urllib.parse import quote, urlsplit, urlunsplit

        parts = urlsplit(self.url)
        host = parts.netloc.rsplit("@", 1)[-1]
        auth = f"{quote(username, safe='')}:{quote(password, safe='')}"
        return ServerURL(urlunsplit(parts._replace(netloc=f"{auth}@{host}")))

    def redacted(self) -> str:
        """The URL with any password replaced by ***."""
        from urllib.parse import urlsplit, urlunsplit

        try:
            parts = urlsplit(self.url)
            password = parts.password
        except ValueError:  # malformed (e.g. an unclosed [IPv6]): hide what may be one
            import re

            return re.sub(r"(//[^:/@]*):[^@/]*@", r"\1:***@", self.url)
        if password is None:
            return self.url
        netloc = parts.netloc.replace(f":{password}@", ":***@", 1)
        return urlunsplit(parts._replace(netloc=netloc))

    def check(self) -> ServerURL:
        """This URL, or a one-line UserError when it cannot be read as an address."""
        from urllib.parse import urlsplit

        try:  # (the port is libpq's to read: it may list several hosts and ports)
            urlsplit(self.url).password  # noqa: B018 - reading it validates the address
        except ValueError as exc:
            from mdt_app.errors import UserError

            raise UserError(
                f"{self.redacted()}: not a valid postgresql:// address ({exc})"
            ) from None
        return self

    def __str__(self) -> str:
        return self.redacted()

    def __repr__(self) -> str:
        return f"ServerURL({self.redacted()!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ServerURL) and other.url == self.url

    def __hash__(self) -> int:
        return hash(self.url)


def database_path(cli_value: str | os.PathLike[str] | None = None, on_server: str = "") -> Path:
    """`--db`, then $MDT_APP_DB, then the platform's user data directory (a file).

    A server URL is refused here with a one-line message, followed by ``on_server``
    (what to do on a server instead); commands that work on a server as well ask
    `database_location`."""
    location = database_location(cli_value)
    if isinstance(location, ServerURL):
        from mdt_app.errors import UserError

        instead = f"; {on_server}" if on_server else ""
        raise UserError(
            f"{location}: this command works on a database file, not on a server{instead}"
        )
    return location


def database_location(cli_value: str | os.PathLike[str] | None = None) -> Path | ServerURL:
    """`--db`, then $MDT_APP_DB, then the user data directory: a file, or a server URL."""
    value = str(cli_value) if cli_value else os.environ.get(DB_ENV)
    if value and ServerURL.is_server(value):
        return ServerURL(value).check()
    if value:
        return Path(value).expanduser()
    return user_data_dir() / DB_FILENAME


def demo_database_path() -> Path:
    return user_data_dir() / "demo.db"


def resources_dir() -> Path:
    """The `resources/` tree in a wheel install, an editable/source tree or a frozen bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    candidates = []
    if frozen:
        candidates.append(Path(frozen) / "resources")
    here = Path(__file__).resolve().parent
    candidates.append(here / "_resources")  # wheel: force-included by the build
    candidates.append(here.parent / "resources")  # source tree / editable install
    for candidate in candidates:
        if (candidate / "guidelines").is_dir():
            return candidate
    raise FileNotFoundError(
        "MDT Assistant resources not found (looked in: "
        + ", ".join(str(c) for c in candidates)
        + ")"
    )


def resource_path(*parts: str) -> Path:
    """Path of a shipped resource, e.g. resource_path("fonts", "DejaVuSans.ttf")."""
    return resources_dir().joinpath(*parts)
