"""Checklist: the action's steps, ticked, with a note of what the learner found."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coursekit.exercises.kind import Choice, Kind, PlanContext, Planned, literal, md_escape, plan_choices, text

GENERIC = {"items": ["Find the plan document", "List its components"], "ticked": [True, True],
           "notes": "Two components; one (the cap) traces to nothing."}


@dataclass(frozen=True)
class Example:
    case: str  # the other company or situation, in words
    items: list[str]  # its steps
    ticked: list[bool]  # one per step: done or left open
    notes: str  # the finding written, with the reason for any step left open


@dataclass(frozen=True)
class Options:
    items: list[str] | None = None  # the steps to tick; default: the action's list items, else its title
    prompt: str | None = None  # the question above the notes box; default "What did you find?"
    example: Example | None = None  # the worked example, a different checklist (default: a generic one)
    # one per item: the exercises ("module-slug/exercise-id", any one will do) whose check must have passed (or been kept
    # with a reason) before the step can be ticked; null for a step the course cannot check
    evidence: list[list[str] | None] | None = None
    choices: list[Choice] | None = None  # keyed choices that carry the verdict where the steps are self-report


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
        kw: dict[str, Any] = {"items": items, **({"prompt": o.prompt} if o.prompt else {})}
        if o.evidence is not None:
            if len(o.evidence) != len(items):
                ctx.bad("evidence is not one entry per item", "give `evidence:` one list of exercise keys (or null) per item")
            bad = [k for ks in o.evidence if ks for k in ks if k.count("/") != 1]
            if bad:
                ctx.bad(f"evidence names {bad[0]!r}, which is no exercise key", "write `module-slug/exercise-id`")
            kw["evidence"] = o.evidence
        if o.choices:
            kw["keyed"] = plan_choices(ctx, o.choices)
        return kw

    def demo(self, ctx: PlanContext, kwargs: dict[str, Any]) -> dict[str, Any]:
        """The declared worked example (its keys and types checked by the options parser): one tick per step."""
        e: Example | None = ctx.options.example
        if e is None:
            return {}
        if not e.items or not all(i.strip() for i in e.items):
            ctx.bad("example.items has no steps, or an empty one", "list the steps: `items: [\"...\"]`")
            return {}
        if len(e.ticked) != len(e.items):
            ctx.bad("example.ticked is not one true or false per item", "give `ticked:` one true or false for each of `items:`")
            return {}
        return {"case": e.case.strip(), "items": e.items, "ticked": e.ticked, "notes": e.notes.strip()}

    def worked_example(self, p: Planned) -> tuple[str, str] | None:
        d = p.demo or GENERIC
        case = f" ({d['case']})" if d.get("case") else ""
        said = ("every step ticked" if all(d["ticked"]) else "the steps done ticked, the rest left open with a reason") + \
            " and a finding written."
        return (f"**Worked example, on a different checklist{case}:** {said}",
                f"demo = ex.Checklist(items={literal(d['items'])})\n"
                f"demo.set_answer({literal({'ticked': d['ticked'], 'notes': d['notes']})})\n"
                "print(demo.report())\nprint('What they found:', demo.answer['notes'])  # the finding is the example's point")

    def model_answer(self, p: Planned) -> str:
        pick = "".join(f"\n\n**{md_escape(c['question'])}** {md_escape(c['options'][c['right']])}" for c in p.kwargs.get("keyed") or [])
        return "\n".join(f"- {md_escape(x)}" for x in p.kwargs.get("items", [])) + pick

    def brief_rows(self, answer: Any) -> list[tuple[str, str]]:
        if not isinstance(answer, dict):
            return []
        ticked = answer.get("ticked")
        ticked = ticked if isinstance(ticked, list) else []
        rows = [("Steps done", f"{sum(1 for t in ticked if t is True)} of {len(ticked)}")] if ticked else []
        picked = answer.get("keyed_text")
        rows += [("I pick", text(t)) for t in (picked if isinstance(picked, list) else []) if text(t)]
        if text(answer.get("notes")):
            rows.append(("What I found", text(answer.get("notes"))))
        return rows


KIND = Checklist()
