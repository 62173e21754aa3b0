"""Issue 25, "What done means": an exercise is done only when its checkable part is right; one kept with a reason the course
cannot check is "written" (its own mark), on the start page, in the widget and in the brief's rows."""

from __future__ import annotations

import pytest

from coursekit import notebook as ex
from coursekit.answers import Answers, progress_frame, status_of
from coursekit.exercises.kind import feedback_rows


@pytest.mark.parametrize("record, status", [
    ({"_status": "done", "_done": True}, "done"),
    ({"_status": "written", "_done": False, "_reason": "Finance funds it"}, "written"),
    ({"_status": "done", "_stale": True}, ""),  # changed since its check: nothing yet
    ({"_done": True}, "done"),  # a file from before statuses
    ({"_done": True, "_reason": "Finance funds it"}, "written"),  # marked done with a reason then: a reason, not a pass
    ({"_done": False}, ""), ({"_status": "passed"}, ""), ("junk", ""), (None, ""),
])
def test_status_of_a_saved_answer(record, status):
    assert status_of(record) == status


def test_the_start_page_counts_written_apart_from_done(tmp_path):
    a = Answers(tmp_path / "a.json")
    a.set("m/one", {"_status": "done", "_done": True})
    a.set("m/two", {"_status": "written", "_reason": "Finance funds it"})
    a.set("m/three", {"_done": False})
    row = progress_frame(a, [{"slug": "m", "title": "M", "exercises": ["one", "two", "three", "four"]}]).loc["M"]
    assert (row["exercises"], row["started"], row["written"], row["done"]) == (4, 3, 1, 1)


def test_a_reason_makes_an_exercise_written_never_done(tmp_path):
    h = ex.HypothesisBuilder(answers=Answers(tmp_path / "a.json"), key="m/h")
    h.set_answer({"lever": "threshold", "level": 40, "behavior": "reps to work enterprise accounts",
                  "metric": "managers answer a pulse survey", "when": "after 2 quarters"})
    h.check()
    if not h.overridable:
        pytest.skip("the hypothesis found something definite: no reason to give")
    h.mark_done("Managers answer a quarterly pulse survey scored one to five")
    saved = Answers(tmp_path / "a.json").get("m/h")
    assert h.status == saved["_status"] == "written" and not h.done and saved["_done"] is False
    rows = feedback_rows(saved)
    assert ("Status", "written (not checked: kept with the learner's reason)") in rows
    assert not any(label == "Status" and text.startswith("done") for label, text in rows)


def test_a_passing_check_is_done_and_an_edit_clears_it(tmp_path):
    w = ex.PitfallCheck(pitfalls=[{"claim": "A", "rebuttal": "a."}], scenarios=[{"text": "one", "pitfall": 0}],
                        answers=Answers(tmp_path / "a.json"), key="m/p")
    w.set_answer({"picks": [0]})
    w.check()
    assert w.status == "done" and status_of(Answers(tmp_path / "a.json").get("m/p")) == "done"
    w.set_answer({"picks": [-1]})
    assert w.status == "" and status_of(Answers(tmp_path / "a.json").get("m/p")) == ""
