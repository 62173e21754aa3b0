"""The room with briefs of learners' own companies (issue 24): a plan a learner checked in module 1's tester reaches the
room's plan changes; briefs of version 1 and 2 are read side by side; briefs are grouped by their company's currency."""

from __future__ import annotations

import json

from coursekit.answers import Answers
from coursekit.assemble.run import brief_context, check_course
from coursekit.brief.compose import compose
from coursekit.brief.model import to_json
from coursekit.room.gather import gather
from coursekit.room.page import to_html
from coursekit.room.view import currency_html
from tests.helpers import ROOT
from tests.own_company import take_through

BASE = {"name": "Monthly capped", "ote": 200000, "quota": 1600000, "period": "monthly", "cap": 2.0}


def _module_one_brief(tmp_path, ctx, learner: str) -> dict:
    answers = Answers(tmp_path / f"{learner}.json")
    answers.set("intelligent-sales-foundation/action-2", {"_kind": "plan_tester", "_plan": {**BASE, "cap_scope": "year"},
                                                          "_base_plan": BASE, "_done": True, "accelerator": 1.0})
    return to_json(compose(answers, ctx["course"], ctx["scenario"], ctx["worked"], learner=learner))


def test_module_one_plan_reaches_the_room_with_mixed_versions_and_currencies(tmp_path):
    course, planned, _ = check_course(ROOT / "content")
    ctx = brief_context(course, planned)
    ex = tmp_path / "exchange"
    ex.mkdir()
    one = _module_one_brief(tmp_path, ctx, "ada")
    change = one["sections"][2]["data"]["changes"]
    assert change and one["sections"][2]["data"]["aligned"] == {"proposed": True}
    (ex / "ada.json").write_text(json.dumps(one))
    own = to_json(compose(take_through(tmp_path / "q", ctx), ctx["course"], ctx["scenario"], ctx["worked"], learner="bo"))
    (ex / "bo.json").write_text(json.dumps(own))
    old = json.loads(json.dumps(one))  # the same brief as version 1 wrote it: no version, no company, no source tester
    old.update(schema="coursekit-brief/1", learner="cy")
    old.pop("version")
    for key in ("company", "from"):
        old["sections"][2]["data"].pop(key)
    (ex / "cy.json").write_text(json.dumps(old))
    room = gather(ex)
    assert room.briefs == 3 and not room.problems
    assert room.versions == {"coursekit-brief/1": 1, "coursekit-brief/2": 2}
    assert room.changes[change[0]]["passed"] == [True, True]  # ada's and cy's: module 1's tester, passed
    assert set(room.currencies) == {"USD", "CHF"}
    page = to_html(room)
    assert "Plan changes: passed the tests" in page and change[0].split(" ")[0] in page
    table = currency_html(room)
    assert "<td>CHF</td>" in table and "<td>USD</td>" in table
    assert "Companies by currency" in page and "<td>CHF</td>" in page  # `coursekit room`'s page shows it too
