"""A compensation plan: the typed model of a plan file, validated field by field.

Numbers stay as written (int or float) so the vectorized curves and the simulator can use them;
the exact money paths read them through ``money.exact`` (0.9 is 9/10, not a binary float).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from coursekit.engine.currency import MINOR_UNITS
from coursekit.engine.money import exact
from coursekit.engine.plan_parts import Measure, Relief, Version, date_field, measures_from, opt_str, relief_from, versions_from
from coursekit.errors import Checker, CourseError
from coursekit.yamlio import load_mapping

PERIODS = {"annual": 1, "quarterly": 4, "monthly": 12}
TIER_MODES = ("marginal", "retroactive")
MEASUREMENTS = ("standalone", "cumulative")
CAP_SCOPES = ("period", "year")
SPIF_CLAWBACKS = ("full", "proportional", "none")
CLAWBACKS = ("full", "proportional", "none")
PRORATIONS = ("months", "days")
DRAW_ENDS = ("owed", "forgiven")
MAX_TERM_MONTHS = 600
MAX_TIERS = 200  # a real plan has a handful of tiers; 70,000 is an attack, refused with one line
MAX_RAMP = 24


class FrozenMap(Mapping):
    """A read-only, hashable mapping (nested dicts become FrozenMaps), so a Plan can be hashed."""

    def __init__(self, data: Mapping[str, Any] | None = None):
        self._d = {str(k): FrozenMap(v) if isinstance(v, Mapping) else v for k, v in (data or {}).items()}

    def __getitem__(self, key: str) -> Any:
        return self._d[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._d)

    def __len__(self) -> int:
        return len(self._d)

    def __hash__(self) -> int:
        return hash(frozenset(self._d.items()))

    def __repr__(self) -> str:
        return repr(self._d)

    def plain(self) -> dict[str, Any]:
        return {k: v.plain() if isinstance(v, FrozenMap) else v for k, v in self._d.items()}


@dataclass(frozen=True)
class Tier:
    """A band from ``start`` attainment up to the next tier, paid at ``multiplier`` x BCR or ``rate``."""

    start: float  # attainment where the band begins (YAML key `from`)
    multiplier: float | None = None  # multiple of the base commission rate
    rate: float | None = None  # or a share of credited sales


@dataclass(frozen=True)
class Spif:
    """A fixed sum once per deal, at the deal's first booking dated inside the window; paid outside the cap."""

    name: str
    amount: float
    product: str | None = None
    segment: str | None = None
    start: dt.date | None = None  # YAML key `from`
    end: dt.date | None = None  # YAML key `to`

    def matches(self, date: dt.date, segment: str | None, product: str | None) -> bool:
        return (
            (self.product is None or self.product == product)
            and (self.segment is None or self.segment == segment)
            and (self.start is None or date >= self.start)
            and (self.end is None or date <= self.end)
        )


@dataclass(frozen=True)
class Draw:
    """An advance against earnings, per plan period, paid in equal monthly parts and trued up at period end."""

    amount: float
    recoverable: bool = True
    recovery_limit: float | None = None  # most of a period's earnings above the draw that repays the balance (0.5: half)
    term_months: int | None = None  # months the draw runs from the rep's start (else the schedule's first month)
    at_term_end: str = "owed"  # owed: the balance is still recovered from later earnings | forgiven: written off
    at_end: str = "owed"  # at the rep's `end:` date: owed (repaid from the last pay) | forgiven


@dataclass(frozen=True)
class Plan:
    """A comp plan. Amounts are per year unless named per period."""

    name: str  # shown in charts and reports
    ote: float  # on-target earnings per year
    quota: float  # annual quota (the sum of `quotas` when those are given)
    currency: str = "USD"  # ISO 4217 code; pay is rounded half up to its minor unit
    variable_share: float = 0.5  # target incentive = ote x variable_share
    period: str = "annual"  # annual | quarterly | monthly
    threshold: float | None = None  # attainment below which the measurement pays nothing
    tiers: tuple[Tier, ...] = ()  # rate bands; default one band at the BCR
    tier_mode: str = "marginal"  # marginal | retroactive
    curve: tuple[tuple[float, float], ...] = ()  # (attainment, share of TI) points instead of tiers
    cap: float | None = None  # most a measurement pays, as a multiple of its target incentive
    credit: Mapping[str, Mapping[str, float]] = field(default_factory=FrozenMap)  # {segment|product: {value: multiplier}}
    draw: Draw | None = None
    spifs: tuple[Spif, ...] = ()
    traces_to: Mapping[str, str] = field(default_factory=FrozenMap)  # component -> priority or planning assumption
    quotas: tuple[float, ...] = ()  # per-period quotas (YAML `quota: [q1, q2, ...]`); TI split in their shares
    measurement: str = "standalone"  # standalone: each period alone | cumulative: year to date with catch-up
    cap_scope: str = "period"  # period | year: where the cap applies
    year_start: str | None = None  # YYYY-MM: first month of a plan year (default January)
    start: dt.date | None = None  # the rep's start: draws owed from then, first year pro-rated, ramp counted
    end: dt.date | None = None  # the rep's last day: nothing booked after it, last year pro-rated, draw balance settled
    proration: str = "months"  # a partial first or last period: whole months (a partial month does not count) | days
    relief: tuple[Relief, ...] = ()  # dated quota relief (a leave, a territory change)
    versions: tuple[Version, ...] = ()  # effective-dated changes, each from the first day of a pay period
    measures: tuple[Measure, ...] = ()  # several weighted measures, each with its quota and pay shape
    ramp: tuple[float, ...] = ()  # quota share for the first periods after `start` (else the first plan year's); TI unchanged
    pay_multiplier: Mapping[str, Mapping[str, float]] = field(default_factory=FrozenMap)  # pays more per unit, credits no quota
    spif_clawback: str = "full"  # full | proportional | none
    clawback_window_days: int | None = None  # cancellations later than this after the booking claw nothing back
    clawback: str = "full"  # commission on a cancelled deal: full | proportional (to the part of the window left) | none
    clawback_negative: bool | None = None  # a clawback beyond the month's pay: a negative check (true) or carried (false)

    def __post_init__(self) -> None:
        for name in ("credit", "traces_to", "pay_multiplier"):
            if not isinstance(getattr(self, name), FrozenMap):
                object.__setattr__(self, name, FrozenMap(getattr(self, name)))

    # derived figures
    @property
    def target_incentive(self) -> float:
        return self.ote * self.variable_share

    def target_incentive_exact(self) -> Fraction:
        """Target incentive as written: ote x variable_share in exact decimals."""
        return exact(self.ote) * exact(self.variable_share)

    @property
    def base(self) -> float:
        return self.ote - self.target_incentive

    @property
    def bcr(self) -> float:
        """Base commission rate: target incentive / quota."""
        return self.target_incentive / self.quota

    @property
    def periods_per_year(self) -> int:
        return PERIODS[self.period]

    @property
    def months_per_period(self) -> int:
        return 12 // self.periods_per_year

    @property
    def period_quota(self) -> float:
        """The average period's quota (the vectorized curves use it; schedules use each period's own)."""
        return self.quota / self.periods_per_year

    @property
    def period_ti(self) -> float:
        return self.target_incentive / self.periods_per_year

    @property
    def year_start_month(self) -> int:
        return int(self.year_start[5:7]) if self.year_start else 1

    def effective_tiers(self) -> tuple[Tier, ...]:
        return self.tiers or (Tier(0.0, 1.0),)

    def tier_rates(self) -> list[float]:
        """Each tier's rate as a share of credited sales."""
        return [t.rate if t.rate is not None else t.multiplier * self.bcr for t in self.effective_tiers()]

    def credit_multiplier(self, segment: str | None, product: str | None) -> float:
        return _multiplier(self.credit, segment, product)

    def pay_multiplier_for(self, segment: str | None, product: str | None) -> float:
        return _multiplier(self.pay_multiplier, segment, product)

    def components(self) -> list[str]:
        """The names the audit traces: quota, threshold, tiers, cap, credit and pay multipliers, SPIFs, draw, ramp."""
        out = ["quota"]
        if self.threshold is not None:
            out.append("threshold")
        if self.curve:
            out.append("curve")
        elif self.tiers:
            out += [f"tier {i + 1}" for i in range(len(self.tiers))]
        if self.cap is not None:
            out.append("cap")
        out += [f"credit.{kind}.{k}" for kind, m in sorted(self.credit.items()) for k in sorted(m)]
        out += [f"pay_multiplier.{kind}.{k}" for kind, m in sorted(self.pay_multiplier.items()) for k in sorted(m)]
        for m in self.measures:  # each measure, and its own threshold, tiers or curve and cap
            out += [f"measure.{m.name}"] + [f"measure.{m.name}.{c}" for c in m.plan.components()
                                            if c in ("threshold", "curve", "cap") or c.startswith("tier ")]
        out += [f"spif.{s.name}" for s in self.spifs]
        if self.draw is not None:
            out.append("draw")
        if self.ramp:
            out.append("ramp")
        return out

    def with_changes(self, **changes: Any) -> Plan:
        """A copy with fields replaced, validated like a file.

        Unless ``traces_to`` is among the changes, traces of components the copy no longer has (a tier
        a slider removed) are dropped rather than reported.
        """
        new = replace(self, **changes)
        if "traces_to" not in changes:
            keep = set(new.components())
            new = replace(new, traces_to={k: v for k, v in self.traces_to.items() if k in keep})
        return plan_from_dict(to_dict(new), "<plan>")


def _multiplier(table: Mapping[str, Mapping[str, float]], segment: str | None, product: str | None) -> float:
    m = 1.0
    if segment is not None:
        m *= table.get("segment", {}).get(segment, 1.0)
    if product is not None:
        m *= table.get("product", {}).get(product, 1.0)
    return m


KNOWN = {f.name for f in fields(Plan)} - {"quotas"}  # the keys a plan file may hold


def _quota(data: dict[str, Any], chk: Checker, period: str | None) -> tuple[float | None, tuple[float, ...]]:
    raw = data.get("quota", 1)
    if not isinstance(raw, list):
        return chk.number(raw, "quota", positive=True), ()
    n = PERIODS.get(period or "", 0)
    if len(raw) != n:
        chk.bad("quota", f"lists {len(raw)} quotas for {n or 'an unknown number of'} {period} periods",
                f"list one quota per period ({n}), or write the annual quota as one number")
        return None, ()
    nums = [chk.number(q, f"quota[{i}]", positive=True) for i, q in enumerate(raw)]
    if any(q is None for q in nums):
        return None, ()
    total = sum(exact(q) for q in nums)  # exact: [0.1, 0.2] sums to 0.3, not 0.30000000000000004
    return (int(total) if total.denominator == 1 else float(total)), tuple(nums)


def _tiers(data: dict[str, Any], chk: Checker) -> tuple[Tier, ...]:
    tiers: list[Tier] = []
    for f, t in chk.entries(data, "tiers", {"from", "multiplier", "rate"}, "write `- {from: 0.0, multiplier: 1.0}` items",
                            "write `{from: 1.0, multiplier: 2.0}`", max_items=MAX_TIERS):
        start = chk.number(t.get("from"), f + ".from")
        if ("multiplier" in t) == ("rate" in t):
            chk.bad(f, "needs exactly one of `multiplier` or `rate`", "write e.g. `multiplier: 2.0`")
            continue
        key = "multiplier" if "multiplier" in t else "rate"
        val = chk.number(t[key], f"{f}.{key}", minimum=0, fix="write 0 or more")
        if start is None or val is None:
            continue
        if tiers and start <= tiers[-1].start:
            chk.bad(f + ".from", f"{start} is not above the previous tier's {tiers[-1].start}", "list tiers in ascending `from` order")
        tiers.append(Tier(start, val if key == "multiplier" else None, val if key == "rate" else None))
    if tiers and tiers[0].start != 0:
        chk.bad("tiers[0].from", f"first tier starts at {tiers[0].start}", "start the first tier at 0.0 (use `threshold` for a gate)")
    return tuple(tiers)


def _curve(data: dict[str, Any], chk: Checker) -> tuple[tuple[float, float], ...]:
    raw = data.get("curve") or []
    if not isinstance(raw, list):
        chk.bad("curve", "must be a list of [attainment, payout] points", "write `[[0.75, 0.5], [1.0, 1.0]]`")
        return ()
    if len(raw) > MAX_TIERS:
        chk.bad("curve", f"has {len(raw):,} points, more than the {MAX_TIERS} allowed", "keep the points where the slope changes")
        return ()
    curve: list[tuple[float, float]] = []
    before = len(chk.problems)
    for i, pt in enumerate(raw):
        if not isinstance(pt, (list, tuple)) or len(pt) != 2:
            chk.bad(f"curve[{i}]", "must be a pair [attainment, payout share of TI]", "write e.g. [1.0, 1.0]")
            continue
        a, p = chk.number(pt[0], f"curve[{i}][0]"), chk.number(pt[1], f"curve[{i}][1]")
        if a is None or p is None:
            continue
        if a < 0 or p < 0:
            chk.bad(f"curve[{i}]", "attainment and payout must not be negative", "use 0 or more")
        if curve and a <= curve[-1][0]:
            chk.bad(f"curve[{i}]", f"attainment {a} is not above {curve[-1][0]}", "list points in ascending attainment")
        curve.append((a, p))
    if raw and len(curve) < 2 and len(chk.problems) == before:
        chk.bad("curve", "needs at least two points", "add a second point")
    return tuple(curve)


def _multipliers(data: dict[str, Any], chk: Checker, key: str) -> dict[str, dict[str, float]]:
    """`credit` or `pay_multiplier`: {segment|product: {name: multiplier}}."""
    raw = data.get(key) or {}
    if not isinstance(raw, dict):
        chk.bad(key, "must be a mapping", f"write `{key}: {{segment: {{enterprise: 1.5}}}}`")
        return {}
    out: dict[str, dict[str, float]] = {}
    for kind, m in raw.items():
        if kind not in ("segment", "product"):
            chk.bad(f"{key}.{kind}", "unknown kind", "use segment or product")
        elif not isinstance(m, dict):
            chk.bad(f"{key}.{kind}", "must map names to multipliers", f"write `{kind}: {{name: 1.5}}`")
        else:
            nums = {str(k): chk.number(v, f"{key}.{kind}.{k}", minimum=0, fix="write 0 or more") for k, v in m.items()}
            out[kind] = {k: v for k, v in nums.items() if v is not None}
    return out


def _draw(data: dict[str, Any], chk: Checker) -> Draw | None:
    d = data.get("draw")
    if d is None:
        return None
    if not isinstance(d, dict) or "amount" not in d:
        chk.bad("draw", "must be `{amount: N, recoverable: true|false}`", "add an amount")
        return None
    chk.unknown(d, {f.name for f in fields(Draw)}, "draw.")
    amt = chk.number(d["amount"], "draw.amount", positive=True)
    rec = d.get("recoverable", True)
    if not isinstance(rec, bool):
        chk.bad("draw.recoverable", f"{rec!r} is not true or false", "write true or false")
        return None
    limit = d.get("recovery_limit")
    if limit is not None:
        limit = chk.number(limit, "draw.recovery_limit", positive=True, fix="write the share of earnings above the draw, e.g. 0.5")
        if limit is not None and limit > 1:
            chk.bad("draw.recovery_limit", f"{limit} is more than all of the earnings above the draw",
                    "write a share between 0 and 1, e.g. 0.5 for 50%")
            limit = None
        elif limit is not None and not rec:
            chk.bad("draw.recovery_limit", "a non-recoverable draw has no balance to recover", "remove it, or set `recoverable: true`")
    term = d.get("term_months")
    if term is not None and (isinstance(term, bool) or not isinstance(term, int) or not 1 <= term <= MAX_TERM_MONTHS):
        chk.bad("draw.term_months", f"{term!r} is not a number of months", f"write whole months from 1 to {MAX_TERM_MONTHS}, e.g. 6")
        term = None
    ends = {k: chk.choice(d.get(k, "owed"), f"draw.{k}", DRAW_ENDS) for k in ("at_term_end", "at_end")}
    if amt is None or None in ends.values():
        return None
    return Draw(amt, rec, limit, term, ends["at_term_end"], ends["at_end"])


def _spifs(data: dict[str, Any], chk: Checker) -> tuple[Spif, ...]:
    spifs: list[Spif] = []
    for f, s in chk.entries(data, "spifs", {"name", "amount", "product", "segment", "from", "to"},
                            "write `- {name: ..., amount: ..., product: ...}`", "write `{name: Launch, amount: 1000, product: platform}`",
                            max_items=MAX_TIERS):
        amt = chk.number(s.get("amount"), f + ".amount", positive=True)
        sname = s.get("name")
        if not isinstance(sname, str) or not sname:
            chk.bad(f + ".name", "is missing", "name the SPIF")
            sname = None
        elif any(x.name == sname for x in spifs):
            chk.bad(f + ".name", f"{sname!r} is named twice", "give each SPIF its own name")
        start, end = date_field(s.get("from"), chk, f + ".from"), date_field(s.get("to"), chk, f + ".to")
        if start and end and end < start:
            chk.bad(f + ".to", "ends before it starts", "swap from and to")
        if amt is not None and sname:
            spifs.append(Spif(sname, amt, opt_str(s.get("product")), opt_str(s.get("segment")), start, end))
    return tuple(spifs)


def _calendar(data: dict[str, Any], chk: Checker) -> tuple[str | None, dt.date | None, dt.date | None, tuple[float, ...]]:
    """year_start, start, end and ramp."""
    ys = data.get("year_start")
    if isinstance(ys, dt.date):  # YAML read `2027-02-01` as a date: the day would be silently dropped
        chk.bad("year_start", f"{ys.isoformat()} is a day, and a plan year starts with a month",
                f"write the month alone, YYYY-MM: {ys.strftime('%Y-%m')}")
        ys = None
    elif ys is not None:
        text = str(ys)
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
            chk.bad("year_start", f"{ys!r} is not a month", "write YYYY-MM, e.g. 2027-02")
            ys = None
        else:
            ys = text
    start, end = date_field(data.get("start"), chk, "start"), date_field(data.get("end"), chk, "end")
    if start is not None and end is not None and end < start:
        chk.bad("end", f"{end} is before the start ({start})", "write the rep's last day, on or after `start:`")
        end = None
    raw = data.get("ramp") or []
    ramp: list[float] = []
    if not isinstance(raw, list) or len(raw) > MAX_RAMP:
        chk.bad("ramp", f"must be a list of at most {MAX_RAMP} quota shares", "write e.g. [0.25, 0.5, 0.75]")
        raw = []
    for i, r in enumerate(raw):
        v = chk.number(r, f"ramp[{i}]", positive=True)
        if v is not None and v > 1:
            chk.bad(f"ramp[{i}]", f"{v} is more than the full quota", "write a share of quota between 0 and 1")
        elif v is not None:
            ramp.append(v)
    return ys, start, end, tuple(ramp)


def _settled(data: dict[str, Any], chk: Checker, **values: Any) -> None:
    """Checks across fields, once each field is clean."""
    cap, currency = values["cap"], values["currency"]
    if cap is not None and cap < 1:
        chk.bad("cap", f"{cap} x target incentive is below the target incentive", "a cap is 1.0 or more (e.g. 2.0), or remove it")
    if isinstance(currency, str) and currency.upper() not in MINOR_UNITS:
        chk.bad("currency", f"{currency!r} is not an ISO 4217 currency code", "write a code such as USD, EUR, JPY")
    comps = set(values["plan_components"])
    for k in values["traces"]:
        if str(k) not in comps:
            chk.bad(f"traces_to.{k}", "names a component the plan does not have", "use one of: " + ", ".join(sorted(comps)))



def plan_from_dict(data: dict[str, Any], file: str | Path = "<plan>", lines: Mapping[str, int] | None = None) -> Plan:
    """Validate a plan mapping; raises CourseError listing every problem, one line each."""
    if not isinstance(data, dict):
        raise CourseError.at(file, "plan", "must be a mapping of fields", "write `name:`, `ote:`, `quota:` ...")
    chk = Checker(file, lines)
    chk.unknown(data, KNOWN)
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        chk.bad("name", "is missing", "add `name: My plan`")
    for req in ("ote", "quota"):
        if req not in data:
            chk.bad(req, "is missing", f"add `{req}:` (per year, more than 0)")
    period = chk.choice(data.get("period", "annual"), "period", tuple(PERIODS))
    ote = chk.number(data.get("ote", 1), "ote", positive=True)
    quota, quotas = _quota(data, chk, period)
    vs = chk.number(data.get("variable_share", 0.5), "variable_share")
    if vs is not None and not 0 < vs <= 1:
        chk.bad("variable_share", f"{vs} is outside (0, 1]", "write the incentive's share of OTE, e.g. 0.5")
    currency = data.get("currency", "USD")
    if not isinstance(currency, str) or not currency.isalpha() or len(currency) != 3:
        chk.bad("currency", f"{currency!r} is not a 3-letter code", "write e.g. USD")
        currency = None
    threshold = data.get("threshold")
    if threshold is not None:
        threshold = chk.number(threshold, "threshold")
        if threshold is not None and not 0 <= threshold < 10:
            chk.bad("threshold", f"{threshold} is not an attainment", "write a fraction, e.g. 0.5 for 50%")
    if "tiers" in data and "curve" in data:
        chk.bad("tiers", "both `tiers` and `curve` are given", "keep one of them")
    cap = data.get("cap")
    if cap is not None:
        cap = chk.number(cap, "cap", positive=True, fix="write a multiple of target incentive, e.g. 3.0")
    window = data.get("clawback_window_days")
    if window is not None and (isinstance(window, bool) or not isinstance(window, int) or not 0 <= window <= 36600):
        chk.bad("clawback_window_days", f"{window!r} is not a number of days", "write whole days, e.g. 90")
    traces = data.get("traces_to") or {}
    if not isinstance(traces, dict) or not all(isinstance(v, str) for v in traces.values()):
        chk.bad("traces_to", "must map component names to what they trace to", "write `{quota: capacity model}`")
        traces = {}
    year_start, start, end, ramp = _calendar(data, chk)
    clawback = chk.choice(data.get("clawback", "full"), "clawback", CLAWBACKS)
    if clawback == "proportional" and window is None:
        chk.bad("clawback", "proportional scales a clawback by the part of the window left, and there is no window",
                "add `clawback_window_days: 90` or the window the plan document names, or use full")
    negative = data.get("clawback_negative")
    if negative is not None and not isinstance(negative, bool):
        chk.bad("clawback_negative", f"{negative!r} is not true or false",
                "write true to let a clawback make a negative check, or false to carry it")
        negative = None
    fields_ = dict(
        name=name.strip() if isinstance(name, str) else "", ote=ote, quota=quota, currency=(currency or "USD").upper(),
        variable_share=vs, period=period, threshold=threshold, tiers=_tiers(data, chk),
        tier_mode=chk.choice(data.get("tier_mode", "marginal"), "tier_mode", TIER_MODES), curve=_curve(data, chk), cap=cap,
        credit=_multipliers(data, chk, "credit"), draw=_draw(data, chk), spifs=_spifs(data, chk),
        traces_to={str(k): v for k, v in traces.items()}, quotas=quotas,
        measurement=chk.choice(data.get("measurement", "standalone"), "measurement", MEASUREMENTS),
        cap_scope=chk.choice(data.get("cap_scope", "period"), "cap_scope", CAP_SCOPES),
        year_start=year_start, start=start, end=end, ramp=ramp, pay_multiplier=_multipliers(data, chk, "pay_multiplier"),
        spif_clawback=chk.choice(data.get("spif_clawback", "full"), "spif_clawback", SPIF_CLAWBACKS),
        clawback_window_days=window, clawback=clawback, clawback_negative=negative,
        proration=chk.choice(data.get("proration", "months"), "proration", PRORATIONS), relief=relief_from(data, chk),
    )
    chk.raise_if_any()
    plan = Plan(**fields_)
    if data.get("versions"):
        plan = replace(plan, versions=versions_from(data, chk, plan, plan_from_dict))
        chk.raise_if_any()
    if data.get("measures"):
        plan = replace(plan, measures=measures_from(data, chk, plan_from_dict))
        chk.raise_if_any()
    _settled(data, chk, cap=cap, vs=vs, currency=currency, traces=traces, plan_components=plan.components())
    chk.raise_if_any()
    return plan


_DRAW_DEFAULTS = {"recovery_limit": None, "term_months": None, "at_term_end": "owed", "at_end": "owed"}


def load_plan(path: str | Path) -> Plan:
    """Read a plan YAML file."""
    data, lines = load_mapping(path, "plan")
    return plan_from_dict(data, path, lines)


def to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as plain data in the file format (round-trips through ``plan_from_dict``)."""
    d: dict[str, Any] = {"name": plan.name, "currency": plan.currency, "ote": plan.ote,
                         "variable_share": plan.variable_share, "quota": list(plan.quotas) if plan.quotas else plan.quota,
                         "period": plan.period}
    if plan.threshold is not None:
        d["threshold"] = plan.threshold
    if plan.tiers:
        d["tiers"] = [{"from": t.start, **({"multiplier": t.multiplier} if t.multiplier is not None else {"rate": t.rate})} for t in plan.tiers]
        d["tier_mode"] = plan.tier_mode
    if plan.curve:
        d["curve"] = [list(p) for p in plan.curve]
    if plan.cap is not None:
        d["cap"] = plan.cap
    if plan.credit:
        d["credit"] = FrozenMap(plan.credit).plain()
    if plan.draw:
        d["draw"] = {k: v for k, v in asdict(plan.draw).items() if k not in _DRAW_DEFAULTS or v != _DRAW_DEFAULTS[k]}
    if plan.spifs:
        d["spifs"] = [{k: v for k, v in {"name": s.name, "amount": s.amount, "product": s.product, "segment": s.segment,
                                          "from": s.start, "to": s.end}.items() if v is not None} for s in plan.spifs]
    if plan.traces_to:
        d["traces_to"] = dict(plan.traces_to)
    if plan.relief:
        d["relief"] = [{k: v for k, v in {"from": r.start, "to": r.end, "share": r.share, "reason": r.reason}.items()
                        if v is not None} for r in plan.relief]
    if plan.versions:
        d["versions"] = [v.plain() for v in plan.versions]
    if plan.measures:
        d["measures"] = [c.plain() for c in plan.measures]
    defaults = {"measurement": "standalone", "cap_scope": "period", "year_start": None, "start": None, "end": None, "ramp": (),
                "pay_multiplier": {}, "spif_clawback": "full", "clawback_window_days": None, "clawback": "full",
                "clawback_negative": None, "proration": "months"}
    for key, default in defaults.items():
        value = getattr(plan, key)
        if value != default:
            d[key] = list(value) if isinstance(value, tuple) else FrozenMap(value).plain() if isinstance(value, Mapping) else value
    return d
