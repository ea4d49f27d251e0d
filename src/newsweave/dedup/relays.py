"""Relays: the reports an article says it repeats.

"according to the FT", "The New York Times writes", "told Reuters", "via
Ukrinform", "(MENAFN- UkrinForm)", "Bloomberg, citing its own sources,
reported"; "X, citing Y" gives both X and Y, so a chain keeps both links. Each
relay carries the source as written and the attributing phrase's span in the
article's clean text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Article, Relay

# --------------------------------------------------------------------- relays

#: A named source: capitalised words (with "of", "for" inside), an optional "the"
#: before, an optional "(ACRONYM)" and role word after. Lowercase nouns ("the
#: agreement", "the report") are not sources.
_CAP = r"[A-Z](?:[\w'’-]|\.(?=\w))*"  # a capitalised word; a dot only inside ("U.S")
#: A title or an initial with its dot, inside a name ("Mr. Obama", "Dennis B. Ross",
#: "U.S. officials"): without it, PolNeAR's "according to Mr. Obama" gave "Mr".
_ABBREVIATION = r"(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Prof|Lt|Col|Sgt|St|[A-Z](?:\.[A-Z])*)\.(?=[ \t]+[A-Z])"
_WORD = rf"(?:{_ABBREVIATION}|{_CAP})"
_NAME = (
    rf"(?:[Tt]he[ \t]+)?(?P<src>{_WORD}(?:[ \t]+(?:of[ \t]+|for[ \t]+)?{_WORD}){{0,5}}"
    r"(?:[ \t]+\([A-Z]{2,6}\))?"
    r"(?:[ \t]+(?:intelligence|officials?|media|military|government|ministry|agency|police|army|newspaper))?)"
)
_NAME2 = _NAME.replace("?P<src>", "?P<src2>")
#: Lowercase nouns that are sources after "according to" / "citing" ("according to
#: US officials", "citing people familiar", "according to a New York Times/CBS News
#: poll"): people who speak and the counts they publish. Read off PolNeAR's train
#: split (the gold sources of its "according to" attributions); nouns for documents
#: ("the report", "the agreement") are left out: in news they mostly refer back to a
#: report named before, or are not a source at all.
_SOURCE_NOUNS = (
    r"(?:sources|officials|official|insiders|aides|advisers|people|analysts|experts|diplomats|"
    r"investigators|prosecutors|witnesses|residents|spokesman|spokeswoman|spokesperson|"
    r"intelligence|polls?|surveys?|study|studies|data|figures|estimates|census|records|documents)"
)
#: An adverb between a source and its verb ("Bloomberg also reported", "Pate also told").
_ADVERB = r"(?:[ \t]+(?:also|later|previously|earlier|first|recently|originally))?"
_RELAY_PATTERNS = (
    # according to X, citing X, via X, reported by X, told X, ...
    re.compile(
        rf"\b(?:[Aa]ccording\s+to|[Cc]iting|[Vv]ia|[Rr]eported\s+by|[Ww]ith\s+reference\s+to|[Ii]nformed|told|[Ii]n\s+an\s+interview\s+with)\s+{_NAME}"
    ),
    # X reported / writes; X, citing Y, wrote (both links); X, citing its own sources, reports
    re.compile(
        rf"\b{_NAME}(?:,\s+citing\s+(?:{_NAME2}|(?:its|their)\s+own\s+sources),?)?{_ADVERB}\s+(?:reported|reports|writes|wrote)\b"
    ),
    # writes X (inverted: "..., writes the FT")
    re.compile(rf"\b(?:writes|wrote|reports|reported)\s+{_NAME}"),
    # X told Y (Y a name): Y's report, and X whom it quotes -- both links of the chain
    re.compile(
        rf"\b{_NAME}(?:[ \t]+\([^()\n]{{1,20}}\))?(?:,[^,.;:\n]{{1,120}})?,?{_ADVERB}\s+told\s+{_NAME2}"
    ),
    # a report in a named outlet: "according to a new article in Politico"
    re.compile(
        r"\b(?:[Aa]ccording\s+to|[Cc]iting)\s+(?:the|a|an)\s+(?:[a-z-]+\s+){0,2}?"
        rf"(?:article|report|story|interview|analysis|investigation|editorial)\s+(?:in|by|from|on)\s+{_NAME}"
    ),
    # sources that are not names: "according to US officials", "citing unnamed sources"
    re.compile(
        r"\b(?:[Aa]ccording\s+to|[Cc]iting|[Ww]ith\s+reference\s+to)\s+(?!(?:its|their|his|her)\s+own\b)"
        r"(?:(?:the|a|an|some|several|many|two|three|four|unnamed|anonymous)[ \t]+)?"
        rf"(?P<src>(?:[\w/'’-]+[ \t]+){{0,4}}?{_SOURCE_NOUNS})\b"
    ),
    # a syndication tag: "(MENAFN- UkrinForm)"
    re.compile(r"\(MENAFN-\s*(?P<src>[^)]+?)\s*\)"),
)
#: Per pattern of :data:`_RELAY_PATTERNS`, words one of which every match holds (empty: none
#: that is rare enough to tell). The patterns that start at any name cost most (300 PolNeAR
#: articles: 0.9 of 1.3 s) and most articles hold none of their verbs.
_NEEDS: tuple[tuple[str, ...], ...] = (
    (),
    ("report", "writes", "wrote"),
    ("writes", "wrote", "report"),
    ("told",),
    ("ccording", "iting"),
    ("ccording", "iting", "reference"),
    ("(MENAFN-",),
)
#: Capitalised words that open a sentence or clause before a name ("Yesterday
#: Reuters reported", "This Reuters ..."): cut from the front of a source, and a
#: source made only of them ("They reported", "Meanwhile reports") is no source.
# fmt: off
_OPENERS = frozenset([
    "a", "after", "also", "an", "and", "another", "as", "at", "but", "earlier", "for", "he", "her",
    "his", "i", "in", "it", "its", "last", "later", "meanwhile", "moreover", "my", "next", "now",
    "on", "our", "she", "since", "so", "that", "their", "then", "there", "these", "they", "this",
    "those", "thus", "today", "tonight", "we", "yesterday", "you", "your", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday",
])
# fmt: on
#: A nationality word ("according to Ukrainian sources", "with reference to Ukrainian
#: and American officials") is a modifier, not a source, when a lowercase word follows.
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:ian|ean|can|ese|ish)")
#: A possessive is a modifier, not the source ("Trump's reported ties", "citing Trump's
#: remarks"); a credit line names who took a picture, not a report ("via Getty Images").
_NOT_A_SOURCE = re.compile(r".*(?:['’]s|\b(?:Images|Photos?|Pictures))")
#: Day names after a source are when, not who ("told CNBC Saturday").
_TRAILING_DAY = re.compile(r"(?:[ \t]+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))+$")
_LOWERCASE_NEXT = re.compile(r"[ \t]+[a-z]")


def find_relays(article: Article) -> list[Relay]:
    """The named reports an article repeats, with the attributing phrase's span."""
    text = article.text
    relays: dict[tuple[int, int, str], Relay] = {}
    for pattern, needs in zip(_RELAY_PATTERNS, _NEEDS, strict=True):
        if needs and not any(word in text for word in needs):
            continue  # no word the pattern must match: it cannot match (and is costly to try)
        for match in pattern.finditer(text):
            start = match.start()
            for group in ("src", "src2"):
                if match.groupdict().get(group) is None:
                    continue
                source, source_start = _without_openers(match.group(group), match.start(group))
                if source is None:
                    continue
                if _DEMONYM.fullmatch(source) and _LOWERCASE_NEXT.match(text, match.end(group)):
                    continue
                source = _TRAILING_DAY.sub("", source)
                if _NOT_A_SOURCE.fullmatch(source):
                    continue
                if source_start > match.start(group) and match.start(group) - start <= len("the "):
                    start = source_start  # openers cut from the phrase's front: start at the source
                relay = Relay(article.id, source, text[start : match.end()], start, match.end())
                relays.setdefault((relay.start, relay.end, source), relay)
    return _tightest(relays.values())


def _tightest(relays: Iterable[Relay]) -> list[Relay]:
    """One relay per mention of a source: of overlapping phrases naming the same source
    ("Ukrayinska Pravda, citing the FT, wrote" and "citing the FT"), the shortest."""
    kept: list[Relay] = []
    for relay in sorted(relays, key=lambda r: (r.end - r.start, r.start, r.source)):
        if not any(k.source == relay.source and k.start < relay.end and relay.start < k.end for k in kept):
            kept.append(relay)
    return kept


def _without_openers(source: str, start: int) -> tuple[str | None, int]:
    """The source with its leading opener words cut off, and where it now starts."""
    for word in re.finditer(r"\S+", source):
        if word.group(0).casefold().strip(",") not in _OPENERS:
            return source[word.start() :].strip(" ,."), start + word.start()
    return None, start
