"""The cheapest plan that works: a search of the plan space for the plans under which the rational rep does what the
strategy wants, and the frontier of their cost against their margin.

A plan *works* when the rational rep (``simulate``) puts all its effort, or all bar one 10% step
(``FOLLOWS_SHARE``), on the strategy's option and a full-time year on that option clearly wins: it pays at
least ``CLEAR_MARGIN`` (2%) more than a full-time year on the best other option. Its *cost* is the budget: the
population's incentive pay (SPIFs included) per 100 of bookings, each rep booking the rational rep's mix as whole
deals (``population`` with a ``DealMix``); without a population in the scenario, the rational rep's own year per
100 of its bookings. Its *margin* is the strategy's option's edge, (its year - the best other's) / the best other's.

The grid (steps per lever):

- credit multiplier on the strategy's option (its segment, else its product): 1.00 to 3.00 in steps of 0.05
  (41 values), starting from the plan's own value;
- rate (pay multiplier, pay only) on the same: 1.00 to 3.00 in steps of 0.05 (41 values), from the plan's own;
- measurement period: the five the plan tester offers (``audit.MEASURES``);
- threshold: the plan's, or none;
- cap: the plan's per measurement period, the plan's per year, or none;
- accelerator: the plan's tiers, or none (one rate from the first dollar);
- SPIF on each deal of the strategy's option: 0.5% to 10% of its deal size in steps of 0.5% (20 values), searched
  as a single change from the plan as given;
- pairs of structural levers moved together: a measurement with the threshold, the cap (per year, or none) or the
  accelerator; the threshold with the cap or the accelerator; the cap with the accelerator (at most 21 pairs).

How it prunes. A *structure* is the plan as given, the plan with one structural lever moved (measurement x 4,
threshold, cap per year, no cap, no accelerator: at most 9) or with a pair of them moved (at most 21); a structure
whose plan equals another's (a cap per year under annual measurement is the cap per period) is kept once. Within a
structure credit and rate are monotone levers: raising either never makes the strategy's option pay less and never
costs less. So

1. a plan is first *screened* on the strategy's option's full-time year alone (``full_time``; the other options'
   years move with the structure only, so they are run once per structure): it must clearly win; every structure is
   screened at the plan's own credit and rate;
2. structures are visited by their *bound*, the least the rep's year can cost and still clearly win (the best other
   option's year plus 2%, over the option's bookings); branch and bound: a structure, or a credit column priced with
   no rate added, that already costs as much as the best found is dominated and skipped;
3. within a structure the first credit that passes at the top rate is bisected, then the least rate that passes,
   and the staircase is walked down (the least passing rate never rises as credit rises) on a coarse grid of 0.10
   (0.20 for a pair), each step then refined to 0.05. A pair's staircase is walked only when the pair *interacts* (at
   the plan's own credit and rate it gives the strategy's option a larger margin than each of its levers alone; else
   its better lever's own walk stands), and only for the ``PAIRS_WALKED`` (1) interacting pair of least bound. A
   structure's cheapest step is run through every effort mix at once, unless a plan already verified costs less;
4. the cheapest candidates (by the rep's year, ties to the smaller change) are priced on the population, and run
   through the full simulator (every effort mix) cheapest first; a candidate the mixes reject because the rep would
   split adds that split to the screen (its year must not pay more than the option full-time) and the staircase is
   walked again (at most ``ROUNDS`` times).

The screen is necessary, not sufficient, and the population's budget is priced only for the cheapest candidates by
the rep's year, so the search is a heuristic over the grid: what it returns works (verified on every effort mix) and
is the cheapest it found.

Each single change (one lever moved from the plan as given) is searched the same way, and the cheapest plan is the
cheapest of everything that works, single changes included: it is never dearer than any single-control change.

With a wanted mix of effort (``Scenario.mix``) a plan *works* by the mix rule (``passes``: the rep's best mix within
one 10% step of every wanted share, and the year at the wanted mix at least 2% above the best year more than one
step away), and its margin is that edge. Credit, rate and a SPIF on the strategy's option are then not monotone (a
little more pulls effort toward the wanted share, more pulls it past), so bisection and the staircase do not apply:
``_search_mix`` walks each of them over its whole grid as a single change and runs the structures (alone and in pairs)
at the plan's own credit and rate; a candidate is first screened (the year at the wanted mix must clearly beat the
full-time year of every option more than one step from it, a necessary condition), then run through every effort mix.

A course may leave levers out (``search(exclude=...)``, names in ``LEVERS``): one it names as a misconception where
the simulator does not model what makes it bad (a rational rep here books evenly, so it neither pulls deals forward nor
sandbags them across short periods, and an all-year SPIF costs only its cash, not the pay reps come to expect). No plan
searched moves a lever left out from the plan as given; ``Frontier.excluded`` says which were.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from coursekit.engine.audit import MEASURES, measure_label
from coursekit.engine.money import money
from coursekit.engine.plan import Plan, Spif, Tier, plan_from_dict, to_dict
from coursekit.engine.scenario import Option, Scenario, near  # near: the audit reads it too
from coursekit.engine.simulate import STEPS, OptionResult, Result, booking_mix, full_time, population, simulate, simulate_mix
from coursekit.errors import CourseError

# "Clearly wins" and "follows the strategy", defined once (the plan tester's checks import them).
CLEAR_MARGIN = Fraction(2, 100)  # a full-time year on the strategy's option pays at least 2% more than the best other's
FOLLOWS_SHARE = 0.9  # all effort on the strategy's option, bar one 10% step of the simulator's effort grid

STEP = Fraction(5, 100)
TOP = Fraction(3)
SPIF_STEPS = tuple(Fraction(k, 200) for k in range(1, 21))  # 0.5% to 10% of the deal size
VERIFY_PER_ROUND = 1  # candidates run through every effort mix in a round
ROUNDS = 3  # rounds: a candidate the mixes reject adds the split that beat it to the screen, and the staircase is walked again
PAIRS_WALKED = 1  # pairs of structural levers whose (credit, rate) staircase is walked, by their bound (all are screened as they are)
PRICE_AT_MOST = 8  # candidates (cheapest by the rep's year) priced on the population
SLACK = Fraction(1)  # a structure or column is skipped when its least rep's year costs as much as the best found
# The levers a course may leave out of the search (``search(exclude=...)``), by the name it writes, in words. A course
# leaves out a lever it names as a misconception, where the simulator does not model what makes it bad (pull-forward and
# sandbagging across short periods; an all-year SPIF becoming pay reps expect).
LEVERS = {"credit": "the credit multiplier", "rate": "the rate differential", "spif": "a SPIF on each deal",
          "threshold": "the threshold", "cap": "the cap and its scope", "accelerator": "the accelerator",
          "monthly": "measuring each month on its own", "quarterly": "measuring each quarter on its own",
          "ytd-monthly": "year to date, trued up monthly", "ytd-quarterly": "year to date, trued up quarterly",
          "annual": "measuring the year as a whole"}
MEASURE_LEVERS = {("monthly", "standalone"): "monthly", ("quarterly", "standalone"): "quarterly",
                  ("monthly", "cumulative"): "ytd-monthly", ("quarterly", "cumulative"): "ytd-quarterly",
                  ("annual", "standalone"): "annual"}


def margin(want: float, other: float) -> Fraction | None:
    """How much more a year on the strategy's option pays than ``other``, as a share of ``other`` (exact from the
    cents the simulator reports; None when ``other`` pays nothing)."""
    w, o = Fraction(str(want)), Fraction(str(other))
    return (w - o) / o if o else None


def clearly_wins(want: float, other: float) -> bool:
    """A year on the strategy's option pays at least ``CLEAR_MARGIN`` more than the best other option's."""
    m = margin(want, other)
    return Fraction(str(want)) > 0 if m is None else m >= CLEAR_MARGIN


def follows_strategy(r: Result, prefer: str) -> bool:
    """The rep's payout-maximizing mix puts all its effort, or all bar one 10% step, on the strategy's option."""
    return bool(r.aligned) and r.best_mix.get(prefer, 0.0) >= FOLLOWS_SHARE - 1e-9


def edge(r: Result, prefer: str) -> tuple[float, float]:
    """(a full-time year on the strategy's option, the best other option's full-time year)."""
    want = next(o.payout for o in r.options if o.name == prefer)
    return want, max((o.payout for o in r.options if o.name != prefer), default=0.0)


def works(r: Result, prefer: str) -> bool:
    """The plan tester's first two tests: the rep follows the strategy and a year on it clearly wins."""
    return follows_strategy(r, prefer) and clearly_wins(*edge(r, prefer))


# --- a strategy that wants a mix of effort (``strategy.mix``) ----------------------------------------------
# With a wanted mix (e.g. 60% of effort on vineyard retrofit, 40% on co-op analytics) "follows the strategy" is: the rep's
# payout-maximizing mix is within one 10% step of the wanted share on every option (``near``); "clearly wins" is: the year
# at the wanted mix pays at least CLEAR_MARGIN more than the best year at any effort mix more than one step away from it
# (a rep who moves effort more than one step away from the mix we want earns less; within one step counts as the mix). Without a mix the rules above stand.

ONE_STEP = Fraction(1, STEPS)


def wanted_words(mix: Mapping[str, float]) -> str:
    """A wanted mix in words, largest share first: "60% of effort on vineyard retrofit, 40% on co-op analytics"."""
    parts = sorted(((n, s) for n, s in mix.items() if s), key=lambda x: -x[1])
    return ", ".join(f"{round(Fraction(str(s)) * 100)}% {'of effort ' if i == 0 else ''}on {n}" for i, (n, s) in enumerate(parts))


def _all_splits(names: list[str]) -> list[dict[str, float]]:
    """Every effort mix over ``names`` in steps of 10% (the simulator's grid)."""
    n, out = len(names), []
    for cut in itertools.combinations(range(STEPS + n - 1), n - 1):
        parts = tuple(b - a - 1 for a, b in zip((-1,) + cut, cut + (STEPS + n - 1,)))
        out.append({name: k / STEPS for name, k in zip(names, parts, strict=True)})
    return out


@dataclass(frozen=True)
class MixEdge:
    """A wanted mix against the best year away from it, under one plan."""

    wanted: OptionResult  # the year at the wanted mix (mean, P10, bookings)
    away: OptionResult  # the best year at any mix more than one step from it
    away_mix: tuple[tuple[str, float], ...]  # that mix

    @property
    def wins(self) -> bool:
        return clearly_wins(self.wanted.payout, self.away.payout)

    @property
    def margin(self) -> Fraction | None:
        return margin(self.wanted.payout, self.away.payout)


@functools.lru_cache(maxsize=256)
def mix_edge(sc: Scenario, plan: Plan | None = None) -> MixEdge:
    """The year at ``sc``'s wanted mix and the best year at any effort mix more than one 10% step away from it (the
    first in the grid's order on a tie), with the simulator's deals, draws and seed."""
    wanted = sc.wanted
    if not wanted:
        raise CourseError.at("frontier", "strategy.mix", "is missing", "give the share of effort the strategy wants on each option")
    plan = plan or sc.plan
    best, best_mix = None, None
    for split in _all_splits([o.name for o in sc.options]):
        if near(split, wanted):
            continue
        o = simulate_mix(sc, split, plan)
        if best is None or Fraction(str(o.payout)) > Fraction(str(best.payout)):
            best, best_mix = o, split
    if best is None:  # every mix is within a step (cannot happen with two or more options on a 10% grid)
        best, best_mix = OptionResult("mix", 0.0, 0, 0.0), {}
    return MixEdge(simulate_mix(sc, wanted, plan), best, tuple((k, v) for k, v in best_mix.items() if v))


def follows(r: Result, sc: Scenario) -> bool:
    """"Follows the strategy" for ``sc``'s strategy: within one step of the wanted mix, or (no mix) ``follows_strategy``."""
    wanted = sc.wanted
    return near(r.best_mix, wanted) if wanted else follows_strategy(r, sc.prefer or "")


def passes(sc: Scenario, plan: Plan | None = None, r: Result | None = None) -> bool:
    """The plan tester's first two tests for ``sc``'s strategy, a wanted mix or (none) one option: ``works``."""
    plan = plan or sc.plan
    r = r or simulate(sc, plan)
    if not sc.wanted:
        return works(r, sc.prefer or "")
    return near(r.best_mix, sc.wanted) and mix_edge(sc, plan).wins


def misses(r: Result, sc: Scenario) -> str:
    """Where the rep's best mix misses the wanted one, the misconception named ("your plan pays co-op analytics so well
    that a rational rep puts 90% there; you wanted 40%"); "" when it is within a step everywhere."""
    wanted = sc.wanted or {}
    off = [(n, r.best_mix.get(n, 0.0), w) for n, w in wanted.items()
           if abs(Fraction(str(r.best_mix.get(n, 0.0))) - Fraction(str(w))) > ONE_STEP]
    if not off:
        return ""
    for n, got, want in off:  # not the plan paying one option too well: the wanted share falls under a threshold
        gate = _gate_at_wanted(sc, n)
        if gate:
            return (f"at the mix you want, {n} falls under {gate}, so that share of effort pays nothing there: a rational "
                    f"rep puts {got:.0%} of effort on it; you wanted {want:.0%}")
    n, got, want = max(off, key=lambda x: x[1] - x[2])  # the option the plan over-pays most
    if got > want:
        return (f"your plan pays {n} so well that a rational rep puts {got:.0%} of effort there; you wanted {want:.0%}")
    n, got, want = min(off, key=lambda x: x[1] - x[2])
    return f"your plan pays {n} too little: a rational rep puts {got:.0%} of effort there; you wanted {want:.0%}"


def _gate_at_wanted(sc: Scenario, name: str) -> str:
    """The threshold the wanted mix's share of option ``name`` falls under ("its component's threshold (50% of its
    quota)"): the component crediting it has a threshold and the year at the wanted mix pays more without it; "" else."""
    plan, wanted = sc.plan, sc.wanted or {}
    opt = next((o for o in sc.options if o.name == name), None)
    d = to_dict(plan)
    m = next((x for x in d.get("measures") or [] if opt is not None and x.get("product") in (None, opt.product)
              and x.get("segment") in (None, opt.segment) and x.get("threshold")), None)
    if m is None:
        return ""
    d["measures"] = [{k: v for k, v in x.items() if k != "threshold"} if x is m else x for x in d["measures"]]
    free = plan_from_dict(d)
    if Fraction(str(simulate_mix(sc, wanted, free).payout)) <= Fraction(str(simulate_mix(sc, wanted, plan).payout)):
        return ""
    if not near(simulate(sc, free).best_mix, wanted):  # the threshold is THE reason only if the rep follows without it
        return ""
    return f"the threshold on {m['name']} ({float(Fraction(str(m['threshold'])) * 100):g}% of its quota)"


# --- the plan space -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Levers:
    """One point of the plan space: the structural levers, then credit, rate and SPIF on the strategy's option."""

    measure: tuple[str, str]
    threshold: float | None
    cap: float | None
    cap_scope: str
    accelerator: bool  # the plan's tiers kept (True) or one rate from the first dollar
    credit: Fraction
    rate: Fraction
    spif: Fraction = Fraction(0)  # share of the strategy's deal size paid per deal

    def structure(self) -> tuple:
        return self.measure, self.threshold, self.cap, self.cap_scope, self.accelerator


@dataclass
class Point:
    """A plan the search priced: its levers, its plan, cost per 100 of bookings, margin, and whether it works."""

    levers: Levers
    plan: Plan
    cost: Fraction  # the budget: the population's incentive cost per 100 of bookings (else the rep's year's)
    margin: Fraction | None
    works: bool  # verified through every effort mix, or (``verified`` False) on the full-time screen alone
    changes: list[str] = field(default_factory=list)  # what differs from the plan as given, named
    verified: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"changes": self.changes, "cost_per_100": float(self.cost), "margin": None if self.margin is None else float(self.margin),
                "works": self.works, "verified": self.verified}


@dataclass
class Frontier:
    cheapest: Point | None  # the cheapest plan that works (None: nothing in the grid works)
    singles: dict[str, Point]  # per lever, the smallest single change from the plan as given that works
    frontier: list[Point]  # plans that work, none both dearer and with a smaller margin than another, cheapest first
    given: Point  # the plan as given, priced
    runs: int = 0  # simulator runs (full-time screens and full runs)
    grid: str = ""  # the grid, in words
    priced_on: str = "the budget"  # what cost is: the population's budget, or (no population) one rep's year
    excluded: tuple[str, ...] = ()  # the levers left out of the search (names of ``LEVERS``), as asked

    def to_dict(self) -> dict[str, Any]:
        return {"cheapest": self.cheapest.to_dict() if self.cheapest else None,
                "singles": {k: p.to_dict() for k, p in self.singles.items()},
                "frontier": [p.to_dict() for p in self.frontier], "given": self.given.to_dict(), "runs": self.runs}


GRID = ("credit and rate on the strategy's option 1.00-3.00 in steps of 0.05; the five measurement periods; threshold as "
        "given or none; cap as given, per year, or none; accelerator as given or none; each pair of those four levers "
        "moved together; a SPIF of 0.5%-10% of the deal in steps of 0.5%")


def _target(sc: Scenario, prefer: str) -> tuple[Option, str | None, str | None]:
    opt = next((o for o in sc.options if o.name == prefer), None)
    if opt is None:
        raise CourseError.at("frontier", "prefer", f"no option {prefer!r}", f"use one of {', '.join(o.name for o in sc.options)}")
    if opt.segment is None and opt.product is None:  # no credit, rate or SPIF can single it out: structure only
        return opt, None, None
    kind = "segment" if opt.segment else "product"
    return opt, kind, opt.segment or opt.product


def _set(table: Mapping[str, Mapping[str, float]], kind: str, key: str, value: Fraction) -> dict[str, dict[str, float]]:
    out = {k: dict(v) for k, v in table.items()}
    out.setdefault(kind, {})[key] = float(value)
    if value == 1:
        out[kind].pop(key)
        if not out[kind]:
            out.pop(kind)
    return out


class _Space:
    """The plan space around one plan and strategy, with memoized screens, prices and full runs."""

    def __init__(self, sc: Scenario, plan: Plan, prefer: str):
        self.sc, self.base, self.prefer = sc, plan, prefer
        self.opt, self.kind, self.key = _target(sc, prefer)
        self.runs = 0
        self._screens: dict[tuple, tuple[bool, Fraction | None, Fraction]] = {}
        self._others: dict[Any, float] = {}
        self._pays: dict[Levers, tuple[float, float]] = {}
        self._mixes: dict[tuple, float] = {}
        self.challengers: list[tuple] = []  # effort splits the full runs found beating a candidate (the rep would split)
        self.shared = self.key is not None and any((o.segment if self.kind == "segment" else o.product) == self.key
                                                   for o in sc.options if o.name != prefer)
        self._costs: dict[tuple[Levers, tuple], Fraction] = {}
        self._full: dict[Levers, Result] = {}
        self._plans: dict[Levers, Plan | None] = {}
        tiers = plan.effective_tiers()
        self.has_acc = not plan.curve and len(tiers) > 1
        self.given = Levers((plan.period, plan.measurement), plan.threshold, plan.cap, plan.cap_scope, True,
                            Fraction(str(plan.credit.get(self.kind, {}).get(self.key, 1.0))) if self.key else Fraction(1),
                            Fraction(str(plan.pay_multiplier.get(self.kind, {}).get(self.key, 1.0))) if self.key else Fraction(1))

    exclude: frozenset[str] = frozenset()  # levers left out of the search (``LEVERS``), set by ``search``

    def left_out(self, lv: Levers) -> bool:
        """``lv`` moves a lever left out of the search from the plan as given."""
        if not self.exclude:
            return False
        g = self.given
        moved = {"credit": lv.credit != g.credit, "rate": lv.rate != g.rate, "spif": bool(lv.spif),
                 "threshold": lv.threshold != g.threshold, "cap": (lv.cap, lv.cap_scope) != (g.cap, g.cap_scope),
                 "accelerator": lv.accelerator != g.accelerator,
                 MEASURE_LEVERS.get(lv.measure, ""): lv.measure != g.measure}
        return any(moved.get(name) for name in self.exclude)

    def plan(self, lv: Levers) -> Plan | None:
        if lv not in self._plans:
            p = self.base
            tiers = p.tiers if lv.accelerator else (Tier(0.0, 1.0),)
            spifs = p.spifs
            if lv.spif:
                amount = float(Fraction(str(self.opt.deal_size)) * lv.spif)
                spifs = (*spifs, Spif("frontier", round(amount, 2), self.opt.product if self.kind == "product" else None,
                                      self.opt.segment if self.kind == "segment" else None))
            quotas = p.quotas if lv.measure[0] == p.period else ()
            try:
                self._plans[lv] = p.with_changes(
                    period=lv.measure[0], measurement=lv.measure[1], threshold=lv.threshold, cap=lv.cap, cap_scope=lv.cap_scope,
                    tiers=tiers if not p.curve or lv.accelerator else (Tier(0.0, 1.0),), curve=p.curve if lv.accelerator else (),
                    quotas=quotas, spifs=spifs,
                    credit=_set(p.credit, self.kind, self.key, lv.credit) if self.key else p.credit,
                    pay_multiplier=_set(p.pay_multiplier, self.kind, self.key, lv.rate) if self.key else p.pay_multiplier)
            except CourseError:
                self._plans[lv] = None
        return self._plans[lv]

    def pay(self, lv: Levers) -> tuple[float, float]:
        """(a full-time year on the strategy's option, its bookings) under the plan (0, 0 for a plan refused)."""
        if lv not in self._pays:
            plan = self.plan(lv)
            if plan is None:
                self._pays[lv] = (0.0, 0.0)
            else:
                self.runs += 1
                o = full_time(self.sc, plan, [self.prefer])[self.prefer]
                self._pays[lv] = (o.payout, o.revenue)
        return self._pays[lv]

    def other(self, lv: Levers) -> float:
        """The best other option's full-time year: it moves with the structure only, unless another option shares the
        strategy's segment or product (then with credit and rate too)."""
        key = lv if self.shared else lv.structure()
        if key not in self._others:
            plan = self.plan(lv)
            if plan is None:
                self._others[key] = float("inf")
            else:
                self.runs += 1
                others = [o.name for o in self.sc.options if o.name != self.prefer]
                self._others[key] = max((o.payout for o in full_time(self.sc, plan, others).values()), default=0.0)
        return self._others[key]

    def screen(self, lv: Levers) -> tuple[bool, Fraction | None, float]:
        """(a full-time year on the strategy's option clearly wins, its margin, the rep's cost per 100 of the year's
        bookings): the necessary condition, from the strategy's option's year alone."""
        key = (lv, len(self.challengers))
        if key not in self._screens and self.left_out(lv):
            self._screens[key] = (False, None, Fraction(10**9))  # a lever the course leaves out: never a candidate
        if key not in self._screens:
            want, revenue = self.pay(lv)
            other = self.other(lv)
            rep = Fraction(str(want)) * 100 / Fraction(str(revenue)) if revenue else Fraction(10**9)
            ok = other != float("inf") and clearly_wins(want, other)
            for mix in self.challengers if ok else ():
                if self.mix_pay(lv, mix) > want:  # a split that beat an earlier candidate beats this one too
                    ok = False
                    break
            self._screens[key] = (ok, margin(want, other), rep)
        return self._screens[key]

    def interacts(self, st: Levers) -> bool:
        """A pair of structural levers gives the strategy's option, at the plan's own credit and rate, a larger margin
        over the best other option than each of its two levers alone."""
        g = self.given

        def edge_of(lv: Levers) -> Fraction:
            m = self.screen(Levers(*lv.structure(), g.credit, g.rate))[1]
            return Fraction(-10**9) if m is None else m

        parts = [replace(g, **{k: getattr(st, k) for k in keys}) for keys in (("measure",), ("threshold",), ("cap", "cap_scope"),
                                                                               ("accelerator",))
                 if any(getattr(st, k) != getattr(g, k) for k in keys)]
        return all(edge_of(st) > edge_of(part) for part in parts)

    def mix_pay(self, lv: Levers, mix: tuple) -> float:
        if (lv, mix) not in self._mixes:
            self.runs += 1
            self._mixes[lv, mix] = simulate_mix(self.sc, dict(mix), self.plan(lv)).payout
        return self._mixes[lv, mix]

    def bound(self, lv: Levers) -> Fraction:
        """The least the rep's year can cost per 100 in this structure and still clearly win: the best other option's
        year plus 2%, over the strategy's option's bookings (or the year at the given credit and rate, if more)."""
        want, revenue = self.pay(Levers(*lv.structure(), self.given.credit, self.given.rate))
        if not revenue:
            return Fraction(10**9)
        other = self.other(lv)
        if other == float("inf"):
            return Fraction(10**9)
        return max(Fraction(str(other)) * (1 + CLEAR_MARGIN), Fraction(str(want))) * 100 / Fraction(str(revenue))

    def cost(self, lv: Levers, effort: Mapping[str, float] | None = None) -> Fraction:
        """The budget under the plan, each rep booking ``effort`` (default all on the strategy's option)."""
        effort = dict(effort or {self.prefer: 1.0})
        k = (lv, tuple(sorted(effort.items())))
        if k not in self._costs:
            plan = self.plan(lv)
            if plan is None:
                self._costs[k] = Fraction(10**9)
            elif self.sc.population is not None:
                pop = population(plan, self.sc.population, self.sc.months, self.sc.start, booking_mix(self.sc, effort))
                self._costs[k] = Fraction(str(pop["total_payout"])) * 100 / Fraction(str(pop["total_revenue"])) \
                    if pop["total_revenue"] else Fraction(10**9)
            elif effort == {self.prefer: 1.0}:
                self._costs[k] = self.screen(lv)[2]
            else:
                o = simulate_mix(self.sc, effort, plan)
                self._costs[k] = Fraction(str(o.payout)) * 100 / Fraction(str(o.revenue)) if o.revenue else Fraction(10**9)
        return self._costs[k]

    def full(self, lv: Levers) -> Result:
        if lv not in self._full:
            self.runs += 1
            self._full[lv] = simulate(self.sc, self.plan(lv))
        return self._full[lv]

    def point(self, lv: Levers, verify: bool = True) -> Point:
        ok, m, _ = self.screen(lv)
        verified = not ok or verify
        if ok and verify and self.plan(lv) is not None:
            r = self.full(lv)
            ok = works(r, self.prefer)
            split = tuple(sorted((k, v) for k, v in r.best_mix.items() if v))
            if not ok and not follows_strategy(r, self.prefer) and split not in self.challengers:
                self.challengers.append(split)
            price = self.cost(lv, r.best_mix)  # what the rep's own best year books, as the tester prices it
        else:
            price = self.cost(lv)
        return Point(lv, self.plan(lv), price, m, ok, self.changes(lv), verified)

    # --- names ---

    def changes(self, lv: Levers) -> list[str]:
        g, out = self.given, []
        if lv.measure != g.measure:
            out.append(f"measure {measure_label(*lv.measure)} (was {measure_label(*g.measure)})")
        if lv.threshold != g.threshold:
            out.append("remove the threshold" if lv.threshold is None else f"threshold at {lv.threshold:.0%}")
        if lv.cap != g.cap:
            out.append("remove the cap" if lv.cap is None else f"cap at {lv.cap:g}x target incentive")
        if lv.cap is not None and lv.cap_scope != g.cap_scope:
            out.append(f"cap per {'year' if lv.cap_scope == 'year' else 'measurement period'}")
        if lv.accelerator != g.accelerator:
            acc = self.base.effective_tiers()[1] if self.has_acc else None
            out.append(f"remove the {acc.multiplier:g}x accelerator above {acc.start:.0%}" if acc and acc.multiplier
                       else "remove the accelerator")
        if lv.credit != g.credit:
            out.append(f"{self.key} credit {float(lv.credit):g}x (was {float(g.credit):g}x)")
        if lv.rate != g.rate:
            out.append(f"{self.key} rate {float(lv.rate):g}x (was {float(g.rate):g}x)")
        if lv.spif:
            amount = Fraction(str(self.opt.deal_size)) * lv.spif
            out.append(f"a SPIF of {money(float(amount))} on each {self.prefer} deal ({float(lv.spif):.1%} of the deal)")
        return out

    # --- the grid ---

    def steps(self, start: Fraction, step: Fraction = STEP) -> list[Fraction]:
        """Credit or rate values from ``start`` up to 3.00 in steps of ``step`` (``start`` first; 3.00 last)."""
        if self.key is None:  # nothing singles the strategy's option out: credit and rate stay as given
            return [start]
        out, v = [start], (start // step + 1) * step
        while v <= TOP:
            out.append(v)
            v += step
        if out[-1] < TOP:
            out.append(TOP)
        return out

    def structures(self) -> list[Levers]:
        """The plan as given, each structural lever moved alone, then each pair of levers moved together (a measurement
        with a threshold, a cap or the accelerator; a threshold with a cap or the accelerator; a cap with the
        accelerator), credit and rate as given. A structure whose plan is another's (a cap per year under annual
        measurement is the cap per period) is kept once, under its fewest moves."""
        g = self.given
        moves = {  # lever -> the values it can move to, other than the plan's own
            "measure": [v for _, v in MEASURES if v != g.measure],
            "threshold": [None] if g.threshold is not None else [],
            "cap": [(g.cap, "year" if g.cap_scope == "period" else "period"), (None, "period")] if g.cap is not None else [],
            "accelerator": [False] if self.has_acc else [],
        }

        def levers(**moved: Any) -> Levers:
            cap, scope = moved.get("cap", (g.cap, g.cap_scope))
            return Levers(moved.get("measure", g.measure), moved.get("threshold", g.threshold), cap, scope,
                          moved.get("accelerator", True), g.credit, g.rate)

        out = [levers()] + [levers(**{k: v}) for k, vs in moves.items() for v in vs]
        names = list(moves)
        out += [levers(**{a: va, b: vb}) for i, a in enumerate(names) for b in names[i + 1:] for va in moves[a] for vb in moves[b]]
        seen: set[Plan] = set()
        unique = []
        for lv in out:
            plan = self.plan(lv)
            if plan is None or plan not in seen:
                unique.append(lv)
                if plan is not None:
                    seen.add(plan)
        return unique


def first_passing(grid: list, passes: Callable[[Any], bool]) -> int | None:
    """The index of the first value along ``grid`` that ``passes``, by bisection (once one passes, every later one
    does); None when the last does not."""
    lo, hi = 0, len(grid) - 1
    if hi < 0 or not passes(grid[hi]):
        return None
    while lo < hi:
        mid = (lo + hi) // 2
        if passes(grid[mid]):
            hi = mid
        else:
            lo = mid + 1
    return lo


def _pareto(points: list[Point]) -> list[Point]:
    """The plans that work, cheapest first, each with a larger margin than every cheaper one."""
    out: list[Point] = []
    for p in sorted((p for p in points if p.works), key=lambda p: (p.cost, -(p.margin or 0))):
        if not out or (p.margin or 0) > (out[-1].margin or 0):
            out.append(p)
    return out


def search(sc: Scenario, plan: Plan | None = None, prefer: str | None = None, exclude: Collection[str] = ()) -> Frontier:
    """The cheapest plan that works, the smallest single change per lever, and the frontier of cost against margin,
    around ``plan`` (default the scenario's) for the strategy's option ``prefer`` (default the scenario's). See the
    module's docstring for the grid and the pruning. ``exclude`` names levers (``LEVERS``) no plan searched may move
    from ``plan``: the plan as given keeps them, and no candidate, single change or frontier point moves them."""
    plan = plan or sc.plan
    prefer = prefer or sc.prefer
    if not prefer:
        raise CourseError.at("frontier", "strategy.prefer", "is missing", "name the option the strategy wants")
    unknown = sorted(set(exclude) - set(LEVERS))
    if unknown:
        raise CourseError.at("frontier", "exclude", f"{unknown[0]!r} is not a lever the search moves", "use any of " + ", ".join(LEVERS))
    s = _Space(sc, plan, prefer)
    s.exclude = frozenset(exclude)
    if sc.wanted:
        return _search_mix(s)
    g = s.given
    found: dict[Levers, str] = {g: ""}  # every plan that passes the full-time screen -> the single lever it moves ("" if not one)

    structures = s.structures()
    for lv in structures[1:]:
        if s.screen(lv)[0]:
            found[lv] = _lever(lv, g) if _moved(lv, g) == 1 else ""  # a pair is no single change
    for name, make in () if s.key is None else (("credit", lambda v: Levers(*g.structure(), v, g.rate)),
                       ("rate", lambda v: Levers(*g.structure(), g.credit, v)),
                       ("spif", lambda v: Levers(*g.structure(), g.credit, g.rate, v))):
        grid = list(SPIF_STEPS) if name == "spif" else s.steps(g.credit if name == "credit" else g.rate)[1:]
        i = first_passing(grid, lambda v, make=make: s.screen(make(v))[0])
        if i is not None:
            found.setdefault(make(grid[i]), name)
            if i + 1 < len(grid):  # one step more, should the mixes reject the first (the rep would split)
                found.setdefault(make(grid[i + 1]), name)

    points: dict[Levers, Point] = {}
    cheapest = None
    for _round in range(ROUNDS):
        known = len(s.challengers)
        candidates = _staircase(s, structures, found, points)
        for lv in candidates[:VERIFY_PER_ROUND]:
            if lv not in points:
                points[lv] = s.point(lv)
        cheapest = min((p for p in points.values() if p.works), key=lambda p: p.cost, default=None)
        if len(s.challengers) == known and cheapest is not None:
            break  # no candidate was rejected for a split this round: the screen is as the mixes have it
    singles: dict[str, Point] = {}
    for lv in sorted((lv for lv in found if found[lv] and s.screen(lv)[0]), key=s.cost):
        name = found[lv]
        if not name or name in singles:
            continue
        p = points.get(lv) or s.point(lv)  # every single change shown is run through every effort mix
        points.setdefault(lv, p)
        if p.works:
            singles[name] = p
    cheapest = min((p for p in points.values() if p.works and p.verified), key=lambda p: p.cost, default=None)
    given = s.point(g)
    frontier = _pareto([given, *points.values(), *singles.values()])
    priced = "the budget" if sc.population is not None else "one rep's year, per 100 of its bookings"
    return Frontier(cheapest, singles, frontier, given, s.runs, GRID, priced, tuple(k for k in LEVERS if k in s.exclude))


def _staircase(s: _Space, structures: list[Levers], found: dict[Levers, str], points: dict[Levers, Point]) -> list[Levers]:
    """The (credit, rate) staircase in each structure, the structures by their bound, cheapest first, with branch and
    bound on the rep's year: each structure's cheapest candidate is run through every effort mix at once (into
    ``points``), and once one works, a structure whose bound reaches its year is skipped. Returns the plans that pass
    the screen, cheapest on the population first."""
    g = s.given
    best = min((s.screen(lv)[2] for lv in found if s.screen(lv)[0]), default=None)
    proven = min((s.screen(lv)[2] for lv, p in points.items() if p.works and p.verified), default=None)
    pairs = 0
    for st in sorted(structures, key=s.bound):
        if best is not None and s.bound(st) >= best * SLACK:
            break
        if _moved(st, g) > 1:
            if pairs >= PAIRS_WALKED or not s.interacts(st):
                continue  # the pair does no more for the strategy's option than its better lever alone: that lever's walk stands
            pairs += 1
        coarse = (2 if _moved(st, g) < 2 else 4) * STEP  # a pair walks a coarser staircase: refined below all the same
        credits, rates = s.steps(g.credit, coarse), s.steps(g.rate, coarse)
        # the first credit that passes at the top rate, by bisection (none: nothing in this structure passes)
        i = first_passing(credits, lambda c, st=st, top=rates[-1]: s.screen(Levers(*st.structure(), c, top))[0])
        if i is None:
            continue
        j = first_passing(rates, lambda r, c=credits[i], st=st: s.screen(Levers(*st.structure(), c, r))[0])
        for c in credits[i:]:
            if best is not None and s.screen(Levers(*st.structure(), c, g.rate))[2] >= best * SLACK:
                break  # dearer with no rate added: so is every higher credit
            while j > 0 and s.screen(Levers(*st.structure(), c, rates[j - 1]))[0]:
                j -= 1  # the least rate that passes never rises as credit rises: walk the staircase down
            lv = Levers(*st.structure(), c, rates[j])
            found.setdefault(lv, "")
            best = min(best, s.screen(lv)[2]) if best is not None else s.screen(lv)[2]
            if j == 0:
                break  # credit alone passes: more credit only costs more
        mine = [lv for lv in found if lv.structure() == st.structure() and s.screen(lv)[0] and lv not in points]
        lv = min(mine, key=lambda lv: (s.screen(lv)[2], _size(lv, g))) if mine else None
        if lv is not None and (proven is None or s.screen(lv)[2] < proven):
            # verify the structure's cheapest step of the staircase now (unless a verified plan is already cheaper on
            # the rep's year): if it works, it bounds the rest
            points[lv] = p = s.point(lv)
            if p.works:
                best = min(best, s.screen(lv)[2]) if best is not None else s.screen(lv)[2]
                proven = min(proven, s.screen(lv)[2]) if proven is not None else s.screen(lv)[2]
    passing = sorted((lv for lv in found if s.screen(lv)[0]), key=lambda lv: s.screen(lv)[2])
    for lv in passing[:PRICE_AT_MOST]:  # refine the coarse staircase to the 0.05 grid: one step less of each, while it passes
        for lever in ("credit", "rate"):
            v = getattr(lv, lever)
            while v - STEP >= getattr(g, lever):
                down = replace(lv, **{lever: v - STEP})
                if not s.screen(down)[0]:
                    break
                found.setdefault(down, "")
                lv, v = down, v - STEP
    passing = sorted((lv for lv in found if s.screen(lv)[0]), key=lambda lv: (s.screen(lv)[2], _size(lv, g)))
    return sorted(passing[:PRICE_AT_MOST], key=lambda lv: (round(s.cost(lv), 2), _size(lv, g)))


def _moved(lv: Levers, g: Levers) -> int:
    """How many structural levers ``lv`` moves from ``g`` (measurement, threshold, cap with its scope, accelerator)."""
    return sum(a != b for a, b in ((lv.measure, g.measure), (lv.threshold, g.threshold), ((lv.cap, lv.cap_scope), (g.cap, g.cap_scope)),
                                   (lv.accelerator, g.accelerator)))


def _size(lv: Levers, g: Levers) -> tuple:
    """How big a change is, to break ties in cost: fewer levers moved, then less credit and rate added."""
    moved = _moved(lv, g) + (lv.credit != g.credit) + (lv.rate != g.rate) + bool(lv.spif)
    return moved, lv.credit + lv.rate - g.credit - g.rate, lv.spif


def _lever(lv: Levers, g: Levers) -> str:
    """The one structural lever ``lv`` moves from ``g``."""
    return next(k for k, a, b in (("measurement", lv.measure, g.measure), ("threshold", lv.threshold, g.threshold),
                                  ("cap", (lv.cap, lv.cap_scope), (g.cap, g.cap_scope)), ("accelerator", lv.accelerator, g.accelerator))
                if a != b)


def _search_mix(s: _Space) -> Frontier:
    """The search for a strategy that wants a mix of effort (``sc.wanted``). Credit, rate and a SPIF on the strategy's
    option are not monotone here: a little more pulls effort toward the wanted share, more pulls it past it (the rep
    puts 90% there when 60% is wanted), so neither bisection nor the staircase applies. Each is walked over its whole
    grid as a single change (credit and rate 1.00-3.00 in steps of 0.05, the SPIF 0.5%-10% of the deal); the structures
    (the plan as given, each structural lever and each pair moved) are run at the plan's own credit and rate; no credit
    is combined with a rate or a structure. Each candidate is screened first on the year at the wanted mix against the
    full-time years more than one step from it (necessary for a clear win), and only then run through every mix. A plan works when the rep's best mix is within one step of the wanted share
    on every option and the year at the wanted mix pays at least 2% more than the best year more than one step away
    (``passes``); its margin is that edge."""
    sc, g = s.sc, s.given
    wanted = sc.wanted or {}
    points: dict[Levers, Point] = {}
    singles: dict[str, Point] = {}

    # options whose full-time year is more than one step from the wanted mix (every option with a share under 90%)
    away_alone = [n for n, w in wanted.items() if Fraction(str(w)) < 1 - ONE_STEP]

    def point(lv: Levers) -> Point | None:
        if lv in points:
            return points[lv]
        plan = s.plan(lv)
        if plan is None or s.left_out(lv):
            return None
        # a screen, necessary for a clear win: the year at the wanted mix beats each of those full-time years by 2%
        # (the same deals, draws and seed as every effort mix), run before the full simulator's every mix
        s.runs += 1
        at = simulate_mix(sc, wanted, plan).payout
        if any(not clearly_wins(at, o.payout) for o in full_time(sc, plan, away_alone).values()):
            points[lv] = p = Point(lv, plan, Fraction(10**9), None, False, s.changes(lv))
            return p
        r = s.full(lv)
        ok, m = False, None
        if near(r.best_mix, wanted):
            e = mix_edge(sc, plan)
            s.runs += 1
            ok, m = e.wins, e.margin
        points[lv] = p = Point(lv, plan, s.cost(lv, r.best_mix) if ok else Fraction(10**9), m, ok, s.changes(lv))
        return p

    given = point(g) or Point(g, s.base, Fraction(10**9), None, False, [])
    if not given.works and s.plan(g) is not None:  # the plan as given is priced whether it works or not
        given = replace(given, cost=s.cost(g, s.full(g).best_mix))
    for lv in s.structures()[1:]:
        p = point(lv)
        if p is not None and p.works and _moved(lv, g) == 1:
            name = _lever(lv, g)
            if name not in singles or p.cost < singles[name].cost:
                singles[name] = p
    for name, make in () if s.key is None else (("credit", lambda v: Levers(*g.structure(), v, g.rate)),
                                                 ("rate", lambda v: Levers(*g.structure(), g.credit, v)),
                                                 ("spif", lambda v: Levers(*g.structure(), g.credit, g.rate, v))):
        grid = list(SPIF_STEPS) if name == "spif" else s.steps(g.credit if name == "credit" else g.rate)[1:]
        for v in grid:
            p = point(make(v))
            if p is not None and p.works:
                singles.setdefault(name, p)  # the smallest step that works
    working = [p for p in points.values() if p.works]
    cheapest = min(working, key=lambda p: (p.cost, _size(p.levers, g)), default=None)
    priced = "the budget" if sc.population is not None else "one rep's year, per 100 of its bookings"
    return Frontier(cheapest, singles, _pareto(working), given, s.runs, GRID_MIX, priced, tuple(k for k in LEVERS if k in s.exclude))


GRID_MIX = ("for a wanted mix of effort: credit, rate (1.00-3.00 in steps of 0.05) and a SPIF (0.5%-10% of the deal) on the "
            "strategy's option, each as a single change over its whole grid; the five measurement periods; threshold as given "
            "or none; cap as given, per year, or none; accelerator as given or none; each pair of those four levers")
