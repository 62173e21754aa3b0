"""Payout schedules: bookings -> credit by pay period -> earned, SPIFs, draws and pay by month.

The schedule is exact: amounts are Fractions until each plan year's earnings to date are rounded,
once, half up, to the currency's minor unit; a month's line is the change in that rounded figure,
so lines add up to the total to the last cent (or yen, or fils).

- Plan years start at ``year_start`` (default January of the first booking's year); quarters
  follow them; the schedule covers every month of each plan year the bookings touch.
- ``measurement: standalone``: each pay period is measured alone and each month pays the period's
  earnings to date minus what earlier months earned. ``cumulative``: at each period end
  attainment = credited year to date / quota to date, earnings to date follow the plan with the
  target incentive to date, and the true-up pays earnings to date minus what earlier true-ups paid,
  never below 0 (a slow period's shortfall is carried); months inside a period pay only draws.
- A cancellation (negative row with a ``deal_id``) reverses the deal's credit in the periods it was
  credited, latest installment first, as far as the plan's ``clawback`` rule and window allow
  (prior-period processing): every closed true-up is recomputed on the restated credit and the
  difference from what was paid is paid or clawed back in the month of the cancellation.
- A clawback beyond the month's pay is a negative line under ``clawback_negative: true`` (and under
  standalone when the plan says nothing); a recoverable draw takes it onto its balance; otherwise it is
  carried and recovered from later incentive (cumulative's rule when the plan says nothing).
- A draw guarantees a minimum per pay period: equal monthly advances, trued up at period end
  against the period's earnings (never against clawbacks). Recoverable: the shortfall is a balance
  recovered from later earnings above the draw (at most ``recovery_limit`` of them); the draw runs
  ``term_months`` from the start, and its balance at the term's end or the rep's ``end`` is owed or
  forgiven as the plan says.

``period_ids``, ``earned_to_date`` and ``pay_months`` (in ``periods``) are the vectorized twins
the simulator uses; bookings are read in ``bookings``. The calendar of
plan years and periods is ``pay_calendar``; the month's draw and carried clawbacks, ``payroll``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from coursekit.engine.bookings import MICRO, Booking, for_rep
from coursekit.engine.money import exact, from_minor, json_number, to_minor
from coursekit.engine.pay_calendar import PayCalendar
from coursekit.engine.payout import cap_amount, earnings
from coursekit.engine.payroll import Payroll
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


class _Ledger:
    """Credit per pay period and each plan year's exact earnings to date."""

    def __init__(self, plan: Plan, cal: PayCalendar):
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
        plan = self.cal.plans[periods[-1]]  # the version in force at the measurement's end
        pay = earnings(plan, credit, quota, ti)
        if credit > 0:  # pay multipliers: the credit-weighted multiplier of what was sold
            pay *= sum((self.weighted[g] for g in periods), Fraction(0)) / credit
        cap = cap_amount(plan, cap_ti if cap_ti is not None else ti)
        return pay if cap is None else min(pay, cap)

    def year_to_date(self, y: int) -> Fraction:
        """Plan year ``y``'s earnings to date (exact)."""
        periods = self.cal.periods_of_year(y)
        year_ti = sum((self.cal.ti[g] for g in periods), Fraction(0))
        by_year = self.plan.cap_scope == "year"
        if self.plan.measurement == "cumulative":  # each year-to-date measurement (one unless a version restarts it)
            return sum((self._measure(r, year_ti if by_year else None) for r in self._segments(y)), Fraction(0))
        if not by_year:
            return sum((self._measure(range(g, g + 1), None) for g in periods), Fraction(0))
        # an annual cap on a shorter period: each period uncapped, the year's sum capped
        uncapped = sum((self._uncapped(g) for g in periods), Fraction(0))
        cap = cap_amount(self.cal.plans[periods[-1]], year_ti)
        return uncapped if cap is None else min(uncapped, cap)

    def _segments(self, y: int) -> list[range]:
        """The closed periods of year ``y``, split where a version restarts year to date."""
        periods = self.cal.periods_of_year(y)
        done = range(periods.start, periods.start + self.closed[y])
        starts = sorted({self.cal.seg_start[g] for g in done})
        return [range(a, b) for a, b in zip(starts, starts[1:] + [done.stop])]

    def settled(self, y: int, before: int, restate: bool) -> int:
        """Year ``y``'s incentive in minor units as its measurement settles it (see the module docstring).

        Standalone: earnings to date. Cumulative: the true-ups paid to date, each the year-to-date earnings
        less what earlier ones paid and never below 0, so their sum is the highest true-up so far; ``before``
        is that sum last month, or, with ``restate``, every closed true-up is recomputed on today's credit
        (prior-period processing after a cancellation)."""
        cur = self.plan.currency
        if self.plan.measurement != "cumulative":
            return to_minor(self.year_to_date(y), cur)
        if not restate and not self.plan.versions:
            return max(before, to_minor(self.year_to_date(y), cur))
        periods = self.cal.periods_of_year(y)
        year_ti = sum((self.cal.ti[g] for g in periods), Fraction(0)) if self.plan.cap_scope == "year" else None
        return sum((max((to_minor(self._measure(range(seg.start, k), year_ti), cur) for k in range(seg.start + 1, seg.stop + 1)),
                        default=0) for seg in self._segments(y)), 0)

    def _uncapped(self, g: int) -> Fraction:
        credit, quota, ti = self.credit[g], self.cal.quota[g], self.cal.ti[g]
        pay = earnings(self.cal.plans[g], credit, quota, ti)
        return pay * self.weighted[g] / credit if credit > 0 else pay

    def attainment(self, t: int) -> float:
        g = t // self.plan.months_per_period
        span = range(self.cal.seg_start[g], g + 1) if self.plan.measurement == "cumulative" else range(g, g + 1)
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


def schedule(plan: Plan, bookings: list[Booking], rep: str | None = None) -> Schedule:
    """The month-by-month payout schedule for one rep's bookings (exact; see the module docstring).

    A file crediting several reps (a `rep` column) needs ``rep``: that rep's split of each row is scheduled."""
    cur = plan.currency
    zero = from_minor(0, cur)
    bookings = for_rep(bookings, rep, cur)
    if not bookings:
        return Schedule((), zero, zero, zero, cur)
    for b in bookings:
        if plan.start is not None and b.date < plan.start:
            raise _error(b, "date", f"{b.date} is before the rep's start ({plan.start})", "remove the row or correct `start:`")
        if plan.end is not None and b.date > plan.end:
            raise _error(b, "date", f"{b.date} is after the rep's last day ({plan.end})", "remove the row or correct `end:`")
    cal = PayCalendar(plan, bookings)
    months = _incentive(plan, cal, bookings) if not plan.measures else _measures(plan, bookings)
    payroll = Payroll(plan, cal)
    rows, totals = [], [0, 0, 0]
    spif_exact, spif_to_date = Fraction(0), 0  # SPIFs to date, exact and in minor units (rounded once, as earnings)
    for t, m in enumerate(months):
        spif_exact += m.spif
        spif_minor = to_minor(spif_exact, cur) - spif_to_date  # a clawback's line is what makes the rounded total right
        spif_to_date += spif_minor
        earned, draw_line, balance, carried = payroll.month(t, m.gross, m.claw)
        paid = earned + spif_minor + draw_line
        rows.append(MonthRow(cal.label(t), from_minor(to_minor(m.credit, cur), cur), m.attainment,
                             *(from_minor(int(v), cur) for v in (earned, spif_minor, draw_line, balance, paid, carried + m.carried))))
        totals = [totals[0] + earned, totals[1] + spif_minor, totals[2] + paid]
    return Schedule(tuple(rows), *(from_minor(v, cur) for v in totals), cur)


@dataclass
class _Month:
    """One month of one measure's incentive, before draws: minor units except ``credit`` and ``spif`` (exact)."""

    gross: int  # the true-up (or change in earnings) with the month's bookings
    claw: int  # the change its cancellations make (prior-period processing)
    credit: Fraction  # credit booked this month, cancellations negative
    attainment: float
    spif: Fraction
    carried: int  # cumulative: paid beyond earnings to date


def _measures(plan: Plan, bookings: list[Booking]) -> list[_Month]:
    """Several weighted measures: each measure's incentive on the rows it matches (a measure naming nothing takes
    the rest), summed month by month; attainment is the weighted mean of the measures'."""
    rows: dict[str, list[Booking]] = {c.name: [] for c in plan.measures}
    rest = next((c for c in plan.measures if c.catch_all), None)
    for b in bookings:
        c = next((c for c in plan.measures if not c.catch_all and c.matches(b.segment, b.product, b.measure)),
                 rest if b.measure is None or (rest and rest.name == b.measure) else None)
        if c is None:
            said = ", ".join(f"{k} {v}" for k, v in (("measure", b.measure), ("product", b.product), ("segment", b.segment)) if v)
            raise _error(b, "measure", f"matches none of the plan's measures ({said or 'no product, segment or measure'})",
                         "name one in the `measure` column, or add a measure without product, segment or measure for the rest")
        rows[c.name].append(b)
    total: list[_Month] | None = None
    for c in plan.measures:
        share = exact(c.weight)
        months = _incentive(c.plan, PayCalendar(c.plan, bookings, ti_share=share), rows[c.name])
        for m in months:
            m.attainment *= float(share)
        total = months if total is None else [_Month(a.gross + b.gross, a.claw + b.claw, a.credit + b.credit,
                                                     a.attainment + b.attainment, a.spif + b.spif, a.carried + b.carried)
                                              for a, b in zip(total, months, strict=True)]
    for m in total:
        m.attainment = round(m.attainment, 4)
    return total


def _incentive(plan: Plan, cal: PayCalendar, bookings: list[Booking]) -> list[_Month]:
    """Each month's incentive of ``bookings`` under ``plan`` on calendar ``cal``."""
    cur = plan.currency
    led = _Ledger(plan, cal)
    mpp, T = plan.months_per_period, cal.months
    by_month: list[list[Booking]] = [[] for _ in range(T)]
    for b in sorted(bookings, key=lambda b: (b.date, b.micro < 0)):
        by_month[max(cal.month_of(b.date), cal.start)].append(b)
    deals: dict[str, _Deal] = {}
    settled = [0] * (T // 12)  # each plan year's incentive settled so far, minor units (rounded once)
    out = []
    for t in range(T):
        y = t // 12
        credited: dict[Fraction, int | Fraction] = {}  # credit multiplier -> millionths booked this month
        spif = Fraction(0)
        for b in (b for b in by_month[t] if b.micro > 0):
            cm = _book(plan, led, deals, b, t, t // mpp)
            credited[cm] = credited.get(cm, 0) + b.micro
            spif += _spif_paid(plan, deals, b)
        if plan.measurement == "cumulative" and cal.closes(t):
            led.closed[y] = (t % 12) // mpp + 1
        now = led.settled(y, settled[y], restate=False)
        gross, settled[y] = now - settled[y], now  # the month's true-up (or change in earnings), before cancellations
        touched: set[int] = set()
        for b in (b for b in by_month[t] if b.micro < 0):
            reversed_, s, yrs = _cancel(plan, led, deals, b, t)
            for cm, micro in reversed_:
                credited[cm] = credited.get(cm, 0) + micro
            spif, touched = spif + s, touched | yrs
        claw = 0  # prior-period processing: each touched year restated, the difference paid or recovered now
        for yy in sorted(touched):
            now = led.settled(yy, settled[yy], restate=True)
            claw, settled[yy] = claw + now - settled[yy], now
        carried = max(0, settled[y] - to_minor(led.year_to_date(y), cur)) if plan.measurement == "cumulative" else 0
        credit = sum((Fraction(v) * cm for cm, v in credited.items()), Fraction(0)) / MICRO
        out.append(_Month(gross, claw, credit, led.attainment(t), spif, carried))
    return out


def _book(plan: Plan, led: _Ledger, deals: dict[str, _Deal], b: Booking, t: int, g: int) -> Fraction:
    """Credit a positive booking to its period; returns its credit multiplier."""
    version = led.cal.plans[g]
    cm, pm = _mult(version.credit, b.segment, b.product), _mult(version.pay_multiplier, b.segment, b.product)
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
        version = led.cal.plans[t // mpp]
        cm, pm = _mult(version.credit, b.segment, b.product), _mult(version.pay_multiplier, b.segment, b.product)
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
    for inst in reversed(deal.installments):  # latest installment first
        x = min(left, inst.value - inst.cancelled)
        if x <= 0:
            continue
        inst.cancelled += x
        left -= x
        share = clawback_share(plan, (b.date - inst.date).days)
        if share:
            led.add(inst.period, -x * share, inst.credit, inst.pay)
            out.append((inst.credit, -x * share))
            years.add(inst.month // 12)
        if left == 0:
            break
    return out, _spif_clawback(plan, deal, b), years


def clawback_share(plan: Plan, days: int) -> Fraction:
    """Share of a cancelled installment's credit reversed ``days`` after its booking, by the plan's ``clawback``:
    full (1) within the window, none (0), or proportional to the part of the window left ((window - days) / window)."""
    window = plan.clawback_window_days
    if plan.clawback == "none" or (window is not None and days > window):
        return Fraction(0)
    if plan.clawback == "proportional":
        return Fraction(window - days, window) if window else Fraction(0)
    return Fraction(1)


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


__all__ = ["MonthRow", "Schedule", "schedule"]
