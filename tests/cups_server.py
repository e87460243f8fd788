"""A private CUPS server with a CUPS-PDF printer, for the printing tests.

Started on its own socket under a temporary folder (never the system's print server), so
it needs no configuration of the machine; the tests skip only where CUPS is not installed
(CI installs `cups` and `printer-driver-cups-pdf`).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
PRINTER = "MDT_Test_PDF"


@dataclass
class CupsServer:
    socket: Path
    printer: str
    process: subprocess.Popen
    output: Path  # where CUPS-PDF writes the jobs of this user

    def printed_since(self, before: set[Path], timeout: float = 60) -> Path:
        """The first new PDF CUPS-PDF wrote (waits for the job to finish)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            new = sorted(set(self.output.glob("*.pdf")) - before)
            if new and not self.jobs_pending() and _settled(new[0]):
                return new[0]
            time.sleep(0.3)
        log = (self.socket.parent / "log" / "error_log").read_text(errors="replace")
        raise AssertionError(f"CUPS-PDF wrote nothing within {timeout} s:\n{log[-2000:]}")

    def jobs_pending(self) -> bool:
        env = {**os.environ, "CUPS_SERVER": str(self.socket)}
        done = subprocess.run(
            ["lpstat", "-o", self.printer], env=env, capture_output=True, text=True
        )
        return bool(done.stdout.strip())


def _settled(path: Path) -> bool:
    size = path.stat().st_size
    time.sleep(0.3)
    return size > 0 and path.stat().st_size == size


def missing() -> str | None:
    """Why the printing tests cannot run here (None when they can)."""
    for tool in ("cupsd", "lpadmin", "lp"):
        if shutil.which(tool) is None and not Path("/usr/sbin", tool).exists():
            return f"CUPS is not installed ({tool} missing)"
    if not (PPD.exists() and BACKEND.exists()):
        return "printer-driver-cups-pdf is not installed"
    if os.geteuid() != 0:
        return "the CUPS-PDF backend runs only under a root cupsd"
    return None


def start() -> CupsServer:
    """cupsd in the foreground on its own socket, with one CUPS-PDF queue.

    Its folder is outside pytest's private (0700) temporary folder: the filters run as
    the unprivileged "lp" user and must reach the spooled job."""
    root = Path(tempfile.mkdtemp(prefix="mdt-test-cups-"))
    root.chmod(0o755)
    for sub in ("spool", "cache", "state", "log", "ppd"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    socket = root / "cups.sock"
    (root / "cupsd.conf").write_text(
        f"Listen {socket}\nLogLevel warn\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
    )
    (root / "cups-files.conf").write_text(
        f"ServerRoot {root}\nRequestRoot {root}/spool\nCacheDir {root}/cache\n"
        f"StateDir {root}/state\nTempDir {root}/spool\nErrorLog {root}/log/error_log\n"
        f"AccessLog {root}/log/access_log\nPageLog {root}/log/page_log\n"
        "ServerBin /usr/lib/cups\nDataDir /usr/share/cups\n"
    )
    cupsd = shutil.which("cupsd") or "/usr/sbin/cupsd"
    process = subprocess.Popen(
        [cupsd, "-f", "-c", str(root / "cupsd.conf"), "-s", str(root / "cups-files.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    env = {**os.environ, "CUPS_SERVER": str(socket)}
    deadline = time.monotonic() + 20
    while not socket.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    lpadmin = shutil.which("lpadmin") or "/usr/sbin/lpadmin"
    subprocess.run(
        [lpadmin, "-p", PRINTER, "-E", "-v", "cups-pdf:/", "-P", str(PPD)],
        env=env,
        check=True,
        capture_output=True,
    )
    home = Path(pwd.getpwuid(os.getuid()).pw_dir)
    output = home / "PDF"  # cups-pdf.conf: Out ${HOME}/PDF, for the user of the job
    output.mkdir(exist_ok=True)
    return CupsServer(socket, PRINTER, process, output)


def stop(server: CupsServer) -> None:
    """Stop the server this module started (by its process) and remove its folder."""
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
    shutil.rmtree(server.socket.parent, ignore_errors=True)
