"""Clean stage: raw documents to articles (TO BE WRITTEN)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from .model import Article, RawDocument, Rejection
from .stage import DocumentStage


class Clean(DocumentStage):
    name: ClassVar[str] = "clean"

    def __call__(self, documents: Sequence[RawDocument]) -> tuple[list[Article], list[Rejection]]:
        raise NotImplementedError
