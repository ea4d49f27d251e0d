"""Cross-document coreference of given mention spans.

A user who already has mention spans (gold annotations, or another tool's
mentions) gets them clustered into entities and events the way newsweave does:
``cluster_mentions(documents, mentions)`` takes the texts of a set of documents
about one topic and their :class:`SpanMention` records, and returns clusters of
mention ids. Names are compared with the ``resolve`` stage's ``fold`` and
``same_name``; common nouns, pronouns, times and events follow the rules below
(tuned on the ECB+ train topics, bench/coref.py):

* the documents are first grouped by event (TF-IDF average link, names weighed
  more, a lone document joined to its nearest group; ``event_groups``): two
  similar events of one topic share their kind of entities ("the actress",
  "Friday") but not the entities. Names meet across all the
  documents; common nouns, times and events only within a group;
* names (a capitalised word other than a pronoun, determiner or common word; not
  a description with a lowercase head such as "Mafia boss") meet by the
  resolver's folded key, by ``same_name`` on full names, by acronym, and a lone
  last word joins the full name ending in it only when the documents have one
  such full name (never merge two people on a shared surname); blocked by
  family and the first letters of the folded last word;
* times naming a weekday, or a month and a day, are that day, and a time naming
  both ("Tuesday , July 27 , 2004") ties the two ("Tuesday", "July 27"); two days
  of one month stay apart; other quantities meet on their whole folded text,
  numbers spelled as digits;
* a place a class noun names with "of" is that place ("the town of Dargahan",
  "the Persian Gulf island of Qeshm");
* a description of two words or more written as a name is elsewhere, bar case
  and hyphens ("surgeon-general", "Surgeon General"), joins that name;
* a common noun joins a named entity of its family: in its document the one whose
  name ends in its head ("the center"), or the one its event group titles so
  ("actress Tara Reid", "Reid , the actress"); else the one that is the same
  argument of the same event in the group ("the actress checked into" / "Lohan
  checks into", events by head, arguments by adjacency; a name written right
  before another mention, "IE bug", only modifies it and holds no argument);
  else the group's one named entity with that head. Nouns left over meet on their head within the
  group, or on the event argument they share;
* pronouns join the nearest compatible mention before them in their document
  ("he"/"she"/"its" the last named one; "who" whatever precedes it; "I"/"we" none);
* events meet on the folded stem of their head (a trailing particle off) within
  an event group.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .coref_groups import event_groups
from .resolve import fold, same_name
from .unionfind import UnionFind

#: The type families of a mention: a person, a group of people, a place, a time,
#: another thing (an organisation, an object), and an event.
FAMILIES = frozenset(["PER", "HUM", "LOC", "TIM", "NON", "EVENT"])


@dataclass(frozen=True)
class SpanMention:
    """One mention span to cluster: ``start``/``end`` are character offsets into
    its document's text, ``sentence`` the index of its sentence there, ``family``
    one of :data:`FAMILIES` ("EVENT" for an event mention); ``head``, for an event,
    its head word or lemma when the caller knows it (else its last word, a trailing
    particle off, is taken)."""

    id: str
    doc_id: str
    sentence: int
    start: int
    end: int
    text: str
    family: str
    head: str | None = None

    def __post_init__(self) -> None:
        if self.family not in FAMILIES:
            raise ValueError(
                f"SpanMention {self.id}: family {self.family!r} is not one of {sorted(FAMILIES)}"
            )
        if not self.text.split():
            raise ValueError(f"SpanMention {self.id}: empty text")


@dataclass(frozen=True)
class _Span(SpanMention):
    """A mention with the event group of its document."""

    group: int = 0


@dataclass(frozen=True)
class _Topic:
    """What the rules see besides the mentions: texts and event mentions by document."""

    texts: Mapping[str, str]
    events: Mapping[str, Sequence[_Span]] = field(default_factory=dict)


def cluster_mentions(documents: Mapping[str, str], mentions: Iterable[SpanMention]) -> list[frozenset[str]]:
    """Clusters of the ids of ``mentions`` (entities and events, never mixed;
    every mention in exactly one cluster, singletons kept) across ``documents``
    (doc id -> text; the documents of one topic or story). Deterministic."""
    given = list(mentions)
    missing = {m.doc_id for m in given} - documents.keys()
    if missing:
        raise ValueError(f"cluster_mentions: no text for documents {sorted(missing)}")
    if len({m.id for m in given}) != len(given):
        raise ValueError("cluster_mentions: mention ids are not unique")
    groups = event_groups(documents)
    spans = [_Span(**{**m.__dict__, "group": groups[m.doc_id]}) for m in given]
    entities = [m for m in spans if m.family != "EVENT"]
    events = [m for m in spans if m.family == "EVENT"]
    by_doc: dict[str, list[_Span]] = defaultdict(list)
    for e in events:
        by_doc[e.doc_id].append(e)
    topic = _Topic(texts=documents, events=by_doc)
    clusters = _entity_clusters(entities, topic) if entities else []
    clusters += key_clusters(events, lambda m: (m.group, event_head(m)))
    return [frozenset(c) for c in clusters]


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


#: Pronoun -> the type family it may refer to ("ANY": whatever came before).
PRONOUNS = {
    **dict.fromkeys(
        ["he", "him", "his", "himself", "she", "her", "hers", "herself", "who", "whom", "whose"], "PER"
    ),
    **dict.fromkeys(
        ["they", "them", "their", "theirs", "themselves"],
        "HUM",
    ),
    **dict.fromkeys(["we", "us", "our", "i", "me", "my", "you", "your"], "SPEAKER"),
    **dict.fromkeys(["it", "its", "itself"], "NON"),
    **dict.fromkeys(["there", "where", "here"], "LOC"),
    **dict.fromkeys(["then", "when"], "TIM"),
    **dict.fromkeys(["which", "that", "this", "these", "those"], "ANY"),
}
#: Besides "he"/"she"/"him"/"her", pronouns that name the last *named* compatible
#: mention rather than a nearer common noun ("its" after "the patch" is still
#: Microsoft's); measured on the ECB+ train topics.
NAMED_FIRST = frozenset(["its"])
#: Relative pronouns: they name the mention right before them.
RELATIVES = frozenset(["who", "whom", "whose", "which", "that"])
#: Leading words that are not part of a name ("on Friday", "at the Betty Ford Center").
LEADING = _wordset(
    """
    the a an on in at of to from by for with about around between into near
    """
)
DETERMINERS = frozenset(
    ["the", "a", "an", "his", "her", "their", "its", "this", "that", "these", "those", "our", "my", "your"]
)
#: Prepositions that start a modifier after a head ("store in central Paris").
CUT_BEFORE = frozenset(
    ["in", "at", "near", "on", "off", "from", "outside", "inside", "between", "into", "with", "for"]
)
#: Titles before a person's name and suffixes after it, left out of the name.
HONORIFICS = frozenset(
    ["dr", "mr", "mrs", "ms", "miss", "sen", "gov", "rep", "prof", "sir", "coach", "president"]
)
NAME_SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "md", "phd", "m.d", "m", "d", "b", "a"])
_SUFFIXES = ("ings", "ing", "ied", "ies", "ed", "es", "s", "ment", "ion")


def _words(mention: SpanMention) -> list[str]:
    return str(mention.text).split()


def _last(mention: SpanMention) -> str:
    return _words(mention)[-1].lower()


def is_pronoun(mention: SpanMention) -> bool:
    return len(_words(mention)) == 1 and _last(mention) in PRONOUNS


def is_name(mention: SpanMention, common: frozenset[str] = frozenset()) -> bool:
    """A capitalised word other than a pronoun or determiner, and (given the words
    written in lowercase elsewhere in the topic) not a common word capitalised at a
    sentence start or in a headline ("Police", "Yesterday", "MAN")."""
    return not is_pronoun(mention) and any(
        w[:1].isupper()
        and w.lower() not in PRONOUNS
        and w.lower() not in DETERMINERS
        and w.lower() not in common
        for w in name_text(mention).split()
    )


def lowercase_words(texts: Iterable[str]) -> frozenset[str]:
    """Words the topic's texts write in lowercase more often than capitalised inside
    a sentence: common words ("police", "yesterday"), not names that are also words
    ("Felt" of Mark Felt, "Gray" of Kimani Gray) nor acronyms ("IE" of Internet
    Explorer, written "ie" twice); a headline all in capitals does not count."""
    lower: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    for text in texts:
        for sentence in text.split("\n"):
            words = sentence.split()
            shouted = not any(w.islower() for w in words)  # a headline in capitals
            for i, word in enumerate(words):
                if word.islower():
                    lower[word] += 1
                elif i > 0 and word[:1].isupper() and not (shouted and word.isupper()):
                    inside[word.lower()] += 1
    return frozenset(w for w, n in lower.items() if n > inside[w])


def _common_head(mention: SpanMention) -> bool:
    """A description with a name in it ("Mafia boss", "Brooklyn mother", "Kraft
    plant"): its head word is lowercase, so it is a common noun phrase."""
    words = name_text(mention).split()
    return len(words) >= 2 and words[-1].islower() and words[-1].isalpha()


def name_text(mention: SpanMention) -> str:
    """The mention's head phrase: leading prepositions and determiners off, cut
    before a comma or a preposition that starts a modifier ("Promises Treatment
    Center in Malibu , California" -> "Promises Treatment Center"; "a branch of the
    Marfin bank" -> "branch"; "Bank of America" stays); for a person, the run of
    capitalised words ending the name, titles and suffixes off ("Dr . Sanjay Gupta",
    "MacArthur fellow Regina Benjamin", "Regina Benjamin , MD", "Arcade Joseph
    Comeaux Jr")."""
    words = _strip_leading(_words(mention))
    for i, word in enumerate(words[1:], start=1):
        low = word.lower()
        if (
            mention.family == "LOC"
            and low == "of"
            and words[i - 1].isalpha()
            and words[i - 1].islower()
            and words[i + 1 : i + 2]
            and words[i + 1][:1].isupper()
        ):  # "the island of Qeshm", "her hometown of Wasilla": the place is the name
            words = words[i + 1 :]
            break
    for i, word in enumerate(words[1:], start=1):
        low = word.lower()
        if word in {",", "(", ";", ":"} or low in CUT_BEFORE or (low == "of" and words[i - 1][:1].islower()):
            words = words[:i]
            break
    words = _strip_leading(words)
    if mention.family == "PER":  # a nickname in quotes or brackets is no part of the name
        words = _NICKNAME.sub(" ", f" {' '.join(words)} ").split() or words
        while len(words) > 1 and (words[-1].lower().strip(".") in NAME_SUFFIXES or words[-1] == "."):
            words = words[:-1]
        start = len(words)
        while (
            start > 0
            and words[start - 1][:1].isupper()
            and words[start - 1].lower().strip(".") not in HONORIFICS
        ):
            start -= 1
        if start < len(words):
            words = words[start:]
    return " ".join(words)


_NICKNAME = re.compile(r"\s(?:[\"“][^\"”]*[\"”]|'[^']*'|\([^)]*\))(?=\s)")


def _strip_leading(words: list[str]) -> list[str]:
    while len(words) > 1 and words[0].lower() in LEADING:
        words = words[1:]
    return words


def stem(word: str) -> str:
    """A crude stem: one inflection off, then a final "e", so that "pirate" and
    "pirates", "release" and "released" meet."""
    key = fold(word)
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= 3:
            key = key[: -len(suffix)]
            break
    return key[:-1] if key.endswith("e") and len(key) > 3 else key


def _union_by_key(uf: UnionFind[str], mentions: list[_Span], key: Callable[[_Span], Hashable]) -> None:
    first: dict[Hashable, str] = {}
    for m in mentions:
        k = key(m)
        if k in first:
            uf.union(first[k], m.id)
        else:
            first[k] = m.id


def _union_by_keys(
    uf: UnionFind[str], mentions: list[_Span], keys: Callable[[_Span], list[Hashable]]
) -> None:
    """Mentions sharing any of their keys meet."""
    first: dict[Hashable, str] = {}
    for m in mentions:
        for k in keys(m):
            uf.union(first.setdefault(k, m.id), m.id)


def _union_names(uf: UnionFind[str], names: list[_Span]) -> None:
    """Names of one topic, by the resolver's rules, within blocks of (family,
    first letters of the folded last word)."""
    blocks: dict[tuple[str, str], list[tuple[_Span, str]]] = defaultdict(list)
    by_initials: dict[tuple[str, str], list[_Span]] = defaultdict(list)
    times: dict[Hashable, list[_Span]] = defaultdict(list)
    for m in names:
        text = name_text(m)
        key = fold(text)
        if key:
            if m.family == "TIM":
                times[(m.group, day_of(m)) if day_of(m) else noun_key(m)].append(m)
                continue
            blocks[(m.family, key.split()[-1][:3])].append((m, text))
            words = [w for w in text.split() if w.lower() not in {"of", "and", "the", "for"}]
            if len(words) >= 2:
                by_initials[(m.family, "".join(w[0].upper() for w in words))].append(m)
    for same_day in times.values():
        for m in same_day[1:]:
            uf.union(same_day[0].id, m.id)
    for block in blocks.values():
        exact: dict[str, str] = {}
        for m, text in block:
            exact.setdefault(fold(text), m.id)
            uf.union(exact[fold(text)], m.id)
        forms = sorted(exact)
        full = [f for f in forms if len(f.split()) >= 2]
        for i, x in enumerate(full):
            for y in full[i + 1 :]:
                if same_name(x, y):
                    uf.union(exact[x], exact[y])
        for x in full:  # "actress Lindsay Lohan" ends in the known "Lindsay Lohan": the resolver's trim
            words = x.split()
            for size in range(len(words) - 1, 1, -1):
                if " ".join(words[-size:]) in exact:
                    uf.union(exact[x], exact[" ".join(words[-size:])])
                    break
        docs_of: dict[str, set[str]] = defaultdict(set)  # folded form -> documents naming it
        for m, text in block:
            docs_of[fold(text)].add(m.doc_id)
        for m, text in block:
            single = fold(text)
            if len(single.split()) != 1:
                continue
            # the full name with that last word in the mention's own document, else in the topic
            candidates = [f for f in full if same_name(single, f)]
            here = {uf.find(exact[f]) for f in candidates if m.doc_id in docs_of[f]}
            owners = here or {uf.find(exact[f]) for f in candidates}
            if len(owners) == 1:  # a last word shared by two entities joins neither
                uf.union(m.id, owners.pop())
    by_first: dict[tuple[str, str], set[str]] = defaultdict(set)  # non-people: "Promises" and
    for m in names:  # "Promises Treatment Center", "Betty Ford" and "Betty Ford Center"
        key = fold(name_text(m))
        if key and m.family != "PER":
            by_first[(m.family, key.split()[0])].add(key)
    ids = {(m.family, fold(name_text(m))): m.id for m in names}
    for (kind, _), keys in by_first.items():
        for short in sorted(keys):
            longer = {uf.find(ids[(kind, k)]) for k in keys if k != short and k.startswith(short + " ")}
            if len(longer) == 1:
                uf.union(ids[(kind, short)], longer.pop())
    for m in names:  # "GUR", "FBI": an acronym joins the one name with those initials
        text = name_text(m)
        if text.isupper() and text.isalpha():
            owners = {uf.find(o.id) for o in by_initials.get((m.family, text), [])}
            if len(owners) == 1:
                uf.union(m.id, owners.pop())


def _compatible(pronoun: _Span, other: _Span) -> bool:
    need = PRONOUNS[_last(pronoun)]
    if need == "ANY":
        return True
    if need == "PER":
        return other.family == "PER"
    if need == "HUM":
        return other.family in {"PER", "HUM"}
    if need == "NON":  # "it" is a thing or an organisation ("Microsoft said it ...")
        return other.family in {"NON", "HUM"}
    return other.family == need


#: What may stand between a title and a name, or a name and its appositive.
APPOSITIVE_GAPS = frozenset([",", "the", "a", "an", "former"])
#: Words at most between an entity and the event it is an argument of ("the actress
#: checked into", "Lohan checks into", "Lohan has checked into").
ARGUMENT_GAP_WORDS = 1


#: Day and month names: a time mention naming one is keyed by it ("early Friday",
#: "Friday night" and "on Friday" are one day within one event).
CALENDAR = _wordset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december
    """
)


def day_of(mention: SpanMention) -> str | None:
    """The day a time mention names: its weekday ("early Friday", "Friday night",
    "on Friday , Dec. 5"), else its month and day ("Dec . 6", "December 6th"), else None."""
    days = days_of(mention)
    return days[0] if days else None


def days_of(mention: SpanMention) -> list[str]:
    """Every name of the day a time mention names, weekday first: "on Tuesday ,
    December 9 , 2008" is both "tuesday" and "december 9"."""
    words: list[str] = re.findall(r"[a-z]+|\d+", mention.text.lower())
    days = [w for w in words if w in WEEKDAYS][:1]
    for i, word in enumerate(words):
        month = MONTH_NAMES.get(word)
        near = [w for w in words[max(0, i - 1) : i + 3] if w.isdigit() and 1 <= int(w) <= 31]
        if month and near:
            days.append(f"{month} {int(near[0])}")
            break
    return days


WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
#: Month names and abbreviations ("Dec . 6" is "December 6").
MONTH_NAMES = {
    **{name: name for name in CALENDAR - WEEKDAYS},
    **{name[:3]: name for name in CALENDAR - WEEKDAYS},
    "sept": "september",
}


def _is_quantity(mention: SpanMention) -> bool:
    """A number or time with a digit or a spelled number ("Two", "eight years")."""
    words = mention.text.lower().split()
    return bool(re.search(r"\d", mention.text)) or (any(w in NUMBERS and w != "one" for w in words))


def quantity_key(mention: _Span) -> Hashable:
    """A number's whole folded text within its event group; a date by its day name."""
    key = noun_key(mention)
    if mention.family == "TIM" and key[-1] in CALENDAR:
        day = day_of(mention)
        return (mention.group, day) if day else key
    words = re.findall(r"[a-z]+|\d+(?:[.:]\d+)?", name_text(mention).lower())
    spelled = [NUMBERS.get(w, w) for w in words if w not in DETERMINERS]
    return ("#", mention.group, mention.family, " ".join(map(stem, spelled)))


#: Number words, spelled as digits so that "eight years" meets "8 - year".
NUMBERS = {
    w: str(n)
    for n, w in enumerate(
        """
        zero one two three four five six seven eight nine ten eleven twelve thirteen
        fourteen fifteen sixteen seventeen eighteen nineteen twenty
        """.split()  # noqa: SIM905
    )
}


def noun_key(mention: _Span) -> tuple[str, int, str]:
    words = [w.lower() for w in name_text(mention).split()]
    day = [w for w in words if w in CALENDAR] if mention.family == "TIM" else []
    head = day[0] if day else stem(words[-1])
    return (mention.family, mention.group, head)


def _entity_clusters(mentions: list[_Span], topic: _Topic) -> list[set[str]]:
    """Entity clusters of one topic (see the module docstring)."""
    uf: UnionFind[str] = UnionFind(m.id for m in mentions)
    common = lowercase_words(topic.texts.values())
    quantities = [
        m
        for m in mentions
        if not is_pronoun(m) and _is_quantity(m) and (m.family == "TIM" or not is_name(m, common))
    ]  # "Philadelphia 76ers", "MS08-078" are names
    quantity_ids = {m.id for m in quantities}
    names = [m for m in mentions if is_name(m, common) and m.id not in quantity_ids and not _common_head(m)]
    name_ids = {m.id for m in names}
    nouns = [m for m in mentions if not is_pronoun(m) and m.id not in name_ids | quantity_ids]
    _union_names(uf, names)
    _union_by_key(uf, quantities, quantity_key)
    noun_ids = {m.id for m in nouns}
    titles: dict[Hashable, set[str]] = defaultdict(set)  # noun key -> named entities it titles
    by_doc: dict[str, list[_Span]] = defaultdict(list)
    for m in mentions:
        by_doc[m.doc_id].append(m)
    for doc in by_doc.values():
        doc.sort(key=lambda m: (m.start, m.end))
        for left, right in itertools.pairwise(doc):  # "actress Lindsay Lohan", "Lohan , the actress"
            gap = topic.texts[left.doc_id][left.end : right.start]
            words = gap.split()
            if (
                left.family != right.family
                or len(gap) > 12
                or not all(w in APPOSITIVE_GAPS or w.isdigit() for w in words)
            ):
                continue
            pair = {left.id in name_ids: left, right.id in name_ids: right}
            if pair.get(True) is left and not gap.strip():
                continue  # "Windows patch", "Microsoft spokesman": a modifier, not an appositive
            if len(pair) == 2 and pair[False].id in noun_ids:
                titles[noun_key(pair[False])].add(uf.find(pair[True].id))
    for m in names:  # "actress Lindsay Lohan", "Attorney Mark Jay Heller" as one mention
        words, name = _words(m), name_text(m).split()
        before = words[: len(words) - len(name)] if words[len(words) - len(name) :] == name else []
        if before and before[-1][:1].isalpha() and before[-1].lower() not in LEADING | DETERMINERS:
            group = m.group
            titles[(m.family, group, stem(before[-1]))].add(uf.find(m.id))
    attached: set[str] = set()
    _union_spelled_as_names(uf, nouns, names)
    _union_by_keys(  # "on Friday", "Friday night", "Dec . 5" / "December 5", and "Friday , Dec. 5"
        uf,  # is both, within one event group
        [m for m in mentions if m.family == "TIM"],
        lambda m: [(m.group, day) for day in days_of(m)],
    )
    for doc in by_doc.values():
        attached |= _attach_nominals(uf, doc, name_ids, noun_ids, titles)
    _resolve_pronouns(uf, by_doc, name_ids)
    pronouns = [m for m in mentions if is_pronoun(m)]
    modifiers = _modifiers(by_doc, topic.texts)
    holders = [m for m in names if m.id not in modifiers]
    attached |= _attach_by_arguments(uf, nouns, holders, pronouns, attached, topic)
    named_heads: dict[Hashable, set[str]] = defaultdict(set)  # "the center" of the group's one
    for m in names:  # "... Center" when no document says more
        named_heads[noun_key(m)].add(uf.find(m.id))
    for m in nouns:
        if m.id not in attached and len(named_heads.get(noun_key(m), ())) == 1:
            uf.union(next(iter(named_heads[noun_key(m)])), m.id)
            attached.add(m.id)
    loose = [m for m in nouns if m.id not in attached]
    _union_by_key(uf, loose, noun_key)
    owners: dict[Hashable, set[str]] = defaultdict(set)  # a head attached to one entity in the
    for m in nouns:  # event group: its loose mentions there join that entity
        if m.id in attached:
            owners[noun_key(m)].add(uf.find(m.id))
    for m in loose:
        if len(owners.get(noun_key(m), ())) == 1:
            uf.union(next(iter(owners[noun_key(m)])), m.id)
    return _groups(uf, mentions)


def _resolve_pronouns(uf: UnionFind[str], by_doc: dict[str, list[_Span]], name_ids: set[str]) -> None:
    """Each pronoun joins the nearest compatible mention before it in its document
    (after it when none): "he"/"she" the last person named, over "the judge"; "who"
    whatever comes right before it; "I" and "we" stay unresolved (the speaker of a
    quote, not the last name)."""
    for doc in by_doc.values():
        for i, m in enumerate(doc):
            if not is_pronoun(m):
                continue
            before = [o for o in doc[:i] if not is_pronoun(o) and _compatible(m, o)]
            after = [o for o in doc[i + 1 :] if not is_pronoun(o) and _compatible(m, o)]
            if PRONOUNS[_last(m)] == "SPEAKER":  # "I", "we": the speaker of a quote, not the last name
                continue
            word = _last(m)
            if (PRONOUNS[word] == "PER" and word not in RELATIVES) or word in NAMED_FIRST:
                before = [o for o in before if o.id in name_ids] or before
            target = before[-1] if before else (after[0] if after else None)
            if target is not None:
                uf.union(target.id, m.id)


def _attach_nominals(
    uf: UnionFind[str],
    doc: list[_Span],
    name_ids: set[str],
    noun_ids: set[str],
    titles: dict[Hashable, set[str]],
) -> set[str]:
    """Within one document, a common noun joins the named entity it describes:
    one whose name ends in the noun's head ("the center" of "Betty Ford Center"),
    else the one named entity of the document its event group titles so ("the
    actress" where "actress Tara Reid" or "Reid , the actress" was written). Being
    the document's only named person is not enough (measured: about one such noun
    in three names someone else, "the judge", "her lawyer"). Returns the nouns
    attached."""
    named: dict[str, list[_Span]] = defaultdict(list)  # family -> named mentions
    done: set[str] = set()
    for m in doc:
        if m.id in name_ids:
            named[m.family].append(m)
    for m in doc:
        if m.id not in noun_ids:
            continue
        pool = named.get(m.family, [])
        if not pool:
            continue
        head = noun_key(m)
        by_head = {uf.find(o.id) for o in pool if noun_key(o) == head}
        roots = {uf.find(o.id) for o in pool}
        titled = {r for r in roots if r in {uf.find(t) for t in titles.get(head, ())}}
        for found in (by_head, titled):
            if len(found) == 1:
                uf.union(found.pop(), m.id)
                done.add(m.id)
                break
            if found:
                break
    return done


#: Particles and prepositions ending a phrasal event ("checks into", "gunned down").
PARTICLES = frozenset(
    ["into", "in", "out", "up", "down", "off", "on", "over", "away", "back", "to", "of", "for"]
)


def event_head(mention: SpanMention) -> str:
    """The folded stem of an event mention's head: its last word, or the word before
    a trailing particle ("checked into" -> "check")."""
    if mention.head:
        return stem(mention.head.lower())
    words = [w.lower() for w in _words(mention)]
    while len(words) > 1 and words[-1] in PARTICLES:
        words.pop()
    return stem(words[-1])


def argument_of(mention: _Span, topic: _Topic) -> Hashable | None:
    """The event a mention is the subject or object of, by adjacency in its sentence:
    (side, event group, folded stem of the event's head), or None."""
    text = topic.texts[mention.doc_id]
    best: tuple[int, Hashable] | None = None
    for e in topic.events.get(mention.doc_id, ()):
        if e.sentence != mention.sentence:
            continue
        if e.start >= mention.end:
            gap, side = text[mention.end : e.start], "subject"
        elif e.end <= mention.start:
            gap, side = text[e.end : mention.start], "object"
        else:
            continue
        words = gap.split()
        if len(words) <= ARGUMENT_GAP_WORDS and not any(w in {",", ";", ":", "."} for w in words):
            key = (side, mention.group, event_head(e))
            if best is None or len(words) < best[0]:
                best = (len(words), key)
    return best[1] if best else None


def _union_spelled_as_names(uf: UnionFind[str], nouns: list[_Span], names: list[_Span]) -> None:
    """A description of two words or more written as a name of the topic is, bar
    case and hyphens ("surgeon general", "surgeon-general", "Mafia boss" where
    "Surgeon General", "Mafia Boss" are names), joins that name's entity when only
    one entity has it. The noun still takes part in the rules after this one (its
    head, its event argument), which tie it to the rest of its entity."""

    def key(m: _Span) -> tuple[str, str]:
        return (m.family, fold(name_text(m).replace("-", " ")))

    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in names:
        if len(key(m)[1].split()) >= SPELLED_AS_NAME_WORDS:
            owners[key(m)].add(uf.find(m.id))
    for m in nouns:
        found = owners.get(key(m), set())
        if len(found) == 1:
            uf.union(next(iter(found)), m.id)


#: The fewest words of a description matched to a name by spelling: one word
#: ("police" / "Police", "rehab" / "Rehab") is too often a common word capitalised
#: at a headline or sentence start (ECB+ train CoNLL 0.7896 with two, 0.7883 with one).
SPELLED_AS_NAME_WORDS = 2


def _modifiers(by_doc: Mapping[str, list[_Span]], texts: Mapping[str, str]) -> set[str]:
    """Mentions written right before another entity mention, nothing between them
    ("IE bug", "Microsoft spokesman"): they modify that mention, so the event it is
    an argument of ("fixes IE bug") is not theirs. ``by_doc`` is sorted by offset."""
    found: set[str] = set()
    for doc in by_doc.values():
        for left, right in itertools.pairwise(doc):
            if left.end <= right.start and not texts[left.doc_id][left.end : right.start].strip(" "):
                found.add(left.id)
    return found


def _attach_by_arguments(
    uf: UnionFind[str],
    nouns: list[_Span],
    names: list[_Span],
    pronouns: list[_Span],
    attached: set[str],
    topic: _Topic,
) -> set[str]:
    """A common noun joins the one named entity of its family that is the same
    argument of the same event in its event group ("the actress checked into" and
    "Lohan checks into"): the joint entity/event evidence of cross-document
    coreference, with events clustered by their head. Returns the nouns attached."""
    owners: dict[tuple[str, Hashable], set[str]] = defaultdict(set)
    named = {uf.find(m.id) for m in names}
    for m in [*names, *pronouns]:  # "she checked into" once "she" is Lohan
        role = argument_of(m, topic)
        if role is not None and uf.find(m.id) in named:
            owners[(m.family, role)].add(uf.find(m.id))
    done: set[str] = set()
    unnamed: dict[tuple[str, Hashable], str] = {}
    for m in nouns:
        role = argument_of(m, topic)
        if m.id in attached or role is None:
            continue
        found = owners.get((m.family, role), set())
        if len(found) == 1:
            uf.union(next(iter(found)), m.id)
            done.add(m.id)
        elif not found:  # nouns with an event argument no name holds: one entity
            first = unnamed.setdefault((m.family, role), m.id)
            uf.union(first, m.id)
    return done


def _groups(uf: UnionFind[str], mentions: list[_Span]) -> list[set[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        groups[uf.find(m.id)].add(m.id)
    return list(groups.values())


def key_clusters(mentions: list[_Span], key: Callable[[_Span], Hashable]) -> list[set[str]]:
    groups: dict[Hashable, set[str]] = defaultdict(set)
    for m in mentions:
        groups[key(m)].add(m.id)
    return list(groups.values())
