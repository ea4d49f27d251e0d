"""The engine: stage order, per-article stages on new articles only, determinism."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

import pytest

from newsweave.engine import STAGES, Engine, check_order
from newsweave.errors import PipelineError
from newsweave.extract import Extract
from newsweave.ingest import read_paths
from newsweave.model import Dossier
from newsweave.resolve import Resolve
from newsweave.stage import Options, Stage
from newsweave.stories import Stories
from newsweave.timeline import Timeline


def test_default_stages_follow_the_design_order() -> None:
    assert [s.name for s in STAGES] == [
        "dedup", "extract", "stories", "resolve", "claims", "timeline", "brief",
    ]  # fmt: skip


def test_a_stage_placed_before_what_it_needs_is_refused() -> None:
    stages = [cls() for cls in STAGES]
    stages.reverse()
    with pytest.raises(PipelineError, match="needs"):
        check_order(stages)


def test_a_stage_returning_undeclared_fields_is_refused(seeds_dir: Any) -> None:
    class Sneaky(Stage):
        name: ClassVar[str] = "sneaky"
        provides: ClassVar[tuple[str, ...]] = ("stories",)

        def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
            return {"claims": ()}

    with pytest.raises(PipelineError, match="undeclared"):
        Engine(stages=[Sneaky()]).run(read_paths([seeds_dir]))


class CountingExtract(Extract):
    """Extract that remembers which articles it was asked to process."""

    seen: ClassVar[list[str]] = []

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        CountingExtract.seen.extend(a.id for a in dossier.articles)
        return super().__call__(dossier)


def test_per_article_stage_runs_on_new_articles_only(seeds_dir: Any, seed_dossier: Dossier) -> None:
    stages = [CountingExtract() if cls is Extract else cls() for cls in STAGES]
    engine = Engine(stages=stages)
    first_two = dataclasses.replace(seed_dossier, articles=seed_dossier.articles[:2])
    previous = engine.run([], first_two).dossier
    CountingExtract.seen.clear()
    result = engine.run(read_paths([seeds_dir]), previous)
    assert sorted(CountingExtract.seen) == sorted(a.id for a in seed_dossier.articles[2:])
    assert result.new == len(seed_dossier.articles) - 2
    assert result.dossier.sentences == seed_dossier.sentences


def test_rerunning_the_same_input_adds_nothing_and_changes_nothing(
    seeds_dir: Any, seed_dossier: Dossier
) -> None:
    result = Engine().run(read_paths([seeds_dir]), seed_dossier)
    assert result.new == 0
    assert result.dossier == seed_dossier


def test_extract_runs_while_ingesting_and_a_stage_needing_stories_does_not() -> None:
    class AfterStories(Extract):
        name: ClassVar[str] = "after_stories"
        requires: ClassVar[tuple[str, ...]] = ("articles", "stories")
        provides: ClassVar[tuple[str, ...]] = ()

    engine = Engine(stages=[*(cls() for cls in STAGES), AfterStories()])
    assert [s.name for s in engine.ingest_stages()] == ["extract"]


def test_each_ingest_batch_is_committed_with_its_per_article_records(
    seeds_dir: Any, seed_dossier: Dossier
) -> None:
    batches: list[Dossier] = []
    engine = Engine(Options(batch_size=2, commit_every=3))  # rounded up to whole clean batches
    result = engine.run(read_paths([seeds_dir]), commit=batches.append)
    assert [len(b.articles) for b in batches] == [4, 1]
    assert sorted(a.id for b in batches for a in b.articles) == sorted(a.id for a in result.dossier.articles)
    for name in Extract.provides:
        committed = [r for b in batches for r in getattr(b, name)]
        final = getattr(result.dossier, name)
        if name == "quotes":  # resolve links the speakers later
            final = [dataclasses.replace(q, speaker_entity=None) for q in final]
        assert sorted(map(repr, committed)) == sorted(map(repr, final))
        assert all(r.article in {a.id for a in b.articles} for b in batches for r in getattr(b, name))
    assert all(not b.stories and not b.claims and not b.reuse for b in batches)  # corpus results wait
    assert result.dossier == seed_dossier


def test_a_run_resumed_from_its_committed_batches_extracts_the_rest_only(
    seeds_dir: Any, seed_dossier: Dossier
) -> None:
    """What a run killed after its first batch left behind, then the same input again."""
    batches: list[Dossier] = []
    Engine(Options(batch_size=4, commit_every=4)).run(read_paths([seeds_dir]), commit=batches.append)
    first = batches[0]
    stages = [CountingExtract() if cls is Extract else cls() for cls in STAGES]
    CountingExtract.seen.clear()
    result = Engine(Options(batch_size=4, commit_every=4), stages=stages).run(read_paths([seeds_dir]), first)
    assert len(CountingExtract.seen) == 1 and CountingExtract.seen[0] not in {a.id for a in first.articles}
    assert result.dossier == seed_dossier


def test_a_per_story_stage_reading_what_a_later_stage_rewrites_is_refused() -> None:
    class Rewrites(Stage):
        name: ClassVar[str] = "rewrites"
        requires: ClassVar[tuple[str, ...]] = ("claims",)
        provides: ClassVar[tuple[str, ...]] = ("claims",)

    with pytest.raises(PipelineError, match="rewrites"):
        check_order([*(cls() for cls in STAGES), Rewrites()])


def test_exact_copies_take_the_first_copys_records_and_the_dossier_is_unchanged(seeds_dir: Any) -> None:
    """Copies under new sources (in later ingest batches than their originals) are not
    extracted again; one with another date is, since its dates resolve against it."""
    documents = list(read_paths([seeds_dir]))
    copies = [
        dataclasses.replace(d, source=f"copy/{k}", outlet="Copier") for k, d in enumerate(documents[:3])
    ]
    redated = dataclasses.replace(documents[3], source="copy/redated", published="2001-02-03")
    corpus = [*documents, *copies, redated]
    options = Options(batch_size=2, commit_every=2)
    stages = [CountingExtract(options) if cls is Extract else cls(options) for cls in STAGES]
    CountingExtract.seen.clear()
    reused = Engine(options, stages=stages).run(corpus).dossier
    every = Engine(options, reuse_copies=False).run(corpus).dossier
    copy_ids = {a.id for a in reused.articles if a.source.startswith("copy/") and a.source != "copy/redated"}
    assert len(copy_ids) == len(copies) and not copy_ids & set(CountingExtract.seen)
    assert len(CountingExtract.seen) == len(reused.articles) - len(copies)
    assert copy_ids <= {m.article for m in reused.mentions}  # the copies have their records
    assert reused == every


def test_a_settling_per_story_stage_after_another_per_story_stage_is_refused() -> None:
    """A stage that settles across stories must see every story's part before any
    per-story stage before it goes on; after claims, it is refused before any work."""

    class SettlingTimeline(Timeline):
        def settle(self, summaries: Any) -> Any:
            return len(summaries)

    assert SettlingTimeline().settles() and not Timeline().settles() and Resolve().settles()
    with pytest.raises(PipelineError, match="'timeline' settles"):
        check_order([SettlingTimeline() if cls is Timeline else cls() for cls in STAGES])


class LeavesOneOut(Stories):
    """Batch stories, but the first article (by id) in no story."""

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        left = min(a.id for a in dossier.articles)
        stories = super().__call__(dossier)["stories"]
        kept = []
        for story in stories:
            members = tuple(a for a in story.article_ids if a != left)
            if members:
                kept.append(dataclasses.replace(story, article_ids=members))
        return {"stories": tuple(kept)}


def test_resolve_story_by_story_gives_the_whole_corpus_entities_quotes_and_relays(seeds_dir: Any) -> None:
    """The engine's story-by-story resolve (each story's entities, settled across stories,
    then its quotes and relays linked) gives what resolving the whole dossier at once gives,
    an article in no story included."""
    stages = [LeavesOneOut() if cls is Stories else cls() for cls in STAGES]
    dossier = Engine(stages=stages).run(read_paths([seeds_dir])).dossier
    storied = {a for s in dossier.stories for a in s.article_ids}
    alone = [a.id for a in dossier.articles if a.id not in storied]
    assert len(alone) == 1
    assert any(m.article == alone[0] for e in dossier.entities for m in e.mentions)
    whole = Resolve()(dossier)
    assert dossier.entities == whole["entities"]
    assert dossier.quotes == whole["quotes"] and dossier.relays == whole["relays"]
    assert any(q.speaker_entity for q in dossier.quotes) and any(r.entity for r in dossier.relays)
    # entities named in several stories have one name and id across them
    story_of = dossier.story_of()
    assert any(len({story_of.get(m.article) for m in e.mentions}) > 1 for e in dossier.entities)
