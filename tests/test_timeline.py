"""Timeline: dated by when things happened, merged across articles, sorted, cited.

Most tests give the stage claims built by hand from real seed sentences (with
the date mentions extract would find); the last one runs the whole pipeline.
"""

from __future__ import annotations

import dataclasses

from newsweave.model import Article, Claim, DateMention, Dossier, Sentence, Story, Support, stable_id
from newsweave.timeline import (
    Timeline,
    central_sentences,
    day_candidates,
    day_entries,
    key_dates,
    mentioned_days,
    story_keywords,
)

STORY = "s1"
CLASH_000 = "The Ukrainian military encountered soldiers from the DPRK for the first time in combat on November 4 in the Kursk region of Russia."
CLASH_002 = "For the first time, it became known about the combat clash between Ukrainian soldiers and soldiers from the DPRK on November 4."
PUTIN_001 = "On Monday, Russian President Vladimir Putin met with North Korean Foreign Minister Choe Son-hui at the Kremlin."
ARRIVED_002 = "On October 24, Ukrainian intelligence reported that the first soldiers from the DPRK had already arrived at the front — in the Kursk region."
SHIPS_000 = "South Korean intelligence reported that the first part of the military was transported by ships of the Russian Pacific Fleet to Vladivostok on October 8-13, they were given Russian uniforms, weapons and fake Russian passports."
TROOPS_000 = "There are approximately 12 000 military personnel, including 500 officers and three generals."
INVASION_001 = "This marks the first direct involvement of a foreign military since Russia's full-scale invasion of Ukraine in 2022, further intensifying what is now the largest land war in Europe since World War II."

SENTENCES = {
    "A000": [CLASH_000, SHIPS_000, TROOPS_000],
    "A001": [PUTIN_001, INVASION_001],
    "A002": [CLASH_002, ARRIVED_002],
}
ARTICLES = {
    aid: Article(aid, f"{aid}.txt", None, None, None, "2024-11-05", False, "en", tuple(s), ())
    for aid, s in SENTENCES.items()
}


def _date(
    aid: str, surface: str, value: str, end_value: str | None = None, grain: str = "day"
) -> DateMention:
    start = ARTICLES[aid].text.index(surface)
    return DateMention(aid, start, start + len(surface), surface, value, end_value, grain, "published")


DATES = (
    _date("A000", "November 4", "2024-11-04"),
    _date("A002", "November 4", "2024-11-04"),
    _date("A001", "Monday", "2024-11-04"),
    _date("A002", "October 24", "2024-10-24"),
    _date("A000", "October 8-13", "2024-10-08", "2024-10-13"),
    _date("A001", "2022", "2022", grain="year"),
)


def _claim(aid: str, text: str, date: str | None) -> Claim:
    start = ARTICLES[aid].text.index(text)
    support = (Support(aid, start, start + len(text), text),)
    return Claim(stable_id("c", STORY, text), STORY, text, date, (aid,), support, (), (aid,), 1, 1, 0.5, ())


CLAIMS = (
    _claim("A000", CLASH_000, "2024-11-04"),
    _claim("A002", CLASH_002, "2024-11-04"),
    _claim("A001", PUTIN_001, "2024-11-04"),
    _claim("A002", ARRIVED_002, "2024-10-24"),
    _claim("A000", SHIPS_000, "2024-10-08"),
    _claim("A000", TROOPS_000, None),
    _claim("A001", INVASION_001, "2022"),
)


def _timeline(claims: tuple[Claim, ...] = CLAIMS, dates: tuple[DateMention, ...] = DATES) -> Dossier:
    story = Story(STORY, "First clash", tuple(ARTICLES), None, None)
    dossier = Dossier(articles=tuple(ARTICLES.values()), stories=(story,), claims=claims, dates=dates)
    return dataclasses.replace(dossier, **Timeline()(dossier))


def test_entries_are_sorted_by_story_and_date() -> None:
    entries = _timeline().timeline
    assert [e.date for e in entries] == ["2024-10-08", "2024-10-24", "2024-11-04", "2024-11-04"]
    keys = [(e.story_id, e.date, e.text) for e in entries]
    assert keys == sorted(keys)


def test_same_date_claims_that_say_the_same_thing_merge() -> None:
    (clash,) = [e for e in _timeline().timeline if CLAIMS[0].id in e.claim_ids]
    assert clash.article_ids == ("A000", "A002")
    assert clash.claim_ids == tuple(sorted((CLAIMS[0].id, CLAIMS[1].id)))
    assert clash.text == min(CLASH_000, CLASH_002, key=len)  # the shortest complete sentence


def test_same_date_claims_about_other_things_stay_apart() -> None:
    on_4_november = [e for e in _timeline().timeline if e.date == "2024-11-04"]
    assert sorted(len(e.claim_ids) for e in on_4_november) == [1, 2]
    assert any(e.text == PUTIN_001 and e.article_ids == ("A001",) for e in on_4_november)


def test_an_interval_keeps_its_end() -> None:
    (ships,) = [e for e in _timeline().timeline if e.date == "2024-10-08"]
    assert ships.end_date == "2024-10-13" and ships.text == SHIPS_000


def test_undated_and_year_only_claims_have_no_entry() -> None:
    texts = {e.text for e in _timeline().timeline}
    assert TROOPS_000 not in texts and INVASION_001 not in texts  # a year alone does not place an event
    assert "2024-11-05" not in {e.date for e in _timeline().timeline}  # publication day: nothing happened


def test_no_claims_no_timeline() -> None:
    assert _timeline(claims=()).timeline == ()
    assert Timeline()(Dossier()) == {"timeline": ()}


def test_on_the_seeds_the_first_clash_is_on_4_november_citing_several_articles(seed_dossier: Dossier) -> None:
    entries = seed_dossier.timeline
    assert max(len(e.article_ids) for e in entries if e.date == "2024-11-04") >= 3
    assert [(e.story_id, e.date, e.text) for e in entries] == sorted(
        (e.story_id, e.date, e.text) for e in entries
    )
    claim_ids = {c.id for c in seed_dossier.claims}
    assert all(e.article_ids and set(e.claim_ids) <= claim_ids for e in entries)
    assert any(e.date == "2024-10-08" and e.end_date == "2024-10-13" for e in entries)


def test_key_dates_are_the_days_most_articles_report_events_on() -> None:
    entries = _timeline().timeline
    # 4 Nov: A000, A001, A002 state events on it; 24 Oct and 8 Oct one article each
    assert key_dates(entries, 1) == ["2024-11-04"]
    assert key_dates(entries, 3) == ["2024-11-04", "2024-10-08", "2024-10-24"]  # ties: earlier day


def test_key_dates_count_publication_days_only_as_news_of_that_day() -> None:
    entries = _timeline().timeline
    # an article published on a day counts a quarter of one that dates an event on a day
    assert key_dates(entries, 2, {"2024-11-05": 3}) == ["2024-11-04", "2024-10-08"]
    assert key_dates(entries, 2, {"2024-11-05": 5}) == ["2024-11-04", "2024-11-05"]
    # four publications weigh as one dated event: ties go to the day with more published
    assert key_dates(entries, 2, {"2024-11-05": 4}) == ["2024-11-04", "2024-11-05"]
    assert key_dates((), 1, {"2024-11-05": 3}) == ["2024-11-05"]  # no dated entry: the busiest day


def test_mentioned_days_are_the_days_articles_name_once_per_article() -> None:
    named = mentioned_days(DATES, set(ARTICLES))
    assert named["2024-11-04"] == {"A000", "A001", "A002"}  # "November 4" twice, "Monday" once
    assert named["2024-10-08"] == {"A000"}  # an interval names its first day
    assert "2022" not in named  # a year is no day
    assert mentioned_days(DATES, {"A002"}) == {"2024-11-04": {"A002"}, "2024-10-24": {"A002"}}


def test_key_dates_rank_the_days_most_articles_name() -> None:
    extra = _date("A001", "2022", "2022", grain="year")
    more = (*DATES, dataclasses.replace(extra, value="2024-10-24", grain="day"))
    named = mentioned_days(more, set(ARTICLES))
    # 24 Oct is named by two articles now, 8 Oct by one: the entries alone would tie them
    assert key_dates(_timeline().timeline, 3, {}, named) == ["2024-11-04", "2024-10-24", "2024-10-08"]
    # a day named by no article still comes in through its publications, after named days
    assert key_dates((), 4, {"2024-11-05": 2}, named)[-1] == "2024-11-05"


def test_day_entries_prefer_the_most_cited_then_the_most_informative() -> None:
    on_4_november = [e for e in _timeline().timeline if e.date == "2024-11-04"]
    (best,) = day_entries(on_4_november, 1)
    assert best.article_ids == ("A000", "A002")
    assert day_entries(on_4_november, 5) == sorted(on_4_november, key=lambda e: -len(e.article_ids))


def test_day_entries_prefer_what_the_story_keeps_saying_and_skip_repeats() -> None:
    story = _timeline().timeline
    on_4_november = [dataclasses.replace(e, article_ids=("A001",)) for e in story if e.date == "2024-11-04"]
    (clash,) = [e for e in on_4_november if CLAIMS[0].id in e.claim_ids]
    (putin,) = [e for e in on_4_november if e is not clash]
    # equally cited: the first clash shares the story's words (DPRK, Kursk, first), the Kremlin meeting few
    assert [e.text for e in day_entries([putin, clash], 2, story)] == [clash.text, putin.text]
    # a retelling of a chosen entry is skipped for the next distinct one
    again = dataclasses.replace(clash, text=CLASH_000, claim_ids=("c-again",))
    picked = day_entries([clash, again, putin], 2, story)
    assert len(picked) == 2 and picked[1].text == putin.text


def _sentences() -> list[Sentence]:
    """The articles' sentences as extract gives them (each paragraph here is one sentence)."""
    found = []
    for aid, texts in SENTENCES.items():
        for i, text in enumerate(texts):
            start = ARTICLES[aid].text.index(text)
            found.append(Sentence(aid, i, start, start + len(text), text))
    return found


PUBLISHED = {aid: "2024-11-05" for aid in ARTICLES}


def test_a_days_candidates_are_the_sentences_naming_it_and_the_ledes_published_on_it() -> None:
    found = day_candidates(_sentences(), DATES, PUBLISHED, {"2024-11-04", "2024-10-08", "2024-11-05"})
    putin = PUTIN_001.replace("On Monday, ", "")  # the line is dated: its weekday goes
    named = [CLASH_000, putin, CLASH_002]  # "November 4" twice, "Monday"
    assert [t for t in found["2024-11-04"] if t in named] == named
    assert found["2024-10-08"] == [SHIPS_000]  # an interval's first day
    # the publication day gets the ledes that name no day ("2022" is no day), and so does the
    # day before (a report published the morning after)
    assert found["2024-11-05"] == [TROOPS_000, INVASION_001]
    assert set(found["2024-11-04"]) - set(named) == {TROOPS_000, INVASION_001}
    assert "2024-10-24" not in found  # not asked for
    assert day_candidates(_sentences(), DATES, PUBLISHED, ()) == {}


def test_a_days_candidates_lose_datelines_and_furniture() -> None:
    text = "KYIV (Reuters) - " + CLASH_000
    article = dataclasses.replace(ARTICLES["A000"], paragraphs=(text, "Photo: Reuters"))
    mention = DateMention("A000", text.index("November 4"), text.index("November 4") + 10, "November 4",
                          "2024-11-04", None, "day", "published")  # fmt: skip
    sentences = [
        Sentence("A000", 0, 0, len(text), text),
        Sentence("A000", 1, len(text) + 2, len(article.text), "Photo: Reuters"),
    ]
    found = day_candidates(sentences, [mention], {"A000": "2024-11-04"}, {"2024-11-04"})
    assert found == {"2024-11-04": [CLASH_000]}


def test_central_sentences_say_what_the_days_sentences_share_and_skip_retellings() -> None:
    day = [PUTIN_001, CLASH_002, CLASH_000]
    (first,) = central_sentences(day, 1)
    assert first in (CLASH_000, CLASH_002)  # two of the three tell the first clash
    # the other clash sentence retells the first one: the Kremlin meeting comes next
    assert central_sentences(day, 2) == [first, PUTIN_001]
    # the soldiers' arrival in Kursk shares more of the clash's words than the meeting does
    assert central_sentences([*day, ARRIVED_002], 4) == [first, ARRIVED_002, PUTIN_001]
    assert central_sentences([], 2) == []


def test_key_dates_count_a_day_named_before_it_comes_as_half_a_report() -> None:
    named = {"2024-11-04": {"A000", "A001"}, "2024-11-06": {"A000", "A001", "A002"}}
    # A000 and A001 name 6 Nov the day before it (the vote to come); A002 after it
    on = {"A000": "2024-11-05", "A001": "2024-11-05", "A002": "2024-11-07"}
    assert key_dates((), 1, {}, named) == ["2024-11-06"]
    assert key_dates((), 1, {}, named, on) == ["2024-11-04"]  # 2 against 0.5 + 0.5 + 1


def test_a_days_lines_come_from_its_reports_before_later_retellings() -> None:
    later = {aid: "2024-11-20" for aid in ARTICLES} | {"A001": "2024-11-05"}
    found = day_candidates(_sentences(), DATES, later, {"2024-11-04", "2024-10-08"})
    # A001, published the day after, reports 4 Nov ("Monday", and its lede naming no day);
    # A000 and A002, published weeks later, retell it
    assert found["2024-11-04"] == [PUTIN_001.replace("On Monday, ", ""), INVASION_001]
    assert found["2024-10-08"] == [SHIPS_000]  # retold only: the retelling is its line


def test_central_sentences_pass_over_fragments_and_the_words_saying_when() -> None:
    stamp = "January 31, 2011 at 4:41 pm."
    posts = [f"January 31, 2011 {t}" for t in ("No one knows.", "Power to the people.")]
    # the two posts share the words saying when, the clash sentences what happened
    assert central_sentences([*posts, CLASH_000, stamp, CLASH_002], 1)[0] in (CLASH_000, CLASH_002)
    assert central_sentences(posts, 2) == posts  # no whole sentence: the fragments stay


def test_a_days_lines_name_the_storys_keywords_while_some_do() -> None:
    assert story_keywords(_sentences(), 1) == {"first"}  # the word all three articles use
    derby = "Teenage jockey Mickael Barzalona earned a one-day ban to go with a winning ride in his first Epsom Derby."
    race = "The 19-year-old Barzalona lifted himself out of his stirrups and punched the air with his whip."
    # the two race sentences share more words than the clash and the race, but name no keyword
    day = [derby, race, CLASH_000]
    assert central_sentences(day, 1, {"dprk"}) == [CLASH_000]
    assert central_sentences([derby, race], 1, {"dprk"}) == central_sentences([derby, race], 1)
