"""The Alignment brief as learners get it: `coursekit export` and the button at the end of each module write the
decision document (Markdown, HTML, JSON) to ~/.coursekit/brief/, six sections in order, headings from the course;
`coursekit handin` reads the JSON there. What is left of the answer dump (``brief.sections``) feeds the Review widget."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from coursekit import cli
from coursekit.answers import Answers
from coursekit.exercises.rows import sections
from coursekit.room.exchange import for_room
from tests.capstone_answers import ASKS, HEADINGS, full_answers

ROOT = Path(__file__).resolve().parents[2]
IDS = ["priorities", "contradictions", "plans", "findings", "hypothesis", "decisions"]
NAMES = ("decision-brief.md", "decision-brief.html", "decision-brief.json")


@pytest.fixture(scope="module")
def context():
    from coursekit.assemble import brief_context, check_course

    course, planned, problems = check_course(ROOT / "content")
    assert not [p for p in problems if p.severity == "error"]
    return brief_context(course, planned)


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COURSEKIT_LEARNER", "me")
    return tmp_path / "home"


def assert_six_sections_in_order(folder: Path) -> str:
    md = (folder / "decision-brief.md").read_text(encoding="utf-8")
    assert re.findall(r"^## (\d)\. (.+)$", md, re.M) == [(str(i), h) for i, h in enumerate(HEADINGS, 1)]
    page = (folder / "decision-brief.html").read_text(encoding="utf-8")
    assert re.findall(r"<h2>\d\. ([^<]+)</h2>", page) == HEADINGS
    data = json.loads((folder / "decision-brief.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in data["sections"]] == IDS
    return md


def test_the_brief_context_comes_from_the_capstone(context):
    assert [m["slug"] for m in context["course"]][-1] == "alignment-capstone"
    assert context["scenario"]["plan"]["name"] == "Northwind mid-market AE FY28"  # the capstone's own scenario
    # every earlier module with a plan tester gives a worked-example plan the capstone can start from
    assert set(context["worked"]) == {"intelligent-sales-foundation", "strategy-to-comp-translation", "priority-encoding-via-pay",
                                      "enablement-to-payout-alignment"}


def test_export_writes_the_decision_brief_from_a_full_answer_set_where_handin_reads_it(home, tmp_path, capsys):
    full_answers(home / "answers" / "me.json")
    assert cli.main(["export", "--content", str(ROOT / "content")]) == 0
    out = home / "brief" / "me"  # the learner's own folder
    assert capsys.readouterr().out.split() == [x for n in NAMES for x in ("wrote", str(out / n))]
    md = assert_six_sections_in_order(out)
    data = json.loads((out / "decision-brief.json").read_text())
    assert all(s["filled"] for s in data["sections"]), [s["todo"] for s in data["sections"] if s["todo"]]
    # headings are human: module titles, never slugs; every owner asked
    assert "**Module 1, priority 1: Sell to enterprise accounts.**" in md and "intelligent-sales-foundation" not in md
    assert md.startswith("# Alignment brief\n")  # the answers file is me.json: no name to put in the title
    for owner, a in zip(("Strategy", "Planning", "Enablement", "Comp"), ASKS.values()):
        assert f"| {owner} | {a['who']} | {a['ask']} |" in md
    # pay per option comes from the capstone's scenario: its three options, the strategy's marked
    assert len(data["sections"][2]["data"]["options"]) == 3 and "(the strategy's choice)" in md
    # `coursekit handin` reads the JSON from there by default
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    assert cli.main(["handin", "--exchange", str(exchange)]) == 0
    (handed,) = exchange.iterdir()
    assert json.loads(handed.read_text())["sections"] == for_room(data)["sections"]  # what the room shows of it


def test_export_without_the_course_still_writes_six_sections_saying_how_to_fill_them(home, tmp_path):
    Answers.open().set("intelligent-sales-foundation/action-1", {"_kind": "contradiction_map", "rows": [{"contradiction": "Cap resets monthly"}]})
    assert cli.main(["export", "--out", str(tmp_path / "out"), "--content", str(tmp_path / "no-such-folder")]) == 0
    md = assert_six_sections_in_order(tmp_path / "out")
    # no course: no module is known, so nothing is placed under a slug; every section says what to do instead
    assert md.count("*Not filled yet.*") == 6 and "intelligent-sales-foundation" not in md


def test_the_button_writes_the_same_brief_with_the_course_headings(home, context):
    from coursekit import notebook as ex

    a = full_answers(home / "answers" / "me.json")
    md, page, data = ex.BriefButton(a, **context).click()
    assert [p.name for p in (md, page, data)] == list(NAMES) and md.parent == home / "brief" / "me"
    text = assert_six_sections_in_order(md.parent)
    assert "the proposed plan is your design, started from your plan tester in module 3 (" in text  # module numbers from the course outline
    assert text == (home / "brief" / "me" / "decision-brief.md").read_text()


def test_two_learners_on_one_account_keep_their_own_briefs(home, monkeypatch, tmp_path):
    """A small hub runs several learners under one Unix user: an export never overwrites another learner's brief."""
    for name in ("ann", "lee"):
        monkeypatch.setenv("COURSEKIT_LEARNER", name)
        Answers.open().set("intelligent-sales-foundation/action-1", {"_kind": "contradiction_map", "rows": [{"contradiction": f"{name}'s row"}]})
        assert cli.main(["export", "--content", str(tmp_path / "no-such-folder")]) == 0
    for name in ("ann", "lee"):
        data = json.loads((home / "brief" / name / "decision-brief.json").read_text())
        assert data["learner"] == name


def test_review_rows_read_each_answer_by_its_kind_in_key_order(tmp_path):
    a = Answers(tmp_path / "me.json")
    a.set("m/action-1", {"_kind": "priorities", "assumed_attainment": 85, "priorities": [
        {"name": "win logos", "behavior": "take a named account from the main competitor", "segment": "new-logo", "cycle_months": 4, "rank": 1}]})
    a.set("m/action-2", {"_kind": "scenario_editor", "options": [{"name": "new logo", "deal_size": 110000, "cycle_months": 4, "win_rate": 0.35}]})
    a.set("m/action-5", {"_kind": "decisions", "asks": ASKS, "review_date": "2028-04-15", "calendar": "the CRO's"})
    a.set("m/junk", "not a dict")
    got = {ex: dict(rows) for _m, ex, rows in sections(Answers(tmp_path / "me.json"))}
    assert list(got) == ["action-1", "action-2", "action-5"]
    assert got["action-1"] == {"Priority 1: win logos": "take a named account from the main competitor (new-logo, 4-month cycle)",
                               "Planning assumes": "85% of quota"}
    assert got["action-2"] == {"new logo": "110,000 a deal, 4-month cycle, 35% won"}
    assert got["action-5"]["Comp"] == "Comp committee: Approve annual measurement paid monthly and its cost"
    assert got["action-5"]["Review date"] == "2028-04-15 (the CRO's)"
