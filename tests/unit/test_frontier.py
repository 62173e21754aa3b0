"""The cheapest plan that works (engine.frontier): it works, it is never dearer than any single-control change the
plan tester finds on its own (an independent search: the tester's bisection per control over the full simulator),
and the frontier is what it says (cheapest first, each with a larger margin)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import matplotlib
import pytest

from coursekit.engine import load_scenario
from coursekit.engine.frontier import CLEAR_MARGIN, first_passing, search, works
from coursekit.engine.simulate import full_time, simulate
from coursekit.exercises.plan_tester.charts import frontier_figure
from coursekit.exercises.plan_tester.checks import frontier_lines
from coursekit.exercises.plan_tester.widget import PlanTester

matplotlib.use("Agg")
ROOT = Path(__file__).resolve().parents[2]
EXACT = ["examples/enterprise-vs-smb.yaml"]  # every deal closes: fast enough for a unit test


@pytest.fixture(scope="module", params=EXACT)
def case(request):
    sc = load_scenario(ROOT / request.param)
    return sc, search(sc)


def test_the_cheapest_plan_works_on_the_full_simulator(case):
    sc, fr = case
    assert fr.cheapest is not None and fr.cheapest.verified
    r = simulate(sc, fr.cheapest.plan)
    assert works(r, sc.prefer)
    want = next(o.payout for o in r.options if o.name == sc.prefer)
    other = max(o.payout for o in r.options if o.name != sc.prefer)
    assert Fraction(str(want)) >= Fraction(str(other)) * (1 + CLEAR_MARGIN)


def test_the_cheapest_plan_is_never_dearer_than_a_single_control_change_the_tester_finds(case):
    sc, fr = case
    w = PlanTester(sc.plan, sc.options, sc.prefer)
    base = dict(w.answer)
    checked = 0
    for key in ("credit", "rate", "threshold", "cap", "accelerator"):
        w_ = {"credit": w._credit, "rate": w._rate, "threshold": w._threshold, "accelerator": w._acc_mult}.get(key)
        top = 0.0 if key == "cap" else (0.0 if key == "threshold" else w_.max)
        grid = w._grid(key, base[key], top) if base[key] != top else []
        best = first_passing(grid, lambda v, key=key: w.works({**base, key: v})) if grid else None
        if best is None:
            continue
        cost = w._cost({**base, key: grid[best]})  # no population in this scenario: the rep's own year, as the frontier prices it
        assert fr.cheapest.cost <= cost, (key, grid[best], float(cost), float(fr.cheapest.cost))
        checked += 1
    for single in fr.singles.values():
        if single.verified:
            assert fr.cheapest.cost <= single.cost
    assert checked or fr.singles  # the comparison compared something


def test_the_frontier_is_cheapest_first_each_with_a_larger_margin(case):
    _sc, fr = case
    pts = fr.frontier
    assert pts and all(p.works for p in pts)
    assert all(a.cost <= b.cost and (a.margin or 0) < (b.margin or 0) for a, b in zip(pts, pts[1:]))
    assert fr.cheapest.cost == pts[0].cost


def test_the_search_only_asks_for_the_option_it_moves_and_matches_the_simulator():
    sc = load_scenario(ROOT / "content/scenarios/capstone-fy28.yaml")
    alone = full_time(sc, sc.plan, [sc.prefer])
    every = {o.name: o for o in simulate(sc, mixes=False).options}
    assert alone[sc.prefer] == every[sc.prefer]  # the same deals, draws and seed


def test_a_dearer_working_design_is_refused_only_where_asked(case):
    _sc, fr = case
    dear = fr.cheapest.cost + 5
    assert frontier_lines(fr, dear, True, refuse=True)[-1][0] == "warn"
    assert frontier_lines(fr, dear, True)[-1][0] == "info"
    assert all(level == "info" for level, _ in frontier_lines(fr, fr.cheapest.cost, True, refuse=True))


def test_the_chart_marks_the_learners_design_and_says_so_in_its_alt_text(case):
    _sc, fr = case
    fig = frontier_figure(fr, (12.3, 0.05))
    assert "Your design: 12.3 per 100" in fig.alt and "per 100 of bookings" in fig.alt
    assert len(fig.axes[0].lines) >= 3


def test_in_the_capstone_a_credit_of_3_is_refused_while_a_smaller_step_works():
    from coursekit.engine.plan import Tier

    sc = load_scenario(ROOT / "content/scenarios/capstone-fy28.yaml")
    # module 4's model answer applied to Northwind (threshold 50%, quarterly cap 2x, no accelerator, no kicker)
    design = sc.plan.with_changes(tiers=(Tier(0.0, 1.0),), credit={})
    w = PlanTester(design, sc.options, sc.prefer, baseline=sc.plan, committee_tests=True)
    w.set_answer({**w.answer, "credit": 3.0})
    lines = dict((text.split("?")[0], level) for level, text in w.tests())
    assert lines["Would a rep following this plan execute our strategy"] in ("ok", "unsure")  # it works (the risk aside) ...
    assert lines["Is it the cheapest change that works"] == "warn"  # ... and is refused: a cheaper plan works
    cheapest = w.frontier().cheapest
    assert cheapest is not None and cheapest.cost + 1 < w._budget(w.answer)
    assert works(simulate(sc, cheapest.plan), sc.prefer)
    w.set_answer({**w.answer, "credit": 1.15})  # module 3's smallest step: within 1 per 100 of the cheapest
    assert not any(text.startswith("Is it the cheapest") and level == "warn" for level, text in w.tests())


def test_the_tester_shows_the_chart_with_its_alt_text_once_the_design_works(case):
    sc, _fr = case
    w = PlanTester(sc.plan, sc.options, sc.prefer)
    assert w._frontier.value == ""  # the plan as given: nothing to place yet
    w.set_answer({**w.answer, "period": "quarterly"})  # a single change the search finds works here
    assert w.frontier_html().startswith("<img") and 'alt="Cost against margin' in w._frontier.value and "Your design:" in w._frontier.value


def test_a_learners_company_with_weighted_components_gets_a_cheapest_plan_and_a_working_tester():
    sc = load_scenario(ROOT / "benchmarks/kit/company-weighted.yaml")  # new ARR 70%, renewals 30%, its own options
    fr = search(sc)
    assert fr.cheapest is not None and works(simulate(sc, fr.cheapest.plan), sc.prefer)
    def parts(plan):
        return [(m.name, m.weight, m.plan.threshold, m.plan.tiers, m.plan.cap) for m in plan.measures]

    assert parts(fr.cheapest.plan) == parts(sc.plan)  # the components are kept, each with its own threshold, curve and cap
    w = PlanTester(sc.plan, sc.options, sc.prefer, population=sc.population)
    w.set_answer({**w.answer, "period": "annual", "measurement": "standalone"})
    assert w.error == "" and w.result is not None
    own = w.priority_measure()  # the threshold control moves the component that pays the strategy's option, only it
    moved = w.plan_for({**w.answer, "threshold": 0.3})
    assert [(m.name, m.plan.threshold) for m in moved.measures if m.name == own.name] == [(own.name, 0.3)]
    assert [parts_m for parts_m in parts(moved) if parts_m[0] != own.name] == [p for p in parts(sc.plan) if p[0] != own.name]


def test_an_option_no_segment_or_product_singles_out_is_searched_on_the_structure_alone():
    from coursekit.engine import scenario_from_dict

    sc = scenario_from_dict({"plan": {"name": "p", "ote": 200000, "quota": 800000, "period": "monthly", "cap": 1.0},
                             "options": [{"name": "a", "deal_size": 20000, "deals_per_cycle": 3},
                                         {"name": "b", "deal_size": 480000, "cycle_months": 6}], "strategy": {"prefer": "b"}})
    fr = search(sc)
    assert all(p.levers.credit == 1 and p.levers.rate == 1 and not p.levers.spif for p in [*fr.singles.values(), *fr.frontier])
    assert fr.cheapest is None or works(simulate(sc, fr.cheapest.plan), "b")


# --- pairs of structural levers -------------------------------------------------------------------------------------
# Monthly measurement, a cap of 1x the month's target incentive and a 2x accelerator above quota (OTE 200,000 at 50/50,
# quota 800,000: 12.5% of bookings to quota). Every deal closes. The strategy wants "lumpy" (960,000 a year in four
# deals); "steady" books 900,000 evenly, "one big" 900,000 in one deal. By hand: the monthly cap holds "lumpy" to
# 4 x 8,333; measured over the year the cap (100,000) binds "lumpy" and "steady" alike; without the cap the accelerator
# pays "one big" most in its one month; without the accelerator the monthly cap still binds. Without the cap AND the
# accelerator everything pays 12.5% of bookings: "lumpy" 120,000 against 112,500, a clear win (6.7%).
PAIR_SCENARIO = {"plan": {"name": "p", "ote": 200000, "quota": 800000, "period": "monthly", "cap": 1.0,
                          "tiers": [{"from": 0.0, "multiplier": 1.0}, {"from": 1.0, "multiplier": 2.0}]},
                 "options": [{"name": "steady", "deal_size": 75000}, {"name": "lumpy", "deal_size": 240000, "cycle_months": 3},
                             {"name": "one big", "deal_size": 900000, "cycle_months": 12}],
                 "strategy": {"prefer": "lumpy"}}


def _clearly_follows(sc, plan) -> tuple[bool, Fraction]:
    """(the rational rep puts at least 90% on the strategy's option and its year pays 2% more than any other's, the rep's
    own year per 100 of its bookings): the plan tester's rule, from the simulator's output alone."""
    from coursekit.engine.simulate import simulate_mix

    r = simulate(sc, plan)
    pay = {o.name: Fraction(str(o.payout)) for o in r.options}
    other = max(v for k, v in pay.items() if k != sc.prefer)
    ok = r.best_mix.get(sc.prefer, 0) >= 0.9 - 1e-9 and pay[sc.prefer] >= other * Fraction(102, 100)
    year = simulate_mix(sc, r.best_mix, plan)
    return ok, Fraction(str(year.payout)) * 100 / Fraction(str(year.revenue))


def test_a_pair_of_structural_levers_beats_every_single_structural_change():
    from itertools import combinations

    from coursekit.engine import scenario_from_dict
    from coursekit.engine.plan import Tier

    sc = scenario_from_dict(PAIR_SCENARIO)
    p = sc.plan
    moves = {"measure": [{"period": per, "measurement": m} for per, m in
                         (("quarterly", "standalone"), ("monthly", "cumulative"), ("quarterly", "cumulative"), ("annual", "standalone"))],
             "cap": [{"cap_scope": "year"}, {"cap": None}],
             "accelerator": [{"tiers": (Tier(0.0, 1.0),)}]}  # the plan has no threshold to remove
    singles = [c for cs in moves.values() for c in cs]
    pairs = [{**a, **b} for x, y in combinations(moves, 2) for a in moves[x] for b in moves[y]]
    assert not any(_clearly_follows(sc, p.with_changes(**c))[0] for c in singles)  # no single structural change works
    pair_costs = [cost for ok, cost in (_clearly_follows(sc, p.with_changes(**c)) for c in pairs) if ok]
    assert pair_costs  # ... a pair does
    linear = _clearly_follows(sc, p.with_changes(cap=None, tiers=(Tier(0.0, 1.0),)))
    assert linear == (True, Fraction(25, 2))  # by hand: 120,000 on 960,000 booked

    fr = search(sc)
    assert fr.cheapest is not None and not fr.singles  # nothing but a pair works here
    c, g = fr.cheapest.plan, sc.plan
    moved = [((c.period, c.measurement) != (g.period, g.measurement)), (c.cap, c.cap_scope) != (g.cap, g.cap_scope), c.tiers != g.tiers]
    assert sum(moved) == 2 and len(fr.cheapest.changes) == 2, fr.cheapest.changes  # two structural levers, nothing else
    assert works(simulate(sc, fr.cheapest.plan), sc.prefer)
    assert fr.cheapest.cost <= min(pair_costs)  # the cheapest pair the hand enumeration finds, or cheaper
