"""spaCy's entity recogniser run per paragraph, each distinct paragraph once per process.

Why: in real news the same paragraphs recur across articles (wire copy republished
with a new headline, lead or footer; an outlet's boilerplate paragraphs), and the
entity recogniser is about three quarters of the whole pipeline's CPU. The engine
analyses exact copies of an article once; a near copy differs in a paragraph or
two, so recognising entities paragraph by paragraph, with a memo of the
paragraphs already seen, makes the shared paragraphs cost no NER.

:class:`ParagraphRecogniser` takes the place of the pipeline's ``ner``: the
components before it (tokenizer, tags, tables) run on the whole article as
before; it cuts each article doc at its paragraph breaks
(:data:`~newsweave.model.PARAGRAPH_SEPARATOR` inside a whitespace token), looks
each paragraph up in a bounded memo (least recently used first out, keyed by a
digest of the paragraph's text), runs spaCy's ``ner`` over the paragraphs that
missed it, batched across the articles of a :meth:`Language.pipe` batch, and
sets the article's ``doc.ents`` from the paragraphs' entities (token offsets
within the paragraph and label).

Outputs never depend on the memo's state: the recogniser always sees one
paragraph alone, as a new :class:`~spacy.tokens.Doc` of the paragraph's words
and spaces only (no tags or sentence starts from the article) between a fixed
context (:data:`LEFT_CONTEXT`, :data:`RIGHT_CONTEXT`: a full stop and a break,
as most paragraphs stand in an article, none before the first paragraph or
after the last), so a paragraph's entities are a function of its text and
place whether they come from the memo or not. An entity can no longer cross a
paragraph break (extract dropped those anyway: mentions never hold a newline),
and the words of the paragraph before no longer count; bench/extract.py
``--compare`` measures how much that changes on real articles.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from ..model import PARAGRAPH_SEPARATOR

#: Distinct paragraphs whose entities a process remembers (about 400 bytes each, so
#: about 40 MB when full): some 7,000 news articles of 15 paragraphs, days of an
#: outlet's or a wire's output, which is where its copies and boilerplate recur.
MAX_REMEMBERED_PARAGRAPHS = 100_000
#: Paragraphs per call of spaCy's ``ner.pipe`` (which sorts them by length and runs
#: a quarter of them at a time): 16 PolNeAR articles hold about 250 paragraphs.
PARAGRAPH_BATCH = 256
#: Bytes of the digest a paragraph is remembered by (128 bits: no collision in practice).
DIGEST_BYTES = 16

#: The text a paragraph is recognised after, unless it opens its article, and before,
#: unless it closes it: what stands around most paragraphs in an article (the end of
#: the paragraph before, the break). Against whole-article NER on 300 PolNeAR articles,
#: the share of entities identical is 0.994 with them, 0.966 with the paragraph alone.
LEFT_CONTEXT = "." + PARAGRAPH_SEPARATOR
RIGHT_CONTEXT = PARAGRAPH_SEPARATOR
#: The contexts' tokens (the full stop and the break are one token each).
_LEFT_WORDS, _RIGHT_WORDS = (".", PARAGRAPH_SEPARATOR), (PARAGRAPH_SEPARATOR,)
_LEFT_TOKENS, _RIGHT_TOKENS = len(_LEFT_WORDS), len(_RIGHT_WORDS)

#: A paragraph's entities: (first token, token after the last, label), within the paragraph.
Entities = tuple[tuple[int, int, str], ...]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of an article doc: its tokens, its text (with its last token's space)
    and whether it opens or closes the article, which decides its context."""

    start: int
    end: int
    text: str
    first: bool
    last: bool

    @property
    def key(self) -> bytes:
        """The memo key: a digest of the text and the place."""
        text = f"{int(self.first)}{int(self.last)}{self.text}"
        return hashlib.blake2b(text.encode("utf-8"), digest_size=DIGEST_BYTES).digest()


def paragraphs_of(doc: Doc) -> list[Paragraph]:
    """The paragraphs of ``doc``: the tokens between whitespace tokens holding a
    paragraph break, without empty ones."""
    spaces = numpy.flatnonzero(doc.to_array(IS_SPACE)).tolist() if len(doc) else []
    ranges: list[tuple[int, int]] = []
    start = 0
    for i in spaces:
        if PARAGRAPH_SEPARATOR in doc[i].text:
            if i > start:
                ranges.append((start, i))
            start = i + 1
    if len(doc) > start:
        ranges.append((start, len(doc)))
    text, size = doc.text, len(doc)
    return [
        Paragraph(
            s, e, text[doc[s].idx : doc[e].idx if e < size else len(text)], n == 0, n == len(ranges) - 1
        )
        for n, (s, e) in enumerate(ranges)
    ]


class ParagraphRecogniser:
    """A pipeline component: spaCy's ``ner`` per paragraph with a memo (module docstring)."""

    def __init__(self, name: str, tokenizer: Any, max_paragraphs: int = MAX_REMEMBERED_PARAGRAPHS) -> None:
        self.name = name
        self.tokenizer = tokenizer
        self.ner: Any = None
        self.max_paragraphs = max_paragraphs
        self.memo: OrderedDict[bytes, Entities] = OrderedDict()
        #: Paragraphs run through spaCy's ``ner`` so far (the memo's misses).
        self.recognised = 0

    def copy_from(self, ner: Any) -> None:
        """Take a loaded spaCy EntityRecognizer."""
        self.ner = ner

    def __call__(self, doc: Doc) -> Doc:
        self.set_entities([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 16) -> Iterator[Doc]:
        """``docs`` in order, each with its entities; the paragraphs of ``batch_size``
        articles at a time go through ``ner`` together."""
        for batch in minibatch(docs, size=batch_size):  # type: ignore[no-untyped-call]
            self.set_entities(batch)
            yield from batch

    def set_entities(self, docs: list[Doc]) -> None:
        """Set ``doc.ents`` of each of ``docs`` from its paragraphs' entities."""
        found: dict[bytes, Entities] = {}
        missed: dict[bytes, tuple[Paragraph, Doc]] = {}
        placed: list[list[tuple[int, bytes]]] = []
        for doc in docs:
            keys = []
            for paragraph in paragraphs_of(doc):
                key = paragraph.key
                keys.append((paragraph.start, key))
                if key in found or key in missed:
                    continue
                remembered = self.memo.get(key)
                if remembered is None:
                    missed[key] = (paragraph, doc)
                else:
                    found[key] = remembered
            placed.append(keys)
        found.update(zip(missed, self._recognise(list(missed.values())), strict=True))
        for doc, keys in zip(docs, placed, strict=True):
            ents = [
                Span(doc, offset + start, offset + end, label=label)
                for offset, key in keys
                for start, end, label in found[key]
            ]
            doc.set_ents(ents, default="outside")
        self._remember(found)

    def _recognise(self, paragraphs: list[tuple[Paragraph, Doc]]) -> list[Entities]:
        """The entities of each paragraph (of its article doc), from spaCy's ``ner`` on its
        text alone in its context."""
        self.recognised += len(paragraphs)
        docs = [self.in_context(paragraph, doc) for paragraph, doc in paragraphs]
        return [
            _inside(doc, 0 if paragraph.first else _LEFT_TOKENS, paragraph.end - paragraph.start)
            for doc, (paragraph, _) in zip(
                self.ner.pipe(docs, batch_size=PARAGRAPH_BATCH), paragraphs, strict=True
            )
        ]

    def in_context(self, paragraph: Paragraph, article: Doc) -> Doc:
        """A new doc of the paragraph's text, after :data:`LEFT_CONTEXT` unless it opens
        its article and before :data:`RIGHT_CONTEXT` unless it closes it: tokenized alone,
        which gives the article's tokens (spaCy splits at whitespace first) and its
        tokenizer's norms; where the count differs, the article's own tokens instead."""
        left = "" if paragraph.first else LEFT_CONTEXT
        right = "" if paragraph.last else RIGHT_CONTEXT
        doc: Doc = self.tokenizer(left + paragraph.text + right)
        size = paragraph.end - paragraph.start
        if len(doc) == size + (0 if paragraph.first else _LEFT_TOKENS) + (
            0 if paragraph.last else _RIGHT_TOKENS
        ):
            return doc
        left_words = () if paragraph.first else _LEFT_WORDS
        right_words = () if paragraph.last else _RIGHT_WORDS
        tokens = article[paragraph.start : paragraph.end]
        words = [*left_words, *(t.text for t in tokens), *right_words]
        spaces = (
            [False] * len(left_words) + [bool(t.whitespace_) for t in tokens] + [False] * len(right_words)
        )
        return Doc(article.vocab, words=words, spaces=spaces)

    def _remember(self, found: dict[bytes, Entities]) -> None:
        """Put this batch's paragraphs in the memo as the most recently used; drop the
        least recently used past :attr:`max_paragraphs`."""
        memo = self.memo
        for key, entities in found.items():
            memo[key] = entities
            memo.move_to_end(key)
        while len(memo) > self.max_paragraphs:
            memo.popitem(last=False)


@Language.factory("newsweave_paragraph_ner")
def make_paragraph_recogniser(nlp: Language, name: str) -> ParagraphRecogniser:
    """An empty :class:`ParagraphRecogniser` (``copy_from`` gives it a loaded ``ner``)."""
    return ParagraphRecogniser(name, nlp.tokenizer)


def _inside(doc: Doc, offset: int, length: int) -> Entities:
    """The entities of ``doc`` within its tokens ``offset`` to ``offset + length``, from there."""
    return tuple(
        (ent.start - offset, ent.end - offset, ent.label_)
        for ent in doc.ents
        if ent.start >= offset and ent.end <= offset + length
    )


def use_paragraph_ner(nlp: Language) -> None:
    """Swap ``nlp``'s ``ner`` for a :class:`ParagraphRecogniser` around it, in place."""
    if "ner" in nlp.pipe_names and not isinstance(nlp.get_pipe("ner"), ParagraphRecogniser):
        original = nlp.get_pipe("ner")
        recogniser: Any = nlp.replace_pipe("ner", "newsweave_paragraph_ner")
        recogniser.copy_from(original)
