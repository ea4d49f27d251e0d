"""Load-test the HTTP server: the story page and search on a store of 10,000 articles.

    python bench/serve.py [--data DIR] [--db FILE] [--articles 10000] [--seed-articles 200]
                          [--seconds 30] [--concurrency 16]

The store: with ``--db FILE`` (an existing store) it is used as it is. Otherwise
one is built in a temporary folder: ``--seed-articles`` articles of DIR's
``*.jsonl`` (default ../shared/data/polnear, with a ``text`` field) run through
the whole pipeline once, then every record of that dossier is copied with new
ids (``<id>x<copy>`` for articles, stories, claims and entities, and every
reference to them) until the store holds ``--articles`` articles, written with
``Store.save``. Running 10,000 articles through spaCy would take half an hour
here; copies give the store the size (rows, FTS5 index, entity table) the
server has to read from, with real article-shaped content.

The server: ``newsweave serve`` in a subprocess on 127.0.0.1 and a free port
(traffic only to loopback). The client: ``--concurrency`` asyncio connections
(plain HTTP/1.1 keep-alive), for ``--seconds``; each request is, in turn, a
story's JSON (``/api/stories/{id}``), its HTML page (``/stories/{id}``, when the
web pages are there) and a search (``/api/search?q=...``) for a word of a
story's title, over a sample of 200 stories. Both sides share the machine's 2 cores.
The server keeps whole answers while the store is unchanged, so after the first
round most requests are cache hits; ``--cold`` adds a distinct ignored query
parameter to every request, so each one is built from the store.

The last line is ``RESULT rps=... p50_ms=... p99_ms=... errors=...``.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import math
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from _data import read_documents
from newsweave.engine import Engine
from newsweave.model import Dossier
from newsweave.store import Store

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "polnear"
#: Stories the client draws its requests from (random, fixed seed).
SAMPLE_STORIES = 200
#: Words too common to make a search worth timing.
_STOP = {"the", "and", "for", "with", "from", "that", "this", "after", "over", "into", "says", "said"}


def _renamed(value: Any, ids: dict[str, str], suffix: str) -> Any:
    """A record (or tuple, or id) with every known id given ``suffix``."""
    if isinstance(value, str):
        return value + suffix if value in ids else value
    if isinstance(value, tuple):
        return tuple(_renamed(item, ids, suffix) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _renamed(getattr(value, f.name), ids, suffix) for f in dataclasses.fields(value)}
        if "source" in changes and hasattr(value, "paragraphs"):
            changes["source"] = f"{value.source}{suffix}"  # type: ignore[attr-defined]
        return dataclasses.replace(value, **changes)
    return value


def replicate(dossier: Dossier, articles: int) -> Dossier:
    """The dossier copied with new ids until it holds at least ``articles`` articles (whole copies)."""
    ids = {a.id: "" for a in dossier.articles}
    ids |= {s.id: "" for s in dossier.stories}
    ids |= {c.id: "" for c in dossier.claims}
    ids |= {e.id: "" for e in dossier.entities}
    copies = math.ceil(articles / max(1, len(dossier.articles)))
    fields: dict[str, list[Any]] = {f.name: [] for f in dataclasses.fields(Dossier) if f.name != "meta"}
    for copy in range(copies):
        suffix = "" if copy == 0 else f"x{copy}"
        for name, records in fields.items():
            records.extend(_renamed(r, ids, suffix) for r in getattr(dossier, name))
    return Dossier(**{name: tuple(records) for name, records in fields.items()})


def build_store(path: Path, data: Path, seed_articles: int, articles: int) -> None:
    started = time.perf_counter()
    dossier = Engine().run(read_documents(data, seed_articles, "bench/serve.py")).dossier
    ran = time.perf_counter() - started
    big = replicate(dossier, articles)
    with Store(path) as store:
        store.save(big)
    print(
        f"built {path}: {len(dossier.articles)} articles through the pipeline in {ran:.0f} s, "
        f"copied to {len(big.articles)} articles, {len(big.stories)} stories, {len(big.claims)} claims "
        f"({time.perf_counter() - started:.0f} s in all)",
        flush=True,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_ready(base: str, server: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"bench/serve.py: the server exited with {server.returncode}")
        try:
            if httpx.get(f"{base}/api/stories?limit=1", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    sys.exit("bench/serve.py: the server did not answer in time")


def plan(base: str) -> list[tuple[str, str]]:
    """(kind, path) requests over a sample of stories, in a fixed random order."""
    stories: list[dict[str, Any]] = []
    offset = 0
    while len(stories) < 2000:
        page = httpx.get(f"{base}/api/stories", params={"limit": 100, "offset": offset}, timeout=30).json()
        stories += page["items"]
        if page["next_offset"] is None:
            break
        offset = page["next_offset"]
    rng = random.Random(11)
    sample = rng.sample(stories, min(SAMPLE_STORIES, len(stories)))
    first = sample[0]["id"]
    has_pages = httpx.get(f"{base}/stories/{first}", timeout=30).status_code == 200
    requests: list[tuple[str, str]] = []
    for story in sample:
        requests.append(("story_json", f"/api/stories/{story['id']}"))
        if has_pages:
            requests.append(("story_page", f"/stories/{story['id']}"))
        words = [w for w in re.findall(r"[A-Za-z]{4,}", story["title"]) if w.lower() not in _STOP]
        requests.append(("search", f"/api/search?q={rng.choice(words) if words else 'government'}"))
    return requests


async def fetch(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    """One GET over a kept-alive HTTP/1.1 connection; the status. A few lines of asyncio
    rather than httpx, whose client costs more CPU per request than the server here."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode("ascii"))
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    headers = dict(line.split(b":", 1) for line in head.split(b"\r\n")[1:] if b":" in line)
    fields = {k.strip().lower(): v.strip() for k, v in headers.items()}
    if fields.get(b"transfer-encoding") == b"chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(int(fields.get(b"content-length", b"0")))
    return status


async def drive(
    port: int, requests: list[tuple[str, str]], seconds: float, concurrency: int, cold: bool = False
) -> dict[str, Any]:
    """``concurrency`` connections, each sending its next request when the last is answered."""
    latencies: dict[str, list[float]] = {}
    errors = 0
    stop = time.perf_counter() + seconds

    async def worker(number: int) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        position = number * len(requests) // concurrency
        try:
            while time.perf_counter() < stop:
                kind, path = requests[position % len(requests)]
                position += 1
                if cold:  # a query parameter the endpoints ignore makes every request new to the cache
                    path += f"{'&' if '?' in path else '?'}cold={number}-{position}"
                sent = time.perf_counter()
                try:
                    ok = await fetch(reader, writer, path) == 200
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    ok = False
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                if ok:
                    latencies.setdefault(kind, []).append(time.perf_counter() - sent)
                else:
                    errors += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    return {"latencies": latencies, "errors": errors, "elapsed": time.perf_counter() - started}


def percentile(values: list[float], q: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of *.jsonl articles")
    parser.add_argument("--db", type=Path, help="an existing store to serve (else one is built)")
    parser.add_argument("--articles", type=int, default=10_000, help="articles in the built store")
    parser.add_argument("--seed-articles", type=int, default=200, help="articles run through the pipeline")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long to drive the server")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight at once")
    parser.add_argument(
        "--cold", action="store_true", help="defeat the server's answer cache: every request is new"
    )
    parser.add_argument("--keep", type=Path, help="save the built store here for later --db runs")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newsweave-serve-") as tmp:
        db = args.db
        if db is None:
            db = args.keep or Path(tmp) / "bench.db"
            if db.exists():
                sys.exit(f"bench/serve.py: {db} exists; pass it as --db or remove it")
            build_store(db, args.data, args.seed_articles, args.articles)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "newsweave.cli", "serve", "--db", str(db), "--port", str(port)]
        env = {k: v for k, v in os.environ.items() if k != "NEWSWEAVE_TOKEN"}  # reads only
        with subprocess.Popen(command, env=env) as server:
            try:
                wait_ready(base, server)
                with Store(db) as store:
                    print(f"serving {store.count('articles')} articles, {store.count('stories')} stories")
                requests = plan(base)
                asyncio.run(drive(port, requests[:30], 2.0, args.concurrency))  # warm caches and connections
                result = asyncio.run(drive(port, requests, args.seconds, args.concurrency, args.cold))
            finally:
                server.terminate()
                server.wait(timeout=30)

    every = [v for values in result["latencies"].values() for v in values]
    for kind, values in sorted(result["latencies"].items()):
        print(
            f"{kind:11} {len(values):7d} ok  p50 {percentile(values, 0.5):7.1f} ms  "
            f"p99 {percentile(values, 0.99):7.1f} ms  mean {statistics.fmean(values) * 1000:7.1f} ms"
        )
    rps = (len(every) + result["errors"]) / result["elapsed"]
    print(
        f"RESULT rps={rps:.0f} p50_ms={percentile(every, 0.5):.1f} p99_ms={percentile(every, 0.99):.1f} "
        f"errors={result['errors']}"
    )


if __name__ == "__main__":
    main()
