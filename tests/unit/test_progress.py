"""Saved answers are never lost: concurrent writers merge, unusable files are kept aside under unique
names, a failed save is an error the widget can show, and reads never move files."""

from __future__ import annotations

import json
import multiprocessing
import os
import socket
import time
from pathlib import Path

import pytest

from coursekit import io
from coursekit.answers import Answers, SaveError, answers_path
from coursekit.errors import CourseError

N = 1000


def _save_many(path: str, prefix: str, n: int) -> None:
    answers = Answers(path)  # each process has its own copy, as each notebook kernel does
    for i in range(n):
        answers.set(f"{prefix}/q{i}", {"text": f"{prefix} answer {i}"})


@pytest.mark.slow  # two interpreters, 1000 locked saves each: about 12 s
def test_two_processes_saving_1000_answers_each_lose_nothing(tmp_path):
    path = tmp_path / "answers" / "me.json"
    ctx = multiprocessing.get_context("spawn")  # real, separate OS processes
    procs = [ctx.Process(target=_save_many, args=(str(path), m, N)) for m in ("module-a", "module-b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(600)
        assert p.exitcode == 0
    saved = json.loads(path.read_text())["answers"]
    # 2 writers x 1000 keys, all different: the file must hold all 2000, each with its own text
    assert len(saved) == 2 * N
    assert saved["module-a/q999"] == {"text": "module-a answer 999"} and saved["module-b/q0"] == {"text": "module-b answer 0"}
    assert not list(path.parent.glob("*.lock")) and not list(path.parent.glob(f".*{io.TMP_SUFFIX}"))


def test_two_notebooks_in_one_process_keep_each_others_answers(tmp_path):
    path = tmp_path / "me.json"
    k1, k2 = Answers(path), Answers(path)
    k1.set("m1/a", {"x": 1})
    k2.set("m2/a", {"x": 2})  # k2 opened before k1 saved: it must not drop m1/a
    k1.set("m1/b", {"x": 3})
    assert Answers(path).keys() == ["m1/a", "m1/b", "m2/a"]
    assert k1.get("m2/a") == {"x": 2}  # a save also brings in what others saved


@pytest.mark.parametrize("content, why", [
    (b"\x00\xffnot json", "not JSON"),
    (b'{"version": 1, "answers": {"m/a": {"x": 1}', "truncated JSON"),
    (b'["a", "list"]', "a list"),
    (b'"a string"', "a string"),
    (b'{"m/a": {"x": 1}}', "no answers mapping"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deep for the JSON parser"),
])
def test_unusable_file_is_reported_on_read_and_kept_aside_on_save(tmp_path, content, why):
    path = tmp_path / "me.json"
    path.write_bytes(content)
    a = Answers(path)
    assert a.keys() == [] and "not a coursekit answers file" in a.problem and "\n" not in a.problem
    assert path.read_bytes() == content, "a read moved or changed the file"
    assert Answers(path).keys() == []  # reading again still does not move it
    a.set("m/q", {"x": 1})
    aside = list(tmp_path.glob("me.corrupt-*.json"))
    assert len(aside) == 1 and aside[0].read_bytes() == content, why
    assert "kept aside as " + aside[0].name in a.problem
    assert json.loads(path.read_text())["answers"] == {"m/q": {"x": 1}}


def test_aside_names_are_unique_within_one_second(tmp_path):
    path = tmp_path / "me.json"
    for i in range(5):  # five corrupt files set aside in well under a second
        path.write_bytes(b"broken %d" % i)
        Answers(path).set("m/q", {"x": i})
    aside = sorted(tmp_path.glob("me.corrupt-*.json"))
    assert len(aside) == 5
    assert {p.read_bytes() for p in aside} == {b"broken %d" % i for i in range(5)}


def _denied(*_a, **_k):
    raise PermissionError(13, "Permission denied")


def test_permission_denied_is_reported_not_crashed_on(tmp_path, monkeypatch):
    path = tmp_path / "me.json"
    path.write_text(json.dumps({"version": 1, "answers": {"m/a": {"x": 1}}}))
    before = path.read_bytes()
    monkeypatch.setattr(Path, "read_bytes", _denied)  # chmod 0 does not stop root, who runs these tests in CI
    a = Answers(path)
    assert "cannot be read (Permission denied)" in a.problem and a.keys() == []
    with pytest.raises(SaveError, match="could not be saved"):
        a.set("m/b", {"x": 2})  # cannot re-read under the lock: must not write a file missing m/a
    monkeypatch.undo()
    assert path.read_bytes() == before and not list(tmp_path.glob("me.corrupt-*"))


def test_failed_save_raises_one_line_keeps_the_answer_and_retries_it(tmp_path, monkeypatch):
    path = tmp_path / "answers" / "me.json"
    a = Answers(path)
    monkeypatch.setattr("coursekit.answers.atomic_write", _denied)
    with pytest.raises(SaveError) as err:
        a.set("m/a", {"x": 1})
    msg = str(err.value)
    assert msg.count("\n") == 0 and msg.startswith(f"{path}: answers: could not be saved (Permission denied)")
    assert isinstance(err.value, CourseError) and a.get("m/a") == {"x": 1}  # still in memory: the widget keeps it
    assert not Path(f"{path}.lock").exists()  # the lock is released after a failure
    monkeypatch.undo()
    a.set("m/b", {"x": 2})  # writable again: the earlier answer goes with this save
    assert json.loads(path.read_text())["answers"] == {"m/a": {"x": 1}, "m/b": {"x": 2}}


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_unwritable_folder_is_a_save_error(tmp_path):
    folder = tmp_path / "answers"
    folder.mkdir()
    a = Answers(folder / "me.json")
    folder.chmod(0o500)
    try:
        with pytest.raises(SaveError):
            a.set("m/a", {"x": 1})
    finally:
        folder.chmod(0o700)


def test_a_value_json_cannot_hold_is_refused_before_touching_the_file(tmp_path):
    path = tmp_path / "me.json"
    Answers(path).set("m/a", {"x": 1})
    before = path.read_bytes()
    with pytest.raises(TypeError):
        Answers(path).set("m/b", {"x": object()})
    assert path.read_bytes() == before


def test_stale_lock_of_a_dead_process_is_broken(tmp_path):
    path = tmp_path / "me.json"
    dead = multiprocessing.get_context("spawn").Process(target=time.sleep, args=(0,))
    dead.start()
    dead.join()
    Path(f"{path}.lock").write_text(f"{dead.pid} {socket.gethostname()} {time.time()} x\n")  # a writer killed while holding it
    Answers(path).set("m/a", {"x": 1})
    assert Answers(path).get("m/a") == {"x": 1} and not Path(f"{path}.lock").exists()


def test_old_lock_from_another_host_is_broken_and_a_fresh_one_waited_for(tmp_path):
    path = tmp_path / "me.json"
    lock = Path(f"{path}.lock")
    lock.write_text("1 some-other-host 0 x\n")
    old = time.time() - io.STALE_LOCK_SECONDS - 5
    os.utime(lock, (old, old))
    Answers(path).set("m/a", {"x": 1})  # breaks it: older than a holder ever keeps it
    assert not lock.exists()
    lock.write_text("1 some-other-host 0 x\n")  # fresh, its process unknown: must be waited for
    with pytest.raises(io.LockTimeout), io.file_lock(path, timeout=0.2):
        pass
    assert lock.read_text() == "1 some-other-host 0 x\n"  # not taken from its holder


def test_killed_writers_temporary_files_are_swept_when_old(tmp_path):
    old_tmp = tmp_path / f".me.json.abcd{io.TMP_SUFFIX}"
    new_tmp = tmp_path / f".me.json.efgh{io.TMP_SUFFIX}"
    old_tmp.write_text("half")
    new_tmp.write_text("half")  # may belong to a writer still running
    old = time.time() - io.STALE_TMP_SECONDS - 5
    os.utime(old_tmp, (old, old))
    io.atomic_write(tmp_path / "me.json", "{}")
    assert not old_tmp.exists() and new_tmp.exists()


def test_atomic_write_cleans_up_when_the_replace_fails(tmp_path):
    target = tmp_path / "a-folder"
    target.mkdir()  # os.replace cannot put a file over a folder
    with pytest.raises(OSError):
        io.atomic_write(target, "text")
    assert list(tmp_path.iterdir()) == [target]


def test_atomic_write_all_replaces_none_when_one_fails(tmp_path):
    (tmp_path / "a.txt").write_text("old a")
    (tmp_path / "b").mkdir()
    with pytest.raises(OSError):  # the second file's folder is a file: staging it fails after the first was staged
        io.atomic_write_all({tmp_path / "a.txt": "new a", tmp_path / "a.txt" / "x": "bad"})
    assert (tmp_path / "a.txt").read_text() == "old a"
    assert not list(tmp_path.glob(f".*{io.TMP_SUFFIX}"))
    io.atomic_write_all({tmp_path / "a.txt": "new a", tmp_path / "b" / "c.txt": b"c"})
    assert (tmp_path / "a.txt").read_text() == "new a" and (tmp_path / "b" / "c.txt").read_bytes() == b"c"


@pytest.mark.parametrize("name", ["../x", "a/b", "a\\b", "bad\x00name", "tab\tname", "line\nbreak", ".hidden", "x" * 65, "esc\x1b[31m", "del\x7f"])
def test_unsafe_learner_names_are_refused_with_one_line(name, monkeypatch, tmp_path):
    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path))
    with pytest.raises(CourseError) as err:
        answers_path(name)
    assert str(err.value).count("\n") == 0 and "--learner: learner:" in str(err.value)
    if "\x00" not in name:  # an environment variable cannot hold a NUL
        monkeypatch.setenv("COURSEKIT_LEARNER", name)
        with pytest.raises(CourseError, match="COURSEKIT_LEARNER: learner:"):
            Answers.open()
    assert not list(tmp_path.rglob("*"))


def test_learner_names_in_any_script_are_welcome(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path))
    assert answers_path("José-García_2") == tmp_path / "answers" / "José-García_2.json"
    monkeypatch.setenv("COURSEKIT_LEARNER", "営業")
    assert answers_path().name == "営業.json"


def test_one_odd_answer_does_not_cost_the_others(tmp_path):
    # a hand-edited value that is not a mapping stays the widget's problem; the file and its other answers stay in use
    path = tmp_path / "me.json"
    path.write_text('{"version": 1, "answers": {"m/a": 5, "m/b": {"x": 1}}}', encoding="utf-8")
    a = Answers(path)
    assert a.problem == "" and a.get("m/b") == {"x": 1} and a.get("m/a") == 5
    a.set("m/c", {"y": 2})
    assert Answers(path).get("m/b") == {"x": 1} and not list(tmp_path.glob("*.corrupt-*"))


def test_a_file_spoilt_by_something_else_loses_none_of_the_answers_this_notebook_holds(tmp_path):
    """Another program writes garbage over the answers file: it is kept aside, and the fresh file holds every
    answer this notebook had saved, not only the one being saved now."""
    path = tmp_path / "me.json"
    a = Answers(path)
    a.set("m/action-1", {"notes": "first"})
    path.write_text("not json{")
    a.set("m/action-2", {"notes": "second"})
    fresh = Answers(path)
    assert fresh.get("m/action-1") == {"notes": "first"} and fresh.get("m/action-2") == {"notes": "second"}
    (aside,) = tmp_path.glob("me.corrupt-*.json")
    assert aside.read_text() == "not json{"


def test_a_file_from_a_newer_coursekit_is_kept_aside_never_overwritten(tmp_path):
    path = tmp_path / "me.json"
    newer = '{"version": 99, "answers": {"m/action-1": {"notes": "from the future"}}}'
    path.write_text(newer)
    a = Answers(path)
    assert "newer coursekit" in a.problem
    a.set("m/action-2", {"notes": "now"})
    (aside,) = tmp_path.glob("me.corrupt-*.json")
    assert aside.read_text() == newer and Answers(path).get("m/action-2") == {"notes": "now"}
