"""Export: the JSON dossier follows the schema; Markdown and HTML escape article text."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pytest

from newsweave import export
from newsweave.errors import ExportError
from newsweave.model import Dossier
from newsweave.store import Store


def test_seed_dossier_validates_against_the_schema(seed_dossier: Dossier) -> None:
    export.validate(export.dossier_json(seed_dossier))


def test_streamed_json_equals_the_in_memory_dossier(tmp_path: Path, seed_dossier: Dossier) -> None:
    with Store(tmp_path / "n.db") as store:
        store.save(seed_dossier)
        out = io.StringIO()
        export.write_json(store, out)
    assert json.loads(out.getvalue()) == export.dossier_json(seed_dossier)


def test_schema_rejects_a_dossier_missing_a_required_key(seed_dossier: Dossier) -> None:
    data = export.dossier_json(seed_dossier)
    del data["articles"][0]["published_inferred"]
    with pytest.raises(ExportError, match="articles/0"):
        export.validate(data)


def test_schema_rejects_a_date_that_is_not_iso(seed_dossier: Dossier) -> None:
    data = export.dossier_json(seed_dossier)
    data["articles"][0]["published"] = "5 November, 2024"
    with pytest.raises(ExportError, match="published"):
        export.validate(data)


def test_articles_carry_their_story_id(seed_dossier: Dossier) -> None:
    data = export.dossier_json(seed_dossier)
    story_ids = {s["id"] for s in data["stories"]}
    assert all(a["story_id"] in story_ids for a in data["articles"])


def test_one_story_export_holds_only_that_story(seed_dossier: Dossier) -> None:
    story = seed_dossier.stories[0]
    data = export.dossier_json(seed_dossier, story.id)
    assert [s["id"] for s in data["stories"]] == [story.id]
    assert {a["id"] for a in data["articles"]} == set(story.article_ids)
    assert all(c["story_id"] == story.id for c in data["claims"])
    export.validate(data)


def _hostile(dossier: Dossier) -> Dossier:
    """The seeds with markup planted in an article's title and text."""
    first = dossier.articles[0]
    evil = dataclasses.replace(
        first,
        title="<script>alert('x')</script> | [link](http://evil.example) *bold*",
        paragraphs=("<img src=x onerror=alert(1)>", *first.paragraphs[1:]),
    )
    stories = tuple(dataclasses.replace(s, title=evil.title or "") for s in dossier.stories)
    return dataclasses.replace(dossier, articles=(evil, *dossier.articles[1:]), stories=stories)


def test_html_escapes_article_text(seed_dossier: Dossier) -> None:
    out = io.StringIO()
    export.write_html(export.DossierSource(_hostile(seed_dossier)), out)
    page = out.getvalue()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_markdown_escapes_links_and_table_breaks(seed_dossier: Dossier) -> None:
    out = io.StringIO()
    export.write_markdown(export.DossierSource(_hostile(seed_dossier)), out)
    page = out.getvalue()
    assert "[link](http" not in page
    assert r"\<script\>" in page


def test_markdown_lists_brief_timeline_and_claims(seed_dossier: Dossier) -> None:
    out = io.StringIO()
    export.write_markdown(export.DossierSource(seed_dossier), out)
    page = out.getvalue()
    for heading in ("### Brief", "### Timeline", "### Claims", "### Discrepancies", "### Articles"):
        assert heading in page
    assert page.count("\n## ") == len(seed_dossier.stories)


def test_unknown_format_is_a_clear_error(seed_dossier: Dossier) -> None:
    with pytest.raises(ExportError, match="json, md, html"):
        export.write(export.DossierSource(seed_dossier), io.StringIO(), "pdf")
