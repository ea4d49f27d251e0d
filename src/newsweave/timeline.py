"""Timeline stage: what happened when, every entry cited.

Entries come from claims that carry a date of occurrence (a day, a month, or an
interval stated in a supporting sentence), never from a publication date
alone. Claims of one story on the same date that share enough content words are
merged into one entry; the entry's text is their most central complete sentence
(see :func:`_entry_text`). Entries are sorted by story, then date.

For a timeline of a given length (bench/timeline.py), :func:`key_dates` picks the days
that most distinct articles name (:func:`mentioned_days`; publication days count only as
news of that day, at a quarter weight); a day's lines are either its best entries
(:func:`day_entries`) or, as DATEWISE writes them and the bench scores, the most central
(:func:`central_sentences`) of the sentences telling of the day (:func:`day_candidates`).
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Collection, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import takewhile
from typing import Any, ClassVar

from .claims import content_stems, leans_on_context
from .clean.sentence import drop_weekday, news_sentence
from .model import Claim, DateMention, Dossier, Sentence, Story, Support, TimelineEntry
from .stage import Stage

#: Share of the shorter claim's content stems in the other for two same-date claims to be one entry.
MERGE_CONTAINMENT = 0.3
#: An entry's text is a sentence of at least this many words (shorter ones are fragments).
MIN_ENTRY_WORDS = 8
#: Weight of an article published on a day beside one that names the day or dates an event on
#: it (:func:`key_dates`). On a 150-article sample of each shared Timeline17 topic (restricted
#: date F1): 0.1-0.25 0.549, 0.5 0.540, 1 0.528; also counting the next day's publications
#: ("yesterday") at half weight lost 0.01, as did weighting relative dates ("Tuesday") below
#: absolute ones or an article's mention of its own publication day below other days.
PUBLISHED_WEIGHT = 0.25
#: Weight of the log of an entry's citing articles in :func:`day_entries`. On a 150-article
#: sample of each shared Timeline17 topic (restricted alignment ROUGE-1 / -2): the old rule
#: (most cited, then most content words) 0.065 / 0.015; centrality in the story alone
#: 0.069 / 0.016, with this weight 0.070 / 0.017; centrality among the day's entries 0.056.
CITED_WEIGHT = 2.0
#: A day's entry is a near repeat of one chosen when this share of the shorter's content stems
#: is in the other (:func:`day_entries`).
REPEAT_SHARE = 0.5
#: A day's candidate sentences include the first this many sentences of the articles published
#: on it (:func:`day_candidates`): news-tls's DATEWISE sentence collector clips articles at 5.
LEAD_SENTENCES = 5
#: An entry's sentence is compared with at most this many of its other supporting sentences.
CENTRALITY_SAMPLE = 50
#: Weight of an article naming a day before it comes (a plan, a schedule: "the vote on 7
#: March") beside one naming it on or after it, in :func:`key_dates`. Full shared Timeline17:
#: restricted date F1 1 0.548, 0.5 0.556, 0 0.552; unrestricted 0.417, 0.427, 0.435.
PLANNED_WEIGHT = 0.5
#: A sentence naming a day is a report of it when its article is published from the day
#: before to this many days after it; later articles retell it (background, an anniversary,
#: an aside), and a day's lines come from its reports when it has any
#: (:func:`day_candidates`). Full shared Timeline17, restricted alignment ROUGE-1 / -2
#: 0.1172 / 0.0311 -> 0.1193 / 0.0314 (3 days; 10 and 30 days 0.118, 0.119); unrestricted
#: 0.0977 / 0.0253 -> 0.1012 / 0.0257.
REPORT_DAYS = 3
#: A digest's line names one of the this many words that most of its articles use (the
#: story's keywords, as DATEWISE keeps a topic's keyword sentences): an off-topic article's
#: lede (a horse race, a market report crawled with the story) says none. Full shared
#: Timeline17 restricted alignment ROUGE-1 0.1193 -> 0.1201 (20: 0.1200, 40: 0.1207),
#: unrestricted 0.1012 -> 0.1010 (40: 0.1005); ROUGE-2 unchanged.
STORY_KEYWORDS = 60
#: Words that say when (months, weekdays, years, clock times, "today"): every sentence of a
#: day's candidates that names the day shares them, so they are no sign of what the day's
#: news was; :func:`central_sentences` leaves them out (with comment stamps dropped, full
#: shared Timeline17 restricted alignment ROUGE-1 0.113 -> 0.116).
_WHEN_WORDS = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?=\s|$|,)"
    r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:19|20)\d\d\b|\b\d{1,2}[:.]\d\d\b"
    r"|\b[ap]\.?m\.?(?=\s|$)|\b(?:today|yesterday|tonight|gmt|et|bst)\b",
    re.IGNORECASE,
)


class Timeline(Stage):
    """Dated, cited entries per story."""

    name: ClassVar[str] = "timeline"
    requires: ClassVar[tuple[str, ...]] = ("claims", "dates", "stories")
    provides: ClassVar[tuple[str, ...]] = ("timeline",)
    per_story: ClassVar[bool] = True

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        return {"timeline": build(dossier.claims, dossier.dates)}


def _dates_in(support: Support | Sentence, dates: dict[str, list[DateMention]]) -> list[DateMention]:
    """The date mentions inside a sentence (an article's mentions sorted by start)."""
    mentions = dates.get(support.article, [])
    first = bisect_left(mentions, support.start, key=lambda d: d.start)
    return list(takewhile(lambda d: d.start < support.end, mentions[first:]))


def _interval_end(claim: Claim, dates: dict[str, list[DateMention]]) -> str | None:
    """The end of an interval stated in a supporting sentence with the claim's date."""
    for support in claim.support:
        for d in _dates_in(support, dates):
            if d.value == claim.date and d.end_value:
                return d.end_value
    return None


def _centrality(stems: frozenset[str], others: Sequence[frozenset[str]]) -> float:
    """The share of a sentence's content stems that the entry's other sentences say too
    (on average): a retelling's shared core scores high, its asides low."""
    if not others or not stems:
        return 0.0
    return sum(len(stems & o) for o in others) / (len(others) * len(stems))


def _entry_text(entry: Sequence[Claim], date: str, dates: dict[str, list[DateMention]]) -> str:
    """The most central complete supporting sentence: one that reads alone
    (:func:`~newsweave.clean.sentence.news_sentence`: no caption or reader's post; its
    dateline stripped), does not lean on the sentence before it, has at least
    MIN_ENTRY_WORDS words, states the entry's date where one does, and shares most words
    with the other supporting sentences (ties: shortest)."""
    supports = list(
        {s.text: s for c in entry for s in c.support if len(s.text.split()) >= MIN_ENTRY_WORDS}.values()
    )
    if not supports:
        return min((c.text for c in entry), key=lambda t: (len(t), t))
    stems = {s.text: content_stems(s.text) for s in supports}
    sample = [stems[s.text] for s in supports[:CENTRALITY_SAMPLE]]

    def rank(s: Support) -> tuple[bool, bool, bool, float, int, str]:
        states_date = any(d.value == date for d in _dates_in(s, dates))
        others = [o for o in sample if o is not stems[s.text]]
        central = round(_centrality(stems[s.text], others), 2)
        alone = news_sentence(s.text) is not None
        return (not alone, leans_on_context(s.text), not states_date, -central, len(s.text), s.text)

    best = min(supports, key=rank).text
    return news_sentence(best) or best


def build(claims: Sequence[Claim], dates: Sequence[DateMention]) -> tuple[TimelineEntry, ...]:
    by_article: dict[str, list[DateMention]] = defaultdict(list)
    for d in sorted(dates, key=lambda d: (d.article, d.start)):
        by_article[d.article].append(d)
    groups: dict[tuple[str, str, str | None], list[list[Claim]]] = defaultdict(list)
    stems: dict[str, frozenset[str]] = {}
    for claim in sorted(claims, key=lambda c: (c.story_id, -c.article_count, c.id)):
        if not claim.date or len(claim.date) < 7:  # a year alone does not place an event
            continue
        entries = groups[(claim.story_id, claim.date, _interval_end(claim, by_article))]
        stems[claim.id] = content_stems(claim.text)
        for entry in entries:
            mine, other = stems[claim.id], stems[entry[0].id]
            if len(mine & other) >= MERGE_CONTAINMENT * max(min(len(mine), len(other)), 1):
                entry.append(claim)
                break
        else:
            entries.append([claim])
    timeline = [
        TimelineEntry(
            story_id=story_id,
            date=date,
            end_date=end,
            text=_entry_text(entry, date, by_article),
            claim_ids=tuple(sorted(c.id for c in entry)),
            article_ids=tuple(sorted({a for c in entry for a in c.article_ids})),
        )
        for (story_id, date, end), entries in groups.items()
        for entry in entries
    ]
    return tuple(sorted(timeline, key=lambda e: (e.story_id, e.date, e.text)))


def mentioned_days(dates: Iterable[DateMention], articles: Container[str]) -> dict[str, set[str]]:
    """Each day that ``articles`` name (a day-grain date mention, "on 20 April", "Tuesday",
    an interval's first day), with the articles naming it: what DATEWISE counts, the
    strongest sign that a day mattered, since an article retells the days of its story."""
    naming: dict[str, set[str]] = defaultdict(set)
    for d in dates:
        if d.grain == "day" and d.value and len(d.value) == 10 and d.article in articles:
            naming[d.value].add(d.article)
    return naming


def key_dates(
    entries: Sequence[TimelineEntry],
    count: int,
    published: Mapping[str, int] | None = None,
    mentioned: Mapping[str, Collection[str]] | None = None,
    published_on: Mapping[str, str] | None = None,
) -> list[str]:
    """The ``count`` days that most distinct articles report events on.

    A day's score is the number of articles that name it (``mentioned``, see
    :func:`mentioned_days`; without it, the articles whose entries are dated on it: adding
    those to the namers lost 0.014 restricted date F1 on the sample below), plus PUBLISHED_WEIGHT times
    the articles ``published`` that day: publication days count only as news of that day,
    below the dates the articles state, and a span with few dated mentions still gets its
    busiest days. With ``published_on`` (article id -> publication day), an article naming a
    day before it comes counts PLANNED_WEIGHT: a plan is not yet news of the day. Ties: more
    articles published, then the earlier day.
    """
    articles = _entry_articles(entries) if mentioned is None else mentioned
    published = published or {}
    on = published_on or {}
    days = set(articles) | set(published)

    def naming(day: str) -> float:
        return sum(PLANNED_WEIGHT if on.get(a, day) < day else 1.0 for a in articles.get(day, ()))

    score = {d: naming(d) + PUBLISHED_WEIGHT * published.get(d, 0) for d in days}
    return sorted(days, key=lambda d: (-score[d], -published.get(d, 0), d))[:count]


def _entry_articles(entries: Sequence[TimelineEntry]) -> dict[str, set[str]]:
    """The articles whose entries are dated on each day."""
    articles: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        if len(entry.date) == 10:
            articles[entry.date].update(entry.article_ids)
    return articles


def day_entries(
    entries: Sequence[TimelineEntry], count: int, story: Sequence[TimelineEntry] | None = None
) -> list[TimelineEntry]:
    """The ``count`` entries of one day most worth reading, a near repeat of one chosen skipped.

    An entry scores what its content words say about the whole ``story`` (the share of the
    story's entries holding each word, summed, over the square root of the entry's word
    count: words the story keeps returning to, not a length prize), times 1 +
    CITED_WEIGHT * ln(articles citing it). On the day's entries alone the rare asides win;
    against the story, datelines, reader comments and off-topic articles of the day fall
    behind. Ties: the shortest text. ``story`` defaults to ``entries``.
    """
    stems = {id(e): content_stems(e.text) for e in (*entries, *(story or ()))}
    share = Counter(w for e in story or entries for w in stems[id(e)])
    size = max(len(story or entries), 1)

    def score(e: TimelineEntry) -> float:
        words = stems[id(e)]
        if not words:
            return 0.0
        central = sum(share[w] for w in words) / size / math.sqrt(len(words))
        return central * (1 + CITED_WEIGHT * math.log(max(len(e.article_ids), 1)))

    chosen: list[TimelineEntry] = []
    for entry in sorted(entries, key=lambda e: (-score(e), len(e.text), e.text)):
        if len(chosen) == count:
            break
        if not any(_repeats(stems[id(entry)], stems[id(o)]) for o in chosen):
            chosen.append(entry)
    return chosen


def day_candidates(
    sentences: Iterable[Sentence],
    dates: Iterable[DateMention],
    published: Mapping[str, str],
    days: Collection[str],
) -> dict[str, list[str]]:
    """For each of ``days``, the sentences that could tell what happened on it, as
    :func:`line_text` reads them (furniture dropped, datelines and weekdays stripped; each
    text once): the sentences that name the day, and the first LEAD_SENTENCES of the
    articles ``published`` on it or the day after (article id -> day) that name no day (a
    report's lede tells the day's news without saying "today", and a morning paper's or a
    wire's after midnight the day before's: on the full shared Timeline17, restricted
    alignment ROUGE-1 / -2 0.110 / 0.029 -> 0.113 / 0.031, better in 10 of 15 cases, the
    Guardian's Iraq most). A day's sentences named in articles published more than
    REPORT_DAYS after it (retellings) are its candidates only when it has no others.
    DATEWISE gathers a day's sentences so, from the day only."""
    return {day: list(texts) for day, texts in _day_sources(sentences, dates, published, days).items()}


def _day_sources(
    sentences: Iterable[Sentence],
    dates: Iterable[DateMention],
    published: Mapping[str, str],
    days: Collection[str],
) -> dict[str, dict[str, list[tuple[str, int]]]]:
    """:func:`day_candidates` with, for each text, the (article id, sentence index) of every
    sentence that reads so: the sources a line built from it cites."""
    by_article = _by_article(dates)
    wanted_days = set(days)
    found: dict[str, dict[str, list[tuple[str, int]]]] = defaultdict(dict)
    reported: dict[str, set[str]] = defaultdict(set)  # the texts that report each day
    for sentence in sentences:
        named = {d.value for d in _dates_in(sentence, by_article) if d.grain == "day" and d.value}
        on = published.get(sentence.article)
        if not named and sentence.index < LEAD_SENTENCES and on:
            named = {on, _day_before(on)}
        wanted = named & wanted_days
        if wanted and (text := line_text(sentence)):
            for day in wanted:
                found[day].setdefault(text, []).append((sentence.article, sentence.index))
                if not on or _reports(on, day):
                    reported[day].add(text)
    return {
        day: {t: s for t, s in texts.items() if t in reported[day]} if reported[day] else texts
        for day, texts in found.items()
    }


def _reports(published: str, day: str) -> bool:
    """Whether an article published on ``published`` reports ``day`` rather than retells it:
    published from the day before it to REPORT_DAYS after it."""
    try:
        gap = (date.fromisoformat(published[:10]) - date.fromisoformat(day[:10])).days
    except ValueError:
        return True
    return -1 <= gap <= REPORT_DAYS


def _day_before(day: str) -> str:
    """The ISO day before ``day`` (``day`` itself when it is no ISO day)."""
    try:
        return (date.fromisoformat(day[:10]) - timedelta(days=1)).isoformat()
    except ValueError:
        return day


def line_text(sentence: Sentence) -> str | None:
    """A stored sentence as a timeline line reads it, or None when it is no line:
    :func:`~newsweave.clean.sentence.news_sentence` (one of an article's first
    LEAD_SENTENCES read as a lede, a headline or caption glued before it cut), without the
    weekday saying when (the line is dated). Full shared Timeline17, restricted alignment
    ROUGE-1 / -2 with both cuts and exclamations dropped: 0.109 / 0.028 -> 0.110 / 0.029
    (ROUGE-1 precision 0.089 -> 0.092); unrestricted 0.090 / 0.023 -> 0.092 / 0.024."""
    text = news_sentence(sentence.text, lede=sentence.index < LEAD_SENTENCES)
    return drop_weekday(text) if text else None


def _by_article(dates: Iterable[DateMention]) -> dict[str, list[DateMention]]:
    """Each article's date mentions, sorted by start (for :func:`_dates_in`)."""
    by_article: dict[str, list[DateMention]] = defaultdict(list)
    for d in sorted(dates, key=lambda d: (d.article, d.start)):
        by_article[d.article].append(d)
    return by_article


def central_sentences(
    candidates: Sequence[str], count: int, keywords: Collection[str] | None = None
) -> list[str]:
    """The ``count`` candidates closest to their centroid, a near repeat of one chosen skipped:
    what most of the day's sentences say, the centroid choice of news-tls's DATEWISE. A
    sentence scores the centroid's counts of its content stems over the square root of
    their number (a cosine against the centroid). Plain counts, not idf: the words every
    sentence of the topic says are what a timeline's lines say too (full shared Timeline17,
    restricted alignment ROUGE-1: idf-weighted 0.097, plain 0.109; a norm to the power 0.4
    or 0.7 instead of the root, 0.107 and 0.104). The words saying when (_WHEN_WORDS) do not
    count, and candidates of fewer than MIN_ENTRY_WORDS words (fragments: "The u.s.", "No
    one knows.") are passed over while longer ones are left, and so are those naming none of
    ``keywords`` (content stems, see :func:`story_keywords`) while others name one. Ties: the
    shorter text."""
    return [candidates[i] for i in _central(candidates, count, keywords)]


def story_keywords(sentences: Iterable[Sentence], count: int = STORY_KEYWORDS) -> frozenset[str]:
    """The ``count`` content stems that most of the sentences' articles use (ties: in order)."""
    used: dict[str, set[str]] = defaultdict(set)
    for sentence in sentences:
        for stem in content_stems(sentence.text):
            used[stem].add(sentence.article)
    return frozenset(sorted(used, key=lambda w: (-len(used[w]), w))[:count])


def _central(candidates: Sequence[str], count: int, keywords: Collection[str] | None = None) -> list[int]:
    """The indexes of :func:`central_sentences`' choice, best first."""
    stems = [content_stems(_WHEN_WORDS.sub(" ", t)) for t in candidates]
    whole = [i for i, t in enumerate(candidates) if len(t.split()) >= MIN_ENTRY_WORDS]
    on_topic = [i for i in whole if keywords is None or not stems[i].isdisjoint(keywords)]
    kept = on_topic or whole or list(range(len(candidates)))
    centroid: Counter[str] = Counter(w for i in kept for w in stems[i])

    def score(i: int) -> float:
        return sum(centroid[w] for w in stems[i]) / math.sqrt(len(stems[i])) if stems[i] else 0.0

    chosen: list[int] = []
    for i in sorted(kept, key=lambda i: (-score(i), len(candidates[i]), candidates[i])):
        if len(chosen) == count:
            break
        if not any(_repeats(stems[i], stems[j]) for j in chosen):
            chosen.append(i)
    return chosen


def _repeats(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two sentences say the same: REPEAT_SHARE of the shorter's stems in the other."""
    return len(a & b) > REPEAT_SHARE * max(min(len(a), len(b)), 1)


# ------------------------------------------------------------------ digest


@dataclass(frozen=True, slots=True)
class DigestLine:
    """One line of a digest day: a sentence as read alone, and every stored sentence
    (article id, sentence index) that reads so, which the line cites."""

    text: str
    sources: tuple[tuple[str, int], ...]

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(sorted({article for article, _ in self.sources}))


@dataclass(frozen=True, slots=True)
class DigestDay:
    """One of a digest's key days with its lines, most central first."""

    date: str
    lines: tuple[DigestLine, ...]


def digest(
    dossier: Dossier,
    dates: int,
    lines: int,
    story_ids: Collection[str] | None = None,
    span: tuple[str, str] | None = None,
) -> tuple[DigestDay, ...]:
    """A timeline of ``dates`` days with at most ``lines`` cited lines each, sorted by date.

    The articles are those of ``story_ids`` (default: all of the dossier's), and with
    ``span`` (first day, last day) only those published in it, the days chosen lying in it.
    The days are :func:`key_dates` of the days the articles name (:func:`mentioned_days`)
    and of their publication days; a day's lines are the most central
    (:func:`central_sentences`, naming a :func:`story_keywords` word) of the sentences
    telling of it (:func:`day_candidates`), as
    news-tls's DATEWISE writes a timeline: what bench/timeline.py scores on Timeline17.
    """
    ids = _digest_articles(dossier, story_ids, span)
    lo, hi = span or ("", "\uffff")
    published = {a.id: a.published[:10] for a in dossier.articles if a.id in ids and a.published}
    counts = Counter(day for day in published.values() if lo <= day <= hi)
    named = mentioned_days(dossier.dates, ids)
    chosen = key_dates([], dates, counts, {d: a for d, a in named.items() if lo <= d <= hi}, published)
    inside = [s for s in dossier.sentences if s.article in ids]
    mentions = [d for d in dossier.dates if d.article in ids]
    found = _day_sources(inside, mentions, published, chosen)
    keywords = story_keywords(inside)
    days = []
    for day in sorted(chosen):
        texts = found.get(day, {})
        candidates = list(texts)
        best = _central(candidates, lines, keywords)
        days.append(
            DigestDay(day, tuple(DigestLine(candidates[i], tuple(texts[candidates[i]])) for i in best))
        )
    return tuple(days)


def _digest_articles(
    dossier: Dossier, story_ids: Collection[str] | None, span: tuple[str, str] | None
) -> set[str]:
    """The ids of the articles a digest reads: of ``story_ids`` if given, published in ``span`` if given."""
    if story_ids is None:
        ids = {a.id for a in dossier.articles}
    else:
        wanted = set(story_ids)
        ids = {a for s in dossier.stories if s.id in wanted for a in s.article_ids}
    if span is not None:
        lo, hi = span
        ids = {a.id for a in dossier.articles if a.id in ids and a.published and lo <= a.published[:10] <= hi}
    return ids


DIGEST_FORMATS = ("text", "json", "markdown")


def render_digest(stories: Sequence[tuple[Story, tuple[DigestDay, ...]]], fmt: str) -> str:
    """Stories' digests as ``fmt`` (one of DIGEST_FORMATS): plain lines "date  text  [ids]",
    a JSON list of stories, or Markdown; every line with the articles it cites."""
    if fmt == "json":
        return json.dumps(
            [_digest_dict(story, days) for story, days in stories], ensure_ascii=False, indent=2
        )
    out: list[str] = []
    for story, days in stories:
        if fmt == "markdown":
            out += [f"## {story.title or story.id}", "", f"Story `{story.id}`", ""]
            out += [
                f"- **{d.date}** {line.text} ({', '.join(line.article_ids)})"
                for d in days
                for line in d.lines
            ]
        else:
            out.append(f"# {story.id}\t{story.title}")
            out += [
                f"{d.date}\t{line.text}\t[{', '.join(line.article_ids)}]" for d in days for line in d.lines
            ]
        out.append("")
    return "\n".join(out).rstrip("\n")


def _digest_dict(story: Story, days: tuple[DigestDay, ...]) -> dict[str, Any]:
    return {
        "story_id": story.id,
        "title": story.title,
        "days": [
            {
                "date": day.date,
                "lines": [
                    {
                        "text": line.text,
                        "article_ids": list(line.article_ids),
                        "sources": [{"article": a, "sentence": i} for a, i in line.sources],
                    }
                    for line in day.lines
                ],
            }
            for day in days
        ],
    }
