"""Each audit rule firing and not firing, by hand; a well-aligned plan gets no findings."""

from __future__ import annotations

import pytest

from coursekit.engine import audit, plan_from_dict, strategy_from_dict
from coursekit.engine.audit import findings_dict
from tests.unit.audit_data import ALIGNED, NO_OPTIONS, OPTIONS, PRIORITY, STRATEGY, TRACES, found


def test_a_well_aligned_plan_gets_no_findings():
    p = plan_from_dict({**ALIGNED, "traces_to": {c: TRACES[c] for c in plan_from_dict(ALIGNED).components()}})
    assert audit(p, strategy_from_dict(STRATEGY)) == []
    assert audit(p, strategy_from_dict(NO_OPTIONS)) == []


@pytest.mark.parametrize("period", ["annual", "quarterly", "monthly"])
def test_a_flat_linear_plan_never_peaks_early(period):
    flat = {"name": "Flat", "ote": 200000, "quota": 800000, "period": period}
    assert not any(code == "curve_peaks_early" for code, _ in found(flat))
    # a threshold is a step, not a slope: the line above it is just as flat
    assert not any(code == "curve_peaks_early" for code, _ in found({**flat, "threshold": 0.6}))


def test_a_curve_steeper_before_the_assumption_peaks_early():
    # 50% -> 25% of TI, 80% -> 90%: 0.65 TI over 0.3 quota (2.17x BCR), then 0.5x BCR from 80% on
    curve = {"name": "C", "ote": 200000, "quota": 800000, "curve": [[0.5, 0.25], [0.8, 0.9], [1.0, 1.0]]}
    ev = found(curve)[("curve_peaks_early", "curve")]
    # 0.65 / 0.3 x 12.5% = 27.08 cents per dollar from 50%; 0.5 x 12.5% = 6.25 cents from 100%
    assert "peaks at 50%-55%" in ev and "27.08 cents" in ev and "6.25 cents" in ev
    # a cap reached before planning's 100% makes the last dollars pay nothing: the cap is what peaks early
    # (a cap below 1x TI is a plan error; 2x BCR from the first dollar reaches a 1x cap at 50%)
    capped = {"name": "K", "ote": 200000, "quota": 800000, "tiers": [{"from": 0, "multiplier": 2}], "cap": 1.0}
    assert ("curve_peaks_early", "cap") in found(capped)


def test_period_shorter_than_cycle_only_when_something_resets_and_says_what():
    monthly = {"name": "M", "ote": 200000, "quota": 800000, "period": "monthly"}
    assert not any(code == "period_shorter_than_cycle" for code, _ in found(monthly))  # linear, uncapped: harmless
    cases = {"threshold": ({"threshold": 0.5}, "the threshold at 50%"), "cap": ({"cap": 2.0}, "the cap of 2x target"),
             "tier": ({"tiers": [{"from": 0, "multiplier": 1}, {"from": 1.0, "multiplier": 2}]}, "the tier edge at 100%")}
    for change, says in cases.values():
        ev = found({**monthly, **change})[("period_shorter_than_cycle", "period")]
        assert says in ev and "enterprise deals take 6 months" in ev and "every month" in ev
    # a quarterly plan with a 1-month-cycle priority: no finding; a tier "edge" at the same rate is no edge
    assert not any(c == "period_shorter_than_cycle" for c, _ in found({**monthly, "period": "quarterly", "cap": 2.0},
                                                                    {"priorities": [{**PRIORITY, "cycle_months": 3}]}))
    same = {**monthly, "tiers": [{"from": 0, "multiplier": 1}, {"from": 1.0, "multiplier": 1}]}
    assert not any(c == "period_shorter_than_cycle" for c, _ in found(same))


def test_a_spif_on_a_non_priority_option_is_flagged_even_when_traced_to_a_priority():
    push = {"name": "Point push", "amount": 1000, "product": "point"}
    ev = found({**ALIGNED, "spifs": [push]})[("spif_against_strategy", "spif.Point push")]
    assert "1,000 per deal on smb" in ev and "traces_to names 'enterprise'" in ev
    # the same SPIF judged without options: point is outside every priority's product
    assert ("spif_against_strategy", "spif.Point push") in found({**ALIGNED, "spifs": [push]}, NO_OPTIONS)
    # a SPIF on any deal also pays on smb; one on platform pays only on the priority
    assert ("spif_against_strategy", "spif.Launch") in found({**ALIGNED, "spifs": [{"name": "Launch", "amount": 500}]})
    assert not any(c == "spif_against_strategy" for c, _ in found(ALIGNED))


def test_a_credit_multiplier_above_one_on_a_non_priority_is_flagged():
    ev = found({**ALIGNED, "credit": {"segment": {"enterprise": 1.25, "smb": 1.5}}})[("credit_against_strategy", "credit.segment.smb")]
    assert "smb deals 1.5 times" in ev and "traces_to names 'enterprise'" in ev
    assert ("credit_against_strategy", "credit.segment.smb") in found({**ALIGNED, "credit": {"segment": {"smb": 1.5}}}, NO_OPTIONS)
    # a multiplier of 1 or below on smb steers nothing toward it
    assert not any(c == "credit_against_strategy" for c, _ in found({**ALIGNED, "credit": {"segment": {"smb": 0.9}}}))


def test_a_cap_that_binds_on_the_priority_option_is_flagged():
    # annual cap 1.2x TI = 120,000; a year on enterprise earns 200,000 uncapped (with its 1.25 credit), and
    # its 2 platform deals each pay the 5,000 Launch SPIF, which the cap does not touch: 130,000 against 210,000
    f = next(f for f in audit(plan_from_dict({**ALIGNED, "cap": 1.2, "traces_to": {"cap": "enterprise"}}), strategy_from_dict(STRATEGY))
             if f.code == "cap_binds_on_priority")
    assert "a year on enterprise pays 130,000 with the cap and 210,000 without it (every deal closing" in f.evidence
    assert "traces_to names 'enterprise'" in f.evidence
    # the cap is already on the year: "cap the year instead of each year" is not offered
    assert "1.2x the year's target incentive" in f.evidence and "instead of each" not in f.fix
    # monthly flat with a 2x monthly cap: enterprise's 480,000 months earn 60,000 uncapped, capped at 16,666.67
    monthly = {"name": "Monthly flat", "ote": 200000, "quota": 800000, "period": "monthly", "cap": 2.0}
    p = plan_from_dict(monthly)
    cap = next(f for f in audit(p, strategy_from_dict(STRATEGY)) if f.code == "cap_binds_on_priority")
    assert "a year on enterprise pays 33,333 with the cap and 120,000 without it" in cap.evidence
    assert "cap the year instead of each month" in cap.fix
    assert not any(c == "cap_binds_on_priority" for c, _ in found(ALIGNED))  # 3x TI is never reached


def test_priority_pays_less_fires_and_does_not():
    monthly = {"name": "Monthly flat", "ote": 200000, "quota": 800000, "period": "monthly", "cap": 2.0}
    # enterprise 33,333 vs smb 12 x 7,500 = 90,000
    assert "a year on enterprise pays 33,333; a year on smb pays 90,000" in found(monthly)[("priority_pays_less", "enterprise")]
    assert not any(c == "priority_pays_less" for c, _ in found(ALIGNED))


def test_findings_carry_a_stable_code_and_component_in_json():
    p = plan_from_dict({"name": "Monthly flat", "ote": 200000, "quota": 800000, "period": "monthly", "cap": 2.0})
    d = findings_dict(audit(p, strategy_from_dict(STRATEGY)))["findings"]
    assert {(f["code"], f["component"]) for f in d} == {
        ("untraced", "quota"), ("untraced", "cap"), ("period_shorter_than_cycle", "period"),
        ("priority_pays_less", "enterprise"), ("cap_binds_on_priority", "cap")}
    assert all(f["kind"] == f["code"] for f in d)  # the earlier name stays in the JSON


def test_one_finding_per_code_and_component_when_the_cap_cuts_two_priorities():
    second = {"name": "expansion", "deal_size": 240000, "deals_per_cycle": 1, "cycle_months": 3, "segment": "enterprise",
              "product": "platform"}
    monthly = {"name": "Monthly flat", "ote": 200000, "quota": 800000, "period": "monthly", "cap": 2.0}
    strategy = {**STRATEGY, "options": [*OPTIONS, second]}  # expansion sells platform to enterprise too: a priority deal
    caps = [f for f in audit(plan_from_dict(monthly), strategy_from_dict(strategy)) if f.code == "cap_binds_on_priority"]
    # expansion: 240,000 in months 3, 6, 9, 12 = 360% of the month's 66,666.67 -> 30,000 uncapped, 16,666.67 capped
    assert len(caps) == 1 and "a year on expansion pays 66,667 with the cap and 120,000 without it" in caps[0].evidence
    assert "a year on enterprise pays 33,333 with the cap and 120,000 without it" in caps[0].evidence


def test_a_steep_first_tier_is_named_as_the_component():
    # 2x BCR to 80%, then 0.5x: steepest in tier 1, well before planning's 100%
    tiers = {"name": "T", "ote": 200000, "quota": 800000, "tiers": [{"from": 0, "multiplier": 2}, {"from": 0.8, "multiplier": 0.5}]}
    ev = found(tiers)[("curve_peaks_early", "tier 1")]
    # 2 x 12.5% = 25 cents per dollar from the first dollar; 0.5 x 12.5% = 6.25 cents from 100%
    assert "peaks at 0%-5%" in ev and "25.00 cents" in ev and "6.25 cents" in ev


def fixes(plan: dict, strategy: dict = STRATEGY) -> dict[tuple[str, str], str]:
    bare = plan_from_dict(plan)
    p = plan_from_dict({**plan, "traces_to": {c: TRACES[c] for c in bare.components() if c in TRACES}})
    return {(f.code, f.component): f.fix for f in audit(p, strategy_from_dict(strategy)) if f.code != "untraced"}


def test_what_resets_each_period_is_said_to_cut_or_to_overpay_the_period_a_long_deal_lands_in():
    monthly = {"name": "M", "ote": 200000, "quota": 800000, "period": "monthly"}
    # a cap that resets each month pays the month an enterprise deal lands at most 2x; the same bookings spread
    # over the year would be paid in full: the long deal is cut
    cap = found({**monthly, "cap": 2.0})[("period_shorter_than_cycle", "period")]
    assert "cuts the month a long deal lands in" in cap and "overpays" not in cap
    assert "cap the year instead of each month" in fixes({**monthly, "cap": 2.0})[("period_shorter_than_cycle", "period")]
    # a threshold (or a rising tier) that resets each month is passed easily in the month a large deal lands:
    # it overpays that month and rewards moving deals between months (Oyer 1998; Larkin 2014), it does not cut it
    for change in ({"threshold": 0.5}, {"tiers": [{"from": 0, "multiplier": 1}, {"from": 1.0, "multiplier": 2}]}):
        ev = found({**monthly, **change})[("period_shorter_than_cycle", "period")]
        assert "overpays the month a long deal lands in" in ev and "cuts" not in ev
        assert "drop" not in fixes({**monthly, **change})[("period_shorter_than_cycle", "period")]
    # a falling tier (a decelerator) cuts like a cap, and its fix may drop it
    falling = {**monthly, "tiers": [{"from": 0, "multiplier": 1}, {"from": 1.0, "multiplier": 0.5}]}
    assert "the tier edge at 100% starts over every month and cuts" in found(falling)[("period_shorter_than_cycle", "period")]
    assert "drop the tier edge at 100%" in fixes(falling)[("period_shorter_than_cycle", "period")]


def test_the_fix_for_a_priority_that_pays_less_names_only_levers_the_plan_has():
    capped = {"name": "Monthly flat", "ote": 200000, "quota": 800000, "period": "monthly", "cap": 2.0}
    fix = fixes(capped)[("priority_pays_less", "enterprise")]
    assert "cap the year instead of each month" in fix and "rate differential" in fix and "accelerator" not in fix
    # annual, no cap: the priority pays less only because its bookings are worth less; no cap to lift, no period to lengthen
    cheap = {"name": "Flat", "ote": 200000, "quota": 800000, "period": "annual"}
    low = {"priorities": [PRIORITY], "options": [OPTIONS[0], {**OPTIONS[1], "deal_size": 240000}]}
    fix = fixes(cheap, low)[("priority_pays_less", "enterprise")]
    assert "cap" not in fix and "longer period" not in fix and fix.startswith("pay a higher rate on enterprise deals")
