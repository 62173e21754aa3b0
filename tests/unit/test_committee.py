"""The comp committee's tests (capstone.committee), each against an independent computation from the engine."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from coursekit.brief.compose import named_changes, plan_changes
from coursekit.capstone import committee as c
from coursekit.engine import load_scenario
from coursekit.engine.simulate import booking_mix, population, simulate

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cap():
    sc = load_scenario(ROOT / "content/scenarios/capstone-fy28.yaml")
    cur = sc.plan
    prop = cur.with_changes(tiers=(cur.tiers[0],), period="annual",
                            credit={"segment": {"renewal": 1.5, "new-logo": 1.15}})
    return sc, cur, prop


def test_who_earns_less_equals_the_same_reps_paid_under_each_plan(cap):
    sc, cur, prop = cap
    w = c.who_earns_less(sc, cur, prop)
    pay = [population(p, sc.population, sc.months, sc.start, booking_mix(sc, simulate(sc, p).best_mix))["payout"] for p in (cur, prop)]
    diff = pay[1] - pay[0]
    assert w["share_paid_less"] == pytest.approx(float((diff < -0.005).mean()))
    assert w["worst_change"] == pytest.approx(float(diff.min()), abs=0.01)
    assert w["median_change"] == pytest.approx(float(np.median(diff)), abs=0.01)
    assert "simulated reps are paid less" in c.who_earns_less_line(w) or w["share_paid_less"] == 0


def test_pays_target_reads_the_typical_rep_at_planned_attainment(cap):
    sc, _cur, prop = cap
    t = c.pays_target(sc, prop, sc.prefer, 1.0)
    assert t["target"] == prop.target_incentive
    assert t["ok"] == (abs(t["ratio"] - 1) <= Fraction(1, 10))
    halved = prop.with_changes(ote=prop.ote / 2)  # the same deals, half the target: the rep at plan earns well outside +-10%
    assert not c.pays_target(sc, halved, sc.prefer, 1.0)["ok"] or not t["ok"]
    level, text = c.pays_target_line(sc, halved, sc.prefer, 1.0)
    assert level in ("warn", "ok") and "target incentive" in text


def test_effort_moved_off_an_option_asks_who_covers_it(cap):
    sc, cur, prop = cap
    moves = c.effort_moves(sc, cur, prop)
    before, after = simulate(sc, cur).best_mix, simulate(sc, prop).best_mix
    assert {m["option"] for m in moves} == {k for k in before if after.get(k, 0) < before[k]}
    for m in moves:
        assert m["revenue_at_risk"] > 0
    if moves:
        name = moves[0]["option"]
        assert c.coverage_feedback({}, moves)[0][0] == "warn"
        assert c.coverage_feedback({name: {"who": "a team", "name": "the CS team"}}, moves)[0][0] == "ok"
        assert "at risk" in c.coverage_feedback({name: {"who": "nobody"}}, moves)[0][1]


def test_risk_asks_for_a_floor_a_draw_or_a_reason_when_the_bad_year_pays_less(cap):
    sc, _cur, prop = cap
    r = simulate(sc, prop)
    k = c.risk(r, sc.prefer)
    want = next(o for o in r.options if o.name == sc.prefer)
    other = max((o for o in r.options if o.name != sc.prefer), key=lambda o: o.payout)
    assert k["risky"] == (want.p10 < other.payout)
    if k["risky"]:
        assert c.risk_line(r, sc.prefer)[0] == "warn"
        assert c.risk_line(r, sc.prefer, {"risk": "floor"})[0] == "ok"
        assert c.risk_line(r, sc.prefer, {"risk": "reason", "reason": "asdf"})[0] == "warn"


def test_each_change_is_named_and_the_learners_told_apart_from_the_inherited(cap):
    _sc, cur, prop = cap
    start = cur.with_changes(tiers=(cur.tiers[0],))
    named = named_changes(cur, start, prop)
    assert named["inherited"] == ["removes the 1.5x accelerator above 100%"]
    assert not any("accelerator" in x for x in named["yours"]) and any("new logo" in x for x in named["yours"])
    assert plan_changes(cur, cur) == [] and c.rate_changes(cur, cur) == []
    assert c.rate_changes(start, cur) == ["adds a 1.5x accelerator above 100%"]


def test_afford_is_one_line_when_the_starting_design_is_the_plan_in_force_and_labels_the_budget(cap):
    sc, cur, prop = cap
    level, text = c.afford(sc, cur, cur, prop)
    assert "the budget (the population's incentive per 100 of bookings)" in text and "one rep's year" in text
    assert "your starting design" not in text
    start = cur.with_changes(tiers=(cur.tiers[0],))
    assert "your starting design" in c.afford(sc, cur, start, prop)[1]


def test_a_transition_is_structured():
    w = {"share_paid_less": 0.4}
    assert c.transition_feedback({}, w)[0] == "warn"
    assert c.transition_feedback({"transition": "phase-down"}, w)[0] == "warn"
    assert c.transition_feedback({"transition": "phase-down", "periods": 4}, w)[0] == "ok"
    assert c.transition_feedback({"transition": "none", "reason": "x"}, w)[0] == "warn"
    assert c.transition_feedback({"transition": "guarantee"}, {"share_paid_less": 0.0})[0] == "ok"
