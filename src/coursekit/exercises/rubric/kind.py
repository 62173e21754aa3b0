"""Rubric: before export, the learner checks their brief against four criteria (a specific mechanic, the money
difference, an owner, a date), ticking each and pointing to the brief's section that shows it. Structured: no
sentence is judged; the facilitator scores the same four criteria in the room view (``coursekit.room``)."""

from __future__ import annotations

from typing import Any

from coursekit.exercises.rubric.criteria import HEADINGS, RUBRIC
from coursekit.exercises.kind import Kind, PlanContext, Planned, md_escape


class Rubric(Kind):
    name, widget, title = "rubric", "Rubric", "Brief rubric (self-check)"
    minutes = 5
    prompts = ("Which criterion was hardest to meet with what you know of your own company today?",)

    def plan(self, ctx: PlanContext) -> dict[str, Any] | None:
        return {"criteria": [list(c) for c in RUBRIC], "sections": [list(h) for h in HEADINGS]}

    def model_answer(self, p: Planned) -> str:
        return ("Each criterion met, and pointed to the section that shows it, e.g.:\n\n"
                + "\n".join(f"- **{md_escape(label)}**: {md_escape(meets)}" for _id, label, meets in RUBRIC)
                + "\n\nIn a workshop, score the same four in the room view; a learner's tick is a claim, your score is the check.")

    def brief_rows(self, answer: Any) -> list[tuple[str, str]]:
        ticked = answer.get("ticked") if isinstance(answer, dict) and isinstance(answer.get("ticked"), dict) else {}
        return [(label, "ticked" if ticked.get(cid) is True else "not ticked") for cid, label, _m in RUBRIC]


KIND = Rubric()
