"""Bookings: a CSV of dated amounts (cancellations negative), read exactly and bounded.

A file holds one rep's bookings, or several reps' when a `rep` column names them: a row may credit
several reps (`rep: alice;bob`, `split: 0.6;0.4`, shares adding up to 100%). ``for_rep`` gives one
rep's rows, each the amount times the rep's share rounded half up to the minor unit, any remaining
minor unit to the first rep listed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cached_property
from pathlib import Path

from coursekit.engine.money import exact, from_minor, round_half_up, to_minor
from coursekit.errors import CourseError
from coursekit.io import read_text, repeated

MAX_BOOKINGS_BYTES = 20_000_000
MAX_PLAN_YEARS = 50  # a schedule longer than this is a typo in a date, not a career
MAX_AMOUNT = Decimal("1e12")
MICRO = 1_000_000
MAX_SPLIT = 20  # reps credited on one row
COLUMNS = ("date", "amount", "segment", "product", "deal_id", "rep", "split", "measure")


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
    reps: tuple[tuple[str, Fraction], ...] = ()  # (rep, share) credited by the row; () for a one-rep file
    measure: str | None = None  # which of a plan's components the row credits (else its product or segment)

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
    twice = repeated(cols)
    if twice is not None:  # csv.DictReader keeps the last one silently
        raise CourseError.at(file, twice, "is a column header written twice", "rename or remove one of them", 1)
    for need in ("date", "amount"):
        if need not in cols:
            raise CourseError.at(file, need, "column is missing", "the first line must name columns, e.g. `date,amount`", 1)
    unknown = set(cols) - set(COLUMNS)
    if unknown:
        raise CourseError.at(file, sorted(unknown)[0], "unknown column", "use " + ", ".join(COLUMNS), 1)
    if "split" in cols and "rep" not in cols:
        raise CourseError.at(file, "split", "shares without a `rep` column", "add a `rep` column naming the reps", 1)
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
        reps = _reps(row.get("rep"), row.get("split"), file, n) if "rep" in cols else ()
        measure = (row.get("measure") or "").strip() or None
        out.append(Booking(date, round_half_up(Fraction(amount), 2), seg, prod, deal, amount, n, file, reps, measure))
        first = out[0].date
        if abs(date.year - first.year) >= MAX_PLAN_YEARS:
            raise CourseError.at(file, "date", f"{date} is {abs(date.year - first.year)} years from the first booking ({first})",
                                 f"keep a file within {MAX_PLAN_YEARS} years; check the year", n)
    return out


def _reps(names: str | None, split: str | None, file: str, n: int) -> tuple[tuple[str, Fraction], ...]:
    """A row's (rep, share) pairs: `alice;bob` with `0.6;0.4` (or `60%;40%`); one rep needs no split."""
    who = [x.strip() for x in (names or "").split(";")]
    if not all(who) or len(who) > MAX_SPLIT:
        raise CourseError.at(file, "rep", f"{(names or '')[:40]!r} does not name the reps",
                             f"write one name, or up to {MAX_SPLIT} separated by `;`", n)
    if len(set(who)) < len(who):
        raise CourseError.at(file, "rep", f"{names[:40]!r} names a rep twice", "name each rep once, with one share", n)
    raw = [x.strip() for x in (split or "").split(";")] if (split or "").strip() else []
    if not raw and len(who) == 1:
        return ((who[0], Fraction(1)),)
    if len(raw) != len(who):
        raise CourseError.at(file, "split", f"{len(raw)} share{'s' * (len(raw) != 1)} for {len(who)} reps", "give each rep listed its share, e.g. `0.6;0.4`", n)
    shares = []
    for x in raw:
        try:
            f = exact(Decimal(x[:-1]) / 100) if x.endswith("%") else exact(Decimal(x))
        except (ArithmeticError, ValueError):
            raise CourseError.at(file, "split", f"{x[:20]!r} is not a share", "write a share such as 0.6 or 60%", n) from None
        if not 0 < f <= 1:
            raise CourseError.at(file, "split", f"{x[:20]!r} is not a share between 0 and 100%", "write a share such as 0.6 or 60%", n)
        shares.append(f)
    if sum(shares) != 1:
        total = float(sum(shares)) * 100
        raise CourseError.at(file, "split", f"the shares add up to {total:.6g}%, not 100%", "make the shares add up to exactly 100%", n)
    return tuple(zip(who, shares))


def reps_of(bookings: list[Booking]) -> list[str]:
    """The reps a file credits, in the order they first appear (none for a one-rep file without a `rep` column)."""
    return list(dict.fromkeys(name for b in bookings for name, _ in b.reps))


def for_rep(bookings: list[Booking], rep: str | None, currency: str) -> list[Booking]:
    """One rep's bookings: each row's amount times the rep's share, half up to the currency's minor unit, any
    remaining minor unit to the first rep listed. A file without reps is returned as it is; a file with
    several reps needs ``rep``."""
    names = reps_of(bookings)
    if not names:
        return bookings
    file = bookings[0].file or "<bookings>"
    if rep is None:
        if len(names) > 1:
            raise CourseError.at(file, "rep", f"the file credits {len(names)} reps ({', '.join(names[:10])})",
                                 "name the rep to schedule, or keep one rep's rows")
        rep = names[0]
    if rep not in names:
        raise CourseError.at(file, "rep", f"{rep!r} is credited on no row", "use one of: " + ", ".join(names[:10]))
    out = []
    for b in bookings:
        shares = dict(b.reps)
        if rep not in shares:
            continue
        total = to_minor(b.value, currency)
        parts = [to_minor(b.value * share, currency) for _, share in b.reps]
        mine = parts[[name for name, _ in b.reps].index(rep)] + (total - sum(parts) if b.reps[0][0] == rep else 0)
        amount = from_minor(mine, currency)
        out.append(replace(b, cents=round_half_up(Fraction(amount), 2), amount=amount, reps=()))
    return out
