"""A learner who takes the start page's pre diagnostic and the capstone's post diagnostic with a given number right, ticks
two rubric criteria and exports the brief: for the tests of the room's gain (functional, and in a real browser)."""

from __future__ import annotations

from pathlib import Path

from coursekit.answers import Answers
from coursekit.brief.compose import compose
from coursekit.brief.model import to_json
from coursekit.brief.render import to_markdown
from coursekit.exercises.quiz.kind import START_KEY


def learner_brief(home: Path, name: str, pre_right: int, post_right: int, monkeypatch) -> tuple[dict, str]:
    """(the brief as JSON, as Markdown) of ``name``, answering in ``home`` through the quizzes' widgets."""
    from coursekit import notebook as ex

    monkeypatch.setenv("COURSEKIT_HOME", str(home))
    monkeypatch.setenv("COURSEKIT_LEARNER", name)
    a = Answers.open()
    for phase, key, right in (("pre", START_KEY, pre_right), ("post", "alignment-capstone/quiz-2", post_right)):
        w = ex.Quiz(diagnostic=phase, answers=a, key=key)
        for n, (it, pick) in enumerate(zip(w.items, w._picks, strict=True)):
            k = it["key"]["answer"]
            pick.value = k if n < right else (k + 1) % len(it["options"])
        w.check()
        assert w.done and a.get(key)["score"] == right
    a.set("alignment-capstone/rubric", {"ticked": {"mechanic": True, "date": True}, "where": {"mechanic": "plans"}})
    brief = compose(a, [{"slug": "alignment-capstone", "title": "Capstone"}], learner=name)
    return to_json(brief), to_markdown(brief)
