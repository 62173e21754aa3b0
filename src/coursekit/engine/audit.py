"""The strategy audit: does the plan pay for what the strategy says it wants?

Findings, each with evidence in numbers and a fix: untraced components, pay periods shorter than a
priority's sales cycle, priorities that pay less than non-priorities for the same effort, a pay
curve that peaks before planning's assumed attainment, a plan too long to explain in 60 seconds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import CourseError, Problem
from ..yamlio import load_mapping
from .payout import floor, period_payout
from .plan import Plan
from .simulate import Option, Scenario, options_from_list, simulate

WORDS_PER_MINUTE = 150
BAND = 0.05  # attainment band over which "pay per extra dollar" is measured


@dataclass(frozen=True)
class Priority:
    name: str
    behavior: str
    segment: str | None = None
    product: str | None = None
    cycle_months: int = 1


@dataclass(frozen=True)
class Strategy:
    priorities: tuple[Priority, ...]
    assumed_attainment: float = 1.0
    assumptions: tuple[str, ...] = ("capacity model", "quality gate")  # planning assumptions components may trace to
    options: tuple[Option, ...] = ()

    def targets(self) -> set[str]:
        return {p.name for p in self.priorities} | set(self.assumptions)


@dataclass(frozen=True)
class Finding:
    kind: str
    component: str
    evidence: str
    fix: str


def strategy_from_dict(data: dict[str, Any], file: str | Path = "<strategy>", lines: dict[str, int] | None = None) -> Strategy:
    file, lines, probs = str(file), lines or {}, []
    for k in set(data) - {"priorities", "planning", "options"}:
        probs.append(Problem(file, k, "unknown field", "allowed: priorities, planning, options", lines.get(k)))
    pris: list[Priority] = []
    raw = data.get("priorities")
    if not isinstance(raw, list) or not raw:
        probs.append(Problem(file, "priorities", "must be a non-empty list", "add `- {name: enterprise, behavior: ..., cycle_months: 6}`", lines.get("priorities")))
        raw = []
    for i, p in enumerate(raw):
        f = f"priorities[{i}]"
        if not isinstance(p, dict):
            probs.append(Problem(file, f, "must be a mapping", "write `{name: ..., behavior: ...}`", lines.get("priorities")))
            continue
        for k in set(p) - {"name", "behavior", "segment", "product", "cycle_months"}:
            probs.append(Problem(file, f"{f}.{k}", "unknown field", "use name, behavior, segment, product, cycle_months", lines.get("priorities")))
        name, beh, cyc = p.get("name"), p.get("behavior", ""), p.get("cycle_months", 1)
        if not isinstance(name, str) or not name:
            probs.append(Problem(file, f + ".name", "is missing", "name the priority", lines.get("priorities")))
            continue
        if not isinstance(beh, str):
            probs.append(Problem(file, f + ".behavior", "must be text", "describe the behavior wanted", lines.get("priorities")))
            continue
        if isinstance(cyc, bool) or not isinstance(cyc, int) or not 1 <= cyc <= 120:
            probs.append(Problem(file, f + ".cycle_months", f"{cyc!r} is not a whole number of months from 1 to 120", "write e.g. 6", lines.get("priorities")))
            continue
        seg, prod = p.get("segment"), p.get("product")
        pris.append(Priority(name, beh, None if seg is None else str(seg), None if prod is None else str(prod), cyc))
    planning = data.get("planning") or {}
    if not isinstance(planning, dict) or set(planning) - {"assumed_attainment", "assumptions"}:
        probs.append(Problem(file, "planning", "must be `{assumed_attainment: 1.0, assumptions: [...]}`", "fix the mapping", lines.get("planning")))
        planning = {}
    assumed = planning.get("assumed_attainment", 1.0)
    if isinstance(assumed, bool) or not isinstance(assumed, (int, float)) or not 0 < assumed <= 3:
        probs.append(Problem(file, "planning.assumed_attainment", f"{assumed!r} is not an attainment", "write a fraction, e.g. 1.0", lines.get("planning")))
        assumed = 1.0
    assumptions = planning.get("assumptions", ["capacity model", "quality gate"])
    if not isinstance(assumptions, list) or not all(isinstance(a, str) for a in assumptions):
        probs.append(Problem(file, "planning.assumptions", "must be a list of names", "write `[capacity model, quality gate]`", lines.get("planning")))
        assumptions = []
    options: list[Option] = []
    if data.get("options") is not None:
        options, oprobs = options_from_list(data["options"], file)
        for p in oprobs:
            p.line = lines.get("options")
        probs += oprobs
    if probs:
        raise CourseError(probs)
    return Strategy(tuple(pris), float(assumed), tuple(assumptions), tuple(options))


def load_strategy(path: str | Path) -> Strategy:
    data, lines = load_mapping(path, "strategy")
    return strategy_from_dict(data, path, lines)


def pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def explain(plan: Plan) -> str:
    """The plan in plain words, as a rep would hear it: one sentence per component."""
    cur = plan.currency
    per = {"annual": "year", "quarterly": "quarter", "monthly": "month"}[plan.period]
    s = [f"Your on-target earnings are {plan.ote:,.0f} {cur}: {plan.base:,.0f} base and {plan.target_incentive:,.0f} incentive at full quota of {plan.quota:,.0f}.",
         f"You are paid every {per} on that {per}'s results; each {per} has a quota of {plan.period_quota:,.0f}."]
    if plan.threshold:
        s.append(f"Below {pct(plan.threshold)} of quota in a {per} you earn no incentive for that {per}.")
    if plan.curve:
        pts = ", ".join(f"{pct(a)} of quota pays {pct(p)} of target" for a, p in plan.curve)
        s.append(f"Your incentive follows a curve: {pts}, in a straight line between points.")
    else:
        for i, t in enumerate(plan.effective_tiers()):
            rate = plan.tier_rates()[i]
            frm = f"from {pct(t.start)} of quota" if t.start > 0 else "from the first dollar"
            s.append(f"{frm.capitalize()} you earn {rate * 100:.2f}% of each credited dollar" +
                     (" on all your sales once you reach it." if plan.tier_mode == "retroactive" and i else "."))
    if plan.cap is not None:
        s.append(f"Your incentive stops at {plan.cap:g} times the {per}'s target.")
    for kind, m in sorted(plan.credit.items()):
        for k, v in sorted(m.items()):
            s.append(f"Deals in {kind} {k} count {v:g} times toward quota and pay.")
    for sp in plan.spifs:
        when = f" from {sp.start} to {sp.end}" if sp.start or sp.end else ""
        what = " ".join(x for x in (sp.segment, sp.product) if x) or "any"
        s.append(f"Each {what} deal{when} also pays a {sp.amount:,.0f} {cur} bonus ({sp.name}).")
    if plan.draw:
        kind = "recoverable from later earnings" if plan.draw.recoverable else "which you keep"
        s.append(f"If you earn less than {plan.draw.amount:,.0f} in a {per}, you get an advance up to it, {kind}.")
    return " ".join(s)


def explain_seconds(plan: Plan) -> float:
    return len(explain(plan).split()) / WORDS_PER_MINUTE * 60


def peak_attainment(plan: Plan) -> tuple[float, float]:
    """Attainment band start where pay per extra dollar of sales is highest, and that rate.

    Measured over bands of 5% attainment from the gate upward, so a threshold's step is left to the
    threshold's own trace and the shape of the curve above it is what counts.
    """
    gate = floor(plan)
    starts = np.round(np.arange(gate, 2.0, BAND), 6)
    pay = period_payout(plan, np.concatenate([starts, starts + BAND]), cents=False)
    per_dollar = (pay[len(starts):] - pay[: len(starts)]) / (BAND * plan.period_quota)
    i = int(np.argmax(per_dollar + 1e-12 * -np.arange(len(starts))))
    return float(starts[i]), float(per_dollar[i])


def audit(plan: Plan, strategy: Strategy) -> list[Finding]:
    out: list[Finding] = []
    targets = strategy.targets()
    for comp in plan.components():
        to = plan.traces_to.get(comp)
        if not to:
            out.append(Finding("untraced", comp, f"{comp} traces to nothing (traces_to has no `{comp}`)",
                               f"cut {comp}, or add `{comp}: <priority or planning assumption>` to traces_to"))
        elif to not in targets:
            out.append(Finding("untraced", comp, f"{comp} traces to {to!r}, which is neither a priority nor a planning assumption ({', '.join(sorted(targets))})",
                               f"trace {comp} to one of them, or cut it"))
    for p in strategy.priorities:
        if plan.months_per_period < p.cycle_months:
            out.append(Finding("period_shorter_than_cycle", "period",
                               f"pay period is {plan.months_per_period} month(s); {p.name} deals take {p.cycle_months} months to close",
                               f"pay {p.name} on a period of at least {p.cycle_months} months (or year-to-date with quarterly true-ups)"))
    if strategy.options:
        names = {o.name for o in strategy.options}
        pri_names = [p.name for p in strategy.priorities if p.name in names]
        if pri_names:
            sc = Scenario(plan, strategy.options)
            res = simulate(sc)
            pay = {o.name: o for o in res.options}
            others = [o for o in res.options if o.name not in pri_names]
            if others:
                best_other = max(others, key=lambda o: o.payout)
                for name in pri_names:
                    if pay[name].payout < best_other.payout:
                        out.append(Finding("priority_pays_less", name,
                                           f"a year on {name} pays {pay[name].payout:,.0f}; a year on {best_other.name} pays {best_other.payout:,.0f} "
                                           f"(revenue {pay[name].revenue:,.0f} vs {best_other.revenue:,.0f})",
                                           f"raise {name}'s credit multiplier or accelerator, lengthen the pay period, or lift the cap"))
    peak, rate = peak_attainment(plan)
    if peak + BAND <= strategy.assumed_attainment - 1e-9:
        out.append(Finding("curve_peaks_early", "tiers" if not plan.curve else "curve",
                           f"pay per extra dollar peaks at {pct(peak)}-{pct(peak + BAND)} attainment ({rate * 100:.1f} cents per dollar); planning assumes {pct(strategy.assumed_attainment)}",
                           f"put the steepest part of the curve at {pct(strategy.assumed_attainment)} or above"))
    secs = explain_seconds(plan)
    if secs > 60:
        out.append(Finding("too_long_to_explain", "plan",
                           f"the plain-language explanation is {len(explain(plan).split())} words: {secs:.0f} seconds at {WORDS_PER_MINUTE} words per minute",
                           "cut or merge components until it reads in under 60 seconds"))
    return out


def findings_dict(findings: list[Finding]) -> dict[str, Any]:
    return {"findings": [asdict(f) for f in findings]}
