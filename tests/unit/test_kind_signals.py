"""The signals_spotter kind: module 4's action 3 is the gaming-signals exercise over the detector's report, with a
worked example on a different (generated) export, "try it on your own export", and facilitator material that
agrees with what the detector finds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coursekit.assemble import check_course, generate
from coursekit.exercises import KINDS
from coursekit.exercises.signals_spotter.kind import demo_summary, one_planted_rep
from coursekit.signals.detect import course_report
from tests.helpers import note_text

ROOT = Path(__file__).resolve().parents[2]
MODULE4 = "enablement-to-payout-alignment"
LABEL = {"period_end_bunching": "bunching at period end", "period_end_discounting": "discounting at period end",
         "post_cap_stall": "stall after the cap", "deal_splitting": "deal splitting", "edge_bunching": "landing just above"}


@pytest.fixture(scope="module")
def course():
    return check_course(ROOT / "content")


def test_module_4_action_3_is_the_signals_exercise_and_plans_cleanly(course):
    _, planned, problems = course
    assert [p for p in problems if p.severity == "error"] == []
    (p,) = [p for p in planned[MODULE4] if p.id == "action-3"]
    assert p.spec.type == "signals_spotter" and p.anchor == ("action", 3)
    assert p.facilitator is not None and len(p.facilitator.prompts) == 2 and p.facilitator.expect
    assert KINDS["signals_spotter"].minutes == 15


def test_its_cells_set_up_the_report_show_a_different_export_then_the_widget_then_the_command(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    text = note_text(exercises="[{type: signals_spotter, action: 1}]")
    (content / "my-note.md").write_text(text.replace("### 1. Do a checklist (5 min)", "### 1. Watch for the signals of gaming (15 min)"))
    _, notebooks = generate(content)
    cells = notebooks["01-my-note.ipynb"].cells
    i = next(n for n, c in enumerate(cells) if "course_report()" in c.source)
    setup, intro, demo, widget, try_it = cells[i:i + 5]
    assert setup.metadata["tags"] == ["setup"]
    assert "from coursekit.notebook import COURSE_APPROVAL_LIMIT, course_report" in setup.source  # the facade only
    assert "signals_report = course_report()" in setup.source
    assert intro.cell_type == "markdown" and "different export" in intro.source
    assert "one_planted_rep()" in demo.source and "timing_figure(demo_report, [demo_rep])" in demo.source
    # its output is compared by nbval (it is deterministic, no ignore tag); its source is collapsed: the output is the example
    assert demo.metadata["tags"] == ["worked-example"] and demo.metadata["jupyter"] == {"source_hidden": True}
    assert widget.metadata["tags"] == ["nbval-ignore-output", "exercise"]
    assert widget.source == ('action_1 = ex.SignalsSpotter(signals_report, approval_limit=COURSE_APPROVAL_LIMIT, '
                             'answers=answers, key=MODULE + "/action-1")\naction_1')
    assert try_it.cell_type == "markdown" and "Try it on your own export" in try_it.source
    assert "coursekit signals my-export.csv --plan my-plan.yaml --from salesforce" in try_it.source
    # nothing before the widget prints the course export's findings (the worked example is another export)
    shown = "\n".join(c.source for c in cells[:cells.index(widget)])
    assert not any(rep in shown for rep in course_report().flagged())


def test_the_worked_example_finds_its_one_planted_rep_and_nobody_else():
    report, rep = one_planted_rep()
    assert len(report.reps) == 8 and len(report.periods) == 12
    assert {(s.kind, s.rep) for s in report.signals} == {("period_end_bunching", rep)}
    assert not set(report.reps) & set(course_report().reps)  # no name shared with the exercise's reps
    summary = demo_summary(report, rep)
    mine = [s for s in report.signals if s.rep == rep]
    assert f"{rep}: period end bunching in {len(mine)} of 12 periods" in summary
    assert max(mine, key=lambda s: s.strength).evidence in summary and "Everyone else: nothing found." in summary
    assert demo_summary(*one_planted_rep()) == summary  # seeded: the stored output does not change on a rebuild


def test_the_facilitator_model_answer_names_what_the_detector_finds_and_no_one_else(course):
    _, planned, _ = course
    (p,) = [p for p in planned[MODULE4] if p.id == "action-3"]
    answer = p.facilitator.model_answer
    report = course_report()
    bullets = {m.group(1): m.group(2) for m in re.finditer(r"- \*\*([^*:]+):\*\* ([^\n]+)", answer)}
    for rep in report.flagged():
        kinds = {s.kind for s in report.signals if s.rep == rep}
        assert rep in bullets, rep
        assert all(LABEL[k] in bullets[rep] for k in kinds), (rep, kinds)
        months = len({s.period for s in report.signals if s.rep == rep and s.period})
        if months:
            assert re.search(rf"\b{months} (of 12 )?months", bullets[rep]) or (months == 12 and "every month" in bullets[rep]), rep
        for s in report.signals:  # a finding over the year: the months it landed just above the edge, as the evidence counts
            if s.rep == rep and s.kind == "edge_bunching":
                landed = re.match(r"(\d+) of this rep's 12 rep-periods", s.evidence).group(1)
                assert f"{s.component} edge in {landed} of 12 months" in bullets[rep] or f"{s.component} in {landed} of 12 months" in bullets[rep], rep
    from coursekit.exercises.signals_spotter.widget import shown_reps

    clean = [r for r in shown_reps(report) if r not in report.flagged()]
    assert len(clean) == 2 and all(r in bullets["Clean"] for r in clean)
    assert f"{report.tests} tests" in answer
    (team,) = [s for s in report.signals if s.kind == "edge_bunching" and not s.rep]
    assert team.component in bullets["The team"] and "44 rep-months just above, 4 just below" in answer
    assert "44 rep-periods within 5% above" in team.evidence and "4 within 5% below" in team.evidence
    # no rep the detector clears is named as gaming
    assert set(bullets) - {"The team", "Clean"} == set(report.flagged())


def test_brief_rows_skip_unanswered_reps_and_junk():
    rows = KINDS["signals_spotter"].brief_rows({"reps": {"A": [], "B": "x", "<b>": ["deal_splitting"], 5: ["none"]}, "edge": ""})
    assert rows == [("Signals: <b>", "deal splitting"), ("Signals: 5", "none")]
