"""Contradiction map: per priority, what strategy says, planning assumes, enablement teaches, comp rewards, and the part
that carries a row's verdict (issue 25): the two systems that disagree, the component of the plan the module tests (read from
its plan tester's scenario, named as the audit names it) and what pay does for the strategy's behavior; then, once per map,
the money difference on the module's own case (its plan tester's two options, full-time years), a number the engine checks.
That number is the case's, never the gap of each priority: this plan does not model the others."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from coursekit.answers import MAP_MONEY, MAP_VERDICT, OWNERS, SYSTEMS, map_money
from coursekit.engine.audit import cap_target, component_name, measure_label, pct
from coursekit.engine.currency import MINOR_UNITS
from coursekit.engine.money import money
from coursekit.engine.plan import Plan
from coursekit.engine.scenario import Scenario, scenario_from_dict
from coursekit.engine.simulate import full_time
from coursekit.errors import closest
from coursekit.exercises.kind import Kind, PlanContext, Planned, literal, load_content_yaml, md_escape, text

LABELS = {"strategy": "Strategy says", "planning": "Planning assumes", "enablement": "Enablement teaches",
          "comp": "Comp rewards", "contradiction": "The contradiction",
          "pulls": "Pulls one way", "against": "Against", "component": "Plan component", "pays": "Pay, for what strategy asks",
          "money": "Money difference"}
# The picks that carry a row's verdict (issue 25): the free text beside them is kept and shown, never graded.
# ``answers.MAP_VERDICT`` names them, so a record saved without them counts as written, never as done. The money difference
# (``MAP_MONEY``) is the map's, asked once.
PICKS = MAP_VERDICT  # ("pulls", "against", "component", "pays")
# What pay does for the behavior strategy asks for, as the learner picks it. "more" is the misconception the course
# refuses by name: a row where pay already does what strategy says is not a contradiction.
PAYS = {"less": "pays it less than the easier deal", "same": "pays it about the same, for more work",
        "nothing": "pays nothing for it", "later": "pays it later or capped", "more": "pays it more, as strategy asks"}
AGREE = "more"
# The pay components offered when the module has no plan to read them from (no plan tester with a scenario).
DEFAULT_COMPONENTS = ("Rate", "Quota", "Cap", "Threshold", "Accelerator", "Measurement period", "Crediting", "SPIF")
# A typed money difference is right within 5% of the engine's: that admits the figure rounded to two significant digits
# ("57k" for 56,667), worked out by hand from the note's rounded numbers, or read off a Monte Carlo mean (module 4's
# consultative year is 33,730 in the engine, 33,600 by hand: 0.5% apart), and still refuses another quantity (one option's
# year on its own, 33,333 or 90,000, or what a fix changes).
MONEY_TOLERANCE = Decimal("0.05")
MONEY_ACCEPTS = ("a number such as 12,000, 12000.50 or 12k (a currency sign or ISO code may go with it), with a minus sign "
                 "if the strategy's deal pays more")
_MONEY = re.compile(r"(-)?\s*[$€£]?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?\s*(k)?", re.I)


def parse_money(raw: Any) -> Decimal:
    """A money difference as typed ("12,000", "12000.50", "12k", "-3,500", "$12k", "USD 12,000", "12,000 EUR", "12,000.") as
    an exact Decimal; ValueError with one line saying what is accepted for anything else (a range, words, "1e4", a decimal
    comma, a word that is no ISO 4217 code)."""
    t = " ".join(str(raw if raw is not None else "").split())
    words = t.removesuffix(".").split(" ")
    if len(words) > 1 and words[0].upper() in MINOR_UNITS:  # "USD 12,000"
        words = words[1:]
    if len(words) > 1 and words[-1].upper() in MINOR_UNITS:  # "12,000 EUR"
        words = words[:-1]
    m = _MONEY.fullmatch(" ".join(words))
    if not m:
        raise ValueError(f"{t[:40]!r} is not a money amount: write {MONEY_ACCEPTS}")
    value = Decimal(m[2].replace(",", "") + (m[3] or "")) * (1000 if m[4] else 1)
    return -value if m[1] else value


def within(typed: Decimal, engine: Decimal) -> bool:
    """Whether a typed difference is the engine's, within ``MONEY_TOLERANCE`` of it (exact Decimal comparison)."""
    return abs(typed - engine) <= MONEY_TOLERANCE * abs(engine)


def _cap(name: str) -> str:
    return name[:1].upper() + name[1:]


def plan_components(plan: Plan) -> dict[str, str]:
    """The components of a plan a row can name, as the audit names them (``component_name``), each with how this plan has
    it: {"Quota": "800,000 a year", "Measurement period": "month on its own", "Rate": "12.50% of each credited dollar, ...",
    "Cap": "2x the month's target incentive"}. A plan with one rate calls it "Rate"; tiers are "Base rate (tier 1)",
    "Accelerator (tier 2)"; credit multipliers, SPIFs, a draw or a ramp by their audit names."""
    out = {"Quota": f"{money(plan.quota)} {plan.currency} a year",
           "Measurement period": measure_label(plan.period, plan.measurement)}
    if plan.threshold is not None:
        out["Threshold"] = f"nothing paid below {pct(plan.threshold)} of quota"
    if not plan.tiers and not plan.curve and not plan.measures:
        out["Rate"] = f"{plan.tier_rates()[0] * 100:.2f}% of each credited dollar, the same on every deal"
    for c in plan.components():
        name = _cap(component_name(c).removeprefix("the "))
        if c in ("quota", "threshold"):
            continue
        if c == "curve":
            out["Curve"] = "a payout curve of " + ", ".join(f"{pct(a)} -> {pct(p)}" for a, p in plan.curve)
        elif c.startswith("tier "):
            i = int(c.split()[1]) - 1
            out[name] = f"{plan.tier_rates()[i] * 100:.2f}% of each credited dollar from {pct(plan.effective_tiers()[i].start)} of quota"
        elif c == "cap":
            out["Cap"] = f"{plan.cap:g}x {cap_target(plan)}"
        elif c.startswith(("credit.", "pay_multiplier.")):
            kind, what, value = c.split(".", 2)
            table = plan.credit if kind == "credit" else plan.pay_multiplier
            name = name if kind == "credit" else f"{_cap(value)} pay multiplier"
            out[name] = f"{table[what][value]:g}x" + (" toward quota and pay" if kind == "credit" else " the rate, no extra quota")
        elif c.startswith("spif."):
            sp = next(s for s in plan.spifs if f"spif.{s.name}" == c)
            out[name] = f"{money(sp.amount)} {plan.currency} a deal"
        else:  # a draw, a ramp, a measure of a multi-measure plan
            out[name] = c
    return out


@dataclass(frozen=True)
class Gap:
    """What a year selling what strategy asks pays against a year on the best-paying other option, full-time, on a plan."""

    strategy: str  # the option the strategy prefers
    other: str  # the best-paying other option
    strategy_pay: Decimal
    other_pay: Decimal

    @property
    def gap(self) -> Decimal:
        """How much less the strategy's year pays (negative: it pays more, pay agrees with strategy)."""
        return self.other_pay - self.strategy_pay


def money_gap(sc: Scenario) -> Gap | None:
    """The engine's money difference on a scenario (``simulate.full_time``: each option a full-time year, the rational rep's
    figures); None when the scenario names no strategy option or has no other option."""
    years = full_time(sc)
    others = [r for name, r in years.items() if name != sc.prefer]
    if sc.prefer not in years or not others:
        return None
    best = max(others, key=lambda r: r.payout)
    return Gap(sc.prefer, best.name, Decimal(str(years[sc.prefer].payout)), Decimal(str(best.payout)))


def module_scenario(ctx: PlanContext) -> dict[str, Any] | None:
    """The scenario (plain data) the module's plan tester uses, or None: no tester, the capstone's (the learner's plan), or a
    scenario that cannot be read (the tester reports that itself)."""
    tester = next((s for s in ctx.specs_for() if s.type == "plan_tester" and not getattr(s.options, "capstone", False)), None)
    name = getattr(tester.options, "scenario", None) if tester else None
    if not name:
        return None
    try:
        data, where = load_content_yaml(name, ctx.content_dir, "scenario")
        if not isinstance(data.get("plan"), dict):
            return None
        scenario_from_dict(data, where)
    except Exception:  # noqa: BLE001 - a missing or bad scenario: the tester names the problem; the map falls back
        return None
    return data


@dataclass(frozen=True)
class Options:
    example: dict[str, str] | None = None  # the worked example row (keys of LABELS), over the action's `- **Strategy**: ...` lines
    rows: int = 3  # how many priorities the learner maps
    components: list[str] | None = None  # narrows the plan's components offered (each must be the plan's); without a plan, the list offered


# The worked example, on a case of its own, its money difference checked by the engine on that case's plan like the
# learner's: module 1's tester's worked example (a monthly cap on a four-month retrofit) where the course has that file and
# the module does not test it, else a new region under a monthly threshold (ALT_SCENARIO, inline: by hand, a mature
# territory books 60,000 a month, 100% of the month's quota, and earns 5,000 a month, 60,000 a year; a new-region rep books
# two 12,000 deals a month, 40%, under the 60% threshold, and earns nothing: 60,000 less).
DEMO_SCENARIO = "scenarios/parts-vs-retrofit.yaml"
WORKED = {"strategy": "Win production-line retrofits in the installed base",
          "planning": "The capacity model counts a retrofit as four months of one rep's time",
          "enablement": "Trains reps to scope a line retrofit with the plant's engineers over four months",
          "comp": "Measures each month on its own, capped at 2x the month's target incentive; a retrofit lands in one month",
          "contradiction": "Strategy wants retrofits, but the monthly cap pays a 720,000 retrofit as one capped month, so reps "
                           "sell spare parts every month instead",
          "pulls": "strategy", "against": "comp", "component": "Cap", "pays": "later", "money": "20,000"}
WORKED_ALT = {"strategy": "Win mid-market accounts in the new region",
              "planning": "Territories in the new region carry the same quota as the mature ones",
              "enablement": "Trains reps to run a three-meeting discovery before any proposal",
              "comp": "Pays nothing below 60% of the month's quota, which new-region reps do not reach",
              "contradiction": "Strategy wants the new region opened, but the monthly threshold pays new-region reps nothing for "
                               "their first deals, so they ask to move back to mature territories",
              "pulls": "strategy", "against": "comp", "component": "Threshold", "pays": "nothing", "money": "60,000"}
ALT_SCENARIO = {"plan": {"name": "Regional plan", "ote": 120000, "variable_share": 0.5, "quota": 720000, "period": "monthly",
                         "threshold": 0.6},
                "start": "2027-01", "months": 12,
                "options": [{"name": "mature territory", "deal_size": 20000, "deals_per_cycle": 3, "cycle_months": 1},
                            {"name": "new region", "deal_size": 12000, "deals_per_cycle": 2, "cycle_months": 1}],
                "strategy": {"prefer": "new region"}}


def shown(key: str, value: str) -> str:
    """A row's value as a reader sees it: a picked system or pay verdict in words, any text as written."""
    if key in ("pulls", "against"):
        return dict(OWNERS).get(value, value)
    return PAYS.get(value, value) if key == "pays" else value


class ContradictionMap(Kind):
    name, widget, title = "contradiction_map", "ContradictionMap", "Contradiction map"
    Options = Options
    keywords = ("contradiction", "contradictions")
    minutes = 15
    prompts = ("Which contradiction would a rep notice first, and which one costs the company most?",
               "Who owns each system in your organization, and have they ever met about this priority?")

    def plan(self, ctx: PlanContext) -> dict[str, Any] | None:
        o: Options = ctx.options
        fields = ctx.action.fields if ctx.action else {}
        # the action's `- **Strategy**: ...` lines, with the sidecar's `example:` over them (e.g. only its picks)
        example = {**{k: fields[k] for k in LABELS if k in fields}, **(o.example or {})}
        unknown = [k for k in example if k not in LABELS]
        if unknown:
            ctx.bad(f"example key `{unknown[0]}` is not a column", closest(unknown[0], list(LABELS)))
        if "money" in example:  # the example loads into the learner's form: the engine's figure would be given away
            ctx.bad("example gives the money difference", "leave `money` out: the learner works it out with the plan tester")
        if not 1 <= o.rows <= 10:
            ctx.bad(f"rows {o.rows} is not from 1 to 10", "write e.g. `rows: 3`")
        scenario = module_scenario(ctx)
        comps = self.components(ctx, scenario)
        if not 2 <= len(comps) <= 12 or len(set(comps)) < len(comps):
            ctx.bad(f"components has {len(comps)} entries or repeats one", "list 2 to 12 different components of the module's plan")
        for k, allowed in (("pulls", SYSTEMS), ("against", SYSTEMS), ("component", comps), ("pays", tuple(PAYS))):
            if k in example and example[k] not in allowed:
                ctx.bad(f"example {k} `{example[k]}` is not one of the choices", f"use one of {', '.join(allowed)}")
        if "pulls" in example and example.get("pulls") == example.get("against"):
            ctx.bad("example pulls and against name the same system", "name two systems that disagree")
        return {"example": example, **({"rows": o.rows} if o.rows != 3 else {}), "components": comps,
                **({"scenario": scenario} if scenario else {})}

    @staticmethod
    def components(ctx: PlanContext, scenario: dict[str, Any] | None) -> list[str]:
        """The components offered: the plan's (narrowed to the declared ones, each checked to be the plan's), else the
        declared list, else ``DEFAULT_COMPONENTS``."""
        declared = [str(c) for c in ctx.options.components] if ctx.options.components is not None else None
        if scenario is None:
            return declared if declared is not None else list(DEFAULT_COMPONENTS)
        own = list(plan_components(scenario_from_dict(scenario).plan))
        for c in declared or []:
            if c not in own:
                ctx.bad(f"components names `{c}`, which the plan the module tests does not have",
                        f"name only its components ({', '.join(own)}), or leave `components:` out to offer them all", field_name="components",
                        file=getattr(ctx.spec, "file", None), line=getattr(ctx.spec, "line", None))  # the file that declares it
        return [c for c in declared if c in own] if declared else own

    def demo(self, ctx: PlanContext, kwargs: dict[str, Any]) -> dict[str, Any]:
        """The worked example's case and its scenario: the retrofit where the course has it and the module does not test it,
        else the new region (``ALT_SCENARIO``); never the note's own example priority."""
        mine = text((kwargs.get("example") or {}).get("strategy")).lower()
        try:
            data, _where = load_content_yaml(DEMO_SCENARIO, ctx.content_dir, "scenario")
        except Exception:  # noqa: BLE001 - a course without that case: the new region
            data = None
        if data is not None and data != kwargs.get("scenario") and mine != WORKED["strategy"].lower():
            return {"case": WORKED, "scenario": data}
        return {"case": WORKED_ALT, "scenario": ALT_SCENARIO}

    def worked_example(self, p: Planned) -> tuple[str, str] | None:
        case, scenario = p.demo.get("case") or WORKED_ALT, p.demo.get("scenario") or ALT_SCENARIO
        row = {k: v for k, v in case.items() if k != MAP_MONEY}  # the money difference is the map's, asked once
        return ("**Worked example, on a case of its own:** one priority mapped across the four systems, with the plan component, "
                "what pay does and the money difference the engine checks on that case's plan, checked by the same code that "
                "checks yours. Then map your own priorities below, on the plan this module tests.",
                f"demo = ex.ContradictionMap(rows=1, scenario={literal(scenario)})\n"
                f"demo.set_answer({{'rows': [{row!r}], 'money': {case[MAP_MONEY]!r}}})\n"
                "print(demo.report())\ndemo.to_frame()")

    def model_answer(self, p: Planned) -> str:
        ex = p.kwargs.get("example") or {}
        return "\n".join(f"- **{LABELS.get(k, k)}**: {md_escape(shown(k, v))}" for k, v in ex.items()) or super().model_answer(p)

    def brief_rows(self, answer: Any) -> list[tuple[str, str]]:
        rows = answer.get("rows") if isinstance(answer, dict) else None
        out = []
        for i, r in enumerate(rows if isinstance(rows, list) else [], 1):
            if isinstance(r, dict):
                out += [(f"Priority {i}: {LABELS.get(k, text(k, 40))}", shown(k, text(v))) for k, v in r.items()
                        if text(v) and k != MAP_MONEY]
        if m := map_money(answer):
            out.append(("Money difference, on the module's case (its plan tester's)", m))
        return out


KIND = ContradictionMap()
