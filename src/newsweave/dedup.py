"""Dedup stage: exact and near duplicates, shared passages, relays (TO BE WRITTEN)."""

from __future__ import annotations

from typing import Any, ClassVar

from .model import Dossier
from .stage import Stage


class Dedup(Stage):
    name: ClassVar[str] = "dedup"
    requires: ClassVar[tuple[str, ...]] = ("articles",)
    provides: ClassVar[tuple[str, ...]] = ("reuse", "relays")
    per_article: ClassVar[bool] = False

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        raise NotImplementedError
