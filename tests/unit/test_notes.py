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
    ({"exercises": "[{type: 7}]"}, "exercises", "is not a kind's name"),
])
def test_front_matter_faults_name_file_line_field_and_fix(tmp_path, change, field, words):
    path = tmp_path / "my-note.md"
    path.write_text(note_text(**change))
    note, problems = parse_note(path)
    assert note is None
    msg = str(problems[0])
    assert msg.startswith(f"{path}:") and f": {field}: " in msg and words in msg
    assert "(" in msg and "\n" not in msg


def test_an_unknown_exercise_type_is_the_planning_passes_to_name(tmp_path):
    """Notes know nothing of the kinds: the planning pass (`check`, `build`) checks each entry against the registry."""
    from coursekit.assemble import check_course

    path = tmp_path / "my-note.md"
    path.write_text(note_text(exercises="[{type: checklis, action: 1}]"))
    note, problems = parse_note(path)
    assert note is not None and not [p for p in problems if p.severity == "error"]
    _course, _planned, found = check_course(tmp_path)
    msg = [str(p) for p in found if "unknown type" in str(p)]
    assert len(msg) == 1 and msg[0].startswith(f"{path}:") and ": exercises: entry 1: unknown type 'checklis'" in msg[0]
    assert "did you mean `checklist`?" in msg[0]


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


SIDECAR = """objectives: ["Name the four systems", "Find one contradiction", "Test a plan against a rational rep"]
key_points: ["Reps follow pay", "Map before you fix", "Every component traces to a choice"]
assumptions: ["A1 false: reps ignore pay", "A2 false: culture wins", "A3 false: people problem", "A4 false: comp first"]
pitfalls: ["M1", "M2", "M3", "M4"]
facilitator:
  action-1: {model_answer: "**Strategy** sells enterprise; comp pays monthly.", prompts: ["Who owns comp?"], expect: "Blaming reps"}
"""


def seed_with_sidecar(tmp_path, sidecar: str):
    import shutil

    shutil.copy(SEED, tmp_path / SEED.name)
    (tmp_path / "intelligent-sales-foundation.course.yaml").write_text(sidecar)
    return tmp_path / SEED.name


def test_seed_sidecar_material_loads_and_the_note_stays_byte_for_byte(tmp_path):
    path = seed_with_sidecar(tmp_path, SIDECAR)
    note, problems = parse_note(path)
    assert [p for p in problems if p.severity == "error"] == [] and path.read_bytes() == SEED.read_bytes()
    m = note.material
    assert len(m.objectives) == 3 and m.key_points[0] == "Reps follow pay" and m.pitfalls == ("M1", "M2", "M3", "M4")
    assert m.facilitator["action-1"].expect == "Blaming reps" and m.facilitator["action-1"].prompts == ("Who owns comp?",)
    assert note.material_file == tmp_path / "intelligent-sales-foundation.course.yaml"


def test_the_repository_seed_sidecar_loads_when_present():
    side = SEED.with_name("intelligent-sales-foundation.course.yaml")
    if not side.exists():
        pytest.skip("the content engineer's sidecar is not merged into this branch yet")
    note, problems = parse_note(SEED)
    assert [str(p) for p in problems if p.severity == "error"] == [] and note.material.objectives


@pytest.mark.parametrize("sidecar, words", [
    (SIDECAR.replace("key_points:", "keypoints:"), "keypoints: unknown key (did you mean `key_points`?)"),
    (SIDECAR.replace('pitfalls: ["M1", "M2", "M3", "M4"]', 'pitfalls: ["M1"]'), "pitfalls: has 1 item(s), needs 4"),
    (SIDECAR.replace('"Find one contradiction", ', ""), "objectives: has 2 item(s), needs 3-4"),
    (SIDECAR.replace("expect:", "expected:"), "unknown key `expected` (did you mean `expect`?)"),
    ("objectives: [1, 2, 3]\n", "objectives: must be a list of sentences"),
])
def test_sidecar_faults_name_the_sidecar_field_and_fix(tmp_path, sidecar, words):
    path = seed_with_sidecar(tmp_path, sidecar)
    note, problems = parse_note(path)
    msgs = [str(p) for p in problems if p.severity == "error"]
    assert note is None and any(words in m and "intelligent-sales-foundation.course.yaml" in m for m in msgs), msgs


def test_a_key_in_both_front_matter_and_sidecar_is_an_error(tmp_path):
    (tmp_path / "my-note.md").write_text(note_text(objectives='["a", "b", "c"]'))
    (tmp_path / "my-note.course.yaml").write_text('objectives: ["x", "y", "z"]\n')
    note, problems = parse_note(tmp_path / "my-note.md")
    assert note is None and any("objectives: is also in the front matter of my-note.md" in str(p) for p in problems)


def test_a_note_is_parsed_once_into_typed_parts():
    note, _ = parse_note(SEED)
    assert [s.kind for s in note.sections] == ["problem", "mechanism", "actions", "pitfalls", "assumptions", "related"]
    a1 = note.actions[0]
    assert a1.fields["strategy"] == "Sell to enterprise accounts" and "contradiction" in a1.fields
    assert note.related["videos"][0].startswith("Episode 1") and note.related["next counsel"][0] == "strategy-to-comp-translation"
    chains = note.actions[2].chains
    assert chains and all(len(links) >= 1 for links in chains.values())
