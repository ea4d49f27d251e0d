"""The public API is declared once, in newsweave.__all__, and every name in it exists."""

from __future__ import annotations

import newsweave

EXPECTED = {
    "Article", "BriefSentence", "Claim", "ClaimQuantity", "DateMention", "Discrepancy",
    "DiscrepancyValue", "DocumentStage", "Dossier", "Engine", "Entity", "ExportError",
    "InputError", "Mention", "NewsweaveError", "NotFoundError", "Options", "PipelineError",
    "Quantity", "Quote", "RawDocument", "Rejection", "Relay", "Reuse", "RunResult",
    "RunSummary", "STAGES", "Sentence", "Stage", "StageError", "Store", "StoreError", "Story",
    "StoryMerge", "StoryTracker", "Support", "TimelineEntry", "create_app", "dossier_json", "load", "open_store",
    "read_paths", "run",
    "validate",
}  # fmt: skip


def test_all_lists_the_public_api() -> None:
    assert set(newsweave.__all__) == EXPECTED
    assert len(newsweave.__all__) == len(set(newsweave.__all__))


def test_every_public_name_exists() -> None:
    for name in newsweave.__all__:
        assert getattr(newsweave, name) is not None


def test_every_error_is_a_newsweave_error() -> None:
    for name in ("ExportError", "InputError", "NotFoundError", "PipelineError", "StageError", "StoreError"):
        assert issubclass(getattr(newsweave, name), newsweave.NewsweaveError)
