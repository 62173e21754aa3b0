"""Module 4's signals spotter: the detector's findings are the answer key, junk answers fail with a reason,
feedback survives a restart, the model answer waits for a first attempt, and hostile rep names stay text."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import ipywidgets as W
import pytest

from coursekit.answers import Answers
from coursekit.engine.plan import load_plan
from coursekit.exercises.signals_spotter.widget import NONE, TEAM, TRY_COMMAND, SignalsSpotter, shown_reps
from coursekit.signals.crm import read_export
from coursekit.signals.detect import COURSE_APPROVAL_LIMIT, KINDS, course_report, detect

EX = Path(__file__).resolve().parents[2] / "examples"
# the four reps crmgen planted in examples/crm-export.csv (seed 2027), one kind each
PLANTED = {"Chloe Ito": "period_end_bunching", "Mara Silva": "period_end_discounting", "Xavi Moss": "post_cap_stall",
           "Quinn Brook": "deal_splitting"}
# reps the detector also names for landing just above an edge, each over the year (the team's pile-up at tier 2)
EDGE = {"Ana Fox", "Chloe Cruz", "Dev Tan", "Hana Gray", "Jun Ueda", "Nils Cruz"}


@pytest.fixture(scope="module")
def report():
    return course_report()


def truth_answer(report) -> dict:
    """The right answer worked out from the report's signals directly, not through the widget."""
    shown = shown_reps(report)
    reps = {r: sorted({s.kind for s in report.signals if s.rep == r}, key=KINDS.index) or [NONE] for r in shown}
    edges = [s.component for s in report.signals if s.kind == "edge_bunching" and not s.rep]
    return {"reps": reps, "edge": edges[0] if edges else NONE}


def test_course_report_reads_the_shipped_export_from_package_data(report):
    data = resources.files("coursekit.data").joinpath("signals")
    for name in ("crm-export.csv", "crm-plan.yaml"):  # the package copy is the example learners can open
        assert data.joinpath(name).read_bytes() == (EX / name).read_bytes(), f"{name}: package data differs from examples/"
    assert len(report.reps) == 20 and len(report.periods) == 12
    assert {r: {s.kind for s in report.signals if s.rep == r and s.kind != "edge_bunching"} for r in report.flagged()
            if r in PLANTED} == {r: {k} for r, k in PLANTED.items()}
    # the team piles up at the 100% tier edge (the plan's accelerator); the plan's edges: gate 50%, tier 2 100%, cap 2 x TI
    # reached at 150% (100% pays 1 x TI, the next 50% pays 2 x 0.5 = 1 x TI more); six reps land just above tier 2
    edge = [(s.component, s.rep) for s in report.signals if s.kind == "edge_bunching"]
    assert edge[0] == ("tier 2", "") and set(edge[1:]) == {("tier 2", r) for r in EDGE}
    assert set(report.flagged()) == set(PLANTED) | EDGE
    assert report.edges == [("threshold", 0.5), ("tier 2", 1.0), ("cap", 1.5)]


def test_shown_reps_are_every_flagged_rep_and_two_clean_ones_in_a_fixed_order(report):
    shown = shown_reps(report)
    assert shown == shown_reps(report) == SignalsSpotter(report).reps  # a rebuild shows the same reps in the same order
    assert len(shown) == len(set(shown)) == 8 and set(PLANTED) <= set(shown)
    clean = [r for r in shown if not any(s.rep == r for s in report.signals)]
    assert len(clean) == 2 and len(set(shown) & EDGE - set(PLANTED)) == 2  # two reps found only at the edge
    assert set(shown[-2:]) != set(clean)  # shuffled: the clean reps are not simply the last two


def test_the_detectors_findings_pass(report):
    w = SignalsSpotter(report)
    w.set_answer(truth_answer(report))
    lines = w.check()
    kinds = sum(len(k) for k in truth_answer(report)["reps"].values())  # a line a kind (a clean rep's "none" is one)
    assert w.done and all(level == "ok" for level, _ in lines) and len(lines) == kinds + 1  # and the team
    chloe = next(t for _, t in lines if t.startswith("Chloe Ito"))
    strongest = max((s for s in report.signals if s.rep == "Chloe Ito"), key=lambda s: s.strength)
    assert strongest.evidence in chloe and "in 12 of 12 periods" in chloe


@pytest.mark.parametrize("junk, why", [
    ("everything", "Ticking every signal for every rep is not spotting"),
    ("nothing", "Nothing is ticked yet"),
    ("all none", "Calling every rep clean is not spotting either: 6 of these 8 reps"),
])
def test_junk_does_not_pass_and_says_why(report, junk, why):
    w = SignalsSpotter(report)
    ticks = {"everything": list(KINDS), "nothing": [], "all none": [NONE]}[junk]
    w.set_answer({"reps": {r: list(ticks) for r in w.reps}, "edge": NONE if junk == "all none" else ""})
    lines = w.check()
    assert not w.done
    assert lines[0] == ("warn", lines[0][1]) and lines[0][1].startswith(why)
    if junk == "everything":  # every rep wrong, and none revealed: each is told a tick is too many, never which
        assert [t.split(": ", 1)[1] for _, t in lines[1:-1]] == ["not yet: at least one tick is too many. Look at "
                                                                 f"{r}'s charts again, or reveal this rep." for r in w.reps]


def reveal(w, rep):
    """Reveal reps one at a time until ``rep`` is open; the reps revealed on the way."""
    opened = []
    while rep not in opened and rep not in w.answer.get("revealed", []):
        nxt = w.reveal_next()
        assert nxt, rep
        opened.append(nxt)
    return opened


def test_a_wrong_rep_is_told_so_without_the_key_until_that_rep_is_revealed(report):
    w = SignalsSpotter(report)
    answer = truth_answer(report)
    clean = next(r for r, t in answer["reps"].items() if t == [NONE])
    answer["reps"]["Xavi Moss"] = [NONE]
    answer["reps"][clean] = ["deal_splitting"]
    answer["reps"]["Mara Silva"] = ["period_end_discounting", "period_end_bunching"]
    w.set_answer(answer)
    lines = dict((t.split(":")[0], (lvl, t)) for lvl, t in w.check())
    assert not w.done
    assert lines["Xavi Moss"] == ("warn", "Xavi Moss: not yet: a signal is missing. Look at Xavi Moss's charts again, or "
                                          "reveal this rep.")
    assert lines[clean][1].endswith("not yet: at least one tick is too many. Look at "
                                    f"{clean}'s charts again, or reveal this rep.")
    assert not any(s.evidence in t for s in report.signals if s.rep in ("Xavi Moss", clean, "Mara Silva")
                   for _, t in lines.values())  # no evidence of a wrong rep is shown
    # revealed one at a time, in the order shown: each reveal opens exactly one more rep
    opened = reveal(w, "Xavi Moss")
    assert opened == [r for r in w.reps if r in opened] and all(r != "Xavi Moss" for r in opened[:-1])
    assert w.reveal_next() not in opened
    lines = dict((t.split(":")[0], (lvl, t)) for lvl, t in w.check())
    level, xavi = lines["Xavi Moss"]
    assert level == "warn" and "Missed stall after the cap" in xavi and "the plan's cap" in xavi
    case = w.case_file("Xavi Moss")
    stall = max((s for s in report.signals if s.rep == "Xavi Moss" and s.kind == "post_cap_stall"), key=lambda s: s.strength)
    assert stall.evidence in xavi and stall.evidence in case and f"Effect: {stall.effect}" in case
    assert "Deal " in case and stall.deals[0]["date"] in case
    reveal(w, clean)
    reveal(w, "Mara Silva")
    lines = dict((t.split(":")[0], (lvl, t)) for lvl, t in w.check())
    level, alarm = lines[clean]
    assert level == "warn" and "false alarm" in alarm and f"after accounting for {report.tests} tests" in alarm
    mara = [t for lvl, t in w.feedback if t.startswith("Mara Silva")]
    assert [lvl for lvl, t in w.feedback if t.startswith("Mara Silva")] == ["warn", "ok"]  # KINDS order: bunching first
    assert "bunching at period end is a false alarm" in mara[0] and mara[1].startswith("Mara Silva: yes, discounting")


def test_none_with_a_signal_and_a_wrong_edge_are_answered(report):
    w = SignalsSpotter(report)
    answer = truth_answer(report)
    answer["reps"]["Chloe Ito"] = [NONE, "period_end_bunching"]
    answer["edge"] = "cap"
    w.set_answer(answer)
    lines = w.check()
    assert ("warn", "Chloe Ito: you ticked none and a signal: choose one or the other.") in lines
    assert lines[-1][0] == "warn" and lines[-1][1].startswith("The team: not yet") and "tier 2" not in lines[-1][1]
    reveal(w, TEAM)
    team = w.check()[-1]
    assert team[0] == "warn" and "not at the cap; look just above the tier 2" in team[1]


def test_feedback_comes_back_after_a_restart(report, tmp_path):
    path = tmp_path / "me.json"
    first = SignalsSpotter(report, answers=Answers(path), key="m4/signals")
    first.set_answer(truth_answer(report))
    first.check()
    saved = Answers(path).get("m4/signals")
    assert saved["_kind"] == "signals_spotter" and saved["_done"] is True and saved["reps"] == truth_answer(report)["reps"]
    again = SignalsSpotter(report, answers=Answers(path), key="m4/signals")
    assert again.answer == first.answer and again.feedback == first.feedback and again._feedback.value == first._feedback.value
    assert again.done and again.checked and not again._solution_button.disabled
    assert Answers(path).get("m4/signals") == saved  # shown again without a new check: nothing written


def test_the_model_answer_waits_until_every_rep_is_right_or_revealed(report):
    w = SignalsSpotter(report, solution="Compare each rep with the team.")
    assert w._solution_button.disabled and w.show_solution() == ""
    w.check()  # the untouched form: no attempt yet
    assert w.show_solution() == ""
    w.set_answer({"reps": {next(r for r in w.reps if w.truth[r]): [NONE]}, "edge": "none"})
    w.check()  # a first attempt of the learner's own, however poor
    text = w.show_solution()
    assert "Compare each rep with the team." not in text and text.count("not open yet") == len(w.reps) + 1
    assert not any(s.evidence in text for s in report.signals)
    first = w.reveal_next()
    text = w.show_solution()
    assert text.count("not open yet") == len(w.reps) and f"**{first}**: not open yet" not in text
    while w.reveal_next():
        pass
    assert w._reveal_button.disabled
    text = w.show_solution()
    assert text.startswith("Compare each rep with the team.") and "not open yet" not in text
    for rep in PLANTED:
        assert f"**{rep}**" in text
    assert "**The team**: piles up at the tier 2" in text
    assert text.rstrip().endswith(TRY_COMMAND) and "coursekit signals" in TRY_COMMAND and "--from salesforce" in TRY_COMMAND
    assert "Try it on your own export:" in w.children[-1].value and "--from salesforce" in w.children[-1].value
    # the reveals are part of the saved answer: a restart keeps them open
    assert w.answer["revealed"] == [*w.reps, TEAM]


def test_hostile_rep_names_are_escaped_everywhere(tmp_path):
    plan = load_plan(EX / "crm-plan.yaml")
    deals = read_export(EX / "crm-export.csv", currency="USD").deals
    evil = "<img src=x onerror=alert(1)>$\\_x"
    deals["rep"] = deals["rep"].cat.rename_categories({"Chloe Ito": evil})
    report = detect(deals, plan, approval_limit=COURSE_APPROVAL_LIMIT)
    assert evil in report.flagged()
    w = SignalsSpotter(report, approval_limit=COURSE_APPROVAL_LIMIT)
    w._chart_rep.value = evil
    w.draw()  # matplotlib draws the name as text ($ is not mathtext)
    assert all(bytes(img.value).startswith(b"\x89PNG") for img in w._images.values())
    w.set_answer({"reps": {evil: [NONE]}, "edge": "tier 2"})
    w.check()
    w.show_solution()
    html = [c.value for c in w.children if isinstance(c, W.HTML)]  # the only widgets whose value is markup
    assert w._feedback in w.children and w._solution_view in w.children
    assert any("&lt;img src=x onerror=alert(1)&gt;" in h for h in html)
    assert not any("<img" in h for h in html)


def test_an_unknown_rep_is_refused_by_name(report):
    with pytest.raises(ValueError, match="'Nobody' is not in the report"):
        SignalsSpotter(report, reps=["Nobody"])


def test_a_hand_edited_saved_answer_opens_and_checks_without_a_traceback(report, tmp_path):
    path = tmp_path / "me.json"
    answers = Answers(path)
    answers.set("m4/signals", {"reps": {"Chloe Ito": "everything", "Nobody": [NONE]}, "edge": 7, "_kind": "signals_spotter"})
    w = SignalsSpotter(report, answers=Answers(path), key="m4/signals")
    assert w.answer["edge"] == "" and all(v == [] for v in w.answer["reps"].values())  # junk shown as unanswered
    lines = w.check()
    assert not w.done and lines[0][1].startswith("Nothing is ticked yet")


def test_checkboxes_name_their_rep_for_screen_readers(report):
    w = SignalsSpotter(report)
    boxes = w._boxes[w.reps[0]]
    assert [b.tooltip for b in boxes][-1] == f"{w.reps[0]}: none" and all(b.description for b in boxes)


def test_the_charts_have_a_table_for_a_learner_who_cannot_see_them(report):
    w = SignalsSpotter(report)
    w._repr_mimebundle_()  # shown, as a cell shows it: it draws, and redraws when the rep changes
    rep = w._chart_rep.value
    text = w._chart_text.value
    assert f"{rep} against the whole team" in text and "last 5 business days" in text and "<table>" in text
    w._chart_rep.value = next(r for r in w.reps if r != rep)  # another rep: the table follows the chart
    assert f"{w._chart_rep.value} against the whole team" in w._chart_text.value
