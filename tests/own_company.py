"""A company of a learner's own for the own-company tests (functional, room, browser): not Northwind, not a course
example; a maker of orchard sensors paid on two weighted components. With a hand computation of a year's pay and the
capstone driven through the widgets' API twins."""

from __future__ import annotations

from fractions import Fraction

from coursekit.answers import Answers
from coursekit.exercises.priorities.widget import PrioritiesForm
from coursekit.exercises.scenario_editor.widget import ScenarioEditor

COMPANY = {
    "name": "Quillon Orchard Sensing", "currency": "CHF", "ote": 160000, "variable_share": 0.375, "quota": 960000,
    "start": "2027-07",
    "plan": {"name": "Quillon field AE FY28", "period": "quarterly", "measures": [
        {"name": "hardware", "weight": 0.6, "product": "sensor", "quota": 576000, "threshold": 0.5},
        {"name": "subscriptions", "weight": 0.4, "product": "saas", "quota": 384000, "cap": 1.5}]},
    "options": [
        {"name": "vineyard retrofit", "product": "sensor", "deal_size": 36000, "cycle_months": 3, "win_rate": 1.0, "deals_per_cycle": 3},
        {"name": "co-op analytics", "product": "saas", "deal_size": 12000, "cycle_months": 1, "win_rate": 1.0, "deals_per_cycle": 4},
    ],
}
PRIORITIES = {"priorities": [{"name": "sign growers' co-ops", "rank": 1, "segment": "co-op analytics", "cycle_months": 1, "what": "behavior",
                              "behavior": "demo the yield dashboard to a co-op's board with its own orchard data"}],
              "assumed_attainment": 85}


def hand_pay(company: dict, option: dict) -> Fraction:
    """A year full-time on one option (every deal won), by hand: each quarter measured alone; a measure pays its weight
    of the quarter's target incentive times attainment (linear), nothing below its threshold, at most its cap."""
    months = [Fraction(0)] * 12
    for m in range(option["cycle_months"], 13, option["cycle_months"]):
        months[m - 1] = Fraction(option["deal_size"]) * Fraction(str(option["deals_per_cycle"]))
    return measures_pay(company, company["plan"]["measures"], {option["product"]: months})


def measures_pay(company: dict, measures: list[dict], credited: dict[str, list[Fraction]]) -> Fraction:
    """A year's pay on ``credited`` bookings (a product's twelve months), by hand: each quarter measured alone; a measure
    pays its weight of the quarter's target incentive times attainment (linear), nothing below its threshold, at most
    its cap."""
    ti = Fraction(str(company["ote"])) * Fraction(str(company["variable_share"]))
    total = Fraction(0)
    for meas in measures:
        months = credited.get(meas["product"], [Fraction(0)] * 12)
        for q in range(4):
            att = sum(months[3 * q: 3 * q + 3]) / (Fraction(meas["quota"]) / 4)
            if att < Fraction(str(meas.get("threshold", 0))):
                continue
            att = min(att, Fraction(str(meas["cap"]))) if "cap" in meas else att
            total += ti * Fraction(str(meas["weight"])) / 4 * att
    return total


def take_through(tmp_path, ctx, company=COMPANY) -> Answers:
    """A learner's answers with ``company`` typed into the capstone's options editor and checked, and module 2's
    priority naming one of its options in free text (both by the widgets' API twins); every check passes."""
    answers = Answers(tmp_path / "quillon.json")
    editor = ScenarioEditor(ctx["scenario"], answers=answers, key="alignment-capstone/action-2")
    lines = editor.set_company(company)
    assert all(level != "warn" for level, _ in lines), lines
    form = PrioritiesForm(segments=["renewal", "expansion", "new-logo"], answers=answers, key="strategy-to-comp-translation/action-1")
    form.set_answer(PRIORITIES)
    assert all(level != "warn" for level, _ in form.check())
    return answers




MIX = {"vineyard retrofit": 0.6, "co-op analytics": 0.4}  # hardware 60% / subscriptions 40%: the company wants a split


def hand_mix_pay(company: dict, plan: dict, shares: dict[str, Fraction]) -> Fraction:
    """A year with effort split as ``shares`` (every deal won), by hand from the simulator's stated rule: a rep giving an
    option a share s of the year works s x deals_per_cycle deals a cycle, and a deal closes at the end of the cycle in
    which the work on it is complete (so by the end of cycle k, floor(k x s x deals_per_cycle) deals have closed). Each
    quarter is measured alone; a deal's credit is its size times the plan's credit multiplier on its product; a measure
    pays its weight of the quarter's target incentive times its attainment (linear), nothing below its threshold, at most
    its cap."""
    credited: dict[str, list[Fraction]] = {}
    for opt in company["options"]:
        s = Fraction(str(shares.get(opt["name"], 0)))
        mult = Fraction(str(plan.get("credit", {}).get("product", {}).get(opt["product"], 1)))
        months = credited.setdefault(opt["product"], [Fraction(0)] * 12)
        per = s * Fraction(str(opt["deals_per_cycle"]))
        for k in range(1, 12 // opt["cycle_months"] + 1):
            closed = (k * per).__floor__() - ((k - 1) * per).__floor__()
            months[k * opt["cycle_months"] - 1] += closed * Fraction(opt["deal_size"]) * mult
    return measures_pay(company, plan["measures"], credited)
