"""The run's committer: ingest batches written in order, in a thread of their own for an
engine whose workers go on meanwhile (Dask), and a failed write never passes silently."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from _seed_articles import seed_articles
from newsweave.errors import StoreError
from newsweave.model import Dossier
from newsweave.store import Store
from newsweave.workflow import _Committer, _OpenedOnFirstUse


def _batches() -> list[Dossier]:
    articles = sorted(seed_articles().values(), key=lambda a: a.id)
    return [Dossier(articles=tuple(articles[k : k + 2])) for k in range(0, len(articles), 2)]


@pytest.mark.parametrize("background", [False, True])
def test_batches_are_written_in_order_by_one_thread(tmp_path: Path, background: bool) -> None:
    written: list[tuple[str, list[str]]] = []
    db = tmp_path / "run.db"
    with _OpenedOnFirstUse(db, shared=background) as store:

        def commit(batch: Dossier) -> None:
            written.append((threading.current_thread().name, [a.id for a in batch.articles]))
            store().add_batch(batch)

        with _Committer(commit, background) as committer:
            for batch in _batches():
                committer(batch)
        # every batch is written once the committer is closed, and the store still
        # serves this thread (the final save of a run)
        assert len(store().load().articles) == len(seed_articles())
    threads = {name for name, _ids in written}
    assert threads == ({"newsweave-commit"} if background else {threading.current_thread().name})
    assert [ids for _name, ids in written] == [[a.id for a in b.articles] for b in _batches()]
    with Store(db) as reopened:
        assert sorted(a.id for a in reopened.load().articles) == sorted(
            a.id for a in seed_articles().values()
        )


def test_a_failed_background_write_is_raised(tmp_path: Path) -> None:
    def commit(batch: Dossier) -> None:
        raise StoreError(f"{tmp_path}: write failed (disk full); the batch was not saved")

    batches = _batches()
    with pytest.raises(StoreError, match="disk full"), _Committer(commit, background=True) as committer:
        for batch in batches:
            committer(batch)  # the second or a later batch, or the exit, raises


def test_the_engine_error_wins_and_handed_batches_are_still_written(tmp_path: Path) -> None:
    written: list[Dossier] = []
    with pytest.raises(RuntimeError, match="bad record"), _Committer(written.append, True) as committer:
        committer(_batches()[0])
        raise RuntimeError("bad record in the engine")
    assert written == [_batches()[0]]
