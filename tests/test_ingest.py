"""Ingest: files and folders to raw documents; bad paths fail before anything is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsweave.errors import InputError
from newsweave.ingest import read_paths


def test_a_folder_gives_one_document_per_text_file_in_order(seeds_dir: Path) -> None:
    documents = list(read_paths([seeds_dir]))
    assert [Path(d.source).name for d in documents] == sorted(p.name for p in seeds_dir.glob("*.txt"))
    assert all(d.format == "text" and d.text for d in documents)


def test_a_trailing_slash_names_the_same_sources(seeds_dir: Path) -> None:
    plain = [d.source for d in read_paths([seeds_dir])]
    slashed = [d.source for d in read_paths([f"{seeds_dir}/"])]
    assert plain == slashed


def test_folders_recurse_and_skip_hidden_and_other_files(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "story.txt").write_text("Deep article.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    sources = [d.source for d in read_paths([tmp_path])]
    assert sources == [f"{tmp_path}/a/b/story.txt"]


def test_a_missing_path_fails_before_any_document(tmp_path: Path, seeds_dir: Path) -> None:
    documents = read_paths([seeds_dir, tmp_path / "missing.txt"])
    with pytest.raises(InputError, match=r"missing\.txt: no such file or folder"):
        next(documents)


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        list(read_paths([tmp_path]))


def test_a_link_out_of_the_folder_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("Secret text outside the named folder.", encoding="utf-8")
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "inside.txt").write_text("An article.", encoding="utf-8")
    (folder / "link.txt").symlink_to(outside)
    assert [Path(d.source).name for d in read_paths([folder])] == ["inside.txt"]


def test_bytes_that_are_not_utf8_are_replaced_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 opens in Kyiv.".encode("latin-1"))
    (document,) = read_paths([tmp_path / "latin.txt"])
    assert document.text.startswith("Caf") and "Kyiv" in document.text


def test_a_binary_file_is_named_in_the_error(tmp_path: Path) -> None:
    (tmp_path / "blob.txt").write_bytes(b"abc\x00def")
    with pytest.raises(InputError, match=r"blob\.txt.*NUL"):
        list(read_paths([tmp_path]))
