"""Stories stage: group articles into events (TO BE WRITTEN)."""

from __future__ import annotations

from typing import Any, ClassVar

from .model import Dossier
from .stage import Stage


class Stories(Stage):
    name: ClassVar[str] = "stories"
    requires: ClassVar[tuple[str, ...]] = ("articles", "mentions", "dates")
    provides: ClassVar[tuple[str, ...]] = ("stories",)
    per_article: ClassVar[bool] = False

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        raise NotImplementedError
