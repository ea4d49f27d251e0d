"""Ingest: read files and folders into raw documents (TO BE WRITTEN)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from .model import RawDocument


def read_paths(paths: Sequence[str | Path]) -> Iterator[RawDocument]:
    raise NotImplementedError
