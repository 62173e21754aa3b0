"""Hypothesis: every plan is a behavior experiment; the learner writes it as one checkable sentence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coursekit.errors import closest
from coursekit.exercises.cells import literal
from coursekit.exercises.kind import Kind, PlanContext, Planned, text

# The levers a hypothesis may name (the widget's dropdown, in this order). A rate differential pays the priority's deals
# a multiple of the rate and credits no extra quota; a credit multiplier counts them more toward quota as well.
LEVERS = ("accelerator", "threshold", "cap", "credit multiplier", "rate differential", "SPIF", "measurement period")
WHEN = ("after 1 month", "after 1 quarter", "after 2 quarters", "at year end", "after 2 years")  # when to look
WHEN_MONTHS = dict(zip(WHEN, (1, 3, 6, 12, 24)))
OLD_LEVERS = {"pay period": "measurement period"}  # answers saved before the rename: the period is measurement, not payment


@dataclass(frozen=True)
class Example:
    case: str  # the other company or situation, in words
    lever: str  # one of LEVERS
    level: float  # in the lever's unit
    behavior: str  # "reps to ..."
    metric: str  # something the CRM can count
    when: str  # one of WHEN
    cycle_months: float  # that case's sales cycle: the look comes after at least one
    what: str = "behavior"  # what the behavior names: behavior or activity (an outcome is the misconception the check refuses)


@dataclass(frozen=True)
class Options:
    wrong_levers: dict[str, str] | None = None  # lever -> why it cannot drive the behavior this module wants (the check refuses it with that)
    example: Example | None = None  # the worked example, another case (default: a new region's threshold)


def sentence(a: Any) -> str:
    """"We believe a(n) <lever> <level in its unit> will drive <behavior>; we will know by <metric>, <when>."."""
    a = a if isinstance(a, dict) else {}
    lever = text(a.get("lever"), 80)
    lever = OLD_LEVERS.get(lever, lever)
    article = "an" if lever[:1].lower() in "aeiou" and lever else "a"
    level = a.get("level", 0)
    level = f"{level:g}%" if isinstance(level, (int, float)) and not isinstance(level, bool) else text(level, 40)
    # the widget saves the level in the lever's unit ("at 1.5x", "of 5,000 per deal"); older answers hold a bare number
    level = text(a.get("level_text"), 60) or (f"at {level}" if level else "")
    if lever == "cap" and a.get("cap_scope") == "removed":  # a removal has no level: "We believe removing the cap will drive ..."
        return f"We believe removing the cap will drive {text(a.get('behavior')) or '…'}; we will know by {text(a.get('metric')) or '…'}, {text(a.get('when'), 40) or '…'}."
    return (f"We believe {article} {lever or '…'} {level or 'at …'} will drive {text(a.get('behavior')) or '…'}; "
            f"we will know by {text(a.get('metric')) or '…'}, {text(a.get('when'), 40) or '…'}.")


WORKED = {"lever": "threshold", "level": 40, "what": "behavior", "behavior": "new-region reps to keep working their territory through slow months",
          "metric": "the share of new-region reps with a qualified opportunity each month", "when": "after 2 quarters"}


def module_cycle_months(ctx: PlanContext) -> float | None:
    """The longest sales cycle in the module's scenario (its first plan tester's), or None."""
    for spec in ctx.specs_for():
        if spec.type == "plan_tester" and spec.options is not None:
            found = ctx.load_yaml(str(spec.options.scenario), "scenario")
            opts = found[0].get("options") if found else None
            months = [o.get("cycle_months") for o in opts if isinstance(o, dict)] if isinstance(opts, list) else []
            months = [float(m) for m in months if isinstance(m, (int, float)) and not isinstance(m, bool)]
            return max(months) if months else None
    return None


def tester_id(ctx: PlanContext) -> str | None:
    """The id of this note's plan tester before the hypothesis (named as the planning pass names ids), whose saved result
    the hypothesis's lever is checked against: the learner's own earlier work."""
    seen: dict[str, int] = {}
    found = None
    for spec in ctx.specs_for():
        base = f"action-{spec.action}" if spec.action else spec.type.replace("_", "-")
        seen[base] = seen.get(base, 0) + 1
        ex_id = base if seen[base] == 1 else f"{base}-{seen[base]}"
        if ex_id == ctx.id:
            return found
        if spec.type == "plan_tester":
            found = ex_id
    return found


class Hypothesis(Kind):
    name, widget, title = "hypothesis", "HypothesisBuilder", "Hypothesis"
    Options = Options
    minutes = 10
    prompts = ("What result after one quarter would make you change the plan mid-year?",
               "Who reads the metric, and when is it on their calendar?")

    def plan(self, ctx: PlanContext) -> dict[str, Any] | None:
        o: Options = ctx.options
        for lever in o.wrong_levers or {}:
            if lever not in LEVERS:
                ctx.bad(f"wrong_levers names {lever!r}, which is not a lever", closest(lever, LEVERS))
        tester = tester_id(ctx)
        return {"cycle_months": module_cycle_months(ctx), **({"wrong_levers": o.wrong_levers} if o.wrong_levers else {}),
                **({"tester": tester} if tester else {})}

    def setup_source(self, p: Planned) -> str | None:
        return None

    def widget_kwargs(self, p: Planned) -> str:
        wrong = f"wrong_levers={literal(p.kwargs['wrong_levers'])}, " if p.kwargs.get("wrong_levers") else ""
        tester = f"tester={p.kwargs['tester']!r}, " if p.kwargs.get("tester") else ""
        return f"cycle_months={p.kwargs.get('cycle_months')!r}, {wrong}{tester}" + super().widget_kwargs(p)

    def demo(self, ctx: PlanContext, kwargs: dict[str, Any]) -> dict[str, Any]:
        """The declared worked example (its keys and types checked by the options parser): a lever and a look the
        hypothesis builder knows, at positive levels."""
        from dataclasses import asdict

        e: Example | None = ctx.options.example
        if e is None:
            return {}
        if e.lever not in LEVERS:
            ctx.bad(f"example.lever {e.lever!r} is not a lever", closest(e.lever, LEVERS))
        elif e.when not in WHEN:
            ctx.bad(f"example.when {e.when!r} is not a time to look", closest(e.when, WHEN))
        elif e.what not in ("behavior", "activity"):
            ctx.bad(f"example.what {e.what!r} is not what a worked example's behavior names", "write `what: behavior` or `what: activity`")
        elif e.level <= 0 or e.cycle_months <= 0:
            ctx.bad("example.level and example.cycle_months must be above 0", "give the level in the lever's unit and the cycle in months")
        else:
            return asdict(e)
        return {}

    def worked_example(self, p: Planned) -> tuple[str, str] | None:
        d = p.demo or {**WORKED, "case": "a new region whose reps rarely reach a 70% monthly threshold: lowering it to 40%",
                       "cycle_months": 2}
        answer = {k: d.get(k, "behavior") for k in ("lever", "level", "behavior", "what", "metric", "when")}
        return (f"**Worked example, on a case of its own** ({d['case']}): "
                "a lever, its level in the lever's unit, a behavior, a measurable metric and a look after at least one sales cycle.",
                f"demo = ex.HypothesisBuilder(cycle_months={d['cycle_months']!r})\n"
                f"demo.set_answer({answer!r})\nprint(demo.sentence(demo.answer))\nprint(demo.report())")

    def model_answer(self, p: Planned) -> str:
        return ("We believe a platform rate differential at 1.3x (pay only: quota credit stays 1x) will drive reps to spend most of "
                "their time on platform deals; we will know by the platform share of new bookings, after 2 quarters.")

    def brief_rows(self, answer: Any) -> list[tuple[str, str]]:
        if not isinstance(answer, dict) or not any(text(answer.get(k)) for k in ("lever", "behavior", "metric")):
            return []
        return [("Hypothesis", sentence(answer))]


KIND = Hypothesis()
