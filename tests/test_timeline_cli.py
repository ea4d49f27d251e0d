"""`newsweave timeline`: each stored story's key days, every line citing the articles that hold it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from newsweave.claims import content_stems
from newsweave.cli import main
from newsweave.store import Store
from newsweave.timeline import line_text


def _story_id(db: Path) -> str:
    with Store(db) as store:
        stories = sorted(store.iter("stories"), key=lambda s: -len(s.article_ids))
    return stories[0].id


def test_the_seeds_timeline_holds_4_november_and_every_line_is_in_its_cited_articles(seed_db: Path) -> None:
    story_id = _story_id(seed_db)
    args = ["timeline", "--db", str(seed_db), "--story", story_id, "--dates", "5", "--lines", "2"]
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    (story,) = json.loads(result.output)
    assert story["story_id"] == story_id
    dates = [day["date"] for day in story["days"]]
    assert "2024-11-04" in dates and dates == sorted(dates) and len(dates) == 5
    with Store(seed_db) as store:
        sentences = {(s.article, s.index): s for s in store.iter("sentences", story_id)}
    for day in story["days"]:
        assert 1 <= len(day["lines"]) <= 2
        for line in day["lines"]:
            assert line["article_ids"] and line["sources"]
            for source in line["sources"]:
                held = sentences[(source["article"], source["sentence"])]
                assert line_text(held) == line["text"]
                assert content_stems(line["text"]) <= content_stems(
                    held.text
                )  # nothing the source did not say
            assert sorted({s["article"] for s in line["sources"]}) == line["article_ids"]
    (first_clash,) = [day for day in story["days"] if day["date"] == "2024-11-04"]
    assert all("Kursk" in line["text"] for line in first_clash["lines"])  # the first clash, in Kursk


def test_text_and_markdown_show_each_line_with_its_articles(seed_db: Path) -> None:
    story_id = _story_id(seed_db)
    text = CliRunner().invoke(main, ["timeline", "--db", str(seed_db), "--story", story_id, "--dates", "3"])
    assert text.exit_code == 0, text.output
    rows = [line.split("\t") for line in text.output.splitlines()[1:] if line]
    assert len(rows) == 3 and all(len(r) == 3 and r[2].startswith("[") for r in rows)
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)
    md = CliRunner().invoke(
        main, ["timeline", "--db", str(seed_db), "--story", story_id, "--format", "markdown"]
    )
    assert md.exit_code == 0, md.output
    assert md.output.startswith("## ") and "- **2024-11-04** " in md.output


def test_an_unknown_story_or_a_missing_store_is_a_one_line_error(seed_db: Path, tmp_path: Path) -> None:
    unknown = CliRunner().invoke(main, ["timeline", "--db", str(seed_db), "--story", "s-nope"])
    assert unknown.exit_code == 1 and "no story 's-nope'" in unknown.output
    missing = CliRunner().invoke(main, ["timeline", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 1 and "no such database" in missing.output
