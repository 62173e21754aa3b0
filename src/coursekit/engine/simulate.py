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

import functools
import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

import numpy as np

from coursekit.engine.money import cents, exact
from coursekit.engine.payout import knots
from coursekit.engine.periods import pay_months
from coursekit.engine.plan import Plan
from coursekit.engine.scenario import Option, Population, Scenario
from coursekit.engine.sim_calendar import edges, exact_share, sim_calendar
from coursekit.errors import CourseError

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


@functools.lru_cache(maxsize=1024)
def _drawn(opt: Option, months: int, share: Fraction, seed: int | None, j: int) -> np.ndarray:
    """The wins of option ``j`` at this effort share, drawn from its own stream ``[seed, j]`` (the same draws every
    time they are asked for: a search over plans draws them once). Read-only (cached)."""
    rng = None if seed is None else np.random.default_rng([seed, j])
    out = _wins(opt, attempts(opt, months, share), rng)
    if out.flags.writeable:
        out.flags.writeable = False
    return out


def option_cents(plan: Plan, opt: Option, start: tuple[int, int], months: int, wins: np.ndarray) -> tuple[np.ndarray, ...]:
    """(credited, revenue, SPIF) cents per month for the deals ``wins[d, k]`` won in cycle k.

    Cycles run from the rep's first month (the month of the plan's ``start``, else the scenario's first); a deal
    closes at the end of its cycle, dated the 28th (moved inside the rep's start and end), which is the day its
    SPIFs are matched on; a deal in the start's part-month that months pro-ration does not count is credited (and its
    SPIF paid) in the first month counted, as the schedule books it. Whole cents held in float64 (exact below 2**53 cents), as ``year_pay`` takes them."""
    cal = sim_calendar(plan, start, months)
    deal = cents(opt.deal_size)
    credit = _half_up(Fraction(deal) * Fraction(str(plan.credit_multiplier(opt.segment, opt.product))))
    closes = cal.first + (np.arange(wins.shape[1]) + 1) * opt.cycle_months - 1  # deals close at the end of each cycle
    spif = np.array([sum(cents(s.amount) for s in plan.spifs if s.matches(cal.deal_day(int(t)), opt.segment, opt.product))
                     for t in closes], dtype=float) if plan.spifs else np.zeros(closes.size)

    credited_in = np.maximum(closes, cal.credit_from)  # as the schedule credits a deal in a part-month not counted
    collide = credited_in.size > 1 and credited_in[1] == credited_in[0]  # several cycles credited in the first month counted

    def by_month(per_deal) -> np.ndarray:
        out = np.zeros((wins.shape[0], months))
        if collide:
            np.add.at(out, (slice(None), credited_in), wins * per_deal)
        else:
            out[:, credited_in] = wins * per_deal
        return out

    return by_month(credit), by_month(deal), by_month(spif)


def worked_months(plan: Plan, start: tuple[int, int], months: int) -> int:
    """Months of the scenario the rep works: from the plan's ``start`` (else the first) to its ``end`` (else the last)."""
    return sim_calendar(plan, start, months).worked()


def _half_up_cents(amount: np.ndarray) -> np.ndarray:
    """Currency amounts (float) to whole cents, half up: rounded to a millionth of a cent first, so a
    float product such as 1250.4999999999998 cents is the 1250.5 it stands for and pays 1251."""
    return np.floor(np.round(np.asarray(amount, dtype=float) * 100, 6) + 0.5).astype(np.int64)


@functools.lru_cache(maxsize=256)
def _uncapped(plan: Plan) -> Plan:
    return replace(plan, cap=None) if plan.cap is not None else plan


@functools.lru_cache(maxsize=256)
def _gate(plan: Plan) -> Fraction:
    """Attainment below which a measurement pays nothing, exact: the threshold, or a curve's first point."""
    return max(exact_share(plan.threshold), exact(plan.curve[0][0]) if plan.curve else Fraction(0))


def _earnings(plan: Plan, c: np.ndarray, quota: tuple[Fraction, ...], q: np.ndarray, ti: np.ndarray) -> np.ndarray:
    """Each measurement's earnings before the cap, in currency, as ``payout.earnings`` has them.

    ``c`` is credited whole cents, shape (rows, columns); ``quota`` each column's exact quota in cents (``q`` as
    floats); ``ti`` its target incentive. The gate and a retroactive tier's band are found exactly (credit against the least whole
    cents that reach them), so one deal a month at exactly 90% of a 58,333.33... quota passes a 90% threshold;
    the rest is continuous in credit and computed in floats, rounded once per year to date (``_half_up_cents``)."""
    has = q > 0
    per_cent = np.where(has, q, 1.0)
    sales = np.maximum(c, 0.0) / 100
    if plan.curve:
        xs, ys = knots(plan)
        pay = np.interp(np.maximum(c, 0.0) / per_cent, xs, ys) / plan.period_ti * ti
    else:
        tiers = plan.effective_tiers()
        bcr = ti / (per_cent / 100)
        rates = np.stack([bcr * t.multiplier if t.multiplier is not None else np.full_like(bcr, t.rate) for t in tiers])
        if plan.tier_mode == "retroactive":
            band = np.zeros(c.shape, dtype=np.int64)
            for t in tiers[1:]:
                band += c >= edges(exact(t.start), quota)
            pay = rates[band, np.arange(c.shape[1])] * sales
        else:
            pay = np.zeros(c.shape)
            for i, t in enumerate(tiers):
                part = sales - t.start * per_cent / 100
                if i + 1 < len(tiers):
                    part = np.minimum(part, (tiers[i + 1].start - t.start) * per_cent / 100)
                pay += rates[i] * np.maximum(part, 0.0)
    gate = _gate(plan)
    if gate > 0:
        pay = np.where(c >= edges(gate, quota), pay, 0.0)
    return np.where(has & (c > 0), pay, 0.0)


def _segment_cumsum(x: np.ndarray, starts: np.ndarray, at: np.ndarray | None = None) -> np.ndarray:
    """Running sums along axis 1 that restart at each column where ``starts`` is True (column 0 always starts),
    at the columns ``at`` (default all): the same sums, only fewer of them."""
    cs = np.cumsum(x, axis=1)
    first = np.maximum.accumulate(np.where(starts, np.arange(x.shape[1]), 0))  # each column's segment start
    if at is None:
        return cs - (cs - x)[:, first]
    f = first[at]
    return cs[:, at] - (cs[:, f] - x[:, f])


def _weigh(pay: np.ndarray, credit: np.ndarray, weighted: np.ndarray | None) -> np.ndarray:
    """Pay multipliers: a measurement pays its earnings x the credit-weighted multiplier of what it measured."""
    if weighted is None:
        return pay
    return np.where(credit > 0, pay * weighted / np.where(credit > 0, credit, 1), pay)


@functools.lru_cache(maxsize=1024)
def _measured(plan: Plan, start: tuple[int, int], months: int,
              sel: tuple[int, ...]) -> tuple[tuple[Fraction, ...], np.ndarray, np.ndarray, np.ndarray]:
    """(exact quota in cents, the same as floats, target incentive, the plan year's target incentive) of the
    measurement read at each column of ``sel``: the column's period (standalone) or the plan year's periods to date
    (cumulative), from the schedule's calendar."""
    cal = sim_calendar(plan, start, months)
    ppy = plan.periods_per_year
    spans = [range(g - g % ppy, g + 1) if plan.measurement == "cumulative" else range(g, g + 1) for g in cal.period[list(sel)]]
    quota = tuple(sum((cal.quota[g] for g in span), Fraction(0)) for span in spans)
    ti = np.array([float(sum((cal.ti[g] for g in span), Fraction(0))) for span in spans])
    q = np.array([float(x) for x in quota])
    year_ti = np.array([float(cal.year_ti[y]) for y in cal.year[list(sel)]])
    for a in (ti, q, year_ti):
        a.flags.writeable = False
    return quota, q, ti, year_ti


@functools.lru_cache(maxsize=1024)
def measure_columns(plan: Plan, start: tuple[int, int], months: int) -> np.ndarray:
    """Where a measurement is read: the true-ups (cumulative: each period's end and the rep's last month) or the
    last column of each period (standalone). Read-only (cached)."""
    cal = sim_calendar(plan, start, months)
    out = cal.closes.copy() if plan.measurement == "cumulative" else np.r_[np.diff(cal.period) != 0, True]
    out.flags.writeable = False
    return out


def earned_to_date(plan: Plan, credited: np.ndarray, start: tuple[int, int], weighted: np.ndarray | None = None,
                   columns: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Each plan year's earnings to date in whole cents (rounded once, half up), as ``schedule`` has them.

    ``credited`` (and ``weighted``, credit x pay multiplier; default the credit) are whole cents per month,
    shape (rows, months), the months from ``start``. Returns (earnings to date at ``columns`` (default every
    month), plan year of each column). Each period's quota and target incentive are the schedule's calendar's
    (``sim_calendar``: start, end, pro-ration, ramp, relief). Standalone: each period measured alone (cap per
    period, or the year's sum capped with ``cap_scope: year``). Cumulative: at each true-up, year-to-date credit
    against quota to date pays the curve x target incentive to date; between true-ups the figure stands (months
    pay no incentive). The curve is evaluated only at the months the answer needs (true-ups and ``columns``).
    """
    months = credited.shape[1]
    cal = sim_calendar(plan, start, months)
    idx = np.arange(months)
    year = cal.year
    new_year = np.r_[True, np.diff(year) != 0]
    new_period = np.r_[True, np.diff(cal.period) != 0]
    cols = idx if columns is None else np.asarray(columns)
    cap, cumulative = plan.cap, plan.measurement == "cumulative"
    starts = new_year if cumulative else new_period  # where the measured credit starts over
    key = measure_columns(plan, start, months)
    need = key.copy()
    if not cumulative:
        need[cols] = True
    sel = np.nonzero(need)[0]
    quota, q, t, year_ti = _measured(plan, start, months, tuple(sel.tolist()))

    def to_date(x: np.ndarray | None) -> np.ndarray | None:
        return None if x is None else _segment_cumsum(x, starts, sel)

    c = to_date(credited)
    pay = _weigh(_earnings(plan, c, quota, q, t), c, to_date(weighted))
    if cumulative:
        if cap is not None:
            pay = np.minimum(pay, cap * (year_ti if plan.cap_scope == "year" else t))
        # between true-ups the last one stands; before the year's first true-up nothing is earned
        last_end = np.maximum.accumulate(np.where(key, idx, -1))
        year_start = np.maximum.accumulate(np.where(new_year, idx, 0))
        closed = (last_end >= year_start)[cols]
        pos = np.searchsorted(sel, np.maximum(last_end, 0)[cols])
        etd = np.where(closed[None, :], pay[:, np.minimum(pos, max(sel.size - 1, 0))], 0.0) if sel.size else np.zeros((len(c), cols.size))
    else:
        if cap is not None and plan.cap_scope == "period":
            pay = np.minimum(pay, cap * t)
        # a year's earnings to date: the finished periods' finals plus the current period's to date
        last = key[sel]
        finals = _segment_cumsum(np.where(last[None, :], pay, 0.0), np.r_[True, np.diff(year[sel]) != 0])
        at = np.searchsorted(sel, cols)
        etd = (finals - np.where(last[None, :], pay, 0.0) + pay)[:, at]
        if cap is not None and plan.cap_scope == "year":
            etd = np.minimum(etd, cap * year_ti[at][None, :])
    return _half_up_cents(etd), year[cols]


def _earned(plan: Plan, credited: np.ndarray, start: tuple[int, int], weighted: np.ndarray | None) -> np.ndarray:
    """Incentive in whole cents per month: the change in earnings to date (standalone) or the true-ups
    (cumulative: earnings to date less what was paid before, a shortfall carried)."""
    etd, year = earned_to_date(plan, credited, start, weighted)
    if plan.measurement == "cumulative":
        for y in np.unique(year):
            cols = year == y
            etd[:, cols] = np.maximum.accumulate(etd[:, cols], axis=1)
    new_year = np.r_[True, np.diff(year) != 0]
    return etd - np.where(new_year[None, :], 0, np.roll(etd, 1, axis=1))


def month_pay(plan: Plan, credited: np.ndarray, spif: np.ndarray, start: tuple[int, int],
              weighted: np.ndarray | None = None) -> np.ndarray:
    """Pay in whole cents per month, shape (rows, months): incentive, SPIFs and draws, as ``schedule`` pays them.

    Standalone pays the change in earnings to date; cumulative pays earnings to date less what was paid
    before (a shortfall is carried: paid to date is the highest true-up so far); draws as ``pay_months``.
    A plan with several measures takes ``credited`` and ``weighted`` as one array per measure (``by_measure``)."""
    if plan.measures:
        earned = sum(_earned(sub, c, start, w) for sub, c, w in zip(measure_plans(plan), credited, weighted, strict=True))
        months = credited[0].shape[1]
    else:
        earned, months = _earned(plan, credited, start, weighted), credited.shape[1]
    cal = sim_calendar(plan, start, months)
    _, _, paid = pay_months(plan, earned, np.rint(spif).astype(np.int64), cal.period, cal.draw_from, cal.draw_until, cal.end)
    return paid


@functools.lru_cache(maxsize=64)
def measure_plans(plan: Plan) -> tuple[Plan, ...]:
    """Each measure's plan with its weight of the target incentive (as ``schedule`` pays it)."""
    return tuple(replace(m.plan, variable_share=float(exact(m.plan.variable_share) * exact(m.weight)), spifs=(), draw=None)
                 for m in plan.measures)


def measure_of(plan: Plan, segment: str | None, product: str | None, what: str = "option") -> int:
    """Index of the measure an option's deals credit (as ``schedule`` routes a row without a `measure`)."""
    ms = plan.measures
    hit = next((i for i, m in enumerate(ms) if not m.catch_all and m.matches(segment, product, None)), None)
    if hit is None:
        hit = next((i for i, m in enumerate(ms) if m.catch_all), None)
    if hit is None:
        raise CourseError.at(plan.name or "<plan>", "measures", f"no measure takes {what} deals of segment {segment} and "
                             f"product {product}", "add a measure for them, or one without product or segment for the rest")
    return hit


def year_pay(plan: Plan, credited: np.ndarray, spif: np.ndarray, start: tuple[int, int],
             weighted: np.ndarray | None = None) -> np.ndarray:
    """Total paid over the months for each row of monthly credited cents (``month_pay`` summed), in currency.
    A plan with several measures takes ``credited`` and ``weighted`` as one array per measure."""
    if plan.draw is not None:
        return month_pay(plan, credited, spif, start, weighted).sum(axis=1) / 100
    if plan.measures:
        zero = np.zeros_like(spif)
        cents = sum(np.rint(year_pay(sub, c, zero, start, w) * 100).astype(np.int64)
                    for sub, c, w in zip(measure_plans(plan), credited, weighted, strict=True))
        return (cents + np.rint(spif).sum(axis=1).astype(np.int64)) / 100
    # without a draw only true-ups and period ends matter: each year pays its last (standalone) or highest
    # (cumulative, a shortfall carried) earnings to date
    cols = np.nonzero(measure_columns(plan, start, credited.shape[1]))[0]
    total = np.rint(spif).sum(axis=1).astype(np.int64)  # whole cents: the sum is exact below 2**53
    if cols.size:
        etd, year = earned_to_date(plan, credited, start, weighted, cols)
        for y in np.unique(year):
            part = etd[:, year == y]
            total = total + (part.max(axis=1) if plan.measurement == "cumulative" else part[:, -1])
    return total / 100


# --- the rational rep ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Mix:
    split: tuple[Fraction, ...]  # share of the year's effort per option
    pay: np.ndarray  # year pay in cents, one per draw
    revenue: np.ndarray  # revenue in cents, one per draw


def _mix_cents(sc: Scenario, plan: Plan, split: tuple[Fraction, ...], seed: int | None) -> tuple[Any, ...]:
    """(credited, credited x pay multiplier, revenue, SPIF) cents per month, one row per draw, for an effort split;
    with several measures, credited and weighted are lists, one array per measure."""
    draws = MC_DRAWS if seed is not None else 1
    parts = max(1, len(plan.measures))
    credited = [np.zeros((draws, sc.months)) for _ in range(parts)]
    weighted = [np.zeros((draws, sc.months)) for _ in range(parts)]
    revenue, spif = np.zeros((draws, sc.months)), np.zeros((draws, sc.months))
    for j, (opt, share) in enumerate(zip(sc.options, split, strict=True)):
        if share == 0:
            continue
        # each option draws from its own seeded stream, so its luck does not depend on the other options' shares
        wins = _drawn(opt, worked_months(plan, sc.start, sc.months), share, seed, j)
        c, r, s = option_cents(plan, opt, sc.start, sc.months, wins)
        k = measure_of(plan, opt.segment, opt.product, f"option {opt.name!r}:") if plan.measures else 0
        credited[k] += c
        weighted[k] += c * plan.pay_multiplier_for(opt.segment, opt.product)
        revenue += r
        spif += s
    weighted_or_none = [w if plan.pay_multiplier else None for w in weighted]
    if not plan.measures:
        return credited[0], weighted_or_none[0], revenue, spif
    return credited, weighted_or_none, revenue, spif


def _run_mix(sc: Scenario, plan: Plan, split: tuple[Fraction, ...], seed: int | None) -> _Mix:
    credited, weighted, revenue, spif = _mix_cents(sc, plan, split, seed)
    pay = np.rint(year_pay(plan, credited, spif, sc.start, weighted) * 100).astype(np.int64)
    return _Mix(split, pay, np.rint(revenue.sum(axis=1)).astype(np.int64))


def modelled(plan: Plan) -> Plan:
    """The plan, when the simulator models all of it; a plan feature it does not model is refused in one line, never
    silently ignored. Effective-dated ``versions`` change the plan inside the year, and the simulator pays one plan for
    the year (the audit and the plot read a plan as it starts the year, and say so)."""
    if plan.versions:
        raise CourseError.at(plan.name or "<plan>", "versions", f"has {len(plan.versions)} effective-dated version"
                             f"{'s' if len(plan.versions) > 1 else ''}, which the simulator does not follow (it pays one plan "
                             "for the year)", "simulate each version as a plan of its own, or pay the bookings with "
                             "`coursekit schedule`, which follows versions")
    return plan


def option_months(sc: Scenario, plan: Plan | None = None) -> dict[str, list[float]]:
    """Each option taken full-time: the mean pay of each month of the scenario (incentive, SPIFs, draws),
    with the same deals, draws and seed as ``simulate``; a lumpy capped month shows as one short bar."""
    plan = modelled(plan or sc.plan)
    seed = _seed(sc)
    out = {}
    for i, opt in enumerate(sc.options):
        split = tuple(Fraction(int(j == i)) for j in range(len(sc.options)))
        credited, weighted, _, spif = _mix_cents(sc, plan, split, seed)
        paid = month_pay(plan, credited, spif, sc.start, weighted)
        out[opt.name] = [_money(Fraction(int(v), paid.shape[0])) for v in paid.sum(axis=0)]
    return out


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


def full_time(sc: Scenario, plan: Plan | None = None, names: Sequence[str] | None = None) -> dict[str, OptionResult]:
    """The named options (default all) each taken full-time, exactly as ``simulate`` reports them (same deals, draws
    and seed): a search that moves one option's pay asks for that option alone."""
    plan = modelled(plan or sc.plan)
    seed = _seed(sc)
    worked = worked_months(plan, sc.start, sc.months)
    n, out = len(sc.options), {}
    for i, o in enumerate(sc.options):
        if names is None or o.name in names:
            split = tuple(Fraction(int(j == i)) for j in range(n))
            out[o.name] = _option_result(o.name, _run_mix(sc, plan, split, seed), int(attempts(o, worked).sum()))
    return out


def simulate(sc: Scenario, plan: Plan | None = None, *, mixes: bool = True) -> Result:
    """Each option taken full-time, then (unless ``mixes=False``) every effort mix in steps of 10%."""
    plan = modelled(plan or sc.plan)
    seed = _seed(sc)
    method = "exact (every deal closes)" if seed is None else f"seeded Monte Carlo, {MC_DRAWS} draws, seed {seed}"
    n = len(sc.options)
    pure_splits = [tuple(Fraction(int(j == i)) for j in range(n)) for i in range(n)]
    splits = (tuple(Fraction(s, STEPS) for s in split) for split in _splits(n, STEPS)) if mixes else pure_splits
    runs = {split: _run_mix(sc, plan, split, seed) for split in splits}
    pure = [runs[split] for split in pure_splits]
    worked = worked_months(plan, sc.start, sc.months)
    results = [_option_result(o.name, m, int(attempts(o, worked).sum())) for o, m in zip(sc.options, pure, strict=True)]

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
        raise CourseError.at("simulate_mix", "shares", f"no option {sorted(unknown)[0]!r}", f"use the scenario's options: {', '.join(names)}")
    split = tuple(Fraction(str(shares.get(n, 0))) for n in names)
    if any(s < 0 for s in split) or sum(split) > 1:
        raise CourseError.at("simulate_mix", "shares", f"{shares} do not add up to at most 1", "give each option a share of 0 or more, adding up to at most 1")
    plan = modelled(plan or sc.plan)
    mix = _run_mix(sc, plan, split, _seed(sc))
    worked = worked_months(plan, sc.start, sc.months)
    deals = sum(int(attempts(o, worked, s).sum()) for o, s in zip(sc.options, split, strict=True))
    return _option_result("mix", mix, deals)


def _splits(n: int, steps: int = STEPS) -> Iterator[tuple[int, ...]]:
    """Every way to cut ``steps`` whole parts among n options."""
    for cut in itertools.combinations(range(steps + n - 1), n - 1):
        yield tuple(b - a - 1 for a, b in zip((-1,) + cut, cut + (steps + n - 1,)))


# --- population ---------------------------------------------------------------------------------

Part = tuple[str | None, str | None]  # (segment, product) of a share of bookings
BookingMix = tuple[tuple[Part, Fraction], ...]  # each part's share of a rep's bookings, the shares adding up to 1


def _options_of(src: Scenario | Sequence[Option], months: int | None) -> tuple[tuple[Option, ...], int]:
    if isinstance(src, Scenario):
        return src.options, src.months if months is None else months
    return tuple(src), 12 if months is None else months


def booking_shares(src: Scenario | Sequence[Option], effort: Mapping[str, float], months: int | None = None) -> dict[str, Fraction]:
    """Each option's share of the bookings an effort split books (option name -> exact share; options booking
    nothing left out; empty when nothing is booked).

    An option's expected bookings are the deals worked at its effort share, whole deals as ``simulate`` works
    them (``attempts``), x its win rate x its deal size, over ``months`` (default the scenario's, or 12)."""
    options, months = _options_of(src, months)
    names = [o.name for o in options]
    unknown = set(effort) - set(names)
    if unknown:
        raise CourseError.at("booking_shares", "effort", f"no option {sorted(unknown)[0]!r}", f"use the scenario's options: {', '.join(names)}")
    booked = {}
    for o in options:
        share = Fraction(str(effort.get(o.name, 0)))
        if share < 0 or share > 1:
            raise CourseError.at("booking_shares", f"effort.{o.name}", f"{effort[o.name]} is not a share of effort", "give a share from 0 to 1")
        deals = int(attempts(o, months, share).sum()) if share else 0
        amount = deals * Fraction(str(o.win_rate)) * cents(o.deal_size)
        if amount:
            booked[o.name] = booked.get(o.name, 0) + amount
    total = sum(booked.values())
    return {name: amount / total for name, amount in booked.items()}


def booking_mix(src: Scenario | Sequence[Option], effort: Mapping[str, float], months: int | None = None) -> BookingMix | None:
    """The booking mix an effort split books (e.g. ``Result.best_mix``, the rational rep's): each (segment,
    product)'s exact share of the expected bookings (``booking_shares``), for ``population``. None when the
    split books nothing."""
    options = {o.name: o for o in _options_of(src, months)[0]}
    parts: dict[Part, Fraction] = {}
    for name, share in booking_shares(src, effort, months).items():
        part = (options[name].segment, options[name].product)
        parts[part] = parts.get(part, Fraction(0)) + share
    ordered = tuple(sorted(parts.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))))
    if not ordered:
        return None
    opts, months = _options_of(src, months)
    return DealMix(ordered, opts, {k: Fraction(str(v)) for k, v in effort.items() if v}, months)


class DealMix(tuple):
    """A booking mix (a ``BookingMix``, equal to the plain tuple of its parts) that also knows the deals it came from:
    the options and the effort split over them, so ``population`` books each rep's whole deals as they fall."""

    options: tuple[Option, ...]
    effort: dict[str, Fraction]
    months: int

    def __new__(cls, parts: BookingMix, options: tuple[Option, ...], effort: dict[str, Fraction], months: int) -> DealMix:
        mix = super().__new__(cls, parts)
        mix.options, mix.effort, mix.months = options, effort, months
        return mix


def mix_rates(plan: Plan, mix: BookingMix | None) -> tuple[Fraction, Fraction]:
    """(credit, credit x pay multiplier) per unit of bookings in the mix, exact (1 and 1 without a mix)."""
    if mix is None:
        return Fraction(1), Fraction(1)
    shares = [Fraction(share) if isinstance(share, (int, Fraction)) else Fraction(str(share)) for _, share in mix]
    if any(s < 0 for s in shares) or sum(shares) != 1:
        raise CourseError.at("population", "mix", f"shares {[str(s) for s in shares]} do not add up to 1", "give each part a share of 0 or more, adding up to 1")
    credit = weight = Fraction(0)
    for ((segment, product), _), share in zip(mix, shares, strict=True):
        c = Fraction(str(plan.credit_multiplier(segment, product)))
        credit += share * c
        weight += share * c * Fraction(str(plan.pay_multiplier_for(segment, product)))
    return credit, weight


def _population_measures(plan: Plan, mix: BookingMix | None, monthly: np.ndarray,
                         start: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pay, capped, below a measure's threshold) of a population under a plan with several measures: each part of
    the booking mix credits the measure it matches (without a mix, the measure that takes every row)."""
    parts = mix if mix is not None else (((None, None), Fraction(1)),)
    n = len(plan.measures)
    credit, weight = [Fraction(0)] * n, [Fraction(0)] * n
    for (segment, product), share in parts:
        k = measure_of(plan, segment, product, "booking mix part")
        c = Fraction(share if isinstance(share, (int, Fraction)) else str(share)) * Fraction(str(plan.credit_multiplier(segment, product)))
        credit[k] += c
        weight[k] += c * Fraction(str(plan.pay_multiplier_for(segment, product)))
    credited = [monthly * float(c) for c in credit]
    weighted = [None if w == c else monthly * float(w) for c, w in zip(credit, weight, strict=True)]
    none = np.zeros_like(monthly)
    paid = year_pay(plan, credited, none, start, weighted)
    uncapped = replace(plan, measures=tuple(replace(m, plan=replace(m.plan, cap=None)) for m in plan.measures))
    capped = year_pay(uncapped, credited, none, start, weighted) > paid if any(m.plan.cap for m in plan.measures) else \
        np.zeros(monthly.shape[0], dtype=bool)
    below = np.zeros(monthly.shape[0], dtype=bool)
    for m, c in zip(plan.measures, credited, strict=True):
        if m.plan.threshold:  # below the gate of any measure, on that measure's own credited attainment
            below |= c.sum(axis=1) / 100 / (m.plan.quota * monthly.shape[1] / 12) < m.plan.threshold
    return paid, capped, below


def population(plan: Plan, pop: Population, months: int = 12, start: tuple[int, int] = (2027, 1),
               mix: BookingMix | None = None) -> dict[str, Any]:
    """N reps whose attainment of booked quota (bookings / quota) is drawn from a normal distribution.

    With a mix from ``booking_mix`` (a ``DealMix``: it knows the options and the rational rep's effort), each rep books
    whole deals as they fall (``_rep_deals``: the rational rep's deals at the rep's own pace, closing at cycle ends
    from the rep's start) and is paid by ``year_pay`` exactly as ``simulate`` pays a rep: per-deal credit and pay
    multipliers, thresholds and caps per period on lumpy bookings, start, ramp and end, draws and SPIFs. A plain
    mix of ((segment, product), share) parts, or none, knows no deals: bookings are spread evenly over the months,
    each month's split across the parts (without a mix, bookings carry no multiplier).

    Reported: ``cost_of_sales_pct``, incentive pay (SPIFs included) per 100 of bookings (not of credited amounts);
    ``share_below_threshold`` and ``share_at_or_above_quota`` on *credited* attainment (credited / quota, what the
    comp system reports, so a credit multiplier raises them); ``share_capped``, the reps whose pay without the cap
    would be higher; ``credited_per_100_of_bookings`` (the mix's). Arrays: ``attainment`` (booked),
    ``credited_attainment`` and ``payout`` per rep.
    """
    modelled(plan)
    credit, weight = mix_rates(plan, mix)
    rng = np.random.default_rng(pop.seed)
    att = np.clip(rng.normal(pop.attainment_mean, pop.attainment_sd, size=pop.reps), 0.0, None)
    if isinstance(mix, DealMix):
        return _population_deals(plan, pop, months, start, mix, att, credit)
    monthly = att[:, None] * plan.quota / 12 * 100 * np.ones((1, months))  # booked cents per month
    none = np.zeros_like(monthly)
    revenue = att * plan.quota * months / 12
    credited_att = att if credit == 1 else att * float(credit)
    if plan.measures:
        paid, capped, below = _population_measures(plan, mix, monthly, start)
    else:
        credited = monthly if credit == 1 else monthly * float(credit)
        weighted = None if weight == credit else monthly * float(weight)
        paid = year_pay(plan, credited, none, start, weighted)
        capped = np.zeros(pop.reps, dtype=bool)
        if plan.cap is not None:  # the cap binds when the plan without it would pay more
            capped = year_pay(_uncapped(plan), credited, none, start, weighted) > paid
        below = credited_att < (plan.threshold or 0.0)
    return {
        "reps": pop.reps, "seed": pop.seed,
        "total_payout": round(float(paid.sum()), 2),
        "total_revenue": round(float(revenue.sum()), 2),
        "cost_of_sales_pct": round(float(paid.sum() / revenue.sum() * 100), 2) if revenue.sum() else 0.0,
        "share_below_threshold": round(float(below.mean()), 4),
        "share_at_or_above_quota": round(float((credited_att >= 1.0).mean()), 4),
        "share_capped": round(float(capped.mean()), 4),
        "credited_per_100_of_bookings": round(float(credit * 100), 2),
        "attainment": att, "credited_attainment": credited_att, "payout": paid,
    }


def quota_over(plan: Plan, start: tuple[int, int], months: int) -> Fraction:
    """The quota, in cents, of the pay periods the scenario's months touch (pro-rated, ramped, relieved)."""
    cal = sim_calendar(plan, start, months)
    return sum((cal.quota[g] for g in sorted(set(cal.period.tolist()))), Fraction(0))


def _rep_deals(plan: Plan, pop: Population, months: int, start: tuple[int, int], mix: DealMix,
               att: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray, np.ndarray, Fraction]:
    """Each rep's deals as they fall: (credited per measure, credited x pay multiplier per measure, revenue, SPIF)
    cents per month, shape (reps, months), and the quota the scenario's months measure (cents, from the calendar).

    The rational rep's effort split works ``effort x deals_per_cycle x win_rate`` deals of each option a cycle and
    books E over the months the rep works; a rep drawn at attainment ``a`` books ``a`` x the quota, so works at
    ``a x quota / E`` of that pace. Deals are whole, at full size, closing at the end of the cycle in which the work
    on them is complete (as ``simulate`` closes them), each rep's work starting at a random point of a deal (seeded),
    so a rep's expected bookings are exactly ``a`` x the quota and the deals stay lumpy."""
    cal = sim_calendar(plan, start, months)
    worked = cal.worked()
    quota = quota_over(plan, start, months)
    work = [(o, mix.effort.get(o.name, Fraction(0)) * Fraction(str(o.deals_per_cycle)) * Fraction(str(o.win_rate)))
            for o in mix.options]
    work = [(o, w) for o, w in work if w > 0 and worked // o.cycle_months]
    pace_cents = sum((w * (worked // o.cycle_months) * cents(o.deal_size) for o, w in work), Fraction(0))
    parts = max(1, len(plan.measures))
    credited = [np.zeros((pop.reps, months)) for _ in range(parts)]
    weighted = [np.zeros((pop.reps, months)) for _ in range(parts)]
    revenue, spif = np.zeros((pop.reps, months)), np.zeros((pop.reps, months))
    if not work or quota <= 0:
        return credited, weighted, revenue, spif, quota
    speed = att * float(quota / pace_cents)  # each rep's pace, as a share of the rational rep's
    phase = np.random.default_rng([pop.seed, 24]).random((pop.reps, len(work)))
    for j, (o, w) in enumerate(work):
        done = np.floor(speed[:, None] * float(w) * np.arange(1, worked // o.cycle_months + 1)[None, :] + phase[:, j:j + 1])
        wins = np.diff(done, axis=1, prepend=0.0)
        c, r, sp = option_cents(plan, o, start, months, wins)
        k = measure_of(plan, o.segment, o.product, f"option {o.name!r}:") if plan.measures else 0
        credited[k] += c
        weighted[k] += c * plan.pay_multiplier_for(o.segment, o.product)
        revenue += r
        spif += sp
    return credited, weighted, revenue, spif, quota


def _population_deals(plan: Plan, pop: Population, months: int, start: tuple[int, int], mix: DealMix,
                      drawn: np.ndarray, credit: Fraction) -> dict[str, Any]:
    """``population`` with each rep's whole deals booked as they fall (``_rep_deals``), paid by ``year_pay`` as
    ``simulate`` pays a rep: thresholds, caps, ramps, start and end, draws and SPIFs as the schedule has them."""
    credited, weighted, revenue, spif, quota = _rep_deals(plan, pop, months, start, mix, drawn)
    pm = [w if plan.pay_multiplier else None for w in weighted]
    one = plan.measures == ()
    paid = year_pay(plan, credited[0] if one else credited, spif, start, pm[0] if one else pm)
    if one:
        uncapped = _uncapped(plan)
    else:
        uncapped = replace(plan, measures=tuple(replace(m, plan=replace(m.plan, cap=None)) for m in plan.measures))
    has_cap = plan.cap is not None or any(m.plan.cap is not None for m in plan.measures)
    capped = (year_pay(uncapped, credited[0] if one else credited, spif, start, pm[0] if one else pm) > paid) if has_cap \
        else np.zeros(pop.reps, dtype=bool)
    q = float(quota) if quota > 0 else plan.quota * months / 12 * 100
    booked = revenue.sum(axis=1)
    att = booked / q
    credited_att = sum(c.sum(axis=1) for c in credited) / q
    if one:
        below = credited_att < (plan.threshold or 0.0)
    else:
        below = np.zeros(pop.reps, dtype=bool)
        for m, c in zip(plan.measures, credited, strict=True):
            if m.plan.threshold:  # below the gate of any measure, on that measure's own credited attainment
                below |= c.sum(axis=1) / float(quota_over(m.plan, start, months) or 1) < m.plan.threshold
    total = float(booked.sum()) / 100
    return {
        "reps": pop.reps, "seed": pop.seed,
        "total_payout": round(float(paid.sum()), 2),
        "total_revenue": round(total, 2),
        "cost_of_sales_pct": round(float(paid.sum()) / total * 100, 2) if total else 0.0,
        "share_below_threshold": round(float(below.mean()), 4),
        "share_at_or_above_quota": round(float((credited_att >= 1.0).mean()), 4),
        "share_capped": round(float(capped.mean()), 4),
        "credited_per_100_of_bookings": round(float(credit * 100), 2),
        "attainment": att, "credited_attainment": credited_att, "payout": paid,
    }
