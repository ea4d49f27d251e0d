"""Concurrent writers on PostgreSQL: two `newsweave run` processes on different inputs into
one database end with the union of their articles (no duplicates, none lost) and with the
results a single run over both inputs gives (runs take turns under the store's writer lock,
each one over the corpus the other saved)."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

from newsweave.export import write_json
from newsweave.store import open_store_url
from newsweave.workflow import run


def test_two_runs_into_one_database_end_with_the_union(pg_url: str, seeds_dir: Path, tmp_path: Path) -> None:
    seeds = sorted(seeds_dir.glob("*.txt"))
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, files in ((first, seeds[::2]), (second, seeds[1::2])):
        folder.mkdir()
        for path in files:
            shutil.copy(path, folder / path.name)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "newsweave.cli", "run", str(folder), "--db", pg_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for folder in (first, second)
    ]
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()

    clean_db = str(tmp_path / "clean.db")
    run([first, second], clean_db)  # one run over both inputs, for comparison
    with open_store_url(pg_url) as store, open_store_url(clean_db) as clean:
        stored = [a.id for a in store.iter("articles")]
        assert len(stored) == len(set(stored)) == len(seeds)  # none duplicated, none lost
        assert set(stored) == {a.id for a in clean.iter("articles")}
        assert sorted(store.story_of_articles()) == sorted(stored)  # every article in a story
        exports = []
        for source in (store, clean):
            out = io.StringIO()
            write_json(source, out)
            exports.append(out.getvalue())
    assert exports[0] == exports[1]
