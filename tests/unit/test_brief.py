"""The brief reads each answer through its kind, under human headings, in course order."""

from __future__ import annotations

import re
from pathlib import Path

from coursekit.brief import to_markdown
from coursekit.progress import Answers

ROOT = Path(__file__).resolve().parents[2]


def answers_file(tmp_path, data: dict) -> Answers:
    a = Answers(tmp_path / "me.json")
    for key, value in data.items():
        a.set(key, value)
    return Answers(tmp_path / "me.json")


def course_outline():
    from coursekit.assemble import check_course, outline

    course, planned, problems = check_course(ROOT / "content")
    assert not [p for p in problems if p.severity == "error"]
    return outline(course, planned)


def test_brief_has_human_headings_in_course_order_and_reads_answers_by_kind(tmp_path):
    a = answers_file(tmp_path, {
        "enablement-to-payout-alignment/action-1": {"rows": [{"strategy": "Trusted adviser & <partner>"}]},
        "intelligent-sales-foundation/pitfall-check": {"picks": [0, 1, 3, -1], "_kind": "pitfall_check"},
        "intelligent-sales-foundation/action-1": {"rows": [{"strategy": "Sell to enterprise", "comp": "Pays monthly"}]},
        "intelligent-sales-foundation/junk": "not a dict",
    })
    md = to_markdown(a, "me", course_outline())
    heads = [ln for ln in md.splitlines() if ln.startswith("#")]
    assert heads == ["# Alignment brief: me", "## Intelligent Sales Foundation", "### Action 1: Map Current Contradictions",
                     "### Pitfall check", "## Enablement to Payout Alignment",
                     "### Action 1: Map what enablement teaches against what pay rewards"]
    assert "| Priority 1: Strategy says | Sell to enterprise |" in md and "| Scenario 4 | not answered |" in md
    assert "[0, 1, 3, -1]" not in md and "&amp;" not in md and "&lt;" not in md and "\\&" in md and "\\<partner\\>" in md


def test_without_an_outline_the_saved_kind_decides_and_headings_come_from_the_slug(tmp_path):
    a = answers_file(tmp_path, {"my-module/action-2": {"_kind": "checklist", "ticked": [True, False], "notes": "Found one"},
                                "my-module/action-3": {"_kind": "no-such-kind", "x": 1, "y": [1, 2]}})
    md = to_markdown(a)
    assert "## My module" in md and "### Action 2: Checklist" in md and "| Steps done | 1 of 2 |" in md
    assert "| x | 1 |" in md and "[1, 2]" not in md
    assert re.search(r"(?<!\\)[<>]", md) is None


def test_export_command_titles_the_brief_from_the_course(tmp_path, monkeypatch, capsys):
    from coursekit import cli

    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COURSEKIT_LEARNER", "me")
    Answers.open().set("intelligent-sales-foundation/hypothesis", {"_kind": "hypothesis", "lever": "cap", "level": 200,
                                                                   "behavior": "fewer windfalls", "metric": "top-decile pay", "when": "at year end"})
    assert cli.main(["export", "--out", str(tmp_path / "out"), "--content", str(ROOT / "content")]) == 0
    md = (tmp_path / "out" / "alignment-brief.md").read_text()
    assert "## Intelligent Sales Foundation\n\n### Hypothesis" in md and "We believe a cap at 200% will drive fewer windfalls" in md
    assert cli.main(["export", "--out", str(tmp_path / "out2"), "--content", str(tmp_path / "no-such-folder")]) == 0
    assert "## Intelligent sales foundation" in (tmp_path / "out2" / "alignment-brief.md").read_text()  # no course: titles from the slug
