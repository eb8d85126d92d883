"""The words auditors answer from: each question's kind and what its answers look like.

A rubric's guidance lives beside it in `<rubric>.guidance.yaml` (the bundled rubric's ships
with the package): notes for the top of the template's Guidance sheet (which referral,
which agencies…), and per column what `Yes`, `Partly` and `No` look like in a record, with
a short example. A local rubric's guidance file adds to, and replaces entries of, the
guidance of the rubric it extends; a column with no entry falls back to its description.

Every column has a **kind**, which says how to answer from a silent record (DESIGN v2.3):
a `fact` with no sign of it in the record is `No` (or `None`); a `judgement` is answered
from everything known at the time, never from silence; a `practice` answer is `Not
recorded` when the record is silent; a `dependent` question (one whose `na_allowed` is a
condition on other answers) is `N/A` when its parent rules it out. The kind follows from
the column's type and `na_allowed`, unless the guidance names it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import RubricError
from ..schema import FieldSpec
from .compiled import LoadedRubric
from .extends import GUIDANCE_SUFFIX, bundled_path
from .yamlfile import YamlProblem, load_yaml

Kind = Literal["fact", "judgement", "practice", "dependent", "date", "other"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Question(_Strict):
    """One column's guidance: its kind when not the default, what answers look like."""

    kind: Kind | None = None
    looks_like: dict[str, str] = {}
    example: str | None = None


class Note(_Strict):
    """A paragraph for the top of the Guidance sheet."""

    title: str
    text: str


class _File(_Strict):
    notes: list[Note] = []
    questions: dict[str, Question] = {}


@dataclass(frozen=True)
class Guidance:
    """The effective guidance of a rubric (after `extends`)."""

    notes: tuple[Note, ...] = ()
    questions: dict[str, Question] = field(default_factory=dict)

    def kind(self, name: str, spec: FieldSpec) -> Kind:
        """How a column is answered from a silent record."""
        entry = self.questions.get(name)
        if entry is not None and entry.kind is not None:
            return entry.kind
        return default_kind(spec)


def default_kind(spec: FieldSpec) -> Kind:
    """A condition in `na_allowed` makes a dependent; otherwise the type decides."""
    if isinstance(spec.na_allowed, str):
        return "dependent"
    if spec.type == "answer":
        return "practice"
    if spec.type in ("yes_no", "choice", "list", "integer"):
        return "fact"
    if spec.type == "date":
        return "date"
    return "other"


def guidance_path(rubric_file: Path) -> Path:
    """`rubrics/x.yaml` → `rubrics/x.guidance.yaml`."""
    stem = rubric_file.name.rsplit(".", 1)[0]
    return rubric_file.with_name(stem + GUIDANCE_SUFFIX)


def load_guidance(rubric: LoadedRubric) -> Guidance:
    """The guidance of a rubric and of every rubric it extends, the nearest file winning.

    A rubric with no guidance file (and none in its chain) has empty guidance. A guidance
    file that is not valid is a RubricError naming it.
    """
    files = [doc.path for doc in rubric.chain]
    if not files:
        bundled = bundled_path(rubric.model.id)
        files = [bundled] if bundled is not None else []
    notes: dict[str, Note] = {}
    questions: dict[str, Question] = {}
    for rubric_file in reversed(files):  # the bundled base first, the local file last
        path = guidance_path(rubric_file)
        if not path.is_file():
            continue
        found = _read(path)
        notes.update({note.title: note for note in found.notes})
        questions.update(found.questions)
    return Guidance(tuple(notes.values()), questions)


def _read(path: Path) -> _File:
    try:
        doc = load_yaml(path)
        return _File.model_validate(doc.data or {})
    except YamlProblem as exc:
        raise RubricError(f"{path}:{exc.line}:{exc.col}: {exc.message}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise RubricError(f"{path}: {where}: {first['msg']} ({exc.error_count()} problem(s) "
                          "in this guidance file)") from None
