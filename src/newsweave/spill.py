"""A temporary file of items written as they come and read back in order: what a
corpus-wide step that must see every story before it goes on keeps instead of holding
every story's part (the engine's settling parts, resolve's summaries)."""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from typing import Any


class Spill:
    """Items pickled to a temporary file as they come, then read back in order (as often
    as asked); the file goes when the ``with`` block ends."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by __exit__)
        self.count = 0

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.close()

    def append(self, item: Any) -> None:
        pickle.dump(item, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def __iter__(self) -> Iterator[Any]:
        self.file.seek(0)
        for _ in range(self.count):
            yield pickle.load(self.file)  # written by this process, above
