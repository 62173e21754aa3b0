"""Bookings: one rep's CSV of dated amounts (cancellations negative), read exactly and bounded."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cached_property
from pathlib import Path

from coursekit.engine.money import round_half_up
from coursekit.errors import CourseError
from coursekit.io import read_text

MAX_BOOKINGS_BYTES = 20_000_000
MAX_PLAN_YEARS = 50  # a schedule longer than this is a typo in a date, not a career
MAX_AMOUNT = Decimal("1e12")
MICRO = 1_000_000


@dataclass(frozen=True)
class Booking:
    date: dt.date
    cents: int  # negative: a cancellation
    segment: str | None = None
    product: str | None = None
    deal_id: str | None = None
    amount: Decimal | None = None  # the amount as written (exact, any minor unit); None: cents / 100
    row: int | None = None  # line in the bookings file, for error messages
    file: str | None = None

    @cached_property
    def value(self) -> Fraction:
        """The exact amount in currency units."""
        return Fraction(self.amount) if self.amount is not None else Fraction(self.cents, 100)

    @cached_property
    def micro(self) -> int | Fraction:
        """The exact amount in millionths (an int for any amount with at most 6 decimals): fast exact sums."""
        if self.amount is None:
            return self.cents * 10_000
        if self.amount.as_tuple().exponent >= -6:
            return int(self.amount.scaleb(6))
        return self.value * MICRO

    def where(self) -> tuple[str, int | None]:
        return self.file or "<bookings>", self.row


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
            if not amount.is_finite() or abs(amount) > MAX_AMOUNT or amount.as_tuple().exponent < -6:
                raise InvalidOperation
        except ArithmeticError:  # InvalidOperation, Overflow (1E+999999999), Underflow
            raise CourseError.at(file, "amount", f"{row['amount'][:40]!r} is not an amount",
                                 "write a number like 12500.00 (at most 1,000,000,000,000)", n) from None
        seg, prod, deal = ((row.get(k) or "").strip() or None for k in ("segment", "product", "deal_id"))
        out.append(Booking(date, round_half_up(Fraction(amount), 2), seg, prod, deal, amount, n, file))
        first = out[0].date
        if abs(date.year - first.year) >= MAX_PLAN_YEARS:
            raise CourseError.at(file, "date", f"{date} is {abs(date.year - first.year)} years from the first booking ({first})",
                                 f"keep a file within {MAX_PLAN_YEARS} years; check the year", n)
    return out
