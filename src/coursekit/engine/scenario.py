"""Scenario files: the options a rep can spend the year on, the plan they are paid by, the population.

Parsing and validation only; the simulator (simulate.py) turns a Scenario into results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from coursekit.engine.plan import Plan, load_plan, plan_from_dict
from coursekit.errors import Checker, CourseError, Problem, closest
from coursekit.yamlio import load_mapping

MAX_REPS = 1_000_000  # the most reps a population may simulate, from YAML or `simulate --reps`


@dataclass(frozen=True)
class Option:
    """One way a rep can spend the year."""

    name: str
    deal_size: float
    deals_per_cycle: float = 1  # deals a rep working full-time on this option closes per cycle
    cycle_months: int = 1  # deals close at the end of each cycle
    win_rate: float = 1.0
    segment: str | None = None
    product: str | None = None


@dataclass(frozen=True)
class Population:
    reps: int = 1000
    attainment_mean: float = 0.9
    attainment_sd: float = 0.25
    seed: int = 7


@dataclass(frozen=True)
class Scenario:
    plan: Plan
    options: tuple[Option, ...]
    start: tuple[int, int] = (2027, 1)
    months: int = 12
    prefer: str | None = None  # the option the strategy wants chosen (with a ``mix``: the option of its largest share)
    population: Population | None = None
    mix: tuple[tuple[str, float], ...] | None = None  # the wanted share of effort per option (``strategy.mix``), or None

    @property
    def wanted(self) -> dict[str, float] | None:
        """The wanted mix as {option: share} (every option named, 0 where the mix puts nothing), or None."""
        if not self.mix:
            return None
        got = dict(self.mix)
        return {o.name: got.get(o.name, 0.0) for o in self.options}


MIX_STEP = Fraction(1, 10)  # a wanted mix is written in steps of the simulator's effort grid (10% of the year)


def near(mix: Mapping[str, float], wanted: Mapping[str, float]) -> bool:
    """``mix`` is within one 10% step of ``wanted`` on every option (exact: the shares are on the 10% grid): a rep's best
    mix that follows a wanted mix (``engine.frontier``'s rule, read by the audit too)."""
    names = set(mix) | set(wanted)
    return all(abs(Fraction(str(mix.get(n, 0.0))) - Fraction(str(wanted.get(n, 0.0)))) <= MIX_STEP for n in names)


def mix_from(raw: Any, names: list[str], prefer: Any, chk: Checker, field_: str = "strategy.mix",
             prefer_field: str = "strategy.prefer") -> tuple[tuple[tuple[str, float], ...] | None, str | None]:
    """(the wanted mix, the option the strategy prefers) from ``strategy.mix`` (option -> share of effort) and
    ``strategy.prefer``: shares in steps of 10% adding up to 100% over at least two options, each option named as the
    scenario names it (did-you-mean). Without ``prefer`` the mix's largest share is preferred (the first written, on a
    tie); with it, ``prefer`` must hold the largest share. Problems go to ``chk``; (None, prefer) when there is no mix."""
    if raw is None:
        return None, prefer
    if not isinstance(raw, dict) or not raw:
        chk.bad(field_, "must be a mapping of option to share of effort", "write e.g. `{vineyard retrofit: 0.6, co-op analytics: 0.4}`")
        return None, prefer
    out: list[tuple[str, float]] = []
    total, ok = Fraction(0), True
    for name, share in raw.items():
        f = f"{field_}.{name}"
        if str(name) not in names:
            chk.bad(f, "is not one of the options", closest(str(name), names))
            ok = False
            continue
        if isinstance(share, bool) or not isinstance(share, (int, float)) or share != share or not 0 <= share <= 1:
            chk.bad(f, f"{share!r} is not a share from 0 to 1", "write the share of effort as a fraction, e.g. 0.6 for 60%")
            ok = False
            continue
        exact_share = Fraction(str(share))
        if exact_share % MIX_STEP:
            chk.bad(f, f"{share:g} is not in steps of 10%", f"write {_steps_near(exact_share)}: the simulator's effort grid is 10% of the year")
            ok = False
            continue
        total += exact_share
        if exact_share:
            out.append((str(name), float(exact_share)))
    if not ok:
        return None, prefer
    if total != 1:
        chk.bad(field_, f"the shares add up to {float(total):.0%}", "make them add up to 100%, e.g. 0.6 and 0.4")
        return None, prefer
    if len(out) < 2:
        chk.bad(field_, f"puts all effort on {out[0][0]}", f"a mix splits effort between options: for one option write `prefer: {out[0][0]}` instead")
        return None, prefer
    top = max(s for _, s in out)
    largest = [n for n, s in out if s == top]
    if prefer is None:
        prefer = largest[0]
    elif prefer not in largest:
        chk.bad(prefer_field, f"{prefer!r} is not the option the mix gives the most effort ({', '.join(largest)})",
                "name the mix's largest share in `prefer`, or leave `prefer` out and the mix sets it")
    order = {n: i for i, n in enumerate(names)}
    return tuple(sorted(out, key=lambda x: order[x[0]])), prefer


def _steps_near(x: Fraction) -> str:
    """The two shares of the effort grid either side of ``x``: "0.6 or 0.7"."""
    low = (x // MIX_STEP) * MIX_STEP
    return f"{float(low):g} or {float(low + MIX_STEP):g}"


def options_from_list(raw: Any, file: str, field_: str = "options") -> tuple[list[Option], list[Problem]]:
    chk = Checker(file)  # the one validation kit
    probs = chk.problems
    out: list[Option] = []
    if not isinstance(raw, list) or not raw:
        return [], [Problem(file, field_, "must be a non-empty list of options", "add `- {name: smb, deal_size: 20000}`")]
    allowed = {"name", "deal_size", "deals_per_cycle", "cycle_months", "win_rate", "segment", "product"}
    for i, o in enumerate(raw):
        f = f"{field_}[{i}]"
        if not isinstance(o, dict):
            chk.bad(f, 'must be a mapping', 'write `{name: smb, deal_size: 20000}`')
            continue
        for k in set(o) - allowed:
            chk.bad(f'{f}.{k}', 'unknown field', 'allowed: ' + ', '.join(sorted(allowed)))
        name = o.get("name")
        if not isinstance(name, str) or not name:
            chk.bad(f + '.name', 'is missing', 'name the option')
        size = chk.bounded(o.get("deal_size"), f + ".deal_size", lo=0.01, hi=1e11)
        per = chk.bounded(o.get("deals_per_cycle", 1), f + ".deals_per_cycle", lo=0, hi=1e4)
        cyc = chk.bounded(o.get("cycle_months", 1), f + ".cycle_months", lo=1, hi=120, integer=True)
        win = chk.bounded(o.get("win_rate", 1.0), f + ".win_rate", lo=0, hi=1)
        if None not in (size, per, cyc, win) and isinstance(name, str) and name:
            seg, prod = o.get("segment"), o.get("product")
            out.append(Option(name, float(size), float(per), int(cyc), float(win),
                              None if seg is None else str(seg), None if prod is None else str(prod)))
    names = [o.name for o in out]
    if len(set(names)) != len(names):
        chk.bad(field_, 'two options share a name', 'give each option its own name')
    return out, probs


def plan_path(raw_plan: str, file: str, base_dir: Path | None = None) -> Path | None:
    """The plan file a scenario names, or None when it points outside the scenario's folder."""
    rel = Path(raw_plan)
    base = (base_dir or Path(file).parent).resolve()
    target = (base / rel).resolve()
    if rel.is_absolute() or not target.is_relative_to(base):
        return None
    return target


def scenario_from_dict(data: dict[str, Any], file: str | Path = "<scenario>", lines: dict[str, int] | None = None,
                       base_dir: Path | None = None) -> Scenario:
    file = str(file)
    lines = lines or {}
    chk = Checker(file, lines)  # the one validation kit
    probs = chk.problems
    allowed = {"plan", "start", "months", "options", "strategy", "population"}
    for k in set(data) - allowed:
        chk.bad(k, 'unknown field', 'allowed: ' + ', '.join(sorted(allowed)))
    plan = None
    raw_plan = data.get("plan")
    try:
        if isinstance(raw_plan, dict):
            plan = plan_from_dict(raw_plan, file)
        elif isinstance(raw_plan, str) and raw_plan:
            target = plan_path(raw_plan, file, base_dir)
            if target is None:
                chk.bad('plan', f"{raw_plan!r} points outside the scenario's folder", 'use a path inside it')
            else:
                plan = load_plan(target)
        else:
            chk.bad('plan', 'is missing', 'give a plan file path or an inline plan')
    except CourseError as exc:
        probs.extend(exc.problems)
    start = data.get("start", "2027-01")
    if isinstance(start, dt.date):
        start = f"{start.year}-{start.month:02d}"
    try:
        y, m = (int(x) for x in str(start).split("-"))
        if not 1 <= m <= 12 or not 1900 <= y <= 2200:
            raise ValueError
    except ValueError:
        chk.bad('start', f'{start!r} is not a month', 'write YYYY-MM')
        y, m = 2027, 1
    months = chk.bounded(data.get("months", 12), "months", lo=1, hi=120, integer=True)
    options, oprobs = options_from_list(data.get("options"), file)
    probs += oprobs
    prefer, mix = None, None
    strat = data.get("strategy")
    if strat is not None:
        if not isinstance(strat, dict) or set(strat) - {"prefer", "mix"}:
            chk.bad('strategy', 'must be `{prefer: OPTION}` or `{mix: {OPTION: SHARE, ...}}`',
                    'name the option the strategy wants, or the share of effort it wants on each option')
        else:
            names = [o.name for o in options]
            prefer = strat.get("prefer")
            if prefer is not None and prefer not in names:
                chk.bad('strategy.prefer', f'{prefer!r} is not one of the options', closest(str(prefer), names) if names else "use an option's name")
            elif prefer is None and strat.get("mix") is None:
                chk.bad('strategy.prefer', 'is missing', "name the option the strategy wants, or give a `mix`")
            mix, prefer = mix_from(strat.get("mix"), names, prefer if prefer in names else None, chk)
    pop = None
    if data.get("population") is not None:
        pop, pprobs = population_from(data["population"], file)
        probs += pprobs
    if probs:
        for p in probs:
            p.line = p.line or lines.get(p.field.split(".")[0].split("[")[0])
        raise CourseError(probs)
    return Scenario(plan, tuple(options), (y, m), int(months), prefer, pop, mix)


def population_from(raw: Any, file: str) -> tuple[Population | None, list[Problem]]:
    chk = Checker(file)  # the one validation kit
    probs = chk.problems
    if not isinstance(raw, dict):
        return None, [Problem(file, "population", "must be a mapping", "write `{reps: 1000, seed: 7}`")]
    for k in set(raw) - {"reps", "attainment_mean", "attainment_sd", "seed"}:
        chk.bad(f'population.{k}', 'unknown field', 'use reps, attainment_mean, attainment_sd, seed')
    reps = chk.bounded(raw.get("reps", 1000), "population.reps", lo=1, hi=MAX_REPS, integer=True)
    mean = chk.bounded(raw.get("attainment_mean", 0.9), "population.attainment_mean", lo=0, hi=10)
    sd = chk.bounded(raw.get("attainment_sd", 0.25), "population.attainment_sd", lo=0, hi=10)
    seed = chk.bounded(raw.get("seed", 7), "population.seed", lo=0, hi=2**63 - 1, integer=True)
    if probs:
        return None, probs
    return Population(reps, mean, sd, seed), []


def population_override(pop: Population | None, reps: int | None, seed: int, file: str | Path) -> Population | None:
    """The scenario's population with `simulate --reps/--seed` applied, checked against the same limits as YAML."""
    if reps is None:
        return pop
    base = pop or Population()
    raw = {"reps": reps, "attainment_mean": base.attainment_mean, "attainment_sd": base.attainment_sd, "seed": seed}
    out, probs = population_from(raw, str(file))
    fixes = {"--reps": f"give --reps from 1 to {MAX_REPS:,}", "--seed": "give --seed of 0 or more"}
    for p in probs:  # name the flag the value came from
        p.field = "--" + p.field.split(".", 1)[1]
        p.fix = fixes.get(p.field, p.fix)
    if probs:
        raise CourseError(probs)
    return out


def load_scenario(path: str | Path) -> Scenario:
    data, lines = load_mapping(path, "scenario")
    return scenario_from_dict(data, path, lines)
