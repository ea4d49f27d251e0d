"""Quotes: direct and indirect speech, with the speaker when the text names one.

Direct quotes sit between straight "…", curly “…” or single ‘…’ marks (a ’
between letters, as in "Ukraine’s", is an apostrophe, not a closing mark). The
speaker is looked for, in this order:

1. after the quote, in its sentence: ``"…," X said`` / ``"…," said X`` /
   ``"…," X, the head of …, said on Telegram`` / ``"…," he stressed``;
2. before it, in its sentence: ``X said: "…"`` / ``X said in a speech that "…"``
   / ``according to X, "…"``;
3. in the previous sentence when it ends with a colon, or in a short next sentence.

The speaker is the subject next to a speech verb (:data:`CUE_LEMMAS`): a named
entity mention or a run of proper nouns; failing that, a PERSON mention between
the quote and the verb ("spokesman ..., Jeon Ha-kyou, told"). "he"/"she" stand for
the nearest PERSON mention before them, outside quotes and not plural
("Buryats"). Anything else ("one official noted", "the minister concluded") leaves
the speaker unknown (None): it is never guessed.

Scare quotes: a quote of at most :data:`SCARE_QUOTE_MAX_WORDS` words is kept only
when a speaker is found through a speech verb right next to it ("shameful
protection" in a sentence without one is not a quote).

Indirect speech: ``X said that CLAUSE`` (any speech verb, "that" within a few
tokens) and ``According to X, CLAUSE`` / ``CLAUSE, according to X`` become
quotes of the clause, unless it holds a direct quote. "According to X" needs X
to name someone (an entity or a proper noun): "according to the report" does not.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy
from spacy.attrs import IDX, LEMMA, POS
from spacy.parts_of_speech import VERB

from ..model import Mention
from .tokens import DocTokens

#: Lemmas of verbs that introduce speech or writing.
CUE_LEMMAS = frozenset(
    [
        "say",
        "tell",
        "stress",
        "note",
        "announce",
        "state",
        "post",
        "add",
        "conclude",
        "urge",
        "write",
        "claim",
        "confirm",
        "report",
        "declare",
        "explain",
        "warn",
        "insist",
        "emphasize",
        "emphasise",
        "comment",
        "reply",
        "ask",
        "tweet",
        "clarify",
        "admit",
        "argue",
        "acknowledge",
        "assert",
        "reiterate",
        "mention",
        "underline",
        "recall",
        "believe",
        "think",
        "suggest",
        "deny",
        "predict",
        "vow",
        "promise",
        "indicate",
        "contend",
        "maintain",
        "allege",
        "estimate",
        "reveal",
        "complain",
        "pledge",
        "charge",
        "agree",
        "respond",
        "testify",
        "acknowledge",
        "concede",
        "caution",
        "observe",
        "remark",
        "quip",
        "joke",
    ]
)

#: Cue verbs that take a clause straight after them ("Trump said the election is rigged"),
#: where "told"/"asked" take a listener first.
CLAUSE_CUE_LEMMAS = CUE_LEMMAS - {"tell", "ask", "post", "tweet", "report", "urge", "announce", "comment"}

#: At most this many tokens after a sentence-final cue ("…, he said on Monday in a statement.").
TRAILING_MAX_TOKENS = 8

#: At most this many tokens between the comma and the cue of '…, the senior official said.'.
TRAILING_SUBJECT_MAX_TOKENS = 8

#: Quotes with this many words or fewer are scare quotes unless a speech verb is attached.
SCARE_QUOTE_MAX_WORDS = 3

#: Tokens after a quote within which its speech verb must come: room for a name
#: and an appositive ("Andrii Kovalenko, the head of Ukraine's Center for
#: Countering Disinformation said" is 12 tokens).
AFTER_MAX_TOKENS = 16

#: A short quote counts as attached to a speech verb when at most this many
#: tokens separate them ("X said: '…'", "'…,' X told").
ATTACHED_MAX_TOKENS = 4

#: Tokens allowed between a speech verb and "that" ("said in his evening address that").
INDIRECT_MAX_GAP = 6

#: A clause needs this many words to be reported speech worth keeping.
MIN_CLAUSE_WORDS = 3

#: A following sentence this short may carry the speaker of a quote ("He said.").
NEXT_SENTENCE_MAX_TOKENS = 8

_QUOTE_PATTERNS = (
    re.compile(r"“(?P<inner>[^“”\n]+)”"),
    re.compile(r'"(?P<inner>[^"\n]+)"'),
    re.compile(r"(?<!\w)‘(?P<inner>[^‘\n]+?)’(?!\w)"),
)
_SPEAKER_PRONOUNS = frozenset({"he", "she"})
_OTHER_PRONOUNS = frozenset({"they", "we", "i", "it", "you", "this", "that"})
_ACCORDING = re.compile(
    r"\b(?P<cue>[Aa]ccording\s+to)\s+(?P<source>[^,;:\n“”\"‘’]{1,80}?)\s*(?P<sep>,|[.!?]?$)"
)
_LEADING_THE = re.compile(r"(?:the|The)\s+")


@dataclass(frozen=True, slots=True)
class FoundQuote:
    start: int
    end: int
    speaker: tuple[int, int] | None  # who, resolved: a name, never a pronoun or "officials"
    cue: str | None
    subject: tuple[int, int] | None = None  # the cue's subject as written ("he", "a source")


@dataclass(frozen=True, slots=True)
class _Attribution:
    speaker: tuple[int, int] | None
    cue: str | None
    attached: bool
    subject: tuple[int, int] | None = None


_NONE = _Attribution(None, None, False)

#: Parts of speech of a noun phrase naming a speaker ("the senior U.S. official").
_PHRASE_POS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM"})
#: Prepositions inside a speaker's name ("the Commission on Presidential Debates").
_NP_PREPOSITIONS = frozenset({"of", "on", "for"})
_RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "what", "whom"})


class _Context:
    """One article's text, tokens, sentences and mentions, with the lookups quotes need."""

    def __init__(
        self, text: str, doc: Any, sentences: Sequence[tuple[int, int]], mentions: Sequence[Mention]
    ):
        self.text = text
        self.tokens = doc if isinstance(doc, (list, DocTokens)) else list(doc)
        self.token_starts, self.cues, self.clause_cues = _token_tables(self.tokens)
        self.sentences = list(sentences)
        self.sentence_starts = [s for s, _ in self.sentences]
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self.mention_at = {m.start: m for m in self.mentions if m.type != "NORP"}
        self.quoted: list[tuple[int, int]] = []  # direct quote marks, to skip when resolving pronouns
        self.people: list[tuple[int, int]] = []  # speakers found as proper nouns the NER missed

    def sentence_of(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.sentence_starts, char) - 1)

    def tokens_between(self, start: int, end: int) -> range:
        return range(bisect.bisect_left(self.token_starts, start), bisect.bisect_left(self.token_starts, end))

    def cues_in(self, first: int, stop: int) -> list[int]:
        """Indices of the speech verbs (:func:`_is_cue`) among tokens ``first`` to ``stop - 1``."""
        return self.cues[bisect.bisect_left(self.cues, first) : bisect.bisect_left(self.cues, stop)]

    def mention_covering(self, token: Any) -> Mention | None:
        for mention in self.mentions:
            if mention.start <= token.idx < mention.end and mention.type != "NORP":
                return mention
            if mention.start > token.idx:
                break
        return None

    def pronoun_antecedent(self, before: int) -> tuple[int, int] | None:
        """The nearest singular PERSON mention (or proper-noun speaker) before ``before``, outside quotes."""
        mention_span = self._person_before(before)
        earlier = [p for p in self.people if p[1] <= before]
        speaker_span = max(earlier, key=lambda p: p[1]) if earlier else None
        if mention_span and speaker_span:
            return max(mention_span, speaker_span, key=lambda p: p[1])
        return mention_span or speaker_span

    def _person_before(self, before: int) -> tuple[int, int] | None:
        for mention in reversed(self.mentions):
            if mention.end > before or mention.type != "PERSON":
                continue
            if any(s <= mention.start < e for s, e in self.quoted):
                continue
            last = self.tokens[bisect.bisect_right(self.token_starts, mention.end - 1) - 1]
            if last.tag_ == "NNPS":  # a people ("Buryats"), not a person
                continue
            return (mention.start, mention.end)
        return None


def _is_cue(token: Any) -> bool:
    return bool(token.pos_ == "VERB" and token.lemma_.lower() in CUE_LEMMAS)


def _token_tables(tokens: Sequence[Any]) -> tuple[list[int], list[int], list[int]]:
    """Token start offsets, and the indices of speech verbs (CUE_LEMMAS) and of clause cues
    (CLAUSE_CUE_LEMMAS), read from the doc's arrays once: reading ``pos_`` and ``lemma_`` of
    every token in every pass was half the quote finder's time (timelines articles)."""
    doc = tokens[0].doc if tokens else None
    if doc is None or len(doc) != len(tokens):
        cues = [i for i, t in enumerate(tokens) if _is_cue(t)]
        clause = [i for i in cues if tokens[i].lemma_.lower() in CLAUSE_CUE_LEMMAS]
        return [t.idx for t in tokens], cues, clause
    table = doc.to_array([IDX, POS, LEMMA])
    strings = doc.vocab.strings
    verbs = [(i, strings[lemma].lower()) for i, lemma in _verb_lemmas(table)]
    cues = [i for i, lemma in verbs if lemma in CUE_LEMMAS]
    clause = [i for i, lemma in verbs if lemma in CLAUSE_CUE_LEMMAS]
    return table[:, 0].tolist(), cues, clause


def _verb_lemmas(table: Any) -> list[tuple[int, int]]:
    rows = numpy.flatnonzero(table[:, 1] == VERB).tolist()
    return [(i, int(table[i, 2])) for i in rows]


def _trim(text: str, start: int, end: int, trailing: str = " \t\n,;:") -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in trailing:
        end -= 1
    return start, end


# ------------------------------------------------------------------ speakers


def _proper_run(ctx: _Context, index: int, step: int) -> tuple[int, int] | None:
    """The run of proper nouns starting at token ``index`` going ``step`` (+1/-1)."""
    tokens = ctx.tokens
    if not 0 <= index < len(tokens) or tokens[index].pos_ != "PROPN":
        return None
    last = index
    while 0 <= last + step < len(tokens) and tokens[last + step].pos_ == "PROPN":
        last += step
    first, final = sorted((index, last))
    return (tokens[first].idx, tokens[final].idx + len(tokens[final]))


def _subject_before(ctx: _Context, cue: int, sentence_start: int) -> tuple[int, int] | None:
    """The speaker before the speech verb at token ``cue``: "X (also) said"."""
    j = cue - 1
    while j >= 0 and ctx.tokens[j].idx >= sentence_start and ctx.tokens[j].pos_ in ("ADV", "AUX", "PART"):
        j -= 1
    if j < 0 or ctx.tokens[j].idx < sentence_start:
        return None
    token = ctx.tokens[j]
    if token.lower_ in _SPEAKER_PRONOUNS:
        return ctx.pronoun_antecedent(token.idx)
    mention = ctx.mention_covering(token)
    if mention is not None:
        return (mention.start, mention.end)
    if token.pos_ == "PROPN":
        return _remember(ctx, _proper_run(ctx, j, -1))
    if token.text == ",":  # "Kyrylo Budanov, head of ..., later reported"
        opening = _sentence_subject(ctx, sentence_start, token.idx)
        if opening is not None:
            return opening
    people = [
        m
        for m in ctx.mentions
        if m.type == "PERSON" and sentence_start <= m.start and m.end <= ctx.tokens[cue].idx
    ]
    return (people[-1].start, people[-1].end) if people else None


def _sentence_subject(ctx: _Context, sentence_start: int, limit: int) -> tuple[int, int] | None:
    """A name opening the sentence and followed by a comma (an appositive subject), if any."""
    indices = ctx.tokens_between(sentence_start, limit)
    if not indices:
        return None
    first = ctx.tokens[indices[0]]
    span: tuple[int, int] | None = None
    if first.idx in ctx.mention_at:
        mention = ctx.mention_at[first.idx]
        span = (mention.start, mention.end)
    else:
        span = _remember(ctx, _proper_run(ctx, indices[0], +1))
    if span is None or not ctx.text[span[1] :].startswith(","):
        return None
    return span


def _remember(ctx: _Context, span: tuple[int, int] | None) -> tuple[int, int] | None:
    """Keep a proper-noun speaker as a person a later "he"/"she" may stand for."""
    if span is not None and not any(m.start <= span[0] < m.end for m in ctx.mentions):
        ctx.people.append(span)
    return span


def _whole_subject(ctx: _Context, end: int, cue: Any) -> bool:
    """Whether a name ending at ``end`` is the whole subject: next comes the verb, a comma or an adverb."""
    following = ctx.tokens_between(end, cue.idx + 1)
    if not following:
        return True
    nxt = ctx.tokens[following[0]]
    return nxt is cue or nxt.text == "," or nxt.pos_ in ("ADV", "AUX", "PART")


def _subject_after(ctx: _Context, segment: list[int], cue: int, quote_start: int) -> tuple[int, int] | None:
    """The speaker between a quote and its speech verb: '"…," X said' or '"…," said X'."""
    if not segment:  # inverted: "…," said Kovalenko
        nxt = cue + 1
        if nxt < len(ctx.tokens) and ctx.tokens[nxt].idx in ctx.mention_at:
            mention = ctx.mention_at[ctx.tokens[nxt].idx]
            return (mention.start, mention.end)
        return _proper_run(ctx, nxt, +1)
    first = ctx.tokens[segment[0]]
    if first.lower_ in _SPEAKER_PRONOUNS:
        return ctx.pronoun_antecedent(quote_start)
    if first.lower_ in _OTHER_PRONOUNS:
        return None
    candidate: tuple[int, int] | None = None
    if first.idx in ctx.mention_at:
        mention = ctx.mention_at[first.idx]
        candidate = (mention.start, mention.end)
    elif first.pos_ == "PROPN":
        candidate = _remember(ctx, _proper_run(ctx, segment[0], +1))
    if candidate is not None and _whole_subject(ctx, candidate[1], ctx.tokens[cue]):
        return candidate
    end = ctx.tokens[cue].idx
    for mention in ctx.mentions:
        if mention.type == "PERSON" and first.idx <= mention.start and mention.end <= end:
            return (mention.start, mention.end)
    return None


def _span_of(ctx: _Context, first: int, last: int) -> tuple[int, int]:
    return (ctx.tokens[first].idx, ctx.tokens[last].idx + len(ctx.tokens[last]))


def _np_start(ctx: _Context, head: int, limit: int) -> int:
    """The first token of the noun phrase ending at ``head`` (not before char ``limit``):
    "The nonpartisan Commission on Presidential Debates", "Clinton's aides"."""
    first = head
    while first - 1 >= 0 and ctx.tokens[first - 1].idx >= limit:
        before = ctx.tokens[first - 1]
        joins = (
            before.lower_ in _NP_PREPOSITIONS
            and first - 2 >= 0
            and ctx.tokens[first - 2].pos_ in ("NOUN", "PROPN")
        )
        if before.pos_ in _PHRASE_POS or before.tag_ in ("POS", "PRP$") or before.text == "-" or joins:
            first -= 1
        else:
            break
    return first


def _written_before(ctx: _Context, cue: int, sentence_start: int) -> tuple[int, int] | None:
    """The cue's subject as written just before it ("he", "a senior official", "Clinton's aides")."""
    j = cue - 1
    while j >= 0 and ctx.tokens[j].idx >= sentence_start and ctx.tokens[j].pos_ in ("ADV", "AUX", "PART"):
        if ctx.tokens[j].tag_ == "POS":
            break
        j -= 1
    if j < 0 or ctx.tokens[j].idx < sentence_start:
        return None
    head = ctx.tokens[j]
    if (
        head.text == "," and ctx.tokens[cue].tag_ == "VBG"
    ):  # "Trump hit back, saying …": the sentence's subject
        return _first_phrase(ctx, sentence_start, head.idx)
    if head.pos_ == "PRON":
        return _span_of(ctx, j, j) if head.lower_ not in _RELATIVE_PRONOUNS else None
    if head.pos_ not in ("NOUN", "PROPN"):
        return None
    return _span_of(ctx, _np_start(ctx, j, sentence_start), j)


def _first_phrase(ctx: _Context, start: int, end: int) -> tuple[int, int] | None:
    """The first noun phrase (or pronoun) between ``start`` and ``end``: a sentence's subject."""
    indices = ctx.tokens_between(start, end)
    for i in indices:
        token = ctx.tokens[i]
        if token.pos_ == "PRON" and token.lower_ not in _RELATIVE_PRONOUNS:
            return _span_of(ctx, i, i)
        if token.pos_ in ("NOUN", "PROPN"):
            last = i
            while last + 1 < indices.stop and ctx.tokens[last + 1].pos_ in ("NOUN", "PROPN"):
                last += 1
            return _span_of(ctx, _np_start(ctx, i, start), last)
    return None


def _written_after(ctx: _Context, segment: list[int], cue: int) -> tuple[int, int] | None:
    """The subject as written after a quote: '"…," a source said' or '"…," said the official'."""
    if segment:
        phrase = segment
        for k, i in enumerate(segment):
            if ctx.tokens[i].text == ",":  # "X, the head of …, said": X
                phrase = segment[:k]
                break
        heads = [i for i in phrase if ctx.tokens[i].pos_ in ("NOUN", "PROPN", "PRON")]
        if not heads or ctx.tokens[heads[-1]].lower_ in _RELATIVE_PRONOUNS:
            return None
        if ctx.tokens[heads[-1]].pos_ == "PRON":
            return _span_of(ctx, heads[-1], heads[-1])
        return _span_of(ctx, _np_start(ctx, heads[-1], ctx.tokens[phrase[0]].idx), heads[-1])
    taken: list[int] = []
    for i in range(cue + 1, min(cue + 1 + AFTER_MAX_TOKENS, len(ctx.tokens))):
        token = ctx.tokens[i]
        joins = (
            token.lower_ in _NP_PREPOSITIONS
            and bool(taken)
            and ctx.tokens[taken[-1]].pos_ in ("NOUN", "PROPN")
        )
        if (
            token.pos_ in _PHRASE_POS
            or token.tag_ in ("POS", "PRP$")
            or joins
            or (token.pos_ == "PRON" and not taken)
        ):
            taken.append(i)
        else:
            break
    while taken and ctx.tokens[taken[-1]].pos_ not in ("NOUN", "PROPN", "PRON"):
        taken.pop()
    return _span_of(ctx, taken[0], taken[-1]) if taken else None


def _trimmed_source(ctx: _Context, according: re.Match[str]) -> tuple[int, int] | None:
    start, end = _trim(ctx.text, *according.span("source"), trailing=" \t\n,;:.!?")
    return (start, end) if end > start else None


# ------------------------------------------------------------------ direct quotes


def _after(ctx: _Context, close: int, quote_start: int, sentence: int) -> _Attribution:
    """A speech verb after the quote, in the sentence holding the closing mark."""
    sentence_end = ctx.sentences[sentence][1]
    indices = [i for i in ctx.tokens_between(close, sentence_end)]
    while indices and ctx.tokens[indices[0]].is_punct:
        indices.pop(0)
    for k, i in enumerate(indices[:AFTER_MAX_TOKENS]):
        token = ctx.tokens[i]
        if token.text in (".", "!", "?"):
            break
        if _is_cue(token):
            speaker = _subject_after(ctx, indices[:k], i, quote_start)
            subject = _written_after(ctx, indices[:k], i)
            return _Attribution(speaker, token.text, k <= ATTACHED_MAX_TOKENS, subject or speaker)
    return _NONE


def _before(ctx: _Context, open_mark: int, sentence: int) -> _Attribution:
    """The last speech verb before the quote in its sentence, or "according to X,"."""
    sentence_start = ctx.sentences[sentence][0]
    indices = list(ctx.tokens_between(sentence_start, open_mark))
    for k in range(len(indices) - 1, -1, -1):
        token = ctx.tokens[indices[k]]
        if _is_cue(token):
            gap = len(indices) - 1 - k
            speaker = _subject_before(ctx, indices[k], sentence_start)
            subject = _written_before(ctx, indices[k], sentence_start)
            return _Attribution(speaker, token.text, gap <= ATTACHED_MAX_TOKENS, subject or speaker)
    according = _ACCORDING.search(ctx.text, sentence_start, open_mark)
    if according is not None and according["sep"] == ",":
        source = _named_source(ctx, according)
        return _Attribution(source, according["cue"], False, _trimmed_source(ctx, according))
    return _NONE


def _attribute(ctx: _Context, open_mark: int, close: int) -> _Attribution:
    closing_sentence = ctx.sentence_of(close - 1)
    found = _after(ctx, close, open_mark, closing_sentence)
    if found.cue is None:
        found = _before(ctx, open_mark, ctx.sentence_of(open_mark))
    if found.cue is not None:
        return found
    opening_sentence = ctx.sentence_of(open_mark)
    if opening_sentence > 0:
        start, end = ctx.sentences[opening_sentence - 1]
        if ctx.text[start:end].rstrip().endswith(":") and "\n" not in ctx.text[end:open_mark]:
            found = _before(ctx, end, opening_sentence - 1)
            if found.cue is not None:
                return found
    rest = ctx.text[close : ctx.sentences[closing_sentence][1]]
    nxt = closing_sentence + 1
    if not rest.strip(" .,!?") and nxt < len(ctx.sentences):
        start, end = ctx.sentences[nxt]
        if (
            "\n" not in ctx.text[close:start]
            and len(ctx.tokens_between(start, end)) <= NEXT_SENTENCE_MAX_TOKENS
        ):
            return _after(ctx, start, open_mark, nxt)
    return _NONE


def _direct_quotes(ctx: _Context) -> list[FoundQuote]:
    marks: list[tuple[int, int, int, int]] = []  # open, close end, inner start, inner end
    for pattern in _QUOTE_PATTERNS:
        for match in pattern.finditer(ctx.text):
            start, end = _trim(ctx.text, *match.span("inner"))
            if end > start:
                marks.append((match.start(), match.end(), start, end))
    marks.sort()
    outer = [m for m in marks if not any(o[0] < m[0] and m[1] <= o[1] for o in marks)]
    ctx.quoted = [(m[0], m[1]) for m in outer]
    quotes = []
    for open_mark, close, start, end in outer:
        found = _attribute(ctx, open_mark, close)
        words = len(ctx.text[start:end].split())
        if words <= SCARE_QUOTE_MAX_WORDS and not (found.attached and found.speaker):
            continue
        quotes.append(FoundQuote(start, end, found.speaker, found.cue, found.subject))
    return quotes


# ------------------------------------------------------------------ indirect speech


def _named_source(ctx: _Context, according: re.Match[str]) -> tuple[int, int] | None:
    """The span of X in "according to X" when X names someone, else None."""
    start, end = according.span("source")
    lead = _LEADING_THE.match(ctx.text, start)
    if lead:
        start = lead.end()
    named = any(start <= m.start and m.end <= end for m in ctx.mentions) or any(
        ctx.tokens[i].pos_ == "PROPN" for i in ctx.tokens_between(start, end)
    )
    return (start, end) if named and end > start else None


def _overlaps_any(span: tuple[int, int], taken: Sequence[FoundQuote]) -> bool:
    return any(span[0] < q.end and q.start < span[1] for q in taken)


def _clause(ctx: _Context, start: int, end: int) -> tuple[int, int] | None:
    start, end = _trim(ctx.text, start, end, trailing=" \t\n,;:.!?")
    return (start, end) if len(ctx.text[start:end].split()) >= MIN_CLAUSE_WORDS else None


def _said_that(ctx: _Context, taken: list[FoundQuote]) -> list[FoundQuote]:
    found: list[FoundQuote] = []
    for i in ctx.cues:
        token = ctx.tokens[i]
        sentence_start, sentence_end = ctx.sentences[ctx.sentence_of(token.idx)]
        for j in range(i + 1, min(i + 2 + INDIRECT_MAX_GAP, len(ctx.tokens))):
            nxt = ctx.tokens[j]
            if nxt.idx >= sentence_end or nxt.is_punct:
                break
            if nxt.lower_ == "that" and nxt.pos_ == "SCONJ":
                clause = _clause(ctx, nxt.idx + len(nxt), sentence_end)
                if clause and not _overlaps_any(clause, [*taken, *found]):
                    speaker = _subject_before(ctx, i, sentence_start)
                    subject = _written_before(ctx, i, sentence_start) or speaker
                    found.append(FoundQuote(clause[0], clause[1], speaker, token.text, subject))
                break
    return found


def _said_clause(ctx: _Context, taken: list[FoundQuote]) -> list[FoundQuote]:
    """ "X said the election is rigged": a clause straight after the cue, without "that"."""
    found: list[FoundQuote] = []
    for i in ctx.clause_cues:
        if i + 1 >= len(ctx.tokens):
            continue
        token, nxt = ctx.tokens[i], ctx.tokens[i + 1]
        if (
            nxt.is_punct
            or nxt.pos_ not in ("DET", "PRON", "PROPN", "NOUN", "ADJ", "NUM")
            or nxt.lower_ == "that"
        ):
            continue
        sentence_start, sentence_end = ctx.sentences[ctx.sentence_of(token.idx)]
        rest = ctx.tokens_between(nxt.idx, sentence_end)
        if not any(ctx.tokens[k].pos_ in ("VERB", "AUX") for k in rest):
            continue  # "said the official": no clause
        clause = _clause(ctx, nxt.idx, sentence_end)
        if clause and not _overlaps_any(clause, [*taken, *found]):
            speaker = _subject_before(ctx, i, sentence_start)
            subject = _written_before(ctx, i, sentence_start) or speaker
            found.append(FoundQuote(clause[0], clause[1], speaker, token.text, subject))
    return found


def _clause_then_cue(ctx: _Context, taken: list[FoundQuote]) -> list[FoundQuote]:
    """ "The plan will fail, the senior official said." / "…, said Kovalenko.": the clause before."""
    found: list[FoundQuote] = []
    for sentence_start, sentence_end in ctx.sentences:
        span = ctx.tokens_between(sentence_start, sentence_end)
        cues = ctx.cues_in(span.start, span.stop)
        if not cues:
            continue
        indices = list(span)
        for i in cues:
            token, k = ctx.tokens[i], i - span.start
            if len(indices) - k - 1 > TRAILING_MAX_TOKENS:
                continue
            commas = [c for c in indices[:k] if ctx.tokens[c].text == ","]
            if not commas or k - indices.index(commas[-1]) - 1 > TRAILING_SUBJECT_MAX_TOKENS:
                break
            comma = commas[-1]
            segment = [c for c in indices[indices.index(comma) + 1 : k]]
            clause = _clause(ctx, sentence_start, ctx.tokens[comma].idx)
            if clause and not _overlaps_any(clause, [*taken, *found]):
                speaker = _subject_after(ctx, segment, i, sentence_start)
                subject = _written_after(ctx, segment, i) or speaker
                found.append(FoundQuote(clause[0], clause[1], speaker, token.text, subject))
            break
    return found


def _according_to(ctx: _Context, taken: list[FoundQuote]) -> list[FoundQuote]:
    found: list[FoundQuote] = []
    for sentence_start, sentence_end in ctx.sentences:
        according = _ACCORDING.search(ctx.text, sentence_start, sentence_end)
        if according is None:
            continue
        source = _named_source(ctx, according)
        if according["sep"] == ",":
            clause = _clause(ctx, according.end(), sentence_end)
        else:
            clause = _clause(ctx, sentence_start, according.start())
        if source and clause and not _overlaps_any(clause, [*taken, *found]):
            subject = _trimmed_source(ctx, according)
            found.append(FoundQuote(clause[0], clause[1], source, according["cue"], subject))
    return found


def find_quotes(
    text: str, doc: Any, sentences: Sequence[tuple[int, int]], mentions: Sequence[Mention]
) -> list[FoundQuote]:
    """Direct and indirect quotes of one article, in text order."""
    ctx = _Context(text, doc, sentences, mentions)
    quotes = _direct_quotes(ctx)
    quotes += _said_that(ctx, quotes)
    quotes += _according_to(ctx, quotes)
    quotes += _clause_then_cue(ctx, quotes)
    quotes += _said_clause(ctx, quotes)
    return sorted(quotes, key=lambda q: (q.start, q.end))
