"""Issues 25 and 24: modules 2 and 3's plan tester passes its own model answer and still refuses over-paying.

"Can we afford it?" holds a change to the budget the exercise states (``budget: {per_100, basis}``), exactly; the
cheapest-plan search leaves out the levers the module names as misconceptions (``frontier: {exclude: ...}``), says so,
and a design that moves one is refused by name. The testers are built as the notebook builds them: from the note's
exercise spec, through the kind's planning and its setup cell."""

from __future__ import annotations

import warnings
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from coursekit import notebook as ex
from coursekit.assemble import check_course
from coursekit.engine.frontier import LEVERS, search
from coursekit.engine.scenario import scenario_from_dict
from coursekit.engine.simulate import OptionResult
from coursekit.errors import CourseError
from coursekit.exercises.plan_tester.checks import budget_line, levers_moved, per_100
from tests.helpers import note_text

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
M2, M3 = "strategy-to-comp-translation", "priority-encoding-via-pay"
QUESTIONS = ("Would a rep following this plan execute our strategy?", "Would they make more money doing what we want",
             "Can we afford it?")


@pytest.fixture(scope="module")
def planned():
    _, planned, problems = check_course(CONTENT)
    assert not problems, problems
    return {slug: next(p for p in planned[slug] if p.kind and p.kind.name == "plan_tester") for slug in (M2, M3)}


def _tester(p) -> ex.PlanTester:
    """The tester as the notebook's setup and widget cells make it (the module's own budget and left-out levers)."""
    ns: dict = {}
    exec("from coursekit.notebook import *\n" + p.kind.setup_source(p), ns)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ex.PlanTester(**ns[f"{p.var}_args"], spif_control=bool(p.kwargs.get("spif_control")))


def _check(t: ex.PlanTester, change: dict) -> list[tuple[str, str]]:
    """The change made, then the 60-second parts read right for the plan it makes and a short explanation written, as a
    learner following the model answer does."""
    t.set_answer({**t._base_answer, **change})
    t.set_answer({**t.answer, "explain": t.explain_key(),
                  "explanation": "We measure the year and pay the priority's deals more; below the threshold nothing is paid."})
    return t.check()


def _test(lines, question: str) -> tuple[str, str]:
    return next((level, text) for level, text in lines if text.startswith(question))


def _sidecar(slug: str) -> str:
    return (CONTENT / f"{slug}.course.yaml").read_text()


def _note(slug: str) -> str:
    return (CONTENT / f"{slug}.md").read_text()


# the module's model answers (the sidecar's facilitator text names each), and what its text quotes for them
MODEL = [
    (M2, {"period": "annual", "accelerator": 1.0, "credit": 1.85}, "15.4 per 100", "111,000"),
    (M2, {"period": "monthly", "measurement": "cumulative", "accelerator": 1.0, "credit": 1.85}, "15.4 per 100", "111,000"),
    (M2, {"period": "annual", "accelerator": 1.0, "rate": 1.85}, "15.4 per 100", "111,000"),
    (M3, {"rate": 1.3}, "13.0 per 100", "93,600"),
    (M3, {"credit": 1.3}, "13.25 per 100", "95,400"),
]


@pytest.mark.parametrize(("slug", "change", "cost", "pay"), MODEL, ids=[f"{m[0][:8]}-{m[1]}" for m in MODEL])
def test_the_model_answer_passes_the_strategy_money_and_budget_tests(planned, slug, change, cost, pay):
    p = planned[slug]
    t = _tester(p)
    lines = _check(t, change)
    for q in QUESTIONS:
        level, text = _test(lines, q)
        assert level == "ok" and " Yes" in text, text
    assert not any(level == "warn" for level, _ in lines if not _.startswith("Can we explain")), lines
    assert not any("? No" in text for _, text in lines), lines  # never told No (the cheapest-plan note included)
    # the figures the text quotes are the engine's: the year on the strategy's option and its cost per 100 of bookings
    want = next(o for o in t.result.options if o.name == t.prefer)
    assert f"{want.payout:,.0f}" == pay and pay in _sidecar(slug)
    assert cost in _sidecar(slug)
    figure = cost.split()[0]
    places = Decimal(1).scaleb(-len(figure.split(".")[1]))
    exact = per_100(want.payout, want.revenue)
    assert str((Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(places, ROUND_HALF_UP)) == figure


def test_the_budget_is_the_figure_the_text_states(planned):
    for slug, figure in ((M2, "16.0"), (M3, "15.0")):
        b = planned[slug].kwargs["budget"]
        assert f"{b['per_100']:.1f}" == figure and b["basis"]
        assert f"{figure} per 100 of bookings" in _note(slug)  # the note's prose explains it
        t = _tester(planned[slug])
        assert t.budget == (float(figure), b["basis"])
        level, text = _test(_check(t, {}), "Can we afford it?")
        assert f"the budget of {figure} per 100 ({b['basis']})" in text


# over-paying: the biggest lever, a step above the smallest, and the module 2 answer that keeps the untraced accelerator
OVER = [
    (M2, {"period": "annual", "credit": 3.0}),
    (M2, {"period": "monthly", "measurement": "cumulative", "credit": 1.85}),
    (M2, {"period": "annual", "rate": 2.25}),
    (M3, {"credit": 3.0}),
    (M3, {"credit": 1.5}),
]


@pytest.mark.parametrize(("slug", "change"), OVER, ids=[f"{o[0][:8]}-{o[1]}" for o in OVER])
def test_over_paying_is_refused_over_the_budget_and_never_done(planned, slug, change):
    t = _tester(planned[slug])
    lines = _check(t, change)
    level, text = _test(lines, "Can we afford it?")
    assert level == "warn" and text.startswith("Can we afford it? No") and "over the budget" in text
    chosen = next(o for o in t.result.options if o.name == t.result.rep_choice)
    assert per_100(chosen.payout, chosen.revenue) > Fraction(str(t.budget[0]))  # exactly, not on the rounded figure
    t.mark_done("Our CFO will pay it")  # a reason keeps it, never as done
    assert t.status != "done"


def test_the_budget_boundary_is_exact(planned):
    """A cost equal to the budget passes; a cent above it does not (the comparison is on the exact ratio)."""
    def res(pay: float, revenue: float) -> OptionResult:
        return OptionResult(name="x", revenue=revenue, bookings=1, payout=pay)

    before = res(90_000, 900_000)
    assert budget_line(res(150_000, 1_000_000), before, (15.0, "b"), None)[0] == "ok"
    assert budget_line(res(150_000.01, 1_000_000), before, (15.0, "b"), None)[0] == "warn"


# --- the search leaves out what the module names as a misconception ----------------------------------------------------

def test_module_3_search_offers_neither_monthly_measurement_nor_an_all_year_spif(planned):
    t = _tester(planned[M3])
    assert set(t.frontier_exclude) == {"monthly", "spif"}
    lines = _check(t, {"rate": 1.3})
    searched = next(text for _, text in lines if text.startswith("Searched"))
    assert "left out" in searched and "a SPIF on each deal (run all year" in searched and "each month on its own (" in searched
    fr = t.frontier()
    assert fr.excluded == ("spif", "monthly")
    for pt in [fr.cheapest, *fr.singles.values(), *fr.frontier]:
        assert not pt.levers.spif and pt.levers.measure != ("monthly", "standalone"), pt.changes
    assert fr.cheapest.changes == ["platform rate 1.3x (was 1x)"]  # the module's own answer is the cheapest found


@pytest.mark.parametrize(("slug", "change", "words"), [
    (M3, {"spif": 6000}, "a SPIF on each deal"),
    (M3, {"period": "monthly"}, "measuring each month on its own"),
    (M2, {"period": "quarterly", "credit": 2.0}, "measuring each quarter on its own"),
])
def test_a_design_that_moves_a_left_out_lever_is_refused_by_name(planned, slug, change, words):
    t = _tester(planned[slug])
    lines = _check(t, change)
    level, text = next((lv, tx) for lv, tx in lines if tx.startswith("Does it avoid the levers"))
    assert level == "warn" and words in text and t.frontier_exclude[next(k for k in t.frontier_exclude if LEVERS[k] == words)] in text
    t.mark_done("It works in the simulator")
    assert t.status != "done"


def test_the_search_without_exclusions_still_offers_them():
    """The engine stays general: left out only when asked (module 3's case offers monthly and the SPIF otherwise)."""
    sc = scenario_from_dict(yaml.safe_load((CONTENT / "scenarios" / "platform-vs-point.yaml").read_text()))
    every = search(sc)
    moved = {tuple(p.changes) for p in [*every.singles.values()]}
    assert any("SPIF" in c for cs in moved for c in cs) and every.excluded == ()
    left = search(sc, exclude=["spif", "monthly"])
    assert not any("SPIF" in c or "month on its own (was" in c for p in left.singles.values() for c in p.changes)
    assert left.cheapest.cost >= every.cheapest.cost  # leaving levers out never finds a cheaper plan


def test_an_unknown_lever_is_one_line():
    sc = scenario_from_dict(yaml.safe_load((CONTENT / "scenarios" / "platform-vs-point.yaml").read_text()))
    with pytest.raises(CourseError) as e:
        search(sc, exclude=["mnthly"])
    assert "mnthly" in str(e.value) and "monthly" in str(e.value) and "\n" not in str(e.value)


@pytest.mark.parametrize(("options", "words"), [
    ('frontier: {exclude: {mnthly: "x"}}', "frontier exclude 'mnthly' is not a lever the search moves"),
    ('frontier: {exclude: {spif: ""}}', "frontier exclude 'spif' has no reason"),
    ('budget: {per_100: 0, basis: "x"}', "budget 0 is not a cost per 100 of bookings above 0 with its basis"),
    ('budget: {per_100: 15}', "`basis` is missing"),
])
def test_bad_budget_or_exclusion_is_one_build_line(tmp_path, options, words):
    content = tmp_path / "content"
    (content / "scenarios").mkdir(parents=True)
    (content / "scenarios" / "s.yaml").write_text((CONTENT / "scenarios" / "platform-vs-point.yaml").read_text())
    (content / "my-note.md").write_text(note_text(exercises=f"[{{type: plan_tester, action: 1, scenario: scenarios/s.yaml, {options}}}]"))
    _, _, problems = check_course(content)
    assert any(words in str(p) for p in problems), problems


def test_levers_moved_names_the_measurement_it_moves_to():
    sc = scenario_from_dict(yaml.safe_load((CONTENT / "scenarios" / "platform-vs-point.yaml").read_text()))
    p = sc.plan
    assert levers_moved(p, p) == set()
    assert levers_moved(p, p.with_changes(period="monthly")) == {"monthly"}
    assert levers_moved(p, p.with_changes(period="monthly", measurement="cumulative")) == {"ytd-monthly"}
    assert levers_moved(p, p.with_changes(pay_multiplier={"product": {"platform": 1.3}})) == {"rate"}
