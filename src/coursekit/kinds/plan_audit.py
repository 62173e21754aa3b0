"""Plan audit: a plan checked against the strategy it should encode; the learner fixes or accepts each finding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .base import Kind, PlanContext, Planned, literal, text

EXAMPLE_SCENARIO = "enterprise-vs-smb.yaml"  # the worked example audits this package plan, not the exercise's


@dataclass(frozen=True)
class Options:
    plan: str  # plan file, relative to content/
    strategy: str  # strategy file, relative to content/


class PlanAudit(Kind):
    name, widget, title = "plan_audit", "PlanAudit", "Plan audit"
    Options = Options
    minutes = 10
    prompts = ("Which findings does tracing alone not fix? What would?",
               "Which component would you cut first, and who must agree?")

    def plan(self, ctx: PlanContext) -> dict[str, Any] | None:
        from ..engine.audit import strategy_from_dict
        from ..engine.plan import plan_from_dict

        plan = ctx.load_checked(ctx.options.plan, "plan", plan_from_dict)
        strategy = ctx.load_checked(ctx.options.strategy, "strategy", strategy_from_dict)
        return {"plan": plan, "strategy": strategy} if plan is not None and strategy is not None else None

    def demo(self, ctx: PlanContext, kwargs: dict[str, Any]) -> dict[str, Any]:
        found = ctx.load_yaml(EXAMPLE_SCENARIO, "scenario")
        return {"plan": found[0]["plan"]} if found else {}

    def setup_source(self, p: Planned) -> str | None:
        return (f"{p.var}_args = dict(plan=plan_from_dict({literal(p.kwargs['plan'])}),\n"
                f"    strategy=strategy_from_dict({literal(p.kwargs['strategy'])}))")

    def worked_example(self, p: Planned) -> tuple[str, str] | None:
        if not p.demo.get("plan"):
            return None
        return ("**Worked example: a different plan (the first module's monthly plan) audited against the same strategy:**",
                f"demo = ex.PlanAudit(plan=plan_from_dict({literal(p.demo['plan'])}), strategy={p.var}_args['strategy'])\nprint(demo.report())")

    def model_answer(self, p: Planned) -> str:
        return ("Trace quota to the capacity model, the threshold to the quality gate, and each tier, credit multiplier and SPIF to the "
                "priority it serves. The period and payoff findings remain: they need a plan change, not a trace.")

    def brief_rows(self, answer: Any) -> list[tuple[str, str]]:
        from .plan_tester import plan_text

        if not isinstance(answer, dict):
            return []
        rows = [("Plan", t)] if (t := plan_text(answer.get("_plan"))) else []
        accepted = answer.get("accepted")
        for k, why in (accepted.items() if isinstance(accepted, dict) else []):
            rows.append((f"Accepted: {text(k, 80)}", text(why)))
        return rows


KIND = PlanAudit()
