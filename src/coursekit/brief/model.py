"""The Alignment brief as data: its sections, its headings and schema id, and its JSON (``schemas/brief.schema.json``).
What composing fills in and rendering reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from coursekit.exercises.rubric.criteria import HEADINGS, RUBRIC, RUBRIC_KEY  # noqa: F401  (the brief's own, kept where the kernel's rubric reads them)

SCHEMA = "coursekit-brief/2"  # 2: the plans section says whose company (name, currency, own, components, options) and from which tester
VERSION = 2


@dataclass
class Section:
    id: str
    number: int
    heading: str
    todo: str = ""  # what to do to fill it ("" when filled)
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def filled(self) -> bool:
        return not self.todo


@dataclass
class Brief:
    learner: str  # "" when no name was given
    sections: list[Section]
    summary: str = ""
    chart: bytes | None = field(default=None, repr=False)
    warnings: list[str] = field(default_factory=list)  # where the plan, the hypothesis and the asks disagree
    completion: dict[str, Any] = field(default_factory=dict)  # the dated completion record (``compose.completion_record``)
    rubric: list[dict[str, Any]] = field(default_factory=list)  # the four criteria and the learner's self-check

    @property
    def title(self) -> str:
        """"Alignment brief: Dana O'Neil", or "Alignment brief" when no name was given."""
        return f"Alignment brief: {self.learner}" if self.learner else "Alignment brief"


def to_json(brief: Brief) -> dict[str, Any]:
    """The brief as data with stable keys (``schemas/brief.schema.json``); money in integer cents."""
    return {"schema": SCHEMA, "version": VERSION, "learner": brief.learner, "summary": brief.summary, "warnings": list(brief.warnings),
            "completion": brief.completion, "rubric": brief.rubric,
            "sections": [{"id": s.id, "number": s.number, "heading": s.heading, "filled": s.filled, "todo": s.todo or None, "data": s.data}
                         for s in brief.sections]}
