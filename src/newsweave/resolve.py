"""Resolve stage: one entity across articles and spellings (TO BE WRITTEN)."""

from __future__ import annotations

from typing import Any, ClassVar

from .model import Dossier
from .stage import Stage


class Resolve(Stage):
    name: ClassVar[str] = "resolve"
    requires: ClassVar[tuple[str, ...]] = ("articles", "mentions", "stories", "quotes", "relays")
    provides: ClassVar[tuple[str, ...]] = ("entities", "quotes", "relays")
    per_article: ClassVar[bool] = False

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        raise NotImplementedError
