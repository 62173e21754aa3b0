"""Decisions: the capstone's close. One decision asked of each owner (strategy, planning, enablement, comp),
answerable yes or no, and the day and calendar on which the hypothesis's metric is read."""

from __future__ import annotations

from typing import Any

from coursekit.answers import OWNERS
from coursekit.exercises.hypothesis.kind import module_cycle_months
from coursekit.exercises.kind import Kind, PlanContext, Planned, text


def in_capstone(ctx: PlanContext) -> bool:
    """True when the note has the capstone's options editor, whose cells define ``capstone`` (its inputs)."""
    return any(s.type == "scenario_editor" for s in ctx.specs_for())


class Decisions(Kind):
    name, widget, title = "decisions", "DecisionsForm", "Decisions asked of each owner"
    minutes = 10
    prompts = ("Which of the four decisions is the hardest to get, and what in your brief makes the case for it?",
               "Where in your planning calendar does the brief go, and what happens if it arrives after quotas are allocated?")

    def plan(self, ctx: PlanContext) -> dict[str, Any] | None:
        # in the capstone the review waits a cycle of the learner's own top priority (read at run time)
        months = module_cycle_months(ctx)
        return {"capstone": in_capstone(ctx), "min_months": int(months) if months else None}

    def setup_source(self, p: Planned) -> str | None:
        return None

    def widget_kwargs(self, p: Planned) -> str:
        if p.kwargs.get("capstone"):  # the review waits one cycle from the start of the capstone scenario's plan year
            return "min_months=capstone.cycle_months, plan_start=capstone.plan_start, " + super().widget_kwargs(p)
        return f"min_months={p.kwargs.get('min_months')!r}, " + super().widget_kwargs(p)

    def worked_example(self, p: Planned) -> tuple[str, str] | None:
        asks = {"strategy": {"who": "VP Sales", "ask": "Confirm hospital groups as the first priority for FY27"},
                "planning": {"who": "Sales operations", "ask": "Build capacity on a six-month group-contract cycle and 85% mean attainment"},
                "enablement": {"who": "Clinical education lead", "ask": "Teach the clinical-pilot method to the hospital team in Q1"},
                "comp": {"who": "Comp committee", "ask": "Approve measuring the year, paid monthly, and its cost"}}
        return ("**Worked example, on a case of its own** (the hospital field team: group contracts take six months, the plan "
                "year starts in January 2027): one decision per owner, each answerable yes or no, and a review after one cycle, "
                "on the calendar of whoever reads the metric.",
                "import datetime as dt\n"
                "demo = ex.DecisionsForm(min_months=6, plan_start=dt.date(2027, 1, 1), today=dt.date(2026, 11, 2))\n"
                f"demo.set_answer({{'asks': {asks!r},\n                 'review_date': '2027-07-15', 'calendar': \"the VP Sales's July business review\"}})\n"
                "print(demo.report())")

    def model_answer(self, p: Planned) -> str:
        return ("Four decisions, each answerable yes or no and owned by a named person: strategy confirms the ranked priorities; planning "
                "builds capacity on a spread of attainment and ramp; enablement teaches the selling the plan now pays for; comp approves "
                "the change and its cost per 100 of bookings. The review date falls after at least one sales cycle, on the calendar of "
                "whoever reads the metric.")

    def brief_rows(self, answer: Any) -> list[tuple[str, str]]:
        if not isinstance(answer, dict):
            return []
        asks = answer.get("asks") if isinstance(answer.get("asks"), dict) else {}
        rows = []
        for key, label in OWNERS:
            a = asks.get(key) if isinstance(asks.get(key), dict) else {}
            if text(a.get("ask")):
                rows.append((label, (f"{text(a.get('who'), 80)}: " if text(a.get("who")) else "") + text(a.get("ask"))))
        if text(answer.get("review_date"), 20):
            rows.append(("Review date", text(answer.get("review_date"), 20) + (f" ({text(answer.get('calendar'))})" if text(answer.get("calendar")) else "")))
        return rows


KIND = Decisions()
