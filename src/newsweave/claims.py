"""Claims stage: the same statement across outlets, its independent sources, and disagreements.

* Candidates are sentences that state a fact: a date, a quantity, or a named
  entity with a verb. Questions, headings, very short or long sentences are not
  claims, nor is a sentence that is mostly a quote with no date, number or name
  inside the quote (a speaker's name alone does not make "'We are ready,' he said" a claim).
* Within a story, sentences are one claim when their content words overlap
  strongly (containment of crude stems) and their day dates do not disagree;
  candidate pairs come from an inverted index of content words, not all pairs.
  The claim's text is its most central complete sentence: one that does not
  lean on the sentence before ("Also, ...", "... about this."), states the
  claim's date when it has one, and whose words the rest of the group says most
  (ties: the shortest).
* Independent sources: a claim's supporting articles collapse to origins with
  a union-find. Articles are one origin when one copies the other (duplicate,
  near duplicate, or a shared passage holding the supporting sentence), when
  they come from one outlet, or when their supporting sentences relay the same
  named report ("FT" and "Financial Times" are one report: through the relay's
  resolved entity, else an acronym spelled out by another relay of the corpus),
  or when one relays the report of the other's outlet. Relays are used at the
  *sentence* level, not the article level (an article that cites Reuters once is
  not all Reuters): a supporting sentence relays the reports whose attributing
  phrase overlaps it, or, when it names a report only by reference ("the
  publication is calling...", "according to the report"), the last report relayed
  before it within :data:`REPORT_REFERENCE_WINDOW` characters. An origin is labelled by the report it relays, else its outlet, else its
  earliest article's id. When in doubt articles are *not* independent, so
  ``independent_sources`` is a lower bound.
* Discrepancies: values counting the same thing (one counted-noun class, e.g.
  :data:`PERSONNEL`) about overlapping subjects (the NORP named with the
  number) that differ. Parts ("including 500", "the first unit of 2,600"),
  per-unit values ("each of about 3,000") and values far off the group's scale
  are other measures and stay out.
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
    Quote,
    Relay,
    Reuse,
    Sentence,
    Support,
    stable_id,
)
from .stage import Stage
from .unionfind import UnionFind, pairs_sharing

#: Sentences shorter or longer than these (in words) are not claims.
MIN_CLAIM_WORDS = 6
MAX_CLAIM_WORDS = 80
#: A sentence whose characters are at least this share quoted speech is "mostly a quote",
#: and not a claim unless the quote itself holds a date, number or name.
MOSTLY_QUOTE = 0.6
#: Share of the shorter sentence's content stems found in the other for one claim.
#: 0.6 groups retellings that share most facts while sentences that share only
#: the topic's words (North Korean, troops, Kursk) stay apart (seeds, by hand).
SAME_CLAIM_CONTAINMENT = 0.6
#: A content stem in more than this many sentences of a story is not used to
#: retrieve candidates (it says which story, not which claim).
MAX_POSTING = 200
#: Share of a sentence inside a copied passage for the sentence to count as copied.
COPIED_SHARE = 0.9
#: A sentence naming a report only by reference ("the publication") relays the last
#: report relayed at most this many characters before it (about two sentences).
REPORT_REFERENCE_WINDOW = 400
#: Group members a claim's central sentence is compared with (bounds the cost of big groups).
CENTRALITY_SAMPLE = 50
#: "approximately N" spans N ± this share when ranges are compared.
APPROXIMATE_SHARE = 0.1
#: Values further than this factor from the median are another measure of the same noun.
SAME_SCALE_RATIO = 3.0
#: A bare number after "number" ("increase their number to 15,000") counts what the
#: nearest earlier quantity within this many characters of its article counts.
ANAPHOR_WINDOW = 300
#: Words naming the same measured thing: people under arms. One class, so that
#: "12 000 military personnel" and "10,000 soldiers" are one measure.
PERSONNEL = frozenset(
    {"soldier", "troop", "personnel", "infantryman", "infantrymen", "serviceman", "servicemen", "fighter", "military"}
)  # fmt: skip
#: The name of the :data:`PERSONNEL` class in discrepancy subjects.
PERSONNEL_LABEL = "troops"
#: Units of length and area: never what "their number" refers to.
DISTANCE_UNITS = frozenset(
    {"kilometer", "kilometre", "km", "mile", "meter", "metre", "m", "foot", "feet", "yard", "hectare"}
)

_PART_BEFORE = re.compile(
    r"\b(?:including|of them|among them|each|per|of which|unit of|batch of|group of)\s+(?:\w+\s+){0,2}$", re.I
)
_EACH_BEFORE = re.compile(r"\beach\b[^.]{0,40}$", re.I)
_REPORT_REFERENCE = re.compile(
    r"\b(?:the|this|that)\s+(?:publication|newspaper|paper|report|outlet|magazine|broadcaster)\b", re.I
)
_NUMBER_ANAPHOR = re.compile(r"\bnumbers?\b[^.]{0,30}$", re.I)
#: Openings and endings of a sentence that lean on the one before it.
_DEPENDENT = re.compile(
    r"^(?:also|but|however|and|moreover|meanwhile|he|she|it|they|this|that|these|those|there)\b"
    r"|\b(?:this|that|it|them)[.!]?[\"”’']?$",
    re.I,
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][a-z]+)?|\d[\d,. ]*\d|\d")
_VERB_HINT = re.compile(
    r"\b\w+(?:ed|es)\b|\b(?:is|are|was|were|has|have|had|will|would|could|can|may|said|says|told|took|met|sent|began|led)\b",
    re.I,
)
_STOP = frozenset(
    [
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "from", "by", "with",
        "as", "that", "this", "these", "those", "it", "its", "is", "are", "was", "were", "be", "been",
        "has", "have", "had", "will", "would", "could", "should", "may", "might", "can", "do", "does",
        "did", "not", "no", "than", "then", "there", "their", "they", "them", "he", "she", "his", "her",
        "him", "we", "our", "you", "your", "i", "also", "which", "who", "whom", "what", "when", "where",
        "while", "about", "after", "before", "into", "over", "under", "more", "most", "some", "such",
        "only", "very", "just", "so", "if", "because", "said", "says", "told", "according"
    ]
)  # fmt: skip
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


def checkworthiness(sentence: str, dates: int, quantities: int, entities: int) -> float:
    """A simple score in [0, 1]: facts make a sentence worth checking.

    0.3 for a number, 0.2 for a date, 0.1 per named entity (up to 3), 0.1 for a
    reporting verb ("said", "according to"), 0.1 for a mid length (12–40 words).
    Hand-set weights; to be measured on ClaimBuster.
    """
    score = 0.3 * min(quantities, 1) + 0.2 * min(dates, 1) + 0.1 * min(entities, 3)
    score += 0.1 if _REPORTING.search(sentence) else 0.0
    score += 0.1 if 12 <= len(sentence.split()) <= 40 else 0.0
    return round(min(score, 1.0), 3)


@dataclass(frozen=True)
class _Candidate:
    sentence: Sentence
    story: str
    stems: frozenset[str]
    dates: tuple[DateMention, ...]
    quantities: tuple[Quantity, ...]
    mentions: tuple[Mention, ...]
    score: float


def _inside(records: Iterable[Any], start: int, end: int) -> tuple[Any, ...]:
    return tuple(r for r in records if start <= r.start and r.end <= end)


def _overlapping(records: Iterable[Any], start: int, end: int) -> tuple[Any, ...]:
    return tuple(r for r in records if r.start < end and start < r.end)


def _by_article(records: Iterable[Any]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for r in records:
        grouped[r.article].append(r)
    return grouped


class Claims(Stage):
    """Claims per story with independent-source counts; discrepancies between their values."""

    name: ClassVar[str] = "claims"
    requires: ClassVar[tuple[str, ...]] = (
        "articles", "sentences", "mentions", "dates", "quantities", "quotes", "reuse", "relays", "stories", "entities",
    )  # fmt: skip
    provides: ClassVar[tuple[str, ...]] = ("claims", "discrepancies")

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        candidates = find_candidates(dossier)
        sources = _Sources(dossier.articles, dossier.reuse, dossier.relays, dossier.quotes, dossier.entities)
        claims = build_claims(group_candidates(candidates), sources)
        return {"claims": tuple(claims), "discrepancies": tuple(find_discrepancies(claims, dossier))}


# ----------------------------------------------------------------- candidates


def _quoted_spans(quotes: Sequence[Quote], sentence: Sentence) -> list[tuple[int, int]]:
    spans = [(max(q.start, sentence.start), min(q.end, sentence.end)) for q in quotes]
    return [(s, e) for s, e in spans if s < e]


def _evidence(records: Sequence[Any], spans: list[tuple[int, int]]) -> tuple[Any, ...]:
    return tuple(r for r in records if any(s <= r.start and r.end <= e for s, e in spans))


def find_candidates(dossier: Dossier) -> list[_Candidate]:
    """The sentences of storied articles that state a fact, with the facts inside them."""
    story_of = dossier.story_of()
    dates, quantities, mentions, quotes = (
        _by_article(getattr(dossier, n)) for n in ("dates", "quantities", "mentions", "quotes")
    )
    found = []
    for sentence in dossier.sentences:
        story = story_of.get(sentence.article)
        text = sentence.text.strip()
        if story is None or not MIN_CLAIM_WORDS <= len(text.split()) <= MAX_CLAIM_WORDS:
            continue
        if text.endswith("?") or not re.search(r"[.!\"”’']$", text):  # questions, headings, fragments
            continue
        span = (sentence.start, sentence.end)
        in_dates = tuple(d for d in _inside(dates[sentence.article], *span) if d.value)
        in_quantities = _inside(quantities[sentence.article], *span)
        in_mentions = _inside(mentions[sentence.article], *span)
        if not (in_dates or in_quantities or (in_mentions and _VERB_HINT.search(text))):
            continue
        quoted = _quoted_spans(_overlapping(quotes[sentence.article], *span), sentence)
        if sum(e - s for s, e in quoted) >= MOSTLY_QUOTE * max(sentence.end - sentence.start, 1) and not (
            _evidence((*in_dates, *in_quantities, *in_mentions), quoted)
        ):
            continue  # mostly a quote, and nothing checkable inside it
        score = checkworthiness(text, len(in_dates), len(in_quantities), len(in_mentions))
        found.append(
            _Candidate(sentence, story, content_stems(text), in_dates, in_quantities, in_mentions, score)
        )
    return found


def _day_values(candidate: _Candidate) -> set[str]:
    return {d.value for d in candidate.dates if d.value and d.grain == "day"}


def _same(x: _Candidate, y: _Candidate) -> bool:
    """Two sentences of different articles state one claim: most words shared, no clash of days."""
    if x.sentence.article == y.sentence.article:
        return False
    days_x, days_y = _day_values(x), _day_values(y)
    if days_x and days_y and not days_x & days_y:
        return False
    shared = len(x.stems & y.stems) / max(min(len(x.stems), len(y.stems)), 1)
    return shared >= SAME_CLAIM_CONTAINMENT


def group_candidates(candidates: Sequence[_Candidate]) -> list[list[_Candidate]]:
    """Candidates of one story that state the same thing, grouped (union-find)."""
    links = UnionFind(range(len(candidates)))
    postings: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, c in enumerate(candidates):
        for stem in c.stems:
            postings[(c.story, stem)].append(i)
    for i, j in pairs_sharing(postings.values(), MAX_POSTING):
        if _same(candidates[i], candidates[j]):
            links.union(i, j)
    return [
        sorted((candidates[i] for i in group), key=lambda c: (c.sentence.article, c.sentence.start))
        for group in links.groups()
    ]


# -------------------------------------------------------------------- origins


def source_label(source: str) -> str:
    """A relay source as written, as an origin label: no leading "the", no trailing "(ACRONYM)"."""
    return re.sub(r"^the\s+|\s*\([A-Z]{2,6}\)$", "", source.strip(), flags=re.I)


def _initials(label: str) -> str:
    return "".join(word[0] for word in label.split() if word[:1].isupper())


def relay_labels(relays: Sequence[Relay], entities: Sequence[Entity]) -> dict[Relay, str]:
    """Each relay's origin label: its resolved entity's name, else the source as written,
    with a bare acronym ("FT") spelled out when another relay of the corpus names a
    source with those initials ("Financial Times")."""
    names = {e.id: e.name for e in entities}
    labels = {r: names.get(r.entity or "", "") or source_label(r.source) for r in relays}
    spelled: dict[str, str] = {}
    for label in sorted(set(labels.values())):
        if len(label.split()) > 1 and len(_initials(label)) > 1:
            spelled.setdefault(_initials(label), label)
    return {r: spelled.get(label, label) if label.isupper() else label for r, label in labels.items()}


class _Sources:
    """Who a claim's sentences cite, and the independent origins its articles collapse to."""

    def __init__(
        self,
        articles: Sequence[Article],
        reuse: Sequence[Reuse],
        relays: Sequence[Relay],
        quotes: Sequence[Quote],
        entities: Sequence[Entity],
    ) -> None:
        self.articles = {a.id: a for a in articles}
        self.copies: dict[str, list[Reuse]] = defaultdict(list)
        for r in reuse:
            self.copies[r.a].append(r)
            self.copies[r.b].append(r)
        self.relays = _by_article(relays)
        self.quotes = _by_article(quotes)
        self.labels = relay_labels(relays, entities)
        self.entity_names = {e.id: e.name for e in entities}

    def relayed(self, support: Support) -> list[str]:
        """The reports a supporting sentence says it repeats: its own relays, else, when
        it names a report by reference, the last one relayed shortly before it."""
        relays = self.relays.get(support.article, ())
        found = _overlapping(relays, support.start, support.end)
        if not found and _REPORT_REFERENCE.search(support.text):
            earlier = [r for r in relays if support.start - REPORT_REFERENCE_WINDOW <= r.end <= support.start]
            found = (max(earlier, key=lambda r: (r.end, r.start)),) if earlier else ()
        return sorted({self.labels[r] for r in found})

    def speakers(self, support: Support) -> list[str]:
        found = _overlapping(self.quotes.get(support.article, ()), support.start, support.end)
        names = (self.entity_names.get(q.speaker_entity or "", "") or q.speaker for q in found)
        return sorted({name for name in names if name})

    def origins(self, support: Sequence[Support]) -> tuple[str, ...]:
        """The distinct origins of a claim's supporting articles (see the module docstring)."""
        by_article: dict[str, list[Support]] = defaultdict(list)
        for s in support:
            by_article[s.article].append(s)
        links = UnionFind(sorted(by_article))
        relayed = {
            a: sorted({label for s in ss for label in self.relayed(s)}) for a, ss in by_article.items()
        }
        first: dict[str, str] = {}  # outlet or report key -> first article naming it
        for article, ss in sorted(by_article.items()):
            outlet = self.articles[article].outlet if article in self.articles else None
            # one namespace: an article relaying "Ukrinform" and one published by it are one origin
            keys = [source_label(label).casefold() for label in relayed[article]]
            keys += [source_label(outlet).casefold()] if outlet else []
            for key in keys:
                links.union(first.setdefault(key, article), article)
            for r in self.copies.get(article, ()):
                other = r.b if r.a == article else r.a
                if other in by_article and (r.kind != "shared_passage" or any(_holds(r, s) for s in ss)):
                    links.union(article, other)
        return tuple(sorted({self._label(group, relayed) for group in links.groups()}))

    def _label(self, group: list[str], relayed: dict[str, list[str]]) -> str:
        reports = sorted(label for a in group for label in relayed[a])
        if reports:
            return reports[0]
        known = [self.articles[a] for a in group if a in self.articles]
        outlets = sorted(a.outlet for a in known if a.outlet)
        if outlets:
            return outlets[0]
        return min(group, key=lambda a: (self.articles[a].published or "~" if a in self.articles else "~", a))


def _holds(reuse: Reuse, support: Support) -> bool:
    """Whether a copied passage holds the sentence (all but its edges: a passage ends
    at its last shared word, the sentence at its full stop)."""
    start, end = (reuse.a_start, reuse.a_end) if reuse.a == support.article else (reuse.b_start, reuse.b_end)
    overlap = min(end, support.end) - max(start, support.start)
    return overlap >= COPIED_SHARE * (support.end - support.start)


# --------------------------------------------------------------------- claims


def _centrality(candidate: _Candidate, group: Sequence[_Candidate]) -> float:
    """How much of a sentence the rest of its group also says (concise retellings score high)."""
    others = [o for o in group[:CENTRALITY_SAMPLE] if o is not candidate]
    if not others or not candidate.stems:
        return 0.0
    return sum(len(candidate.stems & o.stems) for o in others) / (len(others) * len(candidate.stems))


def leans_on_context(sentence: str) -> bool:
    """Whether a sentence needs the one before it to be understood."""
    return bool(_DEPENDENT.search(sentence.strip()))


def _ranked(group: Sequence[_Candidate], date: str | None) -> list[_Candidate]:
    """The group's sentences, the one that best tells its claim on its own first
    (see the module docstring)."""
    return sorted(
        group,
        key=lambda c: (
            leans_on_context(c.sentence.text),
            date is not None and all(d.value != date for d in c.dates),
            -_centrality(c, group),
            len(c.sentence.text),
            c.sentence.article,
            c.sentence.start,
        ),
    )


def _claim_date(group: Sequence[_Candidate]) -> str | None:
    """A day when a sentence states one, else a month or year (earliest first)."""
    days = sorted(d.value for c in group for d in c.dates if d.value and d.grain == "day")
    others = sorted(d.value for c in group for d in c.dates if d.value)
    return next(iter(days or others), None)


def build_claims(groups: Sequence[Sequence[_Candidate]], sources: _Sources) -> list[Claim]:
    """One claim per group, no two claims of a story with one text (so ids are unique).

    Bigger groups choose their text first; a group whose every sentence text is taken
    (the same sentence in two articles, set apart by different dates) joins the group
    that took its best text rather than being dropped.
    """
    ordered = sorted(groups, key=lambda g: (-len(g), g[0].sentence.article, g[0].sentence.start))
    chosen: list[tuple[list[_Candidate], _Candidate]] = []
    taken: dict[tuple[str, str], int] = {}
    for group in ordered:
        ranked = _ranked(group, _claim_date(group))
        free = [c for c in ranked if (c.story, c.sentence.text) not in taken]
        if free:
            taken[(free[0].story, free[0].sentence.text)] = len(chosen)
            chosen.append((list(group), free[0]))
        else:
            chosen[taken[(ranked[0].story, ranked[0].sentence.text)]][0].extend(group)
    claims = [_claim(group, central, sources) for group, central in chosen]
    return sorted(claims, key=lambda c: (c.story_id, -c.independent_sources, -c.article_count, c.id))


def _claim(group: list[_Candidate], central: _Candidate, sources: _Sources) -> Claim:
    group = sorted(group, key=lambda c: (c.sentence.article, c.sentence.start))
    support = tuple(
        Support(c.sentence.article, c.sentence.start, c.sentence.end, c.sentence.text) for c in group
    )
    article_ids = tuple(sorted({s.article for s in support}))
    origins = sources.origins(support)
    attributed = {name for s in support for name in (*sources.relayed(s), *sources.speakers(s))}
    quantities = tuple(
        ClaimQuantity(q.value, q.unit, q.counted, q.text, q.qualifier) for c in group for q in c.quantities
    )
    return Claim(
        id=stable_id("c", central.story, central.sentence.text),
        story_id=central.story,
        text=central.sentence.text,
        date=_claim_date(group),
        article_ids=article_ids,
        support=support,
        attributed_to=tuple(sorted(attributed)),
        origins=origins,
        independent_sources=len(origins),
        article_count=len(article_ids),
        checkworthiness=max(c.score for c in group),
        quantities=quantities,
    )


# -------------------------------------------------------------- discrepancies


def _counted(quantity: Quantity, earlier: Sequence[Quantity], text: str) -> str:
    """What a quantity counts; a bare number after "number" counts what the nearest
    earlier quantity (not a distance) counts: "their number to 15,000"."""
    counted = quantity.counted.casefold() or (quantity.unit.casefold().split() or [""])[-1]
    if counted or not _NUMBER_ANAPHOR.search(text[max(0, quantity.start - 40) : quantity.start]):
        return counted
    for q in sorted(earlier, key=lambda q: -q.start):
        noun = q.counted.casefold()
        if quantity.start - ANAPHOR_WINDOW <= q.end <= quantity.start and noun and noun not in DISTANCE_UNITS:
            return noun
    return ""


def measure(quantity: Quantity, article_quantities: Sequence[Quantity], text: str) -> str | None:
    """The thing a quantity measures (a noun class), or None for parts and per-unit values.

    ``text`` is the article's clean text, which the quantity's offsets index.
    """
    before = text[max(0, quantity.start - 40) : quantity.start]
    if _PART_BEFORE.search(before) or _EACH_BEFORE.search(before):
        return None
    counted = _counted(quantity, article_quantities, text)
    if counted in PERSONNEL or _stem(counted) in PERSONNEL:
        return PERSONNEL_LABEL
    return counted or None


def _subject(quantity: Quantity, norps: Sequence[Mention]) -> str | None:
    """Whom a quantity is about: the NORP inside it ("10,000 North Korean soldiers"),
    else the first NORP of its sentence, else unknown."""
    own = _overlapping(norps, quantity.start, quantity.end)
    chosen = own[0] if own else (norps[0] if norps else None)
    return chosen.text if chosen else None


def subject_key(subject: str) -> str:
    """Spellings of one subject as one key: "the North Koreans" and "North Korean" agree."""
    words = [w for w in subject.casefold().split() if w != "the"]
    return " ".join(_stem(w) for w in words)


def find_discrepancies(claims: Sequence[Claim], dossier: Dossier) -> list[Discrepancy]:
    """Within each story: the values of one measure about one subject, when they differ."""
    texts = {a.id: a.text for a in dossier.articles}
    quantities = _by_article(dossier.quantities)
    mentions = _by_article(m for m in dossier.mentions if m.type == "NORP")
    found: dict[tuple[str, str], dict[str | None, list[DiscrepancyValue]]] = defaultdict(
        lambda: defaultdict(list)
    )
    shown: dict[str, str] = {}  # subject key -> its first spelling in sorted order
    for claim in claims:
        for s in claim.support:
            norps = sorted(_inside(mentions[s.article], s.start, s.end), key=lambda m: m.start)
            for q in _inside(quantities[s.article], s.start, s.end):
                what = measure(q, quantities[s.article], texts.get(s.article, ""))
                if what is None:
                    continue
                value = DiscrepancyValue(
                    q.value, q.qualifier, claim.id, (s.article,), claim.origins, claim.date
                )
                subject = _subject(q, norps)
                key = subject_key(subject) if subject else None
                if subject and key:
                    shown[key] = min(shown.get(key, subject), subject)
                found[(claim.story_id, what)][key].append(value)
    discrepancies = []
    for (story_id, what), by_subject in sorted(found.items()):
        for subject, items in _join_unknown_subjects(by_subject):
            values = _same_scale(_merge_values(items))
            if len({v.value for v in values}) < 2:
                continue
            discrepancies.append(
                Discrepancy(
                    story_id=story_id,
                    subject=f"{shown[subject]} {what}" if subject else what,
                    claim_ids=tuple(sorted({v.claim_id for v in values})),
                    conflict=conflict(values),
                    values=tuple(values),
                )
            )
    return sorted(discrepancies, key=lambda d: (d.story_id, d.subject))


def _join_unknown_subjects(
    by_subject: dict[str | None, list[DiscrepancyValue]],
) -> list[tuple[str | None, list[DiscrepancyValue]]]:
    """Values whose subject is unknown join the measure's one named subject; with several
    named subjects they cannot be placed and stay apart."""
    named = sorted((s, v) for s, v in by_subject.items() if s is not None)
    unknown = by_subject.get(None, [])
    if len(named) == 1:
        return [(named[0][0], named[0][1] + unknown)]
    return named + ([(None, unknown)] if unknown else [])


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
    """The interval a qualified value allows ("more than 10,000" is [10000, inf))."""
    q = (qualifier or "").casefold()
    if q in ("more than", "over", "at least", "upwards of", "above"):
        return (value, float("inf"))
    if q in ("up to", "less than", "fewer than", "under", "at most", "below"):
        return (0.0, value)
    if q in ("nearly", "almost", "just under"):
        return (value * (1 - APPROXIMATE_SHARE), value)
    if q in ("approximately", "about", "around", "some", "roughly", "estimated", "an estimated"):
        return (value * (1 - APPROXIMATE_SHARE), value * (1 + APPROXIMATE_SHARE))
    return (value, value)


def conflict(values: Sequence[DiscrepancyValue]) -> bool:
    """True unless every pair of values can hold together as ranges."""
    ranges = [value_range(v.value, v.qualifier) for v in values]
    return any(x[1] < y[0] or y[1] < x[0] for i, x in enumerate(ranges) for y in ranges[i + 1 :])
