"""Extract stage: sentences, entity mentions, dates, quantities, quotes (TO BE WRITTEN)."""

from __future__ import annotations

from typing import Any, ClassVar

from .model import Dossier
from .stage import Stage


class Extract(Stage):
    name: ClassVar[str] = "extract"
    requires: ClassVar[tuple[str, ...]] = ("articles",)
    provides: ClassVar[tuple[str, ...]] = ("sentences", "mentions", "dates", "quantities", "quotes")
    per_article: ClassVar[bool] = True

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        raise NotImplementedError
