"""Retrieval quizzes and the pre/post diagnostic, end to end without a browser: the build's key store, the widget
scoring against it, the brief's completion record and rubric, and the room's gain from two learners' briefs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coursekit import keys
from coursekit.answers import Answers
from coursekit.assemble.run import assemble
from coursekit.brief.compose import completion_record
from coursekit.brief.model import RUBRIC
from coursekit.errors import CourseError
from coursekit.exercises.quiz.kind import BANK_ID, BANK_NOTE, check_items, load_bank
from coursekit.room.cli import cmd_room
from coursekit.room.gather import gather, load_scores, room_gain, scores_path

from ..diagnostic_learners import learner_brief

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built():
    return assemble(ROOT / "content", instructor=True)


def test_the_stored_keys_are_what_the_content_compiles_to(built):
    """`build` writes the key store; a stale store (content changed, no rebuild) fails here and in `build --check`."""
    _course, _nbs, store = built
    assert keys.stale_store(store) == []
    assert set(store) >= {BANK_NOTE, "intelligent-sales-foundation", "alignment-capstone"}


def test_no_key_reaches_a_learner_notebook(built):
    _course, nbs, store = built
    learner = assemble(ROOT / "content", instructor=False)[1]
    feedback = [k["why"] for n, note in store.items() if n != BANK_NOTE for ex in note.values() for k in ex.get("items", [])]
    feedback += [it["key"]["why"] for it in store[BANK_NOTE][BANK_ID]["items"]]
    for name, nb in learner.items():
        text = "\n".join(c.source for c in nb.cells)
        leaked = [f for f in feedback if f in text]
        assert not leaked, (name, leaked[:1])
    # the facilitator edition carries them, with the misconception behind each distractor
    module1 = "\n".join(c.source for c in nbs["01-intelligent-sales-foundation.ipynb"].cells)
    assert "*Misconception: paid monthly means measured monthly.*" in module1
    start = "\n".join(c.source for c in nbs["00-start-here.ipynb"].cells)
    assert "Running the pre/post diagnostic" in start and "*Misconception: a cap fixes inflated attainment.*" in start


def test_every_quiz_item_has_one_right_option_and_named_misconceptions(built):
    _course, _nbs, store = built
    items, problems = load_bank(ROOT / "content")
    assert not problems and len(items) >= 12
    assert {it["asks"] for it in items} == {"pays", "resets", "lever", "pitfall"}
    for _note, exs in store.items():
        for ex in exs.values():
            for k in ex.get("items", []):
                k = k.get("key", k)  # the bank keeps each key beside its item
                assert all(w["misconception"] and w["why"] for w in k["wrong"].values())
    # the checker refuses an item with no right option or an unnamed distractor
    bad = [{"prompt": "p", "options": [{"text": "a", "why": "x"}, {"text": "b", "misconception": "m", "why": "w"}, {"text": "c", "right": "r"}]}]
    assert any("misconception" in b for b in check_items(bad, "quiz"))


def _learner(home: Path, name: str, pre_right: int, post_right: int, monkeypatch) -> dict:
    data, md = learner_brief(home, name, pre_right, post_right, monkeypatch)
    assert "### Rubric: checked by the author before sending" in md and "| A specific mechanic | yes | 3. Current and proposed plan |" in md
    assert "| The money difference | not yet |" in md
    return data


def test_two_learners_briefs_show_the_rooms_gain(tmp_path, monkeypatch, capsys):
    room = tmp_path / "room"
    room.mkdir()
    for name, pre, post in (("ann", 4, 10), ("lee", 6, 12)):
        data = _learner(tmp_path / name, name, pre, post, monkeypatch)
        diag = data["completion"]["diagnostic"]
        assert (diag["pre"]["score"], diag["post"]["score"], diag["gain"]) == (pre, post, post - pre)
        assert data["completion"]["date"] and [r["id"] for r in data["rubric"]] == [c[0] for c in RUBRIC]
        assert data["rubric"][0]["self_ticked"] and data["rubric"][0]["where"] == "plans" and not data["rubric"][1]["self_ticked"]
        (room / f"{name}-{'0' * 32}.json").write_text(json.dumps(data))
    g = room_gain(gather(room))
    assert (g["both_n"], g["pre_pct"], g["post_pct"], g["gain_points"]) == (2, round(100 * 10 / 24), round(100 * 22 / 24), 50)
    assert cmd_room(type("A", (), {"exchange": str(room), "output": None, "names": False, "clear": False})()) == 0
    assert "gain of the 2 who took both: +50 points" in capsys.readouterr().out
    # the facilitator scores the rubric in the room view; scores stay in the facilitator's home, not the exchange
    from coursekit.room.view import RoomView

    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path / "facilitator"))
    before = sorted(p.name for p in room.iterdir())
    view = RoomView(str(room))
    assert view.briefs == 2 and "What the room learned" in view._view.value and "the learners' own ticks" in view._view.value
    stem = f"ann-{'0' * 32}"
    view.score(stem, "money", True)
    assert load_scores(room) == {stem: {"money": True}} and sorted(p.name for p in room.iterdir()) == before
    assert scores_path(room).is_relative_to(tmp_path / "facilitator")
    again = RoomView(str(room))  # a refresh shows the saved score on its box
    assert again._boxes[(stem, "money")].value is True and again._boxes[(stem, "owner")].value is False
    again._boxes[(stem, "owner")].value = True  # ticking the box is saved as the twin saves it
    assert load_scores(room)[stem] == {"money": True, "owner": True}


def test_pre_and_post_orders_differ_and_follow_the_learner(monkeypatch, tmp_path):
    from coursekit.exercises.quiz.widget import diagnostic_order

    ids = [f"i{n}" for n in range(12)]
    for who in ("ann", "lee", "me"):
        assert diagnostic_order(ids, who, "pre") != diagnostic_order(ids, who, "post")
        assert sorted(diagnostic_order(ids, who, "post")) == sorted(ids)
    assert diagnostic_order(ids, "ann", "pre") != diagnostic_order(ids, "lee", "pre")


def test_a_wrong_retrieval_pick_is_answered_with_its_misconception(monkeypatch, tmp_path, built):
    from coursekit import notebook as ex

    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path))
    _c, _n, store = built
    planned_items = [c for c in _n["01-intelligent-sales-foundation.ipynb"].cells if "quiz_args" in c.source]
    assert planned_items, "the module 1 quiz's setup cell"
    ns: dict = {}
    exec(planned_items[0].source, ns)  # plain data: prompts and option texts
    k = store["intelligent-sales-foundation"]["quiz"]["items"]
    w = ex.Quiz(**ns["quiz_args"], answers=Answers.open(), key="intelligent-sales-foundation/quiz")
    wrong = int(next(iter(k[0]["wrong"])))
    for i, p in enumerate(w._picks):
        p.value = k[i]["answer"]
    w._picks[0].value = wrong
    lines = w.check()
    assert not w.done and k[0]["wrong"][str(wrong)]["misconception"] in lines[0][1]
    w._picks[0].value = k[0]["answer"]
    w.check()
    assert w.done


def test_completion_record_counts_checks_and_done_modules():
    class A(dict):
        pass

    a = A({"m1/x": {"_done": True}, "m1/y": {"_done": False}, "m2/x": {"_done": True}})
    rec = completion_record(a, [{"slug": "m1", "title": "One", "exercises": ["x", "y"]}, {"slug": "m2", "title": "Two"}])
    assert rec["checks_passed"] == 2 and rec["modules_done"] == 1 and [m["done"] for m in rec["modules"]] == [False, True]


def test_a_changed_key_is_stale_until_the_build_writes_it(tmp_path, built):
    _c, _n, store = built
    assert keys.write_store(store, tmp_path) and keys.stale_store(store, tmp_path) == []
    assert keys.write_store(store, tmp_path) == []  # nothing changed: nothing written
    changed = {**store, "intelligent-sales-foundation": {"quiz": {"items": []}}}
    assert keys.stale_store(changed, tmp_path) == [str(tmp_path / "intelligent-sales-foundation.json")]


def test_a_missing_key_is_one_line_naming_the_fix():
    with pytest.raises(CourseError) as err:
        keys.key("no-such-module", "quiz")
    assert "run `coursekit build`" in str(err.value) and "\n" not in str(err.value)
