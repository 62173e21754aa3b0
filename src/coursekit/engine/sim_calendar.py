"""The simulator's calendar: the schedule's own ``PayCalendar`` read over a scenario's months.

A simulated year runs ``months`` months from ``start``; the schedule's calendar of the same plan (start, end,
pro-ration by months or days, ramp, quota relief, quota shares) gives each month's pay period, plan year, and
each period's exact quota and target incentive, so the vectorized pay twins measure what the schedule measures.
Columns are the scenario's months, numbered from 0.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import lru_cache

import numpy as np

from coursekit.engine.bookings import Booking
from coursekit.engine.money import exact
from coursekit.engine.pay_calendar import PayCalendar
from coursekit.engine.plan import Plan

DEAL_DAY = 28  # a deal closes on the 28th of its month (every month has one), moved inside the rep's start and end


@dataclass(frozen=True)
class SimCalendar:
    """Each column's plan year and pay period, and each period's exact quota (cents) and target incentive."""

    year: np.ndarray  # plan year of each column (0: the calendar's first)
    period: np.ndarray  # pay period of each column, numbered across the calendar
    quota: tuple[Fraction, ...]  # each period's quota in cents (pro-rated, ramped, relieved)
    ti: tuple[Fraction, ...]  # each period's target incentive in currency units (pro-rated)
    year_ti: tuple[Fraction, ...]  # each plan year's target incentive (the annual cap's base)
    closes: np.ndarray  # columns that end a pay period: its last month, or the rep's last month
    first: int  # first column the rep works (the month of `start`, else 0)
    credit_from: int  # first column credited: a deal before it (a part-month the pro-ration does not count) credits it
    last: int  # last column the rep works (the month of `end`, else the last column)
    draw_from: int  # first column a draw is owed
    draw_until: int  # columns before this owe a draw (term and end applied)
    end: int | None  # the column of the rep's last day, if inside the scenario
    start: tuple[int, int]
    rep_start: dt.date | None
    rep_end: dt.date | None

    def deal_day(self, column: int) -> dt.date:
        """The day a deal closing in ``column`` is dated: the 28th, moved inside the rep's start and end."""
        y, m = divmod(self.start[0] * 12 + self.start[1] - 1 + column, 12)
        day = dt.date(y, m + 1, DEAL_DAY)
        if self.rep_start is not None and day < self.rep_start:
            day = self.rep_start
        if self.rep_end is not None and day > self.rep_end:
            day = self.rep_end
        return day

    def worked(self) -> int:
        """Months the rep works in the scenario (from ``first`` to ``last``)."""
        return max(0, self.last - self.first + 1)


def _first_day(start: tuple[int, int], column: int) -> dt.date:
    y, m = divmod(start[0] * 12 + start[1] - 1 + column, 12)
    return dt.date(y, m + 1, 1)


@lru_cache(maxsize=512)
def sim_calendar(plan: Plan, start: tuple[int, int], months: int, ti_share: Fraction = Fraction(1)) -> SimCalendar:
    """The calendar of ``plan`` over ``months`` months from ``start`` (``ti_share``: a measure's share of the TI).

    Effective-dated versions are not followed: the simulator reads the plan as it starts the year (as ``plot`` and
    ``audit`` do), so its calendar is the first version's."""
    if plan.versions:
        plan = replace(plan, versions=())
    first_day, last_day = _first_day(start, 0), _first_day(start, months - 1)
    cal = PayCalendar(plan, [Booking(first_day, 0), Booking(last_day, 0)], ti_share=ti_share)
    off = cal.month_of(first_day)
    cols = off + np.arange(months)
    mpp = plan.months_per_period
    closes = (cols + 1) % mpp == 0
    end = None if cal.end is None or not 0 <= cal.end - off < months else cal.end - off
    if end is not None:
        closes[end] = True
    first = max(0, (cal.month_of(plan.start) - off) if plan.start is not None else 0)
    credit_from = max(0, cal.start - off)
    last = months - 1 if cal.end is None else min(months - 1, cal.end - off)
    years = cal.months // 12
    year_ti = tuple(sum((cal.ti[g] for g in cal.periods_of_year(y)), Fraction(0)) for y in range(years))
    return SimCalendar(cols // 12, cols // mpp, tuple(q * 100 for q in cal.quota), tuple(cal.ti), year_ti, closes,
                       first, credit_from, last, cal.draw_from - off, cal.draw_until - off, end, start, plan.start, plan.end)


@lru_cache(maxsize=4096)
def edges(share: Fraction, quotas: tuple[Fraction, ...]) -> np.ndarray:
    """The least whole cents of credit reaching ``share`` of each quota (cents): credit >= edge is attainment >= share,
    exactly (credit in whole cents)."""
    out = np.array([float(math.ceil(share * q)) for q in quotas])
    out.flags.writeable = False
    return out


def exact_share(x: float | None) -> Fraction:
    return Fraction(0) if x is None else exact(x)
