"""A lexical part-of-speech tagger: spaCy's tags from a table, without spaCy's token encoder.

Why: en_core_web_sm's ``ner`` carries its own token encoder, so the pipeline's
shared ``tok2vec`` exists for the tagger alone, and it costs almost as much as
the entity recogniser (30 timelines articles: ``tok2vec`` 3.3 CPU s, ``ner``
4.0 s). Extract reads parts of speech only in quantities and quotes, for coarse
decisions (is this a noun, a proper noun, a verb "say"?). This tagger gives each
token the tag spaCy's own tagger most often gave that word after that previous
tag, else that word as written, else lowercased, else its shape and suffix;
left to right, each token after the tag just given; then once more where the next
token's tag tells the word better ("to" before a noun is a preposition). The table
(``tags.json.gz``) is counted from spaCy's tagger on news articles by
``scripts/build_tag_table.py``; ``bench/tagger.py`` measures the agreement with
spaCy's tagger on held-out articles.
"""

from __future__ import annotations

import functools
import gzip
import itertools
import json
from importlib import resources
from typing import cast

from spacy.attrs import IDX, SPACY, TAG
from spacy.language import Language
from spacy.tokens import Doc

from .tagging import set_column

#: The table shipped with the package (see the module docstring).
TABLE = "tags.json.gz"
#: The previous tag at the start of a document, and the next at its end.
START = "<s>"
END = "</s>"
#: Tags of words a sentence may open on, capitalised, that stay what they are lowercase.
_FUNCTION_TAGS = frozenset(
    ["DT", "IN", "PRP", "PRP$", "CC", "RB", "MD", "WDT", "WP", "WP$", "WRB", "EX", "TO", "PDT", "UH"]
)
#: Apostrophes folded to the one the table was counted with ("’s" is "'s").
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})


def lookup_form(word: str) -> str:
    """A token as the table keys it: curly apostrophes straight."""
    return word.translate(_APOSTROPHES)


#: Letters of a word's end that its shape key keeps.
SUFFIX_LETTERS = 3


def shape_key(word: str, previous: str) -> str:
    """The key of a word never seen: its case pattern, its last letters, and whether
    it follows a start or a full stop (where every word is capitalised)."""
    if word.isspace():
        return "s|"
    if word.isdigit() or any(c.isdigit() for c in word):
        case = "d"
    elif not any(c.isalpha() for c in word):
        return f"p|{word[:2]}"
    elif word.isupper() and len(word) > 1:
        case = "X"
    elif word[:1].isupper():
        case = "Xx^" if previous in (START, ".", "``", "''", ":") else "Xx"
    else:
        case = "x"
    return f"{case}|{word[-SUFFIX_LETTERS:].lower()}"


@functools.lru_cache(maxsize=1)
def load_table() -> dict[str, dict[str, str]]:
    """The shipped table: ``form``, ``lower``, ``after`` ("previous tag|lower word"),
    ``before`` ("lower word|next tag"), ``around`` (both) and ``shape`` (:func:`shape_key`)."""
    raw = resources.files(__package__).joinpath(TABLE).read_bytes()
    return cast(dict[str, dict[str, str]], json.loads(gzip.decompress(raw)))


def _word_tag(word: str, previous: str, table: dict[str, dict[str, str]]) -> str:
    """A word's tag from itself and the tag before it. A capitalised word the table has
    not seen as written is tagged by its shape, not as its lowercase ("Trump" is a name,
    not the verb "trump"), unless it opens a sentence and is a function word lowercase."""
    low = word.lower()
    found = table["after"].get(f"{previous}|{low}") or table["form"].get(word)
    if found:
        return found
    key = shape_key(word, previous)
    found = table["lower"].get(low)
    opens_on_function_word = key.startswith("Xx^") and found in _FUNCTION_TAGS  # "Whereas"
    if key.startswith("X") and found is not None and not opens_on_function_word:
        # capitalised and never seen so: a name, whatever its lowercase is ("Trump said")
        found = table["shape"].get(key.replace("Xx^|", "Xx|", 1))
    return found or table["shape"].get(key) or table["lower"].get(low) or "NN"


#: (word, previous tag) pairs whose tag a :class:`LexicalTagger` remembers before it starts
#: again (a pure function of the table; bounds memory on a long run).
MAX_REMEMBERED_WORDS = 500_000


def context_words(table: dict[str, dict[str, str]]) -> frozenset[str]:
    """The lowercase words of the table's ``around`` and ``before`` keys: the only words
    the second pass of :func:`tag_words` can retag (tags hold no ``|``, so a key's word is
    what stands between its first and last one)."""
    around = (key.split("|", 1)[1].rsplit("|", 1)[0] for key in table.get("around", {}))
    before = (key.rsplit("|", 1)[0] for key in table.get("before", {}))
    return frozenset([*around, *before])


def tag_words(
    words: list[str],
    table: dict[str, dict[str, str]],
    memo: dict[tuple[str, str], str] | None = None,
    contextual: frozenset[str] | None = None,
) -> list[str]:
    """spaCy-style fine tags of ``words`` (one document's tokens, in order): left to
    right from each word and the tag before it, then again where the table knows the
    word better with the next token's tag (alone, or with the previous one too).
    ``memo`` keeps the first pass's tag of each (word, previous tag) across calls: the
    same tags, and most tokens of news cost a dictionary lookup. ``contextual``
    (:func:`context_words` of the table) spares the second pass's lookups of the other words."""
    words = [lookup_form(w) for w in words]
    if memo is None:
        memo = {}
    elif len(memo) >= MAX_REMEMBERED_WORDS:
        memo.clear()
    tags: list[str] = []
    previous = START
    for word in words:
        tag = memo.get((word, previous))
        if tag is None:
            tag = memo[word, previous] = _word_tag(word, previous, table)
        previous = tag
        tags.append(tag)
    around, before = table.get("around", {}), table.get("before", {})
    final = list(tags)
    for i, word in enumerate(words):
        low = word.lower()
        if contextual is not None and low not in contextual:
            continue
        left = final[i - 1] if i else START
        right = tags[i + 1] if i + 1 < len(tags) else END
        final[i] = around.get(f"{left}|{low}|{right}") or before.get(f"{low}|{right}") or tags[i]
    return final


class LexicalTagger:
    """A pipeline component setting ``Token.tag_`` from :func:`tag_words`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.table = load_table()
        self.memo: dict[tuple[str, str], str] = {}
        self.contextual = context_words(self.table)
        self.hashes: dict[str, int] = {}  # tag -> its string hash (the tagger's vocab)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        strings, hashes = doc.vocab.strings, self.hashes
        tags = tag_words(token_texts(doc), self.table, self.memo, self.contextual)
        for tag in set(tags).difference(hashes):
            hashes[tag] = strings.add(tag)
        return set_column(doc, TAG, [hashes[tag] for tag in tags])


def token_texts(doc: Doc) -> list[str]:
    """Each token's text, cut from the doc's text by the tokens' offsets and trailing
    spaces (a doc's text is its tokens' texts each followed by its space): no spaCy
    Token object per token, which cost about as much as tagging a known word."""
    text = doc.text
    offsets = doc.to_array([IDX, SPACY]).tolist()
    if not offsets:
        return []
    ends = [following[0] - space for (_, space), following in itertools.pairwise(offsets)]
    ends.append(len(text) - offsets[-1][1])
    return [text[start:end] for (start, _), end in zip(offsets, ends, strict=True)]


@Language.factory("newsweave_lexical_tagger")
def make_lexical_tagger(nlp: Language, name: str) -> LexicalTagger:
    """The lexical tagger, with the package's table."""
    del nlp
    return LexicalTagger(name)


def use_lexical_tagger(nlp: Language) -> None:
    """Replace ``nlp``'s ``tok2vec`` + ``tagger`` by the lexical tagger, in place."""
    if "tagger" not in nlp.pipe_names:
        return
    nlp.replace_pipe("tagger", "newsweave_lexical_tagger")
    if "tok2vec" in nlp.pipe_names:
        nlp.remove_pipe("tok2vec")
