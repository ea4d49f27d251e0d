"""Stream grouping: :class:`StoryTracker` assigns articles to stories as they arrive.

``tracker.add(article)`` weights the article's features with the document
frequencies seen so far, retrieves the open stories sharing its salient terms
(an inverted index, never every story), and joins the story with the highest
mean cosine to the story's articles if it passes the linking rule that batch
grouping uses (:func:`.features.required_similarity`); otherwise it opens a new
story. When the article is close to a second story too (as close as each story's
own articles are to each other, and a mean cosine of at least BRIDGE_SIMILARITY)
and the two stories with it pass the rule together, they merge: the younger
story's id redirects to the older one's (a :class:`~newsweave.model.StoryMerge`).

A stream meets the first report of a second event of one kind (a second earthquake)
before any of its own, so it joins the first event's story where batch would have
paired it with its own. A young story (up to 21 articles) therefore keeps its members'
vectors (packed) and, at a few sizes, groups them afresh as batch does
(:func:`.batch.cluster_dots`); when they form apart it splits: the part holding its first
article keeps the id, each other part becomes a story of its own. The dot products of
its members' pairs are kept too, so each pair is computed once, at the first look that
holds both, and groups are compared by summing them (average link needs nothing more).

Memory is bounded: a story idle for ``window_days`` (by the stream's publication
dates), or the least recently touched one beyond ``max_open`` open stories, is
closed: its record leaves the tracker through :meth:`StoryTracker.drain` (for the
store) and its vectors and postings are freed. Document frequencies are halved
every ``DF_HALVING`` articles, so rare terms of long ago fade out of the counts.
"""

from __future__ import annotations

import heapq
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import chain, compress, repeat
from operator import eq, gt

import numpy

from ..model import Article, DateMention, Mention, Story, StoryMerge, by_article, stable_id
from .batch import cluster_dots
from .features import (
    EVIDENCE_WEIGHT,
    Group,
    Vector,
    add_terms,
    dot,
    features,
    link_terms,
    salient,
)
from .terms import TermTable
from .titles import has_headline, headline, most_central

#: Terms of an article used to look up candidate stories (as batch's SALIENT_TERMS).
SALIENT_TERMS = 20
#: A term found in more than this many open stories retrieves none of them (too common).
#: 50: the ECB+ stream's F1 is the same as with 200, and 100,000 articles run 12 % faster.
MAX_POSTINGS = 50
#: Open stories compared with an article: those sharing the most of its salient terms.
#: 4: on ECB+ the stream's F1 is the same as with 5 or every retrieved story (0.929), 3
#: lost 0.002; each one compared costs a lookup per article term (a fifth of an add at 5).
MAX_CANDIDATES = 4
#: A bridging article must have at least this mean cosine of words to each story it merges.
#: Tuned on the ECB+ train topics, stream (fixed shuffle): 0.2 gave 0.856 (8 merges), 0.3
#: 0.870 (3), 0.4 and above 0.864 (no merges).
BRIDGE_SIMILARITY = 0.3
#: ... and be as close to each as this share of the story's own mean cosine.
BRIDGE_FIT_RATIO = 0.7
#: A young story takes a second look at itself when it reaches one of these sizes (each
#: about half again the last): its members are grouped afresh as batch groups them
#: (strongest pairs first, the linking rule) and it splits when they form apart. A stream
#: meets the first report of a second event of one kind before any of its own and pairs
#: it with the first event; batch pairs it with its own. ECB+ stream (fixed shuffle),
#: B-cubed F1: no second look 0.867; at 3, 4, 6, 8, 12, 16 0.915; 3, 4, 6, 9, 14, 21 0.929
#: (and 32 too: the same, for half the work again); 3, 4, 6, 8, 12, 16, 24, 32 0.923;
#: 4, 8, 16 0.911. Past the last a story is settled and its members' vectors are dropped.
SPLIT_SIZES = (3, 4, 6, 9, 14, 21)
#: Stories with no article for this many days (of the stream's publication dates) close.
#: 30 days: ECB+-like events are told within days; Timeline17's topics run for months
#: and are meant to split into stories that nest in them.
WINDOW_DAYS = 30
#: At most this many stories stay open; beyond it the least recently touched closes.
MAX_OPEN = 20_000
#: Terms kept in an open story's summed vector (the heaviest); bounds a story's memory.
#: 1,000: on ECB+ the largest story sums have about 2,500 terms, and trimming to 1,000
#: changed no assignment in the bench.
MAX_STORY_TERMS = 1_000
#: Terms kept per article for choosing the title (its salient terms).
TITLE_TERMS = 20
#: Title candidates kept per open story (the most central when they joined), so a story
#: that runs for months holds a bounded list rather than every article's terms.
TITLE_CANDIDATES = 10
#: Every this many articles the document frequencies are halved (terms at 0 dropped).
DF_HALVING = 50_000
#: Idle stories are looked for every this many articles.
CLOSE_EVERY = 500


_Title = tuple[bool, float, str, str, Vector]
#: A kept member's vector, packed: its terms (words first, as :func:`.features.weighted`
#: orders them), their weights and its number of words; a third of a dict's memory.
_Packed = tuple[tuple[str, ...], "array[float]", int]
_Member = tuple[int, str, "str | None", _Packed, _Title, list[str]]
#: Dot products of two young stories' members by their arrival numbers (the earlier's
#: shifted up by _PAIR_SHIFT, plus the later's), as words + evidence * 1j: an int and a
#: complex take a third of the memory of two tuples of two.
_Dots = dict[int, complex]
_PAIR_SHIFT = 40


class _OpenStory:
    """The tracker's working state of one open story."""

    __slots__ = (
        "dots",
        "first",
        "group",
        "id",
        "kept",
        "last",
        "members",
        "opened",
        "retired",
        "terms",
        "titles",
        "touched",
    )

    def __init__(self, story_id: str, opened: int, group: Group) -> None:
        self.id = story_id
        self.opened = opened  # arrival number of its first article
        self.group = group
        self.touched = opened
        self.members: list[str] = []  # article ids
        self.first: str | None = None  # publication days
        self.last: str | None = None
        # the TITLE_CANDIDATES most central so far: (has headline, closeness when it joined,
        # article id, headline or first sentence, its salient vector)
        self.titles: list[tuple[bool, float, str, str, Vector]] = []
        self.terms: set[str] = set()  # index terms that point at this story
        # while the story is young, its members by arrival: (arrival number, article id,
        # publication day, vector, title entry, salient terms)
        self.kept: list[_Member] | None = []
        # ... and their pairs' dot products so far: each second look computes only the
        # pairs of members new since the last (shared by the parts of a split)
        self.dots: _Dots = {}
        # ids of the stories merged into it while it may still split (a split must not
        # bring one back: it redirects to this story)
        self.retired: frozenset[str] = frozenset()

    def record(self) -> Story:
        candidates = [(t[2], t[0], t[3], t[4]) for t in self.titles]
        return Story(
            id=self.id,
            title=most_central(candidates, self.group.total),
            article_ids=tuple(sorted(self.members)),
            first_date=self.first,
            last_date=self.last,
        )

    def add_member(
        self,
        article: Article,
        v: Vector,
        packed: tuple[list[str], list[float], int],
        terms: list[str],
        arrival: int,
    ) -> None:
        self.members.append(article.id)
        day = article.published[:10] if article.published else None
        if day:
            self.first = min(self.first or day, day)
            self.last = max(self.last or day, day)
        weights = {t: v[t] for t in terms[:TITLE_TERMS]}  # enough to rank it as a title
        closeness = dot(weights, self.group.total)
        titles = self.titles
        rank = (not has_headline(article), -closeness, article.id)  # as _title_rank ranks it
        joins_titles = len(titles) < TITLE_CANDIDATES or rank < _title_rank(titles[-1])
        if not joins_titles and self.kept is None:
            return  # it would rank past the last title kept: its text is not needed
        real, title = headline(article)
        entry = (real, closeness, article.id, title, weights)
        if joins_titles:
            self.keep_titles([*titles, entry])
        if self.kept is not None:
            kept = (tuple(packed[0]), array("d", packed[1]), packed[2])
            self.kept.append((arrival, article.id, day, kept, entry, terms))
            if len(self.kept) > SPLIT_SIZES[-1]:
                self.kept = None  # an established story: no more second looks
                self.dots = {}

    def keep_titles(self, titles: list[tuple[bool, float, str, str, Vector]]) -> None:
        titles.sort(key=_title_rank)
        self.titles = titles[:TITLE_CANDIDATES]


def _title_rank(title: _Title) -> tuple[bool, float, str]:
    """Title candidates in order: headlines first, then the closest, then by article id."""
    return (not title[0], -title[1], title[2])


def _unpack(packed: _Packed) -> Vector:
    return dict(zip(packed[0], packed[1], strict=True))


def _heaviest(total: Vector, n: int) -> Vector:
    """The ``n`` heaviest terms of ``total`` as :func:`.features.salient` chooses them (ties
    by term), in no particular order (a story's sums are only looked up and added to): the
    n-th heaviest weight found by a partition, the terms above it kept as they come, and
    only the few at it sorted, instead of sorting every term's string twice."""
    values = numpy.fromiter(total.values(), float, len(total))
    floor = float(numpy.partition(values, len(values) - n)[len(values) - n])
    heaviest = dict(compress(total.items(), map(gt, total.values(), repeat(floor))))
    ties = sorted(compress(total, map(eq, total.values(), repeat(floor))))
    heaviest.update((t, total[t]) for t in ties[: n - len(heaviest)])
    return heaviest


def _day(day: str | None) -> date | None:
    return date.fromisoformat(day) if day else None


class StoryTracker:
    """Assigns a stream of articles to stories, one ``add`` at a time.

    >>> tracker = StoryTracker()
    >>> story_id = tracker.add(article, mentions, dates)   # doctest: +SKIP
    >>> closed, merges = tracker.drain()                  # doctest: +SKIP
    """

    def __init__(self, window_days: int = WINDOW_DAYS, max_open: int = MAX_OPEN) -> None:
        self.window_days = window_days
        self.max_open = max_open
        self.vocabulary = TermTable()  # document frequencies, one string a term
        self.arrivals = 0
        self.clock: date | None = None  # latest publication day seen
        self.open: dict[str, _OpenStory] = {}
        self.postings: dict[str, set[str]] = {}
        self._closed: list[Story] = []
        self._merges: list[StoryMerge] = []

    # ------------------------------------------------------------------ public

    def add(
        self, article: Article, mentions: Sequence[Mention] = (), dates: Sequence[DateMention] = ()
    ) -> str:
        """Assign ``article`` (with its own mentions and dates) and return its story's id."""
        found = features(article, mentions, dates)
        self.arrivals += 1
        packed = self.vocabulary.weighted(found.counts, found.words)
        v = dict(zip(packed[0], packed[1], strict=True))
        if found.day and (self.clock is None or found.day > self.clock):
            self.clock = found.day
        terms = salient(v, SALIENT_TERMS)
        cut = packed[2]
        arriving = Group({}, found.day, cut > 0, cut < len(v))
        arriving.total, arriving.owned = v, True  # not copied: nothing else changes v
        scored = self._candidates(arriving, packed, terms)
        # the stories the article fits as well as their own articles fit each other
        fitting = [
            story
            for _score, story, cross in scored
            if cross[0] / story.group.size >= BRIDGE_SIMILARITY
            and story.group.fits(cross[0] / story.group.size, BRIDGE_FIT_RATIO)
        ]
        if scored:
            best = scored[0][1]
            self._absorb(best, arriving, scored[0][2])
        else:
            best = self._open_story(article.id, arriving)
        self._add_member(best, article, v, packed, terms)
        if best in fitting:
            # a bridge: two stories the article fits merge when, with it, they pass the rule
            for other in fitting:
                if other is not best and other.id in self.open:
                    ok, between = best.group.linked(other.group, cohesive=False)
                    if ok:
                        best = self._merge(best, other, between, article)
        best = self._second_look(best, article.id)
        if self.arrivals % CLOSE_EVERY == 0:
            self._close_idle()
        if self.arrivals % DF_HALVING == 0:
            self._halve_df()
        return best.id

    def drain(self) -> tuple[list[Story], list[StoryMerge]]:
        """Stories closed and merges made since the last drain (for the store); the tracker
        forgets them."""
        closed, merges = self._closed, self._merges
        self._closed, self._merges = [], []
        return closed, merges

    def close_all(self) -> tuple[list[Story], list[StoryMerge]]:
        """Close every open story (the end of a stream) and drain."""
        for story in sorted(self.open.values(), key=lambda s: s.opened):
            self._close(story)
        return self.drain()

    def open_stories(self) -> list[Story]:
        """The records of the stories still open, oldest first."""
        return [s.record() for s in sorted(self.open.values(), key=lambda s: s.opened)]

    # ---------------------------------------------------------------- internal

    def _candidates(
        self, arriving: Group, packed: tuple[list[str], list[float], int], terms: Iterable[str]
    ) -> list[tuple[float, _OpenStory, tuple[float, float]]]:
        postings = self.postings.get
        # one count over every short posting (in C), not an update per term
        shared = Counter(
            chain.from_iterable(
                posting for posting in map(postings, terms) if posting and len(posting) <= MAX_POSTINGS
            )
        )
        scored = []
        # the most shared terms first, ties by the larger id (tuples compared in C)
        for _count, story_id in heapq.nlargest(
            MAX_CANDIDATES, zip(shared.values(), shared.keys(), strict=True)
        ):
            story = self.open[story_id]
            # the article's terms looked up in the story's sums (no common set built)
            cross = link_terms(*packed, story.group.total)
            ok, cross = arriving.linked(story.group, cross=cross)
            if ok:
                scored.append(((cross[0] + EVIDENCE_WEIGHT * cross[1]) / story.group.size, story, cross))
        scored.sort(key=lambda c: (-c[0], c[1].opened))
        return scored

    def _second_look(self, story: _OpenStory, article_id: str) -> _OpenStory:
        """Group a young story's members afresh at the SPLIT_SIZES; when they form apart, the
        part holding its first member keeps the id and each other part opens a story (its id
        from its first member). Returns the story now holding ``article_id``."""
        kept = story.kept
        if kept is None or len(kept) not in SPLIT_SIZES:
            return story
        dots = story.dots
        rows = []
        for b, later in enumerate(kept):
            row = []
            looked_up: Vector | None = None  # the later member unpacked, once it has a new pair
            for a in range(b):
                key = kept[a][0] << _PAIR_SHIFT | later[0]
                pair = dots.get(key)
                if pair is None:
                    if looked_up is None:
                        looked_up = _unpack(later[3])
                    pair = dots[key] = complex(*link_terms(*kept[a][3], looked_up))
                row.append(pair)
            rows.append(row)
        words = [m[3][2] > 0 for m in kept]
        evidence = [m[3][2] < len(m[3][0]) for m in kept]
        parts = cluster_dots(rows, words, evidence, [_day(m[2]) for m in kept])
        if len(parts) < 2:
            return story
        self._unindex(story)
        del self.open[story.id]
        holding = story
        for members in sorted(parts, key=lambda p: min(p)):
            chosen = [kept[k] for k in sorted(members)]
            part_id = story.id if chosen[0] is kept[0] else self._split_id(story, chosen)
            part = self._rebuild(part_id, chosen, dots)
            part.retired = story.retired
            if any(m[1] == article_id for m in chosen):
                holding = part
        return holding

    def _split_id(self, story: _OpenStory, members: list[_Member]) -> str:
        """The id of a part split off ``story``: as every story's, from its first member,
        unless that id was merged into ``story`` (and so redirects to it): then a new one,
        and each merged id whose first article is in the part redirects to the part."""
        part_id = stable_id("s", members[0][1])
        if not story.retired or part_id not in story.retired:
            return part_id
        salt = 0
        while part_id in story.retired:
            part_id = stable_id("s", members[0][1], story.id, str(salt))
            salt += 1
        for m in members:
            if (old := stable_id("s", m[1])) in story.retired:
                self._merges.append(StoryMerge(old, part_id, None, None))
        return part_id

    def _rebuild(self, story_id: str, members: list[_Member], dots: _Dots) -> _OpenStory:
        """An open story ``story_id`` of ``members``, from their pairs' ``dots``."""
        first = members[0]
        group = Group(_unpack(first[3]), _day(first[2]))
        for k, m in enumerate(members[1:], start=1):
            terms, weights, cut = m[3]
            one = Group({}, _day(m[2]), cut > 0, cut < len(terms))  # its sums added below
            cross = sum(dots[e[0] << _PAIR_SHIFT | m[0]] for e in members[:k])
            group.absorb(one, (cross.real, cross.imag))
            add_terms(group.total, terms, weights)
        # as every story's: its age its first member's arrival
        story = _OpenStory(story_id, first[0], group)
        story.touched = self.arrivals
        days = [m[2] for m in members if m[2]]
        story.first, story.last = (min(days), max(days)) if days else (None, None)
        story.members = [m[1] for m in members]
        story.kept = members
        story.dots = dots
        story.keep_titles([(t[0], dot(t[4], group.total), *t[2:]) for t in (m[4] for m in members)])
        self.open[story.id] = story
        self._index(story, chain.from_iterable(m[5] for m in members))
        return story

    def _open_story(self, article_id: str, arriving: Group) -> _OpenStory:
        story = _OpenStory(stable_id("s", article_id), self.arrivals, arriving)
        self.open[story.id] = story
        return story

    def _absorb(self, story: _OpenStory, arriving: Group, cross: tuple[float, float]) -> None:
        story.group.absorb(arriving, cross)
        total = story.group.total
        if len(total) > 2 * MAX_STORY_TERMS:
            story.group.total = _heaviest(total, MAX_STORY_TERMS)

    def _add_member(
        self,
        story: _OpenStory,
        article: Article,
        v: Vector,
        packed: tuple[list[str], list[float], int],
        terms: list[str],
    ) -> None:
        """Index the article's terms under ``story`` and keep what its title needs."""
        story.touched = self.arrivals
        story.add_member(article, v, packed, terms, self.arrivals)
        self._index(story, terms)

    def _index(self, story: _OpenStory, terms: Iterable[str]) -> None:
        """Postings of ``story`` for those of ``terms`` it is not yet listed under (an
        article of a story mostly repeats its index terms: set differences, in C)."""
        new = set(terms)
        new -= story.terms
        story.terms |= new
        postings = self.postings
        for term in new:
            posting = postings.get(term)
            if posting is None:
                postings[term] = {story.id}
            else:
                posting.add(story.id)

    def _merge(self, a: _OpenStory, b: _OpenStory, cross: tuple[float, float], bridge: Article) -> _OpenStory:
        keep, gone = (a, b) if (a.opened, a.id) <= (b.opened, b.id) else (b, a)
        keep.group.absorb(gone.group, cross)
        keep.touched = self.arrivals
        keep.members.extend(gone.members)
        days = [d for d in (keep.first, gone.first, keep.last, gone.last) if d]
        keep.first, keep.last = (min(days), max(days)) if days else (None, None)
        keep.keep_titles([*keep.titles, *gone.titles])
        if (
            keep.kept is not None
            and gone.kept is not None
            and len(keep.kept) + len(gone.kept) <= SPLIT_SIZES[-1]
        ):
            keep.kept = sorted(keep.kept + gone.kept)  # by arrival: the opener stays first
            if keep.dots is not gone.dots:
                keep.dots = {**keep.dots, **gone.dots}
            keep.retired = keep.retired | gone.retired | {gone.id}
        else:
            keep.kept = None
            keep.dots = {}
            keep.retired = frozenset()
        for term in gone.terms:
            posting = self.postings[term]
            posting.discard(gone.id)
            posting.add(keep.id)
            keep.terms.add(term)
        del self.open[gone.id]
        self._merges.append(StoryMerge(gone.id, keep.id, bridge.id, bridge.published))
        return keep

    def _unindex(self, story: _OpenStory) -> None:
        for term in story.terms:
            posting = self.postings[term]
            posting.discard(story.id)
            if not posting:
                del self.postings[term]

    def _close(self, story: _OpenStory) -> None:
        self._unindex(story)
        del self.open[story.id]
        self._closed.append(story.record())

    def _close_idle(self) -> None:
        idle = []
        if self.clock is not None:
            clock = self.clock
            idle = [
                s
                for s in self.open.values()
                if s.group.span and (clock - s.group.span[1]).days > self.window_days
            ]
        for story in idle:
            self._close(story)
        if len(self.open) > self.max_open:
            by_touch = sorted(self.open.values(), key=lambda s: (s.touched, s.opened))
            for story in by_touch[: len(self.open) - self.max_open]:
                self._close(story)

    def _halve_df(self) -> None:
        self.vocabulary.halve()


def track(
    articles: Sequence[Article],
    mentions: Sequence[Mention] = (),
    dates: Sequence[DateMention] = (),
    tracker: StoryTracker | None = None,
) -> tuple[tuple[Story, ...], tuple[StoryMerge, ...]]:
    """Stories of ``articles`` fed one by one, dated ones in publication order first (the
    order a live feed brings them), sorted by (first date, id); and the merges made."""
    tracker = tracker or StoryTracker()
    named, dated = by_article(mentions), by_article(dates)
    order = sorted(
        range(len(articles)), key=lambda i: (articles[i].published is None, articles[i].published or "", i)
    )
    stories: list[Story] = []
    merges: list[StoryMerge] = []
    for i in order:
        a = articles[i]
        tracker.add(a, named.get(a.id, ()), dated.get(a.id, ()))
        closed, merged = tracker.drain()
        stories += closed
        merges += merged
    closed, merged = tracker.close_all()
    stories += closed
    merges += merged
    return tuple(sorted(stories, key=lambda s: (s.first_date or "", s.id))), tuple(merges)
