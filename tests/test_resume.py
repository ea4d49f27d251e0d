"""Kill and resume: a run killed with SIGKILL at random points and run again on the same input
ends with exactly the store a clean run gives (compared as JSON exports).

A run commits its new articles and their per-article records a batch at a time while it
ingests, and the corpus results in one transaction at the end. The input is four seeds
stored by an earlier complete run, then all five seeds with two dozen ECB+ reports of other
events, in batches of four documents (the earlier run's one batch is the later runs' first:
clean learns an outlet's furniture from its batch). Kill points: a random moment early in the run
(importing, reading, the first batches), a random moment after the run's first batch is
committed (mid-ingest), and one after its last batch is (the corpus stages and the final
save). Each killed run keeps what it committed; the rerun skips those articles'
per-article work.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsweave.export import write_json
from newsweave.stage import Options
from newsweave.store import Store, open_store_url
from newsweave.workflow import load, run

#: Seconds after the start at which the early kill may land (a run takes several seconds
#: on this machine, most of it importing and loading spaCy and the stages).
EARLY_KILL = (0.5, 4.0)
#: Seconds after the moment watched for (first batch stored, last batch stored) within
#: which the later kills land: about a batch's extract time, and the corpus phase's.
MID_KILL, LATE_KILL = (0.0, 1.5), (0.0, 1.0)
#: Polling interval for the store's article count, and the longest wait for a change.
POLL, WAIT = 0.02, 120.0
#: Small batches, so that the test's 25 new documents make several commits.
OPTIONS = Options(on_error="skip", batch_size=4, commit_every=4)
#: ECB+ sub-topics (one event each) and documents taken from each.
SUBTOPICS, PER_SUBTOPIC = ("1_ecb", "2_ecb", "19_ecb", "20_ecb", "24_ecb", "34_ecb"), 4


def _inputs(seeds: Path, ecb: dict[str, list[dict[str, str]]], root: Path) -> tuple[Path, list[Path]]:
    """(four seeds, [those, the fifth seed, ECB+ reports])."""
    first, second, reports = root / "first", root / "second", root / "reports"
    for folder, names in (
        (first, sorted(seeds.glob("*.txt"))[:4]),
        (second, sorted(seeds.glob("*.txt"))[4:]),
    ):
        folder.mkdir()
        for name in names:
            shutil.copy(name, folder / name.name)
    reports.mkdir()
    for subtopic in SUBTOPICS:
        for doc in ecb[subtopic][:PER_SUBTOPIC]:
            (reports / f"{doc['doc_id']}.txt").write_text(doc["text"], encoding="utf-8")
    return first, [first, second, reports]


def _export(db: str) -> str:
    out = io.StringIO()
    with open_store_url(db) as store:
        write_json(store, out)
    return out.getvalue()


def _killable_run(paths: list[Path], db: str) -> subprocess.Popen[bytes]:
    """`workflow.run` (what `newsweave run` calls) with OPTIONS, in a process of its own."""
    code = (
        "import sys; from newsweave.stage import Options; from newsweave.workflow import run; "
        f"run(sys.argv[2:], sys.argv[1], Options(**{json.dumps(dataclasses.asdict(OPTIONS))}))"
    )
    command = [sys.executable, "-c", code, db, *map(str, paths)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait()


def _wait_for(store: Store, process: subprocess.Popen[bytes], articles: int) -> int:
    """Wait until the store holds at least ``articles`` articles or the run ends; the count."""
    waited = time.monotonic()
    count = store.count("articles")
    while count < articles and process.poll() is None and time.monotonic() - waited < WAIT:
        time.sleep(POLL)
        count = store.count("articles")
    return count


@pytest.fixture(params=["sqlite", "postgresql"])
def two_dbs(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    """(the killed-and-resumed store, the clean run's store) of one backend."""
    if request.param == "sqlite":
        return str(tmp_path / "resumed.db"), str(tmp_path / "clean.db")
    cluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database(), cluster.new_database()


def test_killed_runs_then_a_rerun_equal_a_clean_run(
    two_dbs: tuple[str, str],
    seeds_dir: Path,
    ecb_documents: dict[str, list[dict[str, str]]],
    tmp_path: Path,
) -> None:
    db, clean_db = two_dbs
    first, inputs = _inputs(seeds_dir, ecb_documents, tmp_path)
    rng = random.Random(os.environ.get("PYTEST_XDIST_WORKER", "") + db)
    run(inputs, clean_db, OPTIONS)  # the clean run
    clean, total = _export(clean_db), len(load(clean_db).articles)
    run([first], db, OPTIONS)  # an earlier complete run: its corpus must survive the kills
    before = load(db)

    early = _killable_run(inputs, db)
    time.sleep(rng.uniform(*EARLY_KILL))
    _kill(early)
    _export(db)  # whatever it had done, the store reads

    with open_store_url(db) as store:
        mid = _killable_run(inputs, db)
        seen = _wait_for(store, mid, store.count("articles") + 1)  # its first batch is stored
        time.sleep(rng.uniform(*MID_KILL))
        _kill(mid)
        kept = store.count("articles")
        late = _killable_run(inputs, db)
        _wait_for(store, late, total)  # its last batch is stored
        time.sleep(rng.uniform(*LATE_KILL))
        _kill(late)
        stored = store.count("articles")
    after_kills = load(db)

    summary = run(inputs, db, OPTIONS)  # started again on the same input
    assert _export(db) == clean
    assert len(before.articles) < seen <= kept <= stored  # each killed run kept its batches
    assert summary.new_articles == total - stored  # and the rerun did not redo their extract
    assert set(a.id for a in before.articles) <= set(a.id for a in after_kills.articles)
    clean_dossier = load(clean_db)
    for name in ("stories", "entities", "claims", "brief"):  # the final save is all or nothing
        assert getattr(after_kills, name) in (getattr(before, name), getattr(clean_dossier, name))
