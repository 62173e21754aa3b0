"""Assumption check: for each of the note's assumptions, does it hold where you work, and what breaks if not.

Whether an assumption holds in the learner's organization is something the course cannot check: those marks are kept as
written (never done). What the course can check is its own case: ``choices`` are keyed questions on how an assumption
bears on the module's plan or scenario, each wrong option a named misconception; they carry the verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from coursekit.exercises.kind import Choice, Kind, PlanContext, Planned, md_escape, plan_choices, text

GENERIC = "the advice that rests on it needs testing in your organization before you act on it."
MARKS = {"yes": "holds here", "no": "does not hold here", "unsure": "not sure yet", "not sure": "not sure yet"}


@dataclass(frozen=True)
class Options:
    breaks: dict[int | str, str] = field(default_factory=dict)  # what breaks if an assumption is false, by number (from 1) or text
    choices: list[Choice] | None = None  # keyed questions on the module's own case (the verdict); without them the exercise is written at best


class AssumptionCheck(Kind):
    name, widget, title = "assumption_check", "AssumptionCheck", "Assumption check"
    Options = Options
    minutes = 5
    after = "assumptions"
    prompts = ("Which assumption is weakest in your organization, and what would you measure to find out?",)

    def plan(self, ctx: PlanContext) -> dict[str, Any] | None:
        note, breaks = ctx.note, ctx.options.breaks
        if not note.assumptions:
            ctx.bad("the note has no assumptions", "add a list under `## Assumptions`")
            return None
        bad = [k for k in breaks if isinstance(k, int) and not 1 <= k <= len(note.assumptions)
               or isinstance(k, str) and k not in note.assumptions]
        if bad:
            ctx.bad(f"breaks key {bad[0]!r} is not an assumption", f"use a number from 1 to {len(note.assumptions)}")
        consequences = note.material.assumptions
        items = []
        for i, a in enumerate(note.assumptions):
            why = breaks.get(i + 1) or breaks.get(a) or (consequences[i] if i < len(consequences) else "") or GENERIC
            items.append({"text": a, "breaks": str(why)})
        keyed = plan_choices(ctx, ctx.options.choices)
        return {"assumptions": items, **({"keyed": keyed} if keyed else {})}

    def worked_example(self, p: Planned) -> tuple[str, str] | None:
        return ("**Worked example, on an assumption this note does not make:**",
                "demo = ex.AssumptionCheck(assumptions=[{'text': 'Reps read the plan document',\n"
                "                                        'breaks': 'if not, they learn the plan from the first payslip; explain it in a team meeting'}])\n"
                "demo.set_answer({'marks': ['yes'], 'evidence': ['I asked the owner']})\nprint(demo.report())")

    def model_answer(self, p: Planned) -> str:
        rows = [f"- {md_escape(a['text'])}: if not, {md_escape(a['breaks'])}" for a in p.kwargs["assumptions"]]
        rows += [f"- {md_escape(c['question'])} **{md_escape(c['options'][c['right']])}**" for c in p.kwargs.get("keyed") or []]
        return "\n".join(rows)

    def brief_rows(self, answer: Any) -> list[tuple[str, str]]:
        marks = answer.get("marks") if isinstance(answer, dict) else None
        instead = answer.get("instead") if isinstance(answer, dict) else None
        rows = []
        for i, m in enumerate(marks if isinstance(marks, list) else [], 1):
            rows.append((f"Assumption {i}", MARKS.get(text(m, 20).lower(), "not answered")))
            seen = answer.get("evidence")
            source = text(seen[i - 1], 80) if isinstance(seen, list) and i <= len(seen) else ""
            if source and text(m, 20).lower() == "yes":
                rows.append((f"Assumption {i}: I know because", source))
            plan_b = instead.get(str(i)) if isinstance(instead, dict) else instead[i - 1] if isinstance(instead, list) and i <= len(instead) else None
            if text(plan_b):
                rows.append((f"Assumption {i}: instead I will", text(plan_b)))
        picked = answer.get("keyed_text") if isinstance(answer, dict) else None  # the module's own case: the checked part
        rows += [("On this module's case, I pick", text(t)) for t in (picked if isinstance(picked, list) else []) if text(t)]
        return rows


KIND = AssumptionCheck()
