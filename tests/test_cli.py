"""The command line: the main job on the seeds, and one-line errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsweave import export
from newsweave.cli import main


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    db = tmp_path_factory.mktemp("cli") / "seeds.db"
    result = CliRunner().invoke(main, ["run", str(seeds_dir), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def test_every_command_has_help(runner: CliRunner) -> None:
    for command in main.commands.values():
        assert command.help, f"{command.name} has no help text"
        result = runner.invoke(main, [command.name or "", "--help"])
        assert result.exit_code == 0
        assert "Usage:" in result.output


def test_run_reports_what_it_read(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(main, ["run", str(seeds_dir), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 0, result.output
    assert "read 5 documents: 5 kept, 0 rejected, 5 new" in result.stderr


def test_missing_path_is_one_line_error_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    result = runner.invoke(main, ["run", str(tmp_path / "nope.txt"), "--db", str(db)])
    assert result.exit_code == 1
    assert result.stderr.startswith("newsweave: error: ")
    assert "nope.txt" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert not db.exists()


def test_empty_folder_is_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(main, ["run", str(empty), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert "empty" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_export_without_a_database_says_to_run_first(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["export", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "newsweave run" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_json_export_validates(runner: CliRunner, seeded_db: Path) -> None:
    result = runner.invoke(main, ["export", "--db", str(seeded_db), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    export.validate(data)
    assert len(data["articles"]) == 5


def test_rerun_adds_nothing_and_exports_byte_identical(
    runner: CliRunner, seeds_dir: Path, tmp_path: Path
) -> None:
    db = tmp_path / "twice.db"
    outputs = []
    for _ in range(2):
        assert runner.invoke(main, ["run", str(seeds_dir), "--db", str(db)]).exit_code == 0
        outputs.append(runner.invoke(main, ["export", "--db", str(db)]).stdout_bytes)
    assert outputs[0] == outputs[1]
    assert len(json.loads(outputs[1])["articles"]) == 5


def test_same_input_in_another_database_exports_identically(
    runner: CliRunner, seeds_dir: Path, seeded_db: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.db"
    # the same files named the same way give the same sources, hence the same dossier
    assert runner.invoke(main, ["run", str(seeds_dir) + "/", "--db", str(other)]).exit_code == 0
    first = runner.invoke(main, ["export", "--db", str(seeded_db)]).stdout_bytes
    second = runner.invoke(main, ["export", "--db", str(other)]).stdout_bytes
    assert first == second


def test_export_to_a_file_per_story(runner: CliRunner, seeded_db: Path, tmp_path: Path) -> None:
    listing = runner.invoke(main, ["stories", "--db", str(seeded_db)])
    assert listing.exit_code == 0
    story_id = listing.stdout.split("\t", 1)[0]
    out = tmp_path / "story.html"
    result = runner.invoke(
        main, ["export", "--db", str(seeded_db), "--format", "html", "--story", story_id, "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and f'id="{story_id}"' in page
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".story")] == []


def test_unknown_story_is_one_line_error(runner: CliRunner, seeded_db: Path) -> None:
    result = runner.invoke(main, ["show", "s0000", "--db", str(seeded_db)])
    assert result.exit_code == 1
    assert "newsweave stories" in result.stderr


def test_show_prints_brief_timeline_and_claims(runner: CliRunner, seeded_db: Path) -> None:
    story_id = runner.invoke(main, ["stories", "--db", str(seeded_db)]).stdout.split("\t", 1)[0]
    result = runner.invoke(main, ["show", story_id, "--db", str(seeded_db)])
    assert result.exit_code == 0, result.stderr
    for heading in ("Brief", "Timeline", "Claims"):
        assert heading in result.stdout
