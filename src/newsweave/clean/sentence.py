"""One sentence judged as a line a reader could take on its own (a timeline's entry).

Clean keeps an article's paragraphs whole; a paragraph's first sentence often still
carries page furniture glued to it by the crawl: a wire dateline ("CAIRO (Reuters) -",
"WASHINGTON --", "JERUSALEM | Mon Oct 31, 2011 8:02 pm GMT JERUSALEM (Reuters) -", a page's stamp
"Friday 14 January 2005 02.44 GMT", a live blog's "(Update 9:45 p.m. Cairo, 2:45 p.m. ET)"),
and some sentences are furniture altogether: a reader's "X wrote:", a photo credit, a
question to the reader, a headline without function words. :func:`news_sentence` strips
the first and refuses the rest, on plain-text features only (no outlet's layout).
"""

from __future__ import annotations

import re

from .text import is_prose

#: A dateline or stamp is cut only when it ends this early in the sentence: the crawl glues
#: at most a headline (and a standfirst) before it, up to about 165 characters in the
#: Timeline17 Guardian pages and 80 in the Reuters ones.
DATELINE_MAX_END = 200
#: A sentence of more words than this is several run together (a caption, a headline and
#: a lede with no stop between them), not one statement; Timeline17's gold sentences
#: are 8-40 words long with few exceptions.
NEWS_MAX_WORDS = 45

#: A place (optionally with its state or country) and the outlet in brackets,
#: then a dash: "CAIRO (Reuters) -", "ATLANTA, Georgia (CNN) --", "BEIRUT (AP) —".
_WIRE_DATELINE = re.compile(
    r"(?:^|\s)[A-Z][A-Za-z.'-]+(?:[ ,]+[A-Za-z.'-]+){0,3}\s*\([A-Z][A-Za-z.&' ]{1,30}\)\s*(?:-{1,2}|[–—:])\s*"
)
#: A place in capitals and a dash at the very start: "WASHINGTON --", "NEW YORK —".
_PLACE_DATELINE = re.compile(r"^[A-Z][A-Z.'-]{2,}(?:[ ,]+[A-Z][A-Za-z.'-]*){0,3}\s*(?:-{1,2}|[–—])\s+")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
#: A date heading the sentence as in a list of events or a caption: "April 28 - The Coast
#: Guard says ...", "Apr. 21: Fire boat crews ...", "22 April, 2010 - ...".
_DATE_PREFIX = re.compile(
    rf"^(?:[A-Z][a-z]+day,?\s+)?(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})(?:,?\s+\d{{4}})?\s*(?:-{{1,2}}|[–—:])\s+"
)
#: A page's publication stamp, a date with a time of day, glued before the lede (with the
#: headline before it): "Friday 14 January 2005 02.44 GMT The trial of ...".
_PAGE_STAMP = re.compile(
    rf"(?:[A-Z][a-z]+day,?\s+)?(?:\d{{1,2}}\s+{_MONTH}|{_MONTH}\s+\d{{1,2}},?)\s+\d{{4}},?\s+"
    r"\d{1,2}[.:]\d{2}\s*(?:[ap]\.?m\.?\s*)?(?:[A-Z]{2,4}\s+)?"
)
#: A live blog's stamp in brackets heading an update: "(Update 9:45 p.m. Cairo, 2:45 p.m. ET)".
_STAMP_PREFIX = re.compile(r"^\([^()]{0,80}\b\d{1,2}:\d{2}\b[^()]{0,80}\)\s*")
#: Sentences that are page furniture or talk to the reader, not news: a commenter's
#: "X wrote:", "Posted by: ...", a comment's stamp ("February 2, 2011 at 6:14 pm | ..."),
#: credits, prompts, and a bar left after the dateline is cut (a menu's "YES | NO", a
#: comment's stamp): on the full shared Timeline17 the CNN comment threads gave whole days
#: of lines such as "January 31, 2011 at 4:41 pm | The u.s.".
_FURNITURE = re.compile(
    r"\bwrote:|\b(?:photograph|photo|picture|image|video|graphic)s?(?: credit)?:|\bclick (?:here|on)\b"
    r"|\bposted by\b|\breport abuse\b|\b(?:e-?mail|share) this\b|\bwould you like\b|\bcopyright\b|\(c\)|\ball rights\b"
    r"|\b\d{4},? at \d{1,2}:\d{2}|\|",
    re.IGNORECASE,
)


#: Words that start a sentence and are written lower case inside one: capitalised after a
#: lower-case word (or an acronym) with no stop between, they begin a lede the crawl glued
#: to a headline or a photo caption ("... the head of the WHO voices concern A new flu
#: virus ...", "Eight cases of swine flu have emerged in the UK Two more people ...").
_SENTENCE_STARTERS = (
    "A|An|The|About|Another|More|Most|Many|Some|Several|Hundreds|Thousands|Two|Three|Four|Five|Six"
    "|Seven|Eight|Nine|Ten|Dozens|At|In|On|After|Police|Officials|Authorities"
)
_GLUED_LEDE = re.compile(rf"(?:(?<=[a-z0-9])|(?<=[A-Z]{{2}})) (?:{_SENTENCE_STARTERS}) (?=[a-z0-9])")
#: A glued lede is cut only when its headline and caption before it are at least this many
#: words (a headline is rarely shorter) and it keeps at least GLUED_MIN_REST words.
GLUED_MIN_HEAD = 4
GLUED_MIN_REST = 8


def strip_glued_head(sentence: str) -> str:
    """``sentence`` without a headline or caption the crawl glued before its lede with no stop
    between (see _SENTENCE_STARTERS): the lede from the last such start within the first
    DATELINE_MAX_END characters; unchanged when there is none."""
    starts = [
        m.start() + 1
        for m in _GLUED_LEDE.finditer(sentence, 0, DATELINE_MAX_END)
        if len(sentence[: m.start()].split()) >= GLUED_MIN_HEAD
        and len(sentence[m.start() :].split()) >= GLUED_MIN_REST
    ]
    return sentence[starts[-1] :] if starts else sentence


def strip_dateline(sentence: str) -> str:
    """``sentence`` without a leading wire or place dateline or a page's time stamp (and what
    the crawl glued before it), a date or a live blog's time stamp heading it; unchanged when it has none or what follows would not start a
    sentence."""
    text = sentence.strip()
    glued = _WIRE_DATELINE.search(text) or _PAGE_STAMP.search(text)
    if glued and glued.end() <= DATELINE_MAX_END:
        rest = text[glued.end() :]
    elif head := _PLACE_DATELINE.match(text) or _DATE_PREFIX.match(text) or _STAMP_PREFIX.match(text):
        rest = text[head.end() :]
    else:
        return text
    return rest if rest[:1].isupper() or rest[:1] in "\"“'‘" else text


_WEEKDAY_NAME = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day(?: (?:night|morning|afternoon|evening))?"
#: A weekday naming when, which a dated line need not repeat: "on Tuesday", "late on Friday
#: night", "said Tuesday" (a weekday before a capital is a name's: "the Sunday Times").
_WEEKDAY = re.compile(
    rf",? (?:(?:late |early )?on |last |this |(?:late |early )?){_WEEKDAY_NAME}(?=[,.;]| [a-z0-9\"“])"
)
#: The same heading a sentence: "On Monday, Russian President ...".
_WEEKDAY_HEAD = re.compile(rf"^(?:(?:Late |Early )?On |Last |This |Early |Late )?{_WEEKDAY_NAME},? (?=[A-Z])")


def drop_weekday(text: str) -> str:
    """``text`` without the weekday saying when ("said on Tuesday" -> "said"): a timeline's
    line is dated, and the weekday repeats the date in words no reader of the line needs.
    A weekday after a capitalised word ("By Monday", "Until Friday") stays."""
    text = _WEEKDAY_HEAD.sub("", text)

    def cut(match: re.Match[str]) -> str:
        before = text[: match.start()].rsplit(" ", 1)[-1]
        bare = not match.group().lstrip(", ").startswith(("on ", "last ", "this ", "late ", "early "))
        return match.group() if bare and before[:1].isupper() else ""

    return _WEEKDAY.sub(cut, text)


def news_sentence(sentence: str, lede: bool = False) -> str | None:
    """The sentence as a statement a reader can take alone, its dateline stripped (and, for
    one of an article's first sentences, ``lede``, a headline or caption glued before it:
    :func:`strip_glued_head`; inside an article "grade A students" is no glue), or None
    when it is furniture: a reader's post or a credit, a question or an exclamation (a
    reader's comment, a promotion), a run-on of more than NEWS_MAX_WORDS words, or no
    prose (clean's :func:`is_prose`: a headline, a fragment)."""
    text = strip_dateline(sentence)
    text = strip_glued_head(text) if lede else text
    if _FURNITURE.search(text) or text.rstrip("\"”’' )").endswith(("?", ":", "!")):
        return None
    if len(text.split()) > NEWS_MAX_WORDS or not is_prose(text):
        return None
    return text
