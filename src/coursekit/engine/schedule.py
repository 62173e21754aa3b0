"""Payout schedules: bookings -> credited sales by month -> earned, draws and pay by month.

Amounts are integer cents throughout, so a year of bookings adds up exactly. Earnings to date at
month t are the sum over pay periods of the period's payout on what is credited to it by month t;
what a month earns is the change in that sum. A cancellation is credited to the period of the
booking it cancels (matched by ``deal_id``), so it claws back exactly what that booking earned.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np

from ..errors import CourseError, read_text
from .payout import period_payout
from .plan import Plan

MAX_BOOKINGS_BYTES = 20_000_000


@dataclass(frozen=True)
class Booking:
    date: dt.date
    cents: int  # negative: a cancellation
    segment: str | None = None
    product: str | None = None
    deal_id: str | None = None


@dataclass(frozen=True)
class MonthRow:
    month: str  # YYYY-MM
    credited: float
    attainment: float  # period-to-date
    earned: float
    spif: float
    draw: float
    balance: float
    paid: float


@dataclass(frozen=True)
class Schedule:
    months: tuple[MonthRow, ...]
    total_earned: float
    total_spif: float
    total_paid: float
    currency: str = "USD"

    def to_dict(self) -> dict:
        return {
            "months": [r.__dict__ for r in self.months],
            "total_earned": self.total_earned,
            "total_spif": self.total_spif,
            "total_paid": self.total_paid,
        }

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([r.__dict__ for r in self.months]).set_index("month")


def read_bookings(path: str | Path) -> list[Booking]:
    """Read a bookings CSV (`date,amount`, optional `segment,product,deal_id`)."""
    text = read_text(path, "bookings", MAX_BOOKINGS_BYTES)
    return parse_bookings(text, str(path))


def parse_bookings(text: str, file: str = "<bookings>") -> list[Booking]:
    rows = csv.DictReader(io.StringIO(text))
    cols = rows.fieldnames or []
    for need in ("date", "amount"):
        if need not in cols:
            raise CourseError.at(file, need, "column is missing", "the first line must name columns, e.g. `date,amount`", 1)
    unknown = set(cols) - {"date", "amount", "segment", "product", "deal_id"}
    if unknown:
        raise CourseError.at(file, sorted(unknown)[0], "unknown column", "use date, amount, segment, product, deal_id", 1)
    out = []
    for n, row in enumerate(rows, start=2):
        if None in row:
            raise CourseError.at(file, "row", "has more values than columns", "remove the extra commas", n)
        try:
            date = dt.date.fromisoformat((row["date"] or "").strip())
        except ValueError:
            raise CourseError.at(file, "date", f"{row['date']!r} is not a date", "write YYYY-MM-DD", n) from None
        try:
            amount = Decimal((row["amount"] or "").strip().replace("_", ""))
            if not amount.is_finite() or abs(amount) > Decimal("1e12"):
                raise InvalidOperation
        except InvalidOperation:
            raise CourseError.at(file, "amount", f"{row['amount']!r} is not an amount", "write a number like 12500.00", n) from None
        seg, prod, deal = ((row.get(k) or "").strip() or None for k in ("segment", "product", "deal_id"))
        out.append(Booking(date, int((amount * 100).to_integral_value()), seg, prod, deal))
    return out


def month_index(d: dt.date, start: tuple[int, int]) -> int:
    return (d.year - start[0]) * 12 + d.month - start[1]


def month_label(start: tuple[int, int], i: int) -> str:
    y, m = divmod(start[0] * 12 + start[1] - 1 + i, 12)
    return f"{y:04d}-{m + 1:02d}"


def period_ids(plan: Plan, start: tuple[int, int], months: int) -> np.ndarray:
    """Calendar pay period of each month column, numbered from 0."""
    absolute = np.arange(months) + start[0] * 12 + start[1] - 1
    ids = absolute // plan.months_per_period
    return ids - ids[0]


def earned_to_date(plan: Plan, known: np.ndarray, periods: np.ndarray) -> np.ndarray:
    """Earnings to date in cents, shape (reps, months).

    ``known[r, p, t]``: cents credited to period p by the end of month t for rep r.
    """
    n_periods = int(periods.max()) + 1 if periods.size else 0
    started = np.arange(n_periods)[:, None] <= periods[None, :]  # (P, T)
    pay = period_payout(plan, known / 100.0 / plan.period_quota)  # (R, P, T) in currency, cents-rounded
    pay_cents = np.rint(pay * 100).astype(np.int64)
    return (pay_cents * started[None]).sum(axis=1)


def pay_months(plan: Plan, earned: np.ndarray, spif: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Apply the draw month by month. Returns (draw, balance, paid) in cents, each (reps, months)."""
    due = earned + spif
    if plan.draw is None:
        z = np.zeros_like(due)
        return z, z, due
    monthly = int(round(plan.draw.amount * 100 / plan.months_per_period))
    draw, balance, paid = (np.zeros_like(due) for _ in range(3))
    owed = np.zeros(due.shape[0], dtype=np.int64)
    for t in range(due.shape[1]):
        short = np.maximum(monthly - due[:, t], 0)
        repay = np.where(short > 0, 0, np.minimum(owed, due[:, t] - monthly)) if plan.draw.recoverable else 0
        if plan.draw.recoverable:
            owed = owed + short - repay
        draw[:, t], balance[:, t] = short, owed
        paid[:, t] = due[:, t] + short - repay
    return draw, balance, paid


def schedule(plan: Plan, bookings: list[Booking]) -> Schedule:
    """The month-by-month payout schedule for one rep's bookings."""
    if not bookings:
        return Schedule((), 0.0, 0.0, 0.0, plan.currency)
    first, last = min(b.date for b in bookings), max(b.date for b in bookings)
    start = (first.year, first.month)
    months = month_index(last, start) + 1
    periods = period_ids(plan, start, months)
    n_periods = int(periods[-1]) + 1
    known = np.zeros((1, n_periods, months), dtype=np.int64)
    credited = np.zeros(months, dtype=np.int64)
    spif = np.zeros((1, months), dtype=np.int64)
    origin: dict[str, tuple[int, Booking]] = {}
    for b in sorted(bookings, key=lambda b: (b.date, -b.cents)):
        t = month_index(b.date, start)
        p, ref = int(periods[t]), b
        if b.cents < 0 and b.deal_id in origin:
            p, ref = origin[b.deal_id]
        elif b.cents > 0 and b.deal_id:
            origin[b.deal_id] = (p, b)
        c = int(round(b.cents * plan.credit_multiplier(ref.segment, ref.product)))
        known[0, p, t:] += c
        credited[t] += c
        sign = 1 if b.cents > 0 else -1
        spif[0, t] += sign * sum(int(round(s.amount * 100)) for s in plan.spifs if s.matches(ref.date, ref.segment, ref.product))
    to_date = earned_to_date(plan, known, periods)
    earned = np.diff(to_date, axis=1, prepend=0)
    draw, balance, paid = pay_months(plan, earned, spif)
    ptd = known[0, periods, np.arange(months)]
    rows = tuple(
        MonthRow(month_label(start, t), int(credited[t]) / 100, round(float(ptd[t]) / 100 / plan.period_quota, 4),
                 int(earned[0, t]) / 100, int(spif[0, t]) / 100, int(draw[0, t]) / 100, int(balance[0, t]) / 100, int(paid[0, t]) / 100)
        for t in range(months)
    )
    return Schedule(rows, int(earned.sum()) / 100, int(spif.sum()) / 100, int(paid.sum()) / 100, plan.currency)
