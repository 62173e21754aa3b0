"""Hypothesis: every plan is a behavior experiment; the learner writes it as one checkable sentence."""

from __future__ import annotations

from typing import Any

from .base import Kind, PlanContext, Planned, text


def sentence(a: Any) -> str:
    """"We believe a(n) <lever> <level in its unit> will drive <behavior>; we will know by <metric>, <when>."."""
    a = a if isinstance(a, dict) else {}
    lever = text(a.get("lever"), 80)
    article = "an" if lever[:1].lower() in "aeiou" and lever else "a"
    level = a.get("level", 0)
    level = f"{level:g}%" if isinstance(level, (int, float)) and not isinstance(level, bool) else text(level, 40)
    # the widget saves the level in the lever's unit ("at 1.5x", "of 5,000 per deal"); older answers hold a bare number
    level = text(a.get("level_text"), 60) or (f"at {level}" if level else "")
    return (f"We believe {article} {lever or '…'} {level or 'at …'} will drive {text(a.get('behavior')) or '…'}; "
            f"we will know by {text(a.get('metric')) or '…'}, {text(a.get('when'), 40) or '…'}.")


def module_cycle_months(ctx: PlanContext) -> float | None:
    """The longest sales cycle in the module's scenario (its first plan tester's), or None."""
    from .priorities import scenario_options

    months = [o.get("cycle_months") for o in scenario_options(ctx)]
    months = [float(m) for m in months if isinstance(m, (int, float)) and not isinstance(m, bool)]
    return max(months) if months else None


class Hypothesis(Kind):
    name, widget, title = "hypothesis", "HypothesisBuilder", "Hypothesis"
    minutes = 10
    prompts = ("What result after one quarter would make you change the plan mid-year?",
               "Who reads the metric, and when is it on their calendar?")

    def plan(self, ctx: PlanContext) -> dict[str, Any] | None:
        return {"cycle_months": module_cycle_months(ctx)}

    def setup_source(self, p: Planned) -> str | None:
        return None

    def widget_kwargs(self, p: Planned) -> str:
        return f"cycle_months={p.kwargs.get('cycle_months')!r}, " + super().widget_kwargs(p)

    def worked_example(self, p: Planned) -> tuple[str, str] | None:
        return ("**Worked example, for a different lever than yours:**",
                "demo = ex.HypothesisBuilder()\n"
                "demo.set_answer({'lever': 'threshold', 'level': 50, 'behavior': 'new hires to keep selling through their ramp',\n"
                "                 'metric': 'share of new hires still selling after a year', 'when': 'after 2 quarters'})\nprint(demo.report())")

    def model_answer(self, p: Planned) -> str:
        return ("We believe a platform credit multiplier of 150% will drive reps to spend most of their time on platform deals; "
                "we will know by the platform share of new bookings, after 2 quarters.")

    def brief_rows(self, answer: Any) -> list[tuple[str, str]]:
        if not isinstance(answer, dict) or not any(text(answer.get(k)) for k in ("lever", "behavior", "metric")):
            return []
        return [("Hypothesis", sentence(answer))]


KIND = Hypothesis()
