"""Dates inferred from the story: an undated article takes its story's date, with evidence only."""

from __future__ import annotations

from pathlib import Path

from newsweave.clean import clean_document
from newsweave.clean.dates import INFER_MAX_SPAN_DAYS, infer_published
from newsweave.ingest import read_paths
from newsweave.model import Article, Dossier, Story


def _article(article_id: str, published: str | None, inferred: bool = False) -> Article:
    return Article(
        article_id, f"{article_id}.txt", None, None, None, published, inferred, "en", ("Text.",), ()
    )


def _story(*article_ids: str) -> Story:
    return Story("s1", "A story", article_ids, None, None)


def test_an_undated_article_takes_the_day_most_of_its_story_gives() -> None:
    articles = [_article("a", "2024-11-05T18:39"), _article("b", "2024-11-06"), _article("c", "2024-11-06")]
    articles.append(_article("d", None))
    dated = {a.id: a for a in infer_published(articles, [_story("a", "b", "c", "d")])}
    assert (dated["d"].published, dated["d"].published_inferred) == ("2024-11-06", True)
    assert dated["a"] == articles[0] and dated["b"] == articles[1]  # stated dates are never touched


def test_equally_common_days_give_the_earliest() -> None:
    articles = [_article("a", "2024-11-06"), _article("b", "2024-11-05"), _article("c", None)]
    (*_, inferred) = infer_published(articles, [_story("a", "b", "c")])
    assert inferred.published == "2024-11-05"


def test_no_evidence_no_date() -> None:
    alone = [_article("a", "2024-11-05"), _article("b", None)]
    assert infer_published(alone, [_story("a", "b")])[1].published is None  # one dated article only
    spread = [_article("a", "2024-11-01"), _article("b", "2024-11-20"), _article("c", None)]
    assert infer_published(spread, [_story("a", "b", "c")])[2].published is None  # weeks apart
    assert INFER_MAX_SPAN_DAYS < 19
    no_story = [_article("a", "2024-11-05"), _article("b", "2024-11-05"), _article("c", None)]
    assert infer_published(no_story, [_story("a", "b")])[2].published is None


def test_an_earlier_inference_is_worked_out_again() -> None:
    """A date inferred in an earlier run is not evidence: it goes when the story no longer supports it."""
    articles = [_article("a", "2024-11-05"), _article("b", "2024-11-05", inferred=True)]
    (_a, b) = infer_published(articles, [_story("a", "b")])
    assert (b.published, b.published_inferred) == (None, False)


def test_the_undated_seed_is_dated_from_its_story(seeds_dir: Path, seed_dossier: Dossier) -> None:
    by_seed = {a.source.rsplit("/", 1)[-1][:3]: a for a in seed_dossier.articles}
    raw = {d.source.rsplit("/", 1)[-1][:3]: d for d in read_paths([seeds_dir])}
    assert clean_document(raw["004"]).published is None  # clean states only what the text says
    (story,) = [s for s in seed_dossier.stories if by_seed["004"].id in s.article_ids]
    dated = [by_seed[n].published for n in ("000", "001", "002", "003") if by_seed[n].id in story.article_ids]
    assert len(dated) >= 2
    assert by_seed["004"].published_inferred is True
    assert by_seed["004"].published in {d[:10] for d in dated if d}
    assert all(not by_seed[n].published_inferred for n in ("000", "001", "002", "003"))
