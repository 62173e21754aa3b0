"""A schedule's calendar: plan years and pay periods, and each period's quota and target incentive (start, end,
pro-ration, ramp, quota relief and effective-dated versions applied)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from coursekit.engine.bookings import MAX_PLAN_YEARS, Booking
from coursekit.engine.money import exact
from coursekit.engine.plan import Plan
from coursekit.errors import CourseError


def abs_month(d: dt.date) -> int:
    return d.year * 12 + d.month - 1


class PayCalendar:
    """Plan years, pay periods, and each period's quota and target incentive (start, end, ramp, relief, shares and
    versions applied; ``ti_share``: a weighted measure's share of the target incentive)."""

    def __init__(self, plan: Plan, bookings: list[Booking], ti_share: Fraction = Fraction(1)):
        self.plan, mpp = plan, plan.months_per_period
        first = min(b.date for b in bookings)
        last = max(b.date for b in bookings)
        for d in (plan.start, plan.end):
            if d is not None:
                first, last = min(first, d), max(last, d)
        a0 = abs_month(first)
        self.origin = a0 - (a0 - (plan.year_start_month - 1)) % 12  # first month of the first plan year
        years = (abs_month(last) - self.origin) // 12 + 1
        if years > MAX_PLAN_YEARS:
            late = max(bookings, key=lambda b: b.date)
            file, row = late.where()
            raise CourseError.at(file, "date", f"bookings span {years} plan years ({first} to {last})",
                                 f"keep a schedule within {MAX_PLAN_YEARS} years; check the year", row)
        self.months = years * 12
        self.start = self.draw_from = 0  # first month of quota and TI (pro-rating); first month a draw is owed
        self.until = self.months  # months before this count for quota and TI
        self.end: int | None = None  # the month of the rep's last day
        days = plan.proration == "days"  # else whole months: a partial first or last month does not count
        if plan.start is not None:
            self.draw_from = abs_month(plan.start) - self.origin
            self.start = self.draw_from + (1 if plan.start.day > 1 and not days else 0)
        if plan.end is not None:
            self.end = abs_month(plan.end) - self.origin
            self.until = self.end + (1 if days or (plan.end + dt.timedelta(days=1)).day == 1 else 0)
        term = plan.draw.term_months if plan.draw is not None else None
        self.draw_until = min(self.months if self.end is None else self.end + 1,
                              self.months if term is None else self.draw_from + term)  # months before this owe a draw
        ppy, n = plan.periods_per_year, self.months // mpp
        # the plan in force in each period (effective-dated versions), and where year to date starts over
        self.plans: list[Plan] = [plan] * n
        self.seg_start = [g - g % ppy for g in range(n)]  # first period of g's year-to-date measurement
        for v in plan.versions:
            g0 = self.month_of(v.start) // mpp
            for g in range(max(g0, 0), n):
                self.plans[g] = v.plan
                if not v.carry and g // ppy == g0 // ppy:
                    self.seg_start[g] = max(self.seg_start[g], g0)
        self.quota: list[Fraction] = []  # per global period
        self.ti: list[Fraction] = []
        first_period = self.start // mpp
        for g in range(n):
            pg = self.plans[g]
            shares = [exact(q) for q in pg.quotas] or [exact(pg.quota) / ppy] * ppy
            owed = self._days_share(g, plan.start, plan.end) if days else \
                Fraction(sum(1 for t in range(g * mpp, (g + 1) * mpp) if self.start <= t < self.until), mpp)
            k = g % ppy
            ramp = plan.ramp[g - first_period] if 0 <= g - first_period < len(plan.ramp) else 1
            relief = sum((exact(r.share) * self._days_share(g, r.start, r.end) for r in plan.relief), Fraction(0))
            self.quota.append(shares[k] * owed * exact(ramp) * max(Fraction(0), 1 - relief))
            self.ti.append(pg.target_incentive_exact() * ti_share * shares[k] / sum(shares) * owed)

    def _days_share(self, g: int, start: dt.date | None, end: dt.date | None) -> Fraction:
        """The share of period ``g``'s calendar days from ``start`` to ``end``, both counted (None: open)."""
        mpp = self.plan.months_per_period
        first = self.day(g * mpp)
        after = self.day((g + 1) * mpp)  # the next period's first day
        lo = max(first, start or first)
        hi = min(after, end + dt.timedelta(days=1) if end else after)
        return Fraction(max(0, (hi - lo).days), (after - first).days)

    def day(self, t: int) -> dt.date:
        """The first day of month ``t``."""
        y, m = divmod(self.origin + t, 12)
        return dt.date(y, m + 1, 1)

    def draw_owed(self, t: int) -> int:
        """Months of ``t``'s pay period up to ``t`` that owe a draw (from the start, within the term, to the end)."""
        g0 = t - t % self.plan.months_per_period
        return sum(1 for m in range(g0, t + 1) if self.draw_from <= m < self.draw_until)

    def closes(self, t: int) -> bool:
        """Whether month ``t`` ends a pay period: its last month, or the rep's last."""
        return (t + 1) % self.plan.months_per_period == 0 or t == self.end

    def month_of(self, d: dt.date) -> int:
        return abs_month(d) - self.origin

    def label(self, t: int) -> str:
        y, m = divmod(self.origin + t, 12)
        return f"{y:04d}-{m + 1:02d}"

    def periods_of_year(self, y: int) -> range:
        ppy = self.plan.periods_per_year
        return range(y * ppy, (y + 1) * ppy)
