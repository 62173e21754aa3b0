"""Plan parts that date or split a plan: quota relief, effective-dated versions and weighted measures, with their
validation (problems named `relief[i].field`, `versions[i].field`, `measures[i].field`).

Versions and measures are whole plans built by ``plan.plan_from_dict`` (passed in as ``build``, so this module does
not import the plan module it serves).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from coursekit.engine.money import exact
from coursekit.errors import Checker, CourseError, Problem


def date_field(value: Any, chk: Checker, field_: str) -> dt.date | None:
    """A date field of a plan (YAML date or YYYY-MM-DD text), or None with a problem reported."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        chk.bad(field_, f"{value!r} is not a date", "write YYYY-MM-DD")
        return None


def opt_str(v: Any) -> str | None:
    return None if v is None else str(v)


@dataclass(frozen=True)
class Relief:
    """Quota relief: from ``start`` to ``end`` (both days counted) the quota is reduced by ``share``; TI unchanged."""

    start: dt.date  # YAML key `from`
    end: dt.date  # YAML key `to`
    share: float  # 1.0: no quota at all over those days (a leave); 0.3: a territory change taking 30%
    reason: str | None = None


@dataclass(frozen=True)
class Measure:
    """One weighted measure of a plan: ``weight`` of the target incentive, paid by ``plan`` (the plan with the
    measure's quota, threshold, tiers or curve and cap) on the bookings rows it matches."""

    name: str
    weight: float  # share of the target incentive
    product: str | None
    segment: str | None
    measure: str | None  # the bookings file's `measure` column
    changes: str  # the measure's own keys, as JSON (to_dict writes them back)
    plan: Any  # the Plan this part is (plan.Plan; not imported: plan imports this module)

    def matches(self, segment: str | None, product: str | None, measure: str | None) -> bool:
        """Whether a row is this measure's: its `measure` column names it (by name or `measure:`), or it has none and
        the row's product and segment fit. A measure naming nothing takes the rows no other one matches."""
        if measure is not None:
            return measure in (self.name, self.measure)
        return (self.measure is None and (self.product is None or self.product == product)
                and (self.segment is None or self.segment == segment))

    @property
    def catch_all(self) -> bool:
        return self.product is None and self.segment is None and self.measure is None

    def plain(self) -> dict[str, Any]:
        return json.loads(self.changes)


@dataclass(frozen=True)
class Version:
    """An effective-dated version of the plan: ``plan`` (the version before with ``changes``) pays the periods from ``start``.

    Year to date restarts at ``start`` unless ``carry``: then attainment to date runs across the change
    against the quota to date of the versions in force."""

    start: dt.date  # YAML key `from`: the first day of a pay period
    carry: bool
    changes: str  # the keys it changes, as JSON (keeps the plan hashable; to_dict writes them back)
    plan: Any  # the Plan this part is (plan.Plan; not imported: plan imports this module)

    def plain(self) -> dict[str, Any]:
        return {"from": self.start, **({"carry": True} if self.carry else {}), **json.loads(self.changes)}


VERSION_KEYS = {"from", "carry", "ote", "variable_share", "quota", "threshold", "tiers", "tier_mode", "curve", "cap",
                "credit", "pay_multiplier", "draw"}
MAX_VERSIONS = 24


def relief_from(data: dict[str, Any], chk: Checker) -> tuple[Relief, ...]:
    """The plan's `relief` entries, each validated (problems named `relief[i].field`)."""
    out: list[Relief] = []
    for f, r in chk.entries(data, "relief", {"from", "to", "share", "reason"}, "write `- {from: 2027-03-01, to: 2027-05-31, share: 1.0}`",
                            "write `{from: 2027-03-01, to: 2027-05-31, share: 0.5, reason: leave}`", max_items=MAX_VERSIONS):
        start, end = date_field(r.get("from"), chk, f + ".from"), date_field(r.get("to"), chk, f + ".to")
        if "from" not in r or "to" not in r:
            chk.bad(f, "needs `from` and `to` dates", "write both days, each counted")
            continue
        share = chk.number(r.get("share", 1.0), f + ".share", positive=True, fix="write the quota share relieved, e.g. 0.5")
        if share is not None and share > 1:
            chk.bad(f + ".share", f"{share} relieves more than the whole quota", "write a share between 0 and 1")
            share = None
        if start and end and end < start:
            chk.bad(f + ".to", "ends before it starts", "swap from and to")
        elif start and end and share is not None:
            out.append(Relief(start, end, share, opt_str(r.get("reason"))))
    return tuple(out)


def versions_from(data: dict[str, Any], chk: Checker, base: Any, build: Callable[..., Any]) -> tuple[Version, ...]:
    """Each version: the version before it (first, the base plan) with its changes, validated like a file (problems
    named `versions[i].field`)."""
    out: list[Version] = []
    plain = {k: v for k, v in data.items() if k not in ("versions", "traces_to")}
    for f, v in chk.entries(data, "versions", VERSION_KEYS, "write `- {from: 2027-07-01, tiers: [...]}`",
                            "write `{from: 2027-07-01, quota: 1000000}`", max_items=MAX_VERSIONS):
        start = date_field(v.get("from"), chk, f + ".from")
        carry = v.get("carry", False)
        if not isinstance(carry, bool):
            chk.bad(f + ".carry", f"{carry!r} is not true or false", "write true to run year to date across the change")
            continue
        if start is None:
            if "from" not in v:
                chk.bad(f + ".from", "is missing", "write the first day of the pay period it starts, e.g. 2027-07-01")
            continue
        if start.day != 1 or (start.month - base.year_start_month) % base.months_per_period:
            chk.bad(f + ".from", f"{start} does not start a {base.period} pay period",
                    "write the first day of a pay period's first month, e.g. 2027-07-01")
            continue
        if out and start <= out[-1].start:
            chk.bad(f + ".from", f"{start} is not after the previous version's {out[-1].start}", "list versions in date order")
            continue
        changes = {k: x for k, x in v.items() if k in VERSION_KEYS and k not in ("from", "carry")}
        merged = {**plain, **changes}  # each version builds on the one before it
        if "tiers" in changes:
            merged.pop("curve", None)
        if "curve" in changes:
            merged.pop("tiers", None)
        plain = merged
        try:
            plan = build(merged, chk.file)
        except CourseError as exc:
            for p in exc.problems:
                chk.problems.append(Problem(chk.file, f"{f}.{p.field}", p.problem, p.fix, chk.line("versions")))
            continue
        out.append(Version(start, carry, json.dumps(changes, sort_keys=True), plan))
    return tuple(out)


MEASURE_KEYS = {"name", "weight", "product", "segment", "measure", "quota", "threshold", "tiers", "tier_mode", "curve", "cap"}
SHAPE_KEYS = ("threshold", "tiers", "tier_mode", "curve", "cap")


def measures_from(data: dict[str, Any], chk: Checker, build: Callable[..., Any]) -> tuple[Measure, ...]:
    """Each measure: the plan with its own quota and pay shape (nothing inherited), problems named `measures[i].field`."""
    out: list[Measure] = []
    plain = {k: v for k, v in data.items() if k not in ("measures", "traces_to", *SHAPE_KEYS)}
    weights = []
    for f, c in chk.entries(data, "measures", MEASURE_KEYS, "write `- {name: new ARR, weight: 0.7, quota: 800000, ...}`",
                            "write `{name: renewals, weight: 0.3, product: renewal, quota: 400000}`", max_items=MAX_VERSIONS):
        name = c.get("name")
        if not isinstance(name, str) or not name.strip():
            chk.bad(f + ".name", "is missing", "name the measure, e.g. new ARR")
            continue
        if any(x.name == name for x in out):
            chk.bad(f + ".name", f"{name!r} is named twice", "give each measure its own name")
            continue
        weight = chk.number(c.get("weight"), f + ".weight", positive=True, fix="write its share of the target incentive, e.g. 0.7")
        if "quota" not in c:
            chk.bad(f + ".quota", "is missing", "give the measure its own quota")
            continue
        if weight is None:
            continue
        own = {k: v for k, v in c.items() if k in MEASURE_KEYS and k not in ("name", "weight", "product", "segment", "measure")}
        try:
            plan = build({**plain, **own}, chk.file)
        except CourseError as exc:
            for p in exc.problems:
                chk.problems.append(Problem(chk.file, f"{f}.{p.field}", p.problem, p.fix, chk.line("measures")))
            continue
        weights.append(exact(weight))
        out.append(Measure(name.strip(), weight, *(opt_str(c.get(k)) for k in ("product", "segment", "measure")),
                             json.dumps({k: v for k, v in c.items()}, sort_keys=True), plan))
    if len(out) == len(data.get("measures") or []) and out and sum(weights) != 1:
        chk.bad("measures", f"the weights add up to {float(sum(weights)) * 100:.6g}% of the target incentive, not 100%",
                "make the weights add up to exactly 1")
    if sum(c.catch_all for c in out) > 1:
        chk.bad("measures", "more than one measure matches every row", "give each but one a product, segment or measure")
    if out and any(k in data for k in SHAPE_KEYS):
        chk.bad(next(k for k in SHAPE_KEYS if k in data), "is given beside `measures`, which each have their own",
                "move it into the measures")
    if out and data.get("versions"):
        chk.bad("versions", "effective-dated versions of a plan with several measures are not supported yet",
                "write one plan file per version")
    return tuple(out)
