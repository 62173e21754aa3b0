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


def pay_months(plan: Plan, earned: np.ndarray, spif: np.ndarray, periods: np.ndarray | None = None,
               draw_from: int = 0, draw_until: int | None = None, end: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Apply the draw month by month. Returns (draw, balance, paid) in cents, each (reps, months).

    ``periods`` is each month's pay period (``period_ids``; default: month 0 starts a period). The
    draw is advanced in equal monthly parts and trued up at period end (the same rule as ``schedule``'s
    payroll): owed from month ``draw_from`` (the rep's start) to before ``draw_until`` (default: the
    ``term_months`` from ``draw_from``), never after month ``end`` (the rep's last), whose close settles
    the balance as the draw's ``at_end`` says; the term's end forgives it when ``at_term_end`` says so.
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
    term = plan.draw.term_months
    term_last = None if term is None else draw_from + term - 1
    until = draw_until if draw_until is not None else months if term is None else draw_from + term
    k = 0
    for t in range(months):
        k = 1 if t == 0 or periods[t] != periods[t - 1] else k + 1
        if end is not None and t > end:  # no draw after the rep left
            paid[:, t] = due[:, t]
            continue
        owed = sum(1 for m in range(t - k + 1, t + 1) if draw_from <= m < until)
        draw[:, t], balance[:, t] = state.month(plan, earned[:, t], draw_guarantee(plan, owed))
        if t + 1 == months or periods[t + 1] != periods[t] or t == end:
            state.close(plan)
            ending = []
            if term_last is not None and t - k + 1 <= term_last <= t:
                ending.append(plan.draw.at_term_end)
            if t == end:
                ending.append(plan.draw.at_end)
                if plan.draw.at_end == "owed":  # repaid from the last pay: the check may be negative
                    draw[:, t] -= state.balance
            if ending and ("forgiven" in ending or t == end):
                state.forgive()
                balance[:, t] = 0
        paid[:, t] = due[:, t] + draw[:, t]
    return draw, balance, paid


def share_half_up(x, limit: float | None):
    """``limit`` x ``x`` for amounts ``x`` >= 0 in minor units (ints or int arrays), rounded half up, exactly."""
    if limit is None:
        return x
    f = exact(limit)
    n, d = f.numerator, f.denominator
    q, r = divmod(x, d)  # n x / d = n q + n r / d, with n r small enough for int64
    return n * q + (2 * n * r + d) // (2 * d)


@dataclass
class DrawState:
    """A pay period's draw bookkeeping, vectorized over reps (numpy arrays) or for one rep (ints)."""

    earned: np.ndarray | int  # period's earnings to date (before clawbacks)
    advanced: np.ndarray | int  # draw outstanding in the period: max(0, guarantee - earned)
    recovered: np.ndarray | int  # recovered this period from the carried balance
    balance: np.ndarray | int  # recoverable balance carried in from earlier periods (and clawbacks it took on)

    @classmethod
    def zeros(cls, reps: int | None = None) -> DrawState:
        z = np.zeros(reps, dtype=np.int64) if reps is not None else 0
        return cls(z, z, z, z)

    def month(self, plan: Plan, earned, guarantee: int, clawback=0):
        """(draw line, balance) for a month; ``guarantee`` is the draw owed to date in the period.

        A recoverable draw takes a ``clawback`` (minor units, >= 0) onto its balance: the draw line advances
        it, so no negative check is written, and it is recovered like any balance. Recovery takes at most
        ``recovery_limit`` of the period's earnings above the draw."""
        draw = plan.draw
        self.earned = self.earned + earned
        advanced = np.maximum(guarantee - self.earned, 0)
        recovered = 0
        if draw.recoverable:
            self.balance = self.balance + clawback
            recovered = np.minimum(self.balance, share_half_up(np.maximum(self.earned - guarantee, 0), draw.recovery_limit))
            # recovered only from this month's earnings not spent truing up the advance: a balance that grew by a
            # clawback is not taken from earnings already paid out earlier in the period (no negative check)
            recovered = np.minimum(recovered, self.recovered + np.maximum(earned + advanced - self.advanced, 0))
        line = (advanced - self.advanced) - (recovered - self.recovered) + (clawback if draw.recoverable else 0)
        self.advanced, self.recovered = advanced, recovered
        return line, self.owed(plan)

    def owed(self, plan: Plan):
        """The recoverable balance outstanding now (0 for a non-recoverable draw)."""
        return self.balance - self.recovered + self.advanced if plan.draw.recoverable else 0 * self.advanced

    def close(self, plan: Plan) -> None:
        """Period end: a recoverable shortfall joins the balance; a non-recoverable one is forgiven."""
        if plan.draw.recoverable:
            self.balance = self.balance - self.recovered + self.advanced
        self.earned, self.advanced, self.recovered = 0 * self.earned, 0 * self.earned, 0 * self.earned

    def forgive(self) -> None:
        """Write the balance off (after ``close``): the term ended or the rep left with the balance forgiven."""
        self.balance = 0 * self.balance
