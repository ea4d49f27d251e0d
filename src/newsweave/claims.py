"""Claims stage: the same statement across outlets, its independent sources, and disagreements.

* Candidates are sentences that state a fact: a date, a quantity, or a named
  entity with a verb; questions, headings and very short or long sentences are
  not claims.
* Within a story, sentences are one claim when their content words overlap
  strongly (containment of crude stems) and their dates do not disagree;
  candidates come from an inverted index of content words, not all pairs.
* Independent sources: supporting articles collapse to their origins. Articles
  linked by a copy (duplicate, near duplicate, or a shared passage holding the
  sentence) count once; one outlet's articles count once; an article whose
  supporting sentence relays a named report (``Relay`` inside the sentence)
  counts as that report. Articles with none of these are their own origin.
* Discrepancies: claims whose quantities count the same thing (same counted
  noun class and subject) with different values; parts ("including 500",
  "the first unit of 2,600") and per-unit values ("each of about 3,000") are
  other measures and stay out.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from .model import (
    Article,
    Claim,
    ClaimQuantity,
    DateMention,
    Discrepancy,
    DiscrepancyValue,
    Dossier,
    Entity,
    Mention,
    Quantity,
    Relay,
    Reuse,
    Sentence,
    Support,
    stable_id,
)
from .stage import Stage
from .unionfind import UnionFind

#: Sentences shorter or longer than these (in words) are not claims.
MIN_CLAIM_WORDS = 6
MAX_CLAIM_WORDS = 80
#: Share of the shorter sentence's content stems found in the other for one claim.
#: 0.6 groups retellings that share most facts while sentences that share only
#: the topic's words (North Korean, troops, Kursk) stay apart (seeds, by hand).
SAME_CLAIM_CONTAINMENT = 0.6
#: A content stem in more than this many sentences of a story is not used to
#: retrieve candidates (it says which story, not which claim).
MAX_POSTING = 200
#: Share of a sentence inside a copied passage for the sentence to count as copied.
COPIED_SHARE = 0.9
#: Group members a claim's central sentence is compared with (bounds the cost of big groups).
CENTRALITY_SAMPLE = 50
#: "approximately N" spans N ± this share when ranges are compared.
APPROXIMATE_SHARE = 0.1
#: Values further than this factor from the median are another measure of the same noun.
SAME_SCALE_RATIO = 3.0
#: Words naming the same measured thing: people under arms.
PERSONNEL = frozenset(
    {
        "soldier",
        "troop",
        "personnel",
        "infantryman",
        "serviceman",
        "fighter",
        "military",
        "servicemen",
        "infantrymen",
    }
)
_PART_BEFORE = re.compile(
    r"\b(?:including|of them|among them|each|per|of which|unit of|batch of|group of)\s+(?:\w+\s+){0,2}$", re.I
)
_EACH_BEFORE = re.compile(r"\beach\b[^.]{0,40}$", re.I)
_WORD = re.compile(r"[^\W\d_]+(?:['’][a-z]+)?|\d[\d,. ]*\d|\d")
_VERB_HINT = re.compile(
    r"\b\w+(?:ed|es)\b|\b(?:is|are|was|were|has|have|had|will|would|could|can|may|said|says|told|took|met|sent|began|led)\b",
    re.I,
)
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "from",
        "by",
        "with",
        "as",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "will",
        "would",
        "could",
        "should",
        "may",
        "might",
        "can",
        "do",
        "does",
        "did",
        "not",
        "no",
        "than",
        "then",
        "there",
        "their",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "him",
        "we",
        "our",
        "you",
        "your",
        "i",
        "also",
        "which",
        "who",
        "whom",
        "what",
        "when",
        "where",
        "while",
        "about",
        "after",
        "before",
        "into",
        "over",
        "under",
        "more",
        "most",
        "some",
        "such",
        "only",
        "very",
        "just",
        "so",
        "if",
        "because",
        "said",
        "says",
        "told",
        "according",
    ]
)
_REPORTING = re.compile(
    r"\b(?:said|says|told|reported|confirmed|announced|stated|according|writes|wrote)\b", re.I
)


def _stem(word: str) -> str:
    word = word.casefold().replace("’", "'")
    for suffix in ("'s", "ies", "es", "s", "ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_stems(text: str) -> frozenset[str]:
    """The crude stems of a text's content words (numbers kept without separators)."""
    stems = set()
    for word in _WORD.findall(text):
        if word[0].isdigit():
            stems.add(re.sub(r"[ ,.]", "", word))
        elif word.casefold() not in _STOP and len(word) > 2:
            stems.add(_stem(word))
    return frozenset(stems)


@dataclass(frozen=True)
class _Candidate:
    sentence: Sentence
    story: str
    stems: frozenset[str]
    dates: tuple[DateMention, ...]
    quantities: tuple[Quantity, ...]
    mentions: tuple[Mention, ...]
    score: float


def _inside(records: Iterable[Any], sentence: Sentence) -> tuple[Any, ...]:
    return tuple(r for r in records if sentence.start <= r.start and r.end <= sentence.end)


def _by_article(records: Iterable[Any]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for r in records:
        grouped[r.article].append(r)
    return grouped


def checkworthiness(sentence: str, dates: int, quantities: int, entities: int) -> float:
    """A simple score in [0, 1]: facts (numbers, dates, names) and reporting make a claim worth checking."""
    score = 0.3 * min(quantities, 1) + 0.2 * min(dates, 1) + 0.1 * min(entities, 3)
    score += 0.1 if _REPORTING.search(sentence) else 0.0
    score += 0.1 if 12 <= len(sentence.split()) <= 40 else 0.0
    return round(min(score, 1.0), 3)


class Claims(Stage):
    """Claims per story with independent-source counts; discrepancies between their values."""

    name: ClassVar[str] = "claims"
    requires: ClassVar[tuple[str, ...]] = (
        "articles", "sentences", "mentions", "dates", "quantities", "quotes", "reuse", "relays", "stories", "entities",
    )  # fmt: skip
    provides: ClassVar[tuple[str, ...]] = ("claims", "discrepancies")

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        candidates = find_candidates(dossier)
        origins = _Origins(dossier.articles, dossier.reuse, dossier.relays, dossier.entities)
        claims = [
            _claim(group, origins, dossier.relays, dossier.quotes) for group in group_candidates(candidates)
        ]
        claims = _unique(claims)
        return {"claims": tuple(claims), "discrepancies": tuple(find_discrepancies(claims, dossier))}


def find_candidates(dossier: Dossier) -> list[_Candidate]:
    story_of = dossier.story_of()
    dates, quantities, mentions = (
        _by_article(getattr(dossier, n)) for n in ("dates", "quantities", "mentions")
    )
    found = []
    for sentence in dossier.sentences:
        story = story_of.get(sentence.article)
        words = len(sentence.text.split())
        text = sentence.text.strip()
        if story is None or not MIN_CLAIM_WORDS <= words <= MAX_CLAIM_WORDS or text.endswith("?"):
            continue
        if not re.search(r"[.!\"”’']$", text):  # headings and fragments
            continue
        in_dates = tuple(d for d in _inside(dates[sentence.article], sentence) if d.value)
        in_quantities = _inside(quantities[sentence.article], sentence)
        in_mentions = _inside(mentions[sentence.article], sentence)
        if not (in_dates or in_quantities or (in_mentions and _VERB_HINT.search(text))):
            continue
        score = checkworthiness(text, len(in_dates), len(in_quantities), len(in_mentions))
        found.append(
            _Candidate(sentence, story, content_stems(text), in_dates, in_quantities, in_mentions, score)
        )
    return found


def _day_values(candidate: _Candidate) -> set[str]:
    return {d.value for d in candidate.dates if d.value and d.grain == "day"}


def _same(x: _Candidate, y: _Candidate) -> bool:
    if x.sentence.article == y.sentence.article:
        return False
    shared = len(x.stems & y.stems) / max(min(len(x.stems), len(y.stems)), 1)
    days_x, days_y = _day_values(x), _day_values(y)
    if days_x and days_y and not days_x & days_y:
        return False
    return shared >= SAME_CLAIM_CONTAINMENT


def group_candidates(candidates: Sequence[_Candidate]) -> list[list[_Candidate]]:
    """Candidates of one story that state the same thing, grouped (union-find)."""
    links = UnionFind(range(len(candidates)))
    postings: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, c in enumerate(candidates):
        for stem in c.stems:
            postings[(c.story, stem)].append(i)
    pairs = {
        (i, j)
        for members in postings.values()
        if len(members) <= MAX_POSTING
        for i in members
        for j in members
        if i < j
    }
    for i, j in sorted(pairs):
        if _same(candidates[i], candidates[j]):
            links.union(i, j)
    return [
        sorted((candidates[i] for i in group), key=lambda c: (c.sentence.article, c.sentence.start))
        for group in links.groups()
    ]


class _Origins:
    """Collapses supporting articles to their independent origins, one per article."""

    def __init__(
        self,
        articles: Sequence[Article],
        reuse: Sequence[Reuse],
        relays: Sequence[Relay],
        entities: Sequence[Entity],
    ) -> None:
        self.articles = {a.id: a for a in articles}
        self.copies: dict[str, list[Reuse]] = defaultdict(list)
        for r in reuse:
            self.copies[r.a].append(r)
            self.copies[r.b].append(r)
        self.relays = _by_article(relays)
        self.entity_names = {e.id: e.name for e in entities}

    def of_article(self, article: str, supports: Sequence[Support]) -> str:
        """An article's origin for a claim: the report its supporting sentences relay,
        else the earliest copy it shares them with, else its outlet, else itself."""
        relayed = sorted(
            self._relay_label(relay)
            for s in supports
            for relay in self.relays.get(article, ())
            if s.start <= relay.start and relay.end <= s.end
        )
        if relayed:
            return relayed[0]
        for r in self.copies.get(article, ()):
            if r.kind != "shared_passage" or any(_holds(r, s) for s in supports):
                return self._label(min(r.a, r.b))
        return self._label(article)

    def _relay_label(self, relay: Relay) -> str:
        return self.entity_names.get(relay.entity or "", "") or source_label(relay.source)

    def _label(self, article_id: str) -> str:
        article = self.articles.get(article_id)
        return (article.outlet if article and article.outlet else None) or article_id


def _holds(reuse: Reuse, support: Support) -> bool:
    """Whether a copied passage holds the sentence (all but its edges: a passage ends
    at its last shared word, the sentence at its full stop)."""
    start, end = (reuse.a_start, reuse.a_end) if reuse.a == support.article else (reuse.b_start, reuse.b_end)
    overlap = min(end, support.end) - max(start, support.start)
    return overlap >= COPIED_SHARE * (support.end - support.start)


def source_label(source: str) -> str:
    """A relay source as an origin label: no leading "the", no "(ACRONYM)", and a
    bare acronym the text spelled out elsewhere in the corpus left to `resolve`."""
    label = re.sub(r"^the\s+|\s*\([A-Z]{2,6}\)$", "", source.strip(), flags=re.I)
    return label


def _claim(
    group: list[_Candidate], origins: _Origins, relays: Sequence[Relay], quotes: Sequence[Any]
) -> Claim:
    central = min(
        group,
        key=lambda c: (
            -len(c.stems & frozenset.union(*(g.stems for g in group))),
            len(c.sentence.text),
            c.sentence.article,
        ),
    )
    support = tuple(
        Support(c.sentence.article, c.sentence.start, c.sentence.end, c.sentence.text) for c in group
    )
    article_ids = tuple(sorted({s.article for s in support}))
    by_article: dict[str, list[Support]] = defaultdict(list)
    for s in support:
        by_article[s.article].append(s)
    found_origins = tuple(sorted({origins.of_article(a, ss) for a, ss in by_article.items()}))
    days = sorted(d.value for c in group for d in c.dates if d.value and d.grain == "day")
    months = sorted(d.value for c in group for d in c.dates if d.value)
    sources = {source_label(r.source) for c in group for r in _inside(_for(relays, c), c.sentence)}
    sources |= {q.speaker for c in group for q in _inside(_for(quotes, c), c.sentence) if q.speaker}
    quantities = tuple(
        ClaimQuantity(q.value, q.unit, q.counted, q.text, q.qualifier) for c in group for q in c.quantities
    )
    return Claim(
        id=stable_id("c", central.story, central.sentence.text),
        story_id=central.story,
        text=central.sentence.text,
        date=next(iter(days or months), None),
        article_ids=article_ids,
        support=support,
        attributed_to=tuple(sorted(sources)),
        origins=found_origins,
        independent_sources=len(found_origins),
        article_count=len(article_ids),
        checkworthiness=max(c.score for c in group),
        quantities=quantities,
    )


def _centrality(candidate: _Candidate, group: Sequence[_Candidate]) -> float:
    """How much of a sentence the rest of its group also says (concise retellings score high)."""
    others = [o for o in group[:CENTRALITY_SAMPLE] if o is not candidate]
    if not others or not candidate.stems:
        return 0.0
    return sum(len(candidate.stems & o.stems) for o in others) / (len(others) * len(candidate.stems))


def _for(records: Sequence[Any], candidate: _Candidate) -> list[Any]:
    return [r for r in records if r.article == candidate.sentence.article]


def _unique(claims: list[Claim]) -> list[Claim]:
    """One claim per id (two groups choosing the same sentence text are one claim)."""
    by_id: dict[str, Claim] = {}
    for claim in claims:
        by_id.setdefault(claim.id, claim)
    return sorted(by_id.values(), key=lambda c: (c.story_id, -c.independent_sources, -c.article_count, c.id))


# -------------------------------------------------------------- discrepancies


def _measure(quantity: Quantity, text: str, offset: int) -> str | None:
    """The thing a quantity measures (a noun class), or None for parts and per-unit values."""
    before = text[max(0, quantity.start - offset - 40) : quantity.start - offset]
    if _PART_BEFORE.search(before) or _EACH_BEFORE.search(before):
        return None
    counted = quantity.counted.casefold()
    head = quantity.unit.casefold().split()[-1] if quantity.unit.strip() else ""
    if counted in PERSONNEL or head in PERSONNEL:
        return "troops"
    return counted or None


def find_discrepancies(claims: Sequence[Claim], dossier: Dossier) -> list[Discrepancy]:
    quantities = _by_article(dossier.quantities)
    mentions = _by_article(dossier.mentions)
    values: dict[tuple[str, str], list[DiscrepancyValue]] = defaultdict(list)
    subjects: dict[tuple[str, str], set[str]] = defaultdict(set)
    for claim in claims:
        for s in claim.support:
            sentence = Sentence(s.article, 0, s.start, s.end, s.text)
            nationality = [m.text for m in _inside(mentions[s.article], sentence) if m.type == "NORP"]
            for q in _inside(quantities[s.article], sentence):
                measure = _measure(q, s.text, s.start)
                if measure is None:
                    continue
                key = (claim.story_id, measure)
                subjects[key].update(nationality[:1])
                value = DiscrepancyValue(
                    q.value, q.qualifier, claim.id, (s.article,), claim.origins, claim.date
                )
                values[key].append(value)
    found = []
    for (story_id, measure), items in sorted(values.items()):
        merged = _same_scale(_merge_values(items))
        if len({v.value for v in merged}) < 2:
            continue
        who = sorted(subjects[(story_id, measure)])
        subject = f"{who[0]} {measure}" if who else measure
        found.append(
            Discrepancy(
                story_id=story_id,
                subject=subject,
                claim_ids=tuple(sorted({v.claim_id for v in merged})),
                conflict=_conflict(merged),
                values=tuple(merged),
            )
        )
    return found


def _merge_values(items: Sequence[DiscrepancyValue]) -> list[DiscrepancyValue]:
    """One value per (value, qualifier, claim), its articles joined."""
    merged: dict[tuple[float, str | None, str], DiscrepancyValue] = {}
    for v in items:
        key = (v.value, v.qualifier, v.claim_id)
        if key in merged:
            old = merged[key]
            v = DiscrepancyValue(
                v.value,
                v.qualifier,
                v.claim_id,
                tuple(sorted({*old.article_ids, *v.article_ids})),
                v.sources,
                v.date,
            )
        merged[key] = v
    return sorted(merged.values(), key=lambda v: (v.value, v.qualifier or "", v.claim_id))


def _same_scale(values: list[DiscrepancyValue]) -> list[DiscrepancyValue]:
    """The values within SAME_SCALE_RATIO of the median: reports of one measure rarely
    differ more; casualties and sub-units counted in the same noun do (20 killed
    beside 12,000 deployed)."""
    if not values:
        return values
    median = sorted(v.value for v in values)[len(values) // 2]
    return [v for v in values if median / SAME_SCALE_RATIO <= v.value <= median * SAME_SCALE_RATIO]


def value_range(value: float, qualifier: str | None) -> tuple[float, float]:
    """The interval a qualified value allows."""
    q = (qualifier or "").casefold()
    if q in ("more than", "over", "at least", "upwards of"):
        return (value, float("inf"))
    if q in ("up to", "less than", "fewer than", "under", "at most", "nearly", "almost"):
        return (0.0, value)
    if q in ("approximately", "about", "around", "some", "roughly", "nearly", "almost", "estimated"):
        return (value * (1 - APPROXIMATE_SHARE), value * (1 + APPROXIMATE_SHARE))
    return (value, value)


def _conflict(values: Sequence[DiscrepancyValue]) -> bool:
    """True unless every pair of values can hold together as ranges."""
    ranges = [value_range(v.value, v.qualifier) for v in values]
    return any(x[1] < y[0] or y[1] < x[0] for i, x in enumerate(ranges) for y in ranges[i + 1 :])
