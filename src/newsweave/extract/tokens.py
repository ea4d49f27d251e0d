"""A doc's tokens for the finders of :mod:`.quantities` and :mod:`.quotes`, each built on demand.

Why: ``list(doc)`` builds a spaCy :class:`~spacy.tokens.Token` for every token of an
article (about 5 % of the extract stage besides NER on 120 PolNeAR and timelines
articles), while the finders read the tokens near a number or a speech verb only;
their character offsets come from the doc's arrays at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

from spacy.attrs import IDX
from spacy.tokens import Doc


class DocTokens(Sequence[Any]):
    """The tokens of ``doc`` by index, each Token made once, on first access; ``starts``:
    every token's character offset."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.items: list[Any] = [None] * len(doc)
        self.starts: list[int] = doc.to_array(IDX).tolist() if len(doc) else []

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self.items)))]
        token = self.items[index]
        if token is None:
            token = self.items[index] = self.doc[index]
        return token
