"""newsweave.coref: cross-document clustering of given mention spans.

Every text below is a sentence of an ECB+ document (../shared/data/ecbplus, the
document id in the key; some cut after a clause), tokenised as ECB+ writes it;
the mentions are spans of those sentences, as a user with gold annotations or
another tool's spans gives them.
"""

from __future__ import annotations

import pytest

from newsweave.coref import SpanMention, cluster_mentions, event_groups

Spans = list[tuple[str, str]]  # (surface text, family); repeated text: the next occurrence


def spans(doc_id: str, text: str, wanted: Spans) -> list[SpanMention]:
    """The mentions of ``wanted`` in ``text``, left to right, ids ``doc_id:i``."""
    out: list[SpanMention] = []
    cursor: dict[str, int] = {}
    for i, (surface, family) in enumerate(wanted):
        start = text.index(surface, cursor.get(surface, 0))
        cursor[surface] = start + len(surface)
        sentence = text.count("\n", 0, start)
        out.append(
            SpanMention(f"{doc_id}:{i}", doc_id, sentence, start, start + len(surface), surface, family)
        )
    return sorted(out, key=lambda m: m.start)


def clusters_of(docs: dict[str, tuple[str, Spans]]) -> list[set[str]]:
    """The clusters, each as the set of its mentions' ``doc:text``."""
    mentions = [m for doc_id, (text, wanted) in docs.items() for m in spans(doc_id, text, wanted)]
    text_of = {m.id: f"{m.doc_id}:{m.text}" for m in mentions}
    result = cluster_mentions({d: text for d, (text, _) in docs.items()}, mentions)
    assert sorted(i for c in result for i in c) == sorted(text_of)  # a partition of the mentions
    return [{text_of[i] for i in c} for c in result]


def together(clusters: list[set[str]], *members: str) -> bool:
    return any(set(members) <= c for c in clusters)


TARA_1 = (
    "Word comes from People magazine and other celebrity news outlets that Tara Reid , 33 , who starred in "
    "`` American Pie '' and appeared on U.S. TV show `` Scrubs , ' ' has entered the Promises Treatment "
    "Center in Malibu , California .\n"
    "People said Reid 's representative Jack Ketsoyan confirmed the actress 's stay at Promises ."
)
TARA_10 = (
    "Perennial party girl Tara Reid checked herself into Promises Treatment Center , her rep told People .\n"
    "A friend of the actress told People she went to Promises on Tuesday and that her friends and family "
    "supported her decision ."
)
JENKIN_4 = (
    "The bodies of Alice McMeekin , 58 , and Kathryn Jenkin , 20 , were found at a terraced house in "
    "Newton Street , Millom , on Saturday .\n"
    "John Jenkin , 23 , was remanded in his absence by Barrow magistrates .\n"
    "Mr Jenkin , of Newton Street , Millom , has also been charged with animal cruelty ."
)
JENKIN_10 = (
    "John Jenkin , 23 , of Newton Street , Millom was arrested Saturday morning after police found two "
    "women dead in a house ."
)


def test_a_name_and_its_last_word_meet_across_documents() -> None:
    found = clusters_of(
        {
            "1_1ecb": (TARA_1, [("Tara Reid", "PER"), ("Reid", "PER"), ("Jack Ketsoyan", "PER")]),
            "1_10ecb": (TARA_10, [("Tara Reid", "PER"), ("herself", "PER")]),
        }
    )
    assert together(found, "1_1ecb:Tara Reid", "1_1ecb:Reid", "1_10ecb:Tara Reid", "1_10ecb:herself")
    assert not together(found, "1_1ecb:Reid", "1_1ecb:Jack Ketsoyan")


def test_a_place_name_meets_its_short_form() -> None:
    found = clusters_of(
        {
            "1_1ecb": (TARA_1, [("Promises Treatment Center", "LOC"), ("Promises", "LOC")]),
            "1_10ecb": (TARA_10, [("Promises Treatment Center", "LOC"), ("Promises", "LOC")]),
        }
    )
    assert together(
        found,
        "1_1ecb:Promises Treatment Center",
        "1_1ecb:Promises",
        "1_10ecb:Promises Treatment Center",
        "1_10ecb:Promises",
    )


def test_a_common_noun_joins_the_name_of_its_document_ending_in_its_head() -> None:
    text = (
        "Lieutenant Hastings said he did not know of any grudges against the West Coast Bank , a statement "
        "echoed by its president and chief executive , Robert Sznewajs .\n"
        "State police said the inside of the bank was extensively damaged ."
    )
    found = clusters_of({"8_1ecb": (text, [("the West Coast Bank", "LOC"), ("the bank", "LOC")])})
    assert together(found, "8_1ecb:the West Coast Bank", "8_1ecb:the bank")


def test_a_title_written_before_a_name_resolves_the_bare_title() -> None:
    text = (
        "Australian actor Hugh Jackman was named on Friday as host of February 's Oscars .\n"
        "The actor , who also starred in the three `` X-Men '' movies , has hosted Broadway 's Tony awards "
        "three times ."
    )
    found = clusters_of({"2_5ecb": (text, [("Australian actor Hugh Jackman", "PER"), ("The actor", "PER")])})
    assert together(found, "2_5ecb:Australian actor Hugh Jackman", "2_5ecb:The actor")
    bare = text.replace("Australian actor Hugh Jackman", "Hugh Jackman")  # no title written: no evidence
    found = clusters_of({"2_5ecb": (bare, [("Hugh Jackman", "PER"), ("The actor", "PER")])})
    assert not together(found, "2_5ecb:Hugh Jackman", "2_5ecb:The actor")


LOHAN_2 = (
    "Lawyer : Lindsay Lohan checks into rehab facility\n"
    "Lindsay Lohan's attorney said Thursday the actress checked into a Southern California rehab facility that "
    "a state official said is unlicensed ."
)
LOHAN_3 = (
    "Lindsay Lohan Checks Out Of Rehab . . . To Check Into Different Rehab Centre\n"
    "14 June 2013\n"
    "The actress has left the Betty Ford Centre and gone to Malibu's Cliffside resort ."
)


def test_a_noun_joins_the_name_that_is_the_same_argument_of_the_same_event() -> None:
    entities: Spans = [("Lindsay Lohan", "PER"), ("the actress", "PER")]
    events: Spans = [("checks into", "EVENT"), ("checked into", "EVENT")]
    others = {"1_1ecb": (TARA_1, [("Tara Reid", "PER")]), "1_3ecbplus": (LOHAN_3, [("Lindsay Lohan", "PER")])}
    found = clusters_of({"1_2ecbplus": (LOHAN_2, entities + events), **others})
    assert together(found, "1_2ecbplus:Lindsay Lohan", "1_2ecbplus:the actress")
    assert together(found, "1_2ecbplus:checks into", "1_2ecbplus:checked into")
    found = clusters_of({"1_2ecbplus": (LOHAN_2, entities), **others})  # without the events: no evidence
    assert not together(found, "1_2ecbplus:Lindsay Lohan", "1_2ecbplus:the actress")


def test_a_name_modifying_a_noun_holds_no_argument_of_its_event() -> None:
    """In "Microsoft fixes IE bug" the bug is what is fixed, IE only names its
    kind: "the vulnerability" fixed in another report is the bug, not IE."""
    found = clusters_of(
        {
            "27_14ecb": (
                "With Web attacks increasing , Microsoft fixes IE bug",
                [("IE", "NON"), ("fixes", "EVENT"), ("bug", "NON")],
            ),
            "27_4ecb": (
                "Microsoft has released an emergency security update to fix the vulnerability in Internet "
                "Explorer that has seen the computers of at least two million users hacked .",
                [("fix", "EVENT"), ("the vulnerability", "NON"), ("Internet Explorer", "NON")],
            ),
        }
    )
    assert together(found, "27_14ecb:IE", "27_4ecb:Internet Explorer")
    assert together(found, "27_14ecb:bug", "27_4ecb:the vulnerability")
    assert not together(found, "27_14ecb:IE", "27_4ecb:the vulnerability")


def test_a_description_spelled_as_a_name_is_that_name() -> None:
    """ "surgeon-general" is the office "Surgeon General" names elsewhere in the
    topic (ECB+ topic 34), bar case and the hyphen; "CNN" is not "CNN management"."""
    found = clusters_of(
        {
            "34_11ecb": (
                "Dr. Sanjay Gupta , a neurosurgeon and chief medical correspondent for CNN , has been offered "
                "the post of Surgeon General by President-elect Barack Obama , according to sources .",
                [("CNN", "HUM"), ("Surgeon General", "HUM")],
            ),
            "34_6ecb": (
                "CNN management said : `` Since first learning that Dr Gupta was under consideration for the "
                "surgeon-general position , CNN has made sure his on-air reporting has been on health and "
                "wellness matters .",
                [("CNN management", "HUM"), ("surgeon-general", "HUM")],
            ),
        }
    )
    assert together(found, "34_11ecb:Surgeon General", "34_6ecb:surgeon-general")
    assert not together(found, "34_11ecb:CNN", "34_6ecb:CNN management")


def test_two_people_sharing_a_surname_stay_apart() -> None:
    found = clusters_of(
        {
            "32_4ecbplus": (
                JENKIN_4,
                [
                    ("Alice McMeekin", "PER"),
                    ("Kathryn Jenkin", "PER"),
                    ("John Jenkin", "PER"),
                    ("Mr Jenkin", "PER"),
                ],
            ),
            "32_10ecbplus": (JENKIN_10, [("John Jenkin", "PER")]),
        }
    )
    assert together(found, "32_4ecbplus:John Jenkin", "32_10ecbplus:John Jenkin")
    assert not together(found, "32_4ecbplus:Kathryn Jenkin", "32_4ecbplus:John Jenkin")
    # the document names two Jenkins: the bare surname joins neither
    assert {"32_4ecbplus:Mr Jenkin"} in found


def test_a_surname_joins_the_one_full_name_of_its_document() -> None:
    text = JENKIN_4.split("\n", 1)[1]  # without the sentence naming Kathryn Jenkin
    found = clusters_of({"32_4ecbplus": (text, [("John Jenkin", "PER"), ("Mr Jenkin", "PER")])})
    assert together(found, "32_4ecbplus:John Jenkin", "32_4ecbplus:Mr Jenkin")


def test_an_acronym_joins_the_one_name_with_its_initials() -> None:
    text = (
        "The ship was escorting a group of five merchant vessels through the Internationally Recognised "
        "Transit Corridor ( IRTC ) when the bid occurred ."
    )
    found = clusters_of(
        {
            "12_11ecbplus": (
                text,
                [("the Internationally Recognised Transit Corridor", "LOC"), ("IRTC", "LOC")],
            )
        }
    )
    assert together(
        found, "12_11ecbplus:the Internationally Recognised Transit Corridor", "12_11ecbplus:IRTC"
    )


def test_an_acronym_written_lowercase_in_a_url_is_still_a_name() -> None:
    """ "ie" of the source URLs (ECB+ sentence 0) is the topic's only lowercase
    form; capitalised "IE" inside sentences outnumbers it, so "IE" is a name and
    meets "Internet Explorer" by its initials."""
    krebs = (
        "http : / / krebsonsecurity . com / 2013 / 09 / microsoft - ie - zero - day - flaw - affects - all - "
        "versions /\n"
        "Microsoft said today that attackers are exploiting a previously unknown , unpatched vulnerability "
        "in all supported versions of its Internet Explorer Web browser .\n"
        "Microsoft said it is aware of targeted attacks that attempt to exploit the vulnerability ( CVE - "
        "2013 - 3893 ) in IE 8 and IE 9 versions of the default Windows browser ."
    )
    bit_tech = (
        "http : / / www . bit - tech . net / news / bits / 2013 / 09 / 18 / ms - ie - patch / 1\n"
        "Microsoft releases out - of - cycle patch for IE flaw"
    )
    found = clusters_of(
        {
            "27_6ecbplus": (krebs, [("Internet Explorer", "NON"), ("IE", "NON")]),
            "27_2ecbplus": (bit_tech, [("IE", "NON")]),
        }
    )
    assert together(found, "27_6ecbplus:Internet Explorer", "27_6ecbplus:IE", "27_2ecbplus:IE")


def test_a_time_naming_a_weekday_is_that_day_within_its_event() -> None:
    found = clusters_of(
        {
            "1_10ecb": (TARA_10, [("on Tuesday", "TIM")]),
            "1_5ecb": (
                "Reid checked herself in on Tuesday , December 9 , 2008 .",
                [("on Tuesday , December 9 , 2008", "TIM")],
            ),
            "1_11ecb": (
                "Tara Reid has entered a rehab program , the American Pie star 's rep confirmed to People and Us "
                "Weekly on Friday .",
                [("on Friday", "TIM")],
            ),
            "1_3ecbplus": (LOHAN_3, [("14 June 2013", "TIM")]),  # another event of the topic
        }
    )
    assert together(found, "1_10ecb:on Tuesday", "1_5ecb:on Tuesday , December 9 , 2008")
    assert not together(found, "1_10ecb:on Tuesday", "1_11ecb:on Friday")


def test_a_weekday_and_the_date_written_with_it_are_one_day() -> None:
    found = clusters_of(
        {
            "28_2ecbplus": (
                "His body was found by a motel maid July 27 , but Harrison County , Miss . , coroner Gary "
                "Hargrove said he believed the death occurred July 24 .",
                [("July 27", "TIM"), ("July 24", "TIM")],
            ),
            "28_4ecbplus": (
                "His body was discovered Tuesday by a maid who entered his hotel room in Biloxi , Coroner Gary "
                "Hargrove said .",
                [("Tuesday", "TIM")],
            ),
            "28_6ecbplus": (
                "His body was discovered Tuesday , July 27 , 2004 , by a maid who entered his hotel room in "
                "Biloxi , Miss .\nThe coroner believes LaRue died Saturday , July 24 , 2004 , of natural causes .",
                [("Tuesday , July 27 , 2004", "TIM"), ("Saturday , July 24 , 2004", "TIM")],
            ),
            "28_1ecb": ("On Tuesday , Oct. 10 , 1972 , Washington awoke to this startling news:", []),
        }
    )
    assert together(
        found, "28_2ecbplus:July 27", "28_4ecbplus:Tuesday", "28_6ecbplus:Tuesday , July 27 , 2004"
    )
    assert together(found, "28_2ecbplus:July 24", "28_6ecbplus:Saturday , July 24 , 2004")
    assert not together(found, "28_2ecbplus:July 27", "28_2ecbplus:July 24")


def test_the_place_a_class_noun_names_with_of_is_that_place() -> None:
    found = clusters_of(
        {
            "20_1ecb": (
                "The tremor struck an area around the town of Dargahan on Qeshm island , at the entrance to the "
                "Gulf through which 40 percent of the world 's traded oil passes .",
                [("the town of Dargahan", "LOC")],
            ),
            "20_2ecb": (
                "The governor also said that five people had received treatment after being injured by the quake , "
                "which struck seven km ( 4 miles ) east of Dargahan .",
                [("Dargahan", "LOC")],
            ),
        }
    )
    assert together(found, "20_1ecb:the town of Dargahan", "20_2ecb:Dargahan")


def test_pronouns_take_the_last_named_person_and_the_speaker_stays_apart() -> None:
    text = (
        "Perennial party girl Tara Reid checked herself into Promises Treatment Center , her rep told People .\n"
        "`` We appreciate your respect to her and her family 's privacy at this time , '' the rep said ."
    )
    found = clusters_of(
        {
            "1_10ecb": (
                text,
                [("Tara Reid", "PER"), ("herself", "PER"), ("her", "PER"), ("We", "HUM"), ("her", "PER")],
            )
        }
    )
    assert together(found, "1_10ecb:Tara Reid", "1_10ecb:herself", "1_10ecb:her")
    assert {"1_10ecb:We"} in found


def test_events_meet_on_their_head_stem_and_a_particle_is_no_head() -> None:
    found = clusters_of(
        {
            "1_10ecb": (
                TARA_10,
                [("Tara Reid", "PER"), ("checked herself into", "EVENT"), ("told", "EVENT")],
            ),
            "1_11ecb": (
                "`` Tara Reid has checked herself into Promises Treatment Center , '' Reid 's rep told Us .",
                [("Tara Reid", "PER"), ("checked herself into", "EVENT"), ("told", "EVENT")],
            ),
            "1_3ecbplus": (LOHAN_3, [("Lindsay Lohan", "PER"), ("Checks Out", "EVENT")]),
        }
    )
    assert together(found, "1_10ecb:checked herself into", "1_11ecb:checked herself into")
    assert together(found, "1_10ecb:told", "1_11ecb:told")
    assert not together(found, "1_10ecb:told", "1_10ecb:checked herself into")
    assert not together(found, "1_10ecb:Tara Reid", "1_10ecb:told")  # entities and events never mixed
    assert not together(found, "1_10ecb:checked herself into", "1_3ecbplus:Checks Out")


def test_a_noun_in_another_event_stays_apart() -> None:
    """Two events of one topic (ECB+ topic 1: Tara Reid's and Lindsay Lohan's
    rehab) share "the actress" but not the actress."""
    found = clusters_of(
        {
            "1_1ecb": (TARA_1, [("Tara Reid", "PER"), ("the actress", "PER")]),
            "1_10ecb": (TARA_10, [("Tara Reid", "PER"), ("the actress", "PER")]),
            "1_2ecbplus": (LOHAN_2, [("Lindsay Lohan", "PER"), ("the actress", "PER")]),
            "1_3ecbplus": (LOHAN_3, [("Lindsay Lohan", "PER"), ("The actress", "PER")]),
        }
    )
    assert together(found, "1_1ecb:Tara Reid", "1_10ecb:Tara Reid")
    assert together(found, "1_2ecbplus:Lindsay Lohan", "1_3ecbplus:Lindsay Lohan")
    for tara in ("1_1ecb:the actress", "1_10ecb:the actress"):
        for lohan in ("1_2ecbplus:the actress", "1_3ecbplus:The actress"):
            assert not together(found, tara, lohan)


def test_two_documents_are_one_event() -> None:
    """With two documents TF-IDF cannot weigh a shared word: they are one group,
    so their nouns and times still meet."""
    found = clusters_of(
        {
            "28_4ecbplus": (
                "His body was discovered Tuesday by a maid who entered his hotel room in Biloxi , Coroner Gary "
                "Hargrove said .",
                [("Tuesday", "TIM"), ("a maid", "PER")],
            ),
            "28_5ecbplus": (
                "LaRue's body was found Tuesday by a maid at the Biloxi hotel where he was staying .",
                [("Tuesday", "TIM"), ("a maid", "PER")],
            ),
        }
    )
    assert together(found, "28_4ecbplus:Tuesday", "28_5ecbplus:Tuesday")
    assert together(found, "28_4ecbplus:a maid", "28_5ecbplus:a maid")


def _groups_and_subtopics(
    ecb_documents: dict[str, list[dict[str, str]]], topic: str
) -> tuple[list[list[str]], list[list[str]]]:
    """A topic's documents as ``event_groups`` groups them, and as its subtopics."""
    subtopics = [[d["doc_id"] for d in ecb_documents[f"{topic}_{half}"]] for half in ("ecb", "ecbplus")]
    texts = {d["doc_id"]: d["text"] for half in ("ecb", "ecbplus") for d in ecb_documents[f"{topic}_{half}"]}
    groups: dict[int, list[str]] = {}
    for doc_id, group in sorted(event_groups(texts).items()):
        groups.setdefault(group, []).append(doc_id)
    return sorted(groups.values()), sorted(sorted(s) for s in subtopics)


def test_a_lone_report_joins_the_event_it_is_nearest(ecb_documents: dict[str, list[dict[str, str]]]) -> None:
    """ECB+ topic 4 (the deaths of Bettie Page and of Esther Williams): two reports
    of Page's death fall below the joining bar of every group; each joins its
    nearest group of several documents instead of being an event of its own."""
    groups, subtopics = _groups_and_subtopics(ecb_documents, "4")
    assert groups == subtopics


def test_names_tell_two_similar_events_apart(ecb_documents: dict[str, list[dict[str, str]]]) -> None:
    """ECB+ topic 30 (undersea cables cut in the Mediterranean in 2008, and
    Seacom's cable broken in 2011): the topic's shared words ("cable", "internet")
    made the two one group; the names of each event, weighed more, split them
    along the subtopics."""
    groups, subtopics = _groups_and_subtopics(ecb_documents, "30")
    assert groups == subtopics


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="family"):
        SpanMention("m", "d", 0, 0, 4, "Reid", "PERSON")
    mention = SpanMention("m", "d", 0, 0, 4, "Reid", "PER")
    with pytest.raises(ValueError, match="no text"):
        cluster_mentions({}, [mention])
    with pytest.raises(ValueError, match="unique"):
        cluster_mentions({"d": "Reid"}, [mention, mention])
    assert cluster_mentions({"d": "Reid"}, []) == []
