"""The rational rep: what each way of spending the year earns under a plan, and what a rep picks.

Bookings of every option (and every effort mix) go through the same payout schedule as real
bookings, so pay periods, thresholds, caps, credit multipliers and SPIFs bite month by month.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import CourseError, Problem
from ..yamlio import load_mapping
from .payout import period_payout
from .plan import Plan, load_plan, plan_from_dict
from .schedule import earned_to_date, pay_months, period_ids

MC_DRAWS = 2000


@dataclass(frozen=True)
class Option:
    """One way a rep can spend the year."""

    name: str
    deal_size: float
    deals_per_cycle: float = 1
    cycle_months: int = 1  # deals close at the end of each cycle
    win_rate: float = 1.0
    segment: str | None = None
    product: str | None = None


@dataclass(frozen=True)
class Population:
    reps: int = 1000
    attainment_mean: float = 0.9
    attainment_sd: float = 0.25
    seed: int = 7


@dataclass(frozen=True)
class Scenario:
    plan: Plan
    options: tuple[Option, ...]
    start: tuple[int, int] = (2027, 1)
    months: int = 12
    prefer: str | None = None  # the option the strategy wants chosen
    population: Population | None = None


@dataclass
class OptionResult:
    name: str
    revenue: float
    bookings: int
    payout: float


@dataclass
class Result:
    options: list[OptionResult]
    rep_choice: str
    strategy_choice: str | None
    aligned: bool | None
    revenue_gap: float
    best_mix: dict[str, float]
    method: str
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"options": [o.__dict__ for o in self.options], "rep_choice": self.rep_choice,
                "strategy_choice": self.strategy_choice, "aligned": self.aligned, "revenue_gap": self.revenue_gap,
                "best_mix": self.best_mix, "method": self.method, **self.extra}


def _num(chk: list[Problem], file: str, field_: str, v: Any, lo: float | None = None, hi: float | None = None, integer: bool = False):
    ok = not isinstance(v, bool) and isinstance(v, int if integer else (int, float)) and v == v
    if ok and ((lo is not None and v < lo) or (hi is not None and v > hi)):
        ok = False
    if not ok:
        rng = f" from {lo} to {hi}" if hi is not None else f" of at least {lo}" if lo is not None else ""
        chk.append(Problem(file, field_, f"{v!r} is not a {'whole ' if integer else ''}number{rng}", "fix the value"))
        return None
    return v


def options_from_list(raw: Any, file: str, field_: str = "options") -> tuple[list[Option], list[Problem]]:
    probs: list[Problem] = []
    out: list[Option] = []
    if not isinstance(raw, list) or not raw:
        return [], [Problem(file, field_, "must be a non-empty list of options", "add `- {name: smb, deal_size: 20000}`")]
    allowed = {"name", "deal_size", "deals_per_cycle", "cycle_months", "win_rate", "segment", "product"}
    for i, o in enumerate(raw):
        f = f"{field_}[{i}]"
        if not isinstance(o, dict):
            probs.append(Problem(file, f, "must be a mapping", "write `{name: smb, deal_size: 20000}`"))
            continue
        for k in set(o) - allowed:
            probs.append(Problem(file, f"{f}.{k}", "unknown field", "allowed: " + ", ".join(sorted(allowed))))
        name = o.get("name")
        if not isinstance(name, str) or not name:
            probs.append(Problem(file, f + ".name", "is missing", "name the option"))
        size = _num(probs, file, f + ".deal_size", o.get("deal_size"), lo=0.01, hi=1e11)
        per = _num(probs, file, f + ".deals_per_cycle", o.get("deals_per_cycle", 1), lo=0, hi=1e4)
        cyc = _num(probs, file, f + ".cycle_months", o.get("cycle_months", 1), lo=1, hi=120, integer=True)
        win = _num(probs, file, f + ".win_rate", o.get("win_rate", 1.0), lo=0, hi=1)
        if None not in (size, per, cyc, win) and isinstance(name, str) and name:
            seg, prod = o.get("segment"), o.get("product")
            out.append(Option(name, float(size), float(per), int(cyc), float(win),
                              None if seg is None else str(seg), None if prod is None else str(prod)))
    names = [o.name for o in out]
    if len(set(names)) != len(names):
        probs.append(Problem(file, field_, "two options share a name", "give each option its own name"))
    return out, probs


def scenario_from_dict(data: dict[str, Any], file: str | Path = "<scenario>", lines: dict[str, int] | None = None,
                       base_dir: Path | None = None) -> Scenario:
    file = str(file)
    lines = lines or {}
    probs: list[Problem] = []
    allowed = {"plan", "start", "months", "options", "strategy", "population"}
    for k in set(data) - allowed:
        probs.append(Problem(file, k, "unknown field", "allowed: " + ", ".join(sorted(allowed)), lines.get(k)))
    plan = None
    raw_plan = data.get("plan")
    try:
        if isinstance(raw_plan, dict):
            plan = plan_from_dict(raw_plan, file)
        elif isinstance(raw_plan, str) and raw_plan:
            rel = Path(raw_plan)
            base = (base_dir or Path(file).parent).resolve()
            target = (base / rel).resolve()
            if rel.is_absolute() or not target.is_relative_to(base):
                probs.append(Problem(file, "plan", f"{raw_plan!r} points outside the scenario's folder", "use a path inside it", lines.get("plan")))
            else:
                plan = load_plan(target)
        else:
            probs.append(Problem(file, "plan", "is missing", "give a plan file path or an inline plan", lines.get("plan")))
    except CourseError as exc:
        probs.extend(exc.problems)
    start = data.get("start", "2027-01")
    if isinstance(start, dt.date):
        start = f"{start.year}-{start.month:02d}"
    try:
        y, m = (int(x) for x in str(start).split("-"))
        if not 1 <= m <= 12 or not 1900 <= y <= 2200:
            raise ValueError
    except ValueError:
        probs.append(Problem(file, "start", f"{start!r} is not a month", "write YYYY-MM", lines.get("start")))
        y, m = 2027, 1
    months = _num(probs, file, "months", data.get("months", 12), lo=1, hi=120, integer=True)
    options, oprobs = options_from_list(data.get("options"), file)
    probs += oprobs
    prefer = None
    strat = data.get("strategy")
    if strat is not None:
        if not isinstance(strat, dict) or set(strat) - {"prefer"}:
            probs.append(Problem(file, "strategy", "must be `{prefer: OPTION}`", "name the option the strategy wants", lines.get("strategy")))
        else:
            prefer = strat.get("prefer")
            if prefer not in [o.name for o in options]:
                probs.append(Problem(file, "strategy.prefer", f"{prefer!r} is not one of the options", "use an option's name", lines.get("strategy")))
    pop = None
    if data.get("population") is not None:
        pop, pprobs = population_from(data["population"], file)
        probs += pprobs
    if probs:
        for p in probs:
            p.line = p.line or lines.get(p.field.split(".")[0].split("[")[0])
        raise CourseError(probs)
    return Scenario(plan, tuple(options), (y, m), int(months), prefer, pop)


def population_from(raw: Any, file: str) -> tuple[Population | None, list[Problem]]:
    probs: list[Problem] = []
    if not isinstance(raw, dict):
        return None, [Problem(file, "population", "must be a mapping", "write `{reps: 1000, seed: 7}`")]
    for k in set(raw) - {"reps", "attainment_mean", "attainment_sd", "seed"}:
        probs.append(Problem(file, f"population.{k}", "unknown field", "use reps, attainment_mean, attainment_sd, seed"))
    reps = _num(probs, file, "population.reps", raw.get("reps", 1000), lo=1, hi=1_000_000, integer=True)
    mean = _num(probs, file, "population.attainment_mean", raw.get("attainment_mean", 0.9), lo=0, hi=10)
    sd = _num(probs, file, "population.attainment_sd", raw.get("attainment_sd", 0.25), lo=0, hi=10)
    seed = _num(probs, file, "population.seed", raw.get("seed", 7), lo=0, integer=True)
    if probs:
        return None, probs
    return Population(reps, mean, sd, seed), []


def load_scenario(path: str | Path) -> Scenario:
    data, lines = load_mapping(path, "scenario")
    return scenario_from_dict(data, path, lines)


# --- simulation -------------------------------------------------------------------------------

def _option_cents(plan: Plan, opt: Option, months: int, share: float, closes: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(credited, revenue) cents per month for one option; ``closes[d, k]`` = deals won in cycle k."""
    n_cycles = months // opt.cycle_months
    wins = np.full((1, n_cycles), opt.deals_per_cycle) if closes is None else closes
    credited = np.zeros((wins.shape[0], months))
    revenue = np.zeros_like(credited)
    amount = opt.deal_size * share
    mult = plan.credit_multiplier(opt.segment, opt.product)
    for k in range(n_cycles):
        t = (k + 1) * opt.cycle_months - 1
        revenue[:, t] += wins[:, k] * amount * 100
        credited[:, t] += wins[:, k] * amount * mult * 100
    return credited, revenue


def _spif_cents(plan: Plan, opt: Option, start: tuple[int, int], months: int, wins: np.ndarray) -> np.ndarray:
    out = np.zeros((wins.shape[0], months))
    for k in range(wins.shape[1]):
        t = (k + 1) * opt.cycle_months - 1
        y, m = divmod(start[0] * 12 + start[1] - 1 + t, 12)
        day = dt.date(y, m + 1, 28)
        per_deal = sum(s.amount for s in plan.spifs if s.matches(day, opt.segment, opt.product))
        out[:, t] += wins[:, k] * per_deal * 100
    return out


def year_pay(plan: Plan, credited: np.ndarray, spif: np.ndarray, start: tuple[int, int]) -> np.ndarray:
    """Total paid over the months for each row of monthly credited cents (no cross-period clawback)."""
    months = credited.shape[1]
    periods = period_ids(plan, start, months)
    first = np.r_[0, np.nonzero(np.diff(periods))[0] + 1]  # first month of each period
    if plan.draw is None:
        # month-by-month earnings telescope: the year pays exactly each period's final payout, plus SPIFs
        finals = np.rint(np.add.reduceat(credited, first, axis=1)) / 100.0
        pay = np.rint(period_payout(plan, finals / plan.period_quota) * 100).astype(np.int64)
        return (pay.sum(axis=1) + np.rint(spif).astype(np.int64).sum(axis=1)) / 100
    # with a draw, pay depends on each month's earnings: the schedule's own earnings-to-date mechanism
    known = np.zeros((credited.shape[0], int(periods[-1]) + 1, months), dtype=np.int64)
    for p in range(len(first)):
        known[:, p, :] = np.rint(np.cumsum(np.where(periods == p, credited, 0.0), axis=1))
    earned = np.diff(earned_to_date(plan, known, periods), axis=1, prepend=0)
    _, _, paid = pay_months(plan, earned, np.rint(spif).astype(np.int64))
    return paid.sum(axis=1) / 100


def _wins(opt: Option, months: int, share: float, rng: np.random.Generator | None) -> np.ndarray:
    n_cycles = months // opt.cycle_months
    if opt.win_rate >= 1.0 or rng is None:
        return np.full((1, n_cycles), opt.deals_per_cycle * (opt.win_rate if rng is None else 1.0))
    # whole deals per cycle win independently; a fractional deal count is kept as its expected part
    whole = int(opt.deals_per_cycle)
    frac = opt.deals_per_cycle - whole
    won = rng.binomial(whole, opt.win_rate, size=(MC_DRAWS, n_cycles)).astype(float)
    return won + frac * opt.win_rate


def simulate(sc: Scenario, plan: Plan | None = None) -> Result:
    """Each option taken full-time, then every effort mix in steps of 10%."""
    plan = plan or sc.plan
    stochastic = any(o.win_rate < 1 for o in sc.options)
    rng_seed = sc.population.seed if sc.population else 7
    method = f"seeded Monte Carlo, {MC_DRAWS} draws, seed {rng_seed}" if stochastic else "exact (every deal closes)"

    def mix_pay(shares: tuple[float, ...]) -> tuple[float, float]:
        rng = np.random.default_rng(rng_seed) if stochastic else None
        draws = MC_DRAWS if stochastic else 1
        credited = np.zeros((draws, sc.months))
        spif = np.zeros_like(credited)
        revenue = np.zeros_like(credited)
        for opt, share in zip(sc.options, shares):
            if share <= 0:
                continue
            wins = _wins(opt, sc.months, share, rng if opt.win_rate < 1 else None)
            c, r = _option_cents(plan, opt, sc.months, share, wins)
            credited += c
            revenue += r
            spif += _spif_cents(plan, opt, sc.start, sc.months, wins)
        pay = year_pay(plan, credited, spif, sc.start)
        return round(float(pay.mean()), 2), round(float(revenue.sum(axis=1).mean()) / 100, 2)

    results = []
    for i, opt in enumerate(sc.options):
        shares = tuple(1.0 if j == i else 0.0 for j in range(len(sc.options)))
        pay, rev = mix_pay(shares)
        results.append(OptionResult(opt.name, rev, int(sc.months // opt.cycle_months * opt.deals_per_cycle), pay))
    rep = max(results, key=lambda r: (r.payout, r.revenue))
    strat = next((r for r in results if r.name == sc.prefer), None)
    best, best_pay = {}, -1.0
    for split in _splits(len(sc.options)):
        pay, _ = mix_pay(tuple(s / 10 for s in split))
        if pay > best_pay + 1e-9:
            best, best_pay = {o.name: s / 10 for o, s in zip(sc.options, split)}, pay
    return Result(results, rep.name, sc.prefer, None if strat is None else rep.name == strat.name or strat.payout >= rep.payout,
                  0.0 if strat is None else round(max(strat.revenue - rep.revenue, 0.0), 2), best, method)


def _splits(n: int, steps: int = 10):
    for cut in itertools.combinations(range(steps + n - 1), n - 1):
        parts = [b - a - 1 for a, b in zip((-1,) + cut, cut + (steps + n - 1,))]
        yield tuple(parts)


# --- population ---------------------------------------------------------------------------------

def population(plan: Plan, pop: Population, months: int = 12, start: tuple[int, int] = (2027, 1)) -> dict[str, Any]:
    """N reps whose year attainment is drawn from a normal distribution; bookings spread evenly."""
    rng = np.random.default_rng(pop.seed)
    att = np.clip(rng.normal(pop.attainment_mean, pop.attainment_sd, size=pop.reps), 0.0, None)
    monthly = att[:, None] * plan.quota / 12 * 100 * np.ones((1, months))
    paid = year_pay(plan, monthly, np.zeros_like(monthly), start)
    revenue = att * plan.quota * months / 12
    capped = np.zeros(pop.reps, dtype=bool)
    if plan.cap is not None:
        from .payout import period_payout

        # attainment within each period equals the year attainment when bookings are even
        capped = period_payout(plan, att) >= plan.cap * plan.period_ti - 0.005
    below = att < (plan.threshold or 0.0)
    return {
        "reps": pop.reps, "seed": pop.seed,
        "total_payout": round(float(paid.sum()), 2),
        "total_revenue": round(float(revenue.sum()), 2),
        "cost_of_sales_pct": round(float(paid.sum() / revenue.sum() * 100), 2) if revenue.sum() else 0.0,
        "share_below_threshold": round(float(below.mean()), 4),
        "share_at_or_above_quota": round(float((att >= 1.0).mean()), 4),
        "share_capped": round(float(capped.mean()), 4),
        "attainment": att, "payout": paid,
    }


def population_loop(plan: Plan, attainments, months: int = 12) -> float:
    """Plain-Python floor for the benchmark: the same population, one rep and month at a time."""
    from .payout import payout_loop

    total = 0.0
    mpp = plan.months_per_period
    for a in attainments:
        paid_before = 0.0
        for t in range(months):
            into = t % mpp + 1
            ptd_att = a * plan.quota / 12 * into / plan.period_quota
            earned = payout_loop(plan, [ptd_att])[0]
            if into == 1:
                paid_before = 0.0
            total += earned - paid_before
            paid_before = earned
    return total


def histogram_figure(result: dict[str, Any], plan: Plan):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 3.2), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ax.hist(result["attainment"] * 100, bins=40, color="C0", alpha=0.8)
    if plan.threshold:
        ax.axvline(plan.threshold * 100, color="0.4", ls=":", label="threshold")
    ax.axvline(100, color="C2", label="quota")
    ax.set_xlabel("attainment (%)")
    ax.set_ylabel("reps")
    ax.set_title(f"{result['reps']:,} reps under {plan.name}: cost of sales {result['cost_of_sales_pct']:.1f}%")
    ax.legend(fontsize=8)
    return fig
