"""Parts of speech only where extract reads them: spaCy's tagger on a few sentences, same tags.

Why: en_core_web_sm's ``ner`` carries its own token encoder, so the pipeline's
shared ``tok2vec`` serves only the tagger, and the two cost as much as the
entity recogniser itself (on 100 timelines articles, 6,600 characters each:
``ner`` + ``sentencizer`` 12.1 CPU s, with ``tok2vec`` + ``tagger`` 27.5 s).
Extract reads parts of speech in two places only: around numbers (quantities)
and around speech verbs and quote marks (quotes). :class:`SelectiveTagger` runs
``tok2vec`` and ``tagger`` on the sentences that hold one of those (with their
neighbouring token on each side), not on the whole article.

The tags are the ones the full pipeline gives, not an approximation: the
encoder looks :data:`RECEPTIVE_FIELD` tokens to each side (four window-1
layers) and the tagger reads one token's vector, so a piece cut out with that
many tokens of context on each side gets, on its inner tokens, exactly the
tags it gets inside the whole document. ``tests/test_extract.py`` checks that on
real articles, and that every speech verb the full pipeline tags lies in a
tagged sentence.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, cast

import numpy
from spacy.attrs import TAG
from spacy.language import Language
from spacy.tokens import Doc

from .quantities import NUMBER_PATTERN, VAGUE_AMOUNT_PATTERN
from .quotes import CUE_LEMMAS

#: Tokens of context the ``tok2vec`` of en_core_web_sm sees on each side of a token
#: (MaxoutWindowEncoder, depth 4, window size 1): a piece cut out with this much
#: context has the whole document's tags on its inner tokens.
RECEPTIVE_FIELD = 4
#: Tokens tagged beyond a chosen sentence on each side (quantities read the token
#: before a number, which may end the sentence before).
EDGE_TOKENS = 1
#: Pieces tagged per batch of the tagger (spaCy's own default batch size).
PIECE_BATCH = 256

#: Quote marks the quote finder opens on; a ’ between letters is an apostrophe.
_QUOTE_MARK = re.compile(r"[\"“”‘]|(?<![A-Za-z])’|’(?![A-Za-z])")
_ACCORDING = re.compile(r"\b[Aa]ccording\s+to\b")
_WORD = re.compile(r"[A-Za-z]+")


def cue_forms(lemmatizer: Any) -> Callable[[str], bool]:
    """A test of a lowercased word: can spaCy's rule lemmatizer give it a speech verb's lemma?

    Built from the lemmatizer's own verb exceptions ("said" -> say) and suffix
    rules ("warns" -> warn), so it holds whatever the tagger says the word is.
    """
    tables = lemmatizer.lookups
    exceptions = tables.get_table("lemma_exc")["verb"] if "lemma_exc" in tables.tables else {}
    rules = tables.get_table("lemma_rules")["verb"] if "lemma_rules" in tables.tables else []
    irregular = frozenset(form for form, lemmas in exceptions.items() if CUE_LEMMAS.intersection(lemmas))
    suffixes = tuple((old, new) for old, new in rules if old)

    def is_cue_form(word: str) -> bool:
        if word in CUE_LEMMAS or word in irregular:
            return True
        return any(
            word.endswith(old) and word[: len(word) - len(old)] + new in CUE_LEMMAS for old, new in suffixes
        )

    return is_cue_form


def sentence_needs_tags(text: str, is_cue_form: Callable[[str], bool]) -> bool:
    """Whether extract reads parts of speech in this sentence: a number or amount
    (quantities), a quote mark, "according to" or a speech verb (quotes)."""
    if NUMBER_PATTERN.search(text) or VAGUE_AMOUNT_PATTERN.search(text):
        return True
    if _QUOTE_MARK.search(text) or _ACCORDING.search(text):
        return True
    return any(is_cue_form(w.lower()) for w in _WORD.findall(text))


class SelectiveTagger:
    """``tok2vec`` + ``tagger`` over the sentences :func:`sentence_needs_tags` chooses;
    the other tokens keep no tag (see the module docstring)."""

    def __init__(self, name: str, tok2vec: Any, tagger: Any, is_cue_form: Callable[[str], bool]) -> None:
        self.name = name
        self.tok2vec = tok2vec
        self.tagger = tagger
        self.is_cue_form = is_cue_form

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = PIECE_BATCH) -> Iterator[Doc]:
        stream = iter(docs)
        while batch := list(itertools.islice(stream, batch_size)):
            self._tag(batch)
            yield from batch

    def ranges(self, doc: Doc) -> list[tuple[int, int]]:
        """Token ranges to tag: chosen sentences widened by :data:`EDGE_TOKENS` and the last token of
        each person's name, joined where their contexts would overlap."""
        chosen = [
            (max(0, sent.start - EDGE_TOKENS), min(len(doc), sent.end + EDGE_TOKENS))
            for sent in doc.sents
            if sentence_needs_tags(sent.text, self.is_cue_form)
        ]
        # quotes read the tag of a person's last token (a people, "Buryats", is no antecedent)
        chosen += [(ent.end - 1, ent.end) for ent in doc.ents if ent.label_ == "PERSON"]
        found: list[tuple[int, int]] = []
        for start, end in sorted(chosen):
            if found and start <= found[-1][1] + 2 * RECEPTIVE_FIELD:  # cheaper as one piece
                found[-1] = (found[-1][0], max(found[-1][1], end))
            else:
                found.append((start, end))
        return found

    def _tag(self, docs: Sequence[Doc]) -> None:
        pieces: list[tuple[int, int, int, int]] = []  # doc index, piece start, inner start, inner end
        subdocs: list[Doc] = []
        for d, doc in enumerate(docs):
            for start, end in self.ranges(doc):
                low, high = max(0, start - RECEPTIVE_FIELD), min(len(doc), end + RECEPTIVE_FIELD)
                pieces.append((d, low, start, end))
                subdocs.append(doc[low:high].as_doc())
        if not subdocs:
            return
        tagged = self.tagger.pipe(self.tok2vec.pipe(subdocs, batch_size=PIECE_BATCH), batch_size=PIECE_BATCH)
        tags = {d: docs[d].to_array([TAG]) for d in {p[0] for p in pieces}}
        for (d, low, start, end), sub in zip(pieces, tagged, strict=True):
            tags[d][start:end] = sub.to_array([TAG])[start - low : end - low]
        for d, values in tags.items():
            docs[d].from_array([TAG], cast(Any, numpy.asarray(values, dtype="uint64").reshape(-1, 1)))


def tag_selectively(nlp: Language) -> None:
    """Move ``nlp``'s ``tok2vec`` and ``tagger`` into a :class:`SelectiveTagger` after its
    sentencizer, followed by the components that read tags: the attribute ruler and the
    lemmatizer, as :mod:`.tagging`'s tables."""
    names = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer", "sentencizer")
    if not all(n in nlp.pipe_names for n in names):
        raise ValueError(f"selective tagging needs the components {names}, the pipeline has {nlp.pipe_names}")
    tok2vec, tagger, ruler, lemmatizer = (nlp.remove_pipe(n)[1] for n in names[:4])
    selective: Any = nlp.add_pipe("newsweave_selective_tagger", after="sentencizer")
    selective.tok2vec, selective.tagger, selective.is_cue_form = tok2vec, tagger, cue_forms(lemmatizer)
    table: Any = nlp.add_pipe("newsweave_attribute_table", name="attribute_ruler", after=selective.name)
    table.copy_from(ruler)
    lemmas: Any = nlp.add_pipe("newsweave_lemma_table", name="lemmatizer", after="attribute_ruler")
    lemmas.copy_from(lemmatizer)


@Language.factory("newsweave_selective_tagger")
def make_selective_tagger(nlp: Language, name: str) -> SelectiveTagger:
    """An empty :class:`SelectiveTagger`; :func:`tag_selectively` gives it the pipeline's tagger."""
    del nlp
    return SelectiveTagger(name, None, None, CUE_LEMMAS.__contains__)
