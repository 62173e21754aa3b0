"""Payout schedules: bookings -> credit by pay period -> earned, SPIFs, draws and pay by month.

The schedule is exact: amounts are Fractions until each plan year's earnings to date are rounded,
once, half up, to the currency's minor unit; a month's line is the change in that rounded figure,
so lines add up to the total to the last cent (or yen, or fils).

- Plan years start at ``year_start`` (default January of the first booking's year); quarters
  follow them; the schedule covers every month of each plan year the bookings touch.
- ``measurement: standalone``: each pay period is measured alone and each month pays the period's
  earnings to date minus what earlier months earned. ``cumulative``: at each period end
  attainment = credited year to date / quota to date, earnings to date follow the plan with the
  target incentive to date, and the true-up pays earnings to date minus what was paid (a negative
  difference is carried, never a negative check); months inside a period pay only draws.
- A cancellation (negative row with a ``deal_id``) reverses the deal's credit in the periods it was
  credited, latest installment first; the change is a negative line in the month of the cancellation.
- A draw guarantees a minimum per pay period: equal monthly advances, trued up at period end
  against the period's earnings (never against clawbacks). Recoverable: the shortfall is a balance
  recovered from later earnings above the draw.

``period_ids``, ``earned_to_date`` and ``pay_months`` (in ``periods``) are the vectorized twins
the simulator uses; bookings are read in ``bookings``. Both are re-exported here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from coursekit.engine.bookings import MAX_BOOKINGS_BYTES, MAX_PLAN_YEARS, MICRO, Booking, parse_bookings, read_bookings
from coursekit.engine.currency import minor_unit
from coursekit.engine.money import exact, from_minor, json_number, to_minor
from coursekit.engine.payout import cap_amount, earnings
from coursekit.engine.periods import DrawState, draw_guarantee, earned_to_date, month_index, month_label, pay_months, period_ids
from coursekit.engine.plan import Plan, Spif
from coursekit.errors import CourseError


@dataclass(frozen=True)
class MonthRow:
    month: str  # YYYY-MM
    credited: Decimal  # credit booked this month (cancellations negative)
    attainment: float  # period to date (standalone) or year to date (cumulative), 4 decimals
    earned: Decimal  # incentive earned this month: true-ups, and clawbacks as negative lines
    spif: Decimal
    draw: Decimal  # advances (+), their true-up and recovery of a recoverable balance (-)
    balance: Decimal  # recoverable draw outstanding
    paid: Decimal
    carried: Decimal = Decimal(0)  # cumulative: paid beyond earnings to date, recovered from later true-ups


@dataclass(frozen=True)
class Schedule:
    months: tuple[MonthRow, ...]
    total_earned: Decimal
    total_spif: Decimal
    total_paid: Decimal
    currency: str = "USD"

    def to_dict(self) -> dict:
        """Plain JSON data; amounts are numbers that print as their exact decimals (strings past float range)."""
        def num(v):
            return json_number(v) if isinstance(v, Decimal) else v

        return {
            "currency": self.currency,
            "months": [{k: num(v) for k, v in asdict(r).items()} for r in self.months],
            "total_earned": num(self.total_earned),
            "total_spif": num(self.total_spif),
            "total_paid": num(self.total_paid),
        }

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([{k: float(v) if isinstance(v, Decimal) else v for k, v in asdict(r).items()}
                             for r in self.months]).set_index("month")


# --- the exact schedule -------------------------------------------------------------------------------

def _abs_month(d: dt.date) -> int:
    return d.year * 12 + d.month - 1


@lru_cache(maxsize=1024)
def _mult(table, segment: str | None, product: str | None) -> Fraction:
    m = Fraction(1)
    if segment is not None and segment in table.get("segment", {}):
        m *= exact(table["segment"][segment])
    if product is not None and product in table.get("product", {}):
        m *= exact(table["product"][product])
    return m


@dataclass
class _Installment:
    month: int
    period: int
    value: int | Fraction  # booked amount, millionths
    credit: Fraction  # credit multiplier
    pay: Fraction  # pay multiplier
    date: dt.date
    cancelled: int | Fraction = 0


@dataclass
class _Deal:
    installments: list[_Installment] = field(default_factory=list)
    cancelled: int | Fraction = 0  # millionths
    spifs: dict[str, tuple[Fraction, dt.date]] = field(default_factory=dict)  # SPIF name -> (amount, date paid)
    clawed: dict[str, Fraction] = field(default_factory=dict)

    @property
    def booked(self) -> int | Fraction:
        return sum(i.value for i in self.installments)


class _Calendar:
    """Plan years, pay periods, and each month's quota and target incentive (start, ramp and shares applied)."""

    def __init__(self, plan: Plan, bookings: list[Booking]):
        self.plan, mpp = plan, plan.months_per_period
        first = min(b.date for b in bookings)
        last = max(b.date for b in bookings)
        if plan.start is not None:
            first, last = min(first, plan.start), max(last, plan.start)
        a0 = _abs_month(first)
        self.origin = a0 - (a0 - (plan.year_start_month - 1)) % 12  # first month of the first plan year
        years = (_abs_month(last) - self.origin) // 12 + 1
        if years > MAX_PLAN_YEARS:
            late = max(bookings, key=lambda b: b.date)
            file, row = late.where()
            raise CourseError.at(file, "date", f"bookings span {years} plan years ({first} to {last})",
                                 f"keep a schedule within {MAX_PLAN_YEARS} years; check the year", row)
        self.months = years * 12
        self.start = self.draw_from = 0  # first month of quota and TI (pro-rating); first month a draw is owed
        if plan.start is not None:
            self.draw_from = _abs_month(plan.start) - self.origin
            self.start = self.draw_from + (1 if plan.start.day > 1 else 0)  # a start after the 1st counts from the next month
        ppy = plan.periods_per_year
        shares = [exact(q) for q in plan.quotas] or [exact(plan.quota) / ppy] * ppy
        total = sum(shares)
        ti = plan.target_incentive_exact()
        self.quota: list[Fraction] = []  # per global period
        self.ti: list[Fraction] = []
        first_period = self.start // mpp
        for g in range(self.months // mpp):
            owed = sum(1 for t in range(g * mpp, (g + 1) * mpp) if t >= self.start)
            k = g % ppy
            ramp = plan.ramp[g - first_period] if 0 <= g - first_period < len(plan.ramp) else 1
            self.quota.append(shares[k] * owed / mpp * exact(ramp))
            self.ti.append(ti * shares[k] / total * owed / mpp)

    def month_of(self, d: dt.date) -> int:
        return _abs_month(d) - self.origin

    def label(self, t: int) -> str:
        y, m = divmod(self.origin + t, 12)
        return f"{y:04d}-{m + 1:02d}"

    def periods_of_year(self, y: int) -> range:
        ppy = self.plan.periods_per_year
        return range(y * ppy, (y + 1) * ppy)


class _Ledger:
    """Credit per pay period and each plan year's exact earnings to date."""

    def __init__(self, plan: Plan, cal: _Calendar):
        self.plan, self.cal = plan, cal
        n = len(cal.quota)
        self.buckets: list[dict[tuple[Fraction, Fraction], int | Fraction]] = [{} for _ in range(n)]
        self._totals: dict[int, tuple[Fraction, Fraction]] = {}
        self.closed = [0] * (cal.months // 12)  # cumulative: periods of each year trued up so far

    def add(self, period: int, micro: int | Fraction, credit: Fraction, pay: Fraction) -> None:
        """Book ``micro`` millionths at credit multiplier ``credit`` and pay multiplier ``pay`` (integer sums per pair)."""
        bucket = self.buckets[period]
        bucket[credit, pay] = bucket.get((credit, pay), 0) + micro
        self._totals.pop(period, None)

    def totals(self, period: int) -> tuple[Fraction, Fraction]:
        """(credit, credit x pay multiplier) of a period, in currency units."""
        hit = self._totals.get(period)
        if hit is None:
            items = self.buckets[period].items()
            hit = (sum((Fraction(v) * c for (c, _), v in items), Fraction(0)) / MICRO,
                   sum((Fraction(v) * c * p for (c, p), v in items), Fraction(0)) / MICRO)
            self._totals[period] = hit
        return hit

    @property
    def credit(self) -> _Column:
        return _Column(self, 0)

    @property
    def weighted(self) -> _Column:
        return _Column(self, 1)

    def _measure(self, periods: range, cap_ti: Fraction | None) -> Fraction:
        """Earnings of one measurement over ``periods`` (credit, quota and TI summed), capped at ``cap_ti``'s cap."""
        credit = sum((self.credit[g] for g in periods), Fraction(0))
        quota = sum((self.cal.quota[g] for g in periods), Fraction(0))
        ti = sum((self.cal.ti[g] for g in periods), Fraction(0))
        pay = earnings(self.plan, credit, quota, ti)
        if credit > 0:  # pay multipliers: the credit-weighted multiplier of what was sold
            pay *= sum((self.weighted[g] for g in periods), Fraction(0)) / credit
        cap = cap_amount(self.plan, cap_ti if cap_ti is not None else ti)
        return pay if cap is None else min(pay, cap)

    def year_to_date(self, y: int) -> Fraction:
        """Plan year ``y``'s earnings to date (exact)."""
        periods = self.cal.periods_of_year(y)
        year_ti = sum((self.cal.ti[g] for g in periods), Fraction(0))
        by_year = self.plan.cap_scope == "year"
        if self.plan.measurement == "cumulative":
            done = range(periods.start, periods.start + self.closed[y])
            return self._measure(done, year_ti if by_year else None) if done else Fraction(0)
        if not by_year:
            return sum((self._measure(range(g, g + 1), None) for g in periods), Fraction(0))
        # an annual cap on a shorter period: each period uncapped, the year's sum capped
        uncapped = sum((self._uncapped(g) for g in periods), Fraction(0))
        cap = cap_amount(self.plan, year_ti)
        return uncapped if cap is None else min(uncapped, cap)

    def _uncapped(self, g: int) -> Fraction:
        credit, quota, ti = self.credit[g], self.cal.quota[g], self.cal.ti[g]
        pay = earnings(self.plan, credit, quota, ti)
        return pay * self.weighted[g] / credit if credit > 0 else pay

    def attainment(self, t: int) -> float:
        mpp, ppy = self.plan.months_per_period, self.plan.periods_per_year
        g = t // mpp
        span = range((g // ppy) * ppy, g + 1) if self.plan.measurement == "cumulative" else range(g, g + 1)
        quota = sum((self.cal.quota[p] for p in span), Fraction(0))
        return round(float(sum((self.credit[p] for p in span), Fraction(0)) / quota), 4) if quota else 0.0


class _Column:
    """``ledger.credit[g]`` / ``ledger.weighted[g]``: one column of the ledger's per-period totals."""

    def __init__(self, ledger: _Ledger, i: int):
        self.ledger, self.i = ledger, i

    def __getitem__(self, period: int) -> Fraction:
        return self.ledger.totals(period)[self.i]


def _error(b: Booking, field_: str, problem: str, fix: str) -> CourseError:
    file, row = b.where()
    return CourseError.at(file, field_, problem, fix, row)


def schedule(plan: Plan, bookings: list[Booking]) -> Schedule:
    """The month-by-month payout schedule for one rep's bookings (exact; see the module docstring)."""
    cur = plan.currency
    zero = from_minor(0, cur)
    if not bookings:
        return Schedule((), zero, zero, zero, cur)
    cal = _Calendar(plan, bookings)
    led = _Ledger(plan, cal)
    mpp, T = plan.months_per_period, cal.months
    by_month: list[list[Booking]] = [[] for _ in range(T)]
    for b in sorted(bookings, key=lambda b: (b.date, b.micro < 0)):
        if plan.start is not None and b.date < plan.start:
            raise _error(b, "date", f"{b.date} is before the rep's start ({plan.start})", "remove the row or correct `start:`")
        by_month[max(cal.month_of(b.date), cal.start)].append(b)
    deals: dict[str, _Deal] = {}
    years = T // 12
    etd = [0] * years  # each plan year's earnings to date, minor units (rounded once)
    paid_ytd = [0] * years  # cumulative: incentive paid to date in the year
    draws = DrawState.zeros()
    rows, totals = [], [0, 0, 0]
    spif_exact, spif_to_date = Fraction(0), 0  # SPIFs to date, exact and in minor units (rounded once, as earnings)
    for t in range(T):
        y = t // 12
        credited: dict[Fraction, int | Fraction] = {}  # credit multiplier -> millionths booked this month
        spif = Fraction(0)
        touched = {y}
        for b in (b for b in by_month[t] if b.micro > 0):
            cm = _book(plan, led, deals, b, t, t // mpp)
            credited[cm] = credited.get(cm, 0) + b.micro
            spif += _spif_paid(plan, deals, b)
        if plan.measurement == "cumulative" and (t + 1) % mpp == 0:
            led.closed[y] = (t % 12) // mpp + 1
        gross_etd = list(etd)  # earnings to date with this month's bookings, before its cancellations
        gross_etd[y] = to_minor(led.year_to_date(y), cur)
        cancels = [b for b in by_month[t] if b.micro < 0]
        for b in cancels:
            reversed_, s, yrs = _cancel(plan, led, deals, b, t)
            for cm, micro in reversed_:
                credited[cm] = credited.get(cm, 0) + micro
            spif, touched = spif + s, touched | yrs
        gross, claw = _settle(plan, led, touched, bool(cancels), gross_etd, etd, paid_ytd)
        spif_exact += spif
        spif_minor = to_minor(spif_exact, cur) - spif_to_date  # a clawback's line is what makes the rounded total right
        spif_to_date += spif_minor
        draw_line, balance = 0, 0
        if plan.draw is not None:
            owed = sum(1 for m in range((t // mpp) * mpp, t + 1) if m >= cal.draw_from)
            draw_line, balance = draws.month(plan, gross, draw_guarantee(plan, owed))
            if (t + 1) % mpp == 0:
                draws.close(plan)
        earned = gross + claw
        paid = earned + spif_minor + int(draw_line)
        carried = max(0, paid_ytd[y] - etd[y]) if plan.measurement == "cumulative" else 0
        credit = sum((Fraction(v) * cm for cm, v in credited.items()), Fraction(0)) / MICRO
        rows.append(MonthRow(cal.label(t), from_minor(to_minor(credit, cur), cur), led.attainment(t),
                             *(from_minor(int(v), cur) for v in (earned, spif_minor, draw_line, balance, paid, carried))))
        totals = [totals[0] + earned, totals[1] + spif_minor, totals[2] + paid]
    return Schedule(tuple(rows), *(from_minor(v, cur) for v in totals), cur)


def _settle(plan: Plan, led: _Ledger, years: set[int], cancelled: bool, gross_etd: list[int], etd: list[int],
            paid_ytd: list[int]) -> tuple[int, int]:
    """A month's (incentive paid, clawback) in minor units; updates ``etd`` and ``paid_ytd`` in place.

    ``gross_etd``: each year's earnings to date with the month's bookings but before its cancellations.
    Standalone pays the change in earnings to date; cumulative pays earnings to date minus what was
    paid, never less than 0 (the shortfall is carried). Cancellations are clawbacks in both.
    """
    gross = claw = 0
    for y in sorted(years):
        now = to_minor(led.year_to_date(y), plan.currency) if cancelled else gross_etd[y]
        if plan.measurement == "cumulative":
            pay = max(0, gross_etd[y] - paid_ytd[y])  # a shortfall is carried, never a negative check
            paid_ytd[y] += pay + (now - gross_etd[y])
        else:
            pay = gross_etd[y] - etd[y]
        gross, claw = gross + pay, claw + now - gross_etd[y]
        etd[y] = now
    return gross, claw


def _book(plan: Plan, led: _Ledger, deals: dict[str, _Deal], b: Booking, t: int, g: int) -> Fraction:
    """Credit a positive booking to its period; returns its credit multiplier."""
    cm, pm = _mult(plan.credit, b.segment, b.product), _mult(plan.pay_multiplier, b.segment, b.product)
    deal = deals.setdefault(_deal_key(b), _Deal())
    deal.installments.append(_Installment(t, g, b.micro, cm, pm, b.date))
    led.add(g, b.micro, cm, pm)
    return cm


def _deal_key(b: Booking) -> str:
    return f"id:{b.deal_id}" if b.deal_id else f"row:{b.file}:{b.row}:{id(b)}"


def _spif_paid(plan: Plan, deals: dict[str, _Deal], b: Booking) -> Fraction:
    """SPIFs this booking earns: each SPIF once per deal, at the deal's first matching row."""
    deal = deals[_deal_key(b)]
    out = Fraction(0)
    for s in plan.spifs:
        if s.name not in deal.spifs and s.matches(b.date, b.segment, b.product):
            amount = _spif_amount(s)
            deal.spifs[s.name] = (amount, b.date)
            out += amount
    return out


@lru_cache(maxsize=256)
def _spif_amount(s: Spif) -> Fraction:
    return exact(s.amount)


def _cancel(plan: Plan, led: _Ledger, deals: dict[str, _Deal], b: Booking,
            t: int) -> tuple[list[tuple[Fraction, int | Fraction]], Fraction, set[int]]:
    """A negative row: ((credit multiplier, millionths) reversed, SPIF change, plan years whose earnings change)."""
    mpp = plan.months_per_period
    if not b.deal_id:  # nets in its own month and period
        cm, pm = _mult(plan.credit, b.segment, b.product), _mult(plan.pay_multiplier, b.segment, b.product)
        led.add(t // mpp, b.micro, cm, pm)
        return [(cm, b.micro)], Fraction(0), {t // 12}
    deal = deals.get(_deal_key(b))
    if deal is None:
        raise _error(b, "deal_id", f"cancels deal {b.deal_id!r}, which was never booked before {b.date}",
                     "check the deal_id, or date the cancellation after its booking")
    left = -b.micro
    if left > deal.booked - deal.cancelled:
        raise _error(b, "amount", f"cancels {float(left / MICRO):,.2f} of deal {b.deal_id!r}, which has only "
                     f"{float((deal.booked - deal.cancelled) / MICRO):,.2f} left to cancel", "cancel at most what the deal booked")
    deal.cancelled += left
    out, years = [], set()
    window = plan.clawback_window_days
    for inst in reversed(deal.installments):  # latest installment first
        x = min(left, inst.value - inst.cancelled)
        if x <= 0:
            continue
        inst.cancelled += x
        left -= x
        if window is None or (b.date - inst.date).days <= window:
            led.add(inst.period, -x, inst.credit, inst.pay)
            out.append((inst.credit, -x))
            years.add(inst.month // 12)
        if left == 0:
            break
    return out, _spif_clawback(plan, deal, b), years


def _spif_clawback(plan: Plan, deal: _Deal, b: Booking) -> Fraction:
    """SPIF taken back by a cancellation: full once the deal is cancelled in full, or the cancelled share."""
    out = Fraction(0)
    for name, (amount, paid_on) in deal.spifs.items():
        window = plan.clawback_window_days
        if plan.spif_clawback == "none" or (window is not None and (b.date - paid_on).days > window):
            continue
        share = Fraction(1) if deal.cancelled >= deal.booked else Fraction(0)
        if plan.spif_clawback == "proportional":
            share = Fraction(deal.cancelled) / deal.booked
        target = amount * share
        out -= target - deal.clawed.get(name, Fraction(0))
        deal.clawed[name] = target
    return out


__all__ = ["MAX_BOOKINGS_BYTES", "Booking", "MonthRow", "Schedule", "earned_to_date", "minor_unit", "month_index",
           "month_label", "parse_bookings", "pay_months", "period_ids", "read_bookings", "schedule"]
