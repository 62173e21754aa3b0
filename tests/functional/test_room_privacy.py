"""Privacy of a room (issue 28): the hand-in button sends the company's on-target earnings and quota only when its box
is ticked (off by default), a writer never makes again an exchange that was removed nor writes a learner's brief into a
folder that is not theirs alone, and the room is cleared in one step by its owner only. Every figure here is made up."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from benchmarks.kit.briefs import sample_brief as brief

from coursekit import io
from coursekit.errors import CourseError
from coursekit.room import exchange as exchange_module
from coursekit.room.exchange import INBOUND_MODE, clear_room, handin

from ..helpers import cli


def run(*args):
    r = cli(*args)
    return r.returncode, r.stdout, r.stderr

PAY = ("on-target earnings 187,500.00 instead of 150,000.00", "quota 1,250,000.00 instead of 1,000,000.00")


def make_exchange(path: Path) -> Path:
    path.mkdir()
    path.chmod(INBOUND_MODE)
    return path


def with_pay_changes(learner: str) -> dict:
    b = brief(learner)
    b["sections"][2]["data"]["changes"] += list(PAY)
    return b


def button(tmp_path, monkeypatch, exchange: Path):
    """The brief button of learner ``dana``, its export replaced by one that writes a brief with a change of OTE and quota."""
    import coursekit.brief.button as button_module
    import coursekit.notebook as nb
    from coursekit.answers import Answers

    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COURSEKIT_EXCHANGE", str(exchange))

    def export(_answers, _context, out_dir, learner):
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = out / "decision-brief.md", out / "decision-brief.html", out / "decision-brief.json"
        paths[0].write_text("# brief\n")
        paths[1].write_text("<p>brief</p>")
        paths[2].write_text(json.dumps(with_pay_changes(learner)))
        return paths

    monkeypatch.setattr(button_module, "export_answers", export)
    return nb.BriefButton(Answers(tmp_path / "dana.json"), out_dir=str(tmp_path / "brief"))


def test_the_hand_in_button_leaves_ote_and_quota_out_unless_its_box_is_ticked(tmp_path, monkeypatch):
    ex = make_exchange(tmp_path / "ex")
    b = button(tmp_path, monkeypatch, ex)
    box = next(w for w in b.children[0].children if "on-target earnings" in getattr(w, "description", ""))
    assert box.value is False  # off by default, beside the button
    sent = b.hand_in().read_text()
    assert "187,500.00" not in sent and "1,250,000.00" not in sent and "measured over the year" in sent
    box.value = True  # the learner ticks it
    sent = b.hand_in().read_text()
    assert "187,500.00" in sent and "1,250,000.00" in sent
    sent = b.hand_in(with_pay=False).read_text()  # the programmatic twin clears it again
    assert "187,500.00" not in sent and box.value is False


def test_the_handin_command_leaves_pay_out_unless_asked(tmp_path, monkeypatch):
    ex = make_exchange(tmp_path / "ex")
    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path / "home"))
    src = tmp_path / "b.json"
    src.write_text(json.dumps(with_pay_changes("ana")))
    code, out, err = run("handin", "--brief", str(src), "--learner", "ana", "--exchange", str(ex))
    assert code == 0, err
    sent = next(ex.glob("ana-*.json")).read_text()
    assert "187,500.00" not in sent and "1,250,000.00" not in sent
    code, out, err = run("handin", "--brief", str(src), "--learner", "ana", "--exchange", str(ex), "--with-pay")
    assert code == 0 and "187,500.00" in next(ex.glob("ana-*.json")).read_text()


# --- a writer never makes a folder someone else made ------------------------------------------------------------------

def test_an_exchange_removed_after_its_check_is_never_made_again_by_the_hand_in(tmp_path, monkeypatch):
    ex = make_exchange(tmp_path / "ex")
    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path / "home"))
    checked = exchange_module.check_handin

    def check_then_remove(folder):  # the race: the folder goes between the check and the write
        checked(folder)
        folder.rmdir()

    monkeypatch.setattr(exchange_module, "check_handin", check_then_remove)
    with pytest.raises(CourseError) as err:
        handin(brief("ana"), "ana", ex)
    assert "removed while handing in" in str(err.value) and str(ex) in str(err.value)
    assert not ex.exists()  # not made again, so no learner owns an exchange


def test_atomic_write_without_parents_refuses_a_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError):
        io.atomic_write(tmp_path / "gone" / "f.json", "{}", parents=False)
    assert not (tmp_path / "gone").exists()
    io.atomic_write(tmp_path / "f.json", "{}", parents=False)  # an existing folder is written as ever
    assert (tmp_path / "f.json").read_text() == "{}"


def test_a_private_folder_is_made_for_this_user_only(tmp_path):
    io.atomic_write(tmp_path / "home" / "brief" / "ana" / "decision-brief.json", "{}", private=True)
    assert stat.S_IMODE((tmp_path / "home" / "brief" / "ana").stat().st_mode) == 0o700


@pytest.mark.parametrize("shape", ["link", "group-writable", "other-owner"])
def test_a_brief_folder_in_the_wrong_hands_is_refused_never_written_through(tmp_path, shape):
    target = tmp_path / "elsewhere"
    target.mkdir()
    folder = tmp_path / "home" / "brief" / "ana"
    folder.parent.mkdir(parents=True)
    if shape == "link":  # someone put a link where the learner's brief folder was
        folder.symlink_to(target)
    else:
        folder.mkdir()
        if shape == "group-writable":
            folder.chmod(0o775)
        elif os.geteuid() == 0:
            os.chown(folder, 61009, 61009)
        else:
            pytest.skip("needs root to give a folder to another account")
    with pytest.raises(PermissionError) as err:
        io.atomic_write(folder / "decision-brief.json", "{}", private=True)
    assert str(folder) in str(err.value)
    assert list(target.iterdir()) == [] and not (folder / "decision-brief.json").exists()


def test_export_into_a_linked_brief_folder_is_one_line_and_writes_nothing(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("COURSEKIT_HOME", str(home))
    (home / "brief").mkdir(parents=True)
    (tmp_path / "theirs").mkdir()
    (home / "brief" / "ana").symlink_to(tmp_path / "theirs")
    code, out, err = run("export", "--learner", "ana", "--content", str(tmp_path / "no-content"))
    assert code == 2 and len(err.strip().splitlines()) == 1 and "ana" in err and "Traceback" not in err, err
    assert list((tmp_path / "theirs").iterdir()) == []


# --- the room is cleared in one step ---------------------------------------------------------------------------------

def test_clearing_the_room_removes_briefs_and_leftovers_keeps_the_folder_and_its_mode(tmp_path, monkeypatch):
    ex = make_exchange(tmp_path / "ex")
    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path / "home"))
    handin(brief("ana"), "ana", ex)
    (ex / ".x.json.abc.coursekit-tmp").write_text("half")
    (tmp_path / "keep.json").write_text("{}")
    (ex / "link.json").symlink_to(tmp_path / "keep.json")  # a link is removed, what it points at is not
    (ex / "notes.txt").write_text("not the room's")
    removed = clear_room(ex)
    assert len(removed) == 3 and sorted(p.name for p in ex.iterdir()) == ["notes.txt"]
    assert (tmp_path / "keep.json").read_text() == "{}" and stat.S_IMODE(ex.stat().st_mode) == INBOUND_MODE
    code, out, err = run("room", str(ex), "--clear")
    assert code == 0 and "cleared 0 file(s)" in out
    assert "left 1 entry that is not a brief: 'notes.txt'" in err  # what it leaves is said, never silent


def test_clearing_an_unsafe_or_missing_exchange_is_one_line(tmp_path):
    code, out, err = run("room", str(tmp_path / "nowhere"), "--clear")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "does not exist" in err
    open_ex = tmp_path / "open"
    open_ex.mkdir()
    open_ex.chmod(0o777)
    (open_ex / "a.json").write_text("{}")
    code, out, err = run("room", str(open_ex), "--clear")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "sticky" in err
    assert (open_ex / "a.json").exists()


def test_tests_never_touch_a_real_learners_answers_or_room():
    """Test artifacts hold made-up data only: the session's course home is a fresh folder, no exchange is inherited."""
    from coursekit.answers import home

    assert home() != Path.home() / ".coursekit" and "coursekit-home" in str(home())
    assert "COURSEKIT_EXCHANGE" not in os.environ


def test_a_room_cleared_while_a_learner_hands_in_says_so_and_a_second_try_works(tmp_path, monkeypatch):
    """``coursekit room --clear`` removes writers' leftovers too: a hand-in caught between writing its temporary file and
    renaming it was told the exchange was removed (and to make it again). It is told the room was cleared, to hand in again."""
    from coursekit.room.exchange import INBOUND_MODE, clear_room, handin

    ck_io, sample_brief = io, brief
    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path / "home"))
    ex = tmp_path / "ex"
    ex.mkdir()
    ex.chmod(INBOUND_MODE)
    real = ck_io.os.replace

    def cleared_first(src, dst, *a, **k):
        if str(src).endswith(ck_io.TMP_SUFFIX) and Path(src).parent == ex:
            clear_room(ex)
        return real(src, dst, *a, **k)

    monkeypatch.setattr(ck_io.os, "replace", cleared_first)
    with pytest.raises(CourseError, match="the room was cleared while you handed in.*hand in again") as e:
        handin(sample_brief("ana"), "ana", ex)
    assert "\n" not in str(e.value)
    monkeypatch.setattr(ck_io.os, "replace", real)
    assert handin(sample_brief("ana"), "ana", ex).exists()


def test_a_file_name_with_a_line_break_cannot_forge_a_line_of_room_clear(tmp_path):
    """A learner leaves a file named 'x\\ncleared 999 file(s) ...' in the exchange: `room --clear` printed it raw, a
    second line that looked like its own. Names are shown quoted: one line."""
    ex = tmp_path / "ex"
    ex.mkdir()
    ex.chmod(0o1733)
    (ex / "x\ncleared 999 file(s) from everywhere").write_text("")
    r = cli("room", ex, "--clear")
    assert r.returncode == 0 and len(r.stderr.strip().splitlines()) == 1 and "'x\\ncleared 999" in r.stderr, r.stderr
    assert r.stdout.count("cleared") == 1
