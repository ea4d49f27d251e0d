"""The clustering rules of bench/coref.py: ECB+ gold entity mentions of one topic
into entities (``resolver_clusters``) and event mentions into events
(``event_clusters``). Names go through the resolver's ``fold`` and ``same_name``;
common nouns, pronouns, times and the event grouping of documents are rules of the
bench, since the resolve stage sees only spaCy's names. See bench/coref.py."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from newsweave.resolve import fold, same_name
from newsweave.unionfind import UnionFind

Record = dict[str, Any]

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
LEADING = frozenset(
    [
        "the",
        "a",
        "an",
        "on",
        "in",
        "at",
        "of",
        "to",
        "from",
        "by",
        "for",
        "with",
        "about",
        "around",
        "between",
        "into",
        "near",
    ]
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


def family(mention: Record) -> str:
    kind = str(mention["type"])
    if kind == "HUMAN_PART_PER":
        return "PER"
    for prefix, name in (("HUMAN", "HUM"), ("LOC", "LOC"), ("TIME", "TIM")):
        if kind.startswith(prefix):
            return name
    return "NON"


def _words(mention: Record) -> list[str]:
    return str(mention["text"]).split()


def _last(mention: Record) -> str:
    return _words(mention)[-1].lower()


def is_pronoun(mention: Record) -> bool:
    return len(_words(mention)) == 1 and _last(mention) in PRONOUNS


def is_name(mention: Record, common: frozenset[str] = frozenset()) -> bool:
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
    ("Felt" of Mark Felt, "Gray" of Kimani Gray)."""
    lower: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    for text in texts:
        for sentence in text.split("\n"):
            words = sentence.split()
            for i, word in enumerate(words):
                if word.islower():
                    lower[word] += 1
                elif i > 0 and word[:1].isupper() and not word.isupper():
                    inside[word.lower()] += 1
    return frozenset(w for w, n in lower.items() if n > inside[w])


def _common_head(mention: Record) -> bool:
    """A description with a name in it ("Mafia boss", "Brooklyn mother", "Kraft
    plant"): its head word is lowercase, so it is a common noun phrase."""
    words = name_text(mention).split()
    return len(words) >= 2 and words[-1].islower() and words[-1].isalpha()


def name_text(mention: Record) -> str:
    """The mention's head phrase: leading prepositions and determiners off, cut
    before a comma or a preposition that starts a modifier ("Promises Treatment
    Center in Malibu , California" -> "Promises Treatment Center"; "a branch of the
    Marfin bank" -> "branch"; "Bank of America" stays); for a person, the run of
    capitalised words ending the name, titles and suffixes off ("Dr . Sanjay Gupta",
    "MacArthur fellow Regina Benjamin", "Regina Benjamin , MD", "Arcade Joseph
    Comeaux Jr")."""
    words = _words(mention)
    words = _strip_leading(words)
    for i, word in enumerate(words[1:], start=1):
        low = word.lower()
        if word in {",", "(", ";", ":"} or low in CUT_BEFORE or (low == "of" and words[i - 1][:1].islower()):
            words = words[:i]
            break
    words = _strip_leading(words)
    if family(mention) == "PER":  # a nickname in quotes or brackets is no part of the name
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


def _union_by_key(uf: UnionFind[str], mentions: list[Record], key: Callable[[Record], Hashable]) -> None:
    first: dict[Hashable, str] = {}
    for m in mentions:
        k = key(m)
        if k in first:
            uf.union(first[k], m["mention_id"])
        else:
            first[k] = m["mention_id"]


def _union_names(uf: UnionFind[str], names: list[Record]) -> None:
    """Names of one topic, by the resolver's rules, within blocks of (family,
    first letters of the folded last word)."""
    blocks: dict[tuple[str, str], list[tuple[Record, str]]] = defaultdict(list)
    by_initials: dict[tuple[str, str], list[Record]] = defaultdict(list)
    times: dict[Hashable, list[Record]] = defaultdict(list)
    for m in names:
        text = name_text(m)
        key = fold(text)
        if key:
            if family(m) == "TIM":
                times[noun_key(m)].append(m)
                continue
            blocks[(family(m), key.split()[-1][:3])].append((m, text))
            words = [w for w in text.split() if w.lower() not in {"of", "and", "the", "for"}]
            if len(words) >= 2:
                by_initials[(family(m), "".join(w[0].upper() for w in words))].append(m)
    for same_day in times.values():
        for m in same_day[1:]:
            uf.union(same_day[0]["mention_id"], m["mention_id"])
    for block in blocks.values():
        exact: dict[str, str] = {}
        for m, text in block:
            exact.setdefault(fold(text), m["mention_id"])
            uf.union(exact[fold(text)], m["mention_id"])
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
            docs_of[fold(text)].add(m["doc_id"])
        for m, text in block:
            single = fold(text)
            if len(single.split()) != 1:
                continue
            # the full name with that last word in the mention's own document, else in the topic
            candidates = [f for f in full if same_name(single, f)]
            here = {uf.find(exact[f]) for f in candidates if m["doc_id"] in docs_of[f]}
            owners = here or {uf.find(exact[f]) for f in candidates}
            if len(owners) == 1:  # a last word shared by two entities joins neither
                uf.union(m["mention_id"], owners.pop())
    by_first: dict[tuple[str, str], set[str]] = defaultdict(set)  # non-people: "Promises" and
    for m in names:  # "Promises Treatment Center", "Betty Ford" and "Betty Ford Center"
        key = fold(name_text(m))
        if key and family(m) != "PER":
            by_first[(family(m), key.split()[0])].add(key)
    ids = {(family(m), fold(name_text(m))): m["mention_id"] for m in names}
    for (kind, _), keys in by_first.items():
        for short in sorted(keys):
            longer = {uf.find(ids[(kind, k)]) for k in keys if k != short and k.startswith(short + " ")}
            if len(longer) == 1:
                uf.union(ids[(kind, short)], longer.pop())
    for m in names:  # "GUR", "FBI": an acronym joins the one name with those initials
        text = name_text(m)
        if text.isupper() and text.isalpha():
            owners = {uf.find(o["mention_id"]) for o in by_initials.get((family(m), text), [])}
            if len(owners) == 1:
                uf.union(m["mention_id"], owners.pop())


def _compatible(pronoun: Record, other: Record) -> bool:
    need = PRONOUNS[_last(pronoun)]
    if need == "ANY":
        return True
    if need == "PER":
        return family(other) == "PER"
    if need == "HUM":
        return family(other) in {"PER", "HUM"}
    if need == "NON":  # "it" is a thing or an organisation ("Microsoft said it ...")
        return family(other) in {"NON", "HUM"}
    return family(other) == need


#: What may stand between a title and a name, or a name and its appositive.
APPOSITIVE_GAPS = frozenset([",", "the", "a", "an", "former"])
docs_text: dict[str, str] = {}  # doc id -> text, filled by main
doc_events: dict[str, list[Record]] = defaultdict(list)  # doc id -> its event mentions, by main
#: Words at most between an entity and the event it is an argument of ("the actress
#: checked into", "Lohan checks into", "Lohan has checked into").
ARGUMENT_GAP_WORDS = 1


#: Day and month names: a time mention naming one is keyed by it ("early Friday",
#: "Friday night" and "on Friday" are one day within one event).
CALENDAR = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)


def day_of(mention: Record) -> str | None:
    """The day a time mention names: its weekday ("early Friday", "Friday night",
    "on Friday , Dec. 5"), else its month and day ("Dec . 6", "December 6th"), else None."""
    words = re.findall(r"[a-z]+|\d+", mention["text"].lower())
    for word in words:
        if word in WEEKDAYS:
            return word
    for i, word in enumerate(words):
        month = MONTH_NAMES.get(word)
        near = [w for w in words[max(0, i - 1) : i + 3] if w.isdigit() and 1 <= int(w) <= 31]
        if month and near:
            return f"{month} {int(near[0])}"
    return None


WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
#: Month names and abbreviations ("Dec . 6" is "December 6").
MONTH_NAMES = {
    **{name: name for name in CALENDAR - WEEKDAYS},
    **{name[:3]: name for name in CALENDAR - WEEKDAYS},
    "sept": "september",
}


def _is_quantity(mention: Record) -> bool:
    """A number or time with a digit or a spelled number ("Two", "eight years")."""
    words = mention["text"].lower().split()
    return bool(re.search(r"\d", mention["text"])) or (any(w in NUMBERS and w != "one" for w in words))


def quantity_key(mention: Record) -> Hashable:
    """A number's whole folded text within its event group; a date by its day name."""
    key = noun_key(mention)
    if family(mention) == "TIM" and key[-1] in CALENDAR:
        return key
    words = re.findall(r"[a-z]+|\d+(?:[.:]\d+)?", name_text(mention).lower())
    spelled = [NUMBERS.get(w, w) for w in words if w not in DETERMINERS]
    return ("#", doc_group.get(mention["doc_id"], 0), family(mention), " ".join(map(stem, spelled)))


#: Number words, spelled as digits so that "eight years" meets "8 - year".
NUMBERS = {
    w: str(n)
    for n, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}


def noun_key(mention: Record) -> Hashable:
    words = [w.lower() for w in name_text(mention).split()]
    day = [w for w in words if w in CALENDAR] if family(mention) == "TIM" else []
    head = day[0] if day else stem(words[-1])
    return (family(mention), doc_group.get(mention["doc_id"], 0), head)


#: Average cosine of TF-IDF word vectors two groups of a topic's documents need to be
#: one group (one event); tuned on the train topics' subtopics.
SAME_EVENT_COSINE = 0.05
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "and",
        "on",
        "for",
        "at",
        "by",
        "with",
        "from",
        "is",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "that",
        "this",
        "it",
        "its",
        "he",
        "she",
        "they",
        "his",
        "her",
        "their",
        "as",
        "said",
        "says",
        "will",
        "would",
        "not",
        "but",
        "or",
        "are",
        "who",
        "which",
    ]
)
doc_group: dict[str, int] = {}  # doc id -> its group (one event) within its topic


def event_groups(doc_ids: Iterable[str]) -> dict[str, int]:
    """Documents of one topic grouped by event: average-link clustering of their
    TF-IDF word vectors, stopping below ``SAME_EVENT_COSINE``. Two events of one
    topic share their kind of entities ("the actress", "Friday") but not the entities."""
    ids = sorted(doc_ids)
    words = {d: [w.lower() for w in re.findall(r"[A-Za-z]{3,}", docs_text[d])] for d in ids}
    df = Counter(w for d in ids for w in set(words[d]))
    vectors: dict[str, dict[str, float]] = {}
    for d in ids:
        tf = Counter(w for w in words[d] if w not in _STOP)
        v = {w: (1 + math.log(c)) * math.log(len(ids) / df[w]) for w, c in tf.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors[d] = {w: x / norm for w, x in v.items() if x}
    sim = {(a, b): sum(x * vectors[b].get(w, 0.0) for w, x in vectors[a].items()) for a in ids for b in ids}
    groups = [[d] for d in ids]
    while len(groups) > 1:
        best, i, j = max(
            (sum(sim[(a, b)] for a in x for b in y) / (len(x) * len(y)), i, j)
            for i, x in enumerate(groups)
            for j, y in enumerate(groups)
            if i < j
        )
        if best < SAME_EVENT_COSINE:
            break
        groups[i] += groups.pop(j)
    return {d: n for n, group in enumerate(groups) for d in group}


def resolver_clusters(mentions: list[Record]) -> list[set[str]]:
    """Entity clusters of one topic (see the module docstring)."""
    uf: UnionFind[str] = UnionFind(m["mention_id"] for m in mentions)
    doc_group.clear()
    doc_group.update(event_groups({m["doc_id"] for m in mentions}))
    common = lowercase_words(docs_text[d] for d in {m["doc_id"] for m in mentions})
    quantities = [
        m
        for m in mentions
        if not is_pronoun(m) and _is_quantity(m) and (family(m) == "TIM" or not is_name(m, common))
    ]  # "Philadelphia 76ers", "MS08-078" are names
    quantity_ids = {m["mention_id"] for m in quantities}
    names = [
        m
        for m in mentions
        if is_name(m, common) and m["mention_id"] not in quantity_ids and not _common_head(m)
    ]
    name_ids = {m["mention_id"] for m in names}
    nouns = [m for m in mentions if not is_pronoun(m) and m["mention_id"] not in name_ids | quantity_ids]
    _union_names(uf, names)
    _union_by_key(uf, quantities, quantity_key)
    noun_ids = {m["mention_id"] for m in nouns}
    titles: dict[Hashable, set[str]] = defaultdict(set)  # noun key -> named entities it titles
    by_doc: dict[str, list[Record]] = defaultdict(list)
    for m in mentions:
        by_doc[m["doc_id"]].append(m)
    for doc in by_doc.values():
        doc.sort(key=lambda m: (m["start"], m["end"]))
        for left, right in itertools.pairwise(doc):  # "actress Lindsay Lohan", "Lohan , the actress"
            gap = docs_text[left["doc_id"]][left["end"] : right["start"]]
            words = gap.split()
            if (
                family(left) != family(right)
                or len(gap) > 12
                or not all(w in APPOSITIVE_GAPS or w.isdigit() for w in words)
            ):
                continue
            pair = {left["mention_id"] in name_ids: left, right["mention_id"] in name_ids: right}
            if pair.get(True) is left and not gap.strip():
                continue  # "Windows patch", "Microsoft spokesman": a modifier, not an appositive
            if len(pair) == 2 and pair[False]["mention_id"] in noun_ids:
                titles[noun_key(pair[False])].add(uf.find(pair[True]["mention_id"]))
    for m in names:  # "actress Lindsay Lohan", "Attorney Mark Jay Heller" as one mention
        words, name = _words(m), name_text(m).split()
        before = words[: len(words) - len(name)] if words[len(words) - len(name) :] == name else []
        if before and before[-1][:1].isalpha() and before[-1].lower() not in LEADING | DETERMINERS:
            group = doc_group.get(m["doc_id"], 0)
            titles[(family(m), group, stem(before[-1]))].add(uf.find(m["mention_id"]))
    attached: set[str] = set()
    _union_by_key(  # "on Friday", "Friday night", "Dec . 5" / "December 5" within one event group
        uf,
        [m for m in mentions if family(m) == "TIM" and day_of(m)],
        lambda m: (doc_group.get(m["doc_id"], 0), day_of(m)),
    )
    for doc in by_doc.values():
        attached |= _attach_nominals(uf, doc, name_ids, noun_ids, titles)
    _resolve_pronouns(uf, by_doc, name_ids)
    pronouns = [m for m in mentions if is_pronoun(m)]
    attached |= _attach_by_arguments(uf, nouns, names, pronouns, attached)
    named_heads: dict[Hashable, set[str]] = defaultdict(set)  # "the center" of the group's one
    for m in names:  # "... Center" when no document says more
        named_heads[noun_key(m)].add(uf.find(m["mention_id"]))
    for m in nouns:
        if m["mention_id"] not in attached and len(named_heads.get(noun_key(m), ())) == 1:
            uf.union(next(iter(named_heads[noun_key(m)])), m["mention_id"])
            attached.add(m["mention_id"])
    loose = [m for m in nouns if m["mention_id"] not in attached]
    _union_by_key(uf, loose, noun_key)
    owners: dict[Hashable, set[str]] = defaultdict(set)  # a head attached to one entity in the
    for m in nouns:  # event group: its loose mentions there join that entity
        if m["mention_id"] in attached:
            owners[noun_key(m)].add(uf.find(m["mention_id"]))
    for m in loose:
        if len(owners.get(noun_key(m), ())) == 1:
            uf.union(next(iter(owners[noun_key(m)])), m["mention_id"])
    return _groups(uf, mentions)


def _resolve_pronouns(uf: UnionFind[str], by_doc: dict[str, list[Record]], name_ids: set[str]) -> None:
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
                before = [o for o in before if o["mention_id"] in name_ids] or before
            target = before[-1] if before else (after[0] if after else None)
            if target is not None:
                uf.union(target["mention_id"], m["mention_id"])


def _attach_nominals(
    uf: UnionFind[str],
    doc: list[Record],
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
    named: dict[str, list[Record]] = defaultdict(list)  # family -> named mentions
    done: set[str] = set()
    for m in doc:
        if m["mention_id"] in name_ids:
            named[family(m)].append(m)
    for m in doc:
        if m["mention_id"] not in noun_ids:
            continue
        pool = named.get(family(m), [])
        if not pool:
            continue
        head = noun_key(m)
        by_head = {uf.find(o["mention_id"]) for o in pool if noun_key(o) == head}
        roots = {uf.find(o["mention_id"]) for o in pool}
        titled = {r for r in roots if r in {uf.find(t) for t in titles.get(head, ())}}
        for found in (by_head, titled):
            if len(found) == 1:
                uf.union(found.pop(), m["mention_id"])
                done.add(m["mention_id"])
                break
            if found:
                break
    return done


def event_clusters(mentions: list[Record]) -> list[set[str]]:
    """Event mentions of one topic sharing the folded stem of their head word within
    one event group of documents."""
    groups = event_groups({m["doc_id"] for m in mentions})
    return key_clusters(mentions, lambda m: (groups[m["doc_id"]], event_head(m)))


#: Particles and prepositions ending a phrasal event ("checks into", "gunned down").
PARTICLES = frozenset(
    ["into", "in", "out", "up", "down", "off", "on", "over", "away", "back", "to", "of", "for"]
)


def event_head(mention: Record) -> str:
    """The folded stem of an event mention's head: its last word, or the word before
    a trailing particle ("checked into" -> "check")."""
    words = [w.lower() for w in _words(mention)]
    while len(words) > 1 and words[-1] in PARTICLES:
        words.pop()
    return stem(words[-1])


def argument_of(mention: Record) -> Hashable | None:
    """The event a mention is the subject or object of, by adjacency in its sentence:
    (side, event group, folded stem of the event's head), or None."""
    text = docs_text[mention["doc_id"]]
    best: tuple[int, Hashable] | None = None
    for e in doc_events.get(mention["doc_id"], []):
        if e["sentence"] != mention["sentence"]:
            continue
        if e["start"] >= mention["end"]:
            gap, side = text[mention["end"] : e["start"]], "subject"
        elif e["end"] <= mention["start"]:
            gap, side = text[e["end"] : mention["start"]], "object"
        else:
            continue
        words = gap.split()
        if len(words) <= ARGUMENT_GAP_WORDS and not any(w in {",", ";", ":", "."} for w in words):
            key = (side, doc_group.get(mention["doc_id"], 0), event_head(e))
            if best is None or len(words) < best[0]:
                best = (len(words), key)
    return best[1] if best else None


def _attach_by_arguments(
    uf: UnionFind[str], nouns: list[Record], names: list[Record], pronouns: list[Record], attached: set[str]
) -> set[str]:
    """A common noun joins the one named entity of its family that is the same
    argument of the same event in its event group ("the actress checked into" and
    "Lohan checks into"): the joint entity/event evidence of cross-document
    coreference, with events clustered by their head. Returns the nouns attached."""
    owners: dict[tuple[str, Hashable], set[str]] = defaultdict(set)
    named = {uf.find(m["mention_id"]) for m in names}
    for m in [*names, *pronouns]:  # "she checked into" once "she" is Lohan
        role = argument_of(m)
        if role is not None and uf.find(m["mention_id"]) in named:
            owners[(family(m), role)].add(uf.find(m["mention_id"]))
    done: set[str] = set()
    unnamed: dict[tuple[str, Hashable], str] = {}
    for m in nouns:
        role = argument_of(m)
        if m["mention_id"] in attached or role is None:
            continue
        found = owners.get((family(m), role), set())
        if len(found) == 1:
            uf.union(next(iter(found)), m["mention_id"])
            done.add(m["mention_id"])
        elif not found:  # nouns with an event argument no name holds: one entity
            first = unnamed.setdefault((family(m), role), m["mention_id"])
            uf.union(first, m["mention_id"])
    return done


def _groups(uf: UnionFind[str], mentions: list[Record]) -> list[set[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        groups[uf.find(m["mention_id"])].add(m["mention_id"])
    return list(groups.values())


def key_clusters(mentions: list[Record], key: Callable[[Record], Hashable]) -> list[set[str]]:
    groups: dict[Hashable, set[str]] = defaultdict(set)
    for m in mentions:
        groups[key(m)].add(m["mention_id"])
    return list(groups.values())
