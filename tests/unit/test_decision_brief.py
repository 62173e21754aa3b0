"""The Alignment brief is a decision document: six sections in course order, human headings, no slugs,
entities or raw data, hostile text inert, money exact, a JSON form with a schema."""

import base64
import json
import re
from importlib import resources

import jsonschema
import mistune
import pytest

from coursekit.answers import Answers
from coursekit.brief import compose as decision_brief
from coursekit.brief import model, render
from coursekit.brief.render import CSS
from coursekit.capstone import inputs as capstone
from tests.capstone_answers import ASKS, COURSE, HEADINGS, PRIORITIES, full_answers, scenario, worked_examples
from tests import full_marks
from tests.helpers import contrast as _contrast

from .exercise_data import AGAINST_PLAN, AGAINST_STRATEGY

SLUGS = [m["slug"] for m in COURSE] + ["action-", "/action", "_plan", "_kind", "_done", "_feedback"]
HOSTILE = "<script>alert(1)</script> **bold** | pipe [x](javascript:alert(1)) `code` # head &amp; _u_ $\\frac{$ mathtext"


def schema():
    return json.loads(resources.files("coursekit").joinpath("schemas/brief.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    a = full_answers(tmp_path_factory.mktemp("full") / "me.json")
    return decision_brief.compose(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples(), learner="Dana O'Neil")


def test_full_brief_has_six_sections_in_order_with_human_headings(full):
    md = render.to_markdown(full)
    found = re.findall(r"^## (\d)\. (.+)$", md, re.M)
    assert found == [(str(i), h) for i, h in enumerate(HEADINGS, 1)]
    assert all(s.filled for s in full.sections), [s.todo for s in full.sections if s.todo]
    html = render.to_html(full)
    assert re.findall(r"<h2>\d\. ([^<]+)</h2>", html) == HEADINGS


def test_full_brief_has_no_slugs_entities_or_raw_data(full):
    md = render.to_markdown(full)
    for bad in SLUGS + ["&#", "&lt;", "&gt;", "&amp;", "&quot;", "{'", "['", "': ", "None", "nan"]:
        assert bad not in md, bad
    assert "Dana O'Neil" in md and "The month's cap punishes" in md  # apostrophes stay apostrophes
    html = render.to_html(full)
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>|src='[^']*'", "", html, flags=re.S))
    for bad in SLUGS + ["{'", "['", "None"]:
        assert bad not in text, bad


def test_full_brief_reads_as_a_decision_document(full):
    md = render.to_markdown(full)
    # 1) priorities as a ranked table; the segment as the scenario's option is called ("new logo"), not its slug
    assert "| 1 | Win competitive logos | Take a named account from the main competitor | new logo | 4 months |" in md
    # 2) the contradiction, labelled by the module and the priority it maps (not the module's title), without repeating its words
    assert "**Module 1, priority 1: Sell to enterprise accounts.** The month's cap punishes the enterprise deal the strategy wants. (planning:" in md
    assert "Intelligent Sales Foundation" not in md
    # 3) now (Northwind's plan as it stands) against proposed (the capstone's, started from module 3's tested plan), per
    # option, with the change in words: module 3's design on Northwind's OTE, pay mix and quota, so only the design changes
    assert ("Now is Northwind mid-market AE FY28, the company's plan as it stands; the proposed plan is your design, started from "
            "your plan tester in module 3 (Product-neutral FY27), applied to the company's on-target earnings, pay mix and quota.") in md
    assert ("**What changes.** Measured over the year against the annual quota, paid monthly as earned, instead of each quarter "
            "on its own; no cap instead of a cap at 2 times the quarter's target incentive;") in md
    assert "new logo deals count 1.25 times toward quota and pay instead of once;" in md  # as the scenario names the option
    assert "multi-year renewal deals count once toward quota and pay instead of 1.5 times." in md
    assert "quota 900,000" not in md and "on-target earnings" not in md.split("**What changes.**")[1].split("\n")[0]
    assert "| Option | Bookings a year | Pay now | Per 100 now | Pay proposed | Per 100 proposed |" in md
    assert ("A rep's best year: Multi-year renewal under the plan now (not what the strategy wants); Win competitive logos under "
            "the proposed plan (what the strategy wants).") in md
    assert "Win competitive logos (the strategy's choice)" in md and "per 100 of bookings" in md
    # 4) findings: the untraced components in one line, the rest with evidence and fix
    # (the quota, threshold and accelerator carry Northwind's own traces; what the design adds is untraced)
    assert "**Not traced yet.** The base rate (tier 1), the new-logo credit multiplier." in md
    # the base rate is never offered for cutting (a plan without it pays nothing)
    assert ("(the base rate to the capacity model that set the quota); cut any other you cannot trace." in md
            and "audit, or cut it." not in md)
    # 5) the hypothesis and the review date, on whose calendar (the learner's words, whatever their grammar)
    assert "> We believe a credit multiplier at 1.25x will drive more competitive new logos" in md
    assert "Review on 30 June 2028 (calendar: the CRO's)." in md
    # 6) one decision per owner
    for owner, a in zip(("Strategy", "Planning", "Enablement", "Comp"), ASKS.values()):
        assert f"| {owner} | {a['who']} | {a['ask']} |" in md
    assert full.summary.startswith("Proposed change: measured over the year against the annual quota, paid monthly as earned, instead "
                                   "of each quarter on its own; no cap instead of a cap at 2 times the quarter's target incentive;")
    assert full.summary.endswith("4 of 4 owners are asked for a decision.")
    # the plan, the hypothesis (a 1.25x credit multiplier: the plan has it) and the asks agree: nothing to flag
    assert full.warnings == [] and "Check before sending" not in md
    # one page: each plan explained at most once (the proposed one), the pay table once
    assert md.count("Your on-target earnings") == 1 and md.count("| Option |") == 1


def test_full_brief_html_embeds_the_chart_and_json_follows_the_schema(full):
    html = render.to_html(full)
    m = re.search(r"src=['\"]data:image/png;base64,([A-Za-z0-9+/=]+)['\"]", html)
    assert m and base64.b64decode(m.group(1))[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<script" not in html and "http" not in html.replace("https://", "")  # nothing fetched: self-contained
    data = model.to_json(full)
    jsonschema.validate(data, schema(), cls=jsonschema.Draft202012Validator)
    assert [s["id"] for s in data["sections"]] == ["priorities", "contradictions", "plans", "findings", "hypothesis", "decisions"]
    json.dumps(data)  # plain JSON


def test_pay_per_option_is_exact_and_matches_a_hand_calculation(tmp_path):
    # No tester checked: the current plan is the capstone scenario's own. Every deal closes (win rate 100%).
    a = Answers(tmp_path / "me.json")
    a.set(capstone.OPTIONS_KEY, {"options": [{"name": n, "win_rate": 1.0} for n in ("multi-year renewal", "expansion", "new logo")]})
    brief = decision_brief.compose(a, COURSE, scenario("capstone-fy28.yaml"))
    rows = {o["option"]: o["current"] for o in brief.sections[2].data["options"]}
    # TI 90,000, quota 1,080,000: rate 1/12; quarter quota 270,000, quarter TI 22,500, cap 45,000; 1.5x above quota.
    # renewals: 2 x 45,000 a month, credited x1.5 = 405,000 a quarter (150%)
    #   -> 22,500 + 135,000 / 12 x 1.5 = 39,375 a quarter -> 157,500 on 1,080,000 = 14.58 -> 14.6 per 100
    assert rows["multi-year renewal"] == {"revenue_cents": 108_000_000, "pay_cents": 15_750_000, "per_100_revenue": "14.6"}
    # expansion: 3 x 80,000 every 2 months: quarters get 240,000, 480,000, 240,000, 480,000
    #   240,000 / 12 = 20,000; 480,000 -> 22,500 + 210,000 / 12 x 1.5 = 48,750, capped at 45,000 -> 130,000 on 1,440,000 = 9.03
    assert rows["expansion"] == {"revenue_cents": 144_000_000, "pay_cents": 13_000_000, "per_100_revenue": "9.0"}
    # new logos: 8 x 120,000 = 960,000 in months 4, 8, 12 -> three capped quarters of 45,000 = 135,000 on 2,880,000 = 4.69
    assert rows["new logo"] == {"revenue_cents": 288_000_000, "pay_cents": 13_500_000, "per_100_revenue": "4.7"}
    md = render.to_markdown(brief)
    assert "| Multi-year renewal | 1,080,000 | 157,500 | 14.6 | - | - |" in md  # the scenario's name, capitalised for display
    assert brief.sections[2].todo.startswith("Run module 5, action 2 (Design your plan)")


def test_an_empty_answer_set_says_what_to_do_in_every_section(tmp_path):
    brief = decision_brief.compose(Answers(tmp_path / "me.json"), COURSE, scenario("capstone-fy28.yaml"))
    todo = {s.id: s.todo for s in brief.sections}
    assert todo["priorities"].startswith("Run module 2, action 1 (Write each priority as a behavior)")
    assert todo["contradictions"].startswith("Run module 1, action 1 (Map the contradictions in your organization)")
    assert todo["plans"].startswith("Run module 5, action 2 (Design your plan)")
    assert todo["findings"].startswith("Run module 2, action 1")
    assert todo["hypothesis"].startswith("Run module 5, action 4 (State the hypothesis)")
    assert todo["decisions"].startswith("Run module 5, action 5 (Export and share your brief)")
    md = render.to_markdown(brief)
    assert md.count("*Not filled yet.*") == 6 and re.findall(r"^## \d\. (.+)$", md, re.M) == HEADINGS
    assert "No owner has been asked for a decision yet." in brief.summary
    data = model.to_json(brief)
    jsonschema.validate(data, schema(), cls=jsonschema.Draft202012Validator)
    assert [s["filled"] for s in data["sections"]] == [False] * 6
    # without the scenario (no simulation possible) it still composes
    assert len(decision_brief.compose(Answers(tmp_path / "other.json"), COURSE).sections) == 6


def test_hostile_learner_text_is_inert_in_markdown_and_html(tmp_path):
    a = Answers(tmp_path / "me.json")
    a.set(capstone.PRIORITIES_KEY, {"priorities": [{**PRIORITIES["priorities"][0], "name": HOSTILE, "behavior": HOSTILE}]})
    a.set("intelligent-sales-foundation/action-1", {"rows": [{"strategy": HOSTILE, "contradiction": HOSTILE}]})
    a.set(capstone.DECISIONS_KEY, {"asks": {"comp": {"who": HOSTILE, "ask": HOSTILE}}, "calendar": HOSTILE, "review_date": "<b>"})
    a.set("alignment-capstone/action-4", {"lever": HOSTILE, "level": 1, "behavior": HOSTILE, "metric": HOSTILE, "when": HOSTILE})
    brief = decision_brief.compose(a, COURSE, scenario("capstone-fy28.yaml"), learner=HOSTILE)
    md = render.to_markdown(brief)
    rendered = mistune.html(md)
    assert "<script" not in rendered and "<a " not in rendered and "<strong>bold" not in rendered and "<code>" not in rendered
    assert "<h1>head" not in rendered and "&amp;amp;" in rendered  # the learner's "&amp;" shows as typed
    prio = re.search(r"<tr>\s*<td>1</td>.*?</tr>", rendered, re.S)
    assert prio and prio.group(0).count("<td") == 5  # the learner's "|" did not split the row
    assert "\\<script\\>" in md
    html = render.to_html(brief)
    assert "<script" not in html and "&lt;script&gt;" in html and "javascript:alert(1)" in html  # as text only
    assert not re.search(r"<a\b|href=", html)
    jsonschema.validate(model.to_json(brief), schema(), cls=jsonschema.Draft202012Validator)


def test_a_junk_answers_file_gives_a_brief_not_a_traceback(tmp_path):
    path = tmp_path / "me.json"
    path.write_text(json.dumps({"version": 1, "answers": {
        capstone.PRIORITIES_KEY: [1, 2], "intelligent-sales-foundation/action-1": {"rows": "x"},
        "alignment-capstone/action-2": {"_plan": {"quota": "?"}, "_base_plan": 5, "accelerator": 1},
        "alignment-capstone/action-3": {"traces": {}, "_plan": {"ote": -1}, "accepted": ["x"]},
        capstone.DECISIONS_KEY: {"asks": ["x"], "review_date": 20280101},
        "alignment-capstone/action-4": {"lever": 5}}}))
    brief = decision_brief.compose(Answers(path), COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    assert [s.heading for s in brief.sections] == HEADINGS
    render.to_markdown(brief), render.to_html(brief)
    jsonschema.validate(model.to_json(brief), schema(), cls=jsonschema.Draft202012Validator)


def test_accepted_findings_show_their_reason(tmp_path):
    a = full_answers(tmp_path / "me.json")
    found = decision_brief.compose(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples()).sections[3].data["findings"]
    f = next(f for f in found if f["code"] != "untraced")
    key = f"{f['component']}: {f['evidence']}"  # how the plan audit keys an acceptance without a finding code
    a.set("alignment-capstone/action-3", {"traces": {}, "accepted": {key: "Finance funds expansion through the CS team's plan"}})
    brief = decision_brief.compose(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    assert "Accepted: Finance funds expansion through the CS team's plan." in render.to_markdown(brief)


@pytest.mark.parametrize("scheme", [0, 1])  # light, then the prefers-color-scheme: dark block
def test_brief_colours_are_readable_in_light_and_dark(scheme):
    block = re.findall(r":root\{([^}]*)\}", CSS)[scheme]
    v = dict(re.findall(r"--(\w+):(#[0-9a-f]{6})", block))
    assert _contrast(v["fg"], v["bg"]) >= 7 and _contrast(v["fg"], v["card"]) >= 7  # body text, table heads, quotes
    assert _contrast(v["muted"], v["bg"]) >= 4.5 and _contrast(v["todo"], v["bg"]) >= 4.5 and _contrast(v["accent"], v["bg"]) >= 3
    assert _contrast(v["warn"], v["bg"]) >= 4.5  # "Check before sending" and its border


def test_a_plan_the_simulator_cannot_run_is_said_not_raised(tmp_path, monkeypatch):
    def refuse(*_a, **_k):
        raise ValueError("cannot simulate")

    monkeypatch.setattr(decision_brief, "simulate", refuse)  # the simulator as the brief calls it
    brief = decision_brief.compose(Answers(tmp_path / "me.json"), COURSE, scenario("capstone-fy28.yaml"))
    assert "Pay per option is missing: the plans could not be simulated (ValueError);" in render.to_markdown(brief)
    assert brief.chart is None
    jsonschema.validate(model.to_json(brief), schema(), cls=jsonschema.Draft202012Validator)


def _tester_answer(a: Answers) -> dict:
    return dict(a.get("alignment-capstone/action-2-2"))


def test_tester_brief_and_audit_quote_the_same_figures(tmp_path):
    """One number per option, rounded once (half-up to whole units): the capstone's plan tester, the brief's table
    and the audit's evidence all come from the simulator's mean for the plan the tester saved."""
    from decimal import ROUND_HALF_UP, Decimal

    from coursekit import notebook as ex
    from coursekit.capstone.checks import money
    from coursekit.engine import plan_from_dict, scenario_from_dict

    a = full_answers(tmp_path / "me.json")
    inputs = capstone.capstone_inputs(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    sc = scenario_from_dict(inputs.scenario)
    t = ex.PlanTester(plan=plan_from_dict(_tester_answer(a)["_plan"]), options=sc.options, prefer=inputs.prefer)
    t.check()
    tested = {o.name: o.payout for o in t.result.options}
    brief = decision_brief.compose(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    table = {o["option"]: o["proposed"]["pay_cents"] for o in brief.sections[2].data["options"]}
    assert set(table) == set(tested) and len(table) == 3
    for name, pay in tested.items():  # the tester's mean, to the cent, is the brief's
        assert table[name] == int((Decimal(str(pay)) * 100).quantize(Decimal(1), ROUND_HALF_UP)), name
    findings = brief.sections[3].data["findings"]
    less = next(f for f in findings if f["code"] == "priority_pays_less")
    for name in ("Expand installed base", "multi-year renewal"):
        assert f"a year on {name} pays {money(tested[name])}" in less["evidence"]
    md = render.to_markdown(brief)
    for pay in tested.values():  # the brief's table prints the same whole units the audit quotes
        assert f"| {money(pay)} |" in md


def test_the_cap_finding_quotes_the_testers_figures_and_fits_the_plan(tmp_path):
    # the capstone's tested plan with an annual cap of 1.25x the year's target incentive (a step of the tester's cap
    # slider): it binds on a year on Win competitive logos, which uncapped pays more than 1.25 x 90,000 = 112,500
    from coursekit import notebook as ex
    from coursekit.capstone.checks import money
    from coursekit.engine import audit, plan_from_dict, scenario_from_dict, strategy_from_dict

    a = full_answers(tmp_path / "me.json")
    inputs = capstone.capstone_inputs(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    sc = scenario_from_dict(inputs.scenario)
    raw = {**_tester_answer(a)["_plan"], "cap": 1.25, "cap_scope": "year"}
    runs = {}
    for label, plan in (("capped", raw), ("free", {k: v for k, v in raw.items() if k not in ("cap", "cap_scope")})):
        t = ex.PlanTester(plan=plan_from_dict(plan), options=sc.options, prefer=inputs.prefer)
        t.check()
        runs[label] = {o.name: o.payout for o in t.result.options}
    assert runs["capped"]["Win competitive logos"] < runs["free"]["Win competitive logos"]  # the cap binds
    f = next(f for f in audit(plan_from_dict(raw), strategy_from_dict(inputs.strategy)) if f.code == "cap_binds_on_priority")
    assert (f"a year on Win competitive logos pays {money(runs['capped']['Win competitive logos'])} with the cap and "
            f"{money(runs['free']['Win competitive logos'])} without it") in f.evidence
    assert "the mean of the simulator's years" in f.evidence  # win rates below 1: what the figure is
    assert "instead of each" not in f.fix  # the cap is already on the year


def test_no_nothing_yet_while_comp_is_asked_to_approve_a_change(tmp_path):
    a = full_answers(tmp_path / "me.json")
    saved = _tester_answer(a)
    # the proposed plan is Northwind's as it stands (the plan "now")
    a.set("alignment-capstone/action-2-2", {**saved, "_plan": scenario("capstone-fy28.yaml")["plan"]})
    brief = decision_brief.compose(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    md = render.to_markdown(brief)
    assert brief.sections[2].data["changes"] == [] and "nothing yet" not in md.lower()
    assert "**What changes.** None: the proposed plan is the current plan." in md
    assert "| Option | Bookings a year | Pay (both plans) | Per 100 of bookings |" in md and "Pay proposed" not in md  # not the same columns twice
    assert brief.summary.startswith("No change proposed: the proposed plan is the current plan.")
    # the comp owner is asked to "Approve annual measurement paid monthly and its cost": the same diff flags it
    assert any(w.startswith("Comp is asked to “Approve annual measurement paid monthly and its cost”, but the proposed plan is the current plan")
               for w in brief.warnings), brief.warnings
    html = render.to_html(brief)
    assert "Check before sending:" in html and "but the proposed plan is the current plan" in html
    # an ask to keep the plan is not flagged
    d = dict(a.get(capstone.DECISIONS_KEY))
    a.set(capstone.DECISIONS_KEY, {**d, "asks": {**d["asks"], "comp": {"who": "Comp committee", "ask": "Keep the current plan for FY28"}}})
    brief = decision_brief.compose(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    assert not any(w.startswith("Comp is asked") for w in brief.warnings)


def test_a_hypothesis_on_a_lever_the_plan_lacks_is_flagged(tmp_path):
    a = full_answers(tmp_path / "me.json")
    h = dict(a.get("alignment-capstone/action-4"))
    a.set("alignment-capstone/action-4", {**h, "level": 1.3, "level_text": "at 1.3x"})  # the plan's new-logo credit is 1.25
    w = decision_brief.compose(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples()).warnings
    # (module 3's platform credit of 1.5 names no Northwind product: left out of the capstone's plan)
    assert w == ["The hypothesis tests a credit multiplier at 1.3x, but the proposed plan has it at 1.25x: "
                 "make them agree before the review."]
    a.set("alignment-capstone/action-4", {**h, "lever": "SPIF", "level": 5000, "level_text": "of 5,000 per deal"})  # no SPIF in the plan
    w = decision_brief.compose(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples()).warnings
    assert w and w[0].startswith("The hypothesis tests a SPIF of 5,000 per deal, but the proposed plan has no SPIF")


def test_a_hypothesis_lever_is_read_off_the_plan_as_itself_rate_apart_from_credit_cap_with_its_scope():
    from coursekit.engine import plan_from_dict

    base = {"name": "P", "ote": 200000, "quota": 800000, "period": "quarterly", "cap": 2.0}
    rate = plan_from_dict({**base, "pay_multiplier": {"segment": {"new-logo": 1.3}}})
    # a rate differential is not a credit multiplier: the plan has no credit to test
    assert "has no credit multiplier" in decision_brief.lever_reason({"lever": "credit multiplier", "level": 1.3}, rate)
    assert decision_brief.lever_reason({"lever": "rate differential", "level": 1.3}, rate) == ""
    # a cap on the year's pay is not the cap that resets every quarter, whatever its level
    year = {"lever": "cap", "level": 200, "cap_scope": "year"}
    assert decision_brief.lever_reason(year, rate) == ("The hypothesis caps the year's pay, but the proposed plan's cap resets "
                                                       "every quarter: make them agree before the review.")
    assert decision_brief.lever_reason(year, plan_from_dict({**base, "cap_scope": "year"})) == ""
    assert decision_brief.lever_reason(year, plan_from_dict({**base, "measurement": "cumulative"})) == ""  # capped to date
    assert "applies to the year" in decision_brief.lever_reason({**year, "cap_scope": "period"}, plan_from_dict({**base, "cap_scope": "year"}))


def test_a_review_before_the_plan_can_show_anything_is_flagged_and_the_title_has_a_name_only_when_given(tmp_path):
    a = full_answers(tmp_path / "me.json")
    a.set(capstone.DECISIONS_KEY, {**dict(a.get(capstone.DECISIONS_KEY)), "review_date": "2027-09-30"})  # FY28 starts 2028-01
    brief = decision_brief.compose(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples(), learner="me")
    assert brief.warnings == ["The review date 2027-09-30 is before the plan starts (2028-01-01): nothing the plan changes can be "
                              "seen by then; look on or after 2028-05-01."]
    assert render.to_markdown(brief).startswith("# Alignment brief\n") and "<h1>Alignment brief</h1>" in render.to_html(brief)
    assert decision_brief.compose(a, COURSE, learner="  ").title == "Alignment brief"


def test_plan_changes_is_empty_for_the_same_plan_and_names_each_multiplier():
    from coursekit.engine import plan_from_dict

    base = {"name": "x", "ote": 200000, "quota": 800000, "period": "annual"}
    a = plan_from_dict(base)
    b = plan_from_dict({**base, "credit": {"segment": {"new-logo": 1.3}}, "pay_multiplier": {"product": {"platform": 1.2}}})
    assert decision_brief.plan_changes(a, a) == []
    assert decision_brief.plan_changes(a, b) == ["new logo deals count 1.3 times toward quota and pay instead of once",
                                                 "pays 1.2 times the rate on platform bookings instead of once; credits no extra quota"]
    c = plan_from_dict({**base, "ote": 180000, "quota": 1080000, "variable_share": 0.4})
    assert decision_brief.plan_changes(a, c) == ["on-target earnings 180,000 instead of 200,000", "quota 1,080,000 instead of 800,000",
                                                 "pay mix 60/40 instead of 50/50 (base/incentive)"]
    gated = plan_from_dict({**base, "threshold": 0.5})
    assert decision_brief.plan_changes(gated, a) == ["no threshold instead of 50% of quota"]
    assert decision_brief.plan_changes(a, gated) == ["threshold 50% of quota instead of none"]



def test_the_population_books_the_reps_mix_with_its_credit_and_says_so(tmp_path):
    from coursekit.capstone.checks import money
    from coursekit.engine import booking_mix, plan_from_dict, population, scenario_from_dict, simulate

    a = full_answers(tmp_path / "me.json")
    brief = decision_brief.compose(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    inputs = capstone.capstone_inputs(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    sc = scenario_from_dict(inputs.scenario)
    pop = brief.sections[2].data["population"]
    # the proposed plan credits new-logo deals 1.25x; the rep's best year under it is all new logos (win rate 35%)
    proposed = plan_from_dict(_tester_answer(a)["_plan"])
    r = simulate(sc, proposed)
    assert r.best_mix["Win competitive logos"] == 1.0 and proposed.credit_multiplier("new-logo", None) == 1.25
    mixed = population(proposed, sc.population, sc.months, sc.start, booking_mix(sc, r.best_mix))["cost_of_sales_pct"]
    plain = population(proposed, sc.population, sc.months, sc.start)["cost_of_sales_pct"]
    assert pop["proposed"] == {"reps": 1000, "cost_of_sales_pct": money(mixed, 1), "mix": {"Win competitive logos": 100}}
    assert mixed > plain  # the credit is in the cost now
    md = render.to_markdown(brief)
    assert "before credit multipliers" not in md
    assert (f"{money(mixed, 1)} per 100 of bookings proposed (bookings 100% Win competitive logos)" in md
            and "each booking the mix of deals a rep's best year books under that plan, with its credit and pay multipliers" in md)


def test_a_mix_is_shown_in_whole_percents_that_add_up_to_100():
    from fractions import Fraction

    from coursekit.brief.render import _mix_words

    # 4/7 = 57.14%, 3/7 = 42.86%: the larger remainder (0.86) takes the point floors leave over (57 + 42 = 99)
    assert decision_brief._percents({"smb": Fraction(3, 7), "enterprise": Fraction(4, 7)}) == {"enterprise": 57, "smb": 43}
    thirds = decision_brief._percents({k: Fraction(1, 3) for k in "cba"})
    assert sum(thirds.values()) == 100 and sorted(thirds.values()) == [33, 33, 34]
    assert decision_brief._percents({}) == {}
    assert _mix_words({"enterprise": 57, "smb": 43}) == " (bookings 57% enterprise, 43% smb)"
    assert _mix_words({"a": 100, "b": 0}) == " (bookings 100% a, under 1% b)" and _mix_words(None) == ""


def _audit_in_capstone(a: Answers):
    """The capstone's audit driven as a learner would (``tests/full_marks.audit_answer``): it traces each component,
    measures the year and credits new logos 1.5 times (expansion left at 1), so it saves a plan other than the tester's."""
    from coursekit import notebook as ex
    from coursekit.engine import plan_from_dict, strategy_from_dict

    from ..full_marks import audit_answer

    inputs = capstone.capstone_inputs(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    w = ex.PlanAudit(plan=plan_from_dict(_tester_answer(a)["_plan"]), strategy=strategy_from_dict(inputs.strategy), answers=a,
                     key="alignment-capstone/action-3")
    answer = audit_answer(w)
    w.set_answer({**answer, "credit": {k: 1.5 if k.endswith("new-logo") else 1.0 for k in answer["credit"]}})
    w.check()
    return a.get("alignment-capstone/action-3")["_plan"]


def test_a_plan_checked_in_the_tester_after_the_audit_is_the_one_proposed(tmp_path):
    """The learner audits, then goes back to the tester and checks another plan: the audit's plan is an earlier
    design, so the brief proposes the tester's last checked plan and says to run the audit again."""
    from coursekit import notebook as ex
    from coursekit.engine import plan_from_dict, scenario_from_dict

    a = full_answers(tmp_path / "me.json")
    audited = _audit_in_capstone(a)
    assert decision_brief.proposed_plan(a) == audited and not decision_brief.audit_outdated(a)
    inputs = capstone.capstone_inputs(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    sc = scenario_from_dict(inputs.scenario)
    t5 = ex.PlanTester(plan=plan_from_dict(inputs.plan), options=sc.options, prefer=inputs.prefer, answers=a,
                       key="alignment-capstone/action-2-2")
    t5.set_answer({**t5.answer, "period": "quarterly", "credit": 1.4})
    t5.check()
    later = _tester_answer(a)["_plan"]
    assert later != audited and decision_brief.proposed_plan(a) == later
    brief = decision_brief.compose(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    assert any("run the audit cell again" in w for w in brief.warnings), brief.warnings
    assert brief.sections[2].data["proposed"]["name"] == later["name"]


def test_sections_3_and_4_and_the_warnings_read_one_plan(tmp_path):
    from coursekit.engine import plan_from_dict
    from coursekit.engine.audit import explain

    a = full_answers(tmp_path / "me.json")
    audited = _audit_in_capstone(a)
    assert audited != _tester_answer(a)["_plan"]  # two plans saved in the capstone: the tester's and the audit's
    assert decision_brief.proposed_plan(a) == audited  # the audit comes after the tester and changes its plan
    brief = decision_brief.compose(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    plans, findings = brief.sections[2].data, brief.sections[3].data
    names = decision_brief.segment_names(scenario("capstone-fy28.yaml"))
    assert plans["proposed"]["explained"] == explain(plan_from_dict(audited), names) and findings["plan"] == "proposed"
    # every "a year on X pays N" the audit quotes is the proposed column of section 3's table for X
    table = {o["option"]: money_of(o["proposed"]["pay_cents"]) for o in plans["options"]}
    quoted = [q for f in findings["findings"] for q in re.findall(r"a year on (.+?) pays ([\d,]+)", f["evidence"], re.I)]
    assert quoted, findings["findings"]
    for option, pay in quoted:
        assert table[option] == pay, (option, pay, table)
    # the warnings read it too: the hypothesis's 1.25x credit is not the audited plan's 1.5x (each level said once)
    assert ("The hypothesis tests a credit multiplier at 1.25x, but the proposed plan has it at 1.5x: make them agree before the review."
            in brief.warnings), brief.warnings


def money_of(cents: int) -> str:
    from decimal import Decimal

    from coursekit.capstone.checks import money

    return money(Decimal(cents) / 100)


def test_now_is_the_company_plan_and_a_starting_plan_is_never_called_now(tmp_path):
    a = full_answers(tmp_path / "me.json")
    company = scenario("capstone-fy28.yaml")
    brief = decision_brief.compose(a, COURSE, company, worked_examples())
    d = brief.sections[2].data
    assert d["current"]["name"] == company["plan"]["name"] and d["current_label"] == "now"  # what Northwind's reps are paid today
    # no company plan to compare with: the plan the design started from, named as such, never "now"
    bare = {k: v for k, v in company.items() if k != "plan"}
    brief = decision_brief.compose(a, COURSE, bare, worked_examples())
    d = brief.sections[2].data
    # (the capstone's tester saved the plan it started from: module 3's design on Northwind's money, under its name)
    started = "Northwind mid-market AE FY28 with your design"
    assert d["current_label"] == "starting plan" and d["current"]["name"] == started
    assert d["source"] == f"Starting plan: your plan tester in module 3 ({started})"
    md = render.to_markdown(brief)
    assert f"Starting plan: your plan tester in module 3 ({started})." in md and "Pay now" not in md
    assert not re.search(r"\btoday\b|\d now\.", brief.summary), brief.summary


def test_the_brief_carries_a_map_rows_checked_part(tmp_path):
    """A contradiction-map row's component (its checked part) reaches the brief, and the map's one money difference is said
    once, as the module's case, never as a fact about each of the learner's priorities."""
    a = full_answers(tmp_path / "me.json")
    key = "intelligent-sales-foundation/action-1"
    saved = a.get(key)
    rows = [{**saved["rows"][0], "pulls": "strategy", "against": "comp", "component": "Cap", "pays": "less"}, full_marks.MAP_ROWS[1]]
    a.set(key, {**saved, "rows": rows, "money": "57k", "_money_case": {"want": "enterprise", "other": "smb"}})
    brief = decision_brief.compose(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    data = brief.sections[1].data
    assert [r["component"] for r in data["contradictions"][:2]] == ["Cap", "Measurement period"], data
    assert not any("money_cents" in r for r in data["contradictions"])
    assert [m for m in data["maps"] if m["number"] == 1] == [
        {"module": data["contradictions"][0]["module"], "number": 1, "money_cents": 5_700_000, "want": "enterprise", "other": "smb"}]
    md = render.to_markdown(brief)
    assert "Plan component at issue: the cap." in md and "Plan component at issue: the measurement period." in md
    said = ("On module 1's case (enterprise vs smb, the module's plan tester), a full-time year on enterprise pays 57,000 less "
            "than a full-time year on smb.")
    assert md.count(said) == 1 and "On the plan's cap" not in md and "a year selling what strategy asks pays" not in md, md
    jsonschema.validate(model.to_json(brief), schema(), cls=jsonschema.Draft202012Validator)
    # this branch's earlier shape (money per row), never checked as the case's: the number is kept, said as not accepted
    a.set(key, {**saved, "rows": [{**rows[0], "money": "57k"}]})
    brief = decision_brief.compose(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    md = render.to_markdown(brief)
    assert "57,000 entered for module 1's case (its plan tester's options), not accepted by the course's check yet" in md, md
    assert said not in md
    jsonschema.validate(model.to_json(brief), schema(), cls=jsonschema.Draft202012Validator)


def test_a_small_extra_pay_is_printed_in_cents_so_the_sentence_adds_up():
    # 251,996.50 -> 252,000.00: in whole units the figures read 251,997 and 252,000 and the difference 4
    row = {"option": "renewal desk", "current": {"pay_cents": 25_199_650, "per_100_revenue": "9.3"},
           "proposed": {"pay_cents": 25_200_000, "per_100_revenue": "9.3"}}
    d = {"rep_choice": {"current": "renewal desk", "proposed": "renewal desk"}, "changes": ["x"], "options": [row],
         "current_label": "now"}
    said = decision_brief.buys_nothing(d)
    assert "pays 3.50 more a rep (251,996.50 now, 252,000.00 proposed" in said, said


def test_an_option_named_deals_is_not_written_deals_deals():
    names = decision_brief.segment_names({"options": [{"name": "greenfield deals", "product": "greenfield"}]})
    assert names == {"greenfield": "greenfield"}
    plan = scenario("capstone-fy28.yaml")["plan"]
    plan = {**plan, "pay_multiplier": {"product": {"greenfield": 2.0}}}
    words = " ".join(decision_brief.planning_notes(decision_brief._load(plan), {"greenfield": "greenfield deals"}) +
                     [decision_brief.explain(decision_brief._load(plan), {"greenfield": "Greenfield Deals"})])
    assert "deals deals" not in words.lower() and "deals bookings" not in words and "greenfield" in words, words


def test_a_change_that_buys_no_behavior_but_costs_more_is_flagged(tmp_path):
    a = full_answers(tmp_path / "me.json")
    plan = scenario("capstone-fy28.yaml")["plan"]
    # Northwind's plan with a steeper accelerator (2x above quota instead of 1.5x): renewals stay a rep's best year
    richer = {**plan, "tiers": [{"from": 0.0, "multiplier": 1.0}, {"from": 1.0, "multiplier": 2.0}]}
    a.set("alignment-capstone/action-2-2", {**_tester_answer(a), "_plan": richer})
    brief = decision_brief.compose(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    d = brief.sections[2].data
    assert d["rep_choice"]["current"] == d["rep_choice"]["proposed"] == "multi-year renewal"
    row = next(o for o in d["options"] if o["option"] == "multi-year renewal")
    assert row["proposed"]["pay_cents"] > row["current"]["pay_cents"]
    more = money_of(row["proposed"]["pay_cents"] - row["current"]["pay_cents"])
    flagged = [w for w in brief.warnings if w.startswith("A rep's best year is Multi-year renewal under both plans")]
    assert flagged and f"pays {more} more a rep" in flagged[0], brief.warnings
    assert "Check before sending" in render.to_markdown(brief)
    # a change that moves the choice is not flagged (the full answers: renewals now, new logos proposed)
    full = decision_brief.compose(full_answers(tmp_path / "other.json"), COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    assert not any("under both plans" in w for w in full.warnings)


def test_planning_hears_that_credit_inflates_attainment_and_a_rate_differential_does_not():
    from coursekit.engine import plan_from_dict

    base = {"name": "x", "ote": 180000, "quota": 1080000, "period": "quarterly"}
    names = decision_brief.segment_names(scenario("capstone-fy28.yaml"))
    credit = decision_brief.planning_notes(plan_from_dict({**base, "credit": {"segment": {"new-logo": 1.5}}}), names)
    # a quarter booked at 100% of quota on new logos reports 1.5 x 100% = 150%
    assert credit == ["The plan counts new logo deals 1.5 times toward quota, so reported attainment reads above what was booked "
                      "(a quarter booked at 100% of quota on new logo deals reports 150%): capacity plans and attainment reports must "
                      "use booked numbers. A rate differential instead (pay 1.5 times the rate on new logo bookings, crediting no extra "
                      "quota) rewards the same deals without inflating attainment."]
    rate = decision_brief.planning_notes(plan_from_dict({**base, "pay_multiplier": {"segment": {"new-logo": 1.3}}}), names)
    assert rate == ["The plan pays 1.3 times the rate on new logo bookings; credits no extra quota: attainment is what was booked, "
                    "so capacity plans can use it as reported."]
    assert decision_brief.planning_notes(plan_from_dict(base)) == []


def test_full_brief_says_it_for_planning_once_past_the_threshold_and_without_over_escaping(full):
    md = render.to_markdown(full)
    assert "**For planning.** The plan counts new logo deals 1.25 times toward quota" in md
    # a gate, then every dollar from the first: 90,000 / 1,080,000 = 8.33% (Northwind's TI and quota)
    assert "Once past 50%, every credited dollar from the first earns 8.33%." in md and "From the first dollar" not in md
    assert "Deals in segment" not in md and "Deals in product" not in md and "New logo deals count 1.25 times toward quota and pay." in md
    assert "\\(" not in md and "\\)" not in md  # parentheses cannot make a link once brackets are escaped


def test_the_same_contradiction_in_two_modules_is_shown_once_labelled_with_both(tmp_path):
    a = full_answers(tmp_path / "me.json")
    row = dict(a.get("intelligent-sales-foundation/action-1")["rows"][0])
    a.set("enablement-to-payout-alignment/action-1", {"_kind": "contradiction_map", "rows": [row]})
    other = {**row, "contradiction": "Enablement teaches a quarter-long cycle that a monthly cap punishes"}
    a.set("priority-encoding-via-pay/action-2", {"_kind": "contradiction_map", "rows": [{"strategy": "x"}, other]})
    brief = decision_brief.compose(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples())
    labels = [c["priority"] for c in brief.sections[1].data["contradictions"]]
    assert labels == ["Modules 1 and 4, priority 1: Sell to enterprise accounts", "Module 3, priority 1: x",
                      "Module 3, priority 2: Sell to enterprise accounts"]
    md = render.to_markdown(brief)
    assert md.count("The month's cap punishes the enterprise deal") == 1 and "Priority 1" not in md


def test_the_calendar_is_quoted_not_built_into_a_sentence(tmp_path):
    a = full_answers(tmp_path / "me.json")
    a.set(capstone.DECISIONS_KEY, {**dict(a.get(capstone.DECISIONS_KEY)), "calendar": "the CRO's, with RevOps bringing the metric"})
    md = render.to_markdown(decision_brief.compose(a, COURSE, scenario("capstone-fy28.yaml"), worked_examples()))
    assert "Review on 30 June 2028 (calendar: the CRO's, with RevOps bringing the metric)." in md and "metric calendar" not in md


def test_a_measurement_period_hypothesis_is_named_as_one():
    from coursekit.engine import plan_from_dict

    plan = plan_from_dict({"name": "x", "ote": 180000, "quota": 1080000, "period": "quarterly"})
    why = decision_brief.lever_reason({"lever": "pay period", "level": 12, "level_text": "of 12 months"}, plan)
    assert why == ("The hypothesis tests a measurement period of 12 months, but the proposed plan has it at 3 months: "
                   "make them agree before the review.")
    assert "pay period" not in why


def test_the_chart_labels_each_bar_with_its_pay_per_100_of_bookings(full, monkeypatch):
    from matplotlib.axes import Axes

    seen: list[str] = []
    text = Axes.text
    monkeypatch.setattr(Axes, "text", lambda self, x, y, s, *a, **k: seen.append(s) or text(self, x, y, s, *a, **k))
    assert decision_brief.chart_png(full)[:8] == b"\x89PNG\r\n\x1a\n"
    for o in full.sections[2].data["options"]:
        for role in ("current", "proposed"):
            assert f"{money_of(o[role]['pay_cents'])} ({o[role]['per_100_revenue']} per 100)" in seen, (o, seen)


def test_the_summary_compares_a_reps_best_year_now_with_a_reps_best_year_proposed_and_the_populations_cost(full):
    d = full.sections[2].data
    # renewals are a rep's best year under Northwind's plan now; new logos under the proposed plan (the strategy's choice)
    assert d["rep_choice"] == {"current": "multi-year renewal", "proposed": "Win competitive logos"}
    row = {o["option"]: o for o in d["options"]}
    now, new = row["multi-year renewal"]["current"], row["Win competitive logos"]["proposed"]
    said = (f"Cost of a rep's best year: {money_of(now['pay_cents'])} on Multi-year renewal now ({now['per_100_revenue']} per 100 of "
            f"bookings) → {money_of(new['pay_cents'])} on Win competitive logos proposed ({new['per_100_revenue']} per 100).")
    assert said in full.summary, full.summary
    # the wanted option's year under the plan now is a year nobody picks now: never the comparison
    nobody = row["Win competitive logos"]["current"]
    assert nobody["pay_cents"] != now["pay_cents"] and f"against {money_of(nobody['pay_cents'])}" not in full.summary
    pop = d["population"]
    assert (f"Incentive cost for {pop['current']['reps']:,} reps: {pop['current']['cost_of_sales_pct']} per 100 of bookings now → "
            f"{pop['proposed']['cost_of_sales_pct']} proposed.") in full.summary, full.summary


def test_measurement_changes_use_the_plan_testers_words_and_scenario_options_are_capitalised_for_display(full):
    from coursekit.engine import plan_from_dict
    from coursekit.engine.audit import measure_label

    base = {"name": "x", "ote": 200000, "quota": 800000, "period": "quarterly"}
    quarter, ytd = plan_from_dict(base), plan_from_dict({**base, "period": "monthly", "measurement": "cumulative"})
    year = plan_from_dict({**base, "period": "annual"})
    assert decision_brief.plan_changes(quarter, year) == [
        "measured over the year against the annual quota, paid monthly as earned, instead of each quarter on its own"]
    assert decision_brief.plan_changes(quarter, ytd) == [
        f"measured {measure_label('monthly', 'cumulative')}, instead of each {measure_label('quarterly', 'standalone')}"]
    md = render.to_markdown(full)
    assert "every year" not in md and "every quarter" not in md
    assert "**What changes.** Measured over the year against the annual quota, paid monthly as earned, instead of each quarter on its own;" in md
    # the scenario's own option name shown with a capital, its key unchanged; the learner's priority names as written
    assert "\n| Multi-year renewal | " in md and "\n| Expand installed base | " in md
    assert [o["option"] for o in full.sections[2].data["options"]] == ["multi-year renewal", "Expand installed base", "Win competitive logos"]
    assert "A rep's best year: Multi-year renewal under the plan now" in md
    assert "(bookings 100% Multi-year renewal)" in md


def test_findings_in_the_brief_name_components_as_people_say_them_never_plan_file_keys(tmp_path):
    from types import SimpleNamespace

    from coursekit.capstone.inputs import Module

    # a renewal credit and a renewal SPIF traced to the enterprise priority: both pay against the strategy
    sec = model.Section("findings", 4, "Audit findings still open")
    m = Module(5, "alignment-capstone", "Capstone")
    decision_brief._findings_section(sec, Answers(tmp_path / "me.json"), SimpleNamespace(strategy=AGAINST_STRATEGY), ("proposed", AGAINST_PLAN), m, m)
    found = {f["code"]: f for f in sec.data["findings"]}
    assert found["credit_against_strategy"]["evidence"].startswith("the renewal credit multiplier counts renewals deals 1.5 times")
    assert found["credit_against_strategy"]["fix"].startswith("set the renewal credit multiplier to 1 or below")
    assert found["spif_against_strategy"]["fix"].startswith("restrict the q4push SPIF to priority deals")
    assert found["credit_against_strategy"]["component"] == "credit.segment.renewal"  # the key stays the key
    words = " ".join(f["evidence"] + " " + f["fix"] for f in sec.data["findings"])
    assert not re.search(r"credit\.segment\.|spif\.|traces_to", words), words


def test_a_cap_is_named_with_what_it_multiplies_as_the_schedule_applies_it():
    from coursekit.engine import plan_from_dict

    base = {"name": "P", "ote": 200000, "quota": 800000, "period": "quarterly", "cap": 2.0}
    for change, words in (({}, "the quarter's target incentive"), ({"cap_scope": "year"}, "the year's target incentive"),
                          ({"measurement": "cumulative"}, "the target incentive to date")):  # capped on the target to date
        none = plan_from_dict({**base, **change, "cap": None})
        assert decision_brief.plan_changes(none, plan_from_dict({**base, **change})) == [f"a cap at 2 times {words} instead of no cap"]
    # the scope alone changed: said once, by what the cap multiplies
    assert decision_brief.plan_changes(plan_from_dict(base), plan_from_dict({**base, "cap_scope": "year"})) == [
        "a cap at 2 times the year's target incentive instead of a cap at 2 times the quarter's target incentive"]
