"""Timeline stage: dated entries from claims (TO BE WRITTEN)."""

from __future__ import annotations

from typing import Any, ClassVar

from .model import Dossier
from .stage import Stage


class Timeline(Stage):
    name: ClassVar[str] = "timeline"
    requires: ClassVar[tuple[str, ...]] = ("claims", "dates", "stories")
    provides: ClassVar[tuple[str, ...]] = ("timeline",)
    per_article: ClassVar[bool] = False

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        raise NotImplementedError
