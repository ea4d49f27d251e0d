"""A throwaway PostgreSQL cluster for the tests: initdb in a temp dir, a free loopback port.

``PgCluster.start()`` finds Debian's initdb (installing ``postgresql`` with
scripts/install-postgres.sh when it is missing and we may), runs it as the
``postgres`` user when we are root (initdb refuses root), starts the server with
``pg_ctl`` on 127.0.0.1 and a socket in the same temp dir, and ``stop()`` stops it
and removes the directory. Nothing outside the temp dir is touched.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Seconds pg_ctl waits for the server to accept connections.
START_TIMEOUT = 60


def _bin_dir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True):
        return Path(candidate).parent
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def find_bin_dir() -> Path | None:
    """The directory of initdb and pg_ctl, installing Debian's postgresql if absent."""
    if _bin_dir() is None:
        subprocess.run(["sh", str(ROOT / "scripts" / "install-postgres.sh")], check=False)
    return _bin_dir()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgCluster:
    """One temporary cluster; ``new_database()`` gives the URL of an empty store."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.dir = Path(tempfile.mkdtemp(prefix="newsweave-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.user = "postgres" if os.geteuid() == 0 else None
        self.databases = 0

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=START_TIMEOUT + 30)

    def start(self) -> PgCluster:
        if self.user:
            shutil.chown(self.dir, self.user)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.dir / "log"),
            "-w",
            "-t",
            str(START_TIMEOUT),
            "start",
        )
        return self

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def new_database(self) -> str:
        """The URL of a fresh empty database: a schema of its own in the cluster's one
        database, chosen by the URL's search_path (CREATE DATABASE costs half a second,
        a schema milliseconds)."""
        import psycopg

        self.databases += 1
        name = f"nw_test_{self.databases}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')  # our counter, not user input
        return self.url() + f"?options=-csearch_path%3D{name}"

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
