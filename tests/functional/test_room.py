"""coursekit handin and coursekit room: briefs into an exchange folder, one file per learner, and the room
aggregated, anonymous by default, with hostile briefs reported in one line each and nothing unescaped."""

from __future__ import annotations

import json
import stat
import subprocess
from pathlib import Path

import pytest

from coursekit.handin import INBOUND_MODE, handin, is_inbound
from coursekit.room import gather, to_html

from ..helpers import cli as in_process
from ..helpers import sample_brief as brief


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """``coursekit ARGS`` in this process, with ``env`` added to the environment for the call."""
    with pytest.MonkeyPatch.context() as mp:
        for name, value in (env or {}).items():
            mp.setenv(name, value)
        return in_process(*args, cwd=None)


def test_handin_writes_one_file_per_learner_atomically_with_exchange_permissions(tmp_path, monkeypatch):
    ex = tmp_path / "exchange"
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
    env = {"COURSEKIT_HOME": str(tmp_path / "home"), "COURSEKIT_EXCHANGE": str(tmp_path / "ex")}
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
    change = room.changes["measured every year instead of every quarter"]
    assert change["passed"].count(True) == 2 and len(change["passed"]) == 3
    assert sorted(map(str, change["cost"])) == ["14.0", "9.5", "9.5"]  # median 9.5%
    assert room.filled["findings"] == 0 and room.filled["plans"] == 3
    assert len(room.asks["Comp"]) == 3 and len(room.hypotheses) == 3
    page = to_html(room)
    assert "9.5%" in page and "2 of 3" in page
    assert not any(n in page for n in ("ana", "ben", "cat"))  # anonymous by default
    assert all(n in to_html(room, names=True) for n in ("ana", "ben", "cat"))
    r = cli("room", str(ex), "-o", str(tmp_path / "room.html"))
    assert r.returncode == 0 and "3 brief(s) read, 0 left out" in r.stdout and (tmp_path / "room.html").read_text() == page


def test_hostile_and_older_briefs_are_named_in_one_line_each_and_never_rendered_raw(tmp_path):
    ex = tmp_path / "ex"
    ex.mkdir()
    (ex / "good.json").write_text(json.dumps(brief("ok", contradiction="<script>alert(1)</script>", change="<img src=x onerror=alert(1)>")))
    (ex / "old.json").write_text(json.dumps({"schema": "coursekit-brief/0", "learner": "old", "sections": [
        {"id": "contradictions", "data": {"contradictions": [{"contradiction": "Reps avoid enterprise"}]}}, {"id": "plans", "data": "junk"}, 7]}))
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
    bad = {"broken", "notbrief", "list", "binary", "types", "huge", "link"}
    assert len(lines) == len(bad) and {Path(line.split(":")[0]).stem for line in lines} == bad
    assert all("fix" in line for line in lines)
    assert "2 brief(s) read, 7 left out" in r.stdout
    page = (tmp_path / "room.html").read_text()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "coursekit-brief/0 (1)" in page and "coursekit-brief/1 (1)" in page  # the older brief is read for what it has
    room = gather(ex)
    assert room.named["contradiction"]["reps avoid enterprise"] == 1


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
    change = room.changes["measured every year instead of every quarter"]
    assert sum(change["passed"]) == 150  # the even-numbered half
    page = to_html(room)
    # costs 8..12 in equal shares: median 10.0
    assert "10.0%" in page and "100 of 300" in page and page.count("<li>") >= 300 + 4 * 300
