"""The Alignment brief as data: its sections, its headings and schema id, and its JSON (``schemas/brief.schema.json``).
What composing fills in and rendering reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA = "coursekit-brief/2"  # 2: the plans section says whose company (name, currency, own, components, options) and from which tester
VERSION = 2
HEADINGS = (("priorities", "Priorities"), ("contradictions", "Contradictions found"),
            ("plans", "Current and proposed plan"), ("findings", "Audit findings still open"),
            ("hypothesis", "Hypothesis and review date"), ("decisions", "Decisions asked of each owner"))
# The brief's rubric: four criteria a learner ticks before export (saying where the brief shows each) and a facilitator
# scores in the room view. (id, criterion, what meets it)
RUBRIC = (("mechanic", "A specific mechanic", "names the plan component that changes and how, e.g. the cap moves from the month to the year"),
          ("money", "The money difference", "gives the pay or cost difference as a number: pay per 100 of bookings, or a year's pay"),
          ("owner", "An owner", "names who decides or acts, per change"),
          ("date", "A date", "gives the date the hypothesis is reviewed or the decision is due"))
RUBRIC_KEY = "alignment-capstone/rubric"  # where the self-check is saved: {"ticked": {id: bool}, "where": {id: text}}


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
