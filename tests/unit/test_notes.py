from pathlib import Path

import pytest

from coursekit.notes import load_course, parse_note
from tests.helpers import SEED, note_text


def test_seed_note_parses_fully():
    note, problems = parse_note(SEED)
    assert [p for p in problems if p.severity == "error"] == []
    f = note.front
    assert (f.slug, f.difficulty, f.timeToApplyMin, f.tags) == ("intelligent-sales-foundation", "INTRO", 10, ("strategy", "foundations", "alignment"))
    assert [s.title for s in note.sections] == ["Problem Statement", "Mechanism (Why This Happens)", "Recommended Actions",
                                                "Common Pitfalls", "Assumptions", "Related Content"]
    assert [(a.number, a.title, a.duration) for a in note.actions] == [
        (1, "Map Current Contradictions", "15 min"), (2, "Start with Compensation", "Next planning cycle"), (3, "Build Traceability", "Ongoing")]
    assert note.actions[0].minutes == 15 and note.actions[2].minutes is None
    assert [p.claim for p in note.pitfalls][0] == "We'll fix it with training"
    assert note.pitfalls[3].rebuttal.startswith("Every comp plan is a behavior experiment")
    assert len(note.assumptions) == 4
    assert note.next_counsel == ("strategy-to-comp-translation", "priority-encoding-via-pay", "enablement-to-payout-alignment")


def test_seed_in_content_is_byte_identical_to_the_users_file():
    shared = Path(__file__).resolve().parents[3] / "shared" / "seeds" / SEED.name
    if not shared.exists():
        pytest.skip("shared/ is not beside this checkout")
    assert SEED.read_bytes() == shared.read_bytes()


def test_unknown_sections_are_kept_in_order(tmp_path):
    text = note_text().replace("## Assumptions", "## Field Notes\n\nKeep me.\n\n## Assumptions")
    (tmp_path / "my-note.md").write_text(text)
    note, _ = parse_note(tmp_path / "my-note.md")
    titles = [s.title for s in note.sections]
    assert titles.index("Field Notes") == titles.index("Assumptions") - 1
    assert note.section("Field Notes").body == "Keep me."


@pytest.mark.parametrize("change, field, words", [
    ({"difficulty": "EASY"}, "difficulty", "INTRO, INTERMEDIATE, ADVANCED, EXPERT"),
    ({"type": "MEMO"}, "type", "NOTE"),
    ({"channel": "TV"}, "channel", "PLAN_DESIGN"),
    ({"timeToApplyMin": -5}, "timeToApplyMin", "positive"),
    ({"timeToApplyMin": "ten"}, "timeToApplyMin", "positive"),
    ({"title": None}, "title", "missing"),
    ({"slug": "My Note"}, "slug", "lowercase"),
    ({"slug": "other-note"}, "slug", "differs from the file name"),
    ({"tags": "strategy"}, "tags", "list"),
    ({"colour": "red"}, "colour", "unknown field"),
    ({"exercises": "[{type: quiz}]"}, "exercises", "unknown type"),
])
def test_front_matter_faults_name_file_line_field_and_fix(tmp_path, change, field, words):
    path = tmp_path / "my-note.md"
    path.write_text(note_text(**change))
    note, problems = parse_note(path)
    assert note is None
    msg = str(problems[0])
    assert msg.startswith(f"{path}:") and f": {field}: " in msg and words in msg
    assert "(" in msg and "\n" not in msg


def test_course_order_follows_next_counsel(tmp_path):
    (tmp_path / "b-note.md").write_text(note_text("b-note", difficulty="ADVANCED"))
    (tmp_path / "a-note.md").write_text(note_text("a-note").replace("- a-note", "- b-note"))
    course = load_course(tmp_path)
    assert [n.slug for n in course.notes] == ["a-note", "b-note"]
    assert course.notebook_name("b-note") == "02-b-note.ipynb"


def test_duplicate_slug_in_subfolders_is_an_error(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "my-note.md").write_text(note_text())
    (tmp_path / "x" / "my-note.md").write_text(note_text())
    course = load_course(tmp_path)
    assert any("already used" in str(p) for p in course.errors)


def test_missing_next_counsel_is_a_warning_with_a_line(tmp_path):
    (tmp_path / "my-note.md").write_text(note_text().replace("- my-note", "- not-written-yet"))
    course = load_course(tmp_path)
    assert not course.errors
    (w,) = course.warnings
    assert "not-written-yet" in str(w) and "coming soon" in str(w) and str(w).startswith(f"{tmp_path / 'my-note.md'}:")


def test_seed_note_is_the_users_file_unchanged():
    import hashlib

    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == "5e60dbde354b8cb7e816cce10a1225a060a2b66cf1a86ff1a9e0f99fb109e3ef"
