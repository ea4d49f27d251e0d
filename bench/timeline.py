"""Timeline bench: date selection F1 and alignment ROUGE-1/2 on Timeline17 (news-tls protocol).

    python bench/timeline.py --data ../shared/data/timelines [--limit N] [--topics a,b]

Protocol (the data set's README, read from news-tls ``experiments/evaluate.py``): each gold
timeline is one case; the system outputs l = |gold dates| dates with k = round(mean gold
sentences per date) sentences each. In the **restricted** setting (the published protocol)
the input is the topic's articles published in the timeline's span [first gold date, last
gold date] and the output dates lie in that span (as news-tls's DATEWISE keeps them); in the
**unrestricted** setting the input is all of the topic's articles and the dates lie in their
publication span. Scores are mean P and mean R over cases and the F1 of those means, for
date selection (exact days) and alignment ROUGE-N "align+ m:1" (tilse, Martschat & Markert
2017). To keep the run affordable the pipeline runs once per topic, over windows of
:data:`WINDOW` articles (claims grouping and entity resolution are the slow stages); a
restricted case keeps the sentences and date mentions of its span's articles, with those
articles only: the same as a run on the span's articles (the sentences chosen do not depend
on claims; the timeline stage's entries, built from claims, are not what is scored).

What runs is our pipeline through its Python API: ``Engine.clean`` then the engine's
stages (dedup, extract, resolve, claims, timeline). A Timeline17 topic is a months-long
subject (the BP oil spill, the financial crisis), far coarser than the events the
``stories`` stage groups, and the task asks for one timeline per topic; so instead of the
``stories`` stage the bench gives the engine :class:`TopicStory`, which makes a window of
a topic's articles one story, and the timelines of a topic's windows are the system's
output. What is scored is the product's
:func:`newsweave.timeline.digest` of the case's articles (those published in its span): the
days are :func:`newsweave.timeline.key_dates` of the days the articles name and of their
publication days (a day named before it comes counting half), and each date's sentences
are the most central of the sentences that tell of it (those naming the day in articles
published up to three days after it, else in later ones, and the ledes published on it or
the day after, read by ``clean.sentence.news_sentence``), naming one of the story's
keywords, as DATEWISE chooses them. The busiest-days baseline (``baseline_date_count.py``: the l days with most
articles published) is computed on the same cases in the same run.

spaCy is the slow part (about 4 articles per CPU second): its docs are cached under
``build/cache/tls/`` per article id and spaCy model/version, and extract's records per
article id and hash of the extract code, so a rerun after a change elsewhere costs only
the stages after extract. ``--limit N`` keeps N articles of each topic, evenly spaced in
publication order (so they still span the gold timelines), for runs that fit in minutes;
without it every article is used (the claims dossier of each window is cached under
``build/cache/tls/claims/`` per its articles and the hash of the code before the timeline,
so a change to the timeline stage or the date choice reruns in minutes).

ROUGE is computed here, offline: ROUGE-1.5.5-style counts (lower-cased, non-alphanumerics
to spaces, stopwords removed, Porter-stemmed) with clipped n-gram hits; the stopword list
is spaCy's English one (ROUGE-1.5.5's SMART list is not on this machine), so figures are
close to, not identical with, tilse's. The alignment's cost uses unigram F1 on raw
whitespace tokens as tilse does. Gold sentences and entries are tokenised alike.

Last line: ``RESULT date_f1=... rouge1=... rouge2=... busiest_days_date_f1=...`` (restricted
setting, the published protocol), then the same as ``unrestricted_*``.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import hashlib
import json
import pickle
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date as Date
from pathlib import Path
from typing import Any, ClassVar

from newsweave.claims import Claims
from newsweave.dedup import Dedup
from newsweave.engine import Engine
from newsweave.extract import Extract, extract_article, load_pipeline
from newsweave.model import Article, Dossier, RawDocument, Story, stable_id
from newsweave.resolve import Resolve
from newsweave.stage import Options, Stage
from newsweave.timeline import Timeline, digest

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "timelines"
CACHE = ROOT / "build" / "cache" / "tls"
EXTRACT_FIELDS = Extract.provides
#: Articles per spaCy pass between cache writes (a stopped run keeps what it did).
CACHE_CHUNK = 64
#: Articles per pipeline run (one story): resolve and claims compare pairs within a story,
#: so a 1,460-article topic as one story takes hours on 2 shared cores (150 articles took
#: 66 s of claims and 48 s of resolve, mostly pair tests); windows of this many articles in
#: publication order (about a week of a busy topic, the size of a story the ``stories``
#: stage makes) keep the full set to well under an hour. The days chosen do not depend on
#: it (they come from date mentions and publication days), only the entries' texts do.
WINDOW = 50


# ------------------------------------------------------------------ input


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def read_topics(folder: Path, limit: int | None) -> dict[str, list[RawDocument]]:
    """The articles of each topic as raw documents, in publication order."""
    path = folder / "articles.jsonl.gz"
    if not path.is_file():
        path = folder / "articles.jsonl"
    if not path.is_file():
        sys.exit(f"bench/timeline.py: no articles.jsonl(.gz) in {folder}; pass --data DIR")
    topics: dict[str, list[RawDocument]] = defaultdict(list)
    for record in load_jsonl(path):
        topics[record["topic"]].append(
            RawDocument(
                source=record["id"],
                text=record["text"],
                outlet=record.get("outlet"),
                published=record["published"],
            )
        )
    if limit is None:
        return topics
    # evenly spaced in publication order, so a subsample still spans the gold timelines
    return {
        t: [docs[i * len(docs) // limit] for i in range(min(limit, len(docs)))] for t, docs in topics.items()
    }


# -------------------------------------------------------- extract, cached


def _code_version() -> str:
    """A hash of the extract code: its cached records are stale when it changes."""
    folder = Path(sys.modules[Extract.__module__].__file__ or "").parent
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _spacy_version(model: str) -> str:
    from importlib.metadata import version

    nlp = load_pipeline(model)
    return f"{model}-{nlp.meta.get('version')}-spacy{version('spacy')}"


def _cache_path(kind: str, version: str, article: Article) -> Path:
    """Keyed by the article's id and a hash of its clean text (clean may change under an id)."""
    text = hashlib.sha256(article.text.encode()).hexdigest()[:12]
    return CACHE / kind / version / article.id[-2:] / f"{article.id}-{text}.pkl"


def _records(article: Article, doc: Any) -> dict[str, list[Any]]:
    return extract_article(article, doc)


def extract(articles: Sequence[Article], options: Options) -> dict[str, tuple[Any, ...]]:
    """Extract's five record lists for ``articles``, from the cache where it holds them.

    The records are :func:`newsweave.extract.extract_article` of each article's spaCy doc,
    exactly what the Extract stage gives. Two caches: the records per article id and hash
    of the extract code, and the spaCy doc (without its tensor) per article id and model, so
    a change to extract's rules reruns only the rules.
    """
    from spacy.tokens import Doc

    version, model = _code_version(), _spacy_version(options.spacy_model)
    nlp = load_pipeline(options.spacy_model)
    found: dict[str, list[Any]] = {name: [] for name in EXTRACT_FIELDS}
    todo = []
    for article in articles:
        path, doc_path = _cache_path("extract", version, article), _cache_path("docs", model, article)
        if path.is_file():
            records = pickle.loads(path.read_bytes())
        elif doc_path.is_file():
            records = _records(article, Doc(nlp.vocab).from_bytes(doc_path.read_bytes()))
            _write(path, pickle.dumps(records))
        else:
            todo.append(article)
            continue
        for name in EXTRACT_FIELDS:
            found[name].extend(records[name])
    for start in range(0, len(todo), CACHE_CHUNK):
        chunk = todo[start : start + CACHE_CHUNK]
        docs = nlp.pipe((a.text for a in chunk), batch_size=options.batch_size)
        for article, doc in zip(chunk, docs, strict=True):
            _write(_cache_path("docs", model, article), doc.to_bytes(exclude=["tensor"]))
            records = _records(article, doc)
            _write(_cache_path("extract", version, article), pickle.dumps(records))
            for name in EXTRACT_FIELDS:
                found[name].extend(records[name])
        print(f"  spaCy {start + len(chunk)}/{len(todo)} new articles", file=sys.stderr, flush=True)
    order = lambda r: (r.article, r.start, r.end, r.text)  # noqa: E731 - the Extract stage's order
    return {name: tuple(sorted(items, key=order)) for name, items in found.items()}


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


# ------------------------------------------------------------------ pipeline


class TopicStory(Stage):
    """The ``stories`` stage of this bench: all of a case's articles are one story (a
    Timeline17 topic is one subject whose timeline is asked for, see the module docstring)."""

    name: ClassVar[str] = "stories"
    requires: ClassVar[tuple[str, ...]] = ("articles",)
    provides: ClassVar[tuple[str, ...]] = ("stories",)

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        if not dossier.articles:
            return {"stories": ()}
        days = sorted(a.published[:10] for a in dossier.articles if a.published)
        ids = tuple(a.id for a in dossier.articles)
        story = Story(
            stable_id("s", *ids), "topic", ids, days[0] if days else None, days[-1] if days else None
        )
        return {"stories": (story,)}


def run_claims(articles: Sequence[Article], records: dict[str, tuple[Any, ...]], options: Options) -> Dossier:
    """The engine's stages after clean up to claims over ``articles`` as one story;
    extract's records come from the cache (the Extract stage keeps them: no article is new)."""
    stages = [Dedup(options), Extract(options), TopicStory(options), Resolve(options), Claims(options)]
    ids = {a.id for a in articles}
    previous = Dossier(
        articles=tuple(articles),
        **{n: tuple(r for r in records[n] if r.article in ids) for n in EXTRACT_FIELDS},
    )
    return Engine(options, stages=stages).run(iter(()), previous).dossier


def _stages_version() -> str:
    """A hash of the package's code the stages before the timeline run (all but timeline.py)."""
    folder = Path(sys.modules[Claims.__module__].__file__ or "").parent.parent
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")):
        if path.name != "timeline.py":
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def run_timeline(
    articles: Sequence[Article], records: dict[str, tuple[Any, ...]], options: Options
) -> Dossier:
    """The pipeline over ``articles`` in publication-order windows of at most WINDOW
    articles, each one story (see the module docstring); the claims dossier of each window
    is cached per its articles and the stages' code, the timeline stage always reruns."""
    version = _stages_version()
    count = -(-len(articles) // WINDOW) or 1
    parts = []
    for i in range(count):
        window = articles[i * len(articles) // count : (i + 1) * len(articles) // count]
        key = hashlib.sha256(" ".join(sorted(a.id for a in window)).encode()).hexdigest()[:16]
        path = CACHE / "claims" / version / f"{key}.pkl"
        if path.is_file():
            part = pickle.loads(path.read_bytes())
        else:
            part = run_claims(window, records, options)
            _write(path, pickle.dumps(part))
        parts.append(dataclasses.replace(part, timeline=Timeline(options)(part)["timeline"]))
        print(f"  window {i + 1}/{count}", file=sys.stderr, flush=True)
    fields = ("articles", "sentences", "dates", "claims", "timeline")
    return Dossier(**{f: tuple(r for p in parts for r in getattr(p, f)) for f in fields})


def system_timeline(
    dossier: Dossier, span: tuple[str, str], dates: int, sentences: int
) -> dict[str, list[str]]:
    """The product's timeline (:func:`newsweave.timeline.digest`) of the dossier's articles
    published in ``span``: ``dates`` days in it with ``sentences`` lines each, as texts."""
    return {
        day.date: [line.text for line in day.lines] for day in digest(dossier, dates, sentences, span=span)
    }


def busiest_days(articles: Sequence[Article], lo: str, hi: str, dates: int) -> set[str]:
    """The baseline: the ``dates`` days in [lo, hi] with most articles published (ties: earlier)."""
    counts = Counter(a.published[:10] for a in articles if a.published and lo <= a.published[:10] <= hi)
    return {d for d, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:dates]}


# ------------------------------------------------------------------ ROUGE

_VOWELS = frozenset("aeiou")


def _consonant(word: str, i: int) -> bool:
    if word[i] in _VOWELS:
        return False
    if word[i] == "y":
        return i == 0 or not _consonant(word, i - 1)
    return True


def _measure(stem: str) -> int:
    """Porter's m: the number of vowel-consonant sequences in ``stem``."""
    forms = "".join("c" if _consonant(stem, i) else "v" for i in range(len(stem)))
    return len(re.findall(r"v+c+", forms))


def _has_vowel(stem: str) -> bool:
    return any(not _consonant(stem, i) for i in range(len(stem)))


def _cvc(word: str) -> bool:
    return (
        len(word) >= 3
        and _consonant(word, -3 % len(word))
        and not _consonant(word, len(word) - 2)
        and _consonant(word, len(word) - 1)
        and word[-1] not in "wxy"
    )


def _replace(word: str, rules: Sequence[tuple[str, str]], minimum: int) -> str:
    for suffix, replacement in rules:
        if word.endswith(suffix):
            stem = word[: len(word) - len(suffix)]
            return stem + replacement if _measure(stem) > minimum else word
    return word


_STEP2 = (
    ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"),
    ("bli", "ble"), ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"),
    ("ization", "ize"), ("ation", "ate"), ("ator", "ate"), ("alism", "al"), ("iveness", "ive"),
    ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"), ("iviti", "ive"), ("biliti", "ble"), ("logi", "log"),
)  # fmt: skip
_STEP3 = (
    ("icate", "ic"),
    ("ative", ""),
    ("alize", "al"),
    ("iciti", "ic"),
    ("ical", "ic"),
    ("ful", ""),
    ("ness", ""),
)
_STEP4 = (
    "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou",
    "ism", "ate", "iti", "ous", "ive", "ize",
)  # fmt: skip


def porter(word: str) -> str:
    """The Porter (1980) stem of a lower-case word, as ROUGE-1.5.5 stems."""
    if len(word) <= 2:
        return word
    if word.endswith("sses") or word.endswith("ies"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if word.endswith("eed"):
        if _measure(word[:-3]) > 0:
            word = word[:-1]
    else:
        for suffix in ("ed", "ing"):
            if word.endswith(suffix) and _has_vowel(word[: -len(suffix)]):
                word = word[: -len(suffix)]
                if word.endswith(("at", "bl", "iz")):
                    word += "e"
                elif (
                    len(word) >= 2
                    and word[-1] == word[-2]
                    and _consonant(word, len(word) - 1)
                    and word[-1] not in "lsz"
                ):
                    word = word[:-1]
                elif _measure(word) == 1 and _cvc(word):
                    word += "e"
                break
    if word.endswith("y") and _has_vowel(word[:-1]):
        word = word[:-1] + "i"
    word = _replace(word, sorted(_STEP2, key=lambda r: -len(r[0])), 0)
    word = _replace(word, sorted(_STEP3, key=lambda r: -len(r[0])), 0)
    for suffix in sorted(_STEP4, key=len, reverse=True):
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            if _measure(stem) > 1 and (suffix != "ion" or stem.endswith(("s", "t"))):
                word = stem
            break
    if word.endswith("e"):
        stem = word[:-1]
        if _measure(stem) > 1 or (_measure(stem) == 1 and not _cvc(stem)):
            word = stem
    if word.endswith("ll") and _measure(word) > 1:
        word = word[:-1]
    return word


def _stopwords() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


STOPWORDS = _stopwords()


def rouge_tokens(sentence: str) -> list[str]:
    """ROUGE-1.5.5 preprocessing: lower case, non-alphanumerics to spaces, stopwords out, stems."""
    words = re.sub(r"[^a-z0-9]+", " ", sentence.lower()).split()
    return [porter(w) if len(w) > 3 else w for w in words if w not in STOPWORDS]


def ngrams(sentences: Iterable[str], n: int) -> Counter[tuple[str, ...]]:
    """The n-grams of a summary, sentence by sentence (none across sentences)."""
    counts: Counter[tuple[str, ...]] = Counter()
    for sentence in sentences:
        tokens = rouge_tokens(sentence)
        counts.update(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return counts


def _hits(a: Counter[Any], b: Counter[Any]) -> int:
    return sum((a & b).values())


def _f1_approx(system: Sequence[str], gold: Sequence[str]) -> float:
    """Unigram F1 on raw whitespace tokens, the content factor of the alignment's cost."""
    s, g = Counter(" ".join(system).split()), Counter(" ".join(gold).split())
    hits = _hits(s, g)
    if not hits:
        return 0.0
    p, r = hits / sum(s.values()), hits / sum(g.values())
    return 2 * p * r / (p + r)


def _days(a: str, b: str) -> int:
    return abs((Date.fromisoformat(a) - Date.fromisoformat(b)).days)


def _nearest(day: str, days: Sequence[str], costs: dict[tuple[str, str], float], swap: bool) -> str:
    """The day of ``days`` of least cost with ``day`` (the first on ties)."""
    return min(days, key=lambda other: costs[(other, day) if swap else (day, other)])


def alignment_rouge(system: dict[str, list[str]], gold: dict[str, list[str]], n: int) -> tuple[float, float]:
    """Alignment ROUGE-N, align+ m:1 (tilse): P and R (see the module docstring)."""
    if not system or not gold:
        return 0.0, 0.0
    s_days, g_days = sorted(system), sorted(gold)
    costs = {
        (p, g): (1 - 1 / (_days(p, g) + 1)) * (1 - _f1_approx(system[p], gold[g]))
        for p in s_days
        for g in g_days
    }
    s_grams = {d: ngrams(system[d], n) for d in s_days}
    g_grams = {d: ngrams(gold[d], n) for d in g_days}
    hit_p = 0.0
    for p in s_days:
        g = _nearest(p, g_days, costs, swap=False)
        hit_p += _hits(s_grams[p], g_grams[g]) / (_days(p, g) + 1)
    hit_r = 0.0
    for g in g_days:
        p = _nearest(g, s_days, costs, swap=True)
        hit_r += _hits(s_grams[p], g_grams[g]) / (_days(p, g) + 1)
    size_s = sum(sum(c.values()) for c in s_grams.values())
    size_g = sum(sum(c.values()) for c in g_grams.values())
    return (hit_p / size_s if size_s else 0.0), (hit_r / size_g if size_g else 0.0)


# ------------------------------------------------------------------ scoring


@dataclasses.dataclass
class Scores:
    """Per-case precisions and recalls of one measure; F1 of their means (news-tls)."""

    precision: list[float] = dataclasses.field(default_factory=list)
    recall: list[float] = dataclasses.field(default_factory=list)

    def add(self, p: float, r: float) -> None:
        self.precision.append(p)
        self.recall.append(r)

    def means(self) -> tuple[float, float, float]:
        if not self.precision:
            return 0.0, 0.0, 0.0
        p, r = sum(self.precision) / len(self.precision), sum(self.recall) / len(self.recall)
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def date_pr(predicted: set[str], gold: set[str]) -> tuple[float, float]:
    hits = len(predicted & gold)
    return (hits / len(predicted) if predicted else 0.0), hits / len(gold)


MEASURES = ("date", "rouge1", "rouge2", "busiest_days")


def score_case(
    dossier: Dossier, articles: Sequence[Article], gold: dict[str, list[str]], span: tuple[str, str],
    scores: dict[str, Scores],
) -> str:  # fmt: skip
    """Add one case's scores; return a line about it."""
    dates = len(gold)
    sentences = max(1, round(sum(len(s) for s in gold.values()) / dates))
    system = system_timeline(dossier, span, dates, sentences)
    scores["date"].add(*date_pr(set(system), set(gold)))
    scores["rouge1"].add(*alignment_rouge(system, gold, 1))
    scores["rouge2"].add(*alignment_rouge(system, gold, 2))
    scores["busiest_days"].add(*date_pr(busiest_days(articles, *span, dates), set(gold)))
    p, r = scores["date"].precision[-1], scores["date"].recall[-1]
    return f"l={dates:3d} k={sentences} date P={p:.3f} R={r:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the timelines folder")
    parser.add_argument("--limit", type=int, default=None, help="N articles of each topic, evenly spaced")
    parser.add_argument("--topics", default="", help="comma-separated topics (default: all)")
    parser.add_argument(
        "--pipeline",
        action="store_true",
        help="also run the stages up to claims and the timeline stage per window (not scored: slow)",
    )
    args = parser.parse_args()
    options = Options()
    started = time.perf_counter()
    topics = read_topics(args.data, args.limit)
    timelines = load_jsonl(args.data / "timelines.jsonl")
    wanted = set(filter(None, args.topics.split(","))) or set(topics)
    scores = {setting: {m: Scores() for m in MEASURES} for setting in ("restricted", "unrestricted")}
    engine = Engine(options)
    for topic in sorted(wanted & set(topics)):
        articles, _ = engine.clean(topics[topic])
        records = extract(articles, options)
        if args.pipeline:
            dossier = run_timeline(articles, records, options)
        else:  # what digest reads: the articles, their sentences and date mentions
            dossier = Dossier(
                articles=tuple(articles), sentences=records["sentences"], dates=records["dates"]
            )
        days = sorted(a.published[:10] for a in articles if a.published)
        for case in (t for t in timelines if t["topic"] == topic):
            gold = {e["date"]: e["sentences"] for e in case["entries"]}
            lo, hi = min(gold), max(gold)
            line = score_case(dossier, articles, gold, (days[0], days[-1]), scores["unrestricted"])
            print(f"{case['timeline_id']:50s} unrestricted {line}", flush=True)
            inside = [a for a in articles if a.published and lo <= a.published[:10] <= hi]
            line = score_case(dossier, inside, gold, (lo, hi), scores["restricted"])
            print(f"{case['timeline_id']:50s} restricted   {line}", flush=True)
    for setting, by_measure in scores.items():
        for measure, s in by_measure.items():
            p, r, f = s.means()
            print(f"{setting:12s} {measure:12s} cases={len(s.precision):2d} P={p:.3f} R={r:.3f} F1={f:.3f}")
    print("published (all 19 T17 timelines, not comparable): DATEWISE date F1 0.544, AR-1 0.120, AR-2 0.035")
    print(f"seconds={time.perf_counter() - started:.0f}")
    restricted = {m: s.means()[2] for m, s in scores["restricted"].items()}
    unrestricted = {m: s.means()[2] for m, s in scores["unrestricted"].items()}
    print(
        f"RESULT date_f1={restricted['date']:.3f} rouge1={restricted['rouge1']:.3f} rouge2={restricted['rouge2']:.3f} "
        f"busiest_days_date_f1={restricted['busiest_days']:.3f} unrestricted_date_f1={unrestricted['date']:.3f} "
        f"unrestricted_rouge1={unrestricted['rouge1']:.3f} unrestricted_rouge2={unrestricted['rouge2']:.3f} "
        f"unrestricted_busiest_days_date_f1={unrestricted['busiest_days']:.3f}"
    )


if __name__ == "__main__":
    main()
