"""Plan warnings: plans that load but pay in ways no comp team means.

A retroactive decelerator (pay falls when attainment rises), a falling curve, a threshold above the
point where the cap is reached, a draw larger than the period's target incentive, a tier paying more
than the sale itself, a tier the cap makes unreachable. Each is a
``Problem`` with severity "warning", printed ``FILE:LINE: field: why (fix)``; commands exit 0 on
warnings unless ``--strict`` makes them errors (exit 2). ``check_file`` gives ``coursekit check``
every problem of a plan or scenario file (errors and warnings) without raising; ``check_data`` the
same for a mapping already parsed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from coursekit.engine.payout import cap_attainment, period_payout
from coursekit.engine.plan import Plan, plan_from_dict
from coursekit.engine.plot import PERIOD_NOUN
from coursekit.engine.scenario import Scenario, plan_path, scenario_from_dict
from coursekit.errors import CourseError, Problem
from coursekit.yamlio import load_mapping

KINDS = ("plan", "scenario")


def _pct(x: float) -> str:
    return f"{x * 100:.4g}%"


def lint_plan(plan: Plan, file: str | Path, lines: Mapping[str, int] | None = None) -> list[Problem]:
    """The warnings for a valid plan; ``lines`` maps top-level keys to their line in ``file``."""
    file, lines = str(file), lines or {}
    out: list[Problem] = []

    def warn(field_: str, why: str, fix: str) -> None:
        top = field_.split(".")[0].split("[")[0]
        out.append(Problem(file, field_, why, fix, lines.get(top), severity="warning"))

    noun = PERIOD_NOUN[plan.period]
    if plan.tier_mode == "retroactive" and not plan.curve:
        tiers, rates = plan.effective_tiers(), plan.tier_rates()
        for i in range(1, len(tiers)):
            if rates[i] < rates[i - 1]:
                edge = tiers[i].start
                key = "multiplier" if tiers[i].multiplier is not None else "rate"
                below, at = period_payout(replace(plan, cap=None), [edge - 1e-9, edge], cents=False)
                warn(f"tiers[{i}].{key}",
                     f"a retroactive decelerator: reaching {_pct(edge)} cuts the rate on every sale from {rates[i - 1] * 100:.4g}% "
                     f"to {rates[i] * 100:.4g}%, so the {noun}'s pay (before any cap) falls from {below:,.2f} to {at:,.2f} "
                     "as attainment rises",
                     "make each tier's rate at least the one before, or use `tier_mode: marginal`")
    _tier_warnings(plan, warn)
    for i in range(1, len(plan.curve)):
        (a0, p0), (a1, p1) = plan.curve[i - 1], plan.curve[i]
        if p1 < p0:
            warn(f"curve[{i}]", f"the curve falls: {_pct(a1)} attainment pays {_pct(p1)} of target, less than {_pct(p0)} at {_pct(a0)}",
                 "make each point pay at least as much as the one before")
    if plan.threshold and plan.cap is not None:
        reached = cap_attainment(replace(plan, threshold=None))
        if reached is not None and plan.threshold > reached + 1e-12:
            warn("threshold", f"the threshold {_pct(plan.threshold)} is above {_pct(reached)}, where the cap is already reached: "
                              f"a {noun} pays nothing below {_pct(plan.threshold)} and the cap from there on",
                 f"lower the threshold below {_pct(reached)} or raise the cap")
    if plan.draw is not None and plan.draw.amount > plan.period_ti + 0.005:
        warn("draw.amount", f"the draw of {plan.draw.amount:,.2f} a {noun} is more than the {noun}'s target incentive of "
                            f"{plan.period_ti:,.2f}: a rep at quota earns less than the advance",
             f"set the draw at or below {plan.period_ti:,.2f}")
    seen = {(p.field, p.problem) for p in out}
    for key, parts in (("versions", plan.versions), ("measures", plan.measures)):  # each version or measure, for what it adds
        for i, v in enumerate(parts):
            for p in lint_plan(v.plan, file):
                if (p.field, p.problem) not in seen:
                    out.append(Problem(file, f"{key}[{i}].{p.field}", p.problem, p.fix, lines.get(key), severity="warning"))
    return out


def _tier_warnings(plan: Plan, warn) -> None:
    """A tier paying more than the sale itself; a tier the cap makes unreachable."""
    if plan.curve:
        return
    tiers, rates = plan.effective_tiers(), plan.tier_rates()
    for i, (t, r) in enumerate(zip(tiers, rates)):
        if r > 1 and plan.tiers:
            key = "multiplier" if t.multiplier is not None else "rate"
            fix = (f"write the rate as a share of sales, e.g. {r / 100:g} for {r:g}%" if key == "rate"
                   else f"keep the multiplier at most {1 / plan.bcr:.4g}, which at a base commission rate of {plan.bcr * 100:.4g}% pays the whole sale")
            warn(f"tiers[{i}].{key}", f"pays {r * 100:,.4g}% of every sale in its band, more than the sale itself", fix)
    # a cap applied to the same measurement as the tiers (not a year's cap over periods measured alone)
    if plan.cap is None or len(tiers) < 2 or (plan.cap_scope == "year" and plan.measurement == "standalone"
                                              and plan.period != "annual"):
        return
    reached = cap_attainment(plan)
    if reached is None:
        return
    for i in range(1, len(tiers)):
        if tiers[i].start >= reached - 1e-9:
            warn(f"tiers[{i}].from", f"the cap ({plan.cap:g}x target incentive) is reached at {_pct(reached)}, so the tier "
                                     f"from {_pct(tiers[i].start)} never pays",
                 "raise the cap, or remove the tier")
            break


PERCENT_LIKE = 10  # an attainment of 10 (1,000% of quota) or more is a percent typed where a fraction is meant


def attainment_warning(value, file: str | Path = "payout", field_: str = "--attainment") -> Problem | None:
    """A warning for an attainment that reads as a percent (120 for 120%), else None. For `payout --attainment`:
    120 pays 120 times the quota's pay; the warning asks whether 1.2 was meant."""
    if value < PERCENT_LIKE:
        return None
    return Problem(str(file), field_, f"{value:g} is {value * 100:,.0f}% of quota, an attainment no rep reaches",
                   f"did you mean {value / 100:g} ({value:g}%)?", severity="warning")


def load_plan_linted(path: str | Path) -> tuple[Plan, list[Problem]]:
    """Read a plan file: the plan and its warnings (errors raise CourseError as ``load_plan`` does)."""
    data, lines = load_mapping(path, "plan")
    plan = plan_from_dict(data, path, lines)
    return plan, lint_plan(plan, path, lines)


def load_scenario_linted(path: str | Path, base_dir: Path | None = None) -> tuple[Scenario, list[Problem]]:
    """Read a scenario file: the scenario and its plan's warnings, at the plan file's lines or the `plan:` line."""
    data, lines = load_mapping(path, "scenario")
    return _scenario_linted(data, path, lines, base_dir)


def _scenario_linted(data: dict[str, Any], file: str | Path, lines: Mapping[str, int] | None,
                     base_dir: Path | None = None) -> tuple[Scenario, list[Problem]]:
    lines = lines or {}
    sc = scenario_from_dict(data, file, dict(lines), base_dir)
    raw = data.get("plan")
    if isinstance(raw, str):
        target = plan_path(raw, str(file), base_dir)  # valid: scenario_from_dict loaded it
        _, plan_lines = load_mapping(target, "plan")
        return sc, lint_plan(sc.plan, target, plan_lines)
    warnings = lint_plan(sc.plan, file)
    for w in warnings:  # an inline plan: name the field under `plan:`, at that key's line
        w.field, w.line = "plan." + w.field, lines.get("plan")
    return sc, warnings


def check_data(data: dict[str, Any], file: str | Path, kind: str, lines: Mapping[str, int] | None = None,
               base_dir: Path | None = None) -> list[Problem]:
    """Every problem of a parsed plan or scenario mapping (errors, then warnings if it is valid); never raises
    CourseError. For `coursekit check`, which may already hold the mapping and its key lines."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    try:
        if kind == "plan":
            return lint_plan(plan_from_dict(data, file, dict(lines or {})), file, lines)
        return _scenario_linted(data, file, lines, base_dir)[1]
    except CourseError as exc:
        return exc.problems


def check_file(path: str | Path, kind: str, base_dir: Path | None = None) -> list[Problem]:
    """Every problem of a plan or scenario file, errors and warnings, for `coursekit check`; never raises CourseError."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    try:
        data, lines = load_mapping(path, kind)
    except CourseError as exc:
        return exc.problems
    return check_data(data, path, kind, lines, base_dir)
