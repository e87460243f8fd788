"""A throwaway PostgreSQL cluster for the tests: initdb + pg_ctl in a temporary folder,
listening on a Unix socket there (and on a free loopback port, for the benchmarks), run
as a non-root user (as root: the `postgres` account Debian's package creates, through
`runuser`). Used whenever the server binaries are installed (Debian: package
`postgresql`, binaries in /usr/lib/postgresql/*/bin); stopped and deleted at the end.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "mdt_test_admin"


def server_binaries() -> Path | None:
    """The newest installed PostgreSQL server's bin folder, or None."""

    def version(pg_ctl: str) -> int:
        name = Path(pg_ctl).parent.parent.name
        return int(name) if name.isdigit() else 0

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=version)
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path and shutil.which("initdb") else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """One running cluster; ``url(db)`` for the superuser over the socket."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="mdt-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root
        self.port = _free_port()
        self.run_as: str | None = None
        self._version: int | None = None
        if os.geteuid() == 0:  # the server refuses to run as root
            self.run_as = "postgres" if _has_user("postgres") else _make_user("mdt-pgtest")
            entry = pwd.getpwnam(self.run_as)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        os.chmod(self.root, 0o755)  # clients (tests as root, role users) reach the socket

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(a) for a in args]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        """initdb (SCRAM passwords; the test superuser trusted on the socket), then start."""
        self._run(
            self.bin / "initdb", "-D", self.data, "-U", SUPERUSER, "--auth-local=trust",
            "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        hba = self.data / "pg_hba.conf"
        lines = [
            f"local all {SUPERUSER} trust",
            "local all all scram-sha-256",
            "host all all 127.0.0.1/32 scram-sha-256",
        ]
        hba.write_text("\n".join(lines) + "\n")
        options = (
            f"-k {self.socket_dir} -p {self.port} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            " -c max_connections=120 -c password_encryption=scram-sha-256"
        )
        self._run(
            self.bin / "pg_ctl", "-D", self.data, "-l", self.root / "server.log", "-w",
            "-t", "60", "-o", options, "start",
        )  # fmt: skip

    def stop(self) -> None:
        """Stop the server and delete its folder."""
        pg_ctl = self.bin / "pg_ctl"
        self._run(pg_ctl, "-D", self.data, "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def url(
        self, database: str = "postgres", user: str = SUPERUSER, password: str | None = None
    ) -> str:
        """A libpq URL to ``database`` over the socket."""
        from urllib.parse import quote

        auth = user if password is None else f"{user}:{quote(password, safe='')}"
        return f"postgresql://{auth}@/{database}?host={self.socket_dir}&port={self.port}"

    def tcp_url(self, database: str, user: str, password: str) -> str:
        """The same over the loopback interface (benchmarks)."""
        from urllib.parse import quote

        return f"postgresql://{user}:{quote(password, safe='')}@127.0.0.1:{self.port}/{database}"

    def version(self) -> int:
        """The server's major version (15 for 15.4)."""
        if self._version is None:
            import psycopg

            with psycopg.connect(self.url(), autocommit=True) as conn:
                self._version = conn.info.server_version // 10000
        return self._version

    def admin(self, sql: str) -> None:
        """Run one statement as the superuser (CREATE DATABASE and the like)."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def _make_user(name: str) -> str:
    subprocess.run(["useradd", "--system", "--no-create-home", name], check=True)
    return name
