"""Claims stage: claims across outlets, independent sources, discrepancies (TO BE WRITTEN)."""

from __future__ import annotations

from typing import Any, ClassVar

from .model import Dossier
from .stage import Stage


class Claims(Stage):
    name: ClassVar[str] = "claims"
    requires: ClassVar[tuple[str, ...]] = ("articles", "sentences", "mentions", "dates", "quantities", "quotes", "reuse", "relays", "stories", "entities")
    provides: ClassVar[tuple[str, ...]] = ("claims", "discrepancies")
    per_article: ClassVar[bool] = False

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        raise NotImplementedError
