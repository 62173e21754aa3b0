"""Issue 25, the contradiction map's checked part: the components offered are those of the plan the module tests (read
from its plan tester's scenario, named as the audit names them), each row's money difference is checked against the
engine's full-time years on that plan within a stated 5%, a negative one is refused as pay agreeing with strategy, and a map
saved "done" before rows had that part counts as written everywhere (start page, brief, room), its text kept."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal

import ipywidgets as W
import pytest
import yaml

from coursekit import notebook as ex
from coursekit.answers import DONE, WRITTEN, Answers, progress_frame, status_of
from coursekit.assemble import check_course
from coursekit.brief.compose import completion_record
from coursekit.engine.money import money
from coursekit.engine.plan import plan_from_dict
from coursekit.engine.scenario import scenario_from_dict
from coursekit.exercises.contradiction_map.kind import MONEY_TOLERANCE, money_gap, parse_money, plan_components

from .. import full_marks
from ..helpers import ROOT

SMB = ROOT / "src" / "coursekit" / "data" / "scenarios" / "enterprise-vs-smb.yaml"
M1 = yaml.safe_load(SMB.read_text())
ROW = dict(full_marks.MAP_ROWS[2])  # the enterprise row; the map's money difference is module 1's case figure, 56,667


@pytest.mark.parametrize(("typed", "value"), [("12,000", "12000"), ("12000.50", "12000.50"), ("12k", "12000"), ("$12k", "12000"),
                                               ("56.7k", "56700"), ("-3,500", "-3500"), (" 1,234,567 ", "1234567"),
                                               ("USD 56,667", "56667"), ("56,667 eur", "56667"), ("56,667.", "56667"), ("57 K", "57000")])
def test_money_is_parsed_exactly(typed, value):
    assert parse_money(typed) == Decimal(value)


@pytest.mark.parametrize("typed", ["about 12000", "12-15k", "1e4", "12,00", "12.345", "twelve thousand", "", "12,000,0", "nan", "12k yes",
                                   "USD", "12 000", "56,667 a year"])
def test_anything_else_is_refused_in_one_line_saying_what_is_accepted(typed):
    with pytest.raises(ValueError) as err:
        parse_money(typed)
    assert "\n" not in str(err.value) and "12,000, 12000.50 or 12k" in str(err.value)


def test_the_components_offered_are_the_plans_as_the_audit_names_them():
    assert plan_components(scenario_from_dict(M1).plan) == {
        "Quota": "800,000 USD a year", "Measurement period": "month on its own",
        "Rate": "12.50% of each credited dollar, the same on every deal", "Cap": "2x the month's target incentive"}
    m4 = scenario_from_dict(yaml.safe_load((ROOT / "content" / "scenarios" / "consultative-vs-fast.yaml").read_text()))
    assert list(plan_components(m4.plan)) == ["Quota", "Measurement period", "Threshold", "Rate", "Cap"]
    rich = plan_from_dict({"name": "r", "ote": 100000, "quota": 500000, "period": "quarterly", "cap": 3,
                           "tiers": [{"from": 0, "multiplier": 1}, {"from": 1, "multiplier": 1.5}],
                           "credit": {"segment": {"new-logo": 1.3}},
                           "spifs": [{"name": "q4", "amount": 2000}]}, "t")
    names = list(plan_components(rich))
    assert names == ["Quota", "Measurement period", "Base rate (tier 1)", "Accelerator (tier 2)", "Cap",
                     "New-logo credit multiplier", "Q4 SPIF"], names


def test_each_map_module_offers_its_testers_plan_and_a_declared_component_the_plan_lacks_is_reported(tmp_path):
    _course, planned, problems = check_course(ROOT / "content")
    maps = {slug: p for slug, ps in planned.items() for p in ps if p.spec.type == "contradiction_map"}
    assert set(maps) == {"intelligent-sales-foundation", "enablement-to-payout-alignment"} and not problems
    assert maps["intelligent-sales-foundation"].kwargs["components"] == ["Quota", "Measurement period", "Rate", "Cap"]
    assert "Threshold" in maps["enablement-to-payout-alignment"].kwargs["components"]
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    side = content / "intelligent-sales-foundation.course.yaml"
    side.write_text(side.read_text().replace("  - type: contradiction_map\n    action: 1\n",
                                             "  - type: contradiction_map\n    action: 1\n    components: [Cap, Rate, Crediting]\n"))
    _c, planned, problems = check_course(content)
    said = [str(p) for p in problems]
    assert len(said) == 1 and "components" in said[0] and "`Crediting`" in said[0] and "does not have" in said[0], said
    assert "\n" not in said[0] and "leave `components:` out" in said[0] and said[0].startswith(str(side))  # the file that declares it
    side.write_text(side.read_text().replace("[Cap, Rate, Crediting]", "[Cap, Rate]"))  # a declared list of its own: narrows
    _c, planned, problems = check_course(content)
    assert not problems
    assert next(p for p in planned["intelligent-sales-foundation"] if p.spec.type == "contradiction_map").kwargs["components"] == ["Cap", "Rate"]


def test_the_money_difference_is_the_engines_within_five_percent_exactly():
    gap = money_gap(scenario_from_dict(M1))
    assert (gap.strategy, gap.other, gap.gap) == ("enterprise", "smb", Decimal("56666.67"))
    w = ex.ContradictionMap(rows=1, scenario=M1)
    edge = gap.gap * (1 - MONEY_TOLERANCE)  # 53,833.3365: the exact boundary, compared as Decimals
    for typed, ok in (("56,667", True), ("57k", True), ("53,833.34", True), ("53,833.33", False), ("59,500", True),
                      ("59,500.01", False), ("33,333", False), ("90,000", False)):
        w.set_answer({"rows": [ROW], "money": typed})
        lines = w.check()
        assert w.done == ok, (typed, edge, lines)
        if not ok:
            assert any("is not the one this module's case makes (within 5%)" in t for _, t in lines)
            assert not any("56,667" in t for _, t in lines)  # the refusal points to the tester, never gives the figure


def test_a_negative_difference_is_pay_agreeing_with_strategy_refused_by_name():
    w = ex.ContradictionMap(rows=1, scenario=M1)
    for typed in ("-56,667", "0"):  # a negative or nil difference: pay agreeing with strategy, named
        w.set_answer({"rows": [ROW], "money": typed})
        lines = w.check()
        assert not w.done and any(t.startswith(f"The money difference {typed} says pay agrees with strategy here, but on this "
                                               "module's case a year on enterprise pays less than a year on smb") and
                                  "is not a contradiction" in t for _, t in lines), lines
    w.set_answer({"rows": [ROW], "money": "56,667 or so"})
    assert not w.done and any("is not a money amount" in t for _, t in w.check())


def test_a_component_the_plan_lacks_is_shown_kept_and_refused():
    w = ex.ContradictionMap(rows=1, scenario=M1)
    w.set_answer({"rows": [{**ROW, "component": "Crediting"}], "money": "56,667"})
    assert ("Crediting (not in this plan)", "Crediting") in w._picks[0]["component"].options
    assert w.answer["rows"][0]["component"] == "Crediting"  # shown and kept, never dropped
    lines = w.check()
    assert not w.done and any("Crediting is not a component of the plan you test; pick one it has (Quota, Measurement period, "
                              "Rate, Cap)" in t for _, t in lines)


PICKED = {k: ROW[k] for k in ("pulls", "against", "component", "pays")}
OLD = {"_kind": "contradiction_map", "_done": True, "_status": "done", "_feedback": [["ok", "Priority 1 mapped"]],
       "rows": [{"strategy": "Sell to enterprise", "planning": "Equal territories", "enablement": "Six-month cycles",
                 "comp": "Monthly cap", "contradiction": "Reps avoid enterprise deals because the cap pays one month"}]}


@pytest.mark.parametrize(("record", "status"), [
    (OLD, WRITTEN),  # saved done before the picks existed
    ({**OLD, "rows": [{**OLD["rows"][0], "pulls": "strategy", "against": "comp", "component": "Cap", "pays": "later"}]}, WRITTEN),
    ({**OLD, "rows": [{**OLD["rows"][0], **PICKED}]}, WRITTEN),  # picks, but the map has no money difference
    ({**OLD, "rows": [{**OLD["rows"][0], **PICKED}], "money": "56,667"}, DONE),
    ({**OLD, "rows": [{**OLD["rows"][0], **PICKED, "money": "56,667"}]}, DONE),  # this branch's earlier per-row shape, read
    ({**OLD, "rows": [{**OLD["rows"][0], **PICKED}, {**OLD["rows"][0], "strategy": "Sell to smb"}], "money": "56,667"}, WRITTEN),
    ({k: v for k, v in OLD.items() if k not in ("_kind", "_status")}, WRITTEN),  # version 1: no kind, no status
    ({"_kind": "checklist", "_status": "done", "rows": [{"strategy": "x"}]}, DONE),  # another kind: untouched
    ({**OLD, "_stale": True}, ""),
])
def test_status_of_reads_a_map_without_its_checked_part_as_written(record, status):
    assert status_of(record) == status


def test_an_old_map_is_written_on_the_start_page_in_the_widget_and_its_text_stays(tmp_path):
    answers = Answers(tmp_path / "me.json")
    answers.set("m/action-1", OLD)
    frame = progress_frame(answers, [{"slug": "m", "title": "M", "exercises": ["action-1"]}])
    assert (frame.loc["M", "written"], frame.loc["M", "done"]) == (1, 0)
    record = completion_record(answers, [{"slug": "m", "title": "M", "exercises": ["action-1"]}])  # the brief's, the room's
    assert (record["checks_passed"], record["modules_done"]) == (0, 0)
    w = ex.ContradictionMap(rows=1, scenario=M1, answers=answers, key="m/action-1")
    assert w.status == WRITTEN and not w.done
    assert w._boxes[0]["contradiction"].value == OLD["rows"][0]["contradiction"]
    assert answers.get("m/action-1")["rows"][0]["contradiction"] == OLD["rows"][0]["contradiction"]  # opening writes nothing


MONEY_LINE = re.compile(r"^Money difference, checked on the module's case \((.+) vs (.+) on the plan the tester runs\): ([\d,]+); "
                        r"it is not the gap of the other priorities, which this plan does not model\.$", re.M)


@pytest.mark.parametrize("slug", ["intelligent-sales-foundation", "enablement-to-payout-alignment"])
def test_the_model_maps_money_is_what_the_engine_computes_on_the_modules_plan(slug):
    """Every figure of the map's model answer (its one money line, on the module's case, and the two years it quotes) is the
    engine's, the line names the case's two options, no row of the table carries a money difference, and the self-check's
    valid answer types that figure."""
    _course, planned, _ = check_course(ROOT / "content")
    p = next(p for p in planned[slug] if p.spec.type == "contradiction_map")
    gap = money_gap(scenario_from_dict(p.kwargs["scenario"]))
    side = yaml.safe_load((ROOT / "content" / f"{slug}.course.yaml").read_text())["facilitator"]["action-1"]["model_answer"]
    lines = MONEY_LINE.findall(side)
    assert len(lines) == 1 and lines[0][2] == money(gap.gap), lines
    assert (gap.strategy, gap.other) == lines[0][:2], (gap, lines)
    assert "| **Money difference**" not in side
    assert all(re.search(rf"\b{re.escape(money(x))}\b(?!,\d)", side) for x in (gap.strategy_pay, gap.other_pay))
    assert full_marks.MAP_MONEY[slug] == money(gap.gap)


def test_the_money_difference_is_asked_once_below_the_rows_naming_the_modules_case_and_saved_with_it(tmp_path):
    w = ex.ContradictionMap(rows=3, scenario=M1)
    assert isinstance(w._money, W.Text) and not any(isinstance(c, W.Text) for tab in w._tabs.children for c in tab.children)
    asked = [c for c in w.children if w._money in getattr(c, "children", ())]
    assert len(asked) == 1 and w.children.index(asked[0]) == w.children.index(w._tabs) + 1  # its own box, below the rows
    question = asked[0].children[0].value
    assert ("On this module&#x27;s case (the plan tester&#x27;s): how much less does a full-time year on enterprise pay than a "
            "full-time year on smb?") in question, question
    answers = Answers(tmp_path / "me.json")
    w = ex.ContradictionMap(rows=2, scenario=M1, answers=answers, key="m/action-1")
    w.set_answer({"rows": full_marks.MAP_ROWS[:2], "money": "57k"})
    assert "money" not in w.answer["rows"][0] and w.answer["money"] == "57k"
    lines = w.check()
    assert w.done, lines
    assert sum("Money difference" in t for _, t in lines) == 1  # said once, not under each priority
    saved = answers.get("m/action-1")
    assert saved["_money_case"] == {"want": "enterprise", "other": "smb"} and status_of(saved) == DONE
    w.set_answer({"rows": full_marks.MAP_ROWS[:2], "money": ""})  # picks right, the map's money missing: not done
    lines = w.check()
    assert not w.done and any("money difference below the rows is missing" in t for _, t in lines), lines


def test_a_map_saved_with_a_money_difference_per_row_is_read_as_the_maps():
    w = ex.ContradictionMap(rows=2, scenario=M1)
    w.set_answer({"rows": [{**r, "money": m} for r, m in zip(full_marks.MAP_ROWS[:2], ("57k", "12,000"), strict=True)]})
    assert w._money.value == "57k" and w.answer["money"] == "57k" and "money" not in w.answer["rows"][0]
    assert w.check() and w.done
