"""A company of the learner's own, taken through the capstone via the widgets' API twins (issue 24, "Bring your own
company"): the brief names the company, its weighted components and its options, with pay figures equal to a hand
computation made here from the company's numbers alone; bad input is one line naming the field and the fix; the
answers survive export, import and a version migration; a module's checked plan tester reaches the brief."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from coursekit.answers import VERSION, Answers
from coursekit.assemble.run import brief_context, check_course
from coursekit.brief.compose import compose
from coursekit.brief.model import to_json
from coursekit.brief.render import to_markdown
from coursekit.capstone.company import company_problems
from coursekit.capstone.inputs import capstone_inputs
from coursekit.exercises.scenario_editor.widget import ScenarioEditor
from tests.helpers import ROOT
from tests.own_company import COMPANY, PRIORITIES, hand_pay, take_through


@pytest.fixture(scope="module")
def ctx():
    course, planned, problems = check_course(ROOT / "content")
    assert not [p for p in problems if p.severity == "error"]
    return brief_context(course, planned)


def test_a_company_of_your_own_reaches_the_brief_with_figures_a_hand_computation_gives(tmp_path, ctx):
    answers = take_through(tmp_path, ctx)
    inputs = capstone_inputs(answers, ctx["course"], ctx["scenario"], ctx["worked"])
    assert inputs.company["name"] == COMPANY["name"]
    assert inputs.prefer == "co-op analytics"  # the top priority's free text names the option
    brief = compose(answers, ctx["course"], ctx["scenario"], ctx["worked"], learner="Rosa")
    data = to_json(brief)
    plans = data["sections"][2]["data"]
    assert plans["company"]["name"] == COMPANY["name"] and plans["company"]["currency"] == "CHF" and plans["company"]["own"]
    assert plans["company"]["components"] == [{"name": "hardware", "weight_pct": 60.0}, {"name": "subscriptions", "weight_pct": 40.0}]
    assert [o["option"] for o in plans["options"]] == [o["name"] for o in COMPANY["options"]]
    for row, opt in zip(plans["options"], COMPANY["options"]):
        expected = hand_pay(COMPANY, opt)
        assert row["current"]["pay_cents"] == round(expected * 100), (opt["name"], expected)
        assert row["current"]["revenue_cents"] == opt["deal_size"] * opt["deals_per_cycle"] * (12 // opt["cycle_months"]) * 100
    md = to_markdown(brief)
    assert COMPANY["name"] in md and "Northwind" not in md
    for word in ("hardware", "subscriptions", "Vineyard retrofit", "Co-op analytics", "CHF"):
        assert word in md
    assert data["schema"] == "coursekit-brief/2" and data["version"] == 2


def test_a_company_entered_badly_is_one_line_per_field_naming_the_fix(tmp_path, ctx):
    bad = {**COMPANY, "qouta": 960000, "options": [{**COMPANY["options"][0], "deal_sise": 5}, COMPANY["options"][1]]}
    del bad["quota"]
    lines = [str(p) for p in company_problems(bad)]
    assert any("qouta" in x and "did you mean `quota`" in x for x in lines)
    assert any("deal_sise" in x and "did you mean `deal_size`" in x for x in lines)
    assert all("\n" not in x for x in lines)
    misspelt = {**COMPANY, "options": [{**COMPANY["options"][0], "product": "sensors"}, COMPANY["options"][1]]}
    assert [str(p) for p in company_problems(misspelt)] == [
        "your company: options[0].product: 'sensors' is paid by no measure of the plan (did you mean `sensor`?)"]
    answers = Answers(tmp_path / "a.json")
    editor = ScenarioEditor(ctx["scenario"], answers=answers, key="alignment-capstone/action-2")
    shown = editor.set_company({**COMPANY, "start": "2027-13"})
    assert [level for level, _ in shown] == ["warn"] and "start" in shown[0][1] and "YYYY-MM" in shown[0][1]
    saved = Answers(tmp_path / "a.json").get("alignment-capstone/action-2")
    assert saved["own"] and saved["company"]["name"] == COMPANY["name"]  # kept with the answers even while it is wrong


def test_the_company_and_answers_travel_in_one_file(tmp_path, ctx):
    answers = take_through(tmp_path, ctx)
    exported = json.loads(json.dumps(answers.export("rosa")))
    laptop = Answers(tmp_path / "laptop" / "rosa.json")
    laptop.set("intelligent-sales-foundation/action-1", {"_kind": "contradiction_map", "rows": []})
    n, aside = laptop.import_answers(exported, "rosa-answers.json")
    assert n == len(answers.keys()) and aside is not None and aside.exists()
    again = compose(laptop, ctx["course"], ctx["scenario"], ctx["worked"])
    assert to_json(again)["sections"][2]["data"]["company"]["name"] == COMPANY["name"]
    assert laptop.get("intelligent-sales-foundation/action-1") is not None  # what was there stays


def test_an_older_answers_file_is_migrated_on_open_and_the_original_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path))
    (tmp_path / "answers").mkdir()
    old = {"version": 1, "answers": {"strategy-to-comp-translation/action-1": {"priorities": PRIORITIES["priorities"]}}}
    (tmp_path / "answers" / "me.json").write_text(json.dumps(old))
    answers = Answers.open()
    assert answers.get("strategy-to-comp-translation/action-1")["_kind"] == "priorities"
    assert json.loads((tmp_path / "answers" / "me.json").read_text())["version"] == VERSION
    assert json.loads((tmp_path / "answers" / "me.v1.bak.json").read_text()) == old


def test_answers_are_found_by_kind_when_a_note_is_renamed(tmp_path, ctx):
    answers = Answers(tmp_path / "r.json")
    course = [dict(m) for m in ctx["course"]]
    course[1] = {**course[1], "slug": "translating-strategy"}  # the priorities' note, renamed
    answers.set("translating-strategy/action-1", {"_kind": "priorities", **PRIORITIES})
    brief = compose(answers, course, ctx["scenario"], ctx["worked"])
    assert brief.sections[0].filled and brief.sections[0].data["priorities"][0]["name"] == "sign growers' co-ops"


def test_a_module_plan_tester_checked_reaches_the_brief(tmp_path, ctx):
    """Module 1's tester passed with the cap moved to the year: the brief's plan section shows that plan, not the
    capstone's company and not "Not filled yet"."""
    import yaml

    sc = yaml.safe_load((ROOT / "content" / "scenarios" / "enterprise-mix.yaml").read_text()) \
        if (ROOT / "content" / "scenarios" / "enterprise-mix.yaml").exists() else None
    base = (sc or {}).get("plan") or {"name": "Monthly capped", "ote": 200000, "quota": 1600000, "period": "monthly", "cap": 2.0}
    moved = {**base, "cap": base.get("cap", 2.0), "cap_scope": "year"}
    answers = Answers(tmp_path / "m1.json")
    answers.set("intelligent-sales-foundation/action-2", {"_kind": "plan_tester", "_plan": moved, "_base_plan": base,
                                                          "_done": True, "accelerator": 1.0})
    data = to_json(compose(answers, ctx["course"], ctx["scenario"], ctx["worked"]))["sections"][2]
    assert data["filled"] and data["data"]["changes"], data
    assert data["data"]["from"]["passed"] and data["data"]["company"]["name"] == ""
    assert "Northwind" not in data["data"]["source"] and "module 1" in data["data"]["source"]


def test_the_plan_tester_moves_the_strategy_measure_of_a_weighted_plan(tmp_path, ctx):
    """The capstone's tester on the company's plan in force: its threshold, accelerator and cap controls are the measure
    that pays the strategy's option; the other measure keeps its own, and the figures are the hand computation's."""
    from coursekit.engine.plan import plan_from_dict
    from coursekit.engine.scenario import scenario_from_dict
    from coursekit.exercises.plan_tester.widget import PlanTester

    answers = take_through(tmp_path, ctx)
    inputs = capstone_inputs(answers, ctx["course"], ctx["scenario"], ctx["worked"])
    sc = scenario_from_dict(inputs.scenario)
    tester = PlanTester(plan=plan_from_dict(inputs.plan), options=sc.options, prefer=inputs.prefer, baseline=sc.plan,
                        answers=answers, key="alignment-capstone/action-2-2")
    assert tester.priority_measure().name == "subscriptions" and tester.plan == tester.base_plan
    pays = {o.name: o.payout for o in tester.result.options}
    assert pays == {o["name"]: float(hand_pay(COMPANY, o)) for o in COMPANY["options"]}
    tester.set_answer({**tester.read_inputs(), "cap": 0, "accelerator": 2.0, "accelerator_from": 1.0})
    by_name = {m.name: m.plain() for m in tester.plan.measures}
    assert "cap" not in by_name["subscriptions"] and by_name["subscriptions"]["tiers"][1] == {"from": 1.0, "multiplier": 2.0}
    assert by_name["hardware"] == {"name": "hardware", "weight": 0.6, "product": "sensor", "quota": 576000, "threshold": 0.5}
    ti = Fraction(160000) * Fraction("0.375") * Fraction("0.4") / 4  # the subscriptions measure's quarter target incentive
    att = Fraction(4 * 12000 * 3) / (Fraction(384000) / 4)  # 150%: 100% at the base rate, 50% at twice it
    assert {o.name: o.payout for o in tester.result.options}["co-op analytics"] == float(4 * ti * (1 + 2 * (att - 1)))


def test_the_start_page_buttons_export_and_import_the_company(tmp_path, ctx):
    from coursekit.brief.transfer import AnswersTransfer

    answers = take_through(tmp_path, ctx)
    out = AnswersTransfer(answers, out_dir=tmp_path / "out")
    path = out.export()
    assert path is not None and out.exported == str(path) and 'download="' in out._status.value
    laptop = Answers(tmp_path / "laptop.json")
    button = AnswersTransfer(laptop)
    assert button.import_bytes(path.read_bytes(), path.name) == len(answers.keys())
    assert laptop.get("alignment-capstone/action-2")["company"]["name"] == COMPANY["name"]
    assert button.import_bytes(b"{not json", "x.json") is None and button.message.startswith("x.json: answers: is not JSON") and "answers export" in button.message
    assert button.import_bytes(b'{"format": "other"}', "y.json") is None and "is not a coursekit answers export" in button.message


def test_the_tester_follows_the_company_options_as_the_learner_edits_them(tmp_path, ctx):
    from coursekit.engine.plan import plan_from_dict
    from coursekit.engine.scenario import scenario_from_dict
    from coursekit.exercises.plan_tester.widget import PlanTester

    answers = take_through(tmp_path, ctx)
    inputs = capstone_inputs(answers, ctx["course"], ctx["scenario"], ctx["worked"])
    sc = scenario_from_dict(inputs.scenario)
    tester = PlanTester(plan=plan_from_dict(inputs.plan), options=sc.options, prefer=inputs.prefer, baseline=sc.plan)
    editor = ScenarioEditor(ctx["scenario"], answers=answers, key="alignment-capstone/action-2")
    editor.drive(tester, inputs.renamed)
    bigger = {**COMPANY, "options": [{**COMPANY["options"][0], "deal_size": 48000}, COMPANY["options"][1]]}
    editor.set_company(bigger)
    assert [o.deal_size for o in tester.options] == [48000, 12000]  # same plan: the tester follows at once
    other_plan = {**bigger, "plan": {**COMPANY["plan"], "period": "annual"}}
    editor.set_company(other_plan)
    assert tester.base_plan.period == "annual" and [o.deal_size for o in tester.options] == [48000, 12000]  # starts over on it


def test_any_module_can_test_a_plan_on_the_company(tmp_path, ctx):
    from coursekit.errors import CourseError
    from coursekit.notebook import company_tester

    with pytest.raises(CourseError, match="your company: company: is not entered yet"):
        company_tester(Answers(tmp_path / "empty.json"), key="priority-encoding-via-pay/my-company")
    answers = take_through(tmp_path, ctx)
    tester = company_tester(answers, key="priority-encoding-via-pay/my-company", course=ctx["course"])
    assert tester.prefer == "co-op analytics" and [o.name for o in tester.options] == [o["name"] for o in COMPANY["options"]]
    assert {o.name: o.payout for o in tester.result.options} == {o["name"]: float(hand_pay(COMPANY, o)) for o in COMPANY["options"]}


def test_a_design_checked_on_the_worked_example_is_not_proposed_for_the_company(tmp_path, ctx):
    from coursekit.engine.plan import plan_from_dict, to_dict
    from coursekit.engine.scenario import scenario_from_dict
    from coursekit.exercises.plan_tester.widget import PlanTester

    answers = Answers(tmp_path / "switch.json")
    sc = scenario_from_dict(ctx["scenario"])
    northwind = PlanTester(plan=sc.plan, options=sc.options, prefer=sc.prefer, answers=answers, key="alignment-capstone/action-2-2")
    northwind.set_answer({**northwind.read_inputs(), "period": "annual", "measurement": "standalone"})
    northwind.check()
    editor = ScenarioEditor(ctx["scenario"], answers=answers, key="alignment-capstone/action-2")
    editor.set_company(COMPANY)
    brief = compose(answers, ctx["course"], ctx["scenario"], ctx["worked"])
    assert brief.sections[2].data["proposed"] is None and brief.sections[2].data["company"]["name"] == COMPANY["name"]
    assert brief.warnings[0].startswith("The plan you checked in the capstone was designed on Northwind")
    inputs = capstone_inputs(answers, ctx["course"], ctx["scenario"], ctx["worked"])
    company_plan = plan_from_dict(inputs.plan)
    mine = PlanTester(plan=company_plan, options=scenario_from_dict(inputs.scenario).options, prefer=inputs.prefer,
                      answers=answers, key="alignment-capstone/action-2-2")
    mine.set_answer({**mine.read_inputs(), "cap": 0})
    mine.check()
    again = compose(answers, ctx["course"], ctx["scenario"], ctx["worked"])
    assert again.sections[2].data["proposed"]["name"] and not any(w.startswith("The plan you checked") for w in again.warnings)
    assert to_dict(company_plan) != to_dict(plan_from_dict(answers.get("alignment-capstone/action-2-2")["_plan"]))


def test_check_says_when_a_course_lacks_an_exercise_the_brief_reads(tmp_path):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    note = content / "alignment-capstone.md"
    text = note.read_text()
    assert "  - {type: decisions, action: 5}\n" in text
    note.write_text(text.replace("  - {type: decisions, action: 5}\n", ""))
    _course, _planned, problems = check_course(content)
    lines = [str(p) for p in problems if "capstone and the brief read by kind" in p.problem]
    assert len(lines) == 1 and "no decisions exercise" in lines[0] and "{type: decisions}" in lines[0]
    assert not [p for p in check_course(ROOT / "content")[2] if "read by kind" in p.problem]


def test_a_plan_in_force_built_in_boxes_or_loaded_from_a_plan_file(tmp_path, ctx):
    built = {k: v for k, v in COMPANY.items() if k != "plan"}
    built["plan_parts"] = {"period": "annual", "threshold": 0.5, "accelerator": 2.0, "cap": 0}
    answers = take_through(tmp_path, ctx, built)
    inputs = capstone_inputs(answers, ctx["course"], ctx["scenario"], ctx["worked"])
    assert inputs.plan["period"] == "annual" and inputs.plan["threshold"] == 0.5 and "cap" not in inputs.plan
    rows = to_json(compose(answers, ctx["course"], ctx["scenario"], ctx["worked"]))["sections"][2]["data"]["options"]
    pay = {r["option"]: r["current"]["pay_cents"] for r in rows}
    ti = Fraction(160000) * Fraction("0.375")
    # a year's bookings against the 960,000 quota: 432,000 is 45%, under the 50% threshold; 576,000 is 60%, paid linearly
    assert pay == {"vineyard retrofit": 0, "co-op analytics": round(ti * Fraction(576000, 960000) * 100)}
    editor = ScenarioEditor(ctx["scenario"], answers=answers, key="alignment-capstone/action-2")
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text("name: Quillon field AE FY28\nperiod: quarterly\nthresold: 0.5\n")
    editor.load_plan_file(plan_file)
    lines = editor.check()
    assert [level for level, _ in lines] == ["warn"] and "thresold: unknown field (did you mean `threshold`?)" in lines[0][1]
    assert "thresold" in Answers(tmp_path / "quillon.json").get("alignment-capstone/action-2")["company"]["plan_text"]
    assert "did you mean `cap`" in str(company_problems({**built, "plan_parts": {"capp": 2}})[0])


def test_answers_saved_before_a_note_was_renamed_still_reach_the_brief(tmp_path, ctx):
    answers = Answers(tmp_path / "old.json")
    answers.set("strategy-to-comp-translation/action-1", {"_kind": "priorities", **PRIORITIES})
    course = [dict(m) for m in ctx["course"]]
    course[1] = {**course[1], "slug": "translating-strategy"}
    brief = compose(answers, course, ctx["scenario"], ctx["worked"])
    assert brief.sections[0].data["priorities"][0]["name"] == "sign growers' co-ops"


# A second company, entered after the capstone's cells ran on the worked example: weighted components (new ARR 70%,
# renewals 30%), kroner, its own option names, its plan in force loaded from a plan file.
FJORDLINE_PLAN = {"name": "Fjordline AE plan FY28", "period": "quarterly", "measures": [
    {"name": "new ARR", "weight": 0.7, "product": "new-arr", "quota": 5040000, "threshold": 0.5},
    {"name": "renewals", "weight": 0.3, "product": "renewal", "quota": 2160000, "cap": 1.5}]}
FJORDLINE = {"name": "Fjordline Software", "currency": "NOK", "ote": 1200000, "variable_share": 0.4, "quota": 7200000,
             "start": "2027-04", "options": [
                 {"name": "harbour platform", "product": "new-arr", "deal_size": 600000, "cycle_months": 3, "win_rate": 1.0,
                  "deals_per_cycle": 2},
                 {"name": "renewal desk", "product": "renewal", "deal_size": 60000, "cycle_months": 1, "win_rate": 1.0,
                  "deals_per_cycle": 3}]}
FJORDLINE_PRIORITIES = {"priorities": [{"name": "land harbour platforms", "rank": 1, "segment": "harbour platform", "cycle_months": 3,
                                        "behavior": "run a paid pilot with a port authority's operations team"}],
                        "assumed_attainment": 90}


def test_the_capstone_follows_a_company_entered_after_its_cells_ran(tmp_path, ctx):
    """Issue 24: the learner enters their company in the options editor (API twins: ``set_company``, ``load_plan_file``)
    after the capstone's cells ran on the worked example; without running any cell again the capstone's tester, its
    committee box and the brief are the company's, with pay figures a hand computation of the plan's formulas gives."""
    import yaml

    from coursekit.engine.plan import plan_from_dict
    from coursekit.engine.scenario import scenario_from_dict
    from coursekit.exercises.plan_tester.widget import PlanTester
    from coursekit.exercises.priorities.widget import PrioritiesForm

    answers = Answers(tmp_path / "fjordline.json")
    form = PrioritiesForm(segments=["renewal", "expansion", "new-logo"], answers=answers, key="strategy-to-comp-translation/action-1")
    form.set_answer(FJORDLINE_PRIORITIES)
    form.check()
    # the capstone's cells as the built notebook runs them, on the worked example (no company yet)
    inputs = capstone_inputs(answers, ctx["course"], ctx["scenario"], ctx["worked"])
    editor = ScenarioEditor(ctx["scenario"], renamed=inputs.renamed, answers=answers, key="alignment-capstone/action-2")
    sc = scenario_from_dict(inputs.scenario)
    tester = PlanTester(plan=plan_from_dict(inputs.plan), options=sc.options, prefer=inputs.prefer or sc.prefer, baseline=sc.plan,
                        committee_tests=True, answers=answers, key="alignment-capstone/action-2-2")
    editor.drive(tester, inputs.renamed)
    assert tester.base_plan.currency == "USD"  # Northwind's, before the company

    plan_file = tmp_path / "fjordline-plan.yaml"
    plan_file.write_text(yaml.safe_dump(FJORDLINE_PLAN, sort_keys=False))
    editor.set_company(FJORDLINE, check=False)
    editor.load_plan_file(plan_file)
    lines = editor.check()
    assert [level for level, _ in lines][0] == "ok" and "now run on it" in lines[0][1], lines

    company = {**FJORDLINE, "plan": FJORDLINE_PLAN}
    assert [m.name for m in tester.base_plan.measures] == ["new ARR", "renewals"] and tester.base_plan.currency == "NOK"
    assert [o.name for o in tester.options] == ["harbour platform", "renewal desk"] and tester.prefer == "harbour platform"
    hand = {o["name"]: hand_pay(company, o) for o in FJORDLINE["options"]}
    ti = Fraction(1200000) * Fraction("0.4")
    assert hand == {"harbour platform": 4 * ti * Fraction("0.7") / 4 * Fraction(1200000, 1260000), "renewal desk": 4 * ti * Fraction("0.3") / 4}
    assert {o.name: Fraction(str(o.payout)) for o in tester.result.options} == hand

    # the committee box is the company's: in force and starting design are the same plan, one comparison
    tester.set_answer({**tester.read_inputs(), "threshold": 0.3})
    tester.check()
    report = {label: text for label, _level, text in tester.committee_report()}
    assert report and "Northwind" not in " ".join(report.values())
    budget = report["Can we afford it (the budget)"]
    assert "the plan in force" in budget and "your starting design" not in budget, budget

    brief = compose(answers, ctx["course"], ctx["scenario"], ctx["worked"], learner="Ingrid")
    data = to_json(brief)["sections"][2]["data"]
    assert data["company"]["name"] == "Fjordline Software" and data["company"]["currency"] == "NOK" and data["company"]["own"]
    assert data["company"]["components"] == [{"name": "new ARR", "weight_pct": 70.0}, {"name": "renewals", "weight_pct": 30.0}]
    assert [o["option"] for o in data["options"]] == ["harbour platform", "renewal desk"]
    for row in data["options"]:
        assert row["current"]["pay_cents"] == hand[row["option"]] * 100, row
    md = to_markdown(brief)
    assert "Fjordline Software" in md and "Northwind" not in md
    for word in ("new ARR", "renewals", "Harbour platform", "Renewal desk", "NOK"):
        assert word in md, word
