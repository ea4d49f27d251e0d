"""The shapes the API answers with, for OpenAPI (and schemathesis) to check against.

Records are the frozen dataclasses of :mod:`newsweave.model`, exactly as the
dossier JSON has them; pydantic derives their schemas. Endpoints build plain
dicts and send them without re-validating (the tests check they match).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ..model import (
    Article,
    BriefSentence,
    Claim,
    DateMention,
    Discrepancy,
    Entity,
    Mention,
    Quantity,
    Quote,
    Relay,
    Reuse,
    Sentence,
    Story,
    TimelineEntry,
)

#: Largest page a client may ask for; bigger pages are a 422 naming ``limit``.
MAX_LIMIT = 100
#: Deepest offset accepted (SQLite scans skipped rows; past this, narrow the filter).
MAX_OFFSET = 100_000
#: Most articles one POST may carry; the pipeline runs once per request.
MAX_BATCH = 100


class Page(BaseModel):
    total: int
    limit: int
    offset: int
    next_offset: int | None = Field(description="offset of the next page, null on the last")


class StoryItem(BaseModel):
    id: str
    title: str
    first_date: str | None
    last_date: str | None
    article_count: int
    outlets: int = Field(description="distinct named outlets among its articles")
    independent_sources: int = Field(description="the most independent sources any claim of the story has")


class StoryPage(Page):
    items: list[StoryItem]


class ArticleSummary(BaseModel):
    id: str
    source: str
    outlet: str | None
    title: str | None
    byline: str | None
    published: str | None
    published_inferred: bool
    language: str | None
    relays: list[Relay]


class StoryDetail(BaseModel):
    story: Story
    brief: list[BriefSentence]
    timeline: list[TimelineEntry]
    claims: list[Claim]
    discrepancies: list[Discrepancy]
    articles: list[ArticleSummary]
    reuse: list[Reuse]


class EntityRef(BaseModel):
    id: str
    name: str
    type: str


class ArticleDetail(BaseModel):
    article: Article
    text: str = Field(description="the clean text every offset indexes")
    story_id: str | None
    removed: list[str] = Field(description="lines taken out as chrome")
    sentences: list[Sentence]
    mentions: list[Mention]
    dates: list[DateMention]
    quantities: list[Quantity]
    quotes: list[Quote]
    relays: list[Relay]
    reuse: list[Reuse]
    entities: list[EntityRef]


class EntityItem(BaseModel):
    id: str
    name: str
    type: str
    aliases: list[str]
    mention_count: int


class EntityPage(Page):
    items: list[EntityItem]


class EntityDetail(BaseModel):
    entity: Entity
    story_ids: list[str]


class SearchArticle(BaseModel):
    id: str
    title: str | None
    snippet: str
    story_id: str | None


class SearchResult(Page):
    query: str
    terms: list[str] = Field(description="the spellings searched: the query's and its entity's aliases")
    articles: list[SearchArticle]
    entities: list[EntityItem]


class ArticleIn(BaseModel):
    """One article to ingest, as a news API gives it."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2_000_000, description="plain text or HTML")
    title: str | None = Field(default=None, max_length=2_000)
    url: str | None = Field(default=None, max_length=4_000)
    published: str | None = Field(default=None, max_length=64, description="ISO date or datetime")
    outlet: str | None = Field(default=None, max_length=500)


class IngestResult(BaseModel):
    received: int
    new_articles: int
    article_ids: list[str] = Field(description="ids of the posted articles that were kept")
    rejected: list[str] = Field(description="why each refused article was refused")
    articles: int = Field(description="articles in the store after the run")
    stories: int
