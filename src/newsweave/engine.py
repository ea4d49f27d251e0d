"""The engine: runs the stages in order, in-process. The one place that knows the order.

``Engine.run`` takes raw documents and the dossier of earlier runs (empty on a
first run), cleans the documents, adds the articles not seen before, runs the
per-article stages on the new articles only, and the corpus stages on the whole
corpus. Once stories are known, an undated article takes its date from its
story's dated articles where they agree (``published_inferred``). It never
touches the store: the caller loads and saves.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from .brief import Brief
from .claims import Claims
from .clean import Clean
from .clean.dates import infer_published
from .dedup import Dedup
from .errors import PipelineError
from .extract import Extract
from .model import Article, Dossier, RawDocument, Rejection
from .resolve import Resolve
from .stage import DocumentStage, Options, Stage
from .stories import Stories
from .timeline import Timeline

#: The order of the pipeline (DESIGN.md): ingest -> clean -> these.
STAGES: tuple[type[Stage], ...] = (Dedup, Extract, Stories, Resolve, Claims, Timeline, Brief)

#: A per-article stage reports progress every this many spaCy batches.
PROGRESS_BATCHES = 8

Progress = Callable[[str, int, int | None], None]
"""``progress(stage_name, done, total)``; total is None while unknown."""


def no_progress(stage: str, done: int, total: int | None) -> None:
    return None


def check_order(stages: Sequence[Stage]) -> None:
    """Raise PipelineError if a stage needs a field that no earlier stage provides."""
    available = {"articles", "rejected"}
    for stage in stages:
        missing = [need for need in stage.requires if need not in available]
        if missing:
            raise PipelineError(
                f"stage {stage.name!r} needs {', '.join(missing)}, which no earlier stage "
                "provides: reorder the stages or add the one that provides it"
            )
        available.update(stage.provides)


@dataclass(frozen=True, slots=True)
class RunResult:
    """The dossier after a run, and what the run did."""

    dossier: Dossier
    read: int  # raw documents read
    kept: int  # cleaned into articles
    rejected: int  # refused by clean (reasons in dossier.rejected)
    new: int  # articles not in the previous dossier


class Engine:
    """Runs clean and the corpus stages over documents; stateless between runs."""

    def __init__(
        self,
        options: Options | None = None,
        front: DocumentStage | None = None,
        stages: Sequence[Stage] | None = None,
    ) -> None:
        self.options = options or Options()
        self.front = front or Clean(self.options)
        self.stages = list(stages) if stages is not None else [s(self.options) for s in STAGES]
        check_order(self.stages)

    def clean(
        self, documents: Iterable[RawDocument], progress: Progress = no_progress
    ) -> tuple[list[Article], list[Rejection]]:
        """Clean documents batch by batch (a generator input is never held whole)."""
        articles: list[Article] = []
        rejected: list[Rejection] = []
        for batch in _batches(documents, self.options.batch_size):
            kept, refused = self.front(batch)
            articles.extend(kept)
            rejected.extend(refused)
            progress(self.front.name, len(articles) + len(rejected), None)
        return articles, rejected

    def run(
        self,
        documents: Iterable[RawDocument],
        previous: Dossier | None = None,
        progress: Progress = no_progress,
    ) -> RunResult:
        """The dossier of ``previous``'s articles plus the new documents'."""
        previous = previous or Dossier()
        cleaned, rejected = self.clean(documents, progress)
        known = {article.id for article in previous.articles}
        new: dict[str, Article] = {}
        for article in cleaned:
            if article.id not in known:
                new.setdefault(article.id, article)
        articles = tuple(sorted((*previous.articles, *new.values()), key=_article_order))
        # a rejection seen in an earlier run is kept once, not once per run
        rejections = tuple(dict.fromkeys((*previous.rejected, *rejected)))
        dossier = Dossier(articles=articles, rejected=rejections)
        for stage in self.stages:
            if stage.per_article:
                fields = self._run_per_article(stage, previous, dossier, set(new), progress)
            else:
                fields = stage(dossier)
            unknown = set(fields) - set(stage.provides)
            if unknown:
                raise PipelineError(f"stage {stage.name!r} returned undeclared fields {sorted(unknown)}")
            dossier = dataclasses.replace(dossier, **fields)
            if "stories" in fields:  # undated articles take a date from their story's others
                dossier = dataclasses.replace(
                    dossier, articles=infer_published(dossier.articles, dossier.stories)
                )
            progress(stage.name, len(articles), len(articles))
        return RunResult(dossier, len(cleaned) + len(rejected), len(cleaned), len(rejected), len(new))

    def _run_per_article(
        self, stage: Stage, previous: Dossier, dossier: Dossier, new_ids: set[str], progress: Progress
    ) -> dict[str, tuple[Any, ...]]:
        """Run a per-article stage on new articles only, a chunk at a time so progress
        moves; keep earlier results for the rest."""
        todo = [a for a in dossier.articles if a.id in new_ids]
        kept_ids = {a.id for a in dossier.articles} - new_ids
        found: dict[str, list[Any]] = {
            name: [r for r in getattr(previous, name) if r.article in kept_ids] for name in stage.provides
        }
        chunk = self.options.batch_size * PROGRESS_BATCHES
        parts = [tuple(todo[start : start + chunk]) for start in range(0, len(todo), chunk)]
        done = 0
        for part, fields in zip(parts, self.map(_PartRunner(stage, dossier), parts), strict=True):
            for name, records in fields.items():
                found.setdefault(name, []).extend(records)
            done += len(part)
            progress(stage.name, done, len(todo))
        return {name: tuple(sorted(records, key=_record_order)) for name, records in found.items()}

    def map(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[Any]:
        """``fn`` of each item, in order. The local engine runs them here one after
        another; an engine with workers (Dask) overrides this to run them there."""
        return (fn(item) for item in items)


@dataclass(frozen=True, slots=True)
class _PartRunner:
    """A per-article stage run on one part of the articles (picklable for workers)."""

    stage: Stage
    dossier: Dossier

    def __call__(self, part: tuple[Article, ...]) -> dict[str, tuple[Any, ...]]:
        return self.stage(dataclasses.replace(self.dossier, articles=part))


def _article_order(article: Article) -> tuple[str, str]:
    return (article.source, article.id)


def _record_order(record: Any) -> tuple[str, int, int]:
    return (record.article, record.start, record.end)


def _batches(items: Iterable[RawDocument], size: int) -> Iterator[list[RawDocument]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
