"""Reading a gold.jsonl of gzipped HTML pages, as the extraction and date sets lay them out."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any


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
