"""The ``newsweave`` command: a thin layer over :mod:`newsweave.workflow` and the store.

Errors are one line on stderr saying which file, what was wrong and what to do,
with a non-zero exit; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from . import export as export_mod
from . import resolve as resolve_mod
from .errors import NewsweaveError
from .ingest import IngestOptions, parse_field_overrides
from .stage import Options
from .timeline import DIGEST_FORMATS, digest, render_digest
from .workflow import DEFAULT_DB, ENGINES, open_store
from .workflow import run as run_workflow

F = TypeVar("F", bound=Callable[..., Any])

EXIT_USER_ERROR = 1
EXIT_INTERNAL_ERROR = 2


def db_option(func: F) -> F:
    """The shared ``--db`` option."""
    return click.option(
        "--db",
        default=DEFAULT_DB,
        show_default=True,
        type=click.Path(dir_okay=False),
        help="SQLite database file holding the corpus and its results, or a postgresql://user@host/dbname URL.",
    )(func)


class NewsweaveGroup(click.Group):
    """Turns newsweave's errors into one line and an exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewsweaveError as exc:
            if ctx.params.get("debug"):
                raise
            _fail(str(exc), EXIT_USER_ERROR)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            _fail(
                f"internal error: {type(exc).__name__}: {exc}; rerun with --debug for the traceback "
                "and report it",
                EXIT_INTERNAL_ERROR,
            )


def _fail(message: str, code: int) -> None:
    click.echo(f"newsweave: error: {message}", err=True)
    sys.exit(code)


@click.group(cls=NewsweaveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(package_name="newsweave")
def main(debug: bool) -> None:
    """newsweave: a sourced picture of each news event from raw articles.

    Start with `newsweave run FOLDER`, then `newsweave stories` and
    `newsweave export --format json`.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@db_option
@click.option(
    "--strict", is_flag=True, help="Stop at the first bad record instead of skipping and recording it."
)
@click.option(
    "--batch-size",
    default=Options().batch_size,
    show_default=True,
    type=click.IntRange(1),
    help="Articles per batch.",
)
@click.option(
    "--field",
    "fields",
    multiple=True,
    metavar="FIELD=KEY",
    help="Read a JSON-lines field from another key, e.g. --field text=body (repeatable; "
    "FIELD is text, title, url, published, outlet or byline; KEY may be dotted: data.body).",
)
@click.option(
    "--fetch",
    is_flag=True,
    help="Download each feed entry's linked page (network; honours robots.txt) instead of "
    "using the entry's own content.",
)
@click.option(
    "--stream",
    is_flag=True,
    help="Group stories as a live feed: each article, in publication order, joins an open story "
    "or opens a new one (newsweave.StoryTracker).",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="local",
    show_default=True,
    help="Where the stages run: in this process, or on a Dask cluster (needs newsweave[dask]).",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="--engine dask: the scheduler of a running cluster, e.g. tcp://10.0.0.5:8786 "
    "(default: a local cluster of --workers processes).",
)
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(1),
    help="--engine dask without --scheduler: worker processes of the local cluster [default: 2].",
)
def run(
    paths: tuple[str, ...],
    db: str,
    strict: bool,
    batch_size: int,
    fields: tuple[str, ...],
    fetch: bool,
    stream: bool,
    engine: str,
    scheduler: str | None,
    workers: int | None,
) -> None:
    """Read PATHS (files, folders or http(s) URLs), run every stage and store the result in --db."""
    options = Options(on_error="raise" if strict else "skip", batch_size=batch_size)
    ingest = IngestOptions(fields=parse_field_overrides(fields), fetch=fetch)
    with _progress() as progress:
        summary = run_workflow(
            paths,
            db,
            options,
            progress,
            ingest,
            stream=stream,
            engine_kind=engine,
            scheduler=scheduler,
            workers=workers,
        )
    click.echo(
        f"read {summary.documents} documents: {summary.kept} kept, {summary.rejected} rejected, "
        f"{summary.new_articles} new; the store holds {summary.articles} articles in "
        f"{summary.stories} {'story' if summary.stories == 1 else 'stories'}.\nDossier in {db}: `newsweave export --db {db} --format json`",
        err=True,
    )


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int | None], None]]:
    """A rich progress display on stderr (hidden when stderr is not a terminal)."""
    console = Console(stderr=True)
    bars = Progress(
        SpinnerColumn(),
        TextColumn("{task.description:<8}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal,
    )
    tasks: dict[str, Any] = {}

    def update(stage: str, done: int, total: int | None) -> None:
        if stage not in tasks:
            tasks[stage] = bars.add_task(stage, total=total)
        bars.update(tasks[stage], completed=done, total=total)

    with bars:
        yield update


@main.command()
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(export_mod.FORMATS),
    default="json",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--story", "story_id", default=None, help="Export only this story (an id from `newsweave stories`)."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: stdout).",
)
def export(db: str, fmt: str, story_id: str | None, output: Path | None) -> None:
    """Write the dossier (all stories, or one) as JSON, Markdown or HTML."""
    with open_store(db) as store:
        if story_id is not None:
            story_id = store.story(story_id).id  # a clear error for an unknown id; merged ids redirect
        if output is None:
            export_mod.write(store, sys.stdout, fmt, story_id)
            return
        with _atomic_file(output) as out:
            export_mod.write(store, out, fmt, story_id)
    click.echo(f"wrote {output}", err=True)


@contextmanager
def _atomic_file(path: Path) -> Iterator[TextIO]:
    """Write to a temporary file beside ``path`` and rename it in place at the end,
    so a crash never leaves a half-written export."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise NewsweaveError(f"{path}: folder {folder} does not exist; create it or choose another -o")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            yield out
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@main.command()
@db_option
def stories(db: str) -> None:
    """List the stored stories: id, dates, number of articles, title."""
    with open_store(db) as store:
        for story in store.iter("stories"):
            dates = story.first_date or "undated"
            if story.last_date and story.last_date != story.first_date:
                dates += f"..{story.last_date}"
            click.echo(f"{story.id}\t{dates}\t{len(story.article_ids)} articles\t{story.title}")


@main.command()
@db_option
@click.option(
    "-q",
    "--query",
    default=None,
    help="Only entities with a name or alias matching TEXT, spelling variants folded (Umyerov finds Umerov).",
)
def entities(db: str, query: str | None) -> None:
    """List the entity index across stories: id, type, canonical name, story count, aliases."""
    with open_store(db) as store:
        for entity_id, kind, name, aliases, count in store.entity_index():
            if query is not None and not resolve_mod.name_matches(query, (name, *aliases)):
                continue
            stories = f"{count} {'story' if count == 1 else 'stories'}"
            click.echo(f"{entity_id}\t{kind}\t{name}\t{stories}\t{' | '.join(aliases)}")


@main.command()
@click.argument("story_id")
@db_option
def show(story_id: str, db: str) -> None:
    """Print one story's brief, timeline and claims."""
    with open_store(db) as store:
        story_id = store.story(story_id).id  # a merged story's old id redirects
        for view in export_mod.story_views(store, story_id):
            click.echo("\n".join(export_mod.markdown_story(view)))


@main.command()
@db_option
@click.option("--story", "story_id", default=None, help="Only this story (default: every stored story).")
@click.option("--dates", default=10, show_default=True, type=click.IntRange(1), help="Days per timeline.")
@click.option("--lines", default=1, show_default=True, type=click.IntRange(1), help="Lines per day.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(DIGEST_FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
def timeline(db: str, story_id: str | None, dates: int, lines: int, fmt: str) -> None:
    """Each story's key days, each with its most central cited sentences (newsweave.timeline.digest)."""
    from .model import Dossier

    with open_store(db) as store:
        chosen = [store.story(story_id)] if story_id is not None else list(store.iter("stories"))
        result = []
        for story in chosen:
            fields = {name: tuple(store.iter(name, story.id)) for name in ("articles", "sentences", "dates")}
            dossier = Dossier(stories=(story,), **fields)
            result.append((story, digest(dossier, dates, lines, story_ids=(story.id,))))
    click.echo(render_digest(result, fmt))


@main.command()
@click.argument("dossier", type=click.Path(dir_okay=False, path_type=Path))
@db_option
def verify(dossier: Path, db: str) -> None:
    """Re-check every brief sentence of DOSSIER (a dossier JSON) against the stored articles.

    Lists each sentence that fails and why; exits 1 when any fails.
    """
    import json

    from .brief import TEMPLATE_WORDS, entity_aliases
    from .errors import InputError, NotFoundError
    from .verify import recheck

    try:
        data = json.loads(dossier.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(
            f"{dossier}: not a readable dossier JSON ({exc}); export one with `newsweave export`"
        ) from exc
    brief = data.get("brief") if isinstance(data, dict) else None
    if not isinstance(brief, list):
        raise InputError(
            f"{dossier}: no 'brief' list; is this a newsweave dossier (`newsweave export --format json`)?"
        )
    with open_store(db) as store:

        def article_text(article_id: str) -> str | None:
            try:
                return store.article(article_id).text
            except NotFoundError:
                return None

        aliases = entity_aliases(list(store.iter("entities")))
        reports = recheck([b for b in brief if isinstance(b, dict)], article_text, TEMPLATE_WORDS, aliases)
    failed = [r for r in reports if r.failures]
    for r in failed:
        click.echo(
            f"FAIL brief[{r.index}] ({r.story_id}, cites {', '.join(r.article_ids) or 'nothing'}): {r.text}"
        )
        for failure in r.failures:
            click.echo(f"  - {failure}")
    click.echo(f"{len(reports) - len(failed)} of {len(reports)} brief sentences verified against {db}")
    if failed:
        sys.exit(EXIT_USER_ERROR)


@main.command()
@db_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback only by default)."
)
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on."
)
def serve(db: str, host: str, port: int) -> None:
    """Serve the store over HTTP: the web pages and the JSON API under /api.

    Reads are open; POST /api/articles needs NEWSWEAVE_TOKEN set and sent as a bearer token.
    """
    import uvicorn

    from .api import create_app

    app = create_app(db)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"newsweave: warning: listening on {host}: every read endpoint is open to that network", err=True
        )
    uvicorn.run(app, host=host, port=port, log_level="warning")
    click.echo("newsweave: server stopped", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
