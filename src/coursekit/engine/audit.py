"""The strategy audit: does the plan pay for what the strategy says it wants?

Findings, each with evidence in numbers and a fix: untraced components; a measurement period shorter
than a priority's sales cycle when something starts over each period (a cap or a falling rate cuts the
period a long deal lands in; a threshold or a rising rate overpays it and rewards moving deals between
periods);
priorities that pay less than non-priorities for the same effort; components that pay against the
strategy by their economics, whatever `traces_to` says (a SPIF, credit or pay multiplier above 1 on a
non-priority option, a credit or pay multiplier below 1 on a priority, a cap that cuts the priority
option's pay, a threshold above the attainment planning assumes); a pay curve steeper before
planning's assumed attainment than after it; a plan too long to explain in 60 seconds.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from coursekit.engine.money import money
from coursekit.engine.payout import cap_attainment, floor, period_payout
from coursekit.engine.plan import Plan
from coursekit.engine.plot import PERIOD_NOUN
from coursekit.engine.scenario import Option, Scenario, mix_from, near, options_from_list
from coursekit.engine.simulate import Result, measure_plans, simulate
from coursekit.errors import Checker, CourseError
from coursekit.yamlio import load_mapping

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
    mix: tuple[tuple[str, float], ...] | None = None  # the share of effort the strategy wants per option (``mix:``), or None

    def targets(self) -> set[str]:
        return {p.name for p in self.priorities} | set(self.assumptions)


@dataclass(frozen=True)
class Finding:
    """One way the plan fails the strategy, with its evidence in numbers and a fix.

    ``code`` is stable (untraced, period_shorter_than_cycle, priority_pays_less, spif_against_strategy,
    credit_against_strategy, pay_multiplier_against_strategy, priority_credit_below_one, priority_pay_below_one,
    threshold_above_plan, cap_binds_on_priority, cap_holds_mix, curve_peaks_early, too_long_to_explain);
    ``component`` names what it concerns: a name from ``Plan.components()`` (``cap``, ``spif.NAME``,
    ``credit.segment.NAME``, ``pay_multiplier.product.NAME``, ``threshold``, ``tier 2``, ``curve``),
    ``period``, ``plan``, ``tiers``, or, for
    priority_pays_less, the priority's option. Code and component together identify a finding.
    """

    code: str
    component: str
    evidence: str
    fix: str

    @property
    def kind(self) -> str:
        """The code's earlier name."""
        return self.code


def strategy_from_dict(data: dict[str, Any], file: str | Path = "<strategy>", lines: dict[str, int] | None = None) -> Strategy:
    file, lines = str(file), lines or {}
    chk = Checker(file, lines)  # the one validation kit; a priority's problems sit on the line of `priorities`
    probs = chk.problems
    for k in set(data) - {"priorities", "planning", "options", "mix"}:
        chk.bad(k, 'unknown field', 'allowed: priorities, planning, options, mix')
    pris: list[Priority] = []
    raw = data.get("priorities")
    if not isinstance(raw, list) or not raw:
        chk.bad('priorities', 'must be a non-empty list', 'add `- {name: enterprise, behavior: ..., cycle_months: 6}`')
        raw = []
    for i, p in enumerate(raw):
        f = f"priorities[{i}]"
        if not isinstance(p, dict):
            chk.bad(f, 'must be a mapping', 'write `{name: ..., behavior: ...}`')
            continue
        for k in set(p) - {"name", "behavior", "segment", "product", "cycle_months"}:
            chk.bad(f'{f}.{k}', 'unknown field', 'use name, behavior, segment, product, cycle_months')
        name, beh, cyc = p.get("name"), p.get("behavior", ""), p.get("cycle_months", 1)
        if not isinstance(name, str) or not name:
            chk.bad(f + '.name', 'is missing', 'name the priority')
            continue
        if not isinstance(beh, str):
            chk.bad(f + '.behavior', 'must be text', 'describe the behavior wanted')
            continue
        if isinstance(cyc, bool) or not isinstance(cyc, int) or not 1 <= cyc <= 120:
            chk.bad(f + '.cycle_months', f'{cyc!r} is not a whole number of months from 1 to 120', 'write e.g. 6')
            continue
        seg, prod = p.get("segment"), p.get("product")
        pris.append(Priority(name, beh, None if seg is None else str(seg), None if prod is None else str(prod), cyc))
    planning = data.get("planning") or {}
    if not isinstance(planning, dict) or set(planning) - {"assumed_attainment", "assumptions"}:
        chk.bad('planning', 'must be `{assumed_attainment: 1.0, assumptions: [...]}`', 'fix the mapping')
        planning = {}
    assumed = planning.get("assumed_attainment", 1.0)
    if isinstance(assumed, bool) or not isinstance(assumed, (int, float)) or not 0 < assumed <= 3:
        chk.bad('planning.assumed_attainment', f'{assumed!r} is not an attainment', 'write a fraction, e.g. 1.0')
        assumed = 1.0
    assumptions = planning.get("assumptions", ["capacity model", "quality gate"])
    if not isinstance(assumptions, list) or not all(isinstance(a, str) for a in assumptions):
        chk.bad('planning.assumptions', 'must be a list of names', 'write `[capacity model, quality gate]`')
        assumptions = []
    options: list[Option] = []
    if data.get("options") is not None:
        options, oprobs = options_from_list(data["options"], file)
        for p in oprobs:
            p.line = lines.get("options")
        probs += oprobs
    mix = None
    if data.get("mix") is not None:  # validated as a scenario's strategy.mix, against the strategy's options
        mix, _ = mix_from(data["mix"], [o.name for o in options], None, chk, "mix")
    if probs:
        raise CourseError(probs)
    return Strategy(tuple(pris), float(assumed), tuple(assumptions), tuple(options), mix)


def load_strategy(path: str | Path) -> Strategy:
    data, lines = load_mapping(path, "strategy")
    return strategy_from_dict(data, path, lines)


def pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def _measurement_words(plan: Plan) -> list[str]:
    """How attainment is measured and when it is paid, as the engine does it (measurement is not payment)."""
    per = PERIOD_NOUN[plan.period]
    ytd = plan.measurement == "cumulative"
    if ytd and plan.period != "annual":
        s = [f"Your attainment is measured over the year; you are paid each {per} on year-to-date results, less what was paid before.",
             f"Your quota to date grows by {plan.period_quota:,.0f} each {per}; a slow {per} is made up later, never paid back."]
    elif plan.period == "annual":
        when = ("you are paid once, at the year's end" if ytd else
                "you are paid each month on your year-to-date results, less what was paid before")
        s = [f"Your attainment is measured over the whole year against a quota of {plan.quota:,.0f}; {when}."]
    else:
        s = [f"Each {per} is measured on its own: you are paid each {per} on that {per}'s results, and the next {per} starts over "
             f"from zero; each {per} has a quota of {plan.period_quota:,.0f}."]
    if plan.threshold:
        s.append(f"Below {pct(plan.threshold)} of your year-to-date quota you earn no incentive until you catch up." if ytd else
                 f"Below {pct(plan.threshold)} of quota in a {per} you earn no incentive for that {per}.")
    return s


def cap_basis(plan: Plan) -> str:
    """What a plan's cap is a multiple of: "year" (the year's target incentive), "to date" (the target incentive to date,
    under year-to-date measurement, as the schedule applies it) or "period" (each measurement period's target)."""
    if plan.cap_scope == "year" or plan.period == "annual":
        return "year"
    return "to date" if plan.measurement == "cumulative" else "period"


def cap_target(plan: Plan) -> str:
    """The target a cap multiplies, in words: "the year's", "the quarter's" target incentive, or "the target incentive to date"."""
    basis = cap_basis(plan)
    if basis == "to date":
        return "the target incentive to date"
    return f"the {'year' if basis == 'year' else PERIOD_NOUN[plan.period]}'s target incentive"


def _cap_words(plan: Plan) -> str:
    per = PERIOD_NOUN[plan.period]
    if cap_basis(plan) == "year":
        return f"Your incentive stops at {plan.cap:g} times the year's target."
    if cap_basis(plan) == "to date":
        return f"Your incentive stops at {plan.cap:g} times the target to date."
    return f"Your incentive stops at {plan.cap:g} times the {per}'s target."


# How attainment is measured and paid, as the plan tester offers it and the brief says it: (label, (period, measurement)).
MEASURES: list[tuple[str, tuple[str, str]]] = [
    ("month on its own", ("monthly", "standalone")),
    ("quarter on its own", ("quarterly", "standalone")),
    ("year to date against quota to date, trued up monthly", ("monthly", "cumulative")),
    ("year to date against quota to date, trued up quarterly", ("quarterly", "cumulative")),
    ("the year against the annual quota, paid monthly as earned", ("annual", "standalone")),
]
YEAR_END = "the whole year, paid at the year's end"  # (annual, cumulative): no plan the tester offers


def measure_label(period: str, measurement: str) -> str:
    """A (period, measurement) in the plan tester's words: ("quarterly", "standalone") -> "quarter on its own"."""
    if (period, measurement) == ("annual", "cumulative"):
        return YEAR_END
    return next((label for label, v in MEASURES if v == (period, measurement)), f"{period}, {measurement}")


_NAMED = {"period": "the measurement period", "tier 1": "the base rate (tier 1)", "tier 2": "the accelerator (tier 2)", "tier 3": "the second accelerator (tier 3)"}
_THE = ("quota", "threshold", "cap", "curve", "tiers", "period", "plan", "draw")


def component_name(c: str) -> str:
    """A plan component (``Plan.components()``, a finding's ``component``) as people say it:
    "credit.segment.new-logo" -> "the new-logo credit multiplier", "cap" -> "the cap"; any other name as given."""
    kind, _, rest = c.partition(".")
    if kind == "credit" and "." in rest:
        return f"the {rest.split('.', 1)[1]} credit multiplier"
    if kind == "pay_multiplier" and "." in rest:
        return f"the {rest.split('.', 1)[1]} rate differential"
    if kind == "measure" and rest:  # "measure.new ARR" -> "the new ARR component"; "measure.new ARR.cap" -> "the new ARR cap"
        name, _, part = rest.rpartition(".") if rest.rpartition(".")[2] in ("threshold", "curve", "cap") or \
            rest.rpartition(".")[2].startswith("tier ") else (rest, "", "")
        if not part:
            return f"the {rest} component"
        return f"the {name} " + (_NAMED.get(part, part).removeprefix("the ") if part.startswith("tier ") else part)
    if kind == "spif" and rest:
        return f"the {rest} SPIF"
    return _NAMED.get(c) or (f"the {c}" if c in _THE else c)


def finding_words(f: Finding) -> tuple[str, str]:
    """A finding's evidence and fix for people, not plan files: a plan-file key ("credit.segment.new-logo", "spif.q4",
    "tier 2") named as ``component_name`` says it, and "traces_to names" said as "it is traced to"."""
    evidence, fix = f.evidence, f.fix
    if "." in f.component or f.component.startswith("tier "):
        name = component_name(f.component)
        evidence, fix = evidence.replace(f.component, name), fix.replace(f.component, name)
    return evidence.replace("even though traces_to names", "even though it is traced to"), fix


def deal_kind(name: str) -> str:
    """What goes before "deals" in a sentence: a learner's option named "greenfield deals" reads "greenfield", so the
    course never writes "greenfield deals deals"."""
    return re.sub(r"\s+deals?$", "", name.strip(), flags=re.IGNORECASE) or name.strip()


def explain(plan: Plan, names: Mapping[str, str] | None = None) -> str:
    """The plan in plain words, as a rep would hear it: one sentence per component. ``names``: a segment or
    product value -> what people call its deals ("new-logo" -> "new logo"); else the value, hyphens read as spaces."""
    def deals(k: str) -> str:
        return deal_kind((names or {}).get(k) or k.replace("-", " ").replace("_", " "))

    cur = plan.currency
    per = PERIOD_NOUN[plan.period]
    s = [f"Your on-target earnings are {plan.ote:,.0f} {cur}: {plan.base:,.0f} base and {plan.target_incentive:,.0f} incentive at full quota of {plan.quota:,.0f}.",
         *_measurement_words(plan)]
    if not plan.measures:
        s += _shape_words(plan)
    for m, sub in zip(plan.measures, measure_plans(plan) if plan.measures else (), strict=True):
        what = " ".join(deals(x) for x in (m.segment, m.product) if x) or (deals(m.measure) if m.measure else "all other")
        s.append(f"{m.weight * 100:.4g}% of your incentive ({sub.target_incentive:,.0f}) pays on {what} deals ({m.name}), "
                 f"against a quota of {sub.quota:,.0f}.")
        if sub.threshold:
            s.append(f"Below {pct(sub.threshold)} of that quota it pays nothing.")
        s += _shape_words(sub)
    for _kind, m in sorted(plan.credit.items()):
        for k, v in sorted(m.items()):
            s.append(f"{deals(k).capitalize()} deals count {v:g} times toward quota and pay.")
    for _kind, m in sorted(plan.pay_multiplier.items()):
        for k, v in sorted(m.items()):
            s.append(f"On {deals(k)} bookings you earn {v:g} times the rate; they credit no extra quota.")
    for sp in plan.spifs:
        when = f" from {sp.start} to {sp.end}" if sp.start or sp.end else ""
        what = " ".join(x for x in (sp.segment, sp.product) if x) or "any"
        s.append(f"Each {what} deal{when} also pays a {sp.amount:,.0f} {cur} bonus ({sp.name}).")
    if plan.draw:
        kind = "recoverable from later earnings" if plan.draw.recoverable else "which you keep"
        s.append(f"If you earn less than {plan.draw.amount:,.0f} in a {per}, you get an advance up to it, {kind}.")
        s += _draw_agreement_words(plan)
    if plan.clawback != "full":  # (the default, full within any window, is not read out: plans said nothing before)
        s.append("If a customer cancels, you keep the commission." if plan.clawback == "none" else
                 f"If a customer cancels within {plan.clawback_window_days} days, you give back the commission in "
                 "proportion to the days left.")
    return " ".join(s)


def _draw_agreement_words(plan: Plan) -> list[str]:
    """The draw agreement's terms beyond the amount: recovery limit, term, and the balance at the term's end and at leaving."""
    d, s = plan.draw, []
    if d.recovery_limit is not None:
        s.append(f"At most {d.recovery_limit * 100:.4g}% of what you earn above the advance repays it.")
    if d.term_months is not None:
        after = " and what is left is forgiven" if d.recoverable and d.at_term_end == "forgiven" else ""
        s.append(f"The advance runs for your first {d.term_months} months{after}.")
    if d.recoverable and plan.end is not None:
        s.append(f"On leaving ({plan.end}) you {'repay what is left' if d.at_end == 'owed' else 'keep what is left'}.")
    return s


def _shape_words(plan: Plan) -> list[str]:
    """The curve or tiers and the cap, in words."""
    s = []
    if plan.curve:
        pts = ", ".join(f"{pct(a)} of quota pays {pct(p)} of target" for a, p in plan.curve)
        s.append(f"Your incentive follows a curve: {pts}, in a straight line between points.")
    else:
        for i, t in enumerate(plan.effective_tiers()):
            rate = plan.tier_rates()[i]
            if t.start == 0 and plan.threshold:  # a gate: past it, pay starts from the first dollar, not from the threshold
                s.append(f"Once past {pct(plan.threshold)}, every credited dollar from the first earns {rate * 100:.2f}%.")
                continue
            frm = f"from {pct(t.start)} of quota" if t.start > 0 else "from the first dollar"
            s.append(f"{frm.capitalize()} you earn {rate * 100:.2f}% of each credited dollar" +
                     (" on all your sales once you reach it." if plan.tier_mode == "retroactive" and i else "."))
    if plan.cap is not None:
        s.append(_cap_words(plan))
    return s


def explain_seconds(plan: Plan) -> float:
    return len(explain(plan).split()) / WORDS_PER_MINUTE * 60


def _band_rates(plan: Plan, upto: float) -> tuple[np.ndarray, np.ndarray]:
    """(band starts, pay per extra dollar of sales in each band) over bands of BAND attainment from the gate.

    From the gate upward, so a threshold's step is left to the threshold's own trace and the shape
    of the curve above it is what counts.
    """
    gate = floor(plan)
    starts = np.round(np.arange(gate, max(2.0, upto + 2 * BAND), BAND), 6)
    pay = period_payout(plan, np.concatenate([starts, starts + BAND]), cents=False)
    return starts, (pay[len(starts):] - pay[: len(starts)]) / (BAND * plan.period_quota)


def peaks_early(plan: Plan, assumed: float) -> tuple[float, float, float] | None:
    """(peak band start, its rate, the steepest rate from ``assumed`` on) when pay per extra dollar is
    steeper in some band that ends by ``assumed`` than anywhere from there on; None otherwise.

    A flat linear plan is equally steep everywhere, so it never peaks early."""
    starts, rate = _band_rates(plan, assumed)
    before, after = starts + BAND <= assumed + 1e-9, starts >= assumed - BAND + 1e-9
    if not before.any() or not after.any():
        return None
    peak, later = rate[before].max(), rate[after].max()
    if peak <= later or np.isclose(peak, later, rtol=1e-9, atol=1e-12):
        return None
    i = int(np.nonzero(before & np.isclose(rate, peak, rtol=1e-9, atol=1e-12))[0][0])
    return float(starts[i]), float(peak), float(later)


def _resets(plan: Plan) -> list[tuple[str, bool]]:
    """(what starts over each period, whether it cuts pay on the period a long deal lands in).

    A cap, or a rate that falls (a decelerating tier or bend), pays a lumped period less than the same
    bookings spread out: the long-cycle deal is underpaid. A threshold, or a rate that rises, pays the
    lumped period more: the long deal is overpaid in its period, and reps gain by moving deals between
    periods (Oyer 1998; Larkin 2014)."""
    if getattr(plan, "measurement", "standalone") == "cumulative":
        return []  # year-to-date measurement: nothing starts over at a period end (a field newer plans may carry)
    out: list[tuple[str, bool]] = []
    if floor(plan) > 0:
        out.append((f"the threshold at {pct(floor(plan))}", False))
    if plan.curve:
        pts = plan.curve
        slopes = [(y1 - y0) / (x1 - x0) for (x0, y0), (x1, y1) in zip(pts, pts[1:])]
        bends = [(pts[i + 1][0], slopes[i + 1] < slopes[i]) for i in range(len(slopes) - 1) if not np.isclose(slopes[i], slopes[i + 1])]
        for falls in (False, True):
            at = [b for b, f in bends if f == falls]
            if at:
                out.append(("the curve's bend" + ("s" if len(at) > 1 else "") + " at " + ", ".join(pct(b) for b in at), falls))
    else:
        rates = plan.tier_rates()
        edges = [(t.start, rates[i] < rates[i - 1]) for i, t in enumerate(plan.effective_tiers()) if i and not np.isclose(rates[i], rates[i - 1])]
        for falls in (False, True):
            at = [e for e, f in edges if f == falls]
            if at:
                out.append(("the tier edge" + ("s" if len(at) > 1 else "") + " at " + ", ".join(pct(e) for e in at), falls))
    if plan.cap is not None and getattr(plan, "cap_scope", "period") == "period":
        out.append((f"the cap of {plan.cap:g}x target", True))
    return out


def _priority_option(strategy: Strategy, o: Option) -> bool:
    """An option serves a priority when it is named after one or its deals fall in a priority's segment and product."""
    return any(p.name == o.name or ((p.segment or p.product) and p.segment in (None, o.segment) and p.product in (None, o.product))
               for p in strategy.priorities)


def _against(strategy: Strategy, segment: str | None, product: str | None) -> list[str]:
    """The options a component restricted to (segment, product) pays on that serve no priority.

    With no options in the strategy: ``["deals outside every priority"]`` when no priority's segment
    and product can match the restriction at all."""
    if strategy.options:
        if not any(_priority_option(strategy, o) for o in strategy.options):
            return []  # the options cannot be told apart by priority: no economic verdict
        return [o.name for o in strategy.options if segment in (None, o.segment) and product in (None, o.product)
                and not _priority_option(strategy, o)]
    fits = any(None in (segment, p.segment) or segment == p.segment for p in strategy.priorities
               if None in (product, p.product) or product == p.product)
    return [] if fits else ["deals outside every priority"]


def _traced(plan: Plan, comp: str, strategy: Strategy) -> str:
    to = plan.traces_to.get(comp)
    return f", even though traces_to names {to!r}" if to in {p.name for p in strategy.priorities} else ""



def _cap_binds(plan: Plan, strategy: Strategy, capped: Result) -> list[Finding]:
    """One finding per cap (the plan's, or each weighted component's own): a year full-time on each priority option, on
    the simulator's own draws (the figures the plan tester shows), with the cap against the same year with that one cap
    lifted. With a wanted mix the rep follows under the plan but not with that cap lifted, the cap holds the mix: the
    finding says so and its cost (``cap_holds_mix``), not "lift the cap"."""
    noun = PERIOD_NOUN[plan.period]
    yearly = cap_basis(plan) == "year"
    scope = "the year's target incentive" if yearly else f"the {noun}'s target incentive"
    how = "the mean of the simulator's years" if capped.method.startswith("seeded") else "every deal closing"
    caps: list[tuple[str, str, Plan]] = []  # (component, words, the plan with that one cap lifted)
    if plan.cap is not None:
        caps.append(("cap", f"the cap ({plan.cap:g}x {scope})", replace(plan, cap=None)))
    for m in plan.measures:
        if m.plan.cap is not None:
            free = replace(plan, measures=tuple(replace(x, plan=replace(x.plan, cap=None)) if x is m else x for x in plan.measures))
            caps.append((f"measure.{m.name}.cap", f"the cap on {m.name} ({m.plan.cap:g}x its share of {scope})", free))
    wanted = dict(strategy.mix) if strategy.mix else None
    out = []
    for comp, words, free_plan in caps:
        free = simulate(Scenario(replace(free_plan, versions=()), strategy.options), mixes=wanted is not None)  # as it starts the year
        cuts = [f"a year on {c.name} pays {money(c.payout)} with the cap and {money(f.payout)} without it"
                for o, c, f in zip(strategy.options, capped.options, free.options, strict=True)
                if _priority_option(strategy, o) and f.payout - c.payout >= 0.5]
        if wanted and near(capped.best_mix, wanted) and not near(free.best_mix, wanted):
            moved = ", ".join(f"{v:.0%} on {k}" for k, v in free.best_mix.items() if v > 0)
            want = ", ".join(f"{v:.0%} on {k}" for k, v in wanted.items() if v > 0)
            cost = f"; its cost: {_and(cuts)} ({how})" if cuts else ""
            out.append(Finding("cap_holds_mix", comp,
                               f"{words} holds the mix the strategy wants ({want}): without it the payout-maximizing rep's year "
                               f"moves to {moved}{cost}",
                               "keep the cap while the strategy wants this mix, and say so: the reps it caps earn less than "
                               "their bookings would pay; review their pay each quarter and lift the cap if the mix changes"))
            continue
        if not cuts:
            continue
        fix = "lift the cap, or raise it above what a strong year on the priority earns" if yearly else \
            f"lift the cap, cap the year instead of each {noun}, or measure over a longer period"
        out.append(Finding("cap_binds_on_priority", comp,
                           f"{words} cuts the priority's pay: {_and(cuts)} ({how}, the figures the plan tester shows)"
                           f"{_traced(plan, comp, strategy)}",
                           fix))
    return out


def _months(n: float) -> str:
    """'1 month', '4 months', '1.5 months'."""
    return f"{n:g} month" + ("" if n == 1 else "s")


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _pays_against(plan: Plan, strategy: Strategy) -> list[Finding]:
    """SPIFs and credit multipliers above 1 that pay on options the strategy does not prioritize."""
    # (code, component, segment, product, what it does given the options hit, fix)
    rules = [("spif_against_strategy", f"spif.{sp.name}", sp.segment, sp.product,
              lambda hit, sp=sp: f"pays {sp.amount:,.0f} per deal on {hit}, which the strategy does not prioritize",
              "restrict {comp} to priority deals (segment or product), or cut it") for sp in plan.spifs]
    rules += [("credit_against_strategy", f"credit.{kind}.{k}", k if kind == "segment" else None, k if kind == "product" else None,
               lambda hit, v=v: f"counts {hit} deals {v:g} times toward quota and pay, though the strategy does not prioritize them",
               "set {comp} to 1 or below, or move the extra credit to a priority's " + kind)
              for kind, m in sorted(plan.credit.items()) for k, v in sorted(m.items()) if v > 1]
    rules += [("pay_multiplier_against_strategy", f"pay_multiplier.{kind}.{k}", k if kind == "segment" else None,
               k if kind == "product" else None,
               lambda hit, v=v: f"pays {v:g} times the rate on {hit} deals, though the strategy does not prioritize them",
               "set {comp} to 1 or below, or move the higher rate to a priority's " + kind)
              for kind, m in sorted(plan.pay_multiplier.items()) for k, v in sorted(m.items()) if v > 1]
    pris = ", ".join(p.name for p in strategy.priorities)
    out = []
    for code, comp, segment, product, does, fix in rules:
        hit = _against(strategy, segment, product)
        if hit:
            out.append(Finding(code, comp, f"{comp} {does(', '.join(hit))} (priorities: {pris}){_traced(plan, comp, strategy)}",
                               fix.replace("{comp}", comp)))
    return out


def _priority_discounted(plan: Plan, strategy: Strategy) -> list[Finding]:
    """Credit or pay multipliers below 1 on a priority's segment or product: the plan pays the priority less per dollar."""
    out = []
    for code, table, does in (("priority_credit_below_one", plan.credit, "counts {k} deals {v:g} times toward quota and pay"),
                              ("priority_pay_below_one", plan.pay_multiplier, "pays {v:g} times the rate on {k} deals")):
        for kind, m in sorted(table.items()):
            for k, v in sorted(m.items()):
                served = _served(strategy, kind, k)
                if v < 1 and served:
                    comp = f"{'credit' if table is plan.credit else 'pay_multiplier'}.{kind}.{k}"
                    out.append(Finding(code, comp, f"{comp} {does.format(k=k, v=v)}, though they serve the priority "
                                                   f"{_and(served)}: a dollar of it pays {(1 - v) * 100:.4g}% less than other "
                                                   f"deals{_traced(plan, comp, strategy)}",
                                       f"set {comp} to 1 or above, or pay the priority more through a rate differential"))
    return out


def _served(strategy: Strategy, kind: str, name: str) -> list[str]:
    """The priorities (or priority options) a multiplier on segment or product ``name`` applies to."""
    hit = [p.name for p in strategy.priorities if getattr(p, kind) == name]
    hit += [o.name for o in strategy.options if getattr(o, kind) == name and _priority_option(strategy, o) and o.name not in hit]
    return hit


def _threshold_above_plan(plan: Plan, strategy: Strategy) -> list[Finding]:
    """A gate above the attainment planning assumes: the rep who delivers the plan earns nothing (on that measure)."""
    out = []
    for of, part in _parts(plan):
        gate, assumed = floor(part), strategy.assumed_attainment
        if gate <= assumed + 1e-12:
            continue
        comp = _prefix(plan, of) + ("threshold" if part.threshold is not None and part.threshold >= gate else "curve")
        what = f"the threshold{of} at {pct(gate)}" if comp.endswith("threshold") else \
            f"the curve{of}, which pays nothing below {pct(gate)},"
        out.append(Finding("threshold_above_plan", comp,
                           f"{what} is above the {pct(assumed)} attainment planning assumes: a rep who delivers the plan "
                           f"earns no incentive{_traced(plan, comp, strategy)}",
                           f"set the gate below {pct(assumed)} (a minimum acceptable performance, commonly 50-75% of quota)"))
    return out


def _parts(plan: Plan) -> list[tuple[str, Plan]]:
    """(words naming the measure, its plan at its weight of the target incentive) of a plan with several measures;
    [("", plan)] for a plan with one."""
    if not plan.measures:
        return [("", plan)]
    return [(f" on {m.name}", sub) for m, sub in zip(plan.measures, measure_plans(plan), strict=True)]


def _prefix(plan: Plan, of: str) -> str:
    """The component prefix of a measure named in ``of`` (" on NAME" -> "measure.NAME.")."""
    return f"measure.{of[len(' on '):]}." if plan.measures else ""


def _steep_component(plan: Plan, peak: float, assumed: float) -> str:
    """What makes pay steepest early: the curve, a cap reached by ``assumed``, or the tier holding the peak."""
    if plan.curve:
        return "curve"
    at = cap_attainment(plan)
    if at is not None and at <= assumed:
        return "cap"
    if not plan.tiers:
        return "tiers"
    return f"tier {max(i for i, t in enumerate(plan.tiers) if t.start <= peak) + 1}"


def _pays_less_fix(plan: Plan, name: str) -> str:
    """What would make the priority pay more, from what this plan has: never "lift the cap" without a cap."""
    fixes = []
    if plan.cap is not None:
        fixes.append("lift the cap" if cap_basis(plan) == "year"
                     else f"cap the year instead of each {PERIOD_NOUN[plan.period]}")
    if plan.period != "annual" and getattr(plan, "measurement", "standalone") == "standalone" and _resets(plan):
        fixes.append("measure over a longer period (the year to date, paid monthly)")
    fixes.append(f"pay a higher rate on {name} deals (a rate differential; a credit multiplier would also inflate "
                 "quota attainment)")
    return _or(fixes)


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def audit(plan: Plan, strategy: Strategy) -> list[Finding]:
    """Every finding of the plan against the strategy; a plan that encodes the strategy gets none. A plan with
    several measures is judged measure by measure where a rule reads the pay curve (components `measure.NAME.*`)."""
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
    longer = [p for p in strategy.priorities if plan.months_per_period < p.cycle_months]
    resets = [(t + of, cuts) for of, part in _parts(plan) for t, cuts in _resets(part)]
    if longer and resets:
        noun = PERIOD_NOUN[plan.period]
        longest = max(p.cycle_months for p in longer)
        cycles = ", ".join(f"{p.name} deals take {_months(p.cycle_months)} to close" for p in longer)
        cut = [t for t, cuts in resets if cuts]
        over = [t for t, cuts in resets if not cuts]
        effects = []
        if cut:
            effects.append(f"{_and(cut)} start{'s' if len(cut) == 1 else ''} over every {noun} and cut{'s' if len(cut) == 1 else ''} "
                           f"the {noun} a long deal lands in")
        if over:
            effects.append(f"{_and(over)} start{'s' if len(over) == 1 else ''} over every {noun}, which overpays the {noun} a long "
                           f"deal lands in and pays reps to move deals between {noun}s")
        fixes = [f"measure over at least {_months(longest)} (the year to date, paid monthly)"]
        if any(t.startswith("the cap") for t in cut):
            fixes.append(f"cap the year instead of each {noun}")
        falling = [t for t in cut if not t.startswith("the cap")]
        if falling:
            fixes.append(f"drop {_and(falling)}")
        fix = _or(fixes)
        out.append(Finding("period_shorter_than_cycle", "period",
                           f"attainment is measured every {noun} on its own; {cycles}; and " + "; ".join(effects), fix))
    out += _pays_against(plan, strategy) + _priority_discounted(plan, strategy) + _threshold_above_plan(plan, strategy)
    if strategy.options and any(_priority_option(strategy, o) for o in strategy.options):
        res = simulate(Scenario(replace(plan, versions=()), strategy.options), mixes=strategy.mix is not None)  # as it starts the year
        pri = [r for o, r in zip(strategy.options, res.options, strict=True) if _priority_option(strategy, o)]
        others = [r for r in res.options if r not in pri]
        if others:
            best_other = max(others, key=lambda o: o.payout)
            for r in pri:
                if r.payout < best_other.payout:
                    out.append(Finding("priority_pays_less", r.name,
                                       f"a year on {r.name} pays {money(r.payout)}; a year on {best_other.name} pays {money(best_other.payout)} "
                                       f"(revenue {money(r.revenue)} vs {money(best_other.revenue)})",
                                       _pays_less_fix(plan, r.name)))
        out += _cap_binds(plan, strategy, res)
    for of, part in _parts(plan):
        early = peaks_early(part, strategy.assumed_attainment)
        if early:
            peak, rate, later = early
            comp = _prefix(plan, of) + _steep_component(part, peak, strategy.assumed_attainment)
            out.append(Finding("curve_peaks_early", comp,
                               f"pay per extra dollar{of} peaks at {pct(peak)}-{pct(peak + BAND)} attainment ({rate * 100:.2f} cents "
                               f"per dollar); planning assumes {pct(strategy.assumed_attainment)}, where it is at most "
                               f"{later * 100:.2f} cents",
                               f"put the steepest part of the curve at {pct(strategy.assumed_attainment)} or above"))
    secs = explain_seconds(plan)
    if secs > 60:
        out.append(Finding("too_long_to_explain", "plan",
                           f"the plain-language explanation is {len(explain(plan).split())} words: {secs:.0f} seconds at {WORDS_PER_MINUTE} words per minute",
                           "cut or merge components until it reads in under 60 seconds"))
    return out


def findings_dict(findings: list[Finding]) -> dict[str, Any]:
    return {"findings": [{**asdict(f), "kind": f.code} for f in findings]}
