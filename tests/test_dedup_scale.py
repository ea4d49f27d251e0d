"""Dedup's corpus-scale parts on real news text: numpy words, MinHash LSH, winnowed
passages with the learned stop-list, and relay forms taken from real articles."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import numpy as np
import pytest

from newsweave.dedup import Dedup, clusters_of, find_copies, find_passages, find_relays
from newsweave.dedup.minhash import PERMUTATIONS, jaccard, shingle_sets, signatures
from newsweave.dedup.passages import PASSAGE_MIN_WORDS, STOP_CLUSTERS
from newsweave.dedup.tokens import tokenize
from newsweave.model import Article, Dossier

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def _jsonl(name: str) -> list[dict[str, object]]:
    path = DATA / name
    if not path.exists():
        pytest.skip(f"{path} not available")
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def polnear() -> list[str]:
    return [str(r["text"]) for r in _jsonl("polnear/polnear.jsonl")][:300]


def _article(article_id: str, text: str, published: str | None = None) -> Article:
    return Article(article_id, article_id, None, None, None, published, False, "en", (text,), ())


def _edited(text: str, rate: float, seed: int) -> str:
    rng = random.Random(seed)
    return " ".join("edited" if rng.random() < rate else word for word in text.split(" "))


def test_words_and_offsets_match_a_regex_tokeniser_on_real_articles(polnear: list[str]) -> None:
    tokens = tokenize(polnear[:50])
    for d, text in enumerate(polnear[:50]):
        span = tokens.doc(d)
        words = [text[s:e] for s, e in zip(tokens.starts[span], tokens.ends[span], strict=True)]
        assert words == re.findall(r"\w+(?:['’]\w+)*", text)


def test_case_and_apostrophes_fold_but_words_differ() -> None:
    tokens = tokenize(["Ukraine’s ARMY", "ukraine's army", "Ukraines army"])
    first, second, third = (tokens.hashes[tokens.doc(d)].tolist() for d in range(3))
    assert first == second
    assert third[0] != first[0] and third[1] == first[1]


def test_minhash_agreement_estimates_real_jaccard(polnear: list[str]) -> None:
    pairs = [
        (polnear[k], _edited(polnear[k], rate, k)) for k, rate in enumerate([0.0, 0.01, 0.03, 0.08, 0.2])
    ]
    texts = [t for pair in pairs for t in pair]
    signature = signatures(tokenize(texts))
    sets = shingle_sets(texts, range(len(texts)))
    for k in range(len(pairs)):
        estimate = float(np.mean(signature[2 * k] == signature[2 * k + 1]))
        assert abs(estimate - jaccard(sets[2 * k], sets[2 * k + 1])) < 0.15, k
    assert signature.shape == (len(texts), PERMUTATIONS)


def test_lightly_edited_real_articles_are_near_duplicates_and_heavily_edited_are_not(
    polnear: list[str],
) -> None:
    light = [_edited(t, 0.005, k) for k, t in enumerate(polnear[:20])]
    heavy = [_edited(t, 0.15, k) for k, t in enumerate(polnear[20:40])]
    corpus = polnear + light + heavy
    copies = find_copies(corpus)
    found = {(i, j) for i, j, _ in copies.near}
    found |= {(group[0], other) for group in copies.exact for other in group[1:]}  # no word edited
    n = len(polnear)
    assert all((k, n + k) in found for k in range(20) if len(polnear[k].split()) > 100)
    assert not any((20 + k, n + 20 + k) in found for k in range(20))
    assert all(s >= 0.8 for _, _, s in copies.near)
    assert copies.candidates < len(corpus) * 2  # nowhere near all pairs


def test_the_same_event_in_other_words_is_no_copy() -> None:
    """SemEval-2022 task 8: English pairs that annotators rated about the same event
    (overall <= 1.5) but written by different outlets."""
    pairs = [
        p
        for p in _jsonl("article-similarity/pairs.jsonl")
        if p["lang1"] == p["lang2"] == "en" and float(str(p["overall"])) <= 1.5
    ]
    texts = [str(t) for p in pairs for t in (p["text1"], p["text2"])]
    copies = find_copies(texts)
    assert len(pairs) >= 20 and copies.exact == [] and copies.near == []
    passages = find_passages(texts, list(range(len(texts))))
    assert all(p.words >= PASSAGE_MIN_WORDS for p in passages.found)
    assert len(passages.found) <= 2  # quoting one statement verbatim is rare, rewording the rule


def test_syndicated_ecbplus_documents_are_found() -> None:
    """ECB+ holds a few reprints of one wire story under two document ids."""
    docs = _jsonl("ecbplus/documents.jsonl")
    texts = [str(d["text"]) for d in docs]
    copies = find_copies(texts)
    assert copies.near
    for i, j, similarity in copies.near:
        assert docs[i]["topic"] == docs[j]["topic"]  # a reprint tells the same event
        assert similarity == jaccard(*shingle_sets(texts, [i, j]).values())


def test_a_pasted_real_passage_is_found_with_offsets_in_both(polnear: list[str]) -> None:
    source, host = polnear[3], polnear[7]
    words = list(re.finditer(r"\S+", source))
    start, end = words[30].start(), words[89].end()  # 60 words
    passage = source[start:end].replace("\n", " ")
    paragraphs = host.split("\n\n")
    pasted = "\n\n".join([*paragraphs[:2], passage, *paragraphs[2:]])
    at = pasted.index(passage)
    reuse = Dedup()(
        Dossier(articles=(_article("s", source, "2016-03-01"), _article("h", pasted, "2016-03-02")))
    )["reuse"]
    (shared,) = reuse
    assert (shared.kind, shared.a, shared.b, shared.origin) == ("shared_passage", "s", "h", "s")
    assert abs(shared.a_start - start) <= 1 and abs(shared.a_end - end) <= 1
    assert abs(shared.b_start - at) <= 1 and abs(shared.b_end - (at + len(passage))) <= 1
    assert shared.text == source[shared.a_start : shared.a_end]


def test_a_line_in_many_unrelated_articles_is_learned_boilerplate(polnear: list[str]) -> None:
    line = (
        "Sign up for our daily newsletter to get the most important political stories of the day "
        "delivered straight to your inbox every morning, free of charge, and unsubscribe at any time."
    )
    assert len(line.split()) >= PASSAGE_MIN_WORDS
    many = [f"{text}\n\n{line}" for text in polnear[: STOP_CLUSTERS + 10]]
    passages = find_passages(many, list(range(len(many))))
    assert passages.stop_fingerprints > 0
    assert not [p for p in passages.found if line in many[p.i][p.i_start : p.i_end + 1]]
    two = many[:2]
    (found,) = find_passages(two, [0, 1]).found
    assert two[0][found.i_start : found.i_end] == line.rstrip(".")


def test_copies_are_not_also_reported_as_passages(polnear: list[str]) -> None:
    texts = [polnear[0], polnear[0].upper(), _edited(polnear[0], 0.004, 1)]
    copies = find_copies(texts)
    assert copies.exact == [[0, 1]] and {(i, j) for i, j, _ in copies.near} == {(0, 2), (1, 2)}
    assert find_passages(texts, clusters_of(len(texts), copies)).found == []


# Sentences from PolNeAR articles and the seeds, each with the source it relays.
RELAY_FORMS = [
    (
        "The payments totalled $1.2 million, according to the Federal Bureau of Prisons.",
        {"Federal Bureau of Prisons"},
    ),
    ("The New York Times reported Saturday that it had received anonymous documents.", {"New York Times"}),
    ("The registration issue was first reported by The Washington Post.", {"Washington Post"}),
    ("“It is the only way,” Figueroa told USA Today.", {"USA Today", "Figueroa"}),
    ("Mr. Obama, who understood the stakes, told Reuters he would act.", {"Reuters", "Mr. Obama"}),
    (
        "Turnout fell, according to a New York Times/CBS News poll released last week.",
        {"New York Times/CBS News poll"},
    ),
    (
        "Ukrayinska Pravda, citing the Financial Times, wrote that troops moved.",
        {"Ukrayinska Pravda", "Financial Times"},
    ),
    ("KYIV, Nov 5 (MENAFN- UkrinForm) Ukrainian forces engaged the troops.", {"UkrinForm"}),
    ("The figures came via Ukrinform on Tuesday.", {"Ukrinform"}),
    ("The talks stalled, writes the FT.", {"FT"}),
    ("Suspilne, citing its own sources, reports that the brigade was hit.", {"Suspilne"}),
    ("The strike was confirmed, according to US officials.", {"US officials"}),
    ("Bloomberg also reported that roughly 1,100 foreign donors gave.", {"Bloomberg"}),
    ("That is correct, according to a new article in Politico.", {"Politico"}),
    (
        "Carter’s press secretary, Peter Cook, told the Times that Carter believed it.",
        {"Peter Cook", "Times"},
    ),
]


@pytest.mark.parametrize(("sentence", "sources"), RELAY_FORMS)
def test_each_relay_form_gives_its_source(sentence: str, sources: set[str]) -> None:
    relays = find_relays(_article("r", sentence))
    assert {r.source for r in relays} == sources
    assert all(sentence[r.start : r.end] == r.text for r in relays)


@pytest.mark.parametrize(
    "sentence",
    [
        "According to the agreement, the troops may be deployed.",
        "Trump’s reported ties to the bank were examined.",
        "Donald Trump speaks in Iowa. (Photo by Scott Olson via Getty Images)",
        "He told his advisers to draft an order.",
        "It was, the official said, a bad week.",
    ],
)
def test_what_is_not_a_relay(sentence: str) -> None:
    assert find_relays(_article("n", sentence)) == []
