"""Stories stage: group articles into stories, one news event each.

Two groups of articles are one story when their content words, the numbers they
state, the entities they name and the days their events happened on agree
(:mod:`.features`), judged by the mean similarity over all their pairs and held
back by time: groups published far apart need more evidence. Candidates come from
an inverted index of salient terms, never from all pairs.

* :func:`group` (:mod:`.batch`) groups a whole corpus at once; it is the
  ``stories`` stage of the pipeline.
* :class:`StoryTracker` (:mod:`.tracker`) takes a stream one article at a time,
  assigns it to an open story or opens a new one, merges two stories that an
  article bridges (recording the merge so the old id redirects), and closes stories
  idle past its time window so that its memory stays bounded.

A story's title is chosen from its articles (:mod:`.titles`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from ..model import Dossier
from ..stage import Stage
from .batch import group, group_vectors, streamed_vectors
from .tracker import StoryTracker, track

__all__ = ["Stories", "StoryTracker", "StreamStories", "group", "track"]


class Stories(Stage):
    """Articles grouped into stories, the whole corpus at once."""

    name: ClassVar[str] = "stories"
    requires: ClassVar[tuple[str, ...]] = ("articles", "mentions", "dates")
    provides: ClassVar[tuple[str, ...]] = ("stories",)
    streams: ClassVar[tuple[str, ...]] = ("mentions", "dates")

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        return {"stories": group(dossier.articles, dossier.mentions, dossier.dates)}

    def streamed(
        self, dossier: Dossier, records: Callable[[str], Iterable[Any]]
    ) -> dict[str, tuple[Any, ...]]:
        """The same stories, each article's features made from its mentions and dates as
        they are read (a corpus's mentions were 6.8 KB an article held whole)."""
        vecs = streamed_vectors(dossier.articles, records("mentions"), records("dates"))
        return {"stories": group_vectors(dossier.articles, vecs)}


class StreamStories(Stories):
    """The same stage as a stream: articles fed to a :class:`StoryTracker` in publication
    order (undated ones in corpus order after the dated), as ``newsweave run --stream`` does."""

    streams: ClassVar[tuple[str, ...]] = ()  # publication order: not article id order

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        stories, _merges = track(dossier.articles, dossier.mentions, dossier.dates)
        return {"stories": stories}
