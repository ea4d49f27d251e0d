"""Readers of the shared data sets for the bench scripts: a gold.jsonl of gzipped HTML pages
(the extraction and date sets) and folders of article JSON lines (PolNeAR and the like).
Each bench script prints its own `RESULT key=value ...` line; this module only reads."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

from newsweave.model import RawDocument


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def read_pages(folder: Path, script: str) -> list[tuple[dict[str, Any], str]]:
    """(gold record, page HTML) for each line of ``folder/gold.jsonl``; the page is the
    gzipped file the record's ``html`` field names, relative to ``folder``."""
    gold_file = folder / "gold.jsonl"
    if not gold_file.is_file():
        raise SystemExit(f"{script}: no gold.jsonl in {folder}; pass --data DIR")
    with gold_file.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    return [(r, _decode(gzip.decompress((folder / r["html"]).read_bytes()))) for r in records]


def read_documents(folder: Path, limit: int, script: str) -> list[RawDocument]:
    """Up to ``limit`` articles with a ``text`` from the ``*.jsonl`` files of ``folder``, in
    file and line order (title, publisher or outlet, and date kept where given)."""
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        sys.exit(f"{script}: no .jsonl file in {folder}; pass --data DIR")
    documents: list[RawDocument] = []
    for path in files:
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                record = json.loads(line)
                if not record.get("text"):
                    continue
                documents.append(
                    RawDocument(
                        source=f"{path.name}#{number}",
                        text=record["text"],
                        title=record.get("title"),
                        outlet=record.get("publisher") or record.get("outlet"),
                        published=record.get("date"),
                    )
                )
                if len(documents) == limit:
                    return documents
    return documents
