"""StoryTracker: a stream of articles in date order, merges, the time window, and
redirects of merged story ids through the store."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

from _seed_articles import seed_articles, spacy_mentions
from newsweave.model import Article, Dossier, Mention, Story, StoryMerge
from newsweave.store import Store
from newsweave.stories import StoryTracker, group, track
from newsweave.stories.features import features, weighted
from newsweave.stories.terms import TermTable
from test_stories import _ecb_article


def _feed(tracker: StoryTracker, articles: list[Article]) -> list[str]:
    mentions: dict[str, list[Mention]] = defaultdict(list)
    for m in spacy_mentions(tuple(articles)):
        mentions[m.article].append(m)
    return [tracker.add(a, mentions[a.id]) for a in articles]


def _interleaved(first: list[Article], second: list[Article]) -> list[Article]:
    """The two events' articles in date order, one event a day behind the other."""
    dated = []
    for k, (a, b) in enumerate(zip(first, second, strict=True)):
        dated += [replace(a, published=f"2024-03-{1 + k:02d}"), replace(b, published=f"2024-03-{2 + k:02d}")]
    return dated


def test_two_overlapping_events_in_date_order_end_in_two_stories(
    ecb_documents: dict[str, list[dict[str, str]]],
) -> None:
    rehab = [_ecb_article(d) for d in ecb_documents["1_ecb"][:5]]  # Tara Reid enters rehab
    quake = [_ecb_article(d) for d in ecb_documents["20_ecbplus"][:5]]  # an earthquake, the same days
    stream = _interleaved(rehab, quake)
    ids = _feed(tracker := StoryTracker(), stream)
    assert len(set(ids[0::2])) == 1
    assert len(set(ids[1::2])) == 1
    assert set(ids[0::2]) != set(ids[1::2])
    (first, second) = tracker.open_stories()
    assert {first.first_date, second.first_date} == {"2024-03-01", "2024-03-02"}
    assert first.title in {a.paragraphs[0] for a in rehab} | {a.paragraphs[0] for a in quake}


def test_two_confusable_events_do_not_share_a_story(ecb_documents: dict[str, list[dict[str, str]]]) -> None:
    # two celebrities entering rehab in the same week: one kind of event, told in the same words
    reid = [_ecb_article(d) for d in ecb_documents["1_ecb"][:5]]
    lohan = [_ecb_article(d) for d in ecb_documents["1_ecbplus"][:5]]
    ids = _feed(StoryTracker(), _interleaved(reid, lohan))
    assert not set(ids[0::2]) & set(ids[1::2])


def test_the_seeds_in_a_stream_form_one_story_and_others_stay_out(
    ecb_documents: dict[str, list[dict[str, str]]],
) -> None:
    seeds = sorted(seed_articles().values(), key=lambda a: (a.published or "9", a.id))
    others = [replace(_ecb_article(d), published="2024-11-05") for d in ecb_documents["19_ecb"][:3]]
    ids = _feed(StoryTracker(), [seeds[0], others[0], *seeds[1:3], others[1], *seeds[3:], others[2]])
    seed_ids = {ids[0], *ids[2:4], *ids[5:7]}
    assert len(seed_ids) == 1
    assert not seed_ids & {ids[1], ids[4], ids[7]}


def _article(aid: str, day: str, text: str) -> Article:
    return Article(aid, aid, None, None, None, day, False, "en", (text,), ())


FIRE = [
    "Fire crews fought a blaze at the Riverside Chemical plant in Toledo through Tuesday night; "
    "the fire began in a storage tank of chlorine and sent flames over the plant's roof.",
    "The blaze at the Riverside Chemical plant in Toledo was under control on Wednesday, fire "
    "chief Dana Morrow said; the storage tank that caught fire held chlorine.",
]
SCHOOLS = [
    "Toledo closed 14 schools on Wednesday and told families in the Westgate district to keep "
    "windows shut as a cloud of toxic smoke drifted over the neighbourhood.",
    "Parents in Westgate kept children home as the 14 schools stayed closed; Toledo health officials "
    "said the toxic smoke cloud should thin out by Thursday.",
]
BRIDGE = (
    "The toxic smoke that closed 14 Toledo schools in Westgate came from the blaze at the Riverside "
    "Chemical plant, where a storage tank of chlorine caught fire, fire chief Dana Morrow said; "
    "the smoke cloud over Westgate should thin out by Thursday."
)
ROUNDUP = (
    "In brief: fire crews fought a blaze at the Riverside Chemical plant in Toledo, where a chlorine "
    "storage tank caught fire. Also on Wednesday, the Toledo Mud Hens beat Columbus 5-3 at Fifth "
    "Third Field, and the city council voted on the new bus routes for Westgate."
)


def test_a_bridging_article_merges_two_stories_of_one_event() -> None:
    tracker = StoryTracker()
    fire = [tracker.add(_article(f"f{k}", "2024-05-07", t)) for k, t in enumerate(FIRE)]
    schools = [tracker.add(_article(f"s{k}", "2024-05-08", t)) for k, t in enumerate(SCHOOLS)]
    assert len(set(fire)) == 1 and len(set(schools)) == 1 and fire[0] != schools[0]
    bridged = tracker.add(_article("b", "2024-05-08", BRIDGE))
    assert bridged == fire[0]  # the older story's id survives
    (merge,) = tracker.drain()[1]
    assert merge == StoryMerge(schools[0], fire[0], "b", "2024-05-08")
    (story,) = tracker.open_stories()
    assert set(story.article_ids) == {"f0", "f1", "s0", "s1", "b"}


def test_an_article_touching_two_stories_does_not_merge_them_without_evidence() -> None:
    tracker = StoryTracker()
    fire = {tracker.add(_article(f"f{k}", "2024-05-07", t)) for k, t in enumerate(FIRE)}
    baseball = (
        "The Toledo Mud Hens beat Columbus 5-3 at Fifth Third Field on Wednesday behind two home "
        "runs, and the Mud Hens lead the division by three games."
    )
    games = {
        tracker.add(_article(f"g{k}", "2024-05-08", baseball + extra))
        for k, extra in enumerate(["", " A win."])
    }
    tracker.add(_article("r", "2024-05-08", ROUNDUP))
    assert tracker.drain()[1] == []
    assert len(tracker.open_stories()) == 2
    assert fire != games


def test_idle_stories_close_and_leave_the_tracker() -> None:
    tracker = StoryTracker(window_days=30)
    tracker.add(_article("f0", "2024-01-02", FIRE[0]))
    for k in range(600):  # CLOSE_EVERY arrivals later, two months on
        tracker.add(
            _article(f"x{k}", "2024-03-05", f"Item {k} of the Toledo council minutes, motion {k * 7919}.")
        )
    closed, _merges = tracker.drain()
    assert [s.article_ids for s in closed if "f0" in s.article_ids] == [("f0",)]
    assert all("f0" not in s.article_ids for s in tracker.open_stories())


def test_stream_and_batch_agree_on_the_seeds_and_a_fire() -> None:
    seeds = list(seed_articles().values())
    fires = [_article(f"f{k}", "2024-11-05", t) for k, t in enumerate(FIRE)]
    articles = [*seeds, *fires]
    mentions = spacy_mentions(tuple(articles))
    streamed, _merges = track(articles, mentions)
    batch = group(articles, mentions)
    assert sorted(s.article_ids for s in streamed) == sorted(s.article_ids for s in batch)


def test_merged_story_ids_redirect_through_the_store(tmp_path: Path) -> None:
    articles = tuple(_article(f"a{k}", "2024-05-07", FIRE[k % 2]) for k in range(3))
    old = Story("s-old", "t", ("a0", "a1"), "2024-05-07", "2024-05-07")
    with Store(tmp_path / "n.db") as store:
        store.save(Dossier(articles=articles, stories=(old,)))
        assert store.resolve_story_id("s-old") == "s-old"
        new = Story("s-new", "t", ("a0", "a1", "a2"), "2024-05-07", "2024-05-07")
        store.save(Dossier(articles=articles, stories=(new,)))  # a re-run regrouped the articles
        assert store.resolve_story_id("s-old") == "s-new"
        store.add_redirects([StoryMerge("s-new", "s-final", "a2", "2024-05-08")])
    with Store(tmp_path / "n.db") as store:  # the redirects outlive the connection
        assert store.resolve_story_id("s-old") == "s-final"
        assert store.resolve_story_id("s-new") == "s-final"
        assert store.resolve_story_id("s-unknown") == "s-unknown"
        assert {r.old_id: r.new_id for r in store.redirects()} == {"s-old": "s-final", "s-new": "s-final"}
        assert store.schema_version() >= 2  # migration 2 brought the redirects


def test_a_young_story_splits_when_its_articles_form_two_events(
    ecb_documents: dict[str, list[dict[str, str]]],
) -> None:
    # two fights of one boxer (Klitschko beats Rahman in 2008, Thompson in 2012), their
    # reports shuffled into a feed that has seen the rest of ECB+: the first reports of one
    # fight are paired with the other's; a second look at the young story parts them
    background = [
        _ecb_article(d) for sub, docs in sorted(ecb_documents.items()) if sub[:2] != "7_" for d in docs
    ]
    fights = [[_ecb_article(d) for d in ecb_documents[sub]] for sub in ("7_ecb", "7_ecbplus")]
    order = [*fights[0], *fights[1]]
    random.Random(0).shuffle(order)
    tracker = StoryTracker()
    for a in [*background, *order]:
        tracker.add(a)
    stories, _merges = tracker.close_all()
    story_of = {aid: s.id for s in stories for aid in s.article_ids}
    assert len(story_of) == len(background) + len(order)  # every article in exactly one story
    rahman, thompson = ({story_of[a.id] for a in fight} for fight in fights)
    assert not rahman & thompson
    assert max(len(rahman), len(thompson)) <= 3  # nor scattered


def test_a_split_never_brings_back_a_merged_story_id(
    ecb_documents: dict[str, list[dict[str, str]]], tmp_path: Path
) -> None:
    # all of ECB+ in a shuffled feed: bridges merge young stories, and second looks later
    # split some of them again, a part holding a merged story's first article among them
    order = [_ecb_article(d) for _sub, docs in sorted(ecb_documents.items()) for d in docs]
    random.Random(1).shuffle(order)
    tracker = StoryTracker()
    returned, stories, merges = [], [], []
    with Store(tmp_path / "n.db") as store:
        for a in order:
            returned.append(tracker.add(a))
            closed, merged = tracker.drain()
            stories += closed
            merges += merged
            store.add_redirects(merged)
        closed, merged = tracker.close_all()
        stories += closed
        store.add_redirects(merged)
        live = {s.id for s in stories}
        redirected = {r.old_id for r in store.redirects()}
        assert any(m.article_id for m in merges)  # bridges merged stories
        assert any(m.article_id is None for m in merges)  # and splits had to redirect ids
        assert not live & redirected  # no story id that is in use redirects elsewhere
        assert {store.resolve_story_id(i) for i in [*returned, *redirected]} <= live


def test_a_trackers_term_table_weighs_as_a_counter_of_document_frequencies(
    ecb_documents: dict[str, list[dict[str, str]]],
) -> None:
    # the tracker's frequencies by id in an array give the same floats, terms and order as
    # the string-keyed counts batch uses, before and after a halving drops the rare terms
    docs = [_ecb_article(d) for subtopic in ("20_ecb", "2_ecb", "7_ecbplus") for d in ecb_documents[subtopic]]
    table, df = TermTable(), Counter[str]()
    for k, article in enumerate(docs):
        found = features(article)
        df.update(found.counts.keys())
        expected = weighted(found.counts, df, table.documents + 1, found.words)
        assert table.weighted(found.counts, found.words) == expected
        if k == len(docs) // 2:
            table.halve()
            df = Counter({t: c // 2 for t, c in df.items() if c > 1})
            assert dict(table.items()) == df
    assert len(table) == len(df) and all(table.frequency(t) == c for t, c in df.items())


def test_ascii_and_unicode_texts_have_the_same_kinds_of_words_and_numbers() -> None:
    # an all-ASCII text takes the ASCII rules, another the Unicode ones: the same features
    plain = "Residents of Zurich said 2,500 people fled the 6.1 quake; the mayor's office agreed."
    accented = plain.replace("Zurich", "Zürich").replace("mayor's", "mayor’s")
    one, two = (features(_article(aid, "2024-03-01", text)) for aid, text in (("p", plain), ("u", accented)))
    assert {"residents", "zurich", "fled", "quake", "mayor", "office", "#2500", "#6.1"} <= set(one.counts)
    assert set(two.counts) == set(one.counts) - {"zurich"} | {"zürich"}
    assert one.words == two.words
