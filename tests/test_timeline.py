"""Timeline: dated by when things happened, merged across articles, sorted, cited."""

from __future__ import annotations

from newsweave.model import Dossier


def test_the_first_clash_is_on_4_november_citing_several_articles(seed_dossier: Dossier) -> None:
    entries = [e for e in seed_dossier.timeline if e.date == "2024-11-04"]
    assert max(len(e.article_ids) for e in entries) >= 3


def test_intervals_keep_their_end(seed_dossier: Dossier) -> None:
    transport = [e for e in seed_dossier.timeline if e.date == "2024-10-08" and e.end_date == "2024-10-13"]
    assert transport and "Vladivostok" in transport[0].text


def test_entries_are_sorted_and_cite_claims_and_articles(seed_dossier: Dossier) -> None:
    keys = [(e.story_id, e.date, e.text) for e in seed_dossier.timeline]
    assert keys == sorted(keys)
    claim_ids = {c.id for c in seed_dossier.claims}
    for entry in seed_dossier.timeline:
        assert entry.article_ids and set(entry.claim_ids) <= claim_ids


def test_months_and_days_but_not_publication_dates(seed_dossier: Dossier) -> None:
    dates = {e.date for e in seed_dossier.timeline}
    assert "2024-06" in dates  # the Putin–Kim agreement "in June"
    assert "2024-10-24" in dates and "2024-10-23" in dates
    assert "2024-11-06" not in dates  # 002's publication day: nothing happened on it in the text
