"""The README's contract: the installed `newsweave` command runs the main job on the bundled seeds."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsweave import export

ROOT = Path(__file__).resolve().parents[1]


def _newsweave() -> str:
    found = shutil.which("newsweave", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("the `newsweave` command is not installed beside this Python: run `make test`")
    return found


def test_readme_names_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "newsweave run samples/seeds" in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_installed_command_runs_the_seeds_and_exports_a_valid_dossier(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    command = _newsweave()
    run = subprocess.run(
        [command, "run", "samples/seeds"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "newsweave.db").is_file()
    exported = subprocess.run(
        [command, "export", "--format", "json"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert exported.returncode == 0, exported.stderr
    data = json.loads(exported.stdout)
    export.validate(data)
    assert sorted(Path(a["source"]).name for a in data["articles"]) == sorted(
        p.name for p in (ROOT / "samples" / "seeds").glob("*.txt")
    )
    assert all(a["source"].startswith("samples/seeds/") for a in data["articles"])
