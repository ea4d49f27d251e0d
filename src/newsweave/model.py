"""The records every stage shares: the contract between stages.

Every record is a frozen, slotted dataclass holding only str / int / float /
bool / None and tuples of those or of other records, so it pickles (for worker
pools and Dask), compares by value (for the store round-trip) and turns into the
dossier's JSON with :func:`to_dict`.

Offsets (``start``/``end``) always index the article's clean text,
:attr:`Article.text`: its paragraphs joined by ``"\\n\\n"``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
import types
import typing
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

PARAGRAPH_SEPARATOR = "\n\n"
SCHEMA_ID = "newsweave.dossier/1"


def stable_id(prefix: str, *parts: str) -> str:
    """A short, stable id: the same parts give the same id on every machine."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return f"{prefix}{digest[:16]}"


# --------------------------------------------------------------------- ingest


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One record as read from an input, before cleaning.

    ``source`` is the record's URL when it has one, else the file path, with
    ``#N`` for the Nth record of a multi-record file. The metadata fields hold
    what the container stated (a JSON field, a feed entry); plain text leaves
    them ``None`` and ``clean`` finds them in the text.
    """

    source: str
    text: str
    format: str = "text"  # text | html | json | warc | feed
    title: str | None = None
    outlet: str | None = None
    byline: str | None = None
    published: str | None = None
    url: str | None = None
    error: str | None = None  # why the record could not be read (clean turns it into a Rejection)


@dataclass(frozen=True, slots=True)
class Rejection:
    """A record a stage refused, with its reason, kept instead of a crash."""

    source: str
    stage: str
    reason: str


# ---------------------------------------------------------------------- clean


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: the unit every later stage works on."""

    id: str
    source: str
    outlet: str | None
    title: str | None
    byline: str | None
    published: str | None  # ISO date or datetime as stated
    published_inferred: bool
    language: str | None
    paragraphs: tuple[str, ...]
    removed: tuple[str, ...]  # lines taken out as chrome, kept for audit

    @property
    def text(self) -> str:
        """The clean text all offsets index."""
        return PARAGRAPH_SEPARATOR.join(self.paragraphs)


# ---------------------------------------------------------------------- dedup


@dataclass(frozen=True, slots=True)
class Reuse:
    """Text shared by two articles: a copy, a near copy or a pasted passage."""

    a: str
    b: str
    kind: str  # duplicate | near_duplicate | shared_passage
    text: str
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    origin: str | None  # id of the earlier article, when dates tell it


@dataclass(frozen=True, slots=True)
class Relay:
    """A report an article says it repeats ("according to the Financial Times")."""

    article: str
    source: str  # the named origin, as written
    text: str  # the attributing phrase
    start: int
    end: int
    entity: str | None = None  # entity id, once `resolve` knows it


# -------------------------------------------------------------------- extract


@dataclass(frozen=True, slots=True)
class Sentence:
    article: str
    index: int  # position in the article
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A named-entity mention (PERSON, ORG, GPE, NORP, LOC, ...)."""

    article: str
    start: int
    end: int
    text: str
    type: str


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression with its normalised value.

    ``value`` is ISO (``2024-11-04``, ``2024-11``, ``2024``) or ``None`` when it
    cannot be anchored; intervals also have ``end_value``. ``anchor`` says what
    the value was resolved against: ``absolute`` (stated in full),
    ``published`` (the article's date), or ``none``.
    """

    article: str
    start: int
    end: int
    text: str
    value: str | None
    end_value: str | None
    grain: str  # day | month | year | time | duration
    anchor: str


@dataclass(frozen=True, slots=True)
class Quantity:
    """A counted amount: number, qualifier, unit and what is counted."""

    article: str
    start: int
    end: int
    text: str
    value: float
    qualifier: str | None  # approximately | more than | up to | ...
    unit: str  # the counted noun as written ("military personnel")
    counted: str  # its normalised head ("personnel")
    #: What each one of has this many, for a per-unit amount: "battalion" for the 3,000 in
    #: "five battalions, each of about 3,000 troops"; "" for a total.
    per: str = ""


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct or indirect quote with its speaker, when known."""

    article: str
    start: int
    end: int
    text: str
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    speaker_entity: str | None  # entity id, once `resolve` knows it
    cue: str | None


# -------------------------------------------------------------------- stories


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    title: str
    article_ids: tuple[str, ...]
    first_date: str | None
    last_date: str | None


@dataclass(frozen=True, slots=True)
class StoryMerge:
    """Two stories became one: ``old_id`` now redirects to ``new_id``. ``article_id`` is
    the article that bridged them (None when a batch re-run regrouped the articles)."""

    old_id: str
    new_id: str
    article_id: str | None
    date: str | None


# -------------------------------------------------------------------- resolve


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world entity across articles and spellings."""

    id: str
    name: str  # canonical: the most complete, most frequent form
    type: str
    aliases: tuple[str, ...]
    mentions: tuple[Mention, ...]


# --------------------------------------------------------------------- claims


@dataclass(frozen=True, slots=True)
class Support:
    """A sentence that supports a claim."""

    article: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class ClaimQuantity:
    value: float
    unit: str
    counted: str
    text: str
    qualifier: str | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    story_id: str
    text: str
    date: str | None
    article_ids: tuple[str, ...]
    support: tuple[Support, ...]
    attributed_to: tuple[str, ...]
    origins: tuple[str, ...]
    independent_sources: int
    article_count: int
    checkworthiness: float
    quantities: tuple[ClaimQuantity, ...]


@dataclass(frozen=True, slots=True)
class DiscrepancyValue:
    value: float
    qualifier: str | None
    claim_id: str
    article_ids: tuple[str, ...]
    sources: tuple[str, ...]
    date: str | None


@dataclass(frozen=True, slots=True)
class Discrepancy:
    story_id: str
    subject: str
    claim_ids: tuple[str, ...]
    conflict: bool
    values: tuple[DiscrepancyValue, ...]


# ------------------------------------------------------------ timeline, brief


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    story_id: str
    date: str
    end_date: str | None
    text: str
    claim_ids: tuple[str, ...]
    article_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BriefSentence:
    story_id: str
    text: str
    article_ids: tuple[str, ...]
    verified: bool


# -------------------------------------------------------------------- dossier


@dataclass(frozen=True, slots=True)
class Dossier:
    """Everything known about a corpus: what the stages pass along and export writes.

    Each stage reads some fields and fills others (see ``newsweave.stage``);
    the engine passes one Dossier from stage to stage with
    ``dataclasses.replace``.
    """

    articles: tuple[Article, ...] = ()
    rejected: tuple[Rejection, ...] = ()
    reuse: tuple[Reuse, ...] = ()
    relays: tuple[Relay, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    dates: tuple[DateMention, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    stories: tuple[Story, ...] = ()
    entities: tuple[Entity, ...] = ()
    claims: tuple[Claim, ...] = ()
    discrepancies: tuple[Discrepancy, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    brief: tuple[BriefSentence, ...] = ()
    meta: tuple[tuple[str, str], ...] = field(default=())

    def article(self, article_id: str) -> Article:
        for article in self.articles:
            if article.id == article_id:
                return article
        raise KeyError(article_id)

    def story_of(self) -> dict[str, str]:
        """Article id -> story id."""
        return {aid: story.id for story in self.stories for aid in story.article_ids}


def _pickled_as_values(cls: type[Any]) -> None:
    """Pickle ``cls``'s records as the class and a tuple of field values: a slotted
    dataclass's own ``__getstate__`` calls ``dataclasses.fields`` for every object, and
    the Dask engine ships each story's records to a worker for every per-story stage
    (150,000 five-field records pickled in 1.28 s and read back in 1.31 s; this way
    0.74 s and 0.78 s). Unpickling calls the class, as the record's code would."""
    names = tuple(f.name for f in dataclasses.fields(cls))
    values = operator.attrgetter(*names) if len(names) > 1 else lambda r: (getattr(r, names[0]),)

    def reduce(record: Any) -> tuple[type[Any], tuple[Any, ...]]:
        return cls, values(record)

    setattr(cls, "__reduce__", reduce)  # noqa: B010 (mypy refuses assigning a method)


for _record_class in [v for v in tuple(globals().values()) if dataclasses.is_dataclass(v)]:
    if isinstance(_record_class, type) and _record_class.__module__ == __name__:
        _pickled_as_values(_record_class)


# ------------------------------------------------------------ serialisation

Record = TypeVar("Record")


def to_dict(record: Any) -> Any:
    """A record (or tuple of records) as plain JSON-ready Python values."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {f.name: to_dict(getattr(record, f.name)) for f in dataclasses.fields(record)}
    if isinstance(record, (tuple, list)):
        return [to_dict(item) for item in record]
    return record


_FIELD_HINTS: dict[type[Any], dict[str, Any]] = {}


def field_hints(cls: type[Any]) -> dict[str, Any]:
    """A record type's resolved field types, computed once per type.

    ``typing.get_type_hints`` evaluates every annotation string anew on each
    call; per stored row that was 90% of reading a story's claims.
    Callers must not change the dict.
    """
    hints = _FIELD_HINTS.get(cls)
    if hints is None:
        hints = _FIELD_HINTS[cls] = typing.get_type_hints(cls)
    return hints


def from_dict(cls: type[Record], data: dict[str, Any]) -> Record:
    """Rebuild a record from :func:`to_dict`'s output (lists become tuples)."""
    hints = field_hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in data:
            kwargs[f.name] = _coerce(hints[f.name], data[f.name])
    return cls(**kwargs)


def _coerce(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin is tuple:
        (item_hint, *_rest) = typing.get_args(hint)
        return tuple(_coerce(item_hint, item) for item in value)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _coerce(options[0], value) if len(options) == 1 else value
    if dataclasses.is_dataclass(hint) and isinstance(value, dict):
        return from_dict(hint, value)  # type: ignore[arg-type]
    if hint is float and isinstance(value, int):
        return float(value)
    return value


class _OfArticle(Protocol):
    @property
    def article(self) -> str: ...


OfArticle = TypeVar("OfArticle", bound=_OfArticle)


def by_article(records: Iterable[OfArticle]) -> dict[str, list[OfArticle]]:
    """Records (mentions, dates, quotes, relays, ...) grouped by the article they belong to,
    in their order."""
    grouped: dict[str, list[OfArticle]] = defaultdict(list)
    for record in records:
        grouped[record.article].append(record)
    return grouped
