"""Hostile input for every format the project reads: notes, plans, scenarios, strategies, bookings,
saved answers. Each bad file gets one line naming the file and the field: no traceback, nothing
executed, nothing written outside the target, and text rendered into HTML is escaped."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import SEED, note_text

ROOT = Path(__file__).resolve().parents[2]
PWNED = Path("/tmp/coursekit-pwned")
SCRIPT = "<script>alert('x')</script><img src=x onerror=alert(1)>"
PLAN = "name: P\note: 100000\nquota: 400000\n"
SCENARIO = PLAN_INLINE = ("plan: {name: P, ote: 100000, quota: 400000}\n"
                          "options: [{name: a, deal_size: 1000}, {name: b, deal_size: 2000}]\nstrategy: {prefer: b}\n")
STRATEGY = "priorities: [{name: e, behavior: b, cycle_months: 3}]\n"
BOOKINGS = "date,amount\n2027-01-01,100\n"

# format -> (file name, valid text, command building function)
FORMATS = {
    "note": ("my-note.md", note_text(), lambda f: ["check", "--content", f.parent]),
    "plan": ("plan.yaml", PLAN, lambda f: ["payout", f, "--attainment", "1"]),
    "scenario": ("scenario.yaml", SCENARIO, lambda f: ["simulate", f]),
    "strategy": ("strategy.yaml", STRATEGY, lambda f: ["audit", ROOT / "examples" / "enterprise-fy27.yaml", "--strategy", f]),
    "bookings": ("bookings.csv", BOOKINGS, lambda f: ["payout", ROOT / "examples" / "monthly-flat.yaml", "--bookings", f]),
}
ATTACKS = {
    "binary garbage": lambda valid: b"\x00\xff\xfe\x00garbage" * 50,
    "10 MB file": lambda valid: (valid if valid.endswith("\n") else valid + "\n").encode() + b"#" * 10_000_000,
    "unsafe YAML tag": lambda valid: b"!!python/object/apply:os.system ['touch /tmp/coursekit-pwned']\n",
    "malformed": lambda valid: b"{[ unclosed: \"\n  - ]\n",
    "wrong types": lambda valid: b"name: [1, 2]\note: lots\nquota: {a: 1}\npriorities: 7\noptions: 3\nplan: 5\ndate,amount\n",
    "unknown key": lambda valid: (valid.replace("---\n", "---\nzzz_typo: 1\n", 1) if valid.startswith("---")
                                  else valid.replace("date,amount", "date,amount,zzz_typo") if valid.startswith("date")
                                  else valid + "zzz_typo: 1\n").encode(),
    "empty": lambda valid: b"",
    "path traversal": None,  # per format, below
}
TRAVERSAL = {  # only formats that hold a path can be attacked through one
    "note": lambda valid: valid.replace("slug: my-note", "slug: ../../etc/my-note").encode(),
    "scenario": lambda valid: valid.replace("plan: {name: P, ote: 100000, quota: 400000}", "plan: ../../../etc/passwd").encode(),
}


def ck(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "coursekit.cli", *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300)


def tree(folder: Path) -> dict:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_hostile_file_gets_one_line_naming_file_and_field(tmp_path, fmt, attack):
    name, valid, command = FORMATS[fmt]
    folder = tmp_path / "in"
    folder.mkdir()
    f = folder / name
    if attack == "path traversal":
        if fmt not in TRAVERSAL:
            pytest.skip(f"a {fmt} file names no paths")
        data = TRAVERSAL[fmt](valid)
    else:
        data = ATTACKS[attack](valid)
    if fmt == "bookings" and attack == "10 MB file":
        data = b"date,amount\n" + b"2027-01-01,100\n" * 100 + b"2027-13-45,1\n" + b"2027-01-01,1\n" * 600_000
    f.write_bytes(data)
    before = tree(tmp_path)
    r = ck(*command(f), cwd=tmp_path)
    assert "Traceback" not in r.stderr, r.stderr
    assert not PWNED.exists()
    assert tree(tmp_path) == before  # nothing written, nothing moved
    if r.returncode == 0:  # only acceptable when the attack left a valid file (e.g. a comment-padded plan)
        assert attack == "10 MB file" and fmt in ("plan",), (fmt, attack, r.stdout)
        return
    errors = [ln for ln in r.stderr.splitlines() if not ln.startswith("warning:")]
    assert r.returncode == (2 if fmt == "note" else 1) and len(errors) >= 1  # `check` exits 2 on problems
    for line in errors:
        assert str(f) in line and line.count(":") >= 2, line  # FILE[:LINE]: field: problem


def test_a_10mb_plan_is_refused_by_size(tmp_path):
    f = tmp_path / "plan.yaml"
    f.write_bytes(PLAN.encode() + b"#" * 10_000_000 + b"\n")
    r = ck("payout", f, "--attainment", "1")
    assert r.returncode == 1 and "more than the" in r.stderr and r.stderr.count("\n") == 1


def test_unicode_is_welcome_everywhere(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "my-note.md").write_text(note_text(title='"Vergütung & Strategie: 営業 💼"'), encoding="utf-8")
    assert ck("check", "--content", content).returncode == 0
    f = tmp_path / "plan.yaml"
    f.write_text("name: Plan für Vertrieb 営業\note: 100000\nquota: 400000\ncurrency: EUR\n", encoding="utf-8")
    r = ck("payout", f, "--attainment", "1", "--json")
    assert json.loads(r.stdout)["payout"] == 50000.0


def test_script_in_every_note_text_field_is_escaped_in_the_built_notebooks(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(SEED, content)
    text = note_text(title=json.dumps(SCRIPT), oneLiner=json.dumps(SCRIPT))
    (content / "my-note.md").write_text(text)
    r = ck("build", "--no-execute", "--content", content, "--out", tmp_path / "nb")
    assert r.returncode == 0, r.stderr
    import nbformat

    for name in ("00-start-here.ipynb", "02-my-note.ipynb"):
        nb = nbformat.read(tmp_path / "nb" / name, as_version=4)
        rendered = [c.source for c in nb.cells if c.cell_type == "markdown"]  # what JupyterLab renders as HTML
        assert any("&lt;script&gt;" in r for r in rendered)
        assert not any("<script>" in r or "<img src=x" in r for r in rendered)


def test_script_in_a_title_is_escaped_in_the_executed_start_page_table():
    from coursekit.progress import Answers, progress_frame

    html = progress_frame(Answers("/nonexistent/a.json"), [{"slug": "s", "title": SCRIPT, "exercises": []}]).to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_script_in_widget_text_is_escaped():
    from coursekit import exercises as ex
    from coursekit.engine import plan_from_dict, strategy_from_dict

    w = ex.PitfallCheck(pitfalls=[{"claim": SCRIPT, "rebuttal": SCRIPT}])
    w.set_answer({"picks": [0]})
    w.check()
    a = ex.AssumptionCheck(assumptions=[{"text": SCRIPT, "breaks": SCRIPT}])
    a.set_answer({"marks": ["no"]})
    a.check()
    audit = ex.PlanAudit(plan_from_dict({"name": SCRIPT, "ote": 1, "quota": 1}),
                         strategy_from_dict({"priorities": [{"name": SCRIPT, "behavior": SCRIPT}]}))
    audit.check()
    h = ex.HypothesisBuilder()
    h.set_answer({"lever": "cap", "level": 1, "behavior": SCRIPT, "metric": SCRIPT, "when": "at year end"})
    h.check()
    for widget in (w, a, audit, h):
        html = " ".join(c.value for c in _walk(widget) if isinstance(c, ex.base.W.HTML))
        assert "<script>" not in html and "<img src=x" not in html


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_hostile_saved_answers_are_kept_aside_and_export_still_works(tmp_path):
    home = tmp_path / "home"
    (home / "answers").mkdir(parents=True)
    (home / "answers" / "me.json").write_bytes(b"\x00\xffnot json")
    env = {"COURSEKIT_HOME": str(home), "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "-m", "coursekit.cli", "export", "--out", tmp_path / "brief"], capture_output=True, text=True,
                       env=env, cwd=ROOT, timeout=120)
    assert r.returncode == 0 and "kept aside" in r.stderr and "Traceback" not in r.stderr
    assert list((home / "answers").glob("me.corrupt-*.json"))
    (home / "answers" / "me.json").write_text(json.dumps({"version": 1, "answers": {"m/action-1": {"rows": [{"strategy": SCRIPT}]}}}))
    r = subprocess.run([sys.executable, "-m", "coursekit.cli", "export", "--out", tmp_path / "brief"], capture_output=True, text=True,
                       env=env, cwd=ROOT, timeout=120)
    html = (tmp_path / "brief" / "alignment-brief.html").read_text()
    assert r.returncode == 0 and "<script>alert" not in html and "&lt;script&gt;" in html


def test_learner_name_with_a_path_is_refused(tmp_path):
    r = subprocess.run([sys.executable, "-m", "coursekit.cli", "export", "--learner", "../../x"], capture_output=True, text=True,
                       env={"COURSEKIT_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}, cwd=ROOT, timeout=60)
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "learner" in r.stderr and not (tmp_path.parent / "x.json").exists()
