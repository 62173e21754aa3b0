"""Plan audit: a plan checked against the strategy it should encode; the learner fixes or accepts each finding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coursekit.engine.audit import strategy_from_dict
from coursekit.engine.plan import plan_from_dict
from coursekit.errors import CourseError
from coursekit.exercises.kind import Kind, PlanContext, Planned, literal, text
from coursekit.exercises.plan_tester.kind import capstone_needs_editor, plan_text

EXAMPLE_SCENARIO = "enterprise-vs-smb.yaml"  # the worked example audits this package plan, not the exercise's


@dataclass(frozen=True)
class Example:
    case: str  # the other company, in words
    plan: str  # its plan: a scenario (its inline plan) or a plan file, relative to content/
    strategy: str  # its strategy file, relative to content/


@dataclass(frozen=True)
class Options:
    plan: str  # plan file, relative to content/
    strategy: str  # strategy file, relative to content/
    capstone: bool = False  # audit the capstone tester's plan against the learner's priorities (the files stand in when there are none)
    example: Example | None = None  # the worked example, another company's plan against its own strategy


class PlanAudit(Kind):
    name, widget, title = "plan_audit", "PlanAudit", "Plan audit"
    Options = Options
    minutes = 10
    prompts = ("Which findings does tracing alone not fix? What would?",
               "Which component would you cut first, and who must agree?")

    def plan(self, ctx: PlanContext) -> dict[str, Any] | None:
        plan = ctx.load_checked(ctx.options.plan, "plan", plan_from_dict)
        strategy = ctx.load_checked(ctx.options.strategy, "strategy", strategy_from_dict)
        if ctx.options.capstone:
            capstone_needs_editor(ctx)
        if plan is None or strategy is None:
            return None
        return {"plan": plan, "strategy": strategy, **({"capstone": True} if ctx.options.capstone else {})}

    def demo(self, ctx: PlanContext, kwargs: dict[str, Any]) -> dict[str, Any]:
        e = ctx.options.example
        if e is None:
            found = ctx.load_yaml(EXAMPLE_SCENARIO, "scenario")
            return {"plan": found[0]["plan"]} if found else {}
        found = ctx.load_yaml(e.plan, "example.plan")
        data = found[0] if found else None
        plan = data.get("plan", data) if isinstance(data, dict) else None  # a scenario's inline plan, or a plan file
        strategy = ctx.load_checked(e.strategy, "example.strategy", strategy_from_dict)
        try:
            plan_from_dict(plan) if isinstance(plan, dict) else None
        except CourseError as exc:
            ctx.problems += exc.problems
            return {}
        if not isinstance(plan, dict):
            ctx.bad(f"example.plan {e.plan!r} holds no plan", "name a scenario with a `plan:` or a plan file")
            return {}
        return {"plan": plan, "strategy": strategy, "case": e.case.strip()} if strategy is not None else {}

    def setup_source(self, p: Planned) -> str | None:
        if p.kwargs.get("capstone"):  # the plan the capstone's tester holds now; the learner's strategy when they wrote one
            return (f"{p.var}_args = dict(plan=capstone_tester.plan,\n"
                    f"    strategy=strategy_from_dict(capstone.strategy or {literal(p.kwargs['strategy'])}))\n"
                    "print('Auditing', capstone_tester.plan.name, 'as your plan tester holds it now, against',\n"
                    "      'your priorities.' if capstone.strategy else 'the example strategy of module 2 (you have no priorities yet).',\n"
                    "      'Changed the plan? Run this cell again.')")
        return (f"{p.var}_args = dict(plan=plan_from_dict({literal(p.kwargs['plan'])}),\n"
                f"    strategy=strategy_from_dict({literal(p.kwargs['strategy'])}))")

    def worked_example(self, p: Planned) -> tuple[str, str] | None:
        if p.demo.get("strategy"):  # declared: another company's plan against its own strategy
            return (f"**Worked example, on a case of its own** ({p.demo['case']}): its draft plan audited against its strategy. Read "
                    "each finding's evidence and fix, and which ones tracing alone cannot close.",
                    f"demo = ex.PlanAudit(plan=plan_from_dict({literal(p.demo['plan'])}),\n"
                    f"    strategy=strategy_from_dict({literal(p.demo['strategy'])}))\nprint(demo.report())")
        if not p.demo.get("plan") or p.kwargs.get("capstone"):
            return None
        return ("**Worked example: a different plan (the first module's monthly plan) audited against the same strategy:**",
                f"demo = ex.PlanAudit(plan=plan_from_dict({literal(p.demo['plan'])}), strategy={p.var}_args['strategy'])\nprint(demo.report())")

    def model_answer(self, p: Planned) -> str:
        return ("Trace quota to the capacity model, the threshold to the quality gate, and each tier, credit multiplier and SPIF to the "
                "priority it serves. The period and payoff findings remain: they need a plan change, not a trace.")

    def brief_rows(self, answer: Any) -> list[tuple[str, str]]:
        if not isinstance(answer, dict):
            return []
        rows = [("Plan", t)] if (t := plan_text(answer.get("_plan"))) else []
        accepted = answer.get("accepted")
        for k, why in (accepted.items() if isinstance(accepted, dict) else []):
            rows.append((f"Accepted: {text(k, 80)}", text(why)))
        return rows


KIND = PlanAudit()
