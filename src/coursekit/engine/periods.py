"""The simulator's vectorized twins of the schedule: pay periods, earnings to date and draws over arrays.

Standalone measurement, no cancellations; a test checks they agree with ``schedule``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from coursekit.engine.money import exact, to_minor
from coursekit.engine.payout import period_payout
from coursekit.engine.plan import Plan


def month_index(d: dt.date, start: tuple[int, int]) -> int:
    return (d.year - start[0]) * 12 + d.month - start[1]


def month_label(start: tuple[int, int], i: int) -> str:
    y, m = divmod(start[0] * 12 + start[1] - 1 + i, 12)
    return f"{y:04d}-{m + 1:02d}"


def period_ids(plan: Plan, start: tuple[int, int], months: int) -> np.ndarray:
    """Pay period of each month column, numbered from 0; periods follow the plan year (``year_start``)."""
    absolute = np.arange(months) + start[0] * 12 + start[1] - 1 - (plan.year_start_month - 1)
    ids = absolute // plan.months_per_period
    return ids - ids[0]


def earned_to_date(plan: Plan, known: np.ndarray, periods: np.ndarray) -> np.ndarray:
    """Earnings to date in cents, shape (reps, months), rounded once (not summed from rounded periods).

    ``known[r, p, t]``: cents credited to period p by the end of month t for rep r.
    """
    n_periods = int(periods.max()) + 1 if periods.size else 0
    started = np.arange(n_periods)[:, None] <= periods[None, :]  # (P, T)
    pay = period_payout(plan, known / 100.0 / plan.period_quota, cents=False)  # (R, P, T) in currency
    return np.rint((pay * started[None]).sum(axis=1) * 100).astype(np.int64)


def draw_guarantee(plan: Plan, owed_months: int) -> int:
    """Draw owed to date in a period after ``owed_months`` of its months, in minor units."""
    return to_minor(exact(plan.draw.amount) * owed_months / plan.months_per_period, plan.currency)


def pay_months(plan: Plan, earned: np.ndarray, spif: np.ndarray,
               periods: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Apply the draw month by month. Returns (draw, balance, paid) in cents, each (reps, months).

    ``periods`` is each month's pay period (``period_ids``; default: month 0 starts a period). The
    draw is advanced in equal monthly parts and trued up at period end (the same rule as ``schedule``).
    """
    due = earned + spif
    if plan.draw is None:
        z = np.zeros_like(due)
        return z, z, due
    months = due.shape[1]
    if periods is None:
        periods = np.arange(months) // plan.months_per_period
    draw, balance, paid = (np.zeros_like(due) for _ in range(3))
    state = DrawState.zeros(due.shape[0])
    k = 0
    for t in range(months):
        k = 1 if t == 0 or periods[t] != periods[t - 1] else k + 1
        draw[:, t], balance[:, t] = state.month(plan, earned[:, t], draw_guarantee(plan, k))
        paid[:, t] = due[:, t] + draw[:, t]
        if t + 1 == months or periods[t + 1] != periods[t]:
            state.close(plan)
    return draw, balance, paid


@dataclass
class DrawState:
    """A pay period's draw bookkeeping, vectorized over reps (numpy arrays) or for one rep (ints)."""

    earned: np.ndarray | int  # period's earnings to date (before clawbacks)
    advanced: np.ndarray | int  # draw outstanding in the period: max(0, guarantee - earned)
    recovered: np.ndarray | int  # recovered this period from the carried balance
    balance: np.ndarray | int  # recoverable balance carried in from earlier periods

    @classmethod
    def zeros(cls, reps: int | None = None) -> DrawState:
        z = np.zeros(reps, dtype=np.int64) if reps is not None else 0
        return cls(z, z, z, z)

    def month(self, plan: Plan, earned, guarantee: int):
        """(draw line, balance) for a month; ``guarantee`` is the draw owed to date in the period."""
        self.earned = self.earned + earned
        advanced = np.maximum(guarantee - self.earned, 0)
        recovered = np.minimum(self.balance, np.maximum(self.earned - guarantee, 0)) if plan.draw.recoverable else 0
        line = (advanced - self.advanced) - (recovered - self.recovered)
        self.advanced, self.recovered = advanced, recovered
        owed = self.balance - recovered + advanced if plan.draw.recoverable else 0 * advanced
        return line, owed

    def close(self, plan: Plan) -> None:
        """Period end: a recoverable shortfall joins the balance; a non-recoverable one is forgiven."""
        if plan.draw.recoverable:
            self.balance = self.balance - self.recovered + self.advanced
        self.earned, self.advanced, self.recovered = 0 * self.earned, 0 * self.earned, 0 * self.earned

