"""`newsweave entities`: the entity index across stories, with folded search."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from newsweave.cli import main
from newsweave.resolve import name_matches


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    db = tmp_path_factory.mktemp("entities") / "seeds.db"
    result = CliRunner().invoke(main, ["run", str(seeds_dir), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def _rows(output: str) -> list[list[str]]:
    return [line.split("\t") for line in output.splitlines() if line]


def test_entities_lists_id_type_name_story_count_and_aliases(seeded_db: Path) -> None:
    result = CliRunner().invoke(main, ["entities", "--db", str(seeded_db)])
    assert result.exit_code == 0, result.output
    rows = _rows(result.output)
    assert rows and all(len(row) == 5 for row in rows)
    counts = [int(row[3].split()[0]) for row in rows]
    assert counts == sorted(counts, reverse=True)  # most widely reported first
    (sybiha,) = [row for row in rows if row[2] in {"Andrii Sybiha", "Andriy Sybiha"}]
    assert sybiha[1] == "PERSON" and {"Andrii Sybiha", "Andriy Sybiha"} <= set(sybiha[4].split(" | "))


def test_entities_query_folds_spelling_variants(seeded_db: Path) -> None:
    result = CliRunner().invoke(main, ["entities", "--db", str(seeded_db), "-q", "Umerov"])
    assert result.exit_code == 0, result.output
    rows = _rows(result.output)
    assert [row[2] for row in rows] == ["Rustem Umyerov"]
    assert "Umerov" in rows[0][4].split(" | ")
    spelled = CliRunner().invoke(main, ["entities", "--db", str(seeded_db), "-q", "umyerov"])
    assert _rows(spelled.output) == rows
    none = CliRunner().invoke(main, ["entities", "--db", str(seeded_db), "-q", "Merkel"])
    assert none.exit_code == 0 and none.output == ""


def test_name_matches_is_word_wise() -> None:
    assert name_matches("Umyerov", ["Rustem Umerov"])
    assert name_matches("north korea", ["DPRK"])
    assert not name_matches("Kor", ["North Korea"])  # a word part is not a name
    assert not name_matches("", ["North Korea"])
