"""A compensation plan: the typed model of a plan file, validated field by field."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from ..errors import CourseError, Problem
from ..yamlio import load_mapping

PERIODS = {"annual": 1, "quarterly": 4, "monthly": 12}
TIER_MODES = ("marginal", "retroactive")


@dataclass(frozen=True)
class Tier:
    """A band from ``start`` attainment up to the next tier, paid at ``multiplier`` x BCR or ``rate``."""

    start: float  # attainment where the band begins (YAML key `from`)
    multiplier: float | None = None  # multiple of the base commission rate
    rate: float | None = None  # or a share of credited sales


@dataclass(frozen=True)
class Spif:
    """A fixed sum per matching booking dated inside the window; paid outside the cap."""

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
    """An advance against earnings, per plan period, paid in equal monthly parts."""

    amount: float
    recoverable: bool = True


@dataclass(frozen=True)
class Plan:
    """A comp plan. Amounts are per year unless named per period."""

    name: str  # shown in charts and reports
    ote: float  # on-target earnings per year
    quota: float  # annual quota
    currency: str = "USD"
    variable_share: float = 0.5  # target incentive = ote x variable_share
    period: str = "annual"  # annual | quarterly | monthly
    threshold: float | None = None  # attainment below which the period pays nothing
    tiers: tuple[Tier, ...] = ()  # rate bands; default one band at the BCR
    tier_mode: str = "marginal"  # marginal | retroactive
    curve: tuple[tuple[float, float], ...] = ()  # (attainment, share of TI) points instead of tiers
    cap: float | None = None  # most a period pays, as a multiple of its target incentive
    credit: dict[str, dict[str, float]] = field(default_factory=dict)  # {segment|product: {value: multiplier}}
    draw: Draw | None = None
    spifs: tuple[Spif, ...] = ()
    traces_to: dict[str, str] = field(default_factory=dict)  # component -> priority or planning assumption

    # derived figures
    @property
    def target_incentive(self) -> float:
        return self.ote * self.variable_share

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
        return self.quota / self.periods_per_year

    @property
    def period_ti(self) -> float:
        return self.target_incentive / self.periods_per_year

    def effective_tiers(self) -> tuple[Tier, ...]:
        return self.tiers or (Tier(0.0, 1.0),)

    def tier_rates(self) -> list[float]:
        """Each tier's rate as a share of credited sales."""
        return [t.rate if t.rate is not None else t.multiplier * self.bcr for t in self.effective_tiers()]

    def credit_multiplier(self, segment: str | None, product: str | None) -> float:
        m = 1.0
        if segment is not None:
            m *= self.credit.get("segment", {}).get(segment, 1.0)
        if product is not None:
            m *= self.credit.get("product", {}).get(product, 1.0)
        return m

    def components(self) -> list[str]:
        """The names the audit traces: quota, threshold, tiers, cap, credit multipliers, SPIFs."""
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
        out += [f"spif.{s.name}" for s in self.spifs]
        if self.draw is not None:
            out.append("draw")
        return out

    def with_changes(self, **changes: Any) -> Plan:
        """A copy with fields replaced, validated like a file."""
        return plan_from_dict(to_dict(replace(self, **changes)), "<plan>")


KNOWN = {f.name for f in fields(Plan)}


class _Checker:
    def __init__(self, file: str, lines: dict[str, int]):
        self.file, self.lines, self.problems = file, lines, []

    def bad(self, field_: str, problem: str, fix: str) -> None:
        top = field_.split(".")[0].split("[")[0]
        self.problems.append(Problem(self.file, field_, problem, fix, self.lines.get(top)))

    def entries(self, data: dict[str, Any], key: str, allowed: set[str], list_fix: str, item_fix: str):
        """(field name, mapping) for each entry of a list-of-mappings field; reports non-lists, non-mappings, unknown keys."""
        raw = data.get(key) or []
        if not isinstance(raw, list):
            self.bad(key, "must be a list", list_fix)
            return
        for i, item in enumerate(raw):
            f = f"{key}[{i}]"
            if not isinstance(item, dict):
                self.bad(f, "must be a mapping", item_fix)
                continue
            extra = set(item) - allowed
            if extra:
                self.bad(f, f"unknown key {sorted(extra)[0]!r}", "use " + ", ".join(sorted(allowed)))
            yield f, item

    def number(self, value: Any, field_: str, *, positive: bool = False, fix: str = "") -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            self.bad(field_, f"{value!r} is not a number", fix or "write a plain number, e.g. 0.5")
            return None
        if positive and value <= 0:
            self.bad(field_, f"must be more than 0, got {value}", fix or "write a positive number")
            return None
        if abs(value) > 1e12:
            self.bad(field_, f"{value} is out of range", "write a realistic amount")
            return None
        return float(value)


def _date(value: Any, chk: _Checker, field_: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        chk.bad(field_, f"{value!r} is not a date", "write YYYY-MM-DD")
        return None


def plan_from_dict(data: dict[str, Any], file: str | Path = "<plan>", lines: dict[str, int] | None = None) -> Plan:
    """Validate a plan mapping; raises CourseError listing every problem, one line each."""
    chk = _Checker(str(file), lines or {})
    if not isinstance(data, dict):
        raise CourseError.at(file, "plan", "must be a mapping of fields", "write `name:`, `ote:`, `quota:` ...")
    for key in data:
        if key not in KNOWN:
            hit = difflib.get_close_matches(str(key), sorted(KNOWN), n=1)
            chk.bad(str(key), "unknown field", f"did you mean `{hit[0]}`?" if hit else "allowed: " + ", ".join(sorted(KNOWN)))
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        chk.bad("name", "is missing", "add `name: My plan`")
    for req in ("ote", "quota"):
        if req not in data:
            chk.bad(req, "is missing", f"add `{req}:` (per year, more than 0)")
    ote = chk.number(data.get("ote", 1), "ote", positive=True)
    quota = chk.number(data.get("quota", 1), "quota", positive=True)
    vs = chk.number(data.get("variable_share", 0.5), "variable_share")
    if vs is not None and not 0 < vs <= 1:
        chk.bad("variable_share", f"{vs} is outside (0, 1]", "write the incentive's share of OTE, e.g. 0.5")
    currency = data.get("currency", "USD")
    if not isinstance(currency, str) or not currency.isalpha() or len(currency) != 3:
        chk.bad("currency", f"{currency!r} is not a 3-letter code", "write e.g. USD")
    period = data.get("period", "annual")
    if period not in PERIODS:
        chk.bad("period", f"{period!r} is not a pay period", "use annual, quarterly or monthly")
    threshold = data.get("threshold")
    if threshold is not None:
        threshold = chk.number(threshold, "threshold")
        if threshold is not None and not 0 <= threshold < 10:
            chk.bad("threshold", f"{threshold} is not an attainment", "write a fraction, e.g. 0.5 for 50%")
    tier_mode = data.get("tier_mode", "marginal")
    if tier_mode not in TIER_MODES:
        chk.bad("tier_mode", f"{tier_mode!r} is not allowed", "use marginal or retroactive")
    if "tiers" in data and "curve" in data:
        chk.bad("tiers", "both `tiers` and `curve` are given", "keep one of them")
    tiers: list[Tier] = []
    for f, t in chk.entries(data, "tiers", {"from", "multiplier", "rate"}, "write `- {from: 0.0, multiplier: 1.0}` items",
                            "write `{from: 1.0, multiplier: 2.0}`"):
        start = chk.number(t.get("from"), f + ".from")
        if ("multiplier" in t) == ("rate" in t):
            chk.bad(f, "needs exactly one of `multiplier` or `rate`", "write e.g. `multiplier: 2.0`")
            continue
        key = "multiplier" if "multiplier" in t else "rate"
        val = chk.number(t[key], f"{f}.{key}")
        if val is not None and val < 0:
            chk.bad(f"{f}.{key}", "must not be negative", "write 0 or more")
            val = None
        if start is None or val is None:
            continue
        if tiers and start <= tiers[-1].start:
            chk.bad(f + ".from", f"{start} is not above the previous tier's {tiers[-1].start}", "list tiers in ascending `from` order")
        tiers.append(Tier(start, val if key == "multiplier" else None, val if key == "rate" else None))
    if tiers and tiers[0].start != 0:
        chk.bad("tiers[0].from", f"first tier starts at {tiers[0].start}", "start the first tier at 0.0 (use `threshold` for a gate)")
    curve: list[tuple[float, float]] = []
    raw_curve = data.get("curve") or []
    if not isinstance(raw_curve, list):
        chk.bad("curve", "must be a list of [attainment, payout] points", "write `[[0.75, 0.5], [1.0, 1.0]]`")
        raw_curve = []
    for i, pt in enumerate(raw_curve):
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
    if raw_curve and len(curve) < 2 and not chk.problems:
        chk.bad("curve", "needs at least two points", "add a second point")
    cap = data.get("cap")
    if cap is not None:
        cap = chk.number(cap, "cap", positive=True, fix="write a multiple of target incentive, e.g. 3.0")
    credit: dict[str, dict[str, float]] = {}
    raw_credit = data.get("credit") or {}
    if not isinstance(raw_credit, dict):
        chk.bad("credit", "must be a mapping", "write `{segment: {enterprise: 1.5}}`")
        raw_credit = {}
    for kind, m in raw_credit.items():
        if kind not in ("segment", "product"):
            chk.bad(f"credit.{kind}", "unknown kind", "use segment or product")
            continue
        if not isinstance(m, dict):
            chk.bad(f"credit.{kind}", "must map names to multipliers", f"write `{kind}: {{name: 1.5}}`")
            continue
        credit[kind] = {}
        for k, v in m.items():
            num = chk.number(v, f"credit.{kind}.{k}")
            if num is not None and num < 0:
                chk.bad(f"credit.{kind}.{k}", "must not be negative", "write 0 or more")
            elif num is not None:
                credit[kind][str(k)] = num
    draw = None
    if data.get("draw") is not None:
        d = data["draw"]
        if not isinstance(d, dict) or "amount" not in d:
            chk.bad("draw", "must be `{amount: N, recoverable: true|false}`", "add an amount")
        else:
            if set(d) - {"amount", "recoverable"}:
                chk.bad("draw", f"unknown key {sorted(set(d) - {'amount', 'recoverable'})[0]!r}", "use amount and recoverable")
            amt = chk.number(d["amount"], "draw.amount", positive=True)
            rec = d.get("recoverable", True)
            if not isinstance(rec, bool):
                chk.bad("draw.recoverable", f"{rec!r} is not true or false", "write true or false")
            elif amt is not None:
                draw = Draw(amt, rec)
    spifs: list[Spif] = []
    for f, s in chk.entries(data, "spifs", {"name", "amount", "product", "segment", "from", "to"},
                            "write `- {name: ..., amount: ..., product: ...}`", "write `{name: Launch, amount: 1000, product: platform}`"):
        amt = chk.number(s.get("amount"), f + ".amount", positive=True)
        sname = s.get("name")
        if not isinstance(sname, str) or not sname:
            chk.bad(f + ".name", "is missing", "name the SPIF")
        start, end = _date(s.get("from"), chk, f + ".from"), _date(s.get("to"), chk, f + ".to")
        if start and end and end < start:
            chk.bad(f + ".to", "ends before it starts", "swap from and to")
        if amt is not None and isinstance(sname, str) and sname:
            spifs.append(Spif(sname, amt, _opt_str(s.get("product")), _opt_str(s.get("segment")), start, end))
    traces = data.get("traces_to") or {}
    if not isinstance(traces, dict) or not all(isinstance(v, str) for v in traces.values()):
        chk.bad("traces_to", "must map component names to what they trace to", "write `{quota: capacity model}`")
        traces = {}
    if chk.problems:
        raise CourseError(chk.problems)
    return Plan(
        name=name.strip(), ote=ote, quota=quota, currency=currency, variable_share=vs, period=period,
        threshold=threshold, tiers=tuple(tiers), tier_mode=tier_mode, curve=tuple(curve), cap=cap,
        credit=credit, draw=draw, spifs=tuple(spifs), traces_to={str(k): v for k, v in traces.items()},
    )


def _opt_str(v: Any) -> str | None:
    return None if v is None else str(v)


def load_plan(path: str | Path) -> Plan:
    """Read a plan YAML file."""
    data, lines = load_mapping(path, "plan")
    return plan_from_dict(data, path, lines)


def to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as plain data in the file format (round-trips through ``plan_from_dict``)."""
    d: dict[str, Any] = {"name": plan.name, "currency": plan.currency, "ote": plan.ote,
                         "variable_share": plan.variable_share, "quota": plan.quota, "period": plan.period}
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
        d["credit"] = {k: dict(v) for k, v in plan.credit.items()}
    if plan.draw:
        d["draw"] = {"amount": plan.draw.amount, "recoverable": plan.draw.recoverable}
    if plan.spifs:
        d["spifs"] = [{k: v for k, v in {"name": s.name, "amount": s.amount, "product": s.product, "segment": s.segment,
                                          "from": s.start, "to": s.end}.items() if v is not None} for s in plan.spifs]
    if plan.traces_to:
        d["traces_to"] = dict(plan.traces_to)
    return d
