"""The typed model of a counsel note: parsed once into typed parts (sections by kind, actions with
their steps, example fields and chains, related links, course material). Parsing lives in
``parse.py``, front-matter checks in ``validate.py``, course material in ``material.py``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TYPES = ("NOTE", "GUIDE", "PLAYBOOK", "CASE", "CAPSTONE")
CHANNELS = ("PLAN_DESIGN", "STRATEGY", "PLANNING", "ENABLEMENT", "COMPENSATION", "OPERATIONS")
DIFFICULTIES = ("INTRO", "INTERMEDIATE", "ADVANCED", "EXPERT")
# section kinds, recognised from the `## Heading` (first words, case-insensitive)
SECTION_KINDS = (("problem", "problem statement"), ("mechanism", "mechanism"), ("actions", "recommended actions"),
                 ("pitfalls", "common pitfalls"), ("assumptions", "assumptions"), ("related", "related content"))


def section_kind(title: str) -> str:
    """problem / mechanism / actions / pitfalls / assumptions / related, else other."""
    low = title.lower()
    return next((k for k, start in SECTION_KINDS if low.startswith(start)), "other")


@dataclass(frozen=True)
class ExerciseSpec:
    """One exercise a note asks for: its kind, the action it practises, its typed options."""

    type: str  # a name in coursekit.exercises.KINDS (checked by the planning pass, which knows the kinds)
    action: int | None = None  # the recommended action's number, if it belongs to one
    options: Any = None  # as declared, a mapping; the kind's typed Options once the planning pass has read it
    line: int | None = None  # where it is declared (front matter or sidecar)
    entry: int = 0  # its place in the `exercises:` list (1-based; 0 for a default exercise)
    file: str = ""  # the file that declares it


@dataclass(frozen=True)
class Facilitator:
    """Facilitator material for one exercise (content, not code)."""

    model_answer: str = ""  # markdown; the learner widget reveals it after a first attempt
    prompts: tuple[str, ...] = ()  # discussion prompts for the room
    expect: str = ""  # the misconception the room will show


@dataclass(frozen=True)
class Material:
    """Course material written as content: in the note's front matter or `content/<slug>.course.yaml`."""

    objectives: tuple[str, ...] = ()  # 3-4, shown at the top under "By the end you can"
    key_points: tuple[str, ...] = ()  # 3-5, shown at the end under "Key points"
    assumptions: tuple[str, ...] = ()  # the consequence if each assumption is false, in order
    pitfalls: tuple[str, ...] = ()  # the misconception behind each pitfall, in order
    facilitator: dict[str, Facilitator] = field(default_factory=dict)  # by exercise id


@dataclass(frozen=True)
class FrontMatter:
    """The YAML block at the top of a note."""

    slug: str  # lowercase words joined by hyphens; equals the file's stem
    title: str  # shown as the notebook's heading
    oneLiner: str = ""  # one sentence shown under the title and on the start page
    type: str = "NOTE"  # one of TYPES
    channel: str = "PLAN_DESIGN"  # one of CHANNELS
    tags: tuple[str, ...] = ()  # free keywords
    difficulty: str = "INTRO"  # one of DIFFICULTIES
    timeToApplyMin: int = 10  # minutes to apply the note at work (not course time)
    exercises: tuple[ExerciseSpec, ...] = ()  # optional explicit exercise list


@dataclass(frozen=True)
class Section:
    """A `## Heading` and the markdown under it, in file order."""

    title: str
    body: str
    line: int
    kind: str = "other"  # see SECTION_KINDS


@dataclass(frozen=True)
class Action:
    """A recommended action: `### N. Title (duration)`, its body and what the body lists."""

    number: int
    title: str
    duration: str
    body: str
    line: int
    steps: tuple[str, ...] = ()  # the body's list items, in order
    fields: dict[str, str] = field(default_factory=dict)  # `- **Label**: "text"` lines, by lowercase label
    chains: dict[str, tuple[str, ...]] = field(default_factory=dict)  # `- A → B → C` lines: A -> (B, C)

    @property
    def minutes(self) -> int | None:
        """Minutes if the duration is a number of minutes ("15 min"), else None ("Ongoing")."""
        m = re.match(r"\s*(\d+)\s*(?:min|minutes?)\b", self.duration, re.I)
        return int(m.group(1)) if m else None


@dataclass(frozen=True)
class Pitfall:
    """A common pitfall: the bold quoted claim and its rebuttal."""

    claim: str
    rebuttal: str


@dataclass(frozen=True)
class Note:
    """A parsed, validated counsel note."""

    path: Path
    front: FrontMatter
    sections: tuple[Section, ...]
    actions: tuple[Action, ...] = ()
    pitfalls: tuple[Pitfall, ...] = ()
    assumptions: tuple[str, ...] = ()
    next_counsel: tuple[str, ...] = ()
    videos: tuple[str, ...] = ()
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)  # `**Group**:` -> its list items, lowercase group
    material: Material = field(default_factory=Material)
    material_file: Path | None = None  # the sidecar, when the material came from one

    @property
    def slug(self) -> str:
        return self.front.slug

    def section(self, title: str) -> Section | None:
        """The first section whose title starts with ``title`` (case-insensitive)."""
        for s in self.sections:
            if s.title.lower().startswith(title.lower()):
                return s
        return None

    def section_of(self, kind: str) -> Section | None:
        """The first section of a kind (see SECTION_KINDS)."""
        return next((s for s in self.sections if s.kind == kind), None)

    def action(self, number: int | None) -> Action | None:
        return next((a for a in self.actions if a.number == number), None)
