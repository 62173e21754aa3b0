"""The rational rep: what each way of spending the year earns under a plan, and what a rep picks.

Bookings of every option (and every effort mix) go through the same payout schedule as real
bookings, so pay periods, thresholds, caps, credit multipliers and SPIFs bite month by month.

Effort share scales the number of deals, not their size: a rep who gives an option a share ``s``
of the year works ``s x deals_per_cycle`` deals per cycle, and a deal closes (at full size, with its
SPIFs) at the end of the cycle in which the work on it is complete. Work on a deal still open when
the year ends books nothing. With win rates below 1 each deal worked is won independently
(seeded Monte Carlo); otherwise every deal closes and the result is exact, in integer cents.

The rep chooses on the mean year pay, over every effort mix in steps of 10%: the rep's choice is
the option that the payout-maximizing mix gives the most effort. Ties are compared to the cent and
broken in this order: the option that pays most taken full-time (itself ranked by pay, then the
strategy's preferred option, then the higher revenue, then the order listed), then the most effort
on the preferred option, then the higher revenue. So the verdict never says "picks A and puts 100%
of effort on B": when A and B pay alike full-time the strategy's option wins, and a blend is the
rep's choice only when it pays strictly more than any option taken full-time (e.g. lumping one big
deal into a quarter that an accelerator pays for). ``aligned`` is whether the rep's choice is the
strategy's; ``revenue_gap`` is what the strategy's option taken full-time books beyond the rep's mix.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from .payout import period_payout
from .periods import earned_to_date, pay_months, period_ids, year_measured_earned
from .plan import Plan
from .scenario import (  # noqa: F401 - re-exported: `from coursekit.engine.simulate import scenario_from_dict` still works
    Option,
    Population,
    Scenario,
    load_scenario,
    options_from_list,
    population_from,
    scenario_from_dict,
)

MC_DRAWS = 2000
STEPS = 10  # effort mixes are searched in steps of 1/STEPS of the year
PERCENTILES = (10, 50, 90)


@dataclass
class OptionResult:
    """A year spent full-time on one option. Money in the plan's currency, exact to the cent."""

    name: str
    revenue: float  # mean revenue booked
    bookings: int  # deals worked to a close in the year (all of them booked when the win rate is 1)
    payout: float  # mean year pay: what the rational rep chooses on
    p10: float = 0.0  # year pay a rep beats 9 years in 10 (equal to the mean on the exact path)
    median: float = 0.0
    p90: float = 0.0
    cost_of_sales: float | None = None  # pay per 100 of revenue; None when the option books nothing


@dataclass
class Result:
    options: list[OptionResult]
    rep_choice: str  # the option the payout-maximizing mix gives the most effort
    strategy_choice: str | None
    aligned: bool | None
    revenue_gap: float
    best_mix: dict[str, float]
    method: str
    tied: list[str] = field(default_factory=list)  # other options paying, full-time, exactly what the rep's choice pays
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"options": [o.__dict__ for o in self.options], "rep_choice": self.rep_choice,
                "strategy_choice": self.strategy_choice, "aligned": self.aligned, "revenue_gap": self.revenue_gap,
                "best_mix": self.best_mix, "tied": self.tied, "method": self.method, **self.extra}


def _cents(amount: float) -> int:
    """An amount written in the YAML as whole cents, half-up (12.505 -> 1251)."""
    return int((Decimal(str(amount)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _half_up(x: Fraction) -> int:
    """Round a fraction to the nearest integer, halves away from zero."""
    n = math.floor(abs(x) + Fraction(1, 2))
    return n if x >= 0 else -n


def _money(cents: Fraction | int) -> float:
    """Cents (possibly a fraction of a cent, e.g. a mean) as currency rounded half-up to the cent."""
    return _half_up(Fraction(cents)) / 100


# --- one option's deals -----------------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def attempts(opt: Option, months: int, share: Fraction | float = 1) -> np.ndarray:
    """Deals worked to a close in each cycle at this effort share: whole deals, full size.

    The work done by the end of cycle k is ``share x deals_per_cycle x (k + 1)`` deals; the deals
    finished by then are the whole part of it (0.5 x 1 deal per 6-month cycle: one deal, at month 12).
    """
    per = Fraction(share) * Fraction(str(opt.deals_per_cycle))
    done = [math.floor(per * (k + 1)) for k in range(months // opt.cycle_months)]
    out = np.diff(np.array(done, dtype=np.int64), prepend=0)
    out.flags.writeable = False  # shared by the cache
    return out


def _wins(opt: Option, tries: np.ndarray, rng: np.random.Generator | None) -> np.ndarray:
    """Deals won in each cycle, shape (draws, cycles): every deal worked, or each won with the win rate."""
    if rng is None or opt.win_rate >= 1.0:
        return tries[None, :]
    return rng.binomial(tries, opt.win_rate, size=(MC_DRAWS, tries.size))


def option_cents(plan: Plan, opt: Option, start: tuple[int, int], months: int, wins: np.ndarray) -> tuple[np.ndarray, ...]:
    """(credited, revenue, SPIF) cents per month for the deals ``wins[d, k]`` won in cycle k.

    Whole cents held in float64 (exact below 2**53 cents), as ``year_pay`` takes them."""
    deal = _cents(opt.deal_size)
    credit = _half_up(Fraction(deal) * Fraction(str(plan.credit_multiplier(opt.segment, opt.product))))
    closes = (np.arange(wins.shape[1]) + 1) * opt.cycle_months - 1  # deals close at the end of each cycle
    spif = np.zeros(wins.shape[1])
    for k, t in enumerate(closes):
        y, m = divmod(start[0] * 12 + start[1] - 1 + int(t), 12)
        day = dt.date(y, m + 1, 28)
        spif[k] = sum(_cents(s.amount) for s in plan.spifs if s.matches(day, opt.segment, opt.product))

    def by_month(per_deal) -> np.ndarray:
        out = np.zeros((wins.shape[0], months))
        out[:, closes] = wins * per_deal
        return out

    return by_month(credit), by_month(deal), by_month(spif)


def year_pay(plan: Plan, credited: np.ndarray, spif: np.ndarray, start: tuple[int, int]) -> np.ndarray:
    """Total paid over the months for each row of monthly credited cents (no cross-period clawback)."""
    months = credited.shape[1]
    periods = period_ids(plan, start, months)
    first = np.r_[0, np.nonzero(np.diff(periods))[0] + 1]  # first month of each period
    if plan.measurement == "cumulative" or plan.cap_scope == "year":  # measured over the plan year, not period by period
        earned = year_measured_earned(plan, credited, start)
        _, _, paid = pay_months(plan, earned, np.rint(spif).astype(np.int64), periods)
        return paid.sum(axis=1) / 100
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
    _, _, paid = pay_months(plan, earned, np.rint(spif).astype(np.int64), periods)
    return paid.sum(axis=1) / 100


# --- the rational rep ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Mix:
    split: tuple[Fraction, ...]  # share of the year's effort per option
    pay: np.ndarray  # year pay in cents, one per draw
    revenue: np.ndarray  # revenue in cents, one per draw


def _run_mix(sc: Scenario, plan: Plan, split: tuple[Fraction, ...], seed: int | None) -> _Mix:
    draws = MC_DRAWS if seed is not None else 1
    credited = np.zeros((draws, sc.months))
    revenue, spif = np.zeros_like(credited), np.zeros_like(credited)
    for j, (opt, share) in enumerate(zip(sc.options, split, strict=True)):
        if share == 0:
            continue
        # each option draws from its own seeded stream, so its luck does not depend on the other options' shares
        rng = None if seed is None else np.random.default_rng([seed, j])
        wins = _wins(opt, attempts(opt, sc.months, share), rng)
        c, r, s = option_cents(plan, opt, sc.start, sc.months, wins)
        credited += c
        revenue += r
        spif += s
    pay = np.rint(year_pay(plan, credited, spif, sc.start) * 100).astype(np.int64)
    return _Mix(split, pay, np.rint(revenue.sum(axis=1)).astype(np.int64))


def _seed(sc: Scenario) -> int | None:
    """The Monte Carlo seed, or None when every deal closes (the exact path)."""
    if all(o.win_rate >= 1 for o in sc.options):
        return None
    return sc.population.seed if sc.population else 7


def _option_result(name: str, mix: _Mix, deals: int) -> OptionResult:
    n = mix.pay.size
    pay_sum, rev_sum = int(mix.pay.sum()), int(mix.revenue.sum())
    # percentiles of the draws themselves (no interpolation), so each is a year some rep was paid
    p10, med, p90 = (int(v) for v in np.percentile(mix.pay, PERCENTILES, method="inverted_cdf"))
    cos = _half_up(Fraction(pay_sum * 100 * 100, rev_sum)) / 100 if rev_sum else None
    return OptionResult(name, _money(Fraction(rev_sum, n)), deals, _money(Fraction(pay_sum, n)),
                        p10 / 100, med / 100, p90 / 100, cos)


def simulate(sc: Scenario, plan: Plan | None = None, *, mixes: bool = True) -> Result:
    """Each option taken full-time, then (unless ``mixes=False``) every effort mix in steps of 10%."""
    plan = plan or sc.plan
    seed = _seed(sc)
    method = "exact (every deal closes)" if seed is None else f"seeded Monte Carlo, {MC_DRAWS} draws, seed {seed}"
    n = len(sc.options)
    pure_splits = [tuple(Fraction(int(j == i)) for j in range(n)) for i in range(n)]
    splits = (tuple(Fraction(s, STEPS) for s in split) for split in _splits(n, STEPS)) if mixes else pure_splits
    runs = {split: _run_mix(sc, plan, split, seed) for split in splits}
    pure = [runs[split] for split in pure_splits]
    results = [_option_result(o.name, m, int(attempts(o, sc.months).sum())) for o, m in zip(sc.options, pure, strict=True)]

    names = [o.name for o in sc.options]
    want = names.index(sc.prefer) if sc.prefer in names else None
    # all mixes have the same number of draws, so comparing sums of cents compares means exactly
    rank = [(int(m.pay.sum()), i == want, int(m.revenue.sum()), -i) for i, m in enumerate(pure)]
    full_time = max(range(n), key=lambda i: rank[i])
    best = max(runs.values(), key=lambda m: (int(m.pay.sum()), m.split[full_time], m.split[want] if want is not None else 0,
                                              int(m.revenue.sum())))
    # the rep's choice is where the payout-maximizing mix puts the most effort (equal shares: the full-time order)
    choice = max(range(n), key=lambda i: (best.split[i], rank[i]))
    tied = [names[i] for i in range(n) if i != choice and rank[i][0] == rank[choice][0]]
    gap = 0.0
    if want is not None:
        gap = max(_money(Fraction(int(pure[want].revenue.sum()) - int(best.revenue.sum()), best.revenue.size)), 0.0)
    return Result(results, names[choice], sc.prefer, None if want is None else choice == want, gap,
                  {name: float(s) for name, s in zip(names, best.split, strict=True)}, method, tied)


def simulate_mix(sc: Scenario, shares: dict[str, float], plan: Plan | None = None) -> OptionResult:
    """A year with the effort split as ``shares`` (option name -> share of the year; the rest idle),
    with the same deals, draws and seed as ``simulate``. Named "mix"; ``bookings`` is the deals worked."""
    names = [o.name for o in sc.options]
    unknown = set(shares) - set(names)
    if unknown:
        raise ValueError(f"no option {sorted(unknown)[0]!r}; the options are {', '.join(names)}")
    split = tuple(Fraction(str(shares.get(n, 0))) for n in names)
    if any(s < 0 for s in split) or sum(split) > 1:
        raise ValueError(f"shares must be 0 or more and add up to at most 1, not {shares}")
    mix = _run_mix(sc, plan or sc.plan, split, _seed(sc))
    deals = sum(int(attempts(o, sc.months, s).sum()) for o, s in zip(sc.options, split, strict=True))
    return _option_result("mix", mix, deals)


def _splits(n: int, steps: int = STEPS) -> Iterator[tuple[int, ...]]:
    """Every way to cut ``steps`` whole parts among n options."""
    for cut in itertools.combinations(range(steps + n - 1), n - 1):
        yield tuple(b - a - 1 for a, b in zip((-1,) + cut, cut + (steps + n - 1,)))


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
