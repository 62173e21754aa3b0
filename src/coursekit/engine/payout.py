"""Payout of one measurement as a function of attainment: exact for money, vectorized for curves.

``earnings`` is the exact path (Fractions, plan numbers as written): schedules and ``payout`` at a
single attainment use it, so booking exactly 90% of a 58,333.33... monthly quota passes a 90%
threshold. ``period_payout`` is the vectorized float path for curves and the simulator: marginal
tiers and curves are piecewise linear in attainment, so both become knots for ``np.interp``;
retroactive tiers pick the reached band's rate with ``np.searchsorted``.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from numbers import Real

import numpy as np

from coursekit.engine.money import exact, from_minor, to_minor
from coursekit.engine.plan import Plan


@lru_cache(maxsize=256)
def _exact_plan(plan: Plan) -> tuple:
    """The plan's shape as Fractions: (gate, curve points, tier starts, tier (multiplier, rate) pairs, cap)."""
    gate = exact(plan.threshold) if plan.threshold is not None else Fraction(0)
    curve = tuple((exact(a), exact(p)) for a, p in plan.curve)
    if curve:
        gate = max(gate, curve[0][0])
    tiers = plan.effective_tiers()
    starts = tuple(exact(t.start) for t in tiers)
    rates = tuple((None if t.multiplier is None else exact(t.multiplier), None if t.rate is None else exact(t.rate)) for t in tiers)
    return gate, curve, starts, rates, None if plan.cap is None else exact(plan.cap)


def earnings(plan: Plan, sales: Fraction, quota: Fraction, ti: Fraction) -> Fraction:
    """Exact earnings of one measurement of ``sales`` against ``quota`` with target incentive ``ti``.

    Threshold, tiers or curve applied; the cap is not (``cap_amount`` gives it). At a boundary is over it.
    """
    if quota <= 0 or sales <= 0:
        return Fraction(0)
    gate, curve, starts, rates, _ = _exact_plan(plan)
    att = Fraction(sales) / quota
    if att < gate:
        return Fraction(0)
    if curve:
        for (x0, y0), (x1, y1) in zip(curve, curve[1:]):
            if att <= x1:
                return (y0 + (y1 - y0) * (att - x0) / (x1 - x0)) * ti
        (x0, y0), (x1, y1) = curve[-2], curve[-1]
        return max(Fraction(0), (y1 + (y1 - y0) / (x1 - x0) * (att - x1)) * ti)  # a falling end stops at 0
    bcr = Fraction(ti) / quota
    rate = [m * bcr if m is not None else r for m, r in rates]
    if plan.tier_mode == "retroactive":
        k = max(i for i, s in enumerate(starts) if s <= att)
        return rate[k] * sales
    pay = Fraction(0)
    for i, s in enumerate(starts):
        lo = s * quota
        hi = starts[i + 1] * quota if i + 1 < len(starts) else None
        if sales > lo:
            pay += rate[i] * ((sales if hi is None else min(sales, hi)) - lo)
    return pay


def cap_amount(plan: Plan, ti: Fraction) -> Fraction | None:
    """The most a measurement with target incentive ``ti`` pays, or None without a cap."""
    cap = _exact_plan(plan)[4]
    return None if cap is None else cap * ti


def exact_payout(plan: Plan, attainment: Real | Fraction) -> Decimal:
    """One average period's payout at ``attainment`` (as written: 0.9 is 9/10), in the plan's currency, half up."""
    quota, ti = exact(plan.quota) / plan.periods_per_year, plan.target_incentive_exact() / plan.periods_per_year
    sales = max(exact(attainment), Fraction(0)) * quota
    pay = earnings(plan, sales, quota, ti)
    cap = cap_amount(plan, ti)
    if cap is not None:
        pay = min(pay, cap)
    return from_minor(to_minor(pay, plan.currency), plan.currency)

FAR = 1e6  # an attainment no plan reaches: the knot that carries the last slope on


_KNOTS: dict[int, tuple[Plan, tuple[np.ndarray, np.ndarray]]] = {}


def knots(plan: Plan) -> tuple[np.ndarray, np.ndarray]:
    """(attainment, payout per period) knots of a marginal or curve plan, before threshold and cap."""
    hit = _KNOTS.get(id(plan))
    if hit is not None and hit[0] is plan:
        return hit[1]
    if len(_KNOTS) > 256:
        _KNOTS.clear()
    _KNOTS[id(plan)] = (plan, _knots(plan))
    return _KNOTS[id(plan)][1]


def _knots(plan: Plan) -> tuple[np.ndarray, np.ndarray]:
    if plan.curve:
        xs = np.array([p[0] for p in plan.curve], dtype=float)
        ys = np.array([p[1] for p in plan.curve], dtype=float) * plan.period_ti
        slope = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
        if xs[0] > 0:  # nothing below the first point: a step there, handled by `floor`
            xs, ys = np.concatenate([[0.0], xs]), np.concatenate([[0.0], ys])
    else:
        tiers = plan.effective_tiers()
        starts = np.array([t.start for t in tiers], dtype=float)
        rates = np.array(plan.tier_rates(), dtype=float) * plan.period_quota  # payout per unit attainment
        widths = np.diff(starts)
        ys = np.concatenate([[0.0], np.cumsum(rates[:-1] * widths)])
        xs, slope = starts, rates[-1]
    if slope < 0:  # a falling curve's extension stops at 0 where it reaches it
        zero = xs[-1] + ys[-1] / -slope
        return np.append(xs, [zero, FAR]), np.append(ys, [0.0, 0.0])
    xs = np.append(xs, FAR)
    ys = np.append(ys, ys[-1] + slope * (FAR - xs[-2]))
    return xs, ys


def floor(plan: Plan) -> float:
    """Attainment below which the period pays nothing: the threshold, or a curve's first point."""
    gate = plan.threshold or 0.0
    if plan.curve:
        gate = max(gate, plan.curve[0][0])
    return gate


def period_payout(plan: Plan, attainment, *, cents: bool = True) -> np.ndarray:
    """Payout of one period at each attainment (fraction of the period quota).

    Never negative, never above the cap; rounded to the cent unless ``cents=False``.
    """
    a = np.maximum(np.asarray(attainment, dtype=float), 0.0)
    if plan.tier_mode == "retroactive" and not plan.curve:
        starts = np.array([t.start for t in plan.effective_tiers()])
        rates = np.array(plan.tier_rates()) * plan.period_quota
        pay = rates[np.searchsorted(starts, a, side="right") - 1] * a
    else:
        xs, ys = knots(plan)
        pay = np.interp(a, xs, ys)
    gate = floor(plan)
    if gate > 0:
        pay = np.where(a < gate, 0.0, pay)
    if plan.cap is not None:
        pay = np.minimum(pay, plan.cap * plan.period_ti)
    return np.round(pay, 2) if cents else pay


def payout(plan: Plan, attainment) -> float | np.ndarray:
    """Like ``period_payout`` for an array; for one attainment the exact payout (``exact_payout``) as a float."""
    if np.ndim(attainment) == 0:
        value = float(attainment)
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"attainment {attainment!r} is not a finite number")
        return float(exact_payout(plan, attainment if isinstance(attainment, (int, Fraction)) else value))
    return period_payout(plan, attainment)


def payout_loop(plan: Plan, attainments) -> list[float]:
    """A plain-Python reference, written independently: the benchmark's floor and the tests' oracle."""
    out = []
    starts = [t.start for t in plan.effective_tiers()]
    rates = plan.tier_rates()
    for a in attainments:
        a = max(float(a), 0.0)
        if a < floor(plan):
            out.append(0.0)
            continue
        sales = a * plan.period_quota
        if plan.curve:
            pts = plan.curve
            share = None
            for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
                if a <= x1:
                    share = y0 + (y1 - y0) * (a - x0) / (x1 - x0)
                    break
            if share is None:
                (x0, y0), (x1, y1) = pts[-2], pts[-1]
                share = y1 + (y1 - y0) / (x1 - x0) * (a - x1)
            pay = max(share * plan.period_ti, 0.0)
        elif plan.tier_mode == "retroactive":
            k = max(i for i, s in enumerate(starts) if s <= a)
            pay = rates[k] * sales
        else:
            pay = 0.0
            for i, s in enumerate(starts):
                hi = starts[i + 1] * plan.period_quota if i + 1 < len(starts) else float("inf")
                lo = s * plan.period_quota
                if sales > lo:
                    pay += rates[i] * (min(sales, hi) - lo)
        if plan.cap is not None:
            pay = min(pay, plan.cap * plan.period_ti)
        out.append(round(pay, 2))
    return out


def cap_attainment(plan: Plan) -> float | None:
    """Attainment at which the cap is reached, if the plan has one and reaches it."""
    if plan.cap is None:
        return None
    target = plan.cap * plan.period_ti
    if plan.tier_mode != "retroactive" or plan.curve:
        xs, ys = knots(plan)
        if np.all(np.diff(ys) >= 0) and ys[-1] >= target:
            return max(float(np.interp(target, ys, xs)), floor(plan))
    grid = np.linspace(0, 10, 200_001)
    pay = period_payout(plan, grid, cents=False)
    hit = np.nonzero(pay >= plan.cap * plan.period_ti - 1e-9)[0]
    return float(grid[hit[0]]) if hit.size else None
