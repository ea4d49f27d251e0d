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
from newsweave.stage import Stage


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
