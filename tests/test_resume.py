"""Kill and resume: a `newsweave run` killed with SIGKILL at random points and run again on
the same input ends with exactly the store a clean run gives (compared as JSON exports).

The store is written in one transaction at the end of a run (ingest does not yet commit
in batches), so a killed run leaves the previous state: nothing, or the last complete
run's. Kill points: a random moment early in the run (reading, cleaning, the stages), and
the moment the store starts being written (the SQLite write-ahead log receives pages, or
PostgreSQL shows the run's COPY), i.e. mid-save or right at its commit. The first half of
the input is stored by an earlier complete run, so the killed runs have a corpus to keep.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from newsweave.export import write_json
from newsweave.store import is_server_url, open_store_url
from newsweave.workflow import run

#: Seconds after the start at which the early kill may land (the run takes about 10 s
#: on this machine, most of it importing and loading spaCy and the stages).
EARLY_KILL = (0.5, 4.0)
#: Polling interval for the moment a run starts writing, and the longest wait for it.
POLL, WRITE_WAIT = 0.001, 120.0
#: Bytes of a SQLite write-ahead log's header (sqlite.org/fileformat.html): frames follow.
WAL_HEADER = 32


def _inputs(seeds: Path, root: Path) -> tuple[Path, Path]:
    first, second = root / "first", root / "second"
    for folder, names in (
        (first, sorted(seeds.glob("*.txt"))[:3]),
        (second, sorted(seeds.glob("*.txt"))[3:]),
    ):
        folder.mkdir()
        for name in names:
            shutil.copy(name, folder / name.name)
    return first, second


def _export(db: str) -> str:
    out = io.StringIO()
    with open_store_url(db) as store:
        write_json(store, out)
    return out.getvalue()


def _newsweave_run(paths: list[Path], db: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "newsweave.cli", "run", *map(str, paths), "--db", db]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _writing(db: str) -> bool:
    """Whether a run has started writing the store."""
    if not is_server_url(db):  # the write-ahead log holds more than its header: pages written
        return os.path.exists(db + "-wal") and os.path.getsize(db + "-wal") > WAL_HEADER
    with psycopg.connect(db, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND (query ILIKE 'COPY%%' OR query ILIKE 'CREATE%%') "
            "AND state = 'active'"
        ).fetchone()
    return bool(row and row[0])


def _kill(process: subprocess.Popen[bytes]) -> bool:
    """SIGKILL; whether the process was still running when killed."""
    alive = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait()
    return alive


@pytest.fixture(params=["sqlite", "postgresql"])
def two_dbs(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    """(the killed-and-resumed store, the clean run's store) of one backend."""
    if request.param == "sqlite":
        return str(tmp_path / "resumed.db"), str(tmp_path / "clean.db")
    return request.getfixturevalue("pg_url"), request.getfixturevalue("pg_url")


def test_killed_runs_then_a_rerun_equal_a_clean_run(
    two_dbs: tuple[str, str], seeds_dir: Path, tmp_path: Path
) -> None:
    db, clean_db = two_dbs
    first, second = _inputs(seeds_dir, tmp_path)
    rng = random.Random(os.environ.get("PYTEST_XDIST_WORKER", "") + db)
    run([first], db)  # an earlier complete run: its corpus must survive the kills
    before = _export(db)

    early = _newsweave_run([first, second], db)
    time.sleep(rng.uniform(*EARLY_KILL))
    _kill(early)
    after_early = _export(db)  # the run may have saved before the kill landed on a fast machine

    late = _newsweave_run([first, second], db)
    waited = time.monotonic()
    while not _writing(db) and late.poll() is None and time.monotonic() - waited < WRITE_WAIT:
        time.sleep(POLL)
    _kill(late)
    after_kill = _export(db)

    run([first, second], db)  # started again on the same input
    run([first, second], clean_db)  # a clean run
    clean = _export(clean_db)
    assert after_early in (before, clean)  # nothing half-written
    assert after_kill in (before, clean)  # the killed save is all or nothing
    assert _export(db) == clean
    assert clean != before and '"articles"' in clean
