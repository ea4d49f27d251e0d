"""Table-driven stand-ins for spaCy's ``attribute_ruler`` and ``lemmatizer``, same output.

Why: on 200 timelines articles (275,000 tokens, 2 cores) spaCy's attribute ruler
took 8.3 CPU s and its rule lemmatizer 3.8 s, against 50 s for the whole
``tok2vec`` + ``ner`` floor: a quarter more than the floor for two components
that only map a token's tag and word to its part of speech, morphology and lemma.
The ruler runs a :class:`spacy.matcher.Matcher` of 179 patterns over every token
and the lemmatizer a Python method per token; both depend on a few token
attributes only, so each is computed once per distinct key and looked up after:
token arrays in, token arrays out (``Doc.to_array`` / ``Doc.from_array``).

* :class:`AttributeTable` evaluates the ruler's own patterns (``TAG``, ``LOWER``,
  ``DEP``, ``IS_SPACE`` with equality, ``IN``, ``NOT_IN``, ``REGEX``; several
  tokens) and applies the matches in the ruler's order (by pattern entry, later
  entries win), so a token ends with the attributes the ruler gives it.
* :class:`LemmaTable` fills the lemmas the ruler left unset with the
  lemmatizer's own ``lemmatize`` of the first token of each (word, part of
  speech, morphology): what that lemmatizer depends on (its own cache key).

tests/test_extract.py checks that both give spaCy's annotations on the seeds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc

#: Token attributes the ruler's patterns read, in the order of a token's key.
_KEY_ATTRS = (TAG, LOWER, DEP, IS_SPACE)
_KEY_NAMES = ("TAG", "LOWER", "DEP", "IS_SPACE")
#: Attributes the ruler's entries set that go back through ``Doc.from_array``.
_ARRAY_ATTRS = (TAG, POS, MORPH, LEMMA)
_ARRAY_NAMES = ("TAG", "POS", "MORPH", "LEMMA")
#: Distinct token keys remembered before a table starts again (bounds memory on a long run).
MAX_CACHED_KEYS = 500_000

_Spec = Callable[[tuple[Any, ...]], bool]
#: A multi-token pattern token: (multi entry, position in the pattern, its test).
_Position = tuple[int, int, _Spec]


def _value_test(value: Any) -> Callable[[Any], bool]:
    """A test of one attribute value from a Matcher pattern value (str, bool or operator dict)."""
    if not isinstance(value, dict):
        return lambda v: bool(v == value)
    tests = [_operator_test(op, arg) for op, arg in value.items()]
    return lambda v: all(t(v) for t in tests)


def _operator_test(op: str, arg: Any) -> Callable[[Any], bool]:
    if op == "IN":
        allowed = frozenset(arg)
        return lambda v: v in allowed
    if op == "NOT_IN":
        banned = frozenset(arg)
        return lambda v: v not in banned
    if op == "REGEX":
        pattern = re.compile(arg)
        return lambda v: isinstance(v, str) and pattern.search(v) is not None
    raise ValueError(f"attribute ruler pattern operator {op!r} is not supported")


def _spec_test(spec: dict[str, Any]) -> _Spec:
    """A test of one token (its key as strings: tag, lower, dep, is_space) from a pattern token,
    but for the tags and words it names (:func:`_required_values`): a token is tested only
    against the pattern tokens that allow its tag and word (``AttributeTable._candidates``)."""
    checks = []
    for name, value in spec.items():
        if name not in _KEY_NAMES:
            raise ValueError(f"attribute ruler pattern attribute {name!r} is not supported")
        if name in _INDEXED_NAMES and _required_values(spec, name) is not None:
            continue
        checks.append((_KEY_NAMES.index(name), _value_test(value)))
    if not checks:
        return _always
    return lambda key: all(test(key[i]) for i, test in checks)


#: The attributes a table finds its candidate entries by (a token's tag and word).
_INDEXED_NAMES = ("TAG", "LOWER")


def _always(key: tuple[Any, ...]) -> bool:
    del key
    return True


class AttributeTable:
    """The ``attribute_ruler`` of a pipeline as tables (see the module docstring)."""

    def __init__(self, name: str = "attribute_ruler") -> None:
        self.name = name
        self.single: list[tuple[int, _Spec, dict[str, str]]] = []  # (entry, test, attrs)
        self.multi: list[tuple[int, list[_Spec], int, dict[str, str]]] = []  # (entry, tests, index, attrs)
        self.tags: list[frozenset[str] | None] = []  # per single entry: the tags it needs, None if any
        self.lowers: list[frozenset[str] | None] = []  # per single entry: the words it needs, None if any
        #: Per tag: the single entries that need no particular word, and by word those that do.
        self.by_tag: dict[str, tuple[list[int], dict[str, list[int]]]] = {}
        self.multi_tags: list[list[frozenset[str] | None]] = []  # per multi entry and token, as self.tags
        self.multi_lowers: list[list[frozenset[str] | None]] = []  # the same, as self.lowers
        self.multi_by_tag: dict[str, tuple[list[_Position], dict[str, list[_Position]]]] = {}
        self.cache: dict[tuple[int, ...], _Found] = {}
        #: Per cached key (its ``row``): the array attributes it sets, and which it sets.
        self.row_values = numpy.zeros((0, len(_ARRAY_ATTRS)), dtype="uint64")
        self.row_masks = numpy.zeros((0, len(_ARRAY_ATTRS)), dtype=bool)

    def copy_from(self, ruler: Any) -> None:
        """Take the patterns of a loaded spaCy AttributeRuler."""
        for entry, item in enumerate(ruler.patterns):
            attrs = {str(k): str(v) for k, v in item["attrs"].items()}
            index = int(item.get("index", 0))
            for pattern in item["patterns"]:
                tests = [_spec_test(spec) for spec in pattern]
                if len(tests) == 1 and index in (0, -1):
                    self.single.append((entry, tests[0], attrs))
                    self.tags.append(_required_tags(pattern[0]))
                    self.lowers.append(_required_values(pattern[0], "LOWER"))
                else:
                    self.multi.append((entry, tests, index, attrs))
                    self.multi_tags.append([_required_tags(spec) for spec in pattern])
                    self.multi_lowers.append([_required_values(spec, "LOWER") for spec in pattern])

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        vocab = doc.vocab
        found = [self._lookup(tuple(k), vocab) for k in doc.to_array(list(_KEY_ATTRS)).tolist()]
        rows = numpy.fromiter((f.row for f in found), dtype=numpy.intp, count=len(found))
        values = doc.to_array(list(_ARRAY_ATTRS))
        values = numpy.where(self.row_masks[rows], self.row_values[rows], values)
        targeted = self._multi_matches(found)
        extra: list[tuple[int, str, str]] = []
        for i in sorted({*targeted, *(i for i, f in enumerate(found) if f.others)}):
            hit = found[i]
            columns, others = (
                _as_columns(self._combine(hit, targeted[i]), vocab) if i in targeted else ((), hit.others)
            )
            for column, hashed in columns:
                values[i, column] = hashed
            extra += [(i, name, text) for name, text in others]
        doc.from_array(list(_ARRAY_ATTRS), cast(Any, values))
        for i, name, text in extra:
            setattr(doc[i], f"{name.lower()}_", text)
        return doc

    def _lookup(self, key: tuple[int, ...], vocab: Any) -> _Found:
        """What the single-token entries set on a token of this key (and which of them and
        which multi-token pattern tokens match it), once per key."""
        cached = self.cache.get(key)
        if cached is None:
            if len(self.cache) >= MAX_CACHED_KEYS:
                self.cache.clear()
            strings = vocab.strings
            text_key = (strings[key[0]], strings[key[1]], strings[key[2]], bool(key[3]))
            hits = tuple(n for n in self._candidates(*text_key[:2]) if self.single[n][1](text_key))
            attrs: dict[str, str] = {}
            for n in hits:  # in entry order: later entries win
                attrs.update(self.single[n][2])
            positions = frozenset((m, k) for m, k, t in self._multi_candidates(*text_key[:2]) if t(text_key))
            columns, others = _as_columns(attrs, vocab)
            cached = self.cache[key] = _Found(self._add_row(columns), others, hits, positions)
        return cached

    def _add_row(self, columns: tuple[tuple[int, int], ...]) -> int:
        """A row of the value and mask tables for one key's array attributes."""
        row = len(self.cache)
        if row >= len(self.row_values):
            grown = max(1024, 2 * len(self.row_values))
            self.row_values = numpy.resize(self.row_values, (grown, len(_ARRAY_ATTRS)))
            self.row_masks = numpy.resize(self.row_masks, (grown, len(_ARRAY_ATTRS)))
        self.row_values[row] = 0
        self.row_masks[row] = False
        for column, hashed in columns:
            self.row_values[row, column] = hashed
            self.row_masks[row, column] = True
        return row

    def _candidates(self, tag: str, lower: str) -> list[int]:
        """The single-token entries a token with this tag and lowercase word can match, in
        entry order: the others name other tags or words (most of the ruler's entries name a
        word, so a new key is tested against a few entries instead of all its tag allows)."""
        split = self.by_tag.get(tag)
        if split is None:
            split = self.by_tag[tag] = ([], {})
            for n in range(len(self.single)):
                if not _allows(self.tags[n], tag):
                    continue
                words = self.lowers[n]
                if words is None:
                    split[0].append(n)
                for word in words or ():
                    split[1].setdefault(word, []).append(n)
        anyword, byword = split
        named = byword.get(lower)
        return sorted(anyword + named) if named else anyword

    def _multi_candidates(self, tag: str, lower: str) -> list[_Position]:
        """(multi entry, token position, test) of the multi-token pattern tokens a token with
        this tag and lowercase word can match (the others name other tags or words), in order."""
        split = self.multi_by_tag.get(tag)
        if split is None:
            split = self.multi_by_tag[tag] = ([], {})
            for m, (_, tests, _, _) in enumerate(self.multi):
                for k, test in enumerate(tests):
                    if not _allows(self.multi_tags[m][k], tag):
                        continue
                    words = self.multi_lowers[m][k]
                    if words is None:
                        split[0].append((m, k, test))
                    for word in words or ():
                        split[1].setdefault(word, []).append((m, k, test))
        anyword, byword = split
        named = byword.get(lower)
        return sorted(anyword + named, key=lambda c: c[:2]) if named else anyword

    def _multi_matches(self, found: Sequence[_Found]) -> dict[int, list[int]]:
        """Token index -> the multi-token patterns (indices into ``self.multi``) that set it."""
        targeted: dict[int, list[int]] = {}
        for start, hit in enumerate(found):
            for m, k in hit.positions:
                length = len(self.multi[m][1])
                if k != 0 or start + length > len(found):
                    continue
                if all((m, j) in found[start + j].positions for j in range(1, length)):
                    targeted.setdefault(start + self.multi[m][2] % length, []).append(m)
        return targeted

    def _combine(self, hit: _Found, multis: list[int]) -> dict[str, str]:
        """Single- and multi-token entries on one token, applied in entry order."""
        ordered = [(self.single[n][0], self.single[n][2]) for n in hit.hits]
        ordered += [(self.multi[m][0], self.multi[m][3]) for m in multis]
        combined: dict[str, str] = {}
        for _, attrs in sorted(ordered, key=lambda pair: pair[0]):
            combined.update(attrs)
        return combined


@dataclass(frozen=True, slots=True)
class _Found:
    """A token key's single-token result: the attributes it sets, the entries that matched
    (indices into ``AttributeTable.single``) and the (multi pattern, position) it fits."""

    row: int  # in AttributeTable.row_values / row_masks: what it sets of _ARRAY_ATTRS
    others: tuple[tuple[str, str], ...]  # attributes set one by one (DEP)
    hits: tuple[int, ...]
    positions: frozenset[tuple[int, int]]


def _allows(tags: frozenset[str] | None, tag: str) -> bool:
    return tags is None or tag in tags


def _required_tags(spec: dict[str, Any]) -> frozenset[str] | None:
    """The tags a pattern token allows when it names them (TAG equal to or IN), else None."""
    return _required_values(spec, "TAG")


def _required_values(spec: dict[str, Any], name: str) -> frozenset[str] | None:
    """The values of attribute ``name`` a pattern token allows when it names them (equal
    to or IN), else None."""
    value = spec.get(name)
    if isinstance(value, str):
        return frozenset([value])
    if isinstance(value, dict) and set(value) == {"IN"}:
        return frozenset(value["IN"])
    return None


def _as_columns(
    attrs: dict[str, str], vocab: Any
) -> tuple[tuple[tuple[int, int], ...], tuple[tuple[str, str], ...]]:
    """Attributes as (array column, string hash) pairs, the rest by name; MORPH values are
    added to the morphology table, as the ruler does."""
    columns = []
    others = []
    for name, value in attrs.items():
        if name in _ARRAY_NAMES:
            if name == "MORPH":
                vocab.morphology.add(value)
            columns.append((_ARRAY_NAMES.index(name), vocab.strings.add(value)))
        else:
            others.append((name, value))
    return tuple(columns), tuple(others)


class LemmaTable:
    """The rule ``lemmatizer`` of a pipeline, once per (word, part of speech, morphology)."""

    def __init__(self, name: str = "lemmatizer") -> None:
        self.name = name
        self.lemmatizer: Any = None
        self.cache: dict[tuple[int, int, int], int] = {}

    def copy_from(self, lemmatizer: Any) -> None:
        """Take a loaded spaCy Lemmatizer (its tables and mode)."""
        if getattr(lemmatizer, "overwrite", False):
            raise ValueError("a lemmatizer with overwrite=True is not supported")
        self.lemmatizer = lemmatizer
        if "lemma_index" in lemmatizer.lookups.tables:
            # its rules test "form in index" on lists of up to 57,528 words: as sets, the
            # same answers, and a word not seen before costs 17 us instead of 130 us (22,691 of
            # them in 200 timelines articles)
            index = lemmatizer.lookups.get_table("lemma_index")
            for pos in list(index.keys()):
                index[pos] = frozenset(index[pos])

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        if not self.lemmatizer._validated:
            self.lemmatizer._validate_tables()
        strings = doc.vocab.strings
        values = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = values[:, 3].tolist()
        for i, (orth, pos, morph, lemma) in enumerate(values.tolist()):
            if lemma:
                continue  # set by the attribute ruler
            key = (orth, pos, morph)
            found = self.cache.get(key)
            if found is None:
                if len(self.cache) >= MAX_CACHED_KEYS:
                    self.cache.clear()
                found = self.cache[key] = strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = found
        return set_column(doc, LEMMA, lemmas)


def set_column(doc: Doc, attr: int, hashes: Sequence[int]) -> Doc:
    """``doc`` with one token attribute set from a hash per token."""
    doc.from_array([attr], cast(Any, numpy.asarray(hashes, dtype="uint64").reshape(-1, 1)))
    return doc


@Language.factory("newsweave_attribute_table")
def make_attribute_table(nlp: Language, name: str) -> AttributeTable:
    """An empty :class:`AttributeTable`; ``copy_from`` fills it from a loaded ruler."""
    del nlp
    return AttributeTable(name)


@Language.factory("newsweave_lemma_table")
def make_lemma_table(nlp: Language, name: str) -> LemmaTable:
    """An empty :class:`LemmaTable`; ``copy_from`` gives it a loaded lemmatizer."""
    del nlp
    return LemmaTable(name)


def use_tables(nlp: Language) -> None:
    """Swap ``nlp``'s attribute ruler and lemmatizer for the tables, in place."""
    for name, factory in (
        ("attribute_ruler", "newsweave_attribute_table"),
        ("lemmatizer", "newsweave_lemma_table"),
    ):
        if name in nlp.pipe_names:
            original = nlp.get_pipe(name)
            table: Any = nlp.replace_pipe(name, factory)
            table.copy_from(original)
