"""Checklist: the action's steps, ticked, with a note of what the learner found."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .base import Kind, PlanContext, Planned, literal, md_escape, text

GENERIC = {"items": ["Find the plan document", "List its components"], "ticked": [True, True],
           "notes": "Two components; one (the cap) traces to nothing."}


@dataclass(frozen=True)
class Options:
    items: list[str] | None = None  # the steps to tick; default: the action's list items, else its title
    prompt: str | None = None  # the question above the notes box; default "What did you find?"
    example: dict[str, Any] | None = None  # the worked example, a different checklist: {case, items, ticked, notes}


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

    def demo(self, ctx: PlanContext, kwargs: dict[str, Any]) -> dict[str, Any]:
        """The declared worked example, checked: a case in words, items, one tick per item, and the note written."""
        e = ctx.options.example
        if e is None:
            return {}
        fix = "write `example: {case: \"...\", items: [\"...\"], ticked: [true, ...], notes: \"...\"}`"
        if not isinstance(e, dict) or set(e) - {"case", "items", "ticked", "notes"}:
            ctx.bad("example has keys other than case, items, ticked and notes", fix)
            return {}
        items, ticked = e.get("items"), e.get("ticked")
        if not (isinstance(items, list) and items and all(isinstance(i, str) and i.strip() for i in items)):
            ctx.bad("example.items is not a list of steps", fix)
        elif not (isinstance(ticked, list) and len(ticked) == len(items) and all(isinstance(t, bool) for t in ticked)):
            ctx.bad("example.ticked is not one true or false per item", fix)
        elif not all(isinstance(e.get(k), str) and e[k].strip() for k in ("case", "notes")):
            ctx.bad("example.case and example.notes must be text", fix)
        else:
            return {"case": e["case"].strip(), "items": items, "ticked": ticked, "notes": e["notes"].strip()}
        return {}

    def worked_example(self, p: Planned) -> tuple[str, str] | None:
        d = p.demo or GENERIC
        case = f" ({d['case']})" if d.get("case") else ""
        said = ("every step ticked" if all(d["ticked"]) else "the steps done ticked, the rest left open with a reason") + \
            " and a finding written."
        return (f"**Worked example, on a different checklist{case}:** {said}",
                f"demo = ex.Checklist(items={literal(d['items'])})\n"
                f"demo.set_answer({literal({'ticked': d['ticked'], 'notes': d['notes']})})\n"
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
