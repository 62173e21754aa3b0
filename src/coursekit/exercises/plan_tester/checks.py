"""The plan tester's controls and checks that are not widgets: the measurement choices, the valid caps,
what a plan costs, and the smallest change that works (the 60-second explanation's keyed parts: ``explain``).

Pure functions over engine results, so tests call them directly and the widget stays about layout.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from fractions import Fraction

from coursekit.engine.audit import MEASURES, measure_label
from coursekit.engine.frontier import (  # noqa: F401 (re-exported: the widget and the tests read them here)
    CLEAR_MARGIN,
    FOLLOWS_SHARE,
    GRID_MIX,
    LEVERS,
    MEASURE_LEVERS,
    Frontier,
    clearly_wins,
    first_passing,
    follows_strategy,
    margin,
)
from coursekit.engine.money import money
from coursekit.engine.plan import Plan, to_dict
from coursekit.engine.scenario import Option, Scenario
from coursekit.engine.simulate import OptionResult, Result, option_months, simulate, simulate_mix
from coursekit.feedback import INFO, OK, WARN

# Measurement period (over what span attainment is measured) and payment (how often a check is cut): the engine's
# words (engine.audit.MEASURES), shared with the brief; each choice is the engine's (period, measurement).
# A cap is none or 1.0x target incentive and up (the engine refuses a cap below the target).
CAPS: list[tuple[str, float]] = [("none", 0.0)] + [(f"{v / 4:g}x", v / 4) for v in range(4, 21)]
COST_TOLERANCE = 1.0  # incentive pay per 100 of bookings a change may add before "Can we afford it?" says no
# A healthy plan has top performers earning 2-3x target incentive (DOMAIN.md section 3): a cap below 2x takes that away.
TOP_CAP = 2.0
# "Clearly wins" (CLEAR_MARGIN, engine.frontier), defined once: a year on the strategy's option pays at least 2% more than the best other option's.
# A tie or a sliver moves nobody (content/priority-encoding-via-pay.md: "A tie does not move a rational rep, and neither
# does a little more"). 2% of a year's pay is about a week's pay (1/52 = 1.9%), the least a rep would change what they
# sell for; it also sits clear of the course's own cases on both sides: the capstone's new-logo rate of 1.25 wins by 191
# on 76,119 (0.25%, "moves nobody") and 1.3 by 2,181 (2.9%, "clearly flips"); module 3's rate or credit of 1.3 wins by
# 3,600 on 90,000 (4%) and module 2's credit of 1.85 by 5,400 on 130,400 (4.1%).
# Below this margin a win a bad year undercuts is "only just" (above it the risk is named, not the win doubted).
ONLY_JUST = Fraction(5, 100)


def measure_options(plan: Plan) -> list[tuple[str, tuple[str, str]]]:
    """The choices, with the plan's own (period, measurement) added when it is none of them."""
    mine = (plan.period, plan.measurement)
    if mine in [v for _, v in MEASURES]:
        return list(MEASURES)
    return [*MEASURES, (measure_label(*mine), mine)]


def cap_value(raw: float) -> float:
    """The valid cap nearest to ``raw``: 0 (none), or 1.0 to 5.0 in steps of 0.25 (a cap under 1x becomes 1x)."""
    v = float(raw)
    if v <= 0:
        return 0.0
    return min((c for _, c in CAPS[1:]), key=lambda c: (abs(c - v), c))


# --- the simulator, cached: a learner moving a slider back and forth asks for the same runs again ---

_CACHE: dict[str, object] = {}
_RECORD: list[dict[str, tuple[str, object]]] = []  # ``recording()``: every run asked for, by its cache key


def _cached(kind: str, plan: Plan, options: tuple[Option, ...], prefer: str, extra, run: Callable[[Scenario], object]):
    key = json.dumps([kind, to_dict(plan), [o.__dict__ for o in options], prefer, extra], sort_keys=True, default=str)
    if key not in _CACHE:
        if len(_CACHE) > 1024:
            _CACHE.clear()
        _CACHE[key] = run(Scenario(plan, options, prefer=prefer))
    if _RECORD:
        _RECORD[-1][key] = (kind, _CACHE[key])
    return copy.deepcopy(_CACHE[key])


@contextmanager
def recording() -> Iterator[list]:
    """The runs asked for inside the block, each computed live (an empty cache for the block, the old one back after),
    as ``[[kind, cache key, value as JSON], ...]``: what ``coursekit build`` stores for a tester's first render
    (``coursekit.assemble.precompute``) and ``seed`` puts back."""
    global _CACHE
    saved, _CACHE, runs = _CACHE, {}, []
    _RECORD.append({})
    try:
        yield runs
    finally:
        asked = _RECORD.pop()
        _CACHE = saved
    runs += [[kind, key, _run_json(value)] for key, (kind, value) in sorted(asked.items())]


def seed(runs: object) -> int:
    """Put stored runs (``recording``'s list) into the cache: a later ask with exactly that run's inputs (its cache key)
    gets it instead of computing it; returns how many were taken (a malformed entry is skipped, computed live)."""
    n = 0
    for item in runs if isinstance(runs, list) else []:
        try:
            kind, key, data = item
            value = _run_value(kind, data)
        except (TypeError, ValueError, KeyError):
            continue
        if isinstance(key, str) and key not in _CACHE:
            _CACHE[key] = value
            n += 1
    return n


def _run_json(value: object) -> object:
    return {**value.__dict__, "options": [o.__dict__ for o in value.options]} if isinstance(value, Result) else \
        value.__dict__ if isinstance(value, OptionResult) else value


def _run_value(kind: str, data: dict) -> object:
    if kind == "simulate":
        return Result(**{**data, "options": [OptionResult(**o) for o in data["options"]]})
    if kind == "mix":
        return OptionResult(**data)
    if kind == "months" and isinstance(data, dict):
        return {str(k): list(v) for k, v in data.items()}
    raise ValueError(kind)


def simulate_cached(plan: Plan, options: tuple[Option, ...], prefer: str) -> Result:
    return _cached("simulate", plan, options, prefer, None, simulate)


def mix_cached(plan: Plan, options: tuple[Option, ...], prefer: str, shares: dict[str, float]) -> OptionResult:
    return _cached("mix", plan, options, prefer, shares, lambda sc: simulate_mix(sc, shares))


def months_cached(plan: Plan, options: tuple[Option, ...], prefer: str) -> dict[str, list[float]]:
    return _cached("months", plan, options, prefer, None, option_months)


# --- the checks ---

# The rep follows the strategy with all effort on its option, bar one step of the simulator's effort grid (10%): a rep
# who fills one period with another deal still executes the strategy, while a 70/30 or 50/50 split does only part of
# it. All of it, strictly, would pass the capstone's new-logo rate at 1.5 and fail it at 1.6 to 2.0 (the rep keeps 10%
# on renewals to fill a quarter below the threshold), so "the smallest change that works" would have no meaning.
# (FOLLOWS_SHARE and follows_strategy live in engine.frontier, which searches the plans that pass this test.)


def splits_toward(r: Result, prefer: str) -> bool:
    """The payout-maximizing mix puts some effort on the strategy's option but less than ``FOLLOWS_SHARE``: the rep
    follows the strategy only partly."""
    return 0 < r.best_mix.get(prefer, 0.0) < FOLLOWS_SHARE - 1e-9


def pct(x: Fraction | float, places: str = "1", down: bool = False) -> str:
    """A share as a percent to ``places`` (whole by default), half up, or cut down (``down``: a sliver under the
    2% bar never reads 2%); a positive share under 1% is "<1%", never "0%"."""
    from decimal import ROUND_DOWN, Decimal

    if 0 < x < Fraction(1, 100):
        return "<1%"
    if down:
        v = Fraction(x) * 100
        return str((Decimal(v.numerator) / Decimal(v.denominator)).quantize(Decimal(places), ROUND_DOWN)) + "%"
    return tenths(Fraction(x) * 100, places) + "%"


def per_100(payout: float, revenue: float) -> Fraction | None:
    """Pay per 100 of bookings (the simulator calls them revenue), exact from the cents the simulator reports (None without revenue)."""
    return Fraction(str(payout)) * 100 / Fraction(str(revenue)) if revenue else None


def tenths(x: Fraction, places: str = "0.1") -> str:
    """A ratio to one decimal (or ``places``), half up from the exact value (13.25 per 100 is 13.3, as the course's
    tables print it)."""
    from decimal import ROUND_HALF_UP, Decimal

    return str((Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal(places), ROUND_HALF_UP))


def mix_words(shares: dict[str, Fraction]) -> str:
    """A booking mix in words: "all smb", "62% point and 38% platform" (each option's share of the bookings)."""
    parts = [(name, share) for name, share in shares.items() if share > 0]
    if len(parts) == 1:
        return f"all {parts[0][0]}"
    return " and ".join(f"{float(share):.0%} {name}" for name, share in parts) if parts else "nothing"


def cost_line(now: OptionResult, before: OptionResult, tolerance: float, pop: tuple[dict, dict] | None,
              priority: str | None = None, mixes: tuple[str, str] | None = None, follows: bool = True,
              baseline: str = "") -> tuple[str, str]:
    """"Can we afford it?": the rep's chosen mix under this plan against the plan as given, within ``tolerance`` per 100.

    With a population, its cost per 100 must stay within the tolerance too; % capped and % below threshold are shown,
    with the mix each plan's reps book (``mixes``: now, before, in words). A "No" says what it means: with ``priority``
    (the strategy's kind of deal, when the change moved the rep onto it) the break-even, how many of the dollars booked
    before a dollar of the priority must be worth for the company to pay no more per unit of value; otherwise that the
    change costs more than the plan as given and what to do about it (``follows``: the rep follows the strategy).
    ``baseline`` names the plan ``before`` ran on when it is not the plan as given ("the plan the company runs today").
    """
    q = "Can we afford it?"
    cost, base = per_100(now.payout, now.revenue), per_100(before.payout, before.revenue)
    if cost is None:
        return WARN, f"{q} The rep's choice books no revenue under this plan, so every dollar of pay is cost."
    limit = (base if base is not None else cost) + Fraction(str(tolerance))
    pop_ok, pop_text = True, ""
    if pop is not None:
        p, b = pop
        pop_ok = Fraction(str(p["cost_of_sales_pct"])) <= Fraction(str(b["cost_of_sales_pct"])) + Fraction(str(tolerance))
        booking = f", each booking the mix a rep's best year books under the plan ({mixes[0]}; before {mixes[1]})" if mixes else ""
        pop_text = (f" Across {p['reps']:,} reps{booking}: {p['cost_of_sales_pct']:.1f} per 100 (before {b['cost_of_sales_pct']:.1f}), "
                    f"{p['share_capped']:.0%} capped (before {b['share_capped']:.0%}), "
                    f"{p['share_below_threshold']:.0%} below the threshold (before {b['share_below_threshold']:.0%}).")
    ok = cost <= limit and pop_ok
    given = baseline or "the plan as given"
    when = f"under {baseline}" if baseline else "before"
    before_text = f" against {tenths(base)} {when}" if base is not None else ""
    text = (f"{q} {'Yes' if ok else 'No'}: the rep's choice pays {tenths(cost)} per 100 of bookings{before_text} "
            f"(affordable: up to {tenths(limit)}, {tolerance:g} per 100 more than {baseline or 'before'}).")
    if not ok and cost > limit and base:
        if priority:
            # per 100 of value: cost / v against base / 1; the same at v = cost / base
            text += (f" It pays its way only if {article(priority)} dollar is worth at least {tenths(cost / base, '0.01')} of the "
                     f"dollars the rep booked {when} (the break-even: pay per 100 of value is then what it was); say why it is, "
                     f"or find a cheaper change.")
        elif follows:
            text += (f" No means it costs more than {given} by more than {tolerance:g} per 100: say why the "
                     f"priority's dollar is worth it, or find a cheaper change.")
        else:
            text += (f" No means it costs more than {given} by more than {tolerance:g} per 100, and the rep does "
                     f"not follow the strategy for it.")
    elif not ok:
        text += f" The reps' cost per 100 rises more than {tolerance:g} above {given}: find a cheaper change."
    return (OK if ok else WARN), text + pop_text


def budget_line(now: OptionResult, before: OptionResult, budget: tuple[float, str], pop: tuple[dict, dict] | None,
                mixes: tuple[str, str] | None = None) -> tuple[str, str]:
    """"Can we afford it?" against a stated budget (``budget``: the incentive cost per 100 of bookings the company will
    pay for this plan, and where the figure comes from), exactly: the rep's choice's year per 100 of its bookings, and
    with a population the population's cost per 100 too, at most the budget. The plan as given's figure is shown beside."""
    q = "Can we afford it?"
    limit, basis = Fraction(str(budget[0])), budget[1]
    cost, base = per_100(now.payout, now.revenue), per_100(before.payout, before.revenue)
    if cost is None:
        return WARN, f"{q} The rep's choice books no revenue under this plan, so every dollar of pay is cost."
    pop_ok, pop_text = True, ""
    if pop is not None:
        p, b = pop
        pop_ok = Fraction(str(p["cost_of_sales_pct"])) <= limit
        booking = f", each booking the mix a rep's best year books under the plan ({mixes[0]}; before {mixes[1]})" if mixes else ""
        pop_text = (f" Across {p['reps']:,} reps{booking}: {p['cost_of_sales_pct']:.1f} per 100 (before {b['cost_of_sales_pct']:.1f}), "
                    f"{p['share_capped']:.0%} capped (before {b['share_capped']:.0%}), "
                    f"{p['share_below_threshold']:.0%} below the threshold (before {b['share_below_threshold']:.0%}).")
    ok = cost <= limit and pop_ok
    before_text = f"; the plan as given pays {tenths(base)}" if base is not None else ""
    text = (f"{q} {'Yes' if ok else 'No'}: the rep's choice pays {tenths(cost)} per 100 of bookings (one rep's year), "
            f"{'within' if ok else 'over'} the budget of {tenths(limit)} per 100 ({basis}){before_text}.")
    if not ok:
        text += " Find a cheaper change that still makes the rep follow the strategy."
    return (OK if ok else WARN), text + pop_text


def levers_moved(before: Plan, after: Plan) -> set[str]:
    """The levers (``engine.frontier.LEVERS`` names) ``after`` moves from ``before``: the measurement period by the one
    it moves to."""
    moved = {"credit": before.credit != after.credit, "rate": before.pay_multiplier != after.pay_multiplier,
             "spif": before.spifs != after.spifs, "threshold": before.threshold != after.threshold,
             "cap": (before.cap, before.cap_scope) != (after.cap, after.cap_scope),
             "accelerator": (before.tiers, before.curve) != (after.tiers, after.curve)}
    out = {k for k, v in moved.items() if v}
    if (before.period, before.measurement) != (after.period, after.measurement):
        out.add(MEASURE_LEVERS.get((after.period, after.measurement), "measurement"))
    return out


def left_out_line(moved: set[str], exclude: dict[str, str]) -> tuple[str, str] | None:
    """A design that moves a lever the module names as a misconception (and leaves out of the search): refused by name,
    with the module's reason (None when it moves none)."""
    bad = [k for k in exclude if k in moved]
    if not bad:
        return None
    return WARN, ("Does it avoid the levers this module names as misconceptions? No: "
                  + "; ".join(f"{LEVERS[k]} ({exclude[k]})" for k in bad)
                  + ". The simulator does not model what makes it bad, so its numbers here flatter it: take it out.")


def searched_line(fr: Frontier, exclude: dict[str, str]) -> tuple[str, str]:
    """Which levers the search moved and which it left out, and why (one line). A lever the plan as given lacks (no cap
    to move, no threshold to remove, no accelerator to cut) is not named as searched."""
    left, plan = set(fr.excluded), fr.given.plan
    has = {"threshold": plan.threshold is not None, "cap": plan.cap is not None,
           "accelerator": not plan.curve and len(plan.effective_tiers()) > 1}
    words = {"credit": "a credit of 1.00-3.00 on the strategy's option", "rate": "a rate of 1.00-3.00 on " + ("it" if "credit" not in left else "the strategy's option"),
             "spif": "a SPIF of 0.5%-10% on each of its deals",
             "threshold": "no threshold", "cap": "the cap per year or none", "accelerator": "no accelerator"}
    kept = [words[k] for k in words if k not in left and has.get(k, True)]
    now = MEASURE_LEVERS.get((plan.period, plan.measurement))
    measures = [LEVERS[k].removeprefix("measuring ").replace(", ", " ") for k in MEASURE_LEVERS.values() if k not in left and k != now]
    text = (f"Searched: {', '.join(kept)}, and measuring {' or '.join(measures) if measures else 'as given'}"
            + (" (for the mix you want, credit, rate and SPIF each alone over its whole grid, since more of one can push "
               "effort past the wanted share; the others alone and in pairs)" if fr.grid == GRID_MIX else " (alone and in combination)"))
    if fr.excluded:
        text += "; left out, as this module names them misconceptions: " + "; ".join(f"{LEVERS[k]} ({exclude.get(k, 'left out')})"
                                                                                     for k in fr.excluded)
    return INFO, text + "."


def cap_line(cap: float | None) -> tuple[str, str] | None:
    """A cap below 2x target incentive: the upside top performers need is gone (None for no cap or a cap of 2x or more)."""
    if not cap or cap >= TOP_CAP:
        return None
    return WARN, (f"Does the cap leave top performers their upside? No: a cap of {cap:g}x target incentive stops pay below the "
                  f"2-3x target incentive top performers earn in a healthy plan, so the best reps stop selling once they reach "
                  f"it (and caps are rarer for account executives than for CS and SE roles). Raise it to at least "
                  f"{TOP_CAP:g}x, or remove it.")


def smallest_change(grid: list, works: Callable[[object], bool]) -> object | None:
    """The first value along ``grid`` (ordered from the plan as given toward the learner's value, which is last)
    that ``works``, by bisection: it assumes that once a value works every later one does."""
    i = first_passing(grid, works)
    return None if i is None else grid[i]


def first_that_works(grid: list, works: Callable[[object], bool], stride: int = 4) -> object | None:
    """The first value along ``grid`` that ``works`` when past some value it may stop working again (a rate high enough
    to reach the cap sends the rep back to a split): every ``stride``-th value is tried in turn, then the stretch before
    the first that works is bisected. A working stretch shorter than ``stride`` can be missed."""
    prev = -1
    for i in range(stride - 1, len(grid) + stride - 1, stride):
        i = min(i, len(grid) - 1)
        if works(grid[i]):
            return smallest_change(grid[prev + 1: i + 1], works)
        prev = i
    return None


_PERIOD_WORDS = {"monthly": "monthly", "month": "monthly", "quarterly": "quarterly", "quarter": "quarterly",
                 "annual": "annual", "annually": "annual", "yearly": "annual"}
_MEASURED = {("monthly", "standalone"): "measured monthly", ("quarterly", "standalone"): "measured quarterly",
             ("annual", "standalone"): "measured over the year", ("monthly", "cumulative"): "measured year to date, trued up monthly",
             ("quarterly", "cumulative"): "measured year to date, trued up quarterly"}


def plan_name(name: str, period: str, measurement: str = "standalone") -> str:
    """The plan's name as it is now: a name whose period word no longer fits ("Monthly flat" measured over the year) drops
    that word and says how it is measured ("Flat, measured over the year"); a name that fits, or names no period, is kept."""
    import re

    base = re.sub(r",\s*measured\b.*$", "", name).strip()  # a suffix this function added earlier
    words = [w for w in re.findall(r"[A-Za-z]+", base) if w.lower() in _PERIOD_WORDS]
    fits = all(_PERIOD_WORDS[w.lower()] == period for w in words) and measurement == "standalone"
    if base == name and (not words or fits):
        return name
    if not fits:
        base = re.sub(r"\b(" + "|".join(_PERIOD_WORDS) + r")\b", "", base, flags=re.IGNORECASE)
        base = " ".join(base.replace(" ,", ",").split()).strip(" ,-")
    base = base[:1].upper() + base[1:] if base else "The plan"
    return f"{base}, {_MEASURED.get((period, measurement), f'measured {period}')}"


def pay_chart_title(plan: Plan) -> str:
    return f"Pay each month, a year on each option\n({measure_label(plan.period, plan.measurement)})"


# --- credit multiplier against rate differential ---

def edges_crossed(plan: Plan, without: list[float], with_credit: list[float], per: str, varies: bool = False) -> list[str]:
    """Where a credit multiplier pays more than a rate differential of the same size: the plan's edges the credit
    lifts attainment across (``without`` and ``with_credit``: the attainments the curve is read at, period by period,
    for the expected deals). A threshold a period crosses only with the credit; an accelerator whose start credited
    attainment passes (its extra credit is paid at the higher rate). Between edges a marginal curve is a straight line,
    so both pay alike. When wins vary (``varies``), an edge the expected deals miss may still be crossed in some periods."""
    out = []
    thr = plan.threshold
    if thr and any(b < thr <= a for b, a in zip(without, with_credit, strict=True)):
        out.append(f"over the {thr:.0%} threshold")
    elif thr and varies and any(a > 0 for a in with_credit):
        out.append(f"over the {thr:.0%} threshold (in {per}s with fewer wins)")
    for t in plan.effective_tiers()[1:] if not plan.curve else ():
        if (t.multiplier or 0) <= 1:
            continue
        if any(a > t.start for a in with_credit):
            out.append(f"past the {t.multiplier:g}x accelerator from {t.start:.0%} of quota")
        elif varies and any(a > 0 for a in with_credit):
            out.append(f"past the {t.multiplier:g}x accelerator from {t.start:.0%} of quota (in {per}s with more wins)")
    return out


def article(word: str) -> str:
    """"a platform", "an enterprise"."""
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def credit_note(name: str, prefer: str, credit: float, rate: float, booked: float, quota: float, per: str,
                pay: tuple[float, float], follows: tuple[bool, bool], edges: list[str]) -> str:
    """What a credit multiplier of ``credit`` does to a year on ``prefer`` (``booked`` of ``quota``), against a rate
    differential of ``rate`` (pay only): ``pay`` and ``follows`` are (with the credit, with the rate instead)."""
    share = booked / quota
    text = (f"Your {name} credit of {credit:g}x inflates attainment: a year on {prefer} books {money(booked)}, {share:.0%} of the "
            f"{money(quota)} quota, and reads {share * credit:.0%}, so attainment reports and the capacity plan built on them "
            f"read high. {article(name).capitalize()} rate of {rate:g}x instead (pay only) would leave it at {share:.0%}")
    if money(pay[0]) == money(pay[1]):
        text += f" and pays the same here: {money(pay[1])} for a year on {prefer}"  # below every edge, or capped alike
    else:
        text += f" and pays a year on {prefer} {money(pay[1])} against {money(pay[0])} with the credit"
        if edges and pay[0] > pay[1]:
            text += f", because the credit also lifts {name} {per}s " + " and ".join(edges) + ", where its extra credit earns more"
    if follows[0] == follows[1]:
        text += "; the rep follows the strategy " + ("either way." if follows[0] else "with neither.")
    else:
        text += "; with the rate the rep " + ("follows the strategy." if follows[1] else "no longer follows the strategy.")
    return text


def rate_note(name: str, prefer: str, rate: float, booked: float, quota: float) -> str:
    """What a rate differential leaves alone: attainment still means bookings against quota."""
    return (f"Your {name} rate of {rate:g}x pays {rate:g} times the commission rate on {name} deals and credits no extra quota: "
            f"a year on {prefer} books {money(booked)} and reads {booked / quota:.0%} of the {money(quota)} quota, as booked.")


# --- the cheapest plan that works (engine.frontier) ---

def frontier_lines(fr: Frontier, mine_cost: Fraction | None, mine_works: bool, refuse: bool = False,
                   exclude: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """What the search of the plan space says beside the smallest change per control: which levers it searched and
    which it left out and why (``exclude``: lever -> the module's reason), the cheapest plan that works
    (any levers together), each single change's cost, and a "No" when the learner's working design costs more than
    the cheapest one by more than the tolerance: with ``refuse`` (the capstone) a warning, so the change is refused when
    a cheaper one works; else a note."""
    searched = [searched_line(fr, exclude or {})]
    if fr.cheapest is None and mine_works:
        return searched + [(INFO, f"Your design works where no plan in the searched grid does ({fr.grid}): it moves levers, or "
                                  "combines them, in a way the search does not.")]
    if fr.cheapest is None:
        return searched + [(INFO, "No plan in the searched grid makes the rep clearly follow the strategy: "
                                  f"({fr.grid}). Look at the options' numbers: is the strategy's option worth a rep's year?")]
    c = fr.cheapest
    what = "; ".join(c.changes) or "the plan as given"
    lines = searched + [(INFO, f"The cheapest plan that works, of those searched: {what}, at {tenths(c.cost, '0.01')} per 100 of bookings "
                    f"({fr.priced_on}), {'the wanted mix' if fr.grid == GRID_MIX else 'its option'} winning by "
                    f"{pct(c.margin or 0, '0.1', down=True)}.")]
    singles = [f"{'; '.join(p.changes)} ({tenths(p.cost, '0.01')} per 100)" for p in sorted(fr.singles.values(), key=lambda p: p.cost)]
    if singles:
        lines.append((INFO, "The smallest single changes that work: " + ", ".join(singles) + "."))
    if mine_works and mine_cost is not None and mine_cost > c.cost + Fraction(str(COST_TOLERANCE)):
        lines.append((WARN if refuse else INFO, f"Is it the cheapest change that works? No: yours costs {tenths(mine_cost, '0.01')} per 100 of bookings, "
                            f"more than {COST_TOLERANCE:g} above the cheapest ({tenths(c.cost, '0.01')}): take the cheaper one, "
                            f"or say why yours is worth the difference."))
    return lines
