"""Exact money: plan numbers as the decimals written, amounts as integer minor units, half-up rounding.

A YAML float such as 0.9 is read as the decimal it was written as (``Decimal(repr(0.9))``, so 9/10
exactly), never as the binary float 0.90000000000000002220. Attainment and quotas are
``Fraction``; money is rounded once, half up, to the currency's minor unit (ISO 4217).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from numbers import Rational

from coursekit.engine.currency import minor_unit


def exact(x: float | int | str | Decimal | Fraction) -> Fraction:
    """The number as written: floats through their shortest repr (0.9 -> 9/10), never their binary value."""
    if isinstance(x, Rational):  # int, Fraction
        return Fraction(x)
    if isinstance(x, float):
        return Fraction(Decimal(repr(x)))
    return Fraction(Decimal(str(x)))


def round_half_up(x: Fraction, places: int = 0) -> int:
    """``x`` in units of 10**-places, rounded half away from zero: 12.505 -> 1251 at 2 places."""
    scaled = Fraction(x) * 10**places
    n, r = divmod(abs(scaled.numerator), scaled.denominator)
    if 2 * r >= scaled.denominator:
        n += 1
    return n if scaled >= 0 else -n


def to_minor(x: Fraction, currency: str) -> int:
    """An amount in the currency's minor units (cents, whole yen, fils), rounded half up."""
    return round_half_up(x, minor_unit(currency))


def cents(x: float | int | str | Decimal | Fraction) -> int:
    """An amount as written, in whole cents, half up (12.505 -> 1251): the one cents converter."""
    return round_half_up(exact(x), 2)


def from_minor(units: int, currency: str) -> Decimal:
    """Minor units back to a Decimal with exactly the currency's decimal places."""
    places = minor_unit(currency)
    return Decimal(units).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def json_number(d: Decimal) -> int | float | str:
    """A JSON value for an exact amount: an int or float when that float prints the same decimal, else the string."""
    if d == d.to_integral_value() and abs(d) < 2**53:
        return int(d) if d.as_tuple().exponent >= 0 else float(d)
    f = float(d)
    return f if Decimal(repr(f)) == d else str(d)


def money(x: float | int | str | Decimal | Fraction, places: int = 0) -> str:
    """An amount for people: the exact decimal of the number as written, rounded half-up, thousands separated
    ("134,913" for 134,912.5). The one place the course formats money for display."""
    q = (Decimal(x.numerator) / Decimal(x.denominator)) if isinstance(x, Fraction) else Decimal(str(x))
    q = q.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return f"{q:,.{places}f}"
