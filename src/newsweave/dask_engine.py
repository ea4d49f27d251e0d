"""The Dask engine: the same stages, their parts run in ``dask.distributed`` workers.

:class:`DaskEngine` is an :class:`~newsweave.engine.Engine` whose ``map`` sends
each part to a worker of a Dask cluster (a ``LocalCluster`` of worker processes
when no scheduler address is given) and yields the results in input order, so
a run gives the dossier the local engine gives. Through that one hook run:

* clean, a few of the local engine's batches per task (the same batches, since
  clean learns an outlet's furniture from the articles of its batch);
* the per-article stages (extract), a part of the new articles per task; spaCy
  is loaded once per worker process (``extract.load_pipeline`` is cached per
  process, and the workers are long-lived processes, one thread each);
* dedup's map steps (MinHash sketches per part, candidate pairs per range of
  LSH bands, verification and passage alignment per part of the candidate
  pairs), merged here (:mod:`newsweave.dedup.minhash`);
* any corpus stage that maps its parts through the engine.

Workers of a LocalCluster started here run with :data:`WORKER_CONFIG`: glibc's
default malloc trimming (Dask's ``MALLOC_TRIM_THRESHOLD_=65536`` gave a worker
about 50 times the page faults of the local process and 1.2 x its CPU on the same
extract parts) and no statistical profiler (a stack sample every 10 ms of the
task's thread). For a cluster of its own, give ``dask worker`` the same settings
(README, "Running at scale").

A task carries only its part and what its stage declares it ``requires``
(never the whole dossier), and at most ``IN_FLIGHT_PER_WORKER`` tasks per
worker are queued at once, so memory stays bounded on both sides.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, ClassVar

from .dedup import Dedup
from .engine import Engine, Progress, RunResult, _ChainRunner, _PartRunner, _StoryRunner, no_progress
from .errors import NewsweaveError
from .model import Article, Dossier, RawDocument, Rejection
from .stage import DocumentStage, Options, Stage

#: Default number of worker processes of the LocalCluster: the 2 cores of the
#: machine the benches ran on (bench/scale.py).
DEFAULT_WORKERS = 2
#: Tasks queued per worker thread beyond the one it runs: 2 keeps a worker busy while
#: a result travels back, without holding the whole corpus's parts in the cluster.
IN_FLIGHT_PER_WORKER = 2
#: Clean batches per task: 4 batches of 16 documents amortise a task's few ms of
#: scheduling and still give both workers work in a 200-document run.
CLEAN_BATCHES_PER_TASK = 4

#: Clean batches (of Options.batch_size) per task for the per-article stages: 1 (16
#: articles, one spaCy batch, so spaCy sees the local engine's batches). A commit batch
#: waits for its last task, so a worker may idle for up to a task at each batch's end:
#: 16 articles (about 2 s of extract) halve that wait against 32, for a few ms of
#: scheduling per task; a 200-article run still keeps both workers busy.
BATCHES_PER_TASK = 1
#: Story views per task of a per-story stage.
STORY_VIEWS_PER_TASK = 16
#: Dask settings of the workers of a LocalCluster started here (``local_cluster``).
#: Measured on 160 PolNeAR-sized articles of bench/scale.py's corpus, 32 per task, the
#: same parts round-robin over this process and 1-worker LocalClusters (load 9-10 on
#: 2 cores): CPU per part in this process 28.8 s; Dask's defaults 29.6 s (5.7 s system,
#: 1.23M minor page faults); MALLOC_TRIM_THRESHOLD_ unset 23.9 s (0.5 s system, 23k
#: faults); without the profiler the worker's CPU outside the task's thread went from
#: 2.4 s to 1.0 s. ``None`` unsets a pre-spawn variable. The event loops' housekeeping
#: (a health tick every 20 ms, a resource sample every 500 ms, a memory check every 100 ms)
#: cost an idle 2-worker LocalCluster 1.57 CPU s per 30 s in this process and 0.65 in
#: each worker; ticking every 1 s and sampling every 5 s / 1 s: 0.25 and 0.09. Work
#: waits on none of them (a worker past its memory limit is seen within a second).
WORKER_CONFIG: dict[str, Any] = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
}
MISSING_DASK = "the Dask engine needs dask.distributed: pip install 'newsweave[dask]'"


class DaskEngine(Engine):
    """Runs the stages' parts on a Dask cluster; use as a context manager (or ``close``)."""

    commits_in_background: ClassVar[bool] = True  # workers go on while a batch is written

    def __init__(
        self,
        options: Options | None = None,
        front: DocumentStage | None = None,
        stages: Sequence[Stage] | None = None,
        scheduler: str | None = None,
        workers: int = DEFAULT_WORKERS,
    ) -> None:
        if importlib.util.find_spec("distributed") is None:
            raise NewsweaveError(MISSING_DASK)
        super().__init__(options, front, stages)
        # dedup's map steps run through this engine (the merges stay here)
        self.stages = [
            Dedup(stage.options, self.map) if type(stage) is Dedup else stage for stage in self.stages
        ]
        self.scheduler = scheduler
        self.workers = workers
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> DaskEngine:
        self.client()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def client(self) -> Any:
        """The ``distributed.Client``, connected (or its LocalCluster started) on first use."""
        if self._client is not None:
            return self._client
        distributed = _dask_module("distributed")
        if self.scheduler is None:
            self._cluster = local_cluster(self.workers)
            self._client = distributed.Client(self._cluster)
        else:
            try:
                self._client = distributed.Client(self.scheduler, timeout="30s")
            except OSError as exc:
                raise NewsweaveError(
                    f"cannot reach the Dask scheduler at {self.scheduler}: {exc}; start one with "
                    "`dask scheduler` and workers with `dask worker ADDRESS`, or leave out --scheduler "
                    "for a local cluster"
                ) from exc
        # spaCy once per worker, up front: each per-article stage on no articles loads what it
        # loads (the stage's own call, so the cached pipeline is the one its parts use)
        self._client.run(_warm_up, [stage for stage in self.stages if stage.per_article])
        return self._client

    def run(
        self,
        documents: Iterable[RawDocument],
        previous: Dossier | None = None,
        progress: Progress = no_progress,
        *rest: Any,
        **named: Any,
    ) -> RunResult:
        """The local engine's run (same arguments); a cluster this run started is stopped
        after it (inside ``with DaskEngine(...)`` it stays up for the next run)."""
        started_here = self._client is None
        try:
            return super().run(documents, previous, progress, *rest, **named)
        finally:
            if started_here:
                self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """``fn`` of each item, computed in the workers, yielded in input order. The
        engine's parts of articles (128) and chunks of stories are split into smaller
        tasks first, so a batch keeps every worker busy; their results are joined back."""
        if isinstance(fn, _PartRunner):
            return _joined(self._tasks(_slimmed(fn), _split(items, self._piece())), _join_fields)
        if isinstance(fn, (_StoryRunner, _ChainRunner)):
            return _joined(self._tasks(fn, _split(items, STORY_VIEWS_PER_TASK)), _join_lists)
        return (result for _, result in self._tasks(fn, ((1, item) for item in items)))

    def _piece(self) -> int:
        return self.options.batch_size * BATCHES_PER_TASK

    def _tasks(
        self, fn: Callable[[Any], Any], pieces: Iterable[tuple[Any, ...]]
    ) -> Iterator[tuple[int, Any]]:
        """(piece count of the item, result) of ``fn`` on each piece (the first piece of an
        item says how many it has, the others 0), with a bounded queue."""
        client = self.client()
        remote = client.scatter(fn, broadcast=True, hash=False)  # sent once per worker
        limit = IN_FLIGHT_PER_WORKER * max(1, sum(client.nthreads().values()))
        pending: deque[tuple[int, Any]] = deque()
        for count, piece in pieces:
            pending.append((count, client.submit(_apply, remote, _Boxed(piece), pure=False)))
            if len(pending) >= limit:
                count, future = pending.popleft()
                yield count, future.result()
        while pending:
            count, future = pending.popleft()
            yield count, future.result()

    def clean(
        self, documents: Iterable[RawDocument], progress: Progress = no_progress
    ) -> tuple[list[Article], list[Rejection]]:
        """The local engine's clean batches, CLEAN_BATCHES_PER_TASK of them per worker task."""
        articles: list[Article] = []
        rejected: list[Rejection] = []
        tasks = _chunks(_chunks(iter(documents), self.options.batch_size), CLEAN_BATCHES_PER_TASK)
        for results in self.map(_CleanRunner(self.front), tasks):
            for kept, refused in results:
                articles.extend(kept)
                rejected.extend(refused)
            progress(self.front.name, len(articles) + len(rejected), None)
        return articles, rejected


def local_cluster(workers: int = DEFAULT_WORKERS) -> Any:
    """A ``distributed.LocalCluster`` of ``workers`` processes of one thread each, with
    :data:`WORKER_CONFIG` (what ``DaskEngine`` starts without a scheduler address)."""
    dask, distributed = _dask_module("dask"), _dask_module("distributed")
    # the Nanny copies its pre-spawn variables into this process's environment, where a
    # cluster started earlier left them, and prefers them to the configuration
    os.environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    with dask.config.set(WORKER_CONFIG):
        return distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,  # spaCy and numpy each want a core; processes, not threads
            processes=True,
            dashboard_address=":0",  # a free port: no clash (and no warning) with another cluster
            scheduler_port=0,
        )


def _dask_module(name: str) -> Any:
    """``dask`` or ``distributed`` (untyped: used as Any), or an error saying how to install it."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise NewsweaveError(MISSING_DASK) from exc


@dataclass(frozen=True, slots=True)
class _Boxed:
    """A task's argument, opaque to Dask (a bare tuple starting with a callable would be
    read as a task of its graph)."""

    value: Any


def _warm_up(stages: list[Stage]) -> None:
    for stage in stages:
        stage(Dossier())


def _apply(fn: Callable[[Any], Any], item: _Boxed) -> Any:
    return fn(item.value)


@dataclass(frozen=True, slots=True)
class _CleanRunner:
    """Clean on each of a task's batches (picklable for workers)."""

    front: DocumentStage

    def __call__(self, batches: list[list[RawDocument]]) -> list[tuple[list[Article], list[Rejection]]]:
        return [self.front(batch) for batch in batches]


def _slimmed(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A per-article stage's runner with only the dossier fields its stage requires, and
    no articles (each part brings its own): what a worker needs, not the corpus."""
    if not isinstance(fn, _PartRunner):
        return fn
    kept = {field.name for field in dataclasses.fields(Dossier)} & set(fn.stage.requires) - {"articles"}
    return _PartRunner(fn.stage, Dossier(**{name: getattr(fn.dossier, name) for name in kept}))


def _split(items: Iterable[Sequence[Any]], size: int) -> Iterator[tuple[int, Any]]:
    """(pieces of the item or 0, piece) for each item cut into pieces of ``size``."""
    for item in items:
        starts = range(0, max(len(item), 1), size)
        for k, start in enumerate(starts):
            yield (len(starts) if k == 0 else 0, item[start : start + size])


def _joined(results: Iterator[tuple[int, Any]], join: Callable[[list[Any]], Any]) -> Iterator[Any]:
    for count, first in results:
        yield join([first, *(result for _, result in islice(results, count - 1))])


def _join_fields(parts: list[dict[str, tuple[Any, ...]]]) -> dict[str, tuple[Any, ...]]:
    """A stage's fields over consecutive pieces of one part (articles stay in order, and
    the engine sorts the records)."""
    return {name: tuple(r for part in parts for r in part[name]) for name in parts[0]}


def _join_lists(parts: list[list[Any]]) -> list[Any]:
    return [result for part in parts for result in part]


def _chunks(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while chunk := list(islice(items, size)):
        yield chunk
