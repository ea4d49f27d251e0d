"""`newsweave run --stream`: the seeds as a live feed end in one stored story, as in batch."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from newsweave.cli import main
from newsweave.store import Store

SEEDS = Path(__file__).resolve().parents[1] / "samples" / "seeds"


def test_run_stream_groups_the_seeds_into_one_story(tmp_path: Path) -> None:
    db = tmp_path / "stream.db"
    result = CliRunner().invoke(main, ["run", "--stream", str(SEEDS), "--db", str(db)])
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        (story,) = list(store.iter("stories"))
        assert len(story.article_ids) == len(list(SEEDS.glob("*.txt")))
        assert story.title
        assert store.story(story.id) == story
