"""Resolve stage: one entity across articles, spellings and transliterations.

Mentions are compared by a *folded key*: case, diacritics, a leading "the" and
possessives removed, and transliteration variants folded (iy/ii/yy -> i, y -> i,
ck -> k, kh -> h, ie -> e), so Umerov / Umyerov, Andriy / Andrii and Baerbock /
Baerbok meet. Within a story:

* people: two full names are one person when every token folds alike (or
  differs by one letter in tokens of five or more letters); a longer name ending
  in a known full name ("NSDC Andriy Kovalenko") joins it; a lone surname joins
  the one full name with that surname, and stays apart when two people share it;
* organisations and places: the same folded name, a small table of well-known
  aliases (DPRK = North Korea, FT = Financial Times, ...), and acronyms the
  article defines ("Main Intelligence Directorate (known as GUR)").

Entities of different stories with the same type and folded canonical name are
one entity. Quote speakers and relay sources are then pointed at entities.
Precision over recall: when evidence is split, names stay apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, ClassVar

from .model import Article, Dossier, Entity, Mention, Quote, Story, stable_id
from .stage import Stage
from .unionfind import UnionFind

#: Tokens at least this long may differ by one edit and still match (Baerbock/Baerbok).
FUZZY_MIN_LETTERS = 5

#: Well-known aliases, folded form -> folded canonical form. Kept small and documented:
#: countries and organisations that news names in several ways.
ALIASES = {
    "dprk": "north korea",
    "democratic people's republic of korea": "north korea",
    "us": "united states",
    "u.s": "united states",
    "u.s.": "united states",
    "usa": "united states",
    "america": "united states",
    "uk": "united kingdom",
    "britain": "united kingdom",
    "eu": "european union",
    "un": "united nations",
    "ft": "financial times",
    "nato": "north atlantic treaty organization",
    "kiev": "kyiv",
}
_TRANSLITERATION = (("yy", "y"), ("iy", "i"), ("ii", "i"), ("y", "i"), ("ck", "k"), ("kh", "h"), ("ie", "e"))
_ACRONYM = re.compile(
    r"(?P<full>(?:[A-Z][\w'’-]*[ \t]+(?:(?:of|for|and)[ \t]+(?:the[ \t]+)?)?){1,7}[A-Z][\w'’-]*)"
    r"[ \t]*\((?:known[ \t]+as[ \t]+)?(?P<acronym>[A-Z]{2,6})\)"
)


def fold(name: str) -> str:
    """A name's folded key: spelling and transliteration variants meet."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['’ʼ]s\b|['’ʼ]", "", text)
    text = re.sub(r"^the\s+", "", text.strip())
    text = " ".join(re.findall(r"[\w.]+", text)).strip(".")
    text = ALIASES.get(text, text)
    for old, new in _TRANSLITERATION:
        text = text.replace(old, new)
    return text


def _family(kind: str) -> str:
    return {"PERSON": "PERSON", "NORP": "NORP"}.get(kind, "NAME")


def _close(x: str, y: str) -> bool:
    """Equal, or one edit apart when both are long enough."""
    if x == y:
        return True
    if min(len(x), len(y)) < FUZZY_MIN_LETTERS or abs(len(x) - len(y)) > 1:
        return False
    if len(x) == len(y):
        return sum(a != b for a, b in zip(x, y, strict=True)) == 1
    short, long_ = (x, y) if len(x) < len(y) else (y, x)
    i = next((k for k, (a, b) in enumerate(zip(short, long_, strict=False)) if a != b), len(short))
    return long_[:i] + long_[i + 1 :] == short


def _same_person(x: Sequence[str], y: Sequence[str]) -> bool:
    """Two full names (token lists, folded) of one person: the shorter ends the longer."""
    if len(x) < 2 or len(y) < 2:
        return False
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    return all(_close(a, b) for a, b in zip(short, long_[len(long_) - len(short) :], strict=True))


class Resolve(Stage):
    """Entities from mentions; quote speakers and relay sources linked to them."""

    name: ClassVar[str] = "resolve"
    requires: ClassVar[tuple[str, ...]] = ("articles", "mentions", "stories", "quotes", "relays")
    provides: ClassVar[tuple[str, ...]] = ("entities", "quotes", "relays")

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        entities = resolve(dossier.articles, dossier.mentions, dossier.stories)
        story_of = dossier.story_of()
        lookup = _Lookup(entities, story_of)
        quotes = tuple(_link_quote(q, lookup) for q in dossier.quotes)
        relays = tuple(replace(r, entity=lookup.by_name(r.article, r.source)) for r in dossier.relays)
        return {"entities": entities, "quotes": quotes, "relays": relays}


def resolve(
    articles: Sequence[Article], mentions: Sequence[Mention], stories: Sequence[Story]
) -> tuple[Entity, ...]:
    """Entities of the mentions, sorted by (type, name, id)."""
    story_of = {aid: s.id for s in stories for aid in s.article_ids}
    acronyms = _acronyms(articles)
    groups: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    people = _people(mentions, story_of)
    for m in mentions:
        story = story_of.get(m.article, m.article)
        groups[(story, _family_of(m, people.get(story, [])))].append(m)
    clusters: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for (_story, family), members in sorted(groups.items()):
        forms = _cluster(family, members, acronyms)
        for m in members:
            clusters[(family, forms[fold(m.text)])].append(m)
    entities = (_entity(family, ms) for family, ms in _across_stories(clusters))
    return tuple(sorted(entities, key=lambda e: (e.type, e.name, e.id)))


def _people(mentions: Sequence[Mention], story_of: dict[str, str]) -> dict[str, list[list[str]]]:
    """Story -> the folded full names (two tokens or more) tagged PERSON in it."""
    people: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if m.type == "PERSON" and len(fold(m.text).split()) >= 2:
            people[story_of.get(m.article, m.article)].add(fold(m.text))
    return {story: [name.split() for name in sorted(names)] for story, names in people.items()}


def _family_of(mention: Mention, people: Sequence[Sequence[str]]) -> str:
    """A mention's family; a name the tagger typed otherwise but that ends in (or is)
    a person's full name of the story ("NSDC Andriy Kovalenko" as ORG) is a person."""
    family = _family(mention.type)
    if family == "NAME":
        tokens = fold(mention.text).split()
        if any(_same_person(tokens, person) for person in people):
            return "PERSON"
    return family


def _acronyms(articles: Sequence[Article]) -> dict[str, str]:
    """Folded acronym -> folded full name, from definitions in the articles' text."""
    found: dict[str, str] = {}
    for article in articles:
        for match in _ACRONYM.finditer(article.text):
            found.setdefault(fold(match.group("acronym")), fold(match.group("full")))
    return found


def _cluster(family: str, members: Sequence[Mention], acronyms: dict[str, str]) -> dict[str, str]:
    """Folded form -> its cluster's representative form, within one story and family."""
    forms = sorted({fold(m.text) for m in members} - {""})
    uf = UnionFind(forms)
    if family == "PERSON":
        tokens = {form: form.split() for form in forms}
        full = [f for f in forms if len(tokens[f]) >= 2]
        for i, x in enumerate(full):
            for y in full[i + 1 :]:
                if _same_person(tokens[x], tokens[y]):
                    uf.union(x, y)
        for single in (f for f in forms if len(tokens[f]) == 1):
            people = {uf.find(f) for f in full if _close(single, tokens[f][-1])}
            if len(people) == 1:  # a surname shared by two people stays apart
                uf.union(single, people.pop())
    else:
        for form in forms:
            if form in acronyms and acronyms[form] in uf.parent:
                uf.union(form, acronyms[form])
    return {form: uf.find(form) for form in forms} | {"": ""}


def _across_stories(clusters: dict[tuple[str, str], list[Mention]]) -> list[tuple[str, list[Mention]]]:
    """Clusters of different stories with the same family and canonical form are one."""
    merged: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for (family, _form), members in clusters.items():
        merged[(family, fold(_canonical(members)))].extend(members)
    return [
        (family, sorted(ms, key=lambda m: (m.article, m.start, m.end)))
        for (family, _), ms in sorted(merged.items())
    ]


def _canonical(mentions: Sequence[Mention]) -> str:
    """The most complete, then most frequent, then first in order surface form."""
    counts = Counter(m.text for m in mentions)
    return min(counts, key=lambda t: (-len(t.split()), -counts[t], t))


def _entity(family: str, mentions: list[Mention]) -> Entity:
    """An entity; its id comes from the key it was grouped by, so ids are unique."""
    name = _canonical(mentions)
    types = Counter(m.type for m in mentions)
    kind = "PERSON" if family == "PERSON" else types.most_common(1)[0][0]
    return Entity(
        id=stable_id("e", family, fold(name)),
        name=name,
        type=kind,
        aliases=tuple(sorted({m.text for m in mentions})),
        mentions=tuple(mentions),
    )


class _Lookup:
    """Find the entity a speaker or source names, in its article or story."""

    def __init__(self, entities: Sequence[Entity], story_of: dict[str, str]) -> None:
        self.spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        self.names: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.story_of = story_of
        for entity in entities:
            for m in entity.mentions:
                self.spans[m.article].append((m.start, m.end, entity.id))
                key = fold(m.text)
                self.names[(story_of.get(m.article, m.article), key)].add(entity.id)
                if len(key.split()) > 1:  # "Kovalenko" names "Andriy Kovalenko" too
                    self.names[(story_of.get(m.article, m.article), key.split()[-1])].add(entity.id)

    def by_span(self, article: str, start: int, end: int) -> str | None:
        hits = sorted({e for s, t, e in self.spans[article] if s < end and start < t})
        return hits[0] if len(hits) == 1 else None

    def by_name(self, article: str, name: str) -> str | None:
        ids = self.names.get((self.story_of.get(article, article), fold(name)), set())
        return next(iter(ids)) if len(ids) == 1 else None


def _link_quote(quote: Quote, lookup: _Lookup) -> Quote:
    if quote.speaker is None:
        return quote
    entity = None
    if quote.speaker_start is not None and quote.speaker_end is not None:
        entity = lookup.by_span(quote.article, quote.speaker_start, quote.speaker_end)
    entity = entity or lookup.by_name(quote.article, quote.speaker)
    return replace(quote, speaker_entity=entity)
