"""Issue 25, "Answer keys stay out of sight until earned": no model answer, key or solution string sits in a learner
notebook's sources or stored outputs; the keys load at run time from package data (``coursekit.keys``), and "Show a
model answer" unlocks only after an attempt that differs from the untouched form."""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from coursekit import keys
from coursekit import notebook as ex
from coursekit.answers import Answers
from coursekit.assemble import check_course
from coursekit.assemble.run import course_keys, generate

from ..helpers import ROOT

MIN_CHARS = 40  # a sentence of a key this long, found verbatim, is the key leaking (shorter ones are common phrases)


def _plain(text: str) -> str:
    text = re.sub(r"[*_`>|]", " ", text)
    return " ".join(text.split()).lower()


def key_sentences(key: dict) -> set[str]:
    """Every sentence of at least MIN_CHARS characters in a key's strings (markdown marks dropped)."""
    out: set[str] = set()
    for v in key.values():
        if isinstance(v, str):
            for part in re.split(r"(?<=[.!?:;])\s+|\n+", v):
                p = _plain(part).strip(" -.\"“”")
                if len(p) >= MIN_CHARS:
                    out.add(p)
    return out


@pytest.fixture(scope="module")
def built():
    store: dict[str, str] = {}
    course, notebooks = generate(ROOT / "content", keys=store)
    return course, notebooks, {slug: json.loads(t) for slug, t in store.items()}


def test_every_module_answer_key_is_in_the_store_and_the_package_store_is_current(built):
    course, _nbs, store = built
    _course, planned, _problems = check_course(ROOT / "content")
    for note in course.notes:
        for p in planned[note.slug]:
            if p.solution:
                assert store[note.slug][p.id]["solution"] == p.solution
    package = ROOT / "src" / "coursekit" / "data" / "keys"
    for slug, text in course_keys(course, planned).items():
        assert (package / f"{slug}.json").read_text(encoding="utf-8") == text, f"{slug}: run `coursekit build` and commit the keys"


def taught_lines(note) -> set[str]:
    """The `Component → Mechanism → Choice` lines a note's action teaches: course text the traceability exercise traces a
    plan with (which of the plan's components to keep or cut is the answer), so not a key leaking."""
    return {_plain(" → ".join([c, *links])) for a in note.actions for c, links in a.chains.items()}


def test_no_key_string_in_a_learner_notebooks_sources(built):
    course, notebooks, store = built
    leaks = []
    for note in course.notes:
        nb = notebooks[course.notebook_name(note.slug)]
        text = _plain("\n".join(c.source for c in nb.cells))
        for ex_id, k in store[note.slug].items():
            leaks += [(note.slug, ex_id, s[:70]) for s in key_sentences(k) - taught_lines(note) if s in text]
        assert "_solution" not in text, note.slug
    assert not leaks, leaks


def test_no_keyed_choice_in_a_pitfall_checks_setup(built):
    course, notebooks, store = built
    for note in course.notes:
        fits = [k["fits"] for k in store[note.slug].values() if "fits" in k]
        setup = [c.source for c in notebooks[course.notebook_name(note.slug)].cells if c.source.startswith("pitfall_check_args =")]
        if fits:
            assert setup and all("'pitfall':" not in src for src in setup), note.slug


def test_no_key_string_in_the_committed_notebooks_stored_outputs(built):
    course, _nbs, store = built
    for note in course.notes:
        path = ROOT / "notebooks" / course.notebook_name(note.slug)
        nb = nbformat.read(path, as_version=4)
        outs = _plain("\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
                                for c in nb.cells if c.cell_type == "code" for o in c.outputs))
        leaks = [(ex_id, s[:70]) for ex_id, k in store[note.slug].items() for s in key_sentences(k) if s in outs]
        assert not leaks, (note.slug, leaks)


def test_a_learner_widget_reads_its_model_answer_from_the_store(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSEKIT_KEYS", str(tmp_path))
    (tmp_path / "m.json").write_text(keys.render_keys({"action-1": {"solution": "Name one mechanic per system."},
                                                       "pits": {"fits": [[1], [0, 1]]}}), encoding="utf-8")
    w = ex.Checklist(items=["Price it"], answers=Answers(tmp_path / "a.json"), key="m/action-1")
    assert w.solution == "Name one mechanic per system."
    p = ex.PitfallCheck(pitfalls=[{"claim": "A", "rebuttal": "a."}, {"claim": "B", "rebuttal": "b."}],
                        scenarios=[{"text": "one"}, {"text": "two"}], key="m/pits")
    p.set_answer({"picks": [1, 0]})
    p.check()
    assert p.done


def test_a_missing_store_is_said_once_and_never_passes(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSEKIT_KEYS", str(tmp_path))
    p = ex.PitfallCheck(pitfalls=[{"claim": "A", "rebuttal": "a."}], scenarios=[{"text": "one"}], key="m/pits")
    p.set_answer({"picks": [0]})
    lines = p.check()
    assert not p.done and "coursekit build" in lines[0][1]


def test_the_model_answer_unlocks_only_after_an_attempt_that_differs_from_the_untouched_form():
    w = ex.Checklist(items=["Price it", "Compare"], solution="Price each lever per 100 of bookings.")
    w.check()  # the untouched form, checked
    assert w.checked and not w.attempted and w._solution_button.disabled and w.show_solution() == ""
    w.set_answer({"ticked": [True, False], "notes": ""})
    w.check()
    assert w.attempted and not w._solution_button.disabled
    assert "per 100 of bookings" in w.show_solution()
