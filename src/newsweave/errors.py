"""The one exception tree of newsweave.

Every error a user can cause is a :class:`NewsweaveError` whose message says
which file or record, what was wrong and what to do; the CLI prints that message
on one line and exits non-zero, never with a traceback.
"""

from __future__ import annotations


class NewsweaveError(Exception):
    """Base of every error newsweave raises on purpose."""


class InputError(NewsweaveError):
    """An input path or record cannot be read (missing file, empty folder, bad encoding)."""


class StageError(NewsweaveError):
    """A stage failed on a record; carries the stage and the record's source."""

    def __init__(self, stage: str, source: str, reason: str) -> None:
        super().__init__(f"{source}: {stage} failed: {reason}")
        self.stage = stage
        self.source = source
        self.reason = reason


class PipelineError(NewsweaveError):
    """The stages cannot run in the order given (a stage needs what none before it adds)."""


class StoreError(NewsweaveError):
    """The database cannot be opened, migrated, read or written."""


class NotFoundError(StoreError):
    """A story, article or other record asked for by id is not in the store."""


class ExportError(NewsweaveError):
    """A dossier cannot be written (unknown format, invalid against the schema)."""
