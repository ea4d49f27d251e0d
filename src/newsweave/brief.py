"""Brief stage: cited, verified sentences per story (TO BE WRITTEN)."""

from __future__ import annotations

from typing import Any, ClassVar

from .model import Dossier
from .stage import Stage


class Brief(Stage):
    name: ClassVar[str] = "brief"
    requires: ClassVar[tuple[str, ...]] = ("articles", "sentences", "entities", "claims", "discrepancies", "timeline")
    provides: ClassVar[tuple[str, ...]] = ("brief",)
    per_article: ClassVar[bool] = False

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        raise NotImplementedError
