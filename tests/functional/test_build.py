import shutil
from pathlib import Path

import nbformat
import pytest

from tests.helpers import SEED, note_text
from tests.helpers import cli as ck

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def course(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(SEED, content)
    (content / "my-note.md").write_text(note_text())
    return content


def snapshot(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def test_build_is_deterministic_and_check_detects_staleness(course, tmp_path):
    out = tmp_path / "nb"
    assert ck("build", "--content", course, "--out", out).returncode == 0
    first = snapshot(out)
    assert sorted(first) == ["00-start-here.ipynb", "01-intelligent-sales-foundation.ipynb", "02-my-note.ipynb"]
    for name in first:
        nbformat.validate(nbformat.reads(first[name].decode(), as_version=4))
    assert ck("build", "--content", course, "--out", out).returncode == 0
    assert snapshot(out) == first  # byte-identical, outputs included
    assert ck("build", "--check", "--content", course, "--out", out).returncode == 0
    (course / "my-note.md").write_text(note_text(title="Renamed"))
    r = ck("build", "--check", "--content", course, "--out", out)
    assert r.returncode == 1 and "02-my-note.ipynb" in r.stderr and "00-start-here.ipynb" in r.stderr
    assert snapshot(out) == first  # --check writes nothing


def test_widget_cells_have_no_stored_output_and_feedback_cells_do(course, tmp_path):
    out = tmp_path / "nb"
    ck("build", "--content", course, "--out", out)
    nb = nbformat.read(out / "01-intelligent-sales-foundation.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    widget_cells = [c for c in code if "exercise" in c.metadata.get("tags", [])]
    assert widget_cells and all(c.outputs == [] for c in widget_cells)
    texts = "".join(o.get("text", "") for c in code for o in c.outputs if o.output_type == "stream")
    assert "Priority 1 mapped" in texts and "picks smb" in texts and "picks enterprise" in texts
    assert not any(o.output_type == "error" for c in code for o in c.outputs)


FAULTS = {
    "invalid YAML": note_text().replace("title: My note", "title: [unclosed"),
    "missing title": note_text(title=None),
    "unknown difficulty": note_text(difficulty="SUPER"),
    "negative minutes": note_text(timeToApplyMin=-3),
    "slug with a path": note_text(slug="../escape"),
    "empty file": "",
    "no front matter": "# Just markdown\n",
    "binary garbage": "\x00\xff\xfe garbage",
    "unsafe YAML tag": note_text(title="!!python/object/apply:os.system ['touch /tmp/coursekit-pwned']"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_bad_note_is_rejected_with_one_line_and_nothing_is_written(course, tmp_path, fault):
    out = tmp_path / "nb"
    out.mkdir()
    (out / "keep.ipynb").write_text("{}")
    before = snapshot(out)
    (course / "my-note.md").write_bytes(FAULTS[fault].encode("utf-8", "surrogateescape"))
    r = ck("build", "--no-execute", "--content", course, "--out", out)
    assert r.returncode == 2
    lines = [ln for ln in r.stderr.splitlines() if not ln.startswith("warning:")]
    assert len(lines) == 1 and "my-note.md" in lines[0] and "Traceback" not in r.stderr, r.stderr
    assert snapshot(out) == before
    assert not (tmp_path / "escape.ipynb").exists() and not Path("/tmp/coursekit-pwned").exists()
    assert ck("check", "--content", course).returncode == 2


def test_duplicate_slug_is_rejected(course, tmp_path):
    (course / "sub").mkdir()
    (course / "sub" / "my-note.md").write_text(note_text())
    r = ck("build", "--no-execute", "--content", course, "--out", tmp_path / "nb")
    assert r.returncode == 2 and "already used" in r.stderr and not (tmp_path / "nb").exists()


def test_repository_notebooks_are_current():
    r = ck("build", "--check", "--quiet")
    assert r.returncode == 0, r.stderr


def test_pitfall_scenario_pointing_past_the_pitfalls_is_a_check_error(course):
    text = note_text(exercises='[{type: pitfall_check, scenarios: [{text: "x", pitfall: 7}]}]')
    (course / "my-note.md").write_text(text)
    r = ck("build", "--no-execute", "--content", course, "--out", course.parent / "nb")
    assert r.returncode == 2 and "pitfall_check scenario 1" in r.stderr and "Traceback" not in r.stderr


def test_unknown_exercise_type_is_a_check_error(course):
    (course / "my-note.md").write_text(note_text(exercises="[{type: quiz}]"))
    r = ck("check", "--content", course)
    assert r.returncode == 2 and "unknown type 'quiz'" in r.stderr
