"""coursekit handin and coursekit room: briefs into an exchange folder, one file per learner, and the room
aggregated, anonymous by default, with hostile briefs reported in one line each and nothing unescaped."""

from __future__ import annotations

import json
import re
import stat
import subprocess
from pathlib import Path

import pytest
from benchmarks.kit.briefs import sample_brief as brief

from coursekit.room.charts import changes_png, contradictions_png, label, progress_png
from coursekit.room.exchange import INBOUND_MODE, for_room, handin, is_inbound
from coursekit.room.gather import gather
from coursekit.room.page import to_html

from ..helpers import cli as in_process


def text_of(page: str) -> str:
    """The page without its embedded images (base64 could spell any name by chance)."""
    return re.sub(r'src="data:image/png;base64,[^"]*"', "", page)


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """``coursekit ARGS`` in this process, with ``env`` added to the environment for the call."""
    with pytest.MonkeyPatch.context() as mp:
        for name, value in (env or {}).items():
            mp.setenv(name, value)
        return in_process(*args, cwd=None)


def exchange(path: Path) -> Path:
    """An exchange as the README says to make it (mode 1733, owned by the facilitator: here, this test's user)."""
    path.mkdir()
    path.chmod(INBOUND_MODE)
    return path


def test_handin_writes_one_file_per_learner_atomically_with_exchange_permissions(tmp_path, monkeypatch):
    ex = exchange(tmp_path / "exchange")
    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path / "ana-home"))
    first = handin(brief("ana"), "ana", ex)
    again = handin(brief("ana", contradiction="changed my mind"), "ana", ex)
    assert first == again and [p.name for p in ex.iterdir()] == [first.name]  # a second hand-in replaces the first
    assert json.loads(first.read_text())["sections"][1]["data"]["contradictions"][0]["contradiction"] == "changed my mind"
    assert stat.S_IMODE(ex.stat().st_mode) == INBOUND_MODE and is_inbound(ex)  # others write and enter, never list
    assert stat.S_IMODE(first.stat().st_mode) == 0o644
    assert first.name.startswith("ana-") and len(first.stem) == len("ana-") + 32  # a name others cannot guess
    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path / "ben-home"))
    ben = handin(brief("ben"), "ben", ex)
    assert sorted(p.name for p in ex.iterdir()) == sorted([first.name, ben.name])


def test_handin_cli_names_the_missing_brief_and_the_exchange(tmp_path):
    """Bad input (no brief, no exchange): one line, exit 2, as for every command (README: exit codes)."""
    env = {"COURSEKIT_HOME": str(tmp_path / "home"), "COURSEKIT_EXCHANGE": str(exchange(tmp_path / "ex"))}
    r = cli("handin", env=env)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "decision-brief.json" in r.stderr and "export" in r.stderr
    mine = tmp_path / "b.json"
    mine.write_text(json.dumps(brief("cat")))
    r = cli("handin", "--brief", str(mine), "--learner", "cat", env=env)
    assert r.returncode == 0 and len(list((tmp_path / "ex").glob("cat-*.json"))) == 1
    r = cli("handin", "--brief", str(mine), env={"COURSEKIT_HOME": str(tmp_path / "home"), "COURSEKIT_EXCHANGE": ""})
    assert r.returncode == 2 and "COURSEKIT_EXCHANGE" in r.stderr and r.stderr.count("\n") == 1


def test_room_counts_what_the_room_named_and_stays_anonymous(tmp_path):
    ex = tmp_path / "ex"
    ex.mkdir()
    briefs = [brief("ana", "Reps avoid enterprise."), brief("ben", "reps avoid  enterprise"), brief("cat", "Quota ignores cycles", aligned=False, cost="14.0")]
    for b in briefs:
        (ex / f"{b['learner']}.json").write_text(json.dumps(b))
    room = gather(ex)
    assert room.briefs == 3 and room.problems == []
    assert room.named["contradiction"].most_common(1) == [("reps avoid enterprise", 2)]  # case, spacing, full stop folded
    change = room.changes["measured over the year against the annual quota, paid monthly as earned, instead of each quarter on its own"]
    assert change["passed"].count(True) == 2 and len(change["passed"]) == 3
    assert sorted(map(str, change["cost"])) == ["14.0", "9.5", "9.5"]  # median 9.5 per 100
    assert room.filled["findings"] == 0 and room.filled["plans"] == 3
    assert len(room.asks["Comp"]) == 3 and len(room.hypotheses) == 3
    page = to_html(room)
    assert "<td>9.5</td>" in page and "2 of 3" in page
    assert page.count('src="data:image/png;base64,') == 3  # progress, contradictions, changes: drawn, not only tabled
    assert not any(n in text_of(page) for n in ("ana", "ben", "cat"))  # anonymous by default
    assert all(n in text_of(to_html(room, names=True)) for n in ("ana", "ben", "cat"))
    r = cli("room", str(ex), "-o", str(tmp_path / "room.html"))
    assert r.returncode == 0 and "3 brief(s) read, 0 left out" in r.stdout and (tmp_path / "room.html").read_text() == page


def test_hostile_and_older_briefs_are_named_in_one_line_each_and_never_rendered_raw(tmp_path):
    ex = tmp_path / "ex"
    ex.mkdir()
    (ex / "good.json").write_text(json.dumps(brief("ok", contradiction="<script>alert(1)</script>", change="<img src=x onerror=alert(1)>")))
    # matplotlib reads $...$ as mathtext: an unbalanced or bad formula would fail the whole chart, a good one would lie
    (ex / "money.json").write_text(json.dumps(brief("m", contradiction="a $\\frac{$5 SPIF beats \x1b[31m quota", change="pay $$ at \\$ sign")))
    (ex / "old.json").write_text(json.dumps({"schema": "coursekit-brief/0", "learner": "old", "sections": [  # no plans, no headings
        {"id": "contradictions", "data": {"contradictions": [{"contradiction": "Reps avoid enterprise"}]}}, {"id": "plans"}]}))
    (ex / "junk.json").write_text(json.dumps({"schema": "coursekit-brief/1", "learner": "j", "sections": [  # wrong types: left out
        {"id": "contradictions", "data": {"contradictions": [{"contradiction": "counted if partly read"}]}}, {"id": "plans", "data": "junk"}, 7]}))
    (ex / "broken.json").write_text('{"schema": "coursekit-brief/1", "sections": [')
    (ex / "notbrief.json").write_text(json.dumps({"name": "a plan"}))
    (ex / "list.json").write_text("[1, 2]")
    (ex / "binary.json").write_bytes(b"\xff\xfe\x00junk")
    (ex / "types.json").write_text(json.dumps({"schema": "coursekit-brief/1", "sections": "everything"}))
    (ex / "huge.json").write_text(" " * 2_000_001)
    (ex / "link.json").symlink_to(tmp_path / "elsewhere.json")
    r = cli("room", str(ex), "-o", str(tmp_path / "room.html"))
    assert r.returncode == 0, r.stderr
    lines = r.stderr.splitlines()
    bad = {"broken", "notbrief", "list", "binary", "types", "huge", "link", "junk"}
    assert len(lines) == len(bad) and {Path(line.split(":")[0]).stem for line in lines} == bad
    assert all(re.search(r": \w[^:]*: .+ \(.+\)$", line) for line in lines), lines  # file: field: problem (fix)
    assert "3 brief(s) read, 8 left out" in r.stdout and "sections[1].data" in r.stderr  # the wrong type named
    page = (tmp_path / "room.html").read_text()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "coursekit-brief/0 (1)" in page and "coursekit-brief/1 (2)" in page  # the older brief is read for what it has
    assert page.count('src="data:image/png;base64,') == 3  # every chart drawn despite the labels
    room = gather(ex)
    assert room.named["contradiction"]["reps avoid enterprise"] == 1 and "counted if partly read" not in room.named["contradiction"]
    assert label("a $\\frac{$5") == r"a \$\frac{\$5" and label("\x1b[31m red") == "[31m red"
    for draw in (contradictions_png, changes_png, progress_png):
        assert draw(room).startswith(b"\x89PNG")


def test_a_room_of_300_briefs(tmp_path):
    ex = tmp_path / "ex"
    ex.mkdir()
    texts = ["Reps avoid enterprise", "Quota ignores cycles", "SPIF pulls deals forward"]
    for i in range(300):
        b = brief(f"l{i:03d}", contradiction=texts[i % 3], aligned=i % 2 == 0, cost=f"{8 + i % 5}.0")
        (ex / f"l{i:03d}.json").write_text(json.dumps(b))
    room = gather(ex)
    assert room.briefs == 300 and room.problems == []
    assert [n for _, n in room.named["contradiction"].most_common()] == [100, 100, 100]
    change = room.changes["measured over the year against the annual quota, paid monthly as earned, instead of each quarter on its own"]
    assert sum(change["passed"]) == 150  # the even-numbered half
    page = to_html(room)
    # costs 8..12 in equal shares: median 10.0
    assert "<td>10.0</td>" in page and "100 of 300" in page and page.count("<li>") >= 300 + 4 * 300
    assert page.count('src="data:image/png;base64,') == 3


MAP_EXAMPLE = {"strategy": "Sell to enterprise", "planning": "All accounts equal", "enablement": "6+ month cycles",
               "comp": "Monthly quota", "contradiction": "Reps avoid enterprise"}


def _button(tmp_path, monkeypatch, exchange):
    import coursekit.notebook as ex
    from coursekit.answers import Answers

    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path / "home"))
    if exchange is None:
        monkeypatch.delenv("COURSEKIT_EXCHANGE", raising=False)
    else:
        monkeypatch.setenv("COURSEKIT_EXCHANGE", str(exchange))
    a = Answers(tmp_path / "dana.json")
    ex.ContradictionMap(example=MAP_EXAMPLE, answers=a, key="m/action-1").load_example()
    return ex.BriefButton(a, out_dir=str(tmp_path / "brief"))


def test_the_hand_in_button_exports_and_hands_in_and_says_where(tmp_path, monkeypatch):
    b = _button(tmp_path, monkeypatch, exchange(tmp_path / "ex<&>"))
    assert "Hand in to the room" in [w.description for w in b.children[0].children]
    where = b.hand_in()
    assert where is not None and where.parent == tmp_path / "ex<&>" and where.name.startswith("dana-")
    # what went in is what the room shows of the JSON the export just wrote
    assert json.loads(where.read_text()) == for_room(json.loads((tmp_path / "brief" / "decision-brief.json").read_text()))
    assert b.handed_in == str(where) and b.error == ""
    status = b._handin_status.value
    assert "Handed in" in status and "ex&lt;&amp;&gt;" in status and "ex<&>" not in status  # the path is escaped
    assert b.hand_in() == where and len(list((tmp_path / "ex<&>").iterdir())) == 1  # again: replaced, not added


def test_without_an_exchange_the_button_says_how_to_turn_hand_in_on(tmp_path, monkeypatch):
    b = _button(tmp_path, monkeypatch, None)
    assert [w.description for w in b.children[0].children] == ["Export my Alignment brief"]
    assert "COURSEKIT_EXCHANGE" in b._handin_status.value and "facilitator" in b._handin_status.value
    assert b.hand_in() is None and "COURSEKIT_EXCHANGE" in b.error and "\n" not in b.error
    assert not (tmp_path / "brief").exists()  # nothing exported or written on a refused hand-in


def test_a_failed_hand_in_is_one_line_in_the_widget_never_a_traceback(tmp_path, monkeypatch):
    blocker = tmp_path / "exchange"
    blocker.write_text("a file where the exchange folder should be")
    b = _button(tmp_path, monkeypatch, blocker)
    assert b.hand_in() is None and b.handed_in == ""
    assert str(blocker) in b.error and "not a folder" in b.error and "\n" not in b.error
    assert "Not handed in" in b._handin_status.value and "Traceback" not in b._handin_status.value
    assert blocker.read_text() == "a file where the exchange folder should be"


def _run_room_notebook(nb) -> object:
    """Run the notebook's code cells here, as its kernel would; returns the last cell's value (the view)."""
    import ast

    ns: dict = {}
    value = None
    for cell in (c for c in nb.cells if c.cell_type == "code"):
        tree = ast.parse(cell.source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, "<cell>", "exec"), ns)
        value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), ns) if last else None
    return value


def test_the_facilitator_edition_has_a_live_room_notebook(tmp_path, monkeypatch):
    import nbformat

    from coursekit.assemble import generate

    root = Path(__file__).resolve().parents[2]
    _, learner = generate(root / "content")
    _, facilitator = generate(root / "content", instructor=True)
    assert "room.ipynb" in facilitator and "room.ipynb" not in learner  # the room is the facilitator's only
    nb = facilitator["room.ipynb"]
    nbformat.validate(nb)
    assert nb.metadata["coursekit"]["edition"] == "facilitator"

    ex = tmp_path / "ex"
    ex.mkdir()
    for name, text in (("ana", "Reps avoid enterprise"), ("ben", "<b>$x$</b> quota")):
        (ex / f"{name}.json").write_text(json.dumps(brief(name, contradiction=text)))
    (ex / "ben-broken.json").write_text("{")
    monkeypatch.setenv("COURSEKIT_EXCHANGE", str(ex))
    view = _run_room_notebook(nb)
    assert (view.briefs, view.left_out, view.error) == (2, 1, "")
    page = view._view.value
    assert page.count('src="data:image/png;base64,') == 3 and "1 of 2" in page
    assert "&lt;b&gt;$x$&lt;/b&gt; quota" in page and "<b>$x$" not in page
    assert not any(n in text_of(page) for n in ("ana", "ben"))  # anonymous, and the left-out file's name is not shown
    (ex / "cat.json").write_text(json.dumps(brief("cat")))  # a late hand-in: Refresh reads it
    view._names.value = True  # ticking the names box redraws at once (and reads the folder again)
    assert view.briefs == 3 and "cat" in text_of(view._view.value) and "ben-broken.json" in view._view.value
    assert view.refresh().briefs == 3

    monkeypatch.delenv("COURSEKIT_EXCHANGE")
    asks = _run_room_notebook(nb)
    assert asks.room is None and "Type the exchange folder" in asks._view.value  # no folder yet: it asks for one
    asks._folder.value = str(tmp_path / "nowhere")
    assert asks.refresh() is None and "does not exist" in asks.error and "\n" not in asks.error
    asks._folder.value = str(ex)
    assert asks.refresh().briefs == 3
