"""What every exercise kind is: a name, a widget, typed options, default keywords and minutes, and four
jobs (plan the widget's kwargs, add its cells, render its facilitator material, read its saved answer
for the brief). Kinds import no ipywidgets: `check` and `build` stay light."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from coursekit.answers import DONE, WRITTEN, status_of
from coursekit.engine.lint import check_file
from coursekit.errors import CourseError, Problem, closest
from coursekit.exercises.cells import IGNORE, WORKED, Cells, literal, md_escape
from coursekit.exercises.options import parse_options
from coursekit.io import read_text
from coursekit.notes.model import ExerciseSpec
from coursekit.yamlio import parse_mapping

if TYPE_CHECKING:
    from coursekit.notes.course import Course
    from coursekit.notes.model import Action, Facilitator, Note

FACILITATOR_TAG = "instructor"


@dataclass(frozen=True)
class NoOptions:
    """This kind takes no options."""


@dataclass(frozen=True)
class Choice:
    """A keyed choice any exercise may carry beside its own inputs: the verdict the course can check."""

    question: str  # asked as written
    options: list[str]  # the answers offered, the right one among them
    right: int  # which option is right, numbered from 0 (kept out of the notebook: the key store)
    misconceptions: list[str]  # one per option: the misconception a wrong pick stands for ("" for the right one)


def plan_choices(ctx: PlanContext, choices: list[Choice] | None) -> list[dict[str, Any]]:
    """Declared keyed choices as plain data, each checked: two options or more, ``right`` among them, and every wrong
    option naming its misconception. Problems are recorded on ``ctx``."""
    out = []
    for n, c in enumerate(choices or [], 1):
        if isinstance(c, Mapping):  # the options parser types the list, not its items: check them here
            q, opts, right, mis = c.get("question"), c.get("options"), c.get("right"), c.get("misconceptions")
            extra = [k for k in c if k not in ("question", "options", "right", "misconceptions")]
            if extra or not isinstance(q, str) or not isinstance(opts, list) or not all(isinstance(o, str) for o in opts) \
                    or isinstance(right, bool) or not isinstance(right, int) or not isinstance(mis, list) or not all(isinstance(m, str) for m in mis):
                ctx.bad(f"choice {n} is not {{question, options, right, misconceptions}}" + (f" (unknown key `{extra[0]}`)" if extra else ""),
                        "write `{question: \"...\", options: [\"...\"], right: 0, misconceptions: [\"\", \"...\"]}`", field_name="choices")
                continue
            c = Choice(q, opts, right, mis)
        if len(c.options) < 2 or not 0 <= c.right < len(c.options) or len(c.misconceptions) != len(c.options):
            ctx.bad(f"choice {n} needs two options or more, `right` among them and one misconception per option",
                    "write `{question, options: [...], right: 0, misconceptions: [\"\", \"...\"]}`", field_name="choices")
        elif any(not m.strip() for i, m in enumerate(c.misconceptions) if i != c.right):
            ctx.bad(f"choice {n}: every wrong option needs the misconception it stands for", "fill `misconceptions:` for each wrong option",
                    field_name="choices")
        else:
            out.append({"question": c.question, "options": list(c.options), "right": c.right, "misconceptions": list(c.misconceptions)})
    return out


@dataclass
class Planned:
    """An exercise placed in a notebook: its spec, id (the answer key), widget kwargs and where it goes."""

    spec: ExerciseSpec
    id: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    demo: dict[str, Any] = field(default_factory=dict)  # what the worked example needs
    anchor: tuple[str, Any] = ("end", None)  # ("action", N) | ("after", section kind) | ("end", None)
    solution: str | None = None  # the content's model answer, revealed by the widget after a first attempt
    facilitator: Facilitator | None = None
    kind: Kind | None = None  # the exercise's kind, set by the planning pass

    @property
    def var(self) -> str:
        return self.id.replace("-", "_")


@dataclass
class PlanContext:
    """What a kind may read while planning one exercise; problems are collected, never raised one by one."""

    note: Note
    spec: ExerciseSpec
    id: str
    content_dir: Path
    problems: list[Problem] = field(default_factory=list)
    course: Course | None = None  # the whole course, for kinds that read earlier modules (the capstone)
    kinds: Mapping[str, Kind] = field(default_factory=dict)  # the registry, passed in by the planning pass

    def specs_for(self, note: Note | None = None) -> list[ExerciseSpec]:
        """The exercises of ``note`` (this note by default), declared or by default, as the planning pass sees them."""
        return specs_for(note or self.note, self.kinds)

    @property
    def action(self) -> Action | None:
        return self.note.action(self.spec.action)

    @property
    def options(self) -> Any:
        return self.spec.options

    def bad(self, problem: str, fix: str, file: str | Path | None = None, field_name: str = "exercises", line: int | None = None) -> None:
        self.problems.append(Problem(str(file or self.note.path), field_name, f"{self.id} ({self.spec.type}): {problem}", fix,
                                     line if file else (line or self.spec.line)))

    def load_yaml(self, name: str, kind: str) -> tuple[dict[str, Any], Path] | None:
        """A YAML file an exercise names: inside the content folder, else a package default of that kind.
        Problems are recorded; returns None when the file cannot be used."""
        try:
            return load_content_yaml(name, self.content_dir, kind)
        except _Outside:
            self.bad(f"{kind} {name!r} points outside the content folder", "use a path inside content/")
        except _Missing:
            self.bad(f"{kind} {name!r} not found", f"put it under {self.content_dir}/")
        except CourseError as exc:
            self.problems += exc.problems
        return None

    def load_checked(self, name: str, kind: str, validate: Callable[[dict[str, Any], Path], Any]) -> dict[str, Any] | None:
        """``load_yaml`` then ``validate(data, where)`` (an engine ``*_from_dict``); its problems are recorded."""
        found = self.load_yaml(name, kind)
        if found is None:
            return None
        try:
            validate(*found)
        except CourseError as exc:
            self.problems += exc.problems
            return None
        if kind in ("plan", "scenario"):  # a plan that loads but pays in a way no comp team means: a warning

            self.problems += [p for p in check_file(found[1], kind, self.content_dir) if p.severity == "warning"]
        return found[0]


class _Outside(Exception):
    pass


class _Missing(Exception):
    pass


_YAML_CACHE: dict[tuple[str, float], tuple[dict[str, Any], Path]] = {}


def load_content_yaml(name: str, content_dir: Path, kind: str) -> tuple[dict[str, Any], Path]:
    """Parsed once per build however many notes name it (cached by path and modification time)."""
    path = (content_dir / name).resolve()
    if not path.is_relative_to(content_dir.resolve()):
        raise _Outside(name)
    key = (f"{kind}:{path}", path.stat().st_mtime if path.is_file() else 0.0)
    if key not in _YAML_CACHE:
        if path.is_file():
            text, where = read_text(path, kind), path
        else:
            res = resources.files("coursekit.data").joinpath(kind + "s", Path(name).name)
            if not res.is_file():
                raise _Missing(name)
            text, where = res.read_text(encoding="utf-8"), Path(str(res))
        _YAML_CACHE[key] = (parse_mapping(text, where)[0], where)
    data, where = _YAML_CACHE[key]
    return copy.deepcopy(data), where


def text(value: Any, limit: int = 2000) -> str:
    """Anything from an answers file as one line of plain text (never raises)."""
    try:
        s = value if isinstance(value, str) else "" if value is None else str(value)
    except Exception:  # noqa: BLE001 - an answers file can hold anything
        s = ""
    return " ".join(s.split())[:limit]


def whole_word(word: str, title: str) -> bool:
    """Keyword match on whole words: "pay" matches "Pay period", not "Repay the draw"."""
    return re.search(rf"\b{re.escape(word)}\b", title, re.I) is not None


DEFAULT_KIND = "checklist"  # an action no keyword matches


def kind_for_action(action: Action, kinds: Mapping[str, Kind]) -> str:
    """The default kind for an action: the first kind with a keyword that is a whole word of the title."""
    return next((k.name for k in kinds.values() for w in k.keywords if whole_word(w, action.title)), DEFAULT_KIND)


def default_specs(note: Note, kinds: Mapping[str, Kind]) -> list[ExerciseSpec]:
    """Exercises for a note that lists none: one per action, then pitfalls, a hypothesis when the note
    speaks of one, and assumptions."""
    def spec(kind: str, action: int | None = None) -> ExerciseSpec:
        return ExerciseSpec(kind, action, kinds[kind].Options())

    specs = [spec(kind_for_action(a, kinds), a.number) for a in note.actions]
    if note.pitfalls:
        specs.append(spec("pitfall_check"))
    if any(whole_word("hypothesis", s.body) for s in note.sections):
        specs.append(spec("hypothesis"))
    if note.assumptions:
        specs.append(spec("assumption_check"))
    return specs


def declared_specs(note: Note, kinds: Mapping[str, Kind]) -> tuple[list[ExerciseSpec], list[Problem]]:
    """The exercises a note declares, each checked against the kinds: its type known, its options typed
    (every problem, with a did-you-mean; an entry with problems is left out)."""
    specs: list[ExerciseSpec] = []
    problems: list[Problem] = []
    for spec in note.front.exercises:
        if not isinstance(spec.options, Mapping):  # already typed
            specs.append(spec)
            continue
        if spec.type not in kinds:
            problems.append(Problem(spec.file, "exercises", f"entry {spec.entry}: unknown type {spec.type!r}",
                                    closest(spec.type, list(kinds)), spec.line))
            continue
        opts, probs = parse_options(kinds[spec.type].Options, dict(spec.options), spec.file, spec.line, f"entry {spec.entry} ({spec.type})")
        problems += probs
        if opts is not None:
            specs.append(replace(spec, options=opts))
    return specs, problems


def specs_for(note: Note, kinds: Mapping[str, Kind]) -> list[ExerciseSpec]:
    """A note's exercises: those its front matter or sidecar declares (typed), else the defaults."""
    return declared_specs(note, kinds)[0] if note.front.exercises else default_specs(note, kinds)


class Kind:
    """Base class of an exercise kind. Subclasses set the class attributes and override what differs."""

    name: ClassVar[str] = ""  # registry name, written in notes as `type:` and saved as `_kind`
    widget: ClassVar[str] = ""  # class name in coursekit.notebook
    title: ClassVar[str] = ""  # human title, used in the brief
    Options: ClassVar[type] = NoOptions  # typed options dataclass
    keywords: ClassVar[tuple[str, ...]] = ()  # whole words in an action title that make this the action's default kind
    minutes: ClassVar[int] = 10  # course minutes when the action's heading gives none
    after: ClassVar[str] = "pitfalls"  # section kind it follows when it belongs to no action
    prompts: ClassVar[tuple[str, ...]] = ()  # default discussion prompts (content can replace them)

    # --- planning ---
    def plan(self, ctx: PlanContext) -> dict[str, Any] | None:
        """Widget kwargs (plain data) for this exercise; record problems on ``ctx``. None when unusable."""
        return {}

    def demo(self, ctx: PlanContext, kwargs: dict[str, Any]) -> dict[str, Any]:
        """Data the worked example needs (e.g. a different case)."""
        return {}

    # --- cells ---
    def setup_source(self, p: Planned) -> str | None:
        """The hidden setup cell that defines ``<var>_args``; None when the widget takes no data. Keyed choices are not in
        it (``widget_kwargs`` passes their questions; the key store holds their keys)."""
        kw = {k: v for k, v in p.kwargs.items() if v is not None and k != "keyed"}
        return f"{p.var}_args = {literal(kw)}" if kw else None

    def widget_kwargs(self, p: Planned) -> str:
        """Extra kwargs only the learner's widget gets (never the worked example's). The model answer is not one:
        the widget reads it from the key store (``coursekit.keys``) by its ``key``, so no key sits in the notebook.
        Keyed choices go in as questions and options only; which option is right is in the key store too."""
        keyed = p.kwargs.get("keyed")
        return f"keyed={literal([{'question': c['question'], 'options': c['options']} for c in keyed])}, " if keyed else ""

    def key_of(self, p: Planned) -> dict[str, Any]:
        """What this exercise keeps out of the learner's notebook: its model answer, and any answer key the
        widget needs (written by the build to ``coursekit/data/keys/<note>.json``, read at run time)."""
        key: dict[str, Any] = {"solution": p.solution} if p.solution else {}
        if p.kwargs.get("keyed"):
            key["keyed"] = [{"right": c["right"], "misconceptions": c["misconceptions"]} for c in p.kwargs["keyed"]]
        return key

    def worked_example(self, p: Planned) -> tuple[str, str] | None:
        """(markdown intro, code) of a worked example on a different case, shown before the exercise."""
        return None

    def cells(self, c: Cells, p: Planned) -> None:
        """Setup, then the worked example (a different case), then the learner's widget."""
        setup = self.setup_source(p)
        if setup:
            c.code(setup, "setup")
        ex = self.worked_example(p)
        if ex:
            c.md(ex[0])
            c.code(ex[1], WORKED)
        args = f"**{p.var}_args, " if self.setup_source(p) else ""
        c.code(f'{p.var} = ex.{self.widget}({args}{self.widget_kwargs(p)}answers=answers, key=MODULE + "/{p.id}")\n{p.var}',
               IGNORE, "exercise")

    # --- facilitator edition ---
    def model_answer(self, p: Planned) -> str:
        """A model answer computed from the exercise's data, when the content gives none."""
        return "Learners' own answers; no single model answer."

    def facilitator_cells(self, c: Cells, p: Planned) -> None:
        f = p.facilitator
        answer = (f.model_answer if f and f.model_answer else self.model_answer(p)).strip()
        prompts = (f.prompts if f and f.prompts else self.prompts)
        parts = ["**Facilitator notes: model answer**", "", answer]
        if f and f.expect:
            parts += ["", f"**Expect this:** {f.expect}"]
        if prompts:
            parts += ["", "**Discussion prompts**", "", *[f"- {q}" for q in prompts]]
        c.md("\n".join("> " + line if line else ">" for line in "\n".join(parts).splitlines()), FACILITATOR_TAG)

    # --- the brief ---
    def brief_rows(self, answer: Any) -> list[tuple[str, str]]:
        """Human rows (label, text) for a saved answer; tolerates missing keys and junk."""
        if not isinstance(answer, dict):
            return []
        scalar = (str, int, float)
        return [(text(k, 80), text(v)) for k, v in answer.items()
                if isinstance(k, str) and not k.startswith("_") and isinstance(v, scalar) and not isinstance(v, bool) and text(v)]


def feedback_rows(answer: Any) -> list[tuple[str, str]]:
    """The last check's feedback and any written reason, as brief rows."""
    rows: list[tuple[str, str]] = []
    if not isinstance(answer, dict):
        return rows
    st = status_of(answer)
    if st or "_feedback" in answer:  # checked at least once: say where it stands
        rows.append(("Status", "done (checked)" if st == DONE else "written (not checked: kept with the learner's reason)"
                     if st == WRITTEN else "not finished"))
    fb = answer.get("_feedback")
    for item in fb if isinstance(fb, list) else []:
        if isinstance(item, (list, tuple)) and len(item) == 2:
            level, msg = item
            rows.append(("Check" if level == "ok" else "To fix" if level == "warn" else "Note", text(msg)))
    if text(answer.get("_reason")):  # a reason, never a pass: the course could not check it
        rows.append(("Written, not checked: the learner's reason", text(answer.get("_reason"))))
    return rows


__all__ = ["Cells", "Choice", "Kind", "NoOptions", "PlanContext", "Planned", "feedback_rows", "literal", "md_escape", "plan_choices", "text", "whole_word"]
