"""Hostile input for every format the project reads: notes, plans, scenarios, strategies, bookings,
saved answers, command-line values. Each bad input gets one line naming the file and the field and
exit code 2: no traceback, nothing executed, nothing written outside the target, and text rendered
into HTML is escaped. The command line runs in-process (``cli.main``); one subprocess test checks
what only a real process shows."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import ROOT, SEED, ck, cli, note_text, walk

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
    r = cli(*command(f), cwd=tmp_path)
    assert "Traceback" not in r.stderr, r.stderr
    assert not PWNED.exists()
    assert tree(tmp_path) == before  # nothing written, nothing moved
    if r.returncode == 0:  # only acceptable when the attack left a valid file (e.g. a comment-padded plan)
        assert attack == "10 MB file" and fmt in ("plan",), (fmt, attack, r.stdout)
        return
    errors = [ln for ln in r.stderr.splitlines() if not ln.startswith("warning:")]
    assert r.returncode == 2 and len(errors) >= 1
    for line in errors:
        assert str(f) in line and line.count(":") >= 2, line  # FILE[:LINE]: field: problem


def test_a_10mb_plan_is_refused_by_size(tmp_path):
    f = tmp_path / "plan.yaml"
    f.write_bytes(PLAN.encode() + b"#" * 10_000_000 + b"\n")
    r = cli("payout", f, "--attainment", "1")
    assert r.returncode == 2 and "more than the" in r.stderr and r.stderr.count("\n") == 1


def test_unicode_is_welcome_everywhere(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "my-note.md").write_text(note_text(title='"Vergütung & Strategie: 営業 💼"'), encoding="utf-8")
    assert cli("check", "--content", content).returncode == 0
    f = tmp_path / "plan.yaml"
    f.write_text("name: Plan für Vertrieb 営業\note: 100000\nquota: 400000\ncurrency: EUR\n", encoding="utf-8")
    r = cli("payout", f, "--attainment", "1", "--json")
    assert json.loads(r.stdout)["payout"] == 50000.0


def test_script_in_every_note_text_field_is_escaped_in_the_built_notebooks(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(SEED, content)
    text = note_text(title=json.dumps(SCRIPT), oneLiner=json.dumps(SCRIPT))
    (content / "my-note.md").write_text(text)
    r = cli("build", "--no-execute", "--content", content, "--out", tmp_path / "nb")
    assert r.returncode == 0, r.stderr
    import nbformat

    for name in ("00-start-here.ipynb", "02-my-note.ipynb"):
        nb = nbformat.read(tmp_path / "nb" / name, as_version=4)
        rendered = [c.source for c in nb.cells if c.cell_type == "markdown"]  # what JupyterLab renders as HTML
        assert any("&lt;script&gt;" in r for r in rendered)
        assert not any("<script>" in r or "<img src=x" in r for r in rendered)


def test_script_in_a_title_is_escaped_in_the_executed_start_page_table():
    from coursekit.answers import Answers, progress_frame

    html = progress_frame(Answers("/nonexistent/a.json"), [{"slug": "s", "title": SCRIPT, "exercises": []}]).to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_script_in_widget_text_is_escaped():
    import ipywidgets

    from coursekit import notebook as ex
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
        html = " ".join(c.value for c in walk(widget) if isinstance(c, ipywidgets.HTML))
        assert "<script>" not in html and "<img src=x" not in html



# --- saved answers: every shape of file, and the learner's name ------------------------------------

ANSWER_FILES = {
    "binary": b"\x00\xffnot json",
    "truncated": b'{"version": 1, "answers": {"m/a": {"x": 1}',
    "a list": b'["a", "list"]',
    "a string": b'"a string"',
    "a number": b"42",
    "answers not a dict": b'{"version": 1, "answers": [1, 2]}',
    "deeply nested": b"[" * 50_000 + b"]" * 50_000,
}


@pytest.fixture
def answers_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "answers").mkdir(parents=True)
    monkeypatch.setenv("COURSEKIT_HOME", str(home))
    monkeypatch.delenv("COURSEKIT_LEARNER", raising=False)
    return home / "answers"


@pytest.mark.parametrize("shape", sorted(ANSWER_FILES))
def test_export_survives_any_answers_file_and_moves_nothing(answers_home, tmp_path, shape):
    (answers_home / "me.json").write_bytes(ANSWER_FILES[shape])
    r = cli("export", "--out", tmp_path / "brief")
    assert r.returncode == 0, r.stderr
    assert r.stderr.startswith("warning: ") and r.stderr.count("\n") == 1 and "not a coursekit answers file" in r.stderr
    assert (answers_home / "me.json").read_bytes() == ANSWER_FILES[shape]  # export only reads: nothing set aside
    assert (tmp_path / "brief" / "decision-brief.md").read_text().count("*Not filled yet.*") == 6  # all six sections say how to fill them


def test_odd_answers_in_a_good_file_are_tolerated_and_export_reads_them(answers_home, tmp_path):
    # hand-edited values that are not mappings: the file stays in use, the brief says what is not filled
    odd = b'{"version": 1, "answers": {"m/a": 5, "intelligent-sales-foundation/action-1": "text"}}'
    (answers_home / "me.json").write_bytes(odd)
    r = cli("export", "--out", tmp_path / "brief")
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert (answers_home / "me.json").read_bytes() == odd
    assert (tmp_path / "brief" / "decision-brief.md").read_text().count("*Not filled yet.*") == 6


def test_a_widget_opened_on_a_wrong_shape_file_says_so_and_its_first_save_keeps_the_file_aside(answers_home):
    from coursekit import notebook as ex
    from coursekit.answers import Answers

    (answers_home / "me.json").write_bytes(ANSWER_FILES["answers not a dict"])
    w = ex.HypothesisBuilder(answers=Answers.open(), key="m/h")
    assert "not a coursekit answers file" in w._feedback.value  # the widget shows the problem
    w.set_answer({"lever": "cap", "level": 150, "behavior": "b", "metric": "m", "when": "at year end"})
    (aside,) = answers_home.glob("me.corrupt-*.json")
    assert aside.read_bytes() == ANSWER_FILES["answers not a dict"]
    assert list(json.loads((answers_home / "me.json").read_text())["answers"]) == ["m/h"]


def test_escaped_text_in_saved_answers_stays_escaped_in_the_brief(answers_home, tmp_path):
    saved = {"intelligent-sales-foundation/action-1": {"rows": [{"strategy": SCRIPT, "contradiction": SCRIPT}]}}
    (answers_home / "me.json").write_text(json.dumps({"version": 1, "answers": saved}))
    r = cli("export", "--out", tmp_path / "brief", "--content", ROOT / "content")
    html = (tmp_path / "brief" / "decision-brief.html").read_text()
    assert r.returncode == 0 and "<script>alert" not in html and "&lt;script&gt;" in html


def test_unreadable_answers_file_is_reported_not_crashed_on(answers_home, tmp_path, monkeypatch):
    (answers_home / "me.json").write_text('{"version": 1, "answers": {}}')

    def denied(self, *a, **k):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)  # tests run as root in CI, where chmod 0 does not stop a read
    r = cli("export", "--out", tmp_path / "brief")
    assert r.returncode == 0 and "cannot be read (Permission denied)" in r.stderr and r.stderr.count("\n") == 1


@pytest.mark.parametrize("name", ["../../x", "a/b", "a\x1b[2Jb", "tab\there", "new\nline", "nul\x00", ".hidden"])
def test_learner_names_with_separators_or_control_characters_are_refused(answers_home, name):
    r = cli("export", "--learner", name)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--learner: learner:" in r.stderr
    assert "\x1b" not in r.stderr and "\t" not in r.stderr  # the refusal itself is inert
    assert not list(answers_home.parent.rglob("*.json")) and not list(answers_home.parent.parent.glob("x*"))


def test_killed_writers_temporary_files_are_cleaned_up_by_the_next_save(answers_home):
    from coursekit.answers import Answers
    from coursekit.io import STALE_TMP_SECONDS, TMP_SUFFIX

    left = answers_home / f".me.json.k1ll3d{TMP_SUFFIX}"  # what a writer killed mid-write leaves
    left.write_text('{"version": 1, "ans')
    old = time.time() - STALE_TMP_SECONDS - 1
    os.utime(left, (old, old))
    Answers.open().set("m/a", {"x": 1})
    assert not left.exists() and sorted(p.name for p in answers_home.iterdir()) == ["me.json"]


# --- YAML: alias bombs, self-references, deep nesting, in every YAML format -------------------------

BOMB = "lol: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"l{i}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8))  # 9**9 values if expanded
YAML_ATTACKS = {
    "alias bomb": (BOMB, "aliases expand to more than"),
    "self-referencing alias": ("loop: &l [1, *l]\n", "refers to a value that contains it"),
    "self-referencing mapping": ("loop: &l {again: *l}\n", "refers to a value that contains it"),
    "deep nesting": ("deep: " + "[" * 200 + "]" * 200 + "\n", "nested more than"),
    "too many aliases": ("a: &a 1\nb: [" + ", ".join(["*a"] * 150) + "]\n", "more than 100 aliases"),
}
YAML_FORMATS = {
    "plan": ("plan.yaml", lambda f: ["payout", f, "--attainment", "1"]),
    "scenario": ("scenario.yaml", lambda f: ["simulate", f]),
    "strategy": ("strategy.yaml", lambda f: ["audit", ROOT / "examples" / "enterprise-fy27.yaml", "--strategy", f]),
    "note front matter": ("content/my-note.md", lambda f: ["check", "--content", f.parent]),
}


@pytest.mark.parametrize("attack", sorted(YAML_ATTACKS))
@pytest.mark.parametrize("fmt", sorted(YAML_FORMATS))
def test_yaml_alias_attacks_are_one_line_before_memory_grows(tmp_path, fmt, attack):
    import tracemalloc

    name, command = YAML_FORMATS[fmt]
    text, expected = YAML_ATTACKS[attack]
    f = tmp_path / name
    f.parent.mkdir(exist_ok=True)
    f.write_text(f"---\n{text}---\n\n## Problem Statement\n" if fmt == "note front matter" else text)
    tracemalloc.start()
    try:
        r = cli(*command(f), cwd=tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert r.returncode == 2, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if not ln.startswith("warning:")]
    assert len(lines) == 1 and str(f) in lines[0] and ": yaml: " in lines[0] and expected in lines[0], r.stderr
    assert peak < 50_000_000  # the bomb alone would be 9**9 list items (gigabytes); refused at tens of MB at most


def test_yaml_anchors_used_sensibly_still_work(tmp_path):
    f = tmp_path / "plan.yaml"
    f.write_text("tier: &t {from: 0.0, multiplier: 1.0}\nname: P\note: 100000\nquota: 400000\n"
                 "tiers: [*t, {from: 1.0, multiplier: 2.0}]\n")
    r = cli("payout", f, "--attainment", "1", "--json", cwd=tmp_path)
    # 'tier' is not a plan field: the plan is refused for that, not for its alias
    assert "alias" not in r.stderr and "nested" not in r.stderr


# --- notes: a symlink out of content/ ---------------------------------------------------------------

def test_a_note_symlinked_from_outside_content_is_refused(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(SEED, content)
    outside = tmp_path / "secret.md"
    outside.write_text(note_text(slug="secret"))
    (content / "secret.md").symlink_to(outside)
    r = cli("check", "--content", content)
    assert r.returncode == 2
    errors = [ln for ln in r.stderr.splitlines() if not ln.startswith("warning:")]
    assert errors == [f"{content / 'secret.md'}: file: links to a file outside the content folder (copy the note into the content folder)"]
    (content / "linked-dir").symlink_to(tmp_path, target_is_directory=True)  # a folder link is no way round it:
    (content / "secret.md").unlink()  # its notes are refused, or (pathlib does not follow it) never read
    r = cli("check", "--content", content)
    errors = [ln for ln in r.stderr.splitlines() if not ln.startswith("warning:")]
    assert all("links to a file outside the content folder" in ln for ln in errors)
    assert (r.returncode, r.stdout.startswith("1 note OK")) == ((2, False) if errors else (0, True))


# --- command-line values: links and agenda ---------------------------------------------------------

@pytest.mark.parametrize("hub, problem", [
    ("https://user:secret@hub.example.org", "user name or password"),
    ("https://user@hub.example.org", "user name or password"),
    ("https://hub.example.org/\x1b[2J", "control characters"),
    ("https://hub.example.org\n/evil", "control characters"),
    ("https://hub.example.org/ x", "control characters or spaces"),
    ("javascript:alert(1)", "not a full http(s) URL"),
    ("https://hub.example.org:port", "not a valid URL"),
])
def test_links_refuses_bad_hub_urls_before_printing_anything(hub, problem):
    r = cli("links", "--hub", hub, "--repo", "https://github.com/acme/course")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("links: --hub: ") and problem in r.stderr
    assert "\x1b" not in r.stderr


def test_links_refuses_a_repo_with_user_info():
    r = cli("links", "--hub", "https://hub.example.org", "--repo", "https://tok:x@github.com/acme/course")
    assert r.returncode == 2 and r.stdout == "" and "links: --repo: " in r.stderr


@pytest.mark.parametrize("start", ["26:39", "25:99", "9am", "09:60", "9", "", "12:3", "٠٩:٠٠", "12:00pm"])
def test_agenda_refuses_a_start_that_is_not_a_time_of_day(start):
    r = cli("agenda", "--minutes", "60", "--start", start)
    assert r.returncode == 2 and r.stdout == "" and r.stderr.count("\n") == 1
    assert r.stderr.startswith("agenda: --start: ") and "HH:MM" in r.stderr


def test_agenda_accepts_real_times_and_crosses_midnight_visibly():
    r = cli("agenda", "--minutes", "45", "--modules", "intelligent-sales-foundation", "--start", "23:50")
    assert r.returncode == 0, r.stderr
    times = [ln.split("|")[1].strip() for ln in r.stdout.splitlines() if ln.startswith("| ") and ":" in ln.split("|")[1]]
    # setup 10 min at 23:50, then the module opens at midnight, marked as the next day; each later row keeps the mark
    assert times[:2] == ["23:50", "00:00 (+1)"] and all(t.endswith("(+1)") for t in times[1:])


# --- one exit-code convention ------------------------------------------------------------------------

def test_exit_codes_0_success_1_findings_2_bad_input(tmp_path):
    ex = ROOT / "examples"
    assert cli("payout", ex / "enterprise-fy27.yaml", "--attainment", "1").returncode == 0
    assert cli("audit", ex / "monthly-flat.yaml", "--strategy", ex / "strategy.yaml").returncode == 1  # findings
    assert cli("payout", tmp_path / "missing.yaml", "--attainment", "1").returncode == 2
    assert cli("payout", ex / "enterprise-fy27.yaml").returncode == 2  # argparse: a required option missing
    assert cli("plot", ex / "enterprise-fy27.yaml", "-o", tmp_path / "no-such-folder" / "c.png").returncode == 2


def test_bad_input_in_a_real_process_is_one_line_exit_2_and_no_traceback(tmp_path):
    f = tmp_path / "plan.yaml"
    f.write_text(BOMB)
    r = ck("payout", f, "--attainment", "1", cwd=tmp_path, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert r.returncode == 2 and r.stdout == "" and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    r = ck("export", "--learner", "a/b", env={**os.environ, "COURSEKIT_HOME": str(tmp_path)})
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_raw_html_in_a_note_is_sanitized_for_voila(tmp_path):
    """Script in a note's body, action title, pitfall and assumption: no notebook cell carries it as markup."""
    from html.parser import HTMLParser

    from coursekit.assemble import generate
    from coursekit.sanitize import ALLOWED_TAGS
    from tests.helpers import note_text

    evil = '<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a>'
    text = (note_text().replace("A problem.", f"A problem. {evil}").replace("Do a checklist", f"Do a checklist {evil}")
            .replace("A rebuttal.", f"A rebuttal. {evil}").replace("- One assumption", f"- One assumption {evil}"))
    content = tmp_path / "content"
    content.mkdir()
    (content / "my-note.md").write_text(text, encoding="utf-8")
    _course, notebooks = generate(content)
    found = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    md = [c.source for nb in notebooks.values() for c in nb.cells if c.cell_type == "markdown"]
    assert any("A problem." in s for s in md) and any("One assumption" in s for s in md)
    for source in md:
        Tags().feed(source)
    assert found and all(tag in ALLOWED_TAGS for tag, _ in found)
    assert not any(k.startswith("on") or "javascript" in (v or "").lower() for _, attrs in found for k, v in attrs.items())


@pytest.mark.parametrize("kind, text, key", [
    ("plan", "name: Dup\note: 100000\nquota: 500000\nperiod: monthly\nquota: 600000\n", "quota"),
    ("plan", "name: Dup\note: 100000\nquota: 500000\ntiers:\n  - {from: 0, multiplier: 1, from: 1}\n", "from"),
    ("note", None, "title"),
])
def test_a_key_written_twice_is_refused_in_one_line_naming_both_lines(tmp_path, kind, text, key):
    """YAML keeps the last of two equal keys silently: every YAML file coursekit reads refuses it instead."""
    if kind == "note":
        path = tmp_path / "content" / "my-note.md"
        path.parent.mkdir()
        path.write_text(note_text().replace("title:", "title: First\ntitle:", 1))
        r = cli("check", "--content", path.parent)
    else:
        path = tmp_path / "plan.yaml"
        path.write_text(text)
        r = cli("payout", path, "--attainment", "1")
    assert r.returncode == 2 and r.stderr.count("\n") >= 1, r.stderr
    line = next(ln for ln in r.stderr.splitlines() if "written twice" in ln)
    assert line.startswith(f"{path}:") and f": {key}: is written twice (first on line " in line and "(keep one of them)" in line
