"""Ingest: read plain-text files and folders into raw documents, one file at a time.

Paths are checked before the first record is yielded, so a bad command line
fails before anything is written. Folders recurse in sorted order; hidden
files and files of other types are passed over; a link that leads outside the
named folder is never followed. ``source`` is the path as the user named it,
normalised (``samples/seeds`` and ``samples/seeds/`` give the same sources).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from .errors import InputError
from .model import RawDocument

#: File name endings read as plain-text articles ("" is a file with no extension).
TEXT_SUFFIXES = frozenset({".txt", ".text", ""})


def read_paths(paths: Sequence[str | Path]) -> Iterator[RawDocument]:
    """Raw documents of every article file under ``paths``, in order."""
    files = [file for path in paths for file in _article_files(Path(path))]
    for file in files:
        yield _read_text(file)


def _article_files(path: Path) -> list[Path]:
    if not path.exists():
        raise InputError(f"{path}: no such file or folder; check the path")
    if path.is_file():
        return [path]
    root = path.resolve()
    found = [
        file
        for file in sorted(path.rglob("*"))
        if file.is_file()
        and not any(part.startswith(".") for part in file.relative_to(path).parts)
        and file.suffix.lower() in TEXT_SUFFIXES
        and file.resolve().is_relative_to(root)
    ]
    if not found:
        raise InputError(
            f"{path}: folder is empty: no .txt article files in it; point newsweave at a folder of articles"
        )
    return found


def _source(file: Path) -> str:
    return os.path.normpath(file).replace(os.sep, "/")


def _read_text(file: Path) -> RawDocument:
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"{file}: cannot be read ({exc.strerror}); check its permissions") from exc
    if b"\x00" in data:
        raise InputError(
            f"{file}: holds NUL bytes, so it is not a text article; remove it or name only text files"
        )
    return RawDocument(source=_source(file), text=data.decode("utf-8", errors="replace"), format="text")
