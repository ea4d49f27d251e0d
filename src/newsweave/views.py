"""Story views: the part of a dossier that one story's per-story stages read.

A story's view is a :class:`~newsweave.model.Dossier` holding the story and, of
each field asked for, the records that belong to it:

* its articles, and the per-article records of them (sentences, mentions, dates,
  quantities, quotes, relays: records with an ``article``);
* its per-story records (claims, discrepancies, timeline, brief: a ``story_id``);
* reuse between two of its articles;
* each entity its articles mention, as the story sees it: the entity's id, name
  and type, with only the story's mentions and their spellings as aliases.

Rejections and metadata belong to no story. The engine runs a per-story stage on
views (:mod:`newsweave.stage`), and compares a story's view in the previous
dossier with its view now: equal views give equal results, so only the stories
whose view changed are worked on again.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .model import Dossier, Entity, Reuse, Story

#: Articles whose records :meth:`ReadBack.stream` reads at a time.
STREAM_ARTICLES = 500

#: Dossier fields that no story owns.
_UNOWNED = frozenset({"rejected", "meta"})


class Records(Protocol):
    """Where a run's records are kept (the store)."""

    def of_articles(self, name: str, article_ids: Sequence[str]) -> Sequence[Any]:
        """The records of one per-article field of these articles, in the dossier's order."""
        ...

    def replace_results(self, names: Sequence[str]) -> None:
        """Start replacing the kept records of these fields by those ``add_results`` gives."""
        ...

    def add_results(self, name: str, records: Sequence[Any]) -> None:
        """More records of a field being replaced, in the dossier's order."""
        ...

    def add_parts(self, name: str, records: Sequence[Any]) -> None:
        """Stories' records of a field being replaced that the store joins or sorts."""
        ...

    def join_parts(
        self, name: str, order: Sequence[str], join: Callable[[Sequence[Any]], Any] | None
    ) -> None:
        """The field's records from the parts given, sorted by the attributes ``order``
        (then as given); with ``join``, each id's joined into one (``id`` last in ``order``)."""
        ...


@dataclass(frozen=True)
class ReadBack:
    """Per-article ``fields`` that a run reads from ``records`` a story at a time instead
    of holding them in its dossier (which leaves them empty), and per-story fields
    ``written`` to ``records`` as the stages give them (which the dossier leaves empty too),
    and ``joined``, per-story fields whose records join by id across stories or are sorted
    across them, written as parts and joined or sorted by ``records`` at the end (which
    the dossier leaves empty)."""

    records: Records
    fields: tuple[str, ...]
    written: tuple[str, ...] = ()
    joined: tuple[str, ...] = ()

    def stream(self, name: str, article_ids: Iterable[str]) -> Iterator[Any]:
        """The records of one of ``fields`` of these articles in article id order, read
        :data:`STREAM_ARTICLES` articles at a time."""
        ids = sorted(article_ids)
        for start in range(0, len(ids), STREAM_ARTICLES):
            yield from self.records.of_articles(name, ids[start : start + STREAM_ARTICLES])

    def fill(self, dossier: Dossier, names: Iterable[str]) -> Dossier:
        """The dossier with those of ``names`` read back, for all of its articles."""
        ids = [a.id for a in dossier.articles]
        wanted = [name for name in names if name in self.fields]
        return dataclasses.replace(dossier, **{n: tuple(self.records.of_articles(n, ids)) for n in wanted})


class StoryViews:
    """The views of one dossier's stories; each field is grouped by story once, on first use
    (a field of ``read_back`` is read for each view instead)."""

    def __init__(self, dossier: Dossier, read_back: ReadBack | None = None) -> None:
        self.dossier = dossier
        self.read_back = read_back
        self.stories = {story.id: story for story in dossier.stories}
        self._groups: dict[str, tuple[tuple[Any, ...], dict[str, list[Any]]]] = {}
        self.story_of = dossier.story_of()

    def __contains__(self, story_id: object) -> bool:
        return story_id in self.stories

    def view(self, story_id: str, fields: Iterable[str]) -> Dossier:
        """The story and, of each field named, its records (in the dossier's order)."""
        story = self.stories[story_id]
        values = {name: self._records(name, story_id, story.article_ids) for name in _owned(fields)}
        return Dossier(stories=(story,), **values)

    def _records(
        self,
        name: str,
        story_id: str,
        article_ids: Sequence[str],
        grouped: dict[str, list[Any]] | None = None,
    ) -> tuple[Any, ...]:
        """A story's records of one field: read back, or from the dossier's field grouped
        by story (``grouped``, by default by the dossier's stories)."""
        if self.read_back is not None and name in self.read_back.fields:
            return tuple(self.read_back.records.of_articles(name, article_ids))
        return tuple((self._grouped(name) if grouped is None else grouped).get(story_id, ()))

    def unstoried(self, fields: Iterable[str]) -> list[Dossier]:
        """Each article in no story as a story of its own (its id the article's), with the
        article's records of the per-article ``fields``: what a stage that settles across
        stories (:meth:`~newsweave.stage.Stage.settle`) counts too, e.g. the entities such
        an article names."""
        alone = {a.id: a for a in self.dossier.articles if a.id not in self.story_of}
        if not alone:
            return []
        own = {article_id: article_id for article_id in alone}
        names = [name for name in _owned(fields) if name != "articles"]
        read = self.read_back.fields if self.read_back is not None else ()
        grouped = {n: group_by_story(n, getattr(self.dossier, n), own) for n in names if n not in read}
        views = []
        for article in sorted(alone.values(), key=lambda a: a.id):
            values = {n: self._records(n, article.id, [article.id], grouped.get(n, {})) for n in names}
            story = Story(article.id, article.title or "", (article.id,), None, None)
            views.append(Dossier(stories=(story,), articles=(article,), **values))
        return views

    def _grouped(self, name: str) -> dict[str, list[Any]]:
        records = getattr(self.dossier, name)
        cached = self._groups.get(name)
        if cached is not None and cached[0] is records:
            return cached[1]
        grouped = group_by_story(name, records, self.story_of)
        self._groups[name] = (records, grouped)
        return grouped


def _owned(fields: Iterable[str]) -> list[str]:
    """The fields of ``fields`` a story's view holds (its own story aside)."""
    return [name for name in fields if name not in _UNOWNED and name != "stories"]


def restricted(view: Dossier, fields: Iterable[str]) -> Dossier:
    """A story's view holding only ``fields`` of it (the story itself always)."""
    return Dossier(stories=view.stories, **{name: getattr(view, name) for name in _owned(fields)})


def group_by_story(name: str, records: Sequence[Any], story_of: dict[str, str]) -> dict[str, list[Any]]:
    """Story id -> the records of one dossier field that belong to the story."""
    grouped: dict[str, list[Any]] = defaultdict(list)
    if name == "entities":
        for entity in records:
            for story, seen in _as_seen(entity, story_of):
                grouped[story].append(seen)
    elif name == "reuse":
        for reuse in records:
            shared = _shared_story(reuse, story_of)
            if shared is not None:
                grouped[shared].append(reuse)
    elif name == "articles":
        for article in records:
            if article.id in story_of:
                grouped[story_of[article.id]].append(article)
    elif records and hasattr(records[0], "story_id"):
        for record in records:
            grouped[record.story_id].append(record)
    elif records and hasattr(records[0], "article"):
        for record in records:
            if record.article in story_of:
                grouped[story_of[record.article]].append(record)
    return grouped


def _shared_story(reuse: Reuse, story_of: dict[str, str]) -> str | None:
    story = story_of.get(reuse.a)
    return story if story is not None and story_of.get(reuse.b) == story else None


def _as_seen(entity: Entity, story_of: dict[str, str]) -> list[tuple[str, Entity]]:
    """(story, the entity with that story's mentions and spellings only) for each story
    whose articles mention it."""
    mentions: dict[str, list[Any]] = defaultdict(list)
    for mention in entity.mentions:
        if mention.article in story_of:
            mentions[story_of[mention.article]].append(mention)
    return [
        (
            story,
            dataclasses.replace(
                entity, aliases=tuple(sorted({m.text for m in found})), mentions=tuple(found)
            ),
        )
        for story, found in mentions.items()
    ]
