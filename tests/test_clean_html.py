"""HTML cleaning rules on real pages of the shared extraction and date sets, and dates
written under a headline. Tests on ../shared/data skip when it is absent."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newsweave.clean import clean_document
from newsweave.clean.dates import headline_date, page_date, written_date
from newsweave.model import RawDocument

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
EXTRACTION = SHARED / "article-extraction"


def _extraction_page(url_part: str) -> tuple[dict[str, str], RawDocument]:
    gold_file = EXTRACTION / "gold.jsonl"
    if not gold_file.is_file():
        pytest.skip(f"{gold_file} is not here (../shared/data is beside the checkout in CI)")
    for line in gold_file.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if url_part in record["url"]:
            html = gzip.decompress((EXTRACTION / record["html"]).read_bytes()).decode("utf-8")
            return record, RawDocument(record["url"], html, "html", url=record["url"])
    pytest.fail(f"no page with {url_part!r} in {gold_file}")


def test_a_body_cut_by_advertising_is_read_on_from_its_other_containers() -> None:
    gold, page = _extraction_page("wired.com/story/instagram-business-accounts")
    article = clean_document(page)
    text = " ".join(article.paragraphs)
    # the second body container, after the mid-content advert
    assert "I learned that over a dozen people tapped on the profile of a coworker" in text
    assert text.startswith("Instagram began testing hiding public like counts")
    assert len(text) >= 0.9 * len(gold["body"])


def test_comments_in_many_same_class_containers_are_not_taken_for_the_body() -> None:
    _gold, page = _extraction_page("bigbrandsystem.com/success-mindset")
    article = clean_document(page)
    assert article.paragraphs[0].startswith("Your “success mindset” matters.")
    assert "Pamela Wilson" not in article.paragraphs


def test_a_precision_text_far_shorter_than_the_default_gives_way() -> None:
    """On this page trafilatura's precision mode keeps a reprint notice (about 40 words), not the body."""
    _gold, page = _extraction_page("barrons.com/articles/home-depot-stock-earnings")
    article = clean_document(page)
    text = " ".join(article.paragraphs)
    assert "Shares of construction goods giant Home Depot are dropping in premarket trading" in text
    assert len(text.split()) > 300


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Published 2024-11-05T18:39:00+02:00", "2024-11-05"),
        ("Stand: 05.11.2024, 18:39 Uhr", "2024-11-05"),
        ("Posted 11/05/2024", "2024-11-05"),
        ("5. November 2024", "2024-11-05"),
        ("Mardi 5 novembre 2024", "2024-11-05"),
        ("Nov. 5, 2024 at 6:39 p.m.", "2024-11-05"),
        ("Swantje Schemmerling | 06.11.23", "2023-11-06"),
        ("Stand 31.10.98", "1998-10-31"),
        ("Version 1.10.23.4", None),  # a dotted number, not a short date
        ("31.02.2024", None),  # no such day
        ("© 1890 The Gazette", None),  # not a page's year
        ("Call 030 12 34 56", None),
    ],
)
def test_written_dates_in_several_languages(text: str, day: str | None) -> None:
    assert written_date(text) == day


def test_the_date_under_the_headline_is_found_and_one_far_below_is_not() -> None:
    import lxml.html

    near = "<html><body><p>Updated 1 January 2020</p><h1>Port reopens</h1><p class='by'>By A. Writer</p><time datetime='2024-11-05T09:00'>Tuesday</time><p>Text.</p></body></html>"
    assert headline_date(lxml.html.fromstring(near)) == "2024-11-05"  # a date above the headline is not it
    far = (
        "<html><body><h1>Port reopens</h1>"
        + "<p>"
        + "word " * 100
        + "</p><p>5 November 2024</p></body></html>"
    )
    assert headline_date(lxml.html.fromstring(far)) is None
    assert headline_date(lxml.html.fromstring("<html><body><p>5 November 2024</p></body></html>")) is None


def test_a_time_element_gives_the_day_it_shows_before_its_utc_stamp() -> None:
    import lxml.html

    # as repubblica.it: a UTC stamp late on the 1st, shown to readers as the 2nd
    shifted = (
        "<html><body><h1 class='story__title'>Israele - Hamas, le news di oggi</h1>"
        "<time datetime='2023-11-01T23:01:00Z' class='story__date'>02 Novembre 2023</time>"
        "</body></html>"
    )
    assert headline_date(lxml.html.fromstring(shifted)) == "2023-11-02"
    # as paris-luttes.info: the attribute is the last edit, the text the publication
    edited = "<html><body><h1>Grenades</h1><time datetime='2019-07-03T10:18:46Z'>Publié le 29 juin 2019</time></body></html>"
    assert headline_date(lxml.html.fromstring(edited)) == "2019-06-29"
    # a <time> showing no day ("Tuesday") still gives its attribute's day
    bare = "<html><body><h1>Port reopens</h1><time datetime='2024-11-05T09:00'>Tuesday</time></body></html>"
    assert headline_date(lxml.html.fromstring(bare)) == "2024-11-05"


def test_a_date_in_the_headline_itself_is_its_subject_not_the_publication() -> None:
    import lxml.html

    # as a sports-club blog: results of the 19th, posted on the 20th
    results = (
        "<html><body><h1 class='entry-title'>Ergebnisse: RM Schülerinnen A, Aalen-Unterkochen, 19.5.2007</h1>"
        "<p>Veröffentlicht am 20.05.2007 von admin</p></body></html>"
    )
    assert headline_date(lxml.html.fromstring(results)) == "2007-05-20"
    alone = "<html><body><h1>Ergebnisse vom 19.5.2007</h1><p>Die Tabelle.</p></body></html>"
    assert headline_date(lxml.html.fromstring(alone)) is None
    # a date line nested inside the <h1> element (not its own words) still counts
    nested = "<html><body><h1>Zuschauerrückkehr <span class='glyphicon-calendar'>02.02.2022</span></h1></body></html>"
    assert headline_date(lxml.html.fromstring(nested)) == "2022-02-02"


def test_the_markup_date_wins_unless_the_headline_date_is_near_it_or_confirmed() -> None:
    assert page_date("2024-11-05", "2024-11-07", "2024-11-06") == "2024-11-06"  # a day apart: the page's own
    assert page_date("2024-11-05", "2024-12-07", "2024-12-01") == "2024-11-05"  # weeks apart: the markup
    assert page_date("2024-11-05", "2024-12-01", "2024-12-01") == "2024-12-01"  # confirmed by the latest
    assert page_date(None, "2024-11-07", "2024-11-06") == "2024-11-06"
    assert page_date(None, "2024-11-07", None) == "2024-11-07"
    assert page_date("2024-11-05", None, None) == "2024-11-05"
    assert page_date(None, None, None) is None
