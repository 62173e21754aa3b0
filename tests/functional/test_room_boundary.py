"""The room as a security boundary (issue 28), tried as a hostile or careless learner would: real folders with real
owners and modes, commands run as other Unix users (``setpriv``), links, FIFOs, hard links, size and nesting bombs.
Each attack must be refused or left out in one line naming the fix; nothing is created, read or replaced across
learners, and the rest of the room is still shown."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from benchmarks.kit.briefs import sample_brief as brief

from coursekit.errors import CourseError
from coursekit.room import gather as gather_module
from coursekit.room.exchange import check_handin, check_room, handin
from coursekit.room.gather import MAX_BYTES, gather, read_once

from ..helpers import cli
from ..room_users import FACILITATOR, LEARNER_A, LEARNER_B, as_user, learner_home, make_exchange, needs_users

HEX = "0123456789abcdef" * 2

pytestmark = needs_users


@pytest.fixture
def shared(tmp_path):
    """A folder other users can reach (pytest's own tmp folders are private to root)."""
    d = Path(tempfile.mkdtemp(prefix="coursekit-room-", dir="/tmp"))
    d.chmod(0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


def one_line(r: subprocess.CompletedProcess) -> str:
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, (r.returncode, r.stderr)
    return r.stderr


# --- the exchange is checked, not trusted ----------------------------------------------------------------------------

def test_a_missing_exchange_is_never_created_by_a_learner(shared):
    _, env = learner_home(shared, "ana", LEARNER_A)
    r = as_user(LEARNER_A, "handin", env={**env, "COURSEKIT_EXCHANGE": str(shared / "exchange")})
    err = one_line(r)
    assert "does not exist" in err and "install -d -m 1733" in err
    assert not (shared / "exchange").exists()


def test_the_readme_exchange_works_learners_hand_in_and_cannot_list_or_replace_each_other(shared):
    ex = make_exchange(shared / "exchange")  # root-owned 1733, the facilitator is root here
    _, env_a = learner_home(shared, "ana", LEARNER_A)
    _, env_b = learner_home(shared, "ben", LEARNER_B)
    r = as_user(LEARNER_A, "handin", env={**env_a, "COURSEKIT_EXCHANGE": str(ex)})
    assert r.returncode == 0, r.stderr
    ana = Path(r.stdout.split("handed in: ")[1].strip())
    assert ana.parent == ex and ana.stat().st_uid == LEARNER_A and ana.stat().st_mode & 0o777 == 0o644
    r = as_user(LEARNER_B, "handin", env={**env_b, "COURSEKIT_EXCHANGE": str(ex)})
    assert r.returncode == 0, r.stderr
    # ben cannot list the folder, nor delete or replace ana's file even knowing its name (the sticky bit)
    probe = (f"import os\ntry:\n    os.listdir({str(ex)!r}); print('listed')\nexcept PermissionError: print('no list')\n"
             f"open({str(ex / 'x.json')!r}, 'w').write('{{}}')\n"
             f"try:\n    os.replace({str(ex / 'x.json')!r}, {str(ana)!r}); print('replaced')\nexcept PermissionError: print('no replace')\n")
    out = subprocess.run(["setpriv", f"--reuid={LEARNER_B}", f"--regid={LEARNER_B}", "--clear-groups", sys.executable, "-c", probe],
                         capture_output=True, text=True).stdout.split()
    assert out == ["no", "list", "no", "replace"]
    assert json.loads(ana.read_text())["learner"] == "ana"
    (ex / "x.json").unlink()
    r = cli("room", str(ex), "--names", cwd=None)
    assert r.returncode == 0 and "2 brief(s) read, 0 left out" in r.stdout, r.stderr


@pytest.mark.parametrize("mode, problem", [
    (0o777, "without the sticky bit"),
    (0o733, "without the sticky bit"),
    (0o1777, "can list it"),
])
def test_an_exchange_any_learner_can_list_or_replace_is_refused_by_both_sides(shared, mode, problem):
    ex = make_exchange(shared / "exchange", mode)
    _, env = learner_home(shared, "ana", LEARNER_A)
    err = one_line(as_user(LEARNER_A, "handin", env={**env, "COURSEKIT_EXCHANGE": str(ex)}))
    assert problem in err and "chmod 1733" in err and list(ex.iterdir()) == []
    err = one_line(cli("room", str(ex), cwd=None))
    assert problem in err and "chmod 1733" in err


def test_an_exchange_a_learner_made_is_refused_by_the_room(shared):
    """The first learner to make a missing exchange would own it: able to read and delete every brief."""
    ex = make_exchange(shared / "exchange", uid=LEARNER_A, gid=LEARNER_A)
    err = one_line(cli("room", str(ex), cwd=None))
    assert "owned by uid 61001" in err and "reads and deletes every brief" in err and "install -d -m 1733" in err


def test_a_facilitator_who_cannot_list_the_exchange_is_told_so_never_shown_an_empty_room(shared):
    """``mkdir -m 1733`` as root, the facilitator not root: today 0 briefs and exit 0."""
    ex = make_exchange(shared / "exchange")
    (ex / "ana-x.json").write_text(json.dumps(brief("ana")))
    err = one_line(as_user(FACILITATOR, "room", str(ex), "-o", str(shared / "room.html")))
    assert "cannot be listed by uid 61003" in err and "chown" in err and not (shared / "room.html").exists()
    # root-owned with the facilitators' group, mode 1773: the facilitator lists it, learners (others) cannot
    ex.chmod(0o1773)
    os.chown(ex, 0, 7000)
    r = as_user(FACILITATOR, "room", str(ex), groups=(7000,))
    assert r.returncode == 0 and "1 brief(s) read" in r.stdout, r.stderr


def test_a_learner_in_a_group_that_can_list_the_exchange_is_refused(shared):
    ex = make_exchange(shared / "exchange", 0o1773, gid=7001)
    _, env = learner_home(shared, "ana", LEARNER_A)
    err = one_line(as_user(LEARNER_A, "handin", groups=(7001,), env={**env, "COURSEKIT_EXCHANGE": str(ex)}))
    assert "you can list it" in err and list(ex.iterdir()) == []


def test_an_exchange_that_is_a_file_or_a_link_to_a_learners_folder(shared):
    (shared / "file").write_text("x")
    with pytest.raises(CourseError, match="is not a folder"):
        check_handin(shared / "file")
    theirs = make_exchange(shared / "theirs", uid=LEARNER_A, gid=LEARNER_A)
    (shared / "link").symlink_to(theirs)
    with pytest.raises(CourseError, match="owned by uid 61001"):
        check_room(shared / "link")


# --- one Unix user, several learners ---------------------------------------------------------------------------------

def test_on_one_account_a_learner_cannot_hand_in_anothers_brief_under_their_name(tmp_path, monkeypatch):
    ex = make_exchange(tmp_path / "ex")
    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path / "shared-home"))
    monkeypatch.setenv("COURSEKIT_LEARNER", "ben")
    with pytest.raises(CourseError, match="is the brief of 'ana', not of 'ben'"):
        handin(brief("ana"), exchange=ex)
    with pytest.raises(CourseError, match="learner: '../ana' is not a usable name"):
        handin(brief("../ana"), "../ana", ex)
    ana, ben = handin(brief("ana"), "ana", ex), handin(brief("ben"), exchange=ex)  # ben from COURSEKIT_LEARNER
    assert ana != ben and ana.name.startswith("ana-") and ben.name.startswith("ben-")
    assert {json.loads(p.read_text())["learner"] for p in ex.iterdir()} == {"ana", "ben"}


def test_the_room_leaves_out_a_brief_handed_in_under_another_learners_name(tmp_path):
    ex = make_exchange(tmp_path / "ex")
    (ex / f"ben-{HEX}.json").write_text(json.dumps(brief("ana")))  # ana's brief, named as ben's
    (ex / f"cat-{HEX}.json").write_text(json.dumps(brief("cat")))
    room = gather(ex)
    assert room.briefs == 1 and room.learners == ["cat"]
    assert len(room.problems) == 1 and "is 'ana''s but was handed in as 'ben'" in room.problems[0]


def test_the_cli_reads_the_learner_through_the_one_validated_reader(tmp_path):
    ex = make_exchange(tmp_path / "ex")
    mine = tmp_path / "b.json"
    mine.write_text(json.dumps(brief("a/b")))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COURSEKIT_HOME", str(tmp_path / "home"))
        mp.setenv("COURSEKIT_LEARNER", "a/b")
        err = one_line(cli("handin", "--brief", str(mine), "--exchange", str(ex), cwd=None))
    assert "COURSEKIT_LEARNER: learner: 'a/b' is not a usable name" in err and list(ex.iterdir()) == []


# --- bounded ---------------------------------------------------------------------------------------------------------

def test_a_brief_over_the_stated_size_is_refused_at_hand_in_and_left_out_by_the_room(tmp_path, monkeypatch):
    ex = make_exchange(tmp_path / "ex")
    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path / "home"))
    big = brief("ana", hypothesis="x" * MAX_BYTES)
    with pytest.raises(CourseError, match=f"more than the {MAX_BYTES:,} a brief may be"):
        handin(big, "ana", ex)
    assert list(ex.iterdir()) == []
    (tmp_path / "big.json").write_text(json.dumps(big))
    err = one_line(cli("handin", "--brief", str(tmp_path / "big.json"), "--learner", "ana", "--exchange", str(ex), cwd=None))
    assert "big.json: brief: is " in err and list(ex.iterdir()) == []
    with open(ex / f"bob-{HEX}.json", "wb") as f:  # 3 GB on paper, nothing on disk: refused from fstat, nothing read
        f.truncate(3 * 1024**3)
    (ex / f"cat-{HEX}.json").write_text(json.dumps(brief("cat")))
    room = gather(ex)
    assert room.briefs == 1 and len(room.problems) == 1 and "3,221,225,472 bytes" in room.problems[0]


def test_a_file_that_grows_after_its_size_is_checked_is_read_no_further_than_the_limit(tmp_path, monkeypatch):
    path = tmp_path / "grows.json"
    path.write_text("{}")
    real_fstat, real_read, read = os.fstat, os.read, []

    def fstat_then_grow(fd):  # the size is checked, then the file becomes 50 MB before the read
        st = real_fstat(fd)
        with open(path, "ab") as f:
            f.truncate(50_000_000)
        return st

    def counted_read(fd, n):
        data = real_read(fd, n)
        read.append(len(data))
        return data

    monkeypatch.setattr(gather_module.os, "fstat", fstat_then_grow)
    monkeypatch.setattr(gather_module.os, "read", counted_read)
    with pytest.raises(CourseError, match="grew past"):
        read_once(path)
    assert sum(read) == MAX_BYTES + 1


def test_links_fifos_and_hard_links_are_named_and_never_followed_or_waited_on(tmp_path):
    ex = make_exchange(tmp_path / "ex")
    secret = tmp_path / "facilitator-secret.json"
    secret.write_text(json.dumps(brief("secret-owner", hypothesis="the facilitator's private notes")))
    (ex / f"bob-{HEX}.json").symlink_to(secret)
    os.link(secret, ex / f"dan-{HEX}.json")
    os.mkfifo(ex / f"eve-{HEX}.json")  # opening a FIFO for reading would wait for a writer forever
    (ex / f"fay-{HEX}.json").mkdir()
    (ex / f"cat-{HEX}.json").write_text(json.dumps(brief("cat")))
    room = gather(ex)
    assert room.briefs == 1 and room.learners == ["cat"] and "private notes" not in json.dumps(room.hypotheses)
    why = {Path(p.split(": brief: ")[0]).name[:3]: p.split(": brief: ")[1] for p in room.problems}
    assert why["bob"].startswith("is a link, not a file") and why["dan"].startswith("has other names (a hard link")
    assert why["eve"].startswith("is not a regular file") and why["fay"].startswith("is not a regular file") and len(why) == 4


# --- one hostile brief never blanks the room -------------------------------------------------------------------------

HOSTILE = {
    "nested": "[" * 100_000 + "]" * 100_000,
    "nested-object": '{"schema": "coursekit-brief/1", "sections": [' + '{"a":' * 60_000 + "1" + "}" * 60_000 + "]}",
    "nan": json.dumps(brief("nan", cost="NaN")),
    "infinity": json.dumps(brief("inf", cost="Infinity")),
    "huge-exponent": json.dumps(brief("exp", cost="1e999999999")),
    "negative": json.dumps(brief("neg", cost="-5")),
    "changes-not-list": json.dumps({**brief("t1"), "sections": [{"id": "plans", "data": {"changes": "all of them"}}]}),
    "data-not-object": json.dumps({**brief("t2"), "sections": [{"id": "decisions", "data": ["x"]}]}),
    "sentence-not-text": json.dumps({**brief("t3"), "sections": [{"id": "hypothesis", "data": {"sentence": {"a": 1}}}]}),
    "section-not-object": json.dumps({**brief("t4"), "sections": [None]}),
}


def test_hostile_briefs_are_named_in_one_line_and_left_out_the_rest_shown_in_the_command(tmp_path):
    ex = make_exchange(tmp_path / "ex")
    for name, text in HOSTILE.items():
        (ex / f"{name}.json").write_text(text)
    for name in ("ana", "ben"):
        (ex / f"{name}-{HEX}.json").write_text(json.dumps(brief(name)))
    (ex / "\x1b]0;owned\x07\x1b[2J.json").write_text("{")  # a file name that would drive the terminal
    (ex / f"gus-{HEX}.json").write_text(json.dumps({**brief("gus"), "sections": [  # and headings that would
        {"id": "plans", "heading": "\x1b]0;owned\x07Plans\x1b[2J", "filled": True, "data": {}}]}))
    r = cli("room", str(ex), "-o", str(tmp_path / "room.html"), cwd=None)
    assert r.returncode == 0, r.stderr
    assert f"3 brief(s) read, {len(HOSTILE) + 1} left out" in r.stdout and "\x1b" not in r.stdout and "Current and proposed plan" in r.stdout  # the course's headings, never a brief's
    lines = r.stderr.splitlines()
    assert len(lines) == len(HOSTILE) + 1 and "\x1b" not in r.stderr and "\x07" not in r.stderr
    named = {Path(line.split(": ")[0]).stem for line in lines}
    assert set(HOSTILE) <= named
    assert all("Traceback" not in line and line.endswith(")") for line in lines)  # each ends with its fix
    assert "<td>9.5</td>" in (tmp_path / "room.html").read_text()  # the two good briefs' median cost


def test_hostile_briefs_are_left_out_the_rest_shown_in_the_notebook_view(tmp_path):
    from coursekit.room.view import RoomView

    ex = make_exchange(tmp_path / "ex")
    for name, text in HOSTILE.items():
        (ex / f"{name}.json").write_text(text)
    (ex / f"ana-{HEX}.json").write_text(json.dumps(brief("ana")))
    view = RoomView(str(ex))
    assert (view.briefs, view.left_out, view.error) == (1, len(HOSTILE), "")
    assert "1 of 1" in view._view.value
    ex.chmod(0o777)  # the facilitator's view refuses an exchange that lost its sticky bit, in one line
    assert view.refresh() is None and "sticky bit" in view.error and "\n" not in view.error


# --- privacy of a room -----------------------------------------------------------------------------------------------

def test_a_hand_in_sends_only_what_the_room_shows_and_pay_only_when_asked(tmp_path, monkeypatch):
    ex = make_exchange(tmp_path / "ex")
    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path / "home"))
    mine = brief("ana")
    plans = mine["sections"][2]["data"]
    plans["changes"] += ["on-target earnings 187,500.00 instead of 150,000.00", "quota 1,250,000.00 instead of 1,000,000.00"]
    plans["options"] = [{"name": "Enterprise", "current": {"pay_cents": 18_750_000}}]
    plans["population"]["proposed"]["mix"] = {"enterprise": "0.4"}
    mine["summary"] = "Our OTE of 187,500.00 ..."
    sent = handin(mine, "ana", ex).read_text()
    for secret in ("187,500.00", "1,250,000.00", "18750000", "Enterprise", "summary", "mix"):
        assert secret not in sent
    room = gather(ex)  # and the room still shows everything it shows
    assert room.briefs == 1 and room.hypotheses and sum(map(len, room.asks.values())) == 4
    assert [str(c) for v in room.changes.values() for c in v["cost"]] == ["9.5"]
    sent = handin(mine, "ana", ex, with_pay=True).read_text()
    assert "187,500.00" in sent and "1,250,000.00" in sent and "18750000" not in sent


def test_the_default_learner_me_hands_in_an_unnamed_brief_and_the_room_reads_it(tmp_path, monkeypatch):
    ex = make_exchange(tmp_path / "ex")
    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("COURSEKIT_LEARNER", raising=False)
    where = handin(brief(""), exchange=ex)  # the brief leaves "me" unnamed
    assert where.name.startswith("me-") and gather(ex).briefs == 1


def test_the_readmes_exchange_and_clearing_steps_work_for_a_facilitator_who_is_not_root(shared):
    """The README's commands, run as written (``YOU`` and the path replaced): the facilitator reads the room, then
    clears it, learners' files included."""
    readme = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8").split())
    make = re.search(r"`sudo (install -d -m 1733 -o YOU /srv/exchange)`", readme).group(1)
    clear = re.search(r"`coursekit (room /srv/exchange --clear)`", readme).group(1)
    ex = shared / "exchange"
    subprocess.run(make.replace("YOU", str(FACILITATOR)).replace("/srv/exchange", str(ex)).split(), check=True)
    for name, uid in (("ana", LEARNER_A), ("ben", LEARNER_B)):
        _, env = learner_home(shared, name, uid)
        r = as_user(uid, "handin", env={**env, "COURSEKIT_EXCHANGE": str(ex), "COURSEKIT_FACILITATOR": str(FACILITATOR)})
        assert r.returncode == 0, r.stderr
    r = as_user(FACILITATOR, "room", str(ex))
    assert r.returncode == 0 and "2 brief(s) read, 0 left out" in r.stdout, r.stderr
    r = as_user(LEARNER_A, *clear.replace("/srv/exchange", str(ex)).split())  # a learner may not clear it
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "only its owner" in r.stderr, r.stderr
    assert len(list(ex.iterdir())) == 2
    r = as_user(FACILITATOR, *clear.replace("/srv/exchange", str(ex)).split())
    assert r.returncode == 0 and "cleared 2 file(s)" in r.stdout, r.stderr
    assert list(ex.iterdir()) == [] and oct(ex.stat().st_mode & 0o7777) == "0o1733"


def test_a_flooded_exchange_is_read_up_to_a_stated_count_and_says_so(tmp_path, monkeypatch):
    ex = make_exchange(tmp_path / "ex")
    for i in range(5):
        (ex / f"l{i}-{HEX}.json").write_text(json.dumps(brief(f"l{i}")))
    monkeypatch.setattr(gather_module, "MAX_FILES", 3)
    room = gather(ex)
    assert room.briefs == 3 and len(room.problems) == 1 and "holds 5 briefs; the first 3 by name are read" in room.problems[0]


def test_an_exchange_a_learner_made_first_in_a_shared_folder_gets_no_ones_brief(shared):
    """Issue 28's open question, in real processes: the facilitator has not made the exchange yet; ana makes it first in
    a folder all can write to (sticky, as /tmp), with the right mode. Ben's hand-in is refused in one line (no
    facilitator is declared, and ana is not root), and with the facilitator declared it is refused too: ana reads nothing."""
    shared.chmod(0o1777)
    ex = shared / "exchange"
    make = f"import os\nos.mkdir({str(ex)!r})\nos.chmod({str(ex)!r}, 0o1733)\n"
    subprocess.run(["setpriv", f"--reuid={LEARNER_A}", f"--regid={LEARNER_A}", "--clear-groups", sys.executable, "-c", make],
                   check=True)
    assert ex.stat().st_uid == LEARNER_A and oct(ex.stat().st_mode & 0o7777) == "0o1733"
    _, env = learner_home(shared, "ben", LEARNER_B)
    err = one_line(as_user(LEARNER_B, "handin", env={**env, "COURSEKIT_EXCHANGE": str(ex)}))
    assert "owned by uid 61001 and no facilitator is declared" in err and "COURSEKIT_FACILITATOR" in err
    err = one_line(as_user(LEARNER_B, "handin", env={**env, "COURSEKIT_EXCHANGE": str(ex), "COURSEKIT_FACILITATOR": str(FACILITATOR)}))
    assert f"not by the facilitator {FACILITATOR}" in err
    assert list(ex.iterdir()) == []
    # ana herself may hand in to her own folder (a laptop, where the learner is their own facilitator)
    _, env_a = learner_home(shared, "ana", LEARNER_A)
    assert as_user(LEARNER_A, "handin", env={**env_a, "COURSEKIT_EXCHANGE": str(ex)}).returncode == 0


def test_a_learners_link_cannot_make_room_clear_empty_a_facilitators_folder(shared):
    """ana puts a link where the exchange should be (a sticky shared folder, as /tmp, on a machine without
    protected_symlinks) pointing at a folder of the facilitator's: `room --clear`, run as the facilitator, removed every
    .json file in it. The link is refused by the room and by --clear; a folder no one else can write to is no exchange
    and is never cleared."""
    shared.chmod(0o1777)
    own = shared / "fac-files"
    own.mkdir()
    (own / "precious.json").write_text('{"mine": 1}')
    for p in (own, own / "precious.json"):
        os.chown(p, FACILITATOR, FACILITATOR)
    link = shared / "exchange"
    subprocess.run(["setpriv", f"--reuid={LEARNER_A}", f"--regid={LEARNER_A}", "--clear-groups", sys.executable, "-c",
                    f"import os; os.symlink({str(own)!r}, {str(link)!r})"], check=True)
    for args in (("room", str(link), "--clear"), ("room", str(link))):
        err = one_line(as_user(FACILITATOR, *args))
        assert "a link uid 61001 made" in err and "not a link" in err
    err = one_line(as_user(FACILITATOR, "room", str(own), "--clear"))
    assert "no one else can write to it" in err and "nothing was removed" in err
    assert (own / "precious.json").read_text() == '{"mine": 1}'


def test_an_exchange_inside_a_learners_folder_is_refused_at_hand_in(shared):
    """Root's exchange, mode 1733, but inside a folder ana owns: ana can rename it away between ben's check and his
    write, and put her own folder in its place. Refused before anything is written; fine once the folder is root's."""
    course = shared / "course"
    course.mkdir()
    os.chown(course, LEARNER_A, LEARNER_A)
    course.chmod(0o755)
    ex = make_exchange(course / "exchange")
    _, env = learner_home(shared, "ben", LEARNER_B)
    err = one_line(as_user(LEARNER_B, "handin", env={**env, "COURSEKIT_EXCHANGE": str(ex)}))
    assert f"is inside {course}, which uid 61001 owns" in err and "swap the exchange" in err
    assert list(ex.iterdir()) == []
    os.chown(course, 0, 0)
    r = as_user(LEARNER_B, "handin", env={**env, "COURSEKIT_EXCHANGE": str(ex)})
    assert r.returncode == 0, r.stderr
