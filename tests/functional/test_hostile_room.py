"""A hostile or careless learner in a shared room (issue 28), beyond test_hostile.py and test_room_boundary.py:

* the sanitizer bypass families, typed into answers, reach widget feedback, the model answers, the review, the brief
  (Markdown and page) and the room (page and notebook view) and run nothing, load nothing, rewrite nothing;
* a room of size and nesting bombs and odd files: each named in one line and left out, the good brief shown;
* terminal escape codes in learners' text, file names and CSV fields never reach the terminal;
* odd entries in a workspace, a 400-digit number, an oversized save, a build that cannot replace one notebook, a
  date no calendar has, a header written twice: each handled in one line, nothing lost.
Every name and figure here is made up."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import ipywidgets
import pytest
from benchmarks.kit.briefs import sample_brief as brief
from markdown_it import MarkdownIt
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from coursekit import io as ck_io
from coursekit.room.exchange import INBOUND_MODE, handin
from coursekit.room.gather import MAX_BYTES, gather
from coursekit.room.page import to_html
from coursekit.sanitize import ALLOWED_TAGS, RENDERED_TAGS, plain_text
from tests.capstone_answers import full_answers
from tests.helpers import Built, scheme

from ..helpers import ROOT, cli, walk
from ..room_users import LEARNER_A, LEARNER_B, as_user, learner_home, needs_users

# the bypass families of test_sanitize_bypass.py, as a learner would type them into an answer box
BYPASSES = [
    "`<img src=x onerror=alert(1)>",  # unclosed code span
    "``<script>alert(1)</script>`",
    "    ```\n<script>document.title='pwned'</script>\n    ```",  # a fence indented four spaces
    "~~~\n<script>alert(1)</script>\n~~~",  # tilde fence
    "&lt;script&gt;alert(1)&lt;/script&gt; &#x3C;img src=x onerror=alert(1)&#x3E;",  # entity tricks
    '<a href="&#106;avascript:alert(1)">x</a> [y](JaVaScRiPt&#58;alert(1)) [z](javascript:alert(1))',
    "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) <img src=data:image/svg+xml;base64,PHN2Zz4=>",
    "<svg onload=alert(1)><script>alert(1)</script></svg> <math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "![t](https://evil.example/t.png) <img src=//evil.example/x.png> <img src=https://evil.example/y.png>",
    "<title>pwned</title><base href=https://evil.example/><style>body{display:none}</style>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe><form action="javascript:alert(1)"><button>x</button></form>',
    "<!-- --><script>alert(1)</script><!-- --> <scr<script>ipt>alert(1)</script>",
]
ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[31m\x9b31m\x9d0;t\x9c\x1b]8;;https://evil.example\x1b\\"


def assert_harmless(page: str, where: str) -> None:
    """Nothing in ``page`` runs, loads from elsewhere or rewrites the page: allowed tags only, no handler, links http(s),
    mailto or relative, images inline PNG or the course's own, no style that loads, runs or moves over the page."""
    b = Built()
    b.feed(page)
    for tag, attrs in b.tags:
        assert tag in RENDERED_TAGS | ALLOWED_TAGS | {"figure", "figcaption"}, (where, tag)
        for name, value in attrs.items():
            assert not name.startswith("on") and name not in ("srcdoc", "formaction"), (where, tag, name)
            if name == "href":
                assert scheme(value) in ("", "http", "https", "mailto"), (where, value[:80])  # a link loads nothing until followed
            if name == "src":
                assert value.startswith("data:image/png;base64,") or scheme(value) == "", (where, value[:80])
            if name == "style":
                low = value.lower().replace(" ", "")
                assert not any(x in low for x in ("url(", "expression", "position:", "@import", "javascript")), (where, value)


def html_of(widget) -> str:
    """Every HTML the widget shows; the course's own stylesheets (constants with no learner text in them) taken out."""
    page = "\n".join(c.value for c in walk(widget) if isinstance(c, ipywidgets.HTML))
    for css in re.findall(r"<style>.*?</style>", page, re.S):
        assert not re.search(r"alert|pwned|evil|onerror", css), css
    return re.sub(r"<style>.*?</style>", "", page, flags=re.S)


def hostile(value, i=[0]):  # noqa: B006 - a counter shared by the walk: each answer gets the next family
    """Every sentence in an answer set with a bypass family after it."""
    if isinstance(value, dict):
        return {k: hostile(v) for k, v in value.items()}
    if isinstance(value, list):
        return [hostile(v) for v in value]
    if isinstance(value, str) and " " in value and len(value) > 12:
        i[0] += 1
        return f"{value} {BYPASSES[i[0] % len(BYPASSES)]}"
    return value


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COURSEKIT_LEARNER", "me")
    return tmp_path / "home"


@pytest.fixture
def hostile_answers(home):
    path = home / "answers" / "me.json"
    full_answers(path)
    data = json.loads(path.read_text())
    data["answers"] = hostile(data["answers"])
    path.write_text(json.dumps(data))
    return path


# --- the bypass families, from an answer box to every page the course renders ----------------------------------------

def test_bypasses_in_answers_run_nothing_in_the_brief_page_or_its_markdown_under_any_viewer(hostile_answers, home):
    r = cli("export", "--content", ROOT / "content")
    assert r.returncode == 0, r.stderr
    out = home / "brief" / "me"
    page = (out / "decision-brief.html").read_text()
    assert page.count("pwned") >= 1  # the families are in it, as text
    assert_harmless(page.split("</style></head><body>", 1)[1], "brief page")
    md = (out / "decision-brief.md").read_text()
    for render in (markdown2html_mistune, MarkdownIt("commonmark", {"html": True}).enable("table").render):
        assert_harmless(render(md), f"brief markdown under {render}")


def test_bypasses_in_answers_run_nothing_in_the_room_page_or_view(hostile_answers, home, tmp_path):
    from coursekit import notebook as ex

    assert cli("export", "--content", ROOT / "content").returncode == 0
    exchange = tmp_path / "ex"
    exchange.mkdir()
    exchange.chmod(INBOUND_MODE)
    r = cli("handin", "--exchange", exchange)
    assert r.returncode == 0, r.stderr
    room = gather(exchange)
    assert room.briefs == 1 and room.hypotheses and any("onerror" in h or "script" in h for h in
                                                        [*room.hypotheses, *room.changes, *(a for v in room.asks.values() for a in v)])
    for names in (False, True):
        assert_harmless(to_html(room, names=names).split("</style>", 1)[1], f"room page, names={names}")
    view = ex.RoomView(exchange=str(exchange))
    assert view.briefs == 1 and view.error == ""
    assert_harmless(html_of(view), "room view")


def test_bypasses_in_answers_run_nothing_in_feedback_model_answers_or_the_review(hostile_answers):
    from coursekit import notebook as ex
    from coursekit.answers import Answers

    a = Answers(hostile_answers)
    review = ex.Review(answers=a, key="alignment-capstone/action-1")
    review.refresh()
    assert "onerror" in review._view.value  # the learner's text is shown, as text
    shown = [review]
    for family in BYPASSES:
        cm = ex.ContradictionMap(answers=None, key="")
        cm.set_answer({"rows": [{k: f"{k} pays {family}" for k in ("strategy", "planning", "enablement", "comp", "contradiction")}]})
        cm.check()
        cm.solution = f"A model answer with {family}"
        cm.show_solution()
        h = ex.HypothesisBuilder()
        h.set_answer({"lever": "cap", "level": 1, "behavior": f"Reps {family}", "metric": f"share {family}", "when": "at year end"})
        h.check()
        shown += [cm, h]
    for w in shown:
        assert_harmless(html_of(w), type(w).__name__)


# --- a room of bombs: each named and left out, the good brief shown ---------------------------------------------------

BOMBS = {
    "nested arrays": lambda: b'{"schema": "coursekit-brief/1", "sections": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "nested objects": lambda: b'{"schema": "coursekit-brief/1", "sections": [], "x": ' + b'{"a":' * 40_000 + b"1" + b"}" * 40_000 + b"}",
    "a 100,000-digit number": lambda: b'{"schema": "coursekit-brief/1", "sections": [], "n": ' + b"9" * 100_000 + b"}",
    "over the size": lambda: json.dumps({**brief("x"), "pad": "a" * MAX_BYTES}).encode(),
    "a cost of Infinity": lambda: json.dumps(brief("x", cost="Infinity")).encode(),
    "a cost of 1e999999": lambda: json.dumps(brief("x", cost="1e999999")).encode(),
    "NaN as a JSON number": lambda: json.dumps(brief("x")).replace('"9.5"', "NaN").encode(),
    "sections as a string": lambda: b'{"schema": "coursekit-brief/1", "sections": "all"}',
    "a section of the wrong type": lambda: json.dumps({**brief("x"), "sections": [{"id": "plans", "data": []}]}).encode(),
    "invalid UTF-8": lambda: b'{"schema": "coursekit-brief/1", "sections": [], "learner": "\xff\xfe"}',
    "a JSON list": lambda: b"[1, 2, 3]",
    "empty": lambda: b"",
}


def test_a_room_of_bombs_names_each_in_one_line_and_shows_the_good_brief(tmp_path):
    exchange = tmp_path / "ex"
    exchange.mkdir()
    (exchange / f"ana-{'a' * 32}.json").write_text(json.dumps(brief("ana")))
    for i, make in enumerate(BOMBS.values()):
        (exchange / f"bomb{i:02d}-{'0' * 32}.json").write_bytes(make())
    r = cli("room", exchange, "--names", "-o", tmp_path / "room.html")
    assert r.returncode == 0 and "1 brief(s) read, " + str(len(BOMBS)) + " left out" in r.stdout, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == len(BOMBS) and "Traceback" not in r.stderr
    for i, line in enumerate(sorted(lines)):
        assert f"bomb{i:02d}-" in line, line  # each names its file
    assert "ana" in (tmp_path / "room.html").read_text()


# --- terminal escape codes never reach the terminal ---------------------------------------------------------------------

def assert_plain(*texts: str) -> None:
    for t in texts:
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", t), repr(t[:200])


def test_plain_text_takes_out_every_kind_of_terminal_code_and_keeps_the_text():
    assert plain_text(f"Ana{ESCAPES} Fox\tok\n") == "Ana Fox\tok\n"
    assert plain_text("Łukasz 営業 café") == "Łukasz 営業 café"
    assert plain_text("\x1b[1;31mred\x1b[0m \x1bPq#0;2;0;0;0\x1b\\ \x1b_apc\x07 \x1b^pm\x1b\\ \x1bXsos\x1b\\ a\x1bc b") == "red     a b"


def test_escape_codes_in_briefs_and_file_names_never_reach_the_terminal(tmp_path):
    exchange = tmp_path / "ex"
    exchange.mkdir()
    b = brief(f"ana{ESCAPES}")
    b["sections"][4]["heading"] = f"Hypothesis{ESCAPES}"
    (exchange / "brief.json").write_text(json.dumps(b))  # no learner in its name: none to compare
    (exchange / f"x{ESCAPES[:9]}-{'b' * 32}.json").write_text("{not json")
    r = cli("room", exchange, "--names")
    assert r.returncode == 0 and "Hypothesis" in r.stdout and "1 left out" in r.stdout, r.stderr
    assert_plain(r.stdout, r.stderr)
    r = cli("handin", "--brief", tmp_path / f"no{ESCAPES}.json", "--exchange", exchange, "--learner", "ana")
    assert r.returncode == 2 and "no brief here" in r.stderr
    assert_plain(r.stdout, r.stderr)


def test_escape_codes_in_csv_fields_never_reach_the_terminal(tmp_path):
    rows = (ROOT / "examples" / "crm-export.csv").read_text().splitlines()
    rows = [rows[0]] + [ln.replace("Ana Fox", f"Ana{ESCAPES} Fox") for ln in rows[1:]]
    export = tmp_path / "crm.csv"
    export.write_text("\n".join(rows) + "\n")
    r = cli("signals", export, "--plan", ROOT / "examples" / "crm-plan.yaml", "--as-of", "2028-01-31", "--approval-limit", "20000")
    assert r.returncode in (0, 1), r.stderr
    assert "Ana" in r.stdout
    assert_plain(r.stdout, r.stderr)
    bad = tmp_path / f"bad{ESCAPES[:9]}.csv"
    bad.write_text(f"deal_id,date,rep,amount\nx,2027-13-45,Ana{ESCAPES},1\n")
    r = cli("signals", bad, "--plan", ROOT / "examples" / "crm-plan.yaml", "--as-of", "2028-01-31")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert_plain(r.stdout, r.stderr)


# --- a workspace with odd entries still opens -----------------------------------------------------------------------------

def test_workspace_sync_skips_and_names_odd_entries_and_syncs_the_rest(tmp_path):
    src = tmp_path / "notebooks"
    src.mkdir()
    names = [f"0{i}-module.ipynb" for i in range(5)]
    for n in names:
        (src / n).write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": n}], "metadata": {}, "nbformat": 4,
                                         "nbformat_minor": 5}))
    ws = tmp_path / "workspace"
    ws.mkdir()
    (ws / names[0]).mkdir()  # a folder where a notebook was
    (ws / names[1]).symlink_to(tmp_path / "gone.ipynb")  # a dangling link
    (tmp_path / "theirs.ipynb").write_text("mine, elsewhere")
    (ws / names[2]).symlink_to(tmp_path / "theirs.ipynb")  # a link to a file elsewhere: never written through
    os.mkfifo(ws / names[3])  # never waited on
    r = cli("workspace", "--dir", ws, "--notebooks", src)
    assert r.returncode == 0, r.stderr
    for n, what in zip(names, ("a folder", "a dangling link", "a link", "not a file")):
        assert re.search(rf"skipped {re.escape(n)}: .*{what}", r.stdout), r.stdout
    assert f"added {names[4]}" in r.stdout and (ws / names[4]).read_text() == (src / names[4]).read_text()
    assert (tmp_path / "theirs.ipynb").read_text() == "mine, elsewhere" and (ws / names[0]).is_dir()
    shutil.rmtree(ws / names[0])  # moved away: the next sync brings the notebook in
    assert f"added {names[0]}" in cli("workspace", "--dir", ws, "--notebooks", src).stdout


# --- residuals ----------------------------------------------------------------------------------------------------------------

def _numbers(value, big):
    if isinstance(value, dict):
        return {k: _numbers(v, big) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v, big) for v in value]
    return big if isinstance(value, (int, float)) and not isinstance(value, bool) else value


@pytest.mark.parametrize("big", ["1" + "0" * 400, "-1" + "0" * 400, "1" + "0" * 400 + ".5", "1e400", "9" * 5000])
def test_a_400_digit_number_in_saved_answers_never_crashes_export(home, tmp_path, big):
    path = home / "answers" / "me.json"
    full_answers(path)
    data = json.loads(path.read_text())
    text = json.dumps({**data, "answers": _numbers(data["answers"], 0.123456789)}).replace("0.123456789", big)
    path.write_text(text)
    r = cli("export", "--content", ROOT / "content", "--out", tmp_path / "brief")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert len(list((tmp_path / "brief").iterdir())) == 3
    assert path.read_text() == text  # export only reads


def test_after_an_oversized_save_fails_later_saves_still_work(home):
    from coursekit import notebook as ex
    from coursekit.answers import Answers

    a = Answers.open()
    w = ex.ContradictionMap(answers=a, key="m/action-1")
    w.set_answer({"rows": [{"contradiction": "x" * 2_000_000}]})
    assert any("could not be saved" in t for _, t in w.feedback)
    w.set_answer({"rows": [{"contradiction": "The monthly cap punishes the enterprise deal"}]})
    again = Answers.open()
    assert again.get("m/action-1")["rows"][0]["contradiction"] == "The monthly cap punishes the enterprise deal"
    a.set("m/other", {"notes": "a later save in this kernel"})
    assert Answers.open().get("m/other") == {"notes": "a later save in this kernel"}


def test_a_build_that_cannot_replace_one_notebook_leaves_the_old_set_whole(tmp_path, monkeypatch):
    out = tmp_path / "nb"
    r = cli("build", "--no-execute", "--content", ROOT / "content", "--out", out)
    assert r.returncode == 0, r.stderr
    for p in out.glob("*.ipynb"):
        p.write_text(p.read_text().replace('"nbformat": 4', '"nbformat": 4, "old": 1'))  # each one differs: all rewritten
    before = {p.name: p.read_bytes() for p in out.glob("*.ipynb")}
    real, calls = os.replace, []

    def third_fails(src, dst, *a, **k):
        calls.append(dst)
        if len(calls) == 3:
            raise PermissionError(1, "Operation not permitted", str(dst))
        return real(src, dst, *a, **k)

    monkeypatch.setattr(ck_io.os, "replace", third_fails)
    r = cli("build", "--no-execute", "--content", ROOT / "content", "--out", out)
    monkeypatch.setattr(ck_io.os, "replace", real)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert {p.name: p.read_bytes() for p in out.glob("*.ipynb")} == before  # the old set, whole
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary or spare file left


def test_a_date_no_calendar_has_names_the_file_key_and_line(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text((ROOT / "examples" / "new-hire-fy27.yaml").read_text().replace("start: 2027-04-15", "start: 2027-02-30"))
    r = cli("payout", plan, "--bookings", ROOT / "examples" / "bookings.csv")
    assert r.returncode == 2 and r.stderr.startswith(f"{plan}:8: start:") and "2027-02-30" in r.stderr, r.stderr


def test_a_header_written_twice_is_refused_in_both_csv_readers(tmp_path):
    crm = (ROOT / "examples" / "crm-export.csv").read_text().splitlines()
    export = tmp_path / "crm.csv"
    export.write_text("\n".join([crm[0] + ",Amount", *(ln + ",1" for ln in crm[1:])]) + "\n")
    r = cli("signals", export, "--plan", ROOT / "examples" / "crm-plan.yaml", "--as-of", "2028-01-31")
    assert r.returncode == 2 and r.stderr.startswith(f"{export}:1: Amount:") and "twice" in r.stderr, r.stderr
    bookings = tmp_path / "b.csv"
    bookings.write_text("date,amount,amount\n2027-01-05,100,200\n")
    r = cli("payout", ROOT / "examples" / "monthly-flat.yaml", "--bookings", bookings)
    assert r.returncode == 2 and r.stderr.startswith(f"{bookings}:1: amount:") and "twice" in r.stderr, r.stderr


def test_a_hand_in_of_a_brief_with_escape_codes_and_bypasses_reaches_the_room_as_text(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path / "home"))
    exchange = tmp_path / "ex"
    exchange.mkdir()
    exchange.chmod(INBOUND_MODE)
    handin(brief("ana", contradiction=BYPASSES[0] + ESCAPES, hypothesis=BYPASSES[7]), "ana", exchange)
    room = gather(exchange)
    assert room.briefs == 1
    assert_plain(*room.hypotheses, *(s for c in room.named.values() for s in c))
    assert_harmless(to_html(room, names=True).split("</style>", 1)[1], "room page")


def test_every_exercise_of_the_course_shows_bypasses_typed_into_it_as_text(home, monkeypatch):
    """The learner edition's notebooks run here as a kernel would (matplotlib off-screen); then every exercise widget gets
    a bypass family in each text box, is checked, shows its model answer, and is restored from the saved answer in a
    fresh widget: every piece of HTML it shows is inert."""
    import matplotlib

    from coursekit.answers import Answers
    from coursekit.assemble import generate
    from coursekit.exercises.widget import Exercise

    matplotlib.use("Agg")
    monkeypatch.chdir(home.parent)
    _, notebooks = generate(ROOT / "content")
    def run(name, nb) -> list[tuple[str, Exercise]]:
        ns: dict = {}
        for cell in (c for c in nb.cells if c.cell_type == "code"):
            exec(compile(cell.source, f"<{name}>", "exec"), ns)
        return [(var, w) for var, w in ns.items() if isinstance(w, Exercise) and w.key]

    made = 0
    for name, nb in notebooks.items():
        for var, w in run(name, nb):
            boxes = [c for c in walk(w) if isinstance(c, (ipywidgets.Text, ipywidgets.Textarea))]
            for i, box in enumerate(boxes):
                box.value = f"Reps chase the monthly cap {BYPASSES[(made + i) % len(BYPASSES)]}"
            w.check()
            w.show_solution()
            assert_harmless(html_of(w), f"{name} {var}")
            made += 1
    assert made >= 15
    saved = json.dumps(Answers.open()._data)
    assert "onerror" in saved and "<script>" in saved  # the families were saved as typed: the learner's text is kept
    for name, nb in notebooks.items():  # a restarted kernel: each widget restored from the saved answers
        for var, w in run(name, nb):
            assert_harmless(html_of(w), f"{name} {var}, restored")


# --- the exchange swapped under the room ------------------------------------------------------------------------------------

@needs_users
def test_an_exchange_any_learner_could_swap_for_their_own_is_refused_by_both_sides(tmp_path):
    """The exchange's parent lets every account rename what is in it (no sticky bit): a learner could put a folder of
    their own, with the right mode, in its place to collect the others' briefs. Hand-in and room refuse such an exchange
    before anything is swapped; and once swapped, the room refuses the learner's folder."""
    import subprocess
    import sys
    import tempfile

    shared = Path(tempfile.mkdtemp(prefix="coursekit-swap-", dir="/tmp"))
    try:
        shared.chmod(0o777)  # a careless parent: anyone may rename what is in it
        ex = shared / "exchange"
        ex.mkdir()
        ex.chmod(INBOUND_MODE)
        _, env = learner_home(shared, "ben", LEARNER_B)
        r = as_user(LEARNER_B, "handin", env={**env, "COURSEKIT_EXCHANGE": str(ex)})
        assert r.returncode == 2 and "swap the exchange" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
        r = cli("room", ex, cwd=None)
        assert r.returncode == 2 and "swap the exchange" in r.stderr, r.stderr
        swap = (f"import os\nos.rename({str(ex)!r}, {str(shared / 'old')!r})\nos.mkdir({str(ex)!r})\n"
                f"os.chmod({str(ex)!r}, 0o1733)\n")
        subprocess.run(["setpriv", f"--reuid={LEARNER_A}", f"--regid={LEARNER_A}", "--clear-groups", sys.executable, "-c", swap],
                       check=True)
        shared.chmod(0o1777)  # the parent made safe again: the swapped folder is still the learner's
        assert ex.stat().st_uid == LEARNER_A
        r = cli("room", ex, cwd=None)
        assert r.returncode == 2 and "owned by uid 61001" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_escape_codes_typed_into_answers_are_not_in_the_brief_files(tmp_path):
    """A terminal may `cat` the exported brief: its Markdown and HTML carry no escape code (the JSON escapes its own)."""
    from coursekit.brief.model import Brief
    from coursekit.brief.render import export

    b = Brief(learner=f"ana{ESCAPES}", sections=[], summary=f"We believe{ESCAPES} an annual plan works", warnings=[f"w{ESCAPES}"])
    md, page, data = export(b, tmp_path / "out")
    for p in (md, page):
        assert_plain(p.read_text(encoding="utf-8"), "")
    assert "\x1b" not in data.read_text(encoding="utf-8") and "We believe" in md.read_text(encoding="utf-8")


# --- the second hostile pass (issue 28) ---------------------------------------------------------------------------------

def test_two_first_hand_ins_at_once_leave_one_file_for_the_learner(tmp_path, monkeypatch):
    """The button and the command at the same moment, in a fresh home: both made a random id, and the exchange kept two
    files for one learner, counted twice by the room. Now they agree on one id: one file."""
    import subprocess
    import sys

    exchange = tmp_path / "ex"
    exchange.mkdir()
    exchange.chmod(INBOUND_MODE)
    home = tmp_path / "home"
    (home / "brief" / "ana").mkdir(parents=True)
    (home / "brief" / "ana" / "decision-brief.json").write_text(json.dumps(brief("ana")))
    env = {**os.environ, "COURSEKIT_HOME": str(home), "COURSEKIT_LEARNER": "ana", "COURSEKIT_EXCHANGE": str(exchange)}
    for _round in range(2):
        (home / "handin-id").unlink(missing_ok=True)
        for p in exchange.iterdir():
            p.unlink()
        start = tmp_path / "start"
        start.unlink(missing_ok=True)
        go = (f"import os, sys, time\nfrom coursekit.room.exchange import handin_file\nprint('ready', flush=True)\n"
              f"while not os.path.exists({str(start)!r}): time.sleep(0.0005)\n"
              f"handin_file({str(home / 'brief' / 'ana' / 'decision-brief.json')!r})")
        procs = [subprocess.Popen([sys.executable, "-c", go], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(6)]
        assert [p.stdout.readline().strip() for p in procs] == ["ready"] * 6  # all imported: they hand in together
        start.touch()
        errs = [p.communicate(timeout=60)[1] for p in procs]
        assert all(p.returncode == 0 for p in procs), errs
        assert len(list(exchange.glob("*.json"))) == 1, sorted(p.name for p in exchange.iterdir())
        assert not list(home.glob(".handin-id*"))  # no temporary left in the learner's home
    assert gather(exchange).briefs == 1


def test_an_earlier_sessions_hand_in_is_left_out_and_named_the_newest_shown(tmp_path):
    """A learner whose home was reset (a new Binder or hub server) hands in under a new random name; the earlier file is
    still there. The room counts the learner once, with their newest brief, and names the older file."""
    exchange = tmp_path / "ex"
    exchange.mkdir()
    old, new = exchange / f"ana-{'a' * 32}.json", exchange / f"ana-{'b' * 32}.json"
    old.write_text(json.dumps(brief("ana", hypothesis="An old hypothesis from the first session")))
    new.write_text(json.dumps(brief("ana", hypothesis="A newer hypothesis from the second session")))
    os.utime(old, (1_700_000_000, 1_700_000_000))
    (exchange / f"ben-{'c' * 32}.json").write_text(json.dumps(brief("ben")))
    room = gather(exchange)
    assert room.briefs == 2 and sorted(room.learners) == ["ana", "ben"]
    assert not any("old hypothesis" in h for h in room.hypotheses) and any("newer hypothesis" in h for h in room.hypotheses)
    assert len(room.problems) == 1 and old.name in room.problems[0] and new.name in room.problems[0]


def test_a_hand_in_of_a_brief_whose_sections_are_not_a_list_is_one_line(tmp_path, monkeypatch):
    from coursekit.errors import CourseError

    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path / "home"))
    exchange = tmp_path / "ex"
    exchange.mkdir()
    exchange.chmod(INBOUND_MODE)
    for sections in (1, True, 2.5, "all", {"id": "plans"}):
        where = handin({**brief("ana"), "sections": sections}, "ana", exchange)  # for_room sends no section
        assert json.loads(where.read_text())["sections"] == []
    from coursekit.room.exchange import handin_file

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**brief("ana"), "sections": 1}))
    with pytest.raises(CourseError, match="sections"):
        handin_file(bad, "ana", exchange)


IMPORTS = {
    "nested 100,000 deep": lambda: '{"format": "coursekit-answers", "version": 2, "answers": {"m/x": ' + "[" * 100_000 + "]" * 100_000 + "}}",
    "NaN and Infinity": lambda: '{"format": "coursekit-answers", "version": 2, "answers": {"m/x": {"n": NaN, "i": -Infinity}}}',
    "one answer over 1 MB": lambda: json.dumps({"format": "coursekit-answers", "version": 2, "answers": {"m/x": {"notes": "x" * 1_100_000}}}),
    "not UTF-8": lambda: b'{"format": "coursekit-answers", "version": 2, "answers": {"m/x": "\xff"}}',
}


@pytest.mark.parametrize("name", list(IMPORTS))
def test_a_hostile_answers_import_is_one_line_and_the_learners_answers_stay(home, tmp_path, name):
    """``coursekit answers import`` and the start page's Import button: a nesting bomb was a RecursionError traceback,
    NaN was written into the learner's file (which no other JSON reader then takes), and one answer over the size a save
    allows was taken whole. Each is refused in one line naming the file and the fix; the learner's answers stay as they were."""
    from coursekit.answers import Answers
    from coursekit.brief.transfer import AnswersTransfer

    Answers.open().set("m/mine", {"notes": "my own answer"})
    path = home / "answers" / "me.json"
    before = path.read_bytes()
    raw = IMPORTS[name]()
    hostile_file = tmp_path / "hostile.json"
    hostile_file.write_bytes(raw if isinstance(raw, bytes) else raw.encode())
    r = cli("answers", "import", hostile_file)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr, r.stderr
    assert str(hostile_file) in r.stderr and ("answers export" in r.stderr or "save it as UTF-8" in r.stderr)
    button = AnswersTransfer(Answers.open())
    assert button.import_bytes(hostile_file.read_bytes(), "hostile.json") is None
    assert "hostile.json" in button.message and "\n" not in button.message
    assert path.read_bytes() == before and not list(path.parent.glob("*.before-import-*"))


def test_a_save_on_a_full_disk_leaves_no_lock_behind_so_the_next_save_works_at_once(home, monkeypatch):
    """A full disk failed the lock file's own write and left it, empty: every later save waited 20 s and failed with
    'held by another process' until the lock went stale. The lock is removed when its write fails."""
    import errno
    import time

    from coursekit.answers import Answers, SaveError

    a = Answers.open()
    a.set("m/x", {"v": "first"})
    real = os.write

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ck_io.os, "write", full)
    with pytest.raises(SaveError, match="No space left"):
        a.set("m/y", {"v": "second"})
    monkeypatch.setattr(ck_io.os, "write", real)
    assert not (home / "answers" / "me.json.lock").exists()
    t = time.monotonic()
    a.set("m/z", {"v": "third"})
    assert time.monotonic() - t < 5  # not the lock's 20 s timeout
    assert set(Answers.open().keys()) == {"m/x", "m/y", "m/z"}  # the failed answer went with the next save


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")
def test_answers_on_a_really_full_disk_lose_nothing_and_save_once_space_is_back(tmp_path, monkeypatch):
    import subprocess

    from coursekit.answers import Answers, SaveError

    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        monkeypatch.setenv("COURSEKIT_HOME", str(disk / "home"))
        monkeypatch.setenv("COURSEKIT_LEARNER", "me")
        a = Answers.open()
        a.set("m/x", {"v": "first"})
        with open(disk / "fill", "wb", buffering=0) as f:
            with pytest.raises(OSError):
                while True:
                    f.write(b"x" * 4096)
        with pytest.raises(SaveError, match="No space left"):
            a.set("m/y", {"v": "y" * 20_000})
        assert json.loads((disk / "home" / "answers" / "me.json").read_text())["answers"] == {"m/x": {"v": "first"}}
        assert [p.name for p in (disk / "home" / "answers").iterdir()] == ["me.json"]  # no lock, no temporary left
        (disk / "fill").unlink()
        a.set("m/z", {"v": "z"})
        assert set(Answers.open().keys()) == {"m/x", "m/y", "m/z"}
    finally:
        subprocess.run(["umount", str(disk)], check=False)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_anywhere_in_a_brief_is_refused_at_hand_in_and_left_out_by_the_room(tmp_path, monkeypatch, constant):
    """NaN in a field the room does not read passed both sides, and the hand-in wrote it into the exchange (a file no
    JSON reader but Python's takes). Refused at hand-in, left out by the room, in one line each."""
    from coursekit.errors import CourseError
    from coursekit.room.exchange import handin_file

    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path / "home"))
    exchange = tmp_path / "ex"
    exchange.mkdir()
    exchange.chmod(INBOUND_MODE)
    text = json.dumps(brief("ana")).replace('"filled": true', f'"filled": {constant}', 1)
    assert constant in text
    path = tmp_path / "brief.json"
    path.write_text(text)
    with pytest.raises(CourseError, match=f"holds {constant}") as e:
        handin_file(path, "ana", exchange)
    assert "\n" not in str(e.value) and list(exchange.iterdir()) == []
    (exchange / f"ana-{'a' * 32}.json").write_text(text)
    room = gather(exchange)
    assert room.briefs == 0 and len(room.problems) == 1 and constant in room.problems[0]
