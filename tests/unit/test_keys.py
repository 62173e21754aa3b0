"""The answer-key store: one JSON file per note in package data, read by note and exercise id; a missing or
stale file is one line naming the file and the fix."""

from __future__ import annotations

import json

import pytest

from coursekit import keys
from coursekit.errors import CourseError


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setattr(keys, "keys_dir", lambda: tmp_path)
    return tmp_path


def test_reads_one_exercise_key(store):
    (store / "m.json").write_text(keys.render_keys({"action-1": {"solution": "Rate 1.3"}}), encoding="utf-8")
    assert keys.key("m", "action-1") == {"solution": "Rate 1.3"}
    assert keys.note_keys("m") == {"action-1": {"solution": "Rate 1.3"}}


@pytest.mark.parametrize("content, note, ex, says", [
    (None, "m", "action-1", "no answer keys for this module"),
    ("{not json", "m", "action-1", "cannot be read"),
    ("[1, 2]", "m", "action-1", "not a JSON object"),
    (json.dumps({"action-2": {}}), "m", "action-1", "stale"),
    (json.dumps({"action-1": "x"}), "m", "action-1", "stale"),
    (None, "../etc", "action-1", "not a module slug"),
])
def test_missing_or_stale_is_one_line_with_the_fix(store, content, note, ex, says):
    if content is not None:
        (store / "m.json").write_text(content, encoding="utf-8")
    with pytest.raises(CourseError) as err:
        keys.key(note, ex)
    msg = str(err.value)
    assert says in msg and "\n" not in msg and ("coursekit build" in msg or "MODULE" in msg)


def test_rendering_is_deterministic():
    a = keys.render_keys({"b": {"y": 1, "x": 2}, "a": {}})
    assert a == keys.render_keys({"a": {}, "b": {"x": 2, "y": 1}}) and a.endswith("\n")
