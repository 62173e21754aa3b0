"""Checklist: the action's steps, ticked, with a note of what the learner found."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .base import Kind, PlanContext, Planned, md_escape, text


@dataclass(frozen=True)
class Options:
    items: list[str] | None = None  # the steps to tick; default: the action's list items, else its title
    prompt: str | None = None  # the question above the notes box; default "What did you find?"


class Checklist(Kind):
    name, widget, title = "checklist", "Checklist", "Checklist"
    Options = Options
    minutes = 10
    prompts = ("Which step was hardest to do with the data you have today?",)

    def plan(self, ctx: PlanContext) -> dict[str, Any] | None:
        o: Options = ctx.options
        a = ctx.action
        items = o.items if o.items is not None else list(a.steps) if a and a.steps else [a.title] if a else []
        if not items:
            ctx.bad("has no items", "list them: `items: [\"...\"]`, or attach it to an action with a list")
        return {"items": items, **({"prompt": o.prompt} if o.prompt else {})}

    def worked_example(self, p: Planned) -> tuple[str, str] | None:
        return ("**Worked example, on a different checklist:** every step ticked and a finding written.",
                "demo = ex.Checklist(items=['Find the plan document', 'List its components'])\n"
                "demo.set_answer({'ticked': [True, True], 'notes': 'Two components; one (the cap) traces to nothing.'})\n"
                "print(demo.report())")

    def model_answer(self, p: Planned) -> str:
        return "\n".join(f"- {md_escape(x)}" for x in p.kwargs.get("items", []))

    def brief_rows(self, answer: Any) -> list[tuple[str, str]]:
        if not isinstance(answer, dict):
            return []
        ticked = answer.get("ticked")
        ticked = ticked if isinstance(ticked, list) else []
        rows = [("Steps done", f"{sum(1 for t in ticked if t is True)} of {len(ticked)}")] if ticked else []
        if text(answer.get("notes")):
            rows.append(("What I found", text(answer.get("notes"))))
        return rows


KIND = Checklist()
