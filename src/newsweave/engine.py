"""The engine: runs the stages in order, in-process. The one place that knows the order.

``Engine.run`` takes raw documents and the dossier of earlier runs (empty on a
first run) and works in two phases:

1. ingest, in batches of ``Options.commit_every`` documents: clean, keep the
   articles not seen before, run the per-article stages that need nothing but
   articles (extract) on them, and hand the batch to ``commit`` (the workflow
   saves it, so a killed run keeps its finished batches and a rerun skips their
   per-article work);
2. the corpus stages on the whole corpus. The per-story stages (resolve, claims,
   timeline, brief) run story by story, each story's view (:mod:`newsweave.views`)
   through all of them in turn, resolve's part of every story settled first (one
   entity across stories); a stage works only on the stories whose view of it
   differs from the previous dossier's, and keeps the previous results of the
   others: a new article updates its own story's results, and the dossier is the
   one a run on everything at once gives.

An exact copy of an article (the same text, title, byline, date and language under
another source, id or outlet: a syndicated story) is not analysed again: the
per-article stages run on the first article with that content, and the copy gets
its records re-keyed to its own id. This relies on the per-article stage contract:
an article's records depend on what it says, not where it appeared, and name it
only in their ``article`` field. The dossier is the one analysing every copy gives
(tests/test_engine.py).

Once stories are known, an undated article takes its date from its story's dated
articles where they agree (``published_inferred``). The engine never touches the
store: the caller loads and saves, and may hand it a
:class:`~newsweave.views.ReadBack` (the workflow's, over the store) through which a
run reads extract's records back a story at a time instead of holding them, and
writes the per-story results (claims, discrepancies, timeline, brief) as each chunk
of stories gives them, for the caller's save to commit.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import Any, ClassVar

from .brief import Brief
from .claims import Claims
from .clean import Clean
from .clean.dates import infer_published
from .dedup import Dedup
from .errors import PipelineError
from .extract import Extract
from .memory import release_freed_memory
from .model import Article, Dossier, RawDocument, Rejection, Story
from .resolve import Resolve
from .spill import Spill
from .stage import DocumentStage, Options, Stage
from .stories import Stories
from .timeline import Timeline
from .views import ReadBack, Records, StoryViews, restricted

#: The order of the pipeline (DESIGN.md): ingest -> clean -> these.
STAGES: tuple[type[Stage], ...] = (Dedup, Extract, Stories, Resolve, Claims, Timeline, Brief)

#: A per-article stage reports progress every this many spaCy batches.
PROGRESS_BATCHES = 8
#: Articles whose per-article records a run reading them back from the store holds for
#: their exact copies to take (an older original's are read back): three ingest batches.
COPIES_REMEMBERED = 1536

Progress = Callable[[str, int, int | None], None]
"""``progress(stage_name, done, total)``; total is None while unknown."""


def no_progress(stage: str, done: int, total: int | None) -> None:
    return None


def check_order(stages: Sequence[Stage]) -> None:
    """Raise PipelineError if a stage needs a field that no earlier stage provides, or a
    per-story stage reads a field that a later stage rewrites."""
    available = {"articles", "rejected"}
    for stage in stages:
        missing = [need for need in stage.requires if need not in available]
        if missing:
            raise PipelineError(
                f"stage {stage.name!r} needs {', '.join(missing)}, which no earlier stage "
                "provides: reorder the stages or add the one that provides it"
            )
        available.update(stage.provides)
    for step in _steps(stages):
        unsettled = [stage.name for stage in step[1:] if stage.settles()]
        if unsettled:  # a settling stage sees every story's part before any story goes on
            raise PipelineError(
                f"per-story stage {unsettled[0]!r} settles across stories, so it must come first "
                "among the per-story stages it follows: move it before them"
            )
    for index, stage in enumerate(stages):
        later = {field for other in stages[index + 1 :] for field in other.provides}
        rewritten = sorted(later & set(stage.story_reads())) if stage.per_story else []
        if rewritten:  # a story's previous view must be what the stage read, not a later value
            raise PipelineError(
                f"per-story stage {stage.name!r} reads {', '.join(rewritten)}, which a later stage "
                "rewrites: move it after that stage"
            )


@dataclass(frozen=True, slots=True)
class RunResult:
    """The dossier after a run, and what the run did."""

    dossier: Dossier
    read: int  # raw documents read
    kept: int  # cleaned into articles
    rejected: int  # refused by clean (reasons in dossier.rejected)
    new: int  # articles not in the previous dossier


Commit = Callable[[Dossier], None]
"""``commit(batch)``: save one ingest batch (its new articles, their per-article records
and new rejections) at once; called in order, never with what an earlier call had."""


class Engine:
    """Runs clean and the corpus stages over documents; stateless between runs."""

    #: Whether the stages' parts run elsewhere (workers), so that a commit written in a
    #: thread of this process overlaps them instead of holding them up (``workflow.run``).
    commits_in_background: ClassVar[bool] = False

    def __init__(
        self,
        options: Options | None = None,
        front: DocumentStage | None = None,
        stages: Sequence[Stage] | None = None,
        reuse_copies: bool = True,
    ) -> None:
        self.options = options or Options()
        self.reuse_copies = reuse_copies  # False: analyse every exact copy again (tests compare)
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
        commit: Commit | None = None,
        read_back: ReadBack | None = None,
    ) -> RunResult:
        """The dossier of ``previous``'s articles plus the new documents'; each ingest batch
        goes to ``commit`` as soon as its per-article work is done. With ``read_back`` (the
        store, which ``commit`` writes to), its per-article fields are neither in
        ``previous`` nor in the dossier returned: the run reads them back a story at a time
        (a stage reading them for the whole corpus is given them for its call only)."""
        previous = previous or Dossier()
        ingested = _Ingest(self, previous, progress, commit, read_back)
        for batch in _batches(documents, self.commit_size()):
            ingested.add(batch)
        articles = tuple(sorted((*previous.articles, *ingested.new.values()), key=_article_order))
        # a rejection seen in an earlier run is kept once, not once per run
        rejections = tuple(dict.fromkeys((*previous.rejected, *ingested.rejected)))
        dossier = Dossier(articles=articles, rejected=rejections, **ingested.records())
        earlier = StoryViews(previous, read_back)
        for step in _steps(self.stages):
            streams = _streamed(step[0], read_back)
            given = (
                read_back.fill(dossier, [n for n in step[0].requires if n not in streams])
                if read_back and not step[0].per_story
                else dossier
            )
            if step[0].per_story:  # consecutive per-story stages, story by story
                fields = self._run_per_story(step, earlier, StoryViews(dossier, read_back))
            elif step[0] in ingested.stages:
                fields = {}
            elif step[0].per_article:
                fields = self._run_per_article(step[0], previous, given, set(ingested.new), progress)
            elif streams and read_back is not None:
                ids = [a.id for a in given.articles]
                fields = step[0].streamed(given, partial(_streamed_records, read_back, ids))
            else:
                fields = step[0](given)
            del given
            release_freed_memory()  # what the step built and let go, before the next grows
            unknown = set(fields) - {name for stage in step for name in stage.provides}
            if unknown:
                names = ", ".join(repr(stage.name) for stage in step)
                raise PipelineError(f"stage {names} returned undeclared fields {sorted(unknown)}")
            dossier = dataclasses.replace(dossier, **fields)
            if "stories" in fields:  # undated articles take a date from their story's others
                dossier = dataclasses.replace(
                    dossier, articles=infer_published(dossier.articles, dossier.stories)
                )
            for stage in step:
                progress(stage.name, len(articles), len(articles))
        kept = ingested.kept
        return RunResult(
            dossier, kept + len(ingested.rejected), kept, len(ingested.rejected), len(ingested.new)
        )

    def commit_size(self) -> int:
        """Documents per ingest batch: ``commit_every`` rounded up to whole clean batches,
        so that clean (which learns an outlet's furniture from its batch) sees the
        batches it sees without commits."""
        size = self.options.batch_size
        return max(1, -(-self.options.commit_every // size)) * size

    def ingest_stages(self) -> list[Stage]:
        """The per-article stages run batch by batch while ingesting: those needing only
        articles and the fields of such stages, and providing nothing an earlier stage
        of the order reads or provides (so running them early changes no result)."""
        available = {"articles", "rejected"}
        touched: set[str] = set()  # read or provided by a stage of the order not run early
        early: list[Stage] = []
        for stage in self.stages:
            if stage.per_article and available >= set(stage.requires) and not touched & set(stage.provides):
                early.append(stage)
                available.update(stage.provides)
            else:
                touched.update(stage.requires, stage.provides)
        return early

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
        found_new = self._per_article_part(stage, dossier, todo, progress, len(todo), _Copies())
        for name, records in found_new.items():
            found.setdefault(name, []).extend(records)
        return {name: tuple(sorted(records, key=_record_order)) for name, records in found.items()}

    def _per_article_part(
        self,
        stage: Stage,
        dossier: Dossier,
        todo: Sequence[Article],
        progress: Progress,
        total: int | None = None,
        copies: _Copies | None = None,
    ) -> dict[str, list[Any]]:
        """A per-article stage's records of ``todo``, mapped a chunk at a time; with
        ``copies``, an exact copy of an article seen there takes that article's records."""
        originals, copied = copies.split(todo) if copies and self.reuse_copies else (list(todo), [])
        chunk = self.options.batch_size * PROGRESS_BATCHES
        parts = [tuple(originals[start : start + chunk]) for start in range(0, len(originals), chunk)]
        found: dict[str, list[Any]] = {name: [] for name in stage.provides}
        done = 0
        for part, fields in zip(parts, self.map(_PartRunner(stage, dossier), parts), strict=True):
            for name, records in fields.items():
                found.setdefault(name, []).extend(records)
            done += len(part)
            progress(stage.name, done, total)
        if copies is not None and self.reuse_copies:
            copies.remember(found)
            for name, records in copies.rekeyed(copied, stage.provides).items():
                found[name].extend(records)
            if copied:
                progress(stage.name, done + len(copied), total)
        return found

    def _run_per_story(
        self, stages: Sequence[Stage], earlier: StoryViews, views: StoryViews
    ) -> dict[str, tuple[Any, ...]]:
        """Consecutive per-story stages run story by story: each story's view goes through
        them in turn (its part kept from the previous dossier where the stage's view of it
        is unchanged, worked out through ``map`` otherwise), and each field they provide
        is every story's records of it (:meth:`Stage.combined`). A first stage that settles
        across stories (:meth:`Stage.settle`) has its part of every story worked out first,
        of the articles in no story too, and settled before any story goes on; the parts
        wait in a temporary file meanwhile. Views are made a chunk of stories at a time,
        so only the chunks in work are held. A field the store joins (:func:`_joined`) goes
        to it story by story and is joined there at the end, never held here."""
        first, settled, chained = stages[0], None, tuple(stages)
        found: dict[str, list[Any]] = defaultdict(list)
        joined = _joined(stages, views.read_back)
        pending: dict[str, list[Any]] = defaultdict(list)  # joined records not yet handed over

        def keep(own: dict[str, tuple[Any, ...]]) -> None:
            for name, records in own.items():
                (pending if name in joined else found)[name].extend(records)

        def hand_over() -> None:
            for name in joined:
                if pending[name] and views.read_back is not None:
                    views.read_back.records.add_parts(name, pending.pop(name))

        if joined and views.read_back is not None:
            views.read_back.records.replace_results(list(joined))
        with Spill() as parts:
            if first.settles():
                alone: list[tuple[Dossier, Any]] = []

                def summaries() -> Iterator[Any]:  # one at a time: settle folds them as they come
                    for part in self._story_parts(first, earlier, views):
                        parts.append(part)
                        yield first.summary(part)
                    loose = views.unstoried(first.story_reads())
                    alone.extend(zip(loose, self._mapped(_StoryRunner(first), loose), strict=True))
                    yield from (first.summary(part) for _, part in alone)

                settled = first.settle(summaries())
                release_freed_memory()
                for view, part in alone:  # their records of the settling stage, nothing after it
                    keep(first.story_fields(view, part, settled))
                hand_over()
                chained = chained[1:]
            reads = {name for stage in stages for name in (*stage.requires, *stage.story_reads())}
            before = [name for stage in chained for name in (*stage.story_reads(), *stage.provides)]
            settled_parts = iter(parts)

            def chunks() -> Iterator[tuple[tuple[Dossier, Dossier | None], ...]]:
                for story_ids in self._story_id_chunks(views):
                    items = []
                    for story_id in story_ids:
                        state = views.view(story_id, reads)
                        if settled is not None:
                            view = restricted(state, first.requires)
                            own = first.story_fields(view, next(settled_parts), settled)
                            keep(own)
                            state = dataclasses.replace(state, **own)
                        items.append((state, earlier.view(story_id, before) if story_id in earlier else None))
                    yield tuple(items)

            written = _written(chained, views.read_back)
            if written and views.read_back is not None:
                views.read_back.records.replace_results(written)
            for results in self.map(_ChainRunner(chained), chunks()):
                chunk: dict[str, list[Any]] = defaultdict(list)
                for own in results:
                    for name, records in own.items():
                        (chunk if name in written else pending if name in joined else found)[name].extend(
                            records
                        )
                for name in written:
                    if chunk[name] and views.read_back is not None:
                        views.read_back.records.add_results(name, chunk[name])
                hand_over()
                del results, chunk
                release_freed_memory()  # the chunk's views and results, freed in two threads
        for name, stage in joined.items():
            if views.read_back is not None:
                order = stage.joins(name)
                join = None if order is None else partial(stage.joined, name)
                views.read_back.records.join_parts(name, order or stage.sorts(name) or (), join)
        provided = (
            (stage, name)
            for stage in stages
            for name in stage.provides
            if name not in written and name not in joined
        )
        return {name: stage.combined(name, found[name]) for stage, name in provided}

    def _story_parts(self, stage: Stage, earlier: StoryViews, views: StoryViews) -> Iterator[Any]:
        """A per-story stage's part of each story, in story id order: kept from the previous
        dossier where the story's view is unchanged, worked out (through ``map``) for the
        others."""
        reads = stage.story_reads()
        plans: deque[list[Any]] = deque()  # per chunk in work: kept parts, _TO_DO for the others

        def chunks() -> Iterator[tuple[Dossier, ...]]:
            for story_ids in self._story_id_chunks(views):
                plan, todo = [], []
                for story_id in story_ids:
                    view = views.view(story_id, reads)
                    if story_id in earlier and earlier.view(story_id, reads) == view:
                        plan.append(stage.kept_part(earlier.view(story_id, (*reads, *stage.provides))))
                    else:
                        plan.append(_TO_DO)
                        todo.append(view)
                plans.append(plan)
                yield tuple(todo)

        for results in self.map(_StoryRunner(stage), chunks()):
            worked = iter(results)
            yield from (next(worked) if part is _TO_DO else part for part in plans.popleft())

    def _story_id_chunks(self, views: StoryViews) -> Iterator[list[str]]:
        """The story ids in order, in chunks of about a progress step's articles."""
        stories = [views.stories[story_id] for story_id in sorted(views.stories)]
        for chunk in _story_chunks(stories, self.options.batch_size * PROGRESS_BATCHES):
            yield [story.id for story in chunk]

    def _mapped(
        self, runner: Callable[[tuple[Any, ...]], list[Any]], items: Sequence[Dossier]
    ) -> Iterator[Any]:
        """``runner`` over story views in chunks of about a progress step's articles, each
        view's result in turn."""
        for results in self.map(runner, _story_chunks(items, self.options.batch_size * PROGRESS_BATCHES)):
            yield from results

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """``fn`` of each item, in order. The local engine runs them here one after
        another; an engine with workers (Dask) overrides this to run them there."""
        return (fn(item) for item in items)


class _Ingest:
    """The ingest phase of one run: batches cleaned, their new articles' per-article
    records found and committed, everything kept for the corpus phase."""

    def __init__(
        self,
        engine: Engine,
        previous: Dossier,
        progress: Progress,
        commit: Commit | None,
        read_back: ReadBack | None = None,
    ) -> None:
        """``read_back``: per-article fields not kept once committed (the run reads them
        back from the store)."""
        self.engine, self.progress, self.commit = engine, progress, commit
        self.read_back = frozenset(read_back.fields if read_back is not None else ())
        self.stages = engine.ingest_stages()
        self.known = {a.id for a in previous.articles}
        self.refused = set(previous.rejected)  # rejections already stored
        self.new: dict[str, Article] = {}
        self.rejected: list[Rejection] = []
        self.kept = 0
        # over the run's batches, so a copy in a later batch is reused
        self.copies = _Copies(read_back.records if read_back is not None else None)
        self.found: dict[str, list[Any]] = {
            name: [r for r in getattr(previous, name) if r.article in self.known]
            for stage in self.stages
            for name in stage.provides
            if name not in self.read_back
        }

    def add(self, batch: Sequence[RawDocument]) -> None:
        read = self.kept + len(self.rejected)
        cleaned, refused = self.engine.clean(batch, _offset(self.progress, read))
        fresh: list[Article] = []
        for article in cleaned:  # the first of two copies of one article is the one kept
            if article.id not in self.known and article.id not in self.new:
                self.new[article.id] = article
                fresh.append(article)
        self.kept += len(cleaned)
        self.rejected.extend(refused)
        part = Dossier(articles=tuple(fresh))
        done = len(self.new) - len(fresh)
        for stage in self.stages:
            found = self.engine._per_article_part(
                stage, part, fresh, _offset(self.progress, done), copies=self.copies
            )
            part = dataclasses.replace(
                part, **{n: tuple(sorted(r, key=_record_order)) for n, r in found.items()}
            )
            for name, records in found.items():
                if name not in self.read_back:
                    self.found.setdefault(name, []).extend(records)
        unseen = tuple(r for r in dict.fromkeys(refused) if r not in self.refused)
        self.refused.update(unseen)
        if self.commit is not None and (fresh or unseen):
            self.commit(dataclasses.replace(part, rejected=unseen))

    def records(self) -> dict[str, tuple[Any, ...]]:
        return {name: tuple(sorted(records, key=_record_order)) for name, records in self.found.items()}


class _Copies:
    """Exact copies among the articles a per-article stage is given, over one run: the
    first article with a content is analysed, later ones take its records re-keyed. With
    ``stored`` (where committed batches are), only the last :data:`COPIES_REMEMBERED`
    analysed articles' records are held; an earlier one's are read back from there."""

    def __init__(self, stored: Records | None = None) -> None:
        self.first: dict[Article, str] = {}  # content -> id of the first article with it
        # that article's records, by field; oldest first
        self.records: OrderedDict[str, dict[str, tuple[Any, ...]]] = OrderedDict()
        self.stored = stored

    def split(self, articles: Sequence[Article]) -> tuple[list[Article], list[tuple[Article, str]]]:
        """The articles to analyse, and (copy, id of the article it copies) for the others."""
        originals: list[Article] = []
        copied: list[tuple[Article, str]] = []
        for article in articles:
            first = self.first.setdefault(_content(article), article.id)
            if first == article.id:
                originals.append(article)
            else:
                copied.append((article, first))
        return originals, copied

    def remember(self, found: dict[str, list[Any]]) -> None:
        """Keep the records of analysed articles by article (their copies may come later)."""
        for name, records in found.items():
            grouped: dict[str, list[Any]] = {}
            for record in records:
                grouped.setdefault(record.article, []).append(record)
            for article_id, own in grouped.items():
                self.records.setdefault(article_id, {})[name] = tuple(own)
        while self.stored is not None and len(self.records) > COPIES_REMEMBERED:
            self.records.popitem(last=False)

    def rekeyed(self, copied: Sequence[tuple[Article, str]], fields: Sequence[str]) -> dict[str, list[Any]]:
        """Each copy's records of ``fields``: its original's, naming the copy."""
        out: dict[str, list[Any]] = {name: [] for name in fields}
        for copy, original in copied:
            own = self.records.get(original)
            if own is None:  # analysed in an earlier batch, committed and no longer held
                own = (
                    {n: tuple(self.stored.of_articles(n, [original])) for n in fields} if self.stored else {}
                )
            for name in fields:
                out[name].extend(dataclasses.replace(r, article=copy.id) for r in own.get(name, ()))
        return out


def _content(article: Article) -> Article:
    """What an article says, as a key: the article without where it appeared (id, source,
    outlet) or the lines clean removed as furniture (kept for audit, read by no stage)."""
    return dataclasses.replace(article, id="", source="", outlet=None, removed=())


@dataclass(frozen=True, slots=True)
class _PartRunner:
    """A per-article stage run on one part of the articles (picklable for workers)."""

    stage: Stage
    dossier: Dossier

    def __call__(self, part: tuple[Article, ...]) -> dict[str, tuple[Any, ...]]:
        return self.stage(dataclasses.replace(self.dossier, articles=part))


@dataclass(frozen=True, slots=True)
class _StoryRunner:
    """A per-story stage's part of each story view of a chunk (picklable for workers)."""

    stage: Stage

    def __call__(self, views: tuple[Dossier, ...]) -> list[Any]:
        return [self.stage.story_part(view) for view in views]


@dataclass(frozen=True, slots=True)
class _ChainRunner:
    """Per-story stages run in turn on each story of a chunk (picklable for workers): a
    chunk item is the story's view and its view in the previous dossier (None when it is
    new); a stage whose view of the story is unchanged keeps its previous part. Each
    story's result: its records of every field the stages provide."""

    stages: tuple[Stage, ...]

    def __call__(self, items: tuple[tuple[Dossier, Dossier | None], ...]) -> list[dict[str, tuple[Any, ...]]]:
        results = []
        for state, earlier in items:
            own: dict[str, tuple[Any, ...]] = {}
            for stage in self.stages:
                reads = stage.story_reads()
                view = restricted(state, reads)
                if earlier is not None and restricted(earlier, reads) == view:
                    part = stage.kept_part(restricted(earlier, (*reads, *stage.provides)))
                else:
                    part = stage.story_part(view)
                fields = stage.story_fields(restricted(state, stage.requires), part, None)
                state = dataclasses.replace(state, **fields)
                own.update(fields)
            results.append(own)
        return results


def _streamed(stage: Stage, read_back: ReadBack | None) -> tuple[str, ...]:
    """The fields a corpus stage reads through :meth:`Stage.streamed` in this run: its
    :attr:`~Stage.streams`, when ``read_back`` reads every one of them back."""
    if read_back is None or stage.per_story or stage.per_article or not stage.streams:
        return ()
    return stage.streams if set(stage.streams) <= set(read_back.fields) else ()


def _streamed_records(read_back: ReadBack, article_ids: Sequence[str], name: str) -> Iterator[Any]:
    return read_back.stream(name, article_ids)


def _written(stages: Sequence[Stage], read_back: ReadBack | None) -> list[str]:
    """The fields of ``stages`` that ``read_back`` takes as they come: those it asks for whose
    corpus-wide records are each story's in turn (:meth:`Stage.combined` as it is)."""
    if read_back is None:
        return []
    return [
        name
        for stage in stages
        for name in stage.provides
        if name in read_back.written and type(stage).combined is Stage.combined
    ]


def _joined(stages: Sequence[Stage], read_back: ReadBack | None) -> dict[str, Stage]:
    """The fields of ``stages`` that ``read_back``'s store joins or sorts as they come (those
    it asks for that the stage providing them :meth:`~Stage.joins` or :meth:`~Stage.sorts`),
    each with that stage."""
    if read_back is None:
        return {}
    return {
        name: stage
        for stage in stages
        for name in stage.provides
        if name in read_back.joined and (stage.joins(name) or stage.sorts(name)) is not None
    }


def _steps(stages: Sequence[Stage]) -> list[list[Stage]]:
    """The stages in order, each alone but for consecutive per-story stages, run as one
    step story by story."""
    steps: list[list[Stage]] = []
    for stage in stages:
        if stage.per_story and steps and steps[-1][0].per_story:
            steps[-1].append(stage)
        else:
            steps.append([stage])
    return steps


def _story_chunks(items: Sequence[Any], articles: int) -> list[tuple[Any, ...]]:
    """Stories or story views in chunks of about ``articles`` articles (a big story is a
    chunk of its own)."""
    chunks: list[tuple[Any, ...]] = []
    current: list[Any] = []
    size = 0
    for item in items:
        count = len(item.article_ids) if isinstance(item, Story) else len(item.articles)
        if current and size + count > articles:
            chunks.append(tuple(current))
            current, size = [], 0
        current.append(item)
        size += count
    if current:
        chunks.append(tuple(current))
    return chunks


#: A story whose part is to be worked out (see Engine._story_parts).
_TO_DO = object()


def _offset(progress: Progress, done: int) -> Progress:
    """A progress callback whose counts start at ``done`` (one stage's count across batches)."""
    return lambda stage, count, total: progress(stage, done + count, total)


def _article_order(article: Article) -> tuple[str, str]:
    return (article.source, article.id)


def _record_order(record: Any) -> tuple[str, int, int]:
    return (record.article, record.start, record.end)


def _batches(items: Iterable[RawDocument], size: int) -> Iterator[list[RawDocument]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
