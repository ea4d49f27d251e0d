"""The library's main job: read paths, run the engine, save the result in the store.

The CLI and the Python API both call :func:`run`; neither holds pipeline logic
of its own.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from .engine import STAGES, Commit, Engine, Progress, no_progress
from .errors import InputError, NotFoundError
from .ingest import IngestOptions, read_paths
from .model import Dossier
from .stage import Options, Stage
from .store import JOINED_AS_THEY_COME, READ_BACK, WRITTEN_AS_THEY_COME, Store, is_server_url, open_store_url
from .stories import Stories, StreamStories
from .views import ReadBack

DEFAULT_DB = "newsweave.db"
#: The engines ``run`` can use (``--engine``).
ENGINES = ("local", "dask")


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What a run did, for the user."""

    documents: int  # records read
    kept: int  # cleaned into articles
    rejected: int  # refused, with reasons in the store
    new_articles: int  # not seen in earlier runs
    articles: int  # in the store after the run
    stories: int


def run(
    paths: Sequence[str | Path],
    db: str | Path = DEFAULT_DB,
    options: Options | None = None,
    progress: Progress = no_progress,
    ingest: IngestOptions | None = None,
    stream: bool = False,
    engine_kind: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
) -> RunSummary:
    """Read ``paths``, run every stage over the stored corpus plus the new articles, save.

    Input errors (a missing path, an empty folder, a bad field override) are
    raised before the store is opened. New articles and their per-article records
    are committed a batch at a time as they are ingested (``Options.commit_every``
    documents each), the corpus results once every stage has run: a run killed or
    stopped by a bad record (``--strict``) keeps the batches it finished, and a rerun
    on the same input skips their per-article work and ends with the store a clean
    run gives. A run stopped before its first batch leaves no new database behind
    and an existing one as it was.
    """
    # stream: stories by a StoryTracker fed in publication order instead of batch grouping
    stages = [(StreamStories if s is Stories else s)(options) for s in STAGES] if stream else None
    engine = make_engine(engine_kind, options, stages, scheduler, workers)
    documents = read_paths(paths, ingest)
    first = next(documents, None)  # ingest checks every path before its first record
    records = chain([first] if first else [], documents)
    if is_server_url(db):
        # PostgreSQL: runs into one database take turns (writer lock from load to save),
        # so each one's corpus includes what the one before saved: the union of inputs
        from .store_postgres import PostgresStore

        with PostgresStore(str(db)) as server, server.writer():
            with _Committer(server.add_batch, engine.commits_in_background) as commit:
                written = _Written(lambda: server, commit)
                read_back = ReadBack(written, READ_BACK, WRITTEN_AS_THEY_COME, JOINED_AS_THEY_COME)
                result = engine.run(records, server.load(without=READ_BACK), progress, commit, read_back)
            server.save(result.dossier, kept=(*READ_BACK, *written.replaced))
    else:
        previous = _load(db, without=READ_BACK) if Path(db).is_file() else None
        background = engine.commits_in_background
        with _OpenedOnFirstUse(db, shared=background) as store:
            with _Committer(lambda batch: store().add_batch(batch), background) as commit:
                written = _Written(store, commit)
                read_back = ReadBack(written, READ_BACK, WRITTEN_AS_THEY_COME, JOINED_AS_THEY_COME)
                result = engine.run(records, previous, progress, commit, read_back)
            store().save(result.dossier, kept=(*READ_BACK, *written.replaced))
    return RunSummary(
        documents=result.read,
        kept=result.kept,
        rejected=result.rejected,
        new_articles=result.new,
        articles=len(result.dossier.articles),
        stories=len(result.dossier.stories),
    )


def make_engine(
    kind: str,
    options: Options | None = None,
    stages: Sequence[Stage] | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
) -> Engine:
    """The engine named ``kind`` (one of ENGINES): ``local`` in this process, or ``dask`` on a
    Dask cluster at ``scheduler`` (a LocalCluster of ``workers`` processes when None)."""
    if kind == "dask":
        from .dask_engine import DEFAULT_WORKERS, DaskEngine

        return DaskEngine(options, stages=stages, scheduler=scheduler, workers=workers or DEFAULT_WORKERS)
    if kind != "local":
        raise InputError(f"unknown engine {kind!r}: choose one of {', '.join(ENGINES)}")
    if scheduler is not None or workers is not None:
        raise InputError("--scheduler and --workers are for --engine dask")
    return Engine(options, stages=stages)


class _Committer:
    """The engine's ``commit``: each ingest batch written in order, in a thread of its own
    when ``background`` (one batch waits at most, so memory stays bounded), so the
    engine's workers analyse the next batch meanwhile; on exit every batch handed over
    is written, and a failed write is raised (at the next batch or on exit)."""

    def __init__(self, commit: Commit, background: bool) -> None:
        self.commit = commit
        self.error: BaseException | None = None
        self.queue: queue.Queue[Dossier | None] = queue.Queue(maxsize=1)  # joined by drain()
        self.thread: threading.Thread | None = None  # None: each batch written in the caller's thread
        if background:
            self.thread = threading.Thread(target=self._write, name="newsweave-commit", daemon=True)
            self.thread.start()

    def __enter__(self) -> _Committer:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
        if self.error is not None and kind is None:
            raise self.error

    def __call__(self, batch: Dossier) -> None:
        if self.error is not None:
            raise self.error
        if self.thread is None:
            self.commit(batch)
        else:
            self.queue.put(batch)

    def drain(self) -> None:
        """Wait until every batch handed over is written (raising a failed write)."""
        if self.thread is not None:
            self.queue.join()
        if self.error is not None:
            raise self.error

    def _write(self) -> None:
        while (batch := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self.commit(batch)
                except BaseException as exc:  # raised in the engine's thread
                    self.error = exc
            self.queue.task_done()
        self.queue.task_done()


class _Written:
    """The store as the engine reads and writes it during a run: its per-article records,
    read once every batch handed to the committer is written (the engine reads back what
    it committed), and the per-story results written as they come (``replaced``: their
    fields, which the run's save then leaves as written)."""

    def __init__(self, store: Callable[[], Store], committer: _Committer) -> None:
        self.store, self.committer = store, committer
        self.replaced: list[str] = []

    def of_articles(self, name: str, article_ids: Sequence[str]) -> list[Any]:
        self.committer.drain()
        return self.store().of_articles(name, article_ids)

    def replace_results(self, names: Sequence[str]) -> None:
        self.committer.drain()
        self.store().replace_results(names)
        self.replaced.extend(names)

    def add_results(self, name: str, records: Sequence[Any]) -> None:
        self.store().add_results(name, records)

    def add_parts(self, name: str, records: Sequence[Any]) -> None:
        self.store().add_parts(name, records)

    def join_parts(
        self, name: str, order: Sequence[str], join: Callable[[Sequence[Any]], Any] | None
    ) -> None:
        self.store().join_parts(name, order, join)


class _OpenedOnFirstUse:
    """A SQLite store opened when first called for (so a run that fails before it writes
    creates no database), closed on exit; ``shared``: used from another thread too (one
    at a time: the committer's, then this one's)."""

    def __init__(self, db: str | Path, shared: bool = False) -> None:
        self.db = db
        self.shared = shared
        self.store: Store | None = None

    def __enter__(self) -> _OpenedOnFirstUse:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.store is not None:
            self.store.close()

    def __call__(self) -> Store:
        if self.store is None:
            self.store = Store(self.db, check_same_thread=not self.shared)
        return self.store


def open_store(db: str | Path = DEFAULT_DB) -> Store:
    """An existing store (a SQLite file or a ``postgresql://`` URL); a missing file is an
    error rather than a new empty database."""
    if not is_server_url(db) and not Path(db).is_file():
        raise NotFoundError(f"{db}: no such database; run `newsweave run PATH --db {db}` first")
    return open_store_url(db)


def load(db: str | Path = DEFAULT_DB) -> Dossier:
    """The whole stored dossier."""
    return _load(db)


def _load(db: str | Path, without: Sequence[str] = ()) -> Dossier:
    with open_store(db) as store:
        return store.load(without)
