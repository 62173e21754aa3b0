"""The typed model of a counsel note. Parsing lives in ``parse.py``, checks in ``validate.py``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TYPES = ("NOTE", "GUIDE", "PLAYBOOK", "CASE", "CAPSTONE")
CHANNELS = ("PLAN_DESIGN", "STRATEGY", "PLANNING", "ENABLEMENT", "COMPENSATION", "OPERATIONS")
DIFFICULTIES = ("INTRO", "INTERMEDIATE", "ADVANCED", "EXPERT")
EXERCISE_TYPES = (
    "contradiction_map",
    "plan_tester",
    "plan_audit",
    "traceability",
    "pitfall_check",
    "hypothesis",
    "assumption_check",
    "checklist",
    "review",
)


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
    timeToApplyMin: int = 10  # minutes a learner needs, a positive integer
    exercises: tuple[ExerciseSpec, ...] = ()  # optional explicit exercise list


@dataclass(frozen=True)
class ExerciseSpec:
    """One exercise a note asks for: a widget type, the action it practises, extra settings."""

    type: str  # one of EXERCISE_TYPES
    action: int | None = None  # the recommended action's number, if it belongs to one
    options: dict[str, Any] = field(default_factory=dict)  # widget-specific settings (plain data)


@dataclass(frozen=True)
class Section:
    """A `## Heading` and the markdown under it, in file order."""

    title: str
    body: str
    line: int


@dataclass(frozen=True)
class Action:
    """A recommended action: `### N. Title (duration)` and its body."""

    number: int
    title: str
    duration: str
    body: str
    line: int

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

    @property
    def slug(self) -> str:
        return self.front.slug

    def section(self, title: str) -> Section | None:
        """The first section whose title starts with ``title`` (case-insensitive)."""
        for s in self.sections:
            if s.title.lower().startswith(title.lower()):
                return s
        return None
