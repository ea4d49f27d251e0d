"""Resolve stage: one entity across articles, spellings and transliterations.

Mentions are compared by a *folded key*: case, diacritics, a leading "the" and
possessives removed, a small table of well-known aliases applied (DPRK = North
Korea, FT = Financial Times, ...), and transliteration variants folded (iy/ii/yy
-> i, y -> i, ck -> k, kh -> h, ie -> e) and British/American spellings folded
(Defence / Defense), so Umerov / Umyerov, Andriy / Andrii and Baerbock / Baerbok
meet. Within each story:

* mentions are blocked by type family (people; organisations; places; groups
  such as nationalities; anything else). spaCy types one name differently in
  different sentences ("North Korea" as GPE and as ORG), so every non-person key
  goes to the family most of its mentions in the story have;
* a role, title or place word spaCy glued to a person's name ("NSDC Andriy
  Kovalenko", "Ukraine Volodymyr Zelensky", "Minister of Defense of Ukraine
  Rustem Umyerov") is cut off when the rest is a person known in the story, and
  the trimmed mention becomes a PERSON mention;
* people: two full names are one person when every token folds alike (or is one
  edit apart, by rapidfuzz's Levenshtein distance, in tokens of
  ``FUZZY_MIN_LETTERS`` letters or more); a lone surname joins the full name with
  that surname only when the story has exactly one;
* other names: the same folded key, or an acronym the story defines ("Main
  Intelligence Directorate (known as GUR)", "Financial Times (FT)").

Entities of different stories with the same family and folded canonical name
are one entity. Quote speakers and relay sources are then pointed at entities,
by span, by name, or by a role the article gives one person ("Defense Minister
Rustem Umerov" makes "the Defense Minister" and "the minister" name him in that
article; a role two people hold names neither). Nationalities stay their own
NORP entities; ``related_places`` links them to their place (North Korean ->
North Korea). ``same_name`` is the context-free pair test behind these rules,
scored on ECB+ by ``bench/coref.py``. Precision over recall: when the evidence
is split, names stay apart.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, ClassVar

import numpy
from rapidfuzz.distance import Levenshtein

from .model import Article, Dossier, Entity, Mention, Quote, Story, stable_id
from .spill import Spill
from .stage import Stage
from .unionfind import UnionFind

#: Tokens at least this long may differ by one edit and still match (Baerbock/Baerbok).
FUZZY_MIN_LETTERS = 5

#: Words joining two names into a list ("Italy and Egypt"): such a mention is no
#: longer form of either name.
_CONJUNCTIONS = frozenset({"and", "&", "or"})

#: Pronouns, folded: a mention that is only one (a coreference tool's mention, not
#: spaCy's) is left out of the entities, since its folded key would join every "he"
#: of a story into one entity named "he".
PRONOUNS = frozenset(
    {
        "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself",
        "they", "them", "their", "theirs", "themselves", "we", "us", "our", "ours", "i", "me",
        "my", "mine", "you", "your", "yours", "who", "whom", "whose", "which", "that", "this",
        "these", "those",
    }
)  # fmt: skip

#: Well-known aliases, folded form -> folded canonical form. Kept small on purpose:
#: countries and organisations that news names in several ways.
ALIASES = {
    "dprk": "north korea",
    "democratic peoples republic of korea": "north korea",
    "us": "united states",
    "u.s": "united states",
    "usa": "united states",
    "u.s.a": "united states",
    "uk": "united kingdom",
    "u.k": "united kingdom",
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "eu": "european union",
    "un": "united nations",
    "ft": "financial times",
    "nato": "north atlantic treaty organization",
    "kiev": "kyiv",
}

#: Type family of each spaCy type; mentions are only compared within a family.
FAMILIES = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "NORP": "NORP"}
#: Tie order when a name's mentions are split evenly between families.
_FAMILY_ORDER = ("PERSON", "ORG", "PLACE", "NORP", "OTHER")
#: The entity type a family's entities get when their mentions do not say.
_FAMILY_TYPE = {"PERSON": "PERSON", "ORG": "ORG", "PLACE": "GPE", "NORP": "NORP"}

#: British and American spellings of words that recur in names ("Ministry of
#: Defence", "Promises Treatment Centre"), folded word by word.
SPELLINGS = {
    "centre": "center",
    "theatre": "theater",
    "defence": "defense",
    "jewellery": "jewelry",
    "jewellers": "jewelers",
    "organisation": "organization",
    "programme": "program",
    "labour": "labor",
}
_TRANSLITERATION = (("yy", "y"), ("iy", "i"), ("ii", "i"), ("y", "i"), ("ck", "k"), ("kh", "h"), ("ie", "e"))
_ACRONYM = re.compile(
    r"(?P<full>(?:[A-Z][\w'’-]*[ \t]+(?:(?:of|for|and)[ \t]+(?:the[ \t]+)?)?){1,7}[A-Z][\w'’-]*)"
    r"[ \t]*\((?:known[ \t]+as[ \t]+)?(?P<acronym>[A-Z]{2,6})\)"
)
_TRAILING_ACRONYM = re.compile(r"^(?P<full>.+?)\s*\((?P<acronym>[A-Z]{2,6})\)$")
_TOKEN = re.compile(r"\S+")
#: Lowercase words after a name in a relay source ("Suspilne media", "Ukrainian intelligence").
_ROLE_TAIL = re.compile(r"(?:\s+[a-z]\w*)+$")


_APOSTROPHE = re.compile(r"['’ʼ]s\b|['’ʼ]")
_LEADING_THE = re.compile(r"^the\s+")
_NAME_WORD = re.compile(r"[\w.]+")
#: Folded names kept (:func:`fold` is pure and asked again for every mention, role word and
#: lookup of a story: 146k calls on 300 PolNeAR articles). The memo only saves time.
FOLD_MEMO = 1 << 16
#: Texts whose acronym definitions are kept (a corpus's articles between a story's part and
#: the merge). The memo only saves time.
DEFINITIONS_MEMO = 1 << 12


@lru_cache(maxsize=FOLD_MEMO)
def fold(name: str) -> str:
    """A name's folded key: spelling and transliteration variants meet."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _APOSTROPHE.sub("", text)
    text = _LEADING_THE.sub("", text.strip())
    text = " ".join(_NAME_WORD.findall(text)).strip(".")
    text = ALIASES.get(text, text)
    text = " ".join(SPELLINGS.get(word, word) for word in text.split())
    for old, new in _TRANSLITERATION:
        text = text.replace(old, new)
    return text


def _family(kind: str) -> str:
    return FAMILIES.get(kind, "OTHER")


def _close(x: str, y: str) -> bool:
    """Equal, or one edit apart when both are long enough."""
    if x == y:
        return True
    if min(len(x), len(y)) < FUZZY_MIN_LETTERS:
        return False
    return Levenshtein.distance(x, y, score_cutoff=1) <= 1


def _same_person(x: Sequence[str], y: Sequence[str]) -> bool:
    """Two full names (folded token lists) of one person: same length, every token alike."""
    return len(x) >= 2 and len(x) == len(y) and all(_close(a, b) for a, b in zip(x, y, strict=True))


def same_name(x: str, y: str) -> bool:
    """Whether two names, out of context, can name one entity: they fold alike, are
    full names whose tokens all fold alike (or one edit apart), one ends the
    other ("Lohan", "Lindsay Lohan"; "Lo Presti", "Gaetano Lo Presti"), or one is the
    acronym of the other by initials ("ECB", "European Central Bank"). Two
    full names sharing only a surname or a first name do not match. In a story the
    lone-surname case is further limited to a story naming one such person."""
    fx, fy = fold(x), fold(y)
    if not fx or not fy:
        return False
    if fx == fy or _acronym_of(x, y) or _acronym_of(y, x):
        return True
    tx, ty = fx.split(), fy.split()
    if len(tx) == len(ty):
        return _same_person(tx, ty)
    short, long_ = (tx, ty) if len(tx) < len(ty) else (ty, tx)
    if _CONJUNCTIONS & set(long_):  # "Italy and Egypt" names two places, neither one alone
        return False
    if _middle_names_added(short, long_):  # "Mark Heller" of "Mark Jay Heller"
        return True
    # "Lohan" of "Lindsay Lohan", "Lo Presti" of "Gaetano Lo Presti", "Sanjay Gupta" of "Dr Sanjay Gupta"
    return all(_close(a, b) for a, b in zip(short, long_[len(long_) - len(short) :], strict=True))


def _middle_names_added(short: Sequence[str], long_: Sequence[str]) -> bool:
    """The same first and last name, the longer form adding middle names or initials
    ("Mark Heller", "Mark Jay Heller"; "Richard Nixon", "Richard M. Nixon")."""
    if len(short) < 2 or not (_close(short[0], long_[0]) and _close(short[-1], long_[-1])):
        return False
    middle = iter(long_[1:-1])
    return all(any(_close(word, other) for other in middle) for word in short[1:-1])


def name_matches(query: str, names: Iterable[str]) -> bool:
    """Whether a search text names one of ``names``: its folded form is a word-wise
    part of a folded name ("umyerov" in "rustem umerov"), or ``same_name`` holds."""
    key = f" {fold(query)} "
    return bool(key.strip()) and any(key in f" {fold(n)} " or same_name(query, n) for n in names)


def _acronym_of(acronym: str, full: str) -> bool:
    letters = acronym.replace(".", "")
    if not (2 <= len(letters) <= 6 and letters.isupper() and letters.isalpha()):
        return False
    words = [w for w in re.findall(r"[\w'’-]+", full) if w.casefold() not in _ACRONYM_SKIP]
    return len(words) == len(letters) and all(w[:1].upper() == c for w, c in zip(words, letters, strict=True))


#: Words an acronym leaves out ("Main Intelligence Directorate" = GUR is defined in
#: text; "North Atlantic Treaty Organization" = NATO is in ALIASES).
_ACRONYM_SKIP = frozenset({"of", "for", "and", "the", "on", "in"})

#: Last words of a title or role written before a person's name ("Defense Minister
#: Rustem Umerov", "NSDC head Andriy Kovalenko"); the role then names that person
#: within the article. Written from the roles in the seeds and common newswire titles.
ROLE_WORDS = frozenset(
    {
        "minister", "president", "secretary", "chancellor", "director", "head", "chief",
        "spokesman", "spokeswoman", "spokesperson", "commander", "ambassador", "general",
        "governor", "mayor", "senator", "leader", "chairman", "chairwoman", "premier",
        "adviser", "advisor", "envoy", "prosecutor", "king", "queen", "pope",
    }
)  # fmt: skip
#: Up to four title words glued before a name, the last a role word.
_ROLE_BEFORE = re.compile(r"((?:[A-Za-z][\w-]*[ \t]+){1,4})$")


def roles(articles: Iterable[Article], entities: Sequence[Entity]) -> dict[str, dict[str, str]]:
    """Article -> folded role -> the one person entity the article gives it
    ("defense minister" -> Rustem Umerov, from "Defense Minister Rustem Umerov"); a
    role given to two people of one article is left out."""
    texts = {a.id: a.text for a in articles}
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for entity in entities:
        if entity.type != "PERSON":
            continue
        for m in entity.mentions:
            text = texts.get(m.article)
            before = _ROLE_BEFORE.search(text[max(0, m.start - 80) : m.start]) if text else None
            if before is None:
                continue
            words: list[str] = []
            for token in reversed(before.group(1).split()):  # the capitalised run before the name
                if not (token[:1].isupper() or fold(token) in ROLE_WORDS):
                    break
                words.insert(0, fold(token))
            while words and words[-1] not in ROLE_WORDS:  # "Minister Rustem" before "Umerov"
                words.pop()
            while words and words[0] in {"the", "a", "an", ""}:
                words.pop(0)
            if words:
                found[m.article][" ".join(words)].add(entity.id)
    return {
        article: {role: min(ids) for role, ids in held.items() if len(ids) == 1}
        for article, held in found.items()
    }


def role_holder(article_roles: dict[str, str], name: str) -> str | None:
    """The entity a role phrase names in its article ("the Defense Minister",
    "Ukraine's defense minister", "the minister" when only one minister is titled),
    or None."""
    words = fold(name).split()
    if not words or words[-1] not in ROLE_WORDS:
        return None
    exact = " ".join(words) in article_roles
    holders = {  # the exact title beats the shorter ones it contains, not the longer ones
        entity
        for role, entity in article_roles.items()
        if _same_role(role.split(), words) and not (exact and len(role.split()) < len(words))
    }
    return holders.pop() if len(holders) == 1 else None


def _same_role(role: list[str], words: list[str]) -> bool:
    """ "defense minister" names the "ukrainian defense minister"; so does "ukraine
    defense minister" (from "Ukraine's Defense Minister"): a place and its demonym
    qualify a role alike."""
    if _suffix(role, words) or _suffix(words, role):
        return True
    return (
        len(role) == len(words) >= 2
        and role[1:] == words[1:]
        and (demonym_of(role[0], words[0]) or demonym_of(words[0], role[0]))
    )


def _suffix(short: list[str], long_: list[str]) -> bool:
    return len(short) <= len(long_) and long_[len(long_) - len(short) :] == short


#: Demonyms that do not derive from the place's name by suffix.
DEMONYMS = {"american": "united states", "british": "united kingdom", "dutch": "netherlands"}
#: Demonym endings cut to find the place's stem ("Ukrainian" -> "ukra", "North Korean" -> "north korea").
_DEMONYM_ENDINGS = ("ian", "ean", "an", "ese", "ish", "i", "n")
#: The stem must keep this many letters, so that "Thai" cannot match "Taiwan".
_DEMONYM_MIN_STEM = 4


def demonym_of(demonym: str, place: str) -> bool:
    """Whether a nationality or group word names the people of a place ("North
    Korean" of North Korea, "Ukrainian" of Ukraine): related, not the same entity."""
    d, p = fold(demonym), fold(place)
    if d.endswith("s") and not d.endswith("ss"):  # "North Koreans"
        d = d[:-1]
    if DEMONYMS.get(d) == p:
        return True
    for ending in _DEMONYM_ENDINGS:
        stem = d[: -len(ending)] if d.endswith(ending) else ""
        if len(stem) >= _DEMONYM_MIN_STEM and p.startswith(stem) and len(p) - len(stem) <= 2:
            return True
    return False


def related_places(entities: Sequence[Entity]) -> dict[str, str]:
    """NORP entity id -> the place entity its people belong to (North Korean troops
    relate to North Korea); kept as a link, never merged."""
    places: dict[str, list[Entity]] = defaultdict(list)
    for entity in entities:
        if _family(entity.type) in {"PLACE", "ORG"}:  # spaCy often types a country ORG
            places[fold(entity.name)[:_DEMONYM_MIN_STEM]].append(entity)
    links: dict[str, str] = {}
    for entity in entities:
        if entity.type != "NORP":
            continue
        key = fold(DEMONYMS.get(fold(entity.name), entity.name))[:_DEMONYM_MIN_STEM]
        hits = [p for p in places.get(key, []) if demonym_of(entity.name, p.name)]
        in_place = [p.id for p in hits if _family(p.type) == "PLACE"]
        if len(in_place) == 1 or (not in_place and len(hits) == 1):
            links[entity.id] = in_place[0] if in_place else hits[0].id
    return links


#: One story's entity before the merge across stories: (family, folded canonical name, mentions).
StoryEntity = tuple[str, str, tuple[Mention, ...]]


class Resolve(Stage):
    """Entities from mentions; quote speakers and relay sources linked to them.

    Per story (``per_story``): a story's part is its entities (:func:`story_entities`),
    from its articles and mentions alone. The stories' entities of one family and folded
    canonical name are one entity (as :func:`merge_entities` joins them): ``settle``
    chooses each one's name and type from every story's tallies (spellings and types
    counted, never the mentions themselves); then each story gets its entities as its
    view shows them and its quote speakers and relay sources linked to them
    (``story_fields``), and ``combined`` joins each entity's mentions across stories.
    """

    name: ClassVar[str] = "resolve"
    requires: ClassVar[tuple[str, ...]] = ("articles", "mentions", "stories", "quotes", "relays")
    provides: ClassVar[tuple[str, ...]] = ("entities", "quotes", "relays")
    per_story: ClassVar[bool] = True
    reads: ClassVar[tuple[str, ...] | None] = ("articles", "mentions")

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        return self._linked(dossier, resolve(dossier.articles, dossier.mentions, dossier.stories))

    def story_part(self, view: Dossier) -> list[StoryEntity]:
        (story,) = view.stories
        acronyms = _acronyms(view.articles, view.story_of()).get(story.id, {})
        return story_entities(view.mentions, {a.id: a.text for a in view.articles}, acronyms)

    def kept_part(self, view: Dossier) -> list[StoryEntity]:
        """A story's entities as the previous run found them: each stored entity's
        mentions in the story are one of the story's entities (their keys are distinct)."""
        return [(_family(e.type), fold(_canonical(e.mentions)), e.mentions) for e in view.entities]

    def summary(self, part: list[StoryEntity]) -> list[tuple[str, str, _Tally | _One]]:
        """Of each of the story's entities, its key and the counts its name and type are
        chosen by (:func:`_counts`)."""
        return [(family, key, _counts(mentions)) for family, key, mentions in part]

    def settle(
        self, summaries: Iterable[list[tuple[str, str, _Tally | _One]]]
    ) -> dict[tuple[str, str], Identity]:
        """The id, name and type of each entity more than one story names, from the
        mentions of every story that names it: the stories' entities of one family and
        folded canonical name are one entity. An entity of one story alone (most of them)
        is settled by that story's own mentions, in :meth:`story_fields`.

        Two sweeps: the first spills the summaries to a temporary file and counts each
        key's stories (an 8-byte hash a key); the second folds in the tallies of the keys
        met more than once, so what is held grows with the corpus's shared entities, not
        with every entity (a hash shared by chance only settles a key here that its story
        would settle the same way)."""
        with Spill() as spilled:
            hashes = array("q")
            for summary in summaries:
                spilled.append(summary)
                hashes.extend(hash((family, key)) for family, key, _ in summary)
            values, counts = numpy.unique(numpy.frombuffer(hashes, dtype=numpy.int64), return_counts=True)
            del hashes
            shared = set(values[counts > 1].tolist())
            del values, counts
            tallies: dict[tuple[str, str], _Tally | _One] = {}
            for summary in spilled:
                for family, key, tally in summary:
                    if hash((family, key)) not in shared:
                        continue
                    held = tallies.get((family, key))
                    if held is None:
                        tallies[(family, key)] = tally  # a summary's own, made for settle alone
                    else:
                        if not isinstance(held, _Tally):
                            held = tallies[(family, key)] = _as_tally(held)
                        held.add(_as_tally(tally))
        settled: dict[tuple[str, str], Identity] = {}
        for family, key in list(tallies):  # each tally let go once its identity is known
            tally = tallies.pop((family, key))
            settled[(family, key)] = _as_tally(tally).identity(family)
        return settled

    def story_fields(
        self, view: Dossier, part: list[StoryEntity], settled: dict[tuple[str, str], Identity]
    ) -> dict[str, tuple[Any, ...]]:
        """The story's entities as its view shows them (each one's corpus-wide id, name and
        type, settled or, for an entity no other story names, its own; the story's
        mentions and spellings), and its quotes and relays linked to them."""
        entities = []
        for family, key, mentions in part:
            identity = settled.get((family, key))
            entity_id, name, kind = identity or _Tally.of(mentions).identity(family)
            aliases = tuple(sorted({m.text for m in mentions}))
            entities.append(Entity(id=entity_id, name=name, type=kind, aliases=aliases, mentions=mentions))
        return self._linked(view, tuple(sorted(entities, key=lambda e: (e.type, e.name, e.id))))

    def combined(self, name: str, records: list[Any]) -> tuple[Any, ...]:
        """Entities: each one's mentions and spellings from every story; quotes and relays
        in the corpus's order."""
        if name == "quotes":
            return tuple(sorted(records, key=lambda q: (q.article, q.start, q.end)))
        if name == "relays":
            return tuple(sorted(records, key=lambda r: (r.article, r.start, r.end, r.source)))
        seen: dict[str, list[Entity]] = defaultdict(list)
        for entity in records:
            seen[entity.id].append(entity)
        merged = (self.joined(name, shown) for shown in seen.values())
        return tuple(sorted(merged, key=lambda e: (e.type, e.name, e.id)))

    def joins(self, name: str) -> tuple[str, ...] | None:
        """Entities join each id's mentions from every story, sorted by (type, name, id)."""
        return ("type", "name", "id") if name == "entities" else None

    def sorts(self, name: str) -> tuple[str, ...] | None:
        """Quotes and relays are every story's, sorted by article and offsets (as ``combined``)."""
        return {"quotes": ("article", "start", "end"), "relays": ("article", "start", "end", "source")}.get(
            name
        )

    def joined(self, name: str, records: Sequence[Entity]) -> Entity:
        """One entity from the stories' views of it: every story's mentions and spellings."""
        if len(records) == 1:
            return records[0]
        return replace(
            records[0],
            aliases=tuple(sorted({a for e in records for a in e.aliases})),
            mentions=tuple(sorted((m for e in records for m in e.mentions), key=_mention_order)),
        )

    @staticmethod
    def _linked(
        dossier: Dossier, entities: tuple[Entity, ...], acronyms: dict[str, dict[str, str]] | None = None
    ) -> dict[str, tuple[Any, ...]]:
        story_of = dossier.story_of()
        lookup = _Lookup(
            entities, story_of, _acronyms(dossier.articles, story_of) if acronyms is None else acronyms
        )
        lookup.roles = roles(dossier.articles, entities)
        quotes = tuple(_link_quote(q, lookup) for q in dossier.quotes)
        relays = tuple(replace(r, entity=lookup.by_name(r.article, r.source)) for r in dossier.relays)
        return {"entities": entities, "quotes": quotes, "relays": relays}


def resolve(
    articles: Sequence[Article], mentions: Sequence[Mention], stories: Sequence[Story]
) -> tuple[Entity, ...]:
    """Entities of the mentions, sorted by (type, name, id)."""
    story_of = {aid: s.id for s in stories for aid in s.article_ids}
    texts = {a.id: a.text for a in articles}
    return merge_entities(_entities_by_story(mentions, texts, story_of, _acronyms(articles, story_of)))


def _entities_by_story(
    mentions: Sequence[Mention],
    texts: dict[str, str],
    story_of: dict[str, str],
    acronyms: dict[str, dict[str, str]],
) -> list[StoryEntity]:
    """Each story's entities (an article in no story is a story of its own)."""
    by_story: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_story[story_of.get(m.article, m.article)].append(m)
    return [
        entity
        for story, members in sorted(by_story.items())
        for entity in story_entities(members, texts, acronyms.get(story, {}))
    ]


def story_entities(
    mentions: Sequence[Mention], texts: dict[str, str], acronyms: dict[str, str]
) -> list[StoryEntity]:
    """The entities of one story's mentions, each with its family and folded canonical
    name as its key. Clusters of one key are one entity; since a union's canonical name
    may fold otherwise than its clusters' did, unions are keyed anew until every key is
    its own mentions' and no two are alike (so the stored entities of a story give back
    its part exactly: :meth:`Resolve.kept_part`)."""
    groups: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for family, members in _story_clusters(mentions, texts, acronyms):
        groups[(family, fold(_canonical(members)))].extend(members)
    while True:
        rekeyed: dict[tuple[str, str], list[Mention]] = defaultdict(list)
        for (family, _), members in groups.items():
            rekeyed[(family, fold(_canonical(members)))].extend(members)
        if rekeyed.keys() == groups.keys():
            break
        groups = rekeyed
    return [
        (family, key, tuple(sorted(ms, key=lambda m: (m.article, m.start, m.end))))
        for (family, key), ms in sorted(groups.items())
    ]


def merge_entities(entities: Iterable[StoryEntity]) -> tuple[Entity, ...]:
    """The stories' entities of one family and folded canonical name as one entity,
    sorted by (type, name, id)."""
    merged: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for family, key, members in entities:
        merged[(family, key)].extend(members)
    found = (
        _entity(family, sorted(ms, key=lambda m: (m.article, m.start, m.end)))
        for (family, _), ms in sorted(merged.items())
    )
    return tuple(sorted(found, key=lambda e: (e.type, e.name, e.id)))


def _acronyms(articles: Iterable[Article], story_of: dict[str, str]) -> dict[str, dict[str, str]]:
    """Story -> folded acronym -> folded full name, from definitions in its articles."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for article in sorted(articles, key=lambda a: a.id):
        for acronym, full in _definitions(article.text):
            story = story_of.get(article.id, article.id)
            found[story].setdefault(acronym, full)
    return found


@lru_cache(maxsize=DEFINITIONS_MEMO)
def _definitions(text: str) -> tuple[tuple[str, str], ...]:
    """(folded acronym, folded full name) of each definition in a text, in order. Asked for
    per story and again for the whole corpus when the stories merge."""
    return tuple((fold(m.group("acronym")), fold(m.group("full"))) for m in _ACRONYM.finditer(text))


def _story_clusters(
    mentions: Sequence[Mention], texts: dict[str, str], acronyms: dict[str, str]
) -> list[tuple[str, list[Mention]]]:
    """(family, mentions) of each entity of one story."""
    people = _Known(m for m in mentions if m.type == "PERSON")
    keyed: list[tuple[Mention, str, bool]] = []  # mention, key, is a person
    for m in mentions:
        trimmed = people.trim(m, texts.get(m.article))
        if trimmed is not None:
            keyed.append((trimmed, fold(trimmed.text), True))
        elif fold(m.text) and fold(m.text) not in PRONOUNS:  # "he" names no one by itself
            key = fold(m.text)
            keyed.append((m, acronyms.get(key, key), m.type == "PERSON"))
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for m, key, person in keyed:
        if not person:
            votes[key][_family(m.type)] += 1
    families: dict[str, list[tuple[Mention, str]]] = defaultdict(list)
    for m, key, person in keyed:
        if person:
            families["PERSON"].append((m, key))
        else:
            (family, _), *_ = sorted(votes[key].items(), key=lambda f: (-f[1], _FAMILY_ORDER.index(f[0])))
            families[family].append((m, key))
    clusters: list[tuple[str, list[Mention]]] = []
    for family, members in sorted(families.items()):
        root = _people_roots({key for _, key in members}) if family == "PERSON" else {}
        grouped: dict[str, list[Mention]] = defaultdict(list)
        for m, key in members:
            grouped[root.get(key, key)].append(m)
        clusters.extend((family, ms) for _, ms in sorted(grouped.items()))
    return clusters


class _Known:
    """The people a story names: folded full names and surnames of its PERSON mentions."""

    def __init__(self, people: Iterable[Mention]) -> None:
        keys = {fold(m.text) for m in people}
        self.full = sorted({tuple(k.split()) for k in keys if len(k.split()) >= 2})
        self.surnames = sorted({k.split()[-1] for k in keys if k})
        # the same names by length: only equal lengths can be one person, and only lengths
        # one apart can be one edit apart (:func:`_close`), so trim compares no others
        self.full_by_size: dict[int, list[tuple[str, ...]]] = defaultdict(list)
        for full in self.full:
            self.full_by_size[len(full)].append(full)
        self.surname_set = set(self.surnames)
        self.surnames_by_length: dict[int, list[str]] = defaultdict(list)
        for surname in self.surnames:
            self.surnames_by_length[len(surname)].append(surname)

    def _known_surname(self, key: str) -> bool:
        """``any(_close(key, s) for s in self.surnames)``, looking only where it can hold."""
        if key in self.surname_set:
            return True
        if len(key) < FUZZY_MIN_LETTERS:  # too short to be one edit from another name
            return False
        sizes = (len(key) - 1, len(key), len(key) + 1)
        near = (s for size in sizes for s in self.surnames_by_length.get(size, ()))
        return any(_close(key, s) for s in near)

    def trim(self, mention: Mention, text: str | None) -> Mention | None:
        """The person inside a mention with a role, title or place glued on, as a
        PERSON mention; the mention itself when it is a known full name spaCy typed
        otherwise; None when it names no known person this way."""
        if mention.type == "NORP":
            return None
        tokens = [t for t in _TOKEN.finditer(mention.text) if fold(t.group(0))]
        keys = [fold(t.group(0)) for t in tokens]
        if len(tokens) < 2 or not self._known_surname(keys[-1]):
            return None
        for size in range(len(tokens), 1, -1):  # the longest known full name ending the mention
            if any(_same_person(keys[-size:], full) for full in self.full_by_size.get(size, ())):
                return self._cut(mention, tokens[-size].start(), text)
        first = tokens[-2].group(0)
        if len(tokens) >= 3 and first[:1].isupper() and not first.isupper():
            # "... Ukraine Rustem Umyerov": a capitalised given name before a known surname
            return self._cut(mention, tokens[-2].start(), text)
        return None

    @staticmethod
    def _cut(mention: Mention, offset: int, text: str | None) -> Mention:
        start = mention.start + offset
        surface = text[start : mention.end] if text is not None else mention.text[offset:]
        return Mention(mention.article, start, mention.end, surface, "PERSON")


def _people_roots(keys: set[str]) -> dict[str, str]:
    """Folded person name -> the representative of its person, within one story."""
    forms = sorted(keys)
    uf = UnionFind(forms)
    tokens = {form: form.split() for form in forms}
    full = [f for f in forms if len(tokens[f]) >= 2]
    for i, x in enumerate(full):
        for y in full[i + 1 :]:
            short, long_ = sorted((tokens[x], tokens[y]), key=len)
            if _same_person(tokens[x], tokens[y]) or _middle_names_added(short, long_):
                uf.union(x, y)
    for single in (f for f in forms if len(tokens[f]) == 1):
        people = {uf.find(f) for f in full if _close(single, tokens[f][-1])}
        if len(people) == 1:  # a surname shared by two people stays apart
            uf.union(single, people.pop())
    return {form: uf.find(form) for form in forms}


def _canonical(mentions: Sequence[Mention]) -> str:
    return _canonical_of(Counter(m.text for m in mentions))


def _canonical_of(counts: Counter[str]) -> str:
    """The most complete, then most frequent, then alphabetically first surface form;
    a leading "the" adds nothing ("the FT" is no more complete than "FT")."""

    def rank(text: str) -> tuple[int, bool, int, str]:
        tokens = text.split()
        the = len(tokens) > 1 and tokens[0].casefold() == "the"
        return (-(len(tokens) - the), the, -counts[text], text)

    return min(counts, key=rank)


#: An entity's id, name and type.
Identity = tuple[str, str, str]


def _mention_order(m: Mention) -> tuple[str, int, int]:
    return (m.article, m.start, m.end)


@dataclass(slots=True)
class _Tally:
    """What an entity's name and type are chosen by: how often each spelling and each
    type occurs among its mentions, and where each type first occurs (a tie between
    types goes to the one met first in mention order, as ``Counter.most_common`` has it).
    Not a record: an accumulator, which :meth:`add` adds another's counts into."""

    texts: Counter[str]
    types: dict[str, tuple[int, tuple[str, int, int]]]  # type -> (count, first mention)

    @staticmethod
    def of(mentions: Sequence[Mention]) -> _Tally:
        types: dict[str, tuple[int, tuple[str, int, int]]] = {}
        for m in mentions:
            count, first = types.get(m.type, (0, _mention_order(m)))
            types[m.type] = (count + 1, min(first, _mention_order(m)))
        return _Tally(Counter(m.text for m in mentions), types)

    def add(self, other: _Tally) -> None:
        """Adds another's counts into this one's."""
        self.texts.update(other.texts)
        for kind, (count, first) in other.types.items():
            had, seen = self.types.get(kind, (0, first))
            self.types[kind] = (had + count, min(seen, first))

    def identity(self, family: str) -> Identity:
        """(type, canonical) is unique since the type tells the family and one family's
        entities have distinct folded canonical names."""
        name = _canonical_of(self.texts)
        ordered = sorted(self.types.items(), key=lambda item: item[1][1])  # first met first
        own = [(kind, count) for kind, (count, _) in ordered if _family(kind) == family]
        kind = _most(own) if own and family != "PERSON" else _FAMILY_TYPE.get(family, "")
        if not kind:  # OTHER family with no own type cannot happen: its keys voted for it
            kind = _most([(kind, count) for kind, (count, _) in ordered])
        return stable_id("e", kind, name), name, kind


#: The tally of mentions all of one spelling and one type, as a tuple: (spelling, type,
#: count, first mention), where a :class:`_Tally` holds a Counter and a dict. Most of a
#: corpus's entities are such (bench/scale.py's corpus: 194,559 entities in 31,500
#: articles). 100,000 entities, 80 % named once, swept as the engine does: 1,162 bytes an
#: entity at the sweep's peak with a _Tally each, 571 with these; 89,244 entities, 75 % in
#: one story: 533 bytes an entity holding every one's tally, 83 with only the shared ones'.
_One = tuple[str, str, int, tuple[str, int, int]]


def _counts(mentions: Sequence[Mention]) -> _Tally | _One:
    """The mentions' tally: a :data:`_One` when they share one spelling and one type."""
    if mentions and len({(m.text, m.type) for m in mentions}) == 1:
        return (mentions[0].text, mentions[0].type, len(mentions), min(map(_mention_order, mentions)))
    return _Tally.of(mentions)


def _as_tally(tally: _Tally | _One) -> _Tally:
    """The tally itself, or the one a :data:`_One` stands for (a new one)."""
    if isinstance(tally, _Tally):
        return tally
    text, kind, count, first = tally
    return _Tally(Counter({text: count}), {kind: (count, first)})


def _most(counts: list[tuple[str, int]]) -> str:
    """The most frequent, the first of those tied."""
    return max(counts, key=lambda item: item[1])[0] if counts else ""


def _entity(family: str, mentions: list[Mention]) -> Entity:
    entity_id, name, kind = _Tally.of(mentions).identity(family)
    return Entity(
        id=entity_id,
        name=name,
        type=kind,
        aliases=tuple(sorted({m.text for m in mentions})),
        mentions=tuple(mentions),
    )


class _Lookup:
    """Find the entity a speaker or source names, in its article or story."""

    def __init__(
        self, entities: Sequence[Entity], story_of: dict[str, str], acronyms: dict[str, dict[str, str]]
    ) -> None:
        self.spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        self.names: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.story_of = story_of
        self.acronyms = acronyms
        self.types = {entity.id: entity.type for entity in entities}
        self.roles: dict[str, dict[str, str]] = {}  # article -> folded role -> person entity
        for entity in entities:
            for m in entity.mentions:
                story = story_of.get(m.article, m.article)
                if (
                    entity.type != "NORP"
                ):  # a nationality word inside "Ukrainian intelligence" speaks for no one
                    self.spans[m.article].append((m.start, m.end, entity.id))
                key = fold(m.text)
                self.names[(story, self.acronyms.get(story, {}).get(key, key))].add(entity.id)
                if entity.type == "PERSON" and len(key.split()) > 1:  # "Kovalenko" names him too
                    self.names[(story, key.split()[-1])].add(entity.id)

    def by_span(self, article: str, start: int, end: int) -> str | None:
        hits = sorted({e for s, t, e in self.spans[article] if s < end and start < t})
        return hits[0] if len(hits) == 1 else None

    def by_name(self, article: str, name: str) -> str | None:
        """The one entity of the article's story that ``name`` (or, for "Full Name
        (ACR)", its full name or acronym) folds to; None when none or several."""
        story = self.story_of.get(article, article)
        defined = self.acronyms.get(story, {})
        match = _TRAILING_ACRONYM.match(name)
        candidates = [match.group("full"), match.group("acronym")] if match else [name]
        head = _ROLE_TAIL.sub("", name)
        for candidate in candidates:
            found = self._one(story, defined, candidate)
            if found:
                return found
        # "Suspilne media" is Suspilne; but "Ukrainian intelligence" is not the nationality
        if head != name:
            found = self._one(story, defined, head)
            if found and self.types[found] != "NORP":
                return found
        return role_holder(self.roles.get(article, {}), name)  # "the Defense Minister"

    def _one(self, story: str, defined: dict[str, str], name: str) -> str | None:
        key = fold(name)
        ids = self.names.get((story, defined.get(key, key)), set())
        return next(iter(ids)) if len(ids) == 1 else None


def _link_quote(quote: Quote, lookup: _Lookup) -> Quote:
    if quote.speaker is None:
        return quote
    entity = None
    if quote.speaker_start is not None and quote.speaker_end is not None:
        entity = lookup.by_span(quote.article, quote.speaker_start, quote.speaker_end)
    entity = entity or lookup.by_name(quote.article, quote.speaker)
    return replace(quote, speaker_entity=entity)
