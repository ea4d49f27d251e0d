"""What the web pages show, built from stored records (no HTML here: the templates escape).

Each function takes a :class:`~newsweave.store.Store` (or records) and returns
plain view objects; the Jinja2 templates render them with autoescape on, so an
article's text never reaches the page unescaped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from ..api.entities import EntityIndex, EntityName
from ..brief import importance
from ..claims import content_stems
from ..errors import NotFoundError
from ..model import (
    Article,
    BriefSentence,
    Claim,
    DateMention,
    Discrepancy,
    Entity,
    Quote,
    Relay,
    Reuse,
    Sentence,
    Story,
    Support,
    TimelineEntry,
)
from ..store import Store, StoryQuery

_SPACES = re.compile(r"\s+")

#: Stories per page of the story list.
STORIES_PER_PAGE = 50
#: Results per kind on the search page.
SEARCH_LIMIT = 20
#: The stories of this many best-matching entities are listed with the stories a search finds.
ENTITY_STORIES = 5
#: Characters of context shown either side of a mention on the entity page.
CONTEXT_CHARS = 70
#: Supporting sentences shown per cited article of a brief sentence, and the share of the
#: best sentence's shared content words another needs to be shown. Hand-set on the seed story:
#: a claim's support also holds context sentences ("Ukrainian officials informed the FT about
#: this.") that share a word or two; half the best overlap keeps paraphrases, drops those.
MAX_EVIDENCE = 3
EVIDENCE_SHARE = 0.5
#: Mentions listed on an entity page (the count shows how many there are in all).
MAX_MENTIONS = 200


# ------------------------------------------------------------------ labels


def article_label(article: Article) -> str:
    """A short human name for an article: its outlet, else its title, else its file name."""
    if article.outlet:
        return article.outlet
    if article.title:
        return article.title if len(article.title) <= 40 else article.title[:39] + "…"
    return article.source.rsplit("/", 1)[-1]


def article_name(article: Article) -> str:
    """An article's title, else the file name or URL it came from."""
    return article.title or article.source.rstrip("/").rsplit("/", 1)[-1] or article.source


def date_range(first: str | None, last: str | None) -> str:
    if not first:
        return "undated"
    return first if not last or last == first else f"{first} – {last}"


def figure(value: float, qualifier: str | None) -> str:
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    return f"{qualifier} {number}" if qualifier else number


# ------------------------------------------------------------- story list


@dataclass(frozen=True, slots=True)
class StoryRow:
    story: Story
    dates: str
    article_count: int
    outlets: int
    independent_sources: int


def story_rows(store: Store, page: int) -> tuple[list[StoryRow], int]:
    """One page of stories (latest first) and how many stories there are."""
    summaries, total = store.stories_page(
        StoryQuery(limit=STORIES_PER_PAGE, offset=(page - 1) * STORIES_PER_PAGE)
    )
    rows = [
        StoryRow(
            s.story,
            date_range(s.story.first_date, s.story.last_date),
            len(s.story.article_ids),
            s.outlets,
            s.independent_sources,
        )
        for s in summaries
    ]
    return rows, total


# ------------------------------------------------------------------ search


@dataclass(frozen=True, slots=True)
class ArticleHit:
    article: Article
    snippet: str


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: str
    entities: list[EntityName]
    stories: list[Story]
    articles: list[ArticleHit]
    article_total: int


def fts_query(text: str) -> str:
    """A user's words as an FTS5 query of quoted terms (all must occur), so no word is syntax."""
    terms = [t.replace('"', '""') for t in text.split()]
    return " ".join(f'"{t}"' for t in terms if t.strip('"'))


def _entity_matches(entities: EntityIndex, store: Store, text: str) -> list[EntityName]:
    """The API's matching names, most mentioned first: by word prefix (``starting``) in the
    index being landed, by substring (``containing``) in the one before."""
    for method in ("starting", "containing"):
        match = getattr(entities, method, None)
        if match is not None:
            return list(match(store, text))
    return []


def search(store: Store, entities: EntityIndex, text: str) -> SearchResults:
    """Entities (every spelling of a name, folded as the resolve stage folds them: "Umyerov"
    finds the entity also written "Umerov"), stories and articles matching a query."""
    text = " ".join(text.split())
    if not text:
        return SearchResults(text, [], [], [], 0)
    found = _entity_matches(entities, store, text)[:SEARCH_LIMIT]
    query = fts_query(text)
    hits, total = store.search_page(query, SEARCH_LIMIT) if query else ([], 0)
    wanted = dict.fromkeys(h.story_id for h in hits if h.story_id)
    for entity in found[:ENTITY_STORIES]:
        wanted |= dict.fromkeys(store.entity_story_ids(entity.id))
    stories = [store.story(i) for i in list(wanted)[:SEARCH_LIMIT]]
    articles = [ArticleHit(store.article(h.article_id), h.snippet) for h in hits]
    return SearchResults(text, found, stories, articles, total)


# -------------------------------------------------------------- story page


@dataclass(frozen=True, slots=True)
class Citation:
    """A citation marker of a brief sentence: the article and the sentences of it that support the sentence."""

    number: int
    article: Article
    sentences: tuple[Support, ...]


@dataclass(frozen=True, slots=True)
class BriefLine:
    sentence: BriefSentence
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class ValueRow:
    figure: str
    sources: list[str]
    numbers: list[int]
    date: str | None
    claim: Claim | None  # the claim that gives the value: its sentence and who it is attributed to


@dataclass(frozen=True, slots=True)
class DiscrepancyView:
    discrepancy: Discrepancy
    values: list[ValueRow]


@dataclass(frozen=True, slots=True)
class ArticleRow:
    number: int
    article: Article
    relays: list[tuple[str, str | None]]  # (source as written, entity id)
    shares_with: list[int]  # citation numbers of articles it shares passages with


@dataclass(frozen=True, slots=True)
class StoryPage:
    story: Story
    numbers: dict[str, int]
    articles: dict[str, Article]
    brief: list[BriefLine]
    timeline: list[TimelineEntry]
    claims: list[Claim]
    discrepancies: list[DiscrepancyView]
    outlets: list[tuple[str, list[ArticleRow]]]
    relays: list[Relay]
    reuse: list[Reuse]
    independent_sources: int
    labels: dict[str, str] = field(default_factory=dict)

    def cite_numbers(self, article_ids: Iterable[str]) -> list[int]:
        """The citation numbers of these articles in this story, ascending."""
        return sorted({self.numbers[a] for a in article_ids if a in self.numbers})


def _overlap(text: str, sentence: str) -> int:
    return len(content_stems(text) & content_stems(sentence))


def _closest(text: str, supports: Sequence[Support]) -> list[Support]:
    """The supports sharing most content words with ``text``, best first: those with at least
    :data:`EVIDENCE_SHARE` of the best one's overlap, at most :data:`MAX_EVIDENCE`."""
    scored = sorted(
        ((_overlap(text, s.text), i, s) for i, s in enumerate(supports)), key=lambda t: (-t[0], t[1])
    )
    if not scored:
        return []
    best = scored[0][0]
    return [s for score, _i, s in scored if score >= EVIDENCE_SHARE * best][:MAX_EVIDENCE]


def brief_support(
    brief: BriefSentence,
    claims: Sequence[Claim],
    discrepancies: Sequence[Discrepancy],
    sentences: dict[str, list[Sentence]],
) -> dict[str, list[Support]]:
    """Cited article id -> the sentences of it that support a brief sentence.

    A claim sentence is supported by its claim's support; a discrepancy sentence
    by the support of the claims behind its values; anything else (or an article
    the claim gives no sentence of) by the article's sentence sharing most content
    words with it.
    """
    by_article: dict[str, list[Support]] = defaultdict(list)
    backing = [c for c in claims if c.text == brief.text]
    if not backing:
        for d in discrepancies:
            if d.subject and d.subject in brief.text:
                ids = set(d.claim_ids)
                backing += [c for c in claims if c.id in ids]
    for claim in backing:
        for support in claim.support:
            if support not in by_article[support.article]:
                by_article[support.article].append(support)
    result: dict[str, list[Support]] = {}
    for article_id in brief.article_ids:
        found = _closest(brief.text, by_article.get(article_id, []))
        if not found and sentences.get(article_id):
            best = max(sentences[article_id], key=lambda s: (_overlap(brief.text, s.text), -s.index))
            found = [Support(article_id, best.start, best.end, best.text)]
        result[article_id] = found or []
    return result


def story_page(store: Store, story_id: str) -> StoryPage:
    story = store.story(story_id)
    articles = list(store.iter("articles", story_id))
    numbers = {a.id: n for n, a in enumerate(articles, 1)}
    by_id = {a.id: a for a in articles}
    claims: list[Claim] = sorted(store.iter("claims", story_id), key=importance)
    discrepancies: list[Discrepancy] = list(store.iter("discrepancies", story_id))
    sentences: dict[str, list[Sentence]] = defaultdict(list)
    for s in store.iter("sentences", story_id):
        sentences[s.article].append(s)
    brief = []
    for b in store.iter("brief", story_id):
        support = brief_support(b, claims, discrepancies, sentences)
        cites = tuple(
            Citation(numbers[a], by_id[a], tuple(support.get(a, ())))
            for a in sorted(set(b.article_ids), key=lambda i: numbers.get(i, 0))
            if a in numbers
        )
        brief.append(BriefLine(b, cites))
    labels = {a.id: f"[{numbers[a.id]}] {article_label(a)}" for a in articles}
    relays: list[Relay] = list(store.iter("relays", story_id))
    reuse: list[Reuse] = list(store.iter("reuse", story_id))
    return StoryPage(
        story=story,
        numbers=numbers,
        articles=by_id,
        brief=brief,
        timeline=list(store.iter("timeline", story_id)),
        claims=claims,
        discrepancies=[
            _discrepancy_view(d, numbers, labels, {c.id: c for c in claims}) for d in discrepancies
        ],
        outlets=_by_outlet(articles, numbers, relays, reuse),
        relays=relays,
        reuse=reuse,
        independent_sources=max((c.independent_sources for c in claims), default=0),
        labels=labels,
    )


def source_name(source: str, labels: dict[str, str]) -> str:
    """An origin or source as people read it: an article id becomes its label."""
    return labels.get(source, source)


def _discrepancy_view(
    d: Discrepancy, numbers: dict[str, int], labels: dict[str, str], claims: dict[str, Claim]
) -> DiscrepancyView:
    values = [
        ValueRow(
            figure(v.value, v.qualifier),
            [source_name(s, labels) for s in v.sources],
            sorted(numbers[a] for a in set(v.article_ids) if a in numbers),
            v.date,
            claims.get(v.claim_id),
        )
        for v in d.values
    ]
    return DiscrepancyView(d, values)


def relays_by_article(relays: Iterable[Relay]) -> dict[str, list[tuple[str, str | None]]]:
    """Article id -> the distinct reports it relays, by entity when resolved, else by name."""
    out: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    seen: dict[str, set[str]] = defaultdict(set)
    for r in relays:
        key = r.entity or r.source.casefold()
        if key not in seen[r.article]:
            seen[r.article].add(key)
            out[r.article].append((r.source, r.entity))
    return out


def _by_outlet(
    articles: Sequence[Article], numbers: dict[str, int], relays: Sequence[Relay], reuse: Sequence[Reuse]
) -> list[tuple[str, list[ArticleRow]]]:
    relayed = relays_by_article(relays)
    shares: dict[str, set[int]] = defaultdict(set)
    for r in reuse:
        if r.a in numbers and r.b in numbers:
            shares[r.a].add(numbers[r.b])
            shares[r.b].add(numbers[r.a])
    groups: dict[str, list[ArticleRow]] = defaultdict(list)
    for a in articles:
        groups[a.outlet or "Outlet not stated"].append(
            ArticleRow(numbers[a.id], a, relayed.get(a.id, []), sorted(shares[a.id]))
        )
    return sorted(groups.items(), key=lambda kv: (kv[0] == "Outlet not stated", kv[0].casefold()))


# ------------------------------------------------------------ article page


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of article text with the same highlights; ``href`` links an entity mention."""

    text: str
    classes: str
    title: str
    href: str | None
    anchor: str | None


@dataclass(frozen=True, slots=True)
class ArticlePage:
    article: Article
    story: Story | None
    segments: list[Segment]
    entities: list[Entity]
    dates: list[DateMention]
    quotes: list[Quote]
    relays: list[tuple[str, str | None]]
    reuse: list[tuple[Reuse, str, Article | None]]  # record, the other article's id, that article
    counts: dict[str, int]


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    kind: str  # css class
    title: str
    href: str | None = None


#: Drawing order, outermost first: a copied passage holds quotes, a quote holds names and dates.
_LAYERS = ("copied", "quote", "date", "entity", "target")


def segments(text: str, spans: Iterable[_Span]) -> list[Segment]:
    """Cut ``text`` at every span boundary; each piece carries the classes of the spans over it.

    Spans may nest or cross (a quote holding a name, a copied passage cutting a
    quote): pieces never overlap, so the HTML stays well formed.
    """
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in valid), *(s.end for s in valid)})
    starts: dict[int, list[_Span]] = defaultdict(list)
    for s in valid:
        starts[s.start].append(s)
    out: list[Segment] = []
    for lo, hi in pairwise(cuts):
        over = [s for s in valid if s.start <= lo and hi <= s.end]
        over.sort(key=lambda s: _LAYERS.index(s.kind.split()[0]))
        classes = " ".join(dict.fromkeys(s.kind for s in over))
        title = " · ".join(dict.fromkeys(s.title for s in over if s.title))
        href = next((s.href for s in over if s.href), None)
        anchor = f"at-{lo}" if lo in starts else None
        out.append(Segment(text[lo:hi], classes, title, href, anchor))
    return out


def article_page(store: Store, article_id: str, mark: tuple[int, int] | None = None) -> ArticlePage:
    article = store.article(article_id)
    story_id = store.story_of_article(article_id)
    story = store.story(story_id) if story_id else None
    entities = list(store.entities_of_article(article_id))
    dates: list[DateMention] = list(store.of_article("dates", article_id))
    quotes: list[Quote] = list(store.of_article("quotes", article_id))
    reuse = list(store.reuse_of(article_id))
    spans: list[_Span] = []
    for e in entities:
        spans += [
            _Span(m.start, m.end, f"entity {e.type}", f"{e.type}: {e.name}", f"/entities/{e.id}")
            for m in e.mentions
        ]
    for d in dates:
        value = d.value if not d.end_value else f"{d.value} – {d.end_value}"
        spans.append(_Span(d.start, d.end, "date", f"date: {value or 'not anchored'}"))
    for q in quotes:
        spans.append(_Span(q.start, q.end, "quote", f"quote: {q.speaker or 'speaker unknown'}"))
    others: list[tuple[Reuse, str, Article | None]] = []
    for r in reuse:
        mine, other = ((r.a_start, r.a_end), r.b) if r.a == article_id else ((r.b_start, r.b_end), r.a)
        spans.append(_Span(mine[0], mine[1], "copied", f"{r.kind.replace('_', ' ')} with another article"))
        try:
            others.append((r, other, store.article(other)))
        except NotFoundError:
            others.append((r, other, None))
    if mark:
        spans.append(_Span(mark[0], mark[1], "target", "cited sentence"))
    return ArticlePage(
        article=article,
        story=story,
        segments=segments(article.text, spans),
        entities=entities,
        dates=dates,
        quotes=quotes,
        relays=relays_by_article(store.of_article("relays", article_id)).get(article_id, []),
        reuse=others,
        counts={
            "entities": sum(len(e.mentions) for e in entities),
            "dates": len(dates),
            "quotes": len(quotes),
            "copied": len(reuse),
        },
    )


# ------------------------------------------------------------- entity page


@dataclass(frozen=True, slots=True)
class MentionRow:
    article: Article
    start: int
    before: str
    text: str
    after: str


@dataclass(frozen=True, slots=True)
class EntityPage:
    entity: Entity
    stories: list[Story]
    mentions: list[MentionRow]


def entity_page(store: Store, entity_id: str) -> EntityPage:
    entity = store.entity(entity_id)
    stories = [store.story(i) for i in store.entity_story_ids(entity_id)]
    articles: dict[str, Article] = {}
    rows = []
    for m in entity.mentions[:MAX_MENTIONS]:
        if m.article not in articles:
            articles[m.article] = store.article(m.article)
        text = articles[m.article].text
        before = _SPACES.sub(" ", text[max(0, m.start - CONTEXT_CHARS) : m.start])
        after = _SPACES.sub(" ", text[m.end : m.end + CONTEXT_CHARS])
        rows.append(MentionRow(articles[m.article], m.start, before, text[m.start : m.end], after))
    return EntityPage(entity, stories, rows)
