"""Claim grouping on ECB+ event chains, and the claims stage's throughput.

    python bench/claims.py [--data DIR] [--articles N]

DIR is ../shared/data/ecbplus (train and dev topics; the test topics are held
out elsewhere and not read). Each document becomes an article whose sentences
are ECB+'s sentences, with the named entity mentions of its annotation
(capitalised PERSON/ORG/GPE/FAC mentions; no spaCy, so the figure is the
claims stage's alone) and one story per ECB+ subtopic (gold stories: this
measures grouping, not story detection).

* Grouping: two sentences of different documents are one claim in the gold
  when they hold mentions of one event chain (ECB+'s cross-document event
  coreference). Only the validated sentences are scored (ECB+'s README: the
  annotation is complete there only). A predicted pair is two validated
  sentences that newsweave's claims stage put in one claim. Precision = predicted
  pairs in the gold / predicted pairs; recall = gold pairs predicted / gold pairs
  (over all validated sentences, those the stage does not take as claims too).
* Throughput: the whole claims stage (candidates, grouping, origins,
  discrepancies) on N articles (default 10,000): the ECB+ documents repeated
  under new ids, each copy its own story of the same size as the original
  subtopic, so story sizes stay realistic. Claims per second of wall time.

* ``--clauses N``: the clause rule (``newsweave.claims.clauses``) against spaCy's
  dependency parse (the extract stage's model) on the first N validated sentences: a sentence
  needs a split when a verb conjoined to the root has a subject of its own, or a
  ``while``/``whereas`` clause hangs on the root; precision and recall of the rule's
  decision to split (the rule also splits a bare "and" between two facts, which the
  bench gives no dates or figures for, so that case is not scored).

Last line: ``RESULT precision=... recall=... claims_per_s=...`` (with ``split_precision``
and ``split_recall`` when ``--clauses`` is given).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from bisect import bisect_right
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

from newsweave.claims import Claims
from newsweave.claims.clauses import clause_spans
from newsweave.model import Article, Dossier, Mention, Sentence, Story

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "ecbplus"
ENTITY_TYPES = {"HUMAN_PART_PER": "PERSON", "HUMAN_PART_ORG": "ORG", "LOC_GEO": "GPE", "LOC_FAC": "FAC"}


def _read(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        sys.exit(f"bench/claims.py: {path} not found; pass --data pointing at ../shared/data/ecbplus")
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def build(
    docs: list[dict[str, Any]], mentions: dict[str, list[dict[str, Any]]], copy: int = 0
) -> tuple[list[Article], list[Sentence], list[Mention], list[Story]]:
    articles, sentences, named, stories = [], [], [], []
    members: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        aid = f"{d['doc_id']}#{copy}" if copy else d["doc_id"]
        text = d["text"]
        articles.append(Article(aid, aid, None, None, None, None, False, "en", (text,), ()))
        for i, (s, e) in enumerate(d["sentences"]):
            if i or not d["doc_id"].endswith("ecbplus"):  # sentence 0 of an ECB+ document is its URL
                sentences.append(Sentence(aid, i, s, e, text[s:e]))
        for m in mentions.get(d["doc_id"], ()):
            kind = ENTITY_TYPES.get(m["type"])
            if kind and m["text"][:1].isupper():
                named.append(Mention(aid, m["start"], m["end"], m["text"], kind))
        members[f"{d['subtopic']}#{copy}"].append(aid)
    for sid, ids in sorted(members.items()):
        stories.append(Story(sid, sid, tuple(sorted(ids)), None, None))
    return articles, sentences, named, stories


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the ecbplus folder")
    parser.add_argument("--articles", type=int, default=10_000, help="articles for the throughput run")
    parser.add_argument(
        "--clauses", type=int, default=0, help="score the clause rule against spaCy's parse on N sentences"
    )
    args = parser.parse_args()
    docs = _read(args.data / "documents.jsonl")
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in _read(args.data / "mentions.jsonl"):
        by_doc[m["doc_id"]].append(m)

    # gold: validated sentences -> the event chains mentioned in them
    validated = {
        (d["doc_id"], i)
        for d in docs
        for i in d["validated_sentences"]
        if i or not d["doc_id"].endswith("ecbplus")
    }
    subtopic = {d["doc_id"]: d["subtopic"] for d in docs}
    chains: dict[tuple[str, int], set[str]] = defaultdict(set)
    for doc, ms in by_doc.items():
        for m in ms:
            if m["kind"] == "event" and m["chain"] and (doc, m["sentence"]) in validated:
                chains[(doc, m["sentence"])].add(m["chain"])
    by_chain: dict[tuple[str, str], set[tuple[str, int]]] = defaultdict(set)
    for key, cs in chains.items():
        for c in cs:
            by_chain[(subtopic[key[0]], c)].add(key)
    gold = {(x, y) for keys in by_chain.values() for x, y in combinations(sorted(keys), 2) if x[0] != y[0]}

    articles, sentences, named, stories = build(docs, by_doc)
    dossier = Dossier(
        articles=tuple(articles), sentences=tuple(sentences), mentions=tuple(named), stories=tuple(stories)
    )
    claims = Claims()(dossier)["claims"]
    starts: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for s in sentences:
        starts[s.article].append((s.start, s.index))

    def index_of(article: str, at: int) -> int:
        """The index of the sentence holding a support span (a clause of it, or all of it)."""
        return starts[article][bisect_right(starts[article], (at, sys.maxsize)) - 1][1]

    predicted = set()
    in_claims = set()
    for claim in claims:
        keys = sorted({(s.article, index_of(s.article, s.start)) for s in claim.support})
        in_claims.update(k for k in keys if k in validated)
        for x, y in combinations(keys, 2):
            if x[0] != y[0] and x in validated and y in validated:
                predicted.add((x, y))
    right = len(predicted & gold)
    precision = right / max(len(predicted), 1)
    recall = right / max(len(gold), 1)
    split = {d["doc_id"]: d["split"] for d in docs}
    for part in ("train", "dev"):
        p_part = {x for x in predicted if split[x[0][0]] == part}
        g_part = {x for x in gold if split[x[0][0]] == part}
        ok = len(p_part & g_part)
        print(f"{part}: precision={ok / max(len(p_part), 1):.3f} recall={ok / max(len(g_part), 1):.3f}")
    print(
        f"ECB+ train+dev: {len(docs)} documents, {len(validated)} validated sentences ({len(in_claims)} in claims), "
        f"{len(gold)} gold pairs, {len(predicted)} predicted pairs, {right} right; {len(claims)} claims"
    )

    copies = max(1, -(-args.articles // len(docs)))
    big: list[list[Any]] = [[], [], [], []]
    for k in range(copies):
        for part, records in zip(big, build(docs, by_doc, k + 1), strict=True):
            part.extend(records)
    keep = {a.id for a in big[0][: args.articles]}
    big_dossier = Dossier(
        articles=tuple(a for a in big[0] if a.id in keep),
        sentences=tuple(s for s in big[1] if s.article in keep),
        mentions=tuple(m for m in big[2] if m.article in keep),
        stories=tuple(
            Story(s.id, s.title, ids, None, None)
            for s in big[3]
            if (ids := tuple(a for a in s.article_ids if a in keep))
        ),
    )
    start = time.perf_counter()
    many = Claims()(big_dossier)["claims"]
    elapsed = time.perf_counter() - start
    rate = len(many) / elapsed
    print(
        f"throughput: {len(big_dossier.articles)} articles, {len(big_dossier.sentences)} sentences -> "
        f"{len(many)} claims in {elapsed:.1f} s (one core of a shared 2-core machine)"
    )
    extra = ""
    if args.clauses:
        texts = [x.text for x in sentences if (x.article, x.index) in validated][: args.clauses]
        split_p, split_r = clause_agreement(texts)
        extra = f" split_precision={split_p:.3f} split_recall={split_r:.3f}"
    print(f"RESULT precision={precision:.3f} recall={recall:.3f} claims_per_s={rate:.0f}{extra}")


def _parse_splits(doc: Any) -> bool:
    """Whether spaCy's parse has two main clauses: a verb conjoined to the root with a subject
    of its own, or a while/whereas clause on the root."""
    for token in doc:
        head_is_root = token.head.dep_ == "ROOT" and token.head is not token
        subject = any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in token.children)
        if head_is_root and token.dep_ == "conj" and token.pos_ in ("VERB", "AUX") and subject:
            return True
        marks = {c.lower_ for c in token.children if c.dep_ == "mark"}
        if head_is_root and token.dep_ == "advcl" and marks & {"while", "whereas"} and subject:
            return True
    return False


def clause_agreement(texts: list[str]) -> tuple[float, float]:
    """Precision and recall of the clause rule's split decision against spaCy's parse."""
    import spacy

    from newsweave.stage import Options

    nlp = spacy.load(Options().spacy_model, exclude=["ner", "lemmatizer"])
    ours = [len(clause_spans(t)) > 1 for t in texts]
    theirs = [_parse_splits(doc) for doc in nlp.pipe(texts)]
    both = sum(a and b for a, b in zip(ours, theirs, strict=True))
    print(
        f"clauses: {len(texts)} sentences, rule splits {sum(ours)}, parse splits {sum(theirs)}, both {both}"
    )
    return both / max(sum(ours), 1), both / max(sum(theirs), 1)


if __name__ == "__main__":
    main()
