"""newsweave: a sourced picture of each news event from raw articles.

The public API, declared once here (tests/test_public_api.py lists it)::

    import newsweave
    summary = newsweave.run(["samples/seeds"], db="newsweave.db")
    dossier = newsweave.load("newsweave.db")
    data = newsweave.dossier_json(dossier)
"""

from .engine import STAGES, Engine, RunResult
from .errors import (
    ExportError,
    InputError,
    NewsweaveError,
    NotFoundError,
    PipelineError,
    StageError,
    StoreError,
)
from .export import dossier_json, validate
from .ingest import read_paths
from .model import (
    Article,
    BriefSentence,
    Claim,
    ClaimQuantity,
    DateMention,
    Discrepancy,
    DiscrepancyValue,
    Dossier,
    Entity,
    Mention,
    Quantity,
    Quote,
    RawDocument,
    Rejection,
    Relay,
    Reuse,
    Sentence,
    Story,
    StoryMerge,
    Support,
    TimelineEntry,
)
from .stage import DocumentStage, Options, Stage
from .store import Store
from .stories import StoryTracker
from .workflow import RunSummary, load, open_store, run

__all__ = [
    "STAGES",
    "Article",
    "BriefSentence",
    "Claim",
    "ClaimQuantity",
    "DateMention",
    "Discrepancy",
    "DiscrepancyValue",
    "DocumentStage",
    "Dossier",
    "Engine",
    "Entity",
    "ExportError",
    "InputError",
    "Mention",
    "NewsweaveError",
    "NotFoundError",
    "Options",
    "PipelineError",
    "Quantity",
    "Quote",
    "RawDocument",
    "Rejection",
    "Relay",
    "Reuse",
    "RunResult",
    "RunSummary",
    "Sentence",
    "Stage",
    "StageError",
    "Store",
    "StoreError",
    "Story",
    "StoryMerge",
    "StoryTracker",
    "Support",
    "TimelineEntry",
    "create_app",
    "dossier_json",
    "load",
    "open_store",
    "read_paths",
    "run",
    "validate",
]


def __getattr__(name: str) -> object:
    """``create_app`` imports FastAPI only when asked for, so the CLI starts fast."""
    if name == "create_app":
        from .api import create_app

        return create_app
    raise AttributeError(f"module 'newsweave' has no attribute {name!r}")
