"""Options editor: the capstone's scenario options (deal size, sales cycle, deals per cycle, win rate) edited in
boxes, never in YAML. Its cells also work out what the capstone starts from, from the learner's answers at run
time (``coursekit.capstone.inputs.capstone_inputs``), print it, and define ``capstone`` (those inputs) and
``capstone_editor`` for the plan tester and audit that follow (``plan_tester``/``plan_audit`` with ``capstone: true``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from coursekit.capstone.inputs import exercise_ids, worked_example_plan
from coursekit.exercises.kind import IGNORE, Cells, Kind, PlanContext, Planned, literal, text
from coursekit.exercises.plan_tester.kind import _scenario

DEFAULT_SCENARIO = "scenarios/capstone-fy28.yaml"


@dataclass(frozen=True)
class Options:
    scenario: str = DEFAULT_SCENARIO  # the capstone's own scenario (plan inline), relative to content/


def course_modules(notes: Any, specs: Callable[[Any], list[Any]] | None = None) -> list[dict[str, Any]]:
    """The course in order as plain data: each module's slug, title, action titles by number and, with ``specs`` (a
    note -> its exercise specs), its exercises by id and kind: how the capstone and the brief find an exercise."""
    out = []
    for n in notes:
        m = {"slug": n.slug, "title": n.front.title, "actions": {a.number: a.title for a in n.actions}}
        if specs is not None:
            found = specs(n)
            m["exercises"] = dict(zip(exercise_ids(found), (s.type for s in found)))
        out.append(m)
    return out


def earlier_modules(ctx: PlanContext) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The course in order as plain data ({slug, title, actions}) and, for each module before this one with a
    plan tester, the plan of its worked example (its scenario's plan after the tester's model fix)."""
    notes = list(ctx.course.notes) if ctx.course is not None else [ctx.note]
    course = course_modules(notes, ctx.specs_for)
    worked: dict[str, dict[str, Any]] = {}
    for n in notes:
        if n.slug == ctx.note.slug:
            break
        for spec in ctx.specs_for(n):
            if spec.type == "plan_tester" and spec.options is not None and not getattr(spec.options, "capstone", False):
                found = ctx.load_yaml(str(spec.options.scenario), "scenario")
                if found and isinstance(found[0].get("plan"), dict):
                    plan = worked_example_plan(found[0], spec.options.fix)
                    change = fix_words(spec.options.fix)
                    plan["name"] = f"{plan.get('name') or 'the plan'}" + (f", {change}" if change else "")
                    worked[n.slug] = plan
    return course, worked


def fix_words(fix: Any) -> str:
    """A worked example's change in words, for the plan's name: "measured quarterly", "a 1.5x credit on the strategy's option"."""
    words = {"period": lambda v: "measured over the year" if v == "annual" else f"measured {v}", "cap": lambda v: f"cap {v:g}x" if isinstance(v, (int, float)) and v else "no cap",
             "threshold": lambda v: f"threshold {v:.0%}" if isinstance(v, (int, float)) and v else "no threshold",
             "credit": lambda v: f"a {v:g}x credit on the strategy's option" if isinstance(v, (int, float)) else "a credit",
             "rate": lambda v: f"a {v:g}x rate on the strategy's option (pay only)" if isinstance(v, (int, float)) else "a rate"}
    return ", ".join(words[k](v) for k, v in (fix.items() if isinstance(fix, dict) else []) if k in words)


class ScenarioEditor(Kind):
    name, widget, title = "scenario_editor", "ScenarioEditor", "Your options"
    Options = Options
    minutes = 5
    prompts = ("Which of your numbers came from the CRM, and which are guesses? Which guess would change the plan you choose?",)

    def plan(self, ctx: PlanContext) -> dict[str, Any] | None:
        data = _scenario(ctx, ctx.options.scenario)
        if data is None:
            return None
        course, worked = earlier_modules(ctx)
        return {"scenario": data, "course": course, "worked": worked}

    def setup_source(self, p: Planned) -> str | None:
        return ("from coursekit.notebook import capstone_inputs\n\n"
                f"capstone_scenario = {literal(p.kwargs['scenario'])}\n"
                f"capstone_course = {literal(p.kwargs['course'])}\n"
                f"capstone_worked = {literal(p.kwargs['worked'])}  # each earlier plan tester's worked example")

    def cells(self, c: Cells, p: Planned) -> None:
        c.code(self.setup_source(p) or "", "setup")
        c.md("**What your capstone starts from**, read from your answers now (run this cell again after you finish an earlier module):")
        c.code("capstone = capstone_inputs(answers, capstone_course, capstone_scenario, capstone_worked)\nprint(capstone.describe())")
        c.code(f'{p.var} = ex.ScenarioEditor(capstone_scenario, renamed=capstone.renamed, answers=answers, key=MODULE + "/{p.id}")\n'
               f"capstone_editor = {p.var}\n{p.var}", IGNORE, "exercise")

    def model_answer(self, p: Planned) -> str:
        return ("The learner's own numbers from the CRM: deal size and cycle from last year's closed-won deals (created to closed-won), "
                "win rate from closed-won over closed-won plus closed-lost, and a note of which are guesses.")

    def brief_rows(self, answer: Any) -> list[tuple[str, str]]:
        rows = answer.get("options") if isinstance(answer, dict) and isinstance(answer.get("options"), list) else []
        out = []
        for r in rows:
            if not isinstance(r, dict) or not text(r.get("name")):
                continue
            size, cycle, win = r.get("deal_size"), r.get("cycle_months"), r.get("win_rate")
            parts = [f"{size:,.0f} a deal" if _num(size) else "",
                     f"{cycle:g}-month cycle" if _num(cycle) else "",
                     f"{win * 100:.0f}% won" if _num(win) and 0 <= win <= 1 else ""]
            out.append((text(r.get("name"), 80), ", ".join(x for x in parts if x) or "-"))
        return out


def _num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and abs(v) < 1e15


KIND = ScenarioEditor()
