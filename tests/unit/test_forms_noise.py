"""The capstone's structured forms refuse keyboard noise in a sentence, with a real segment or date picked."""

from __future__ import annotations

import datetime as dt

from coursekit import notebook as ex
from tests.helpers import warns

NOISE = "fjdkslq wpeoriu zmxncb qpwoeir"
TODAY = dt.date(2027, 10, 1)


def test_priorities_refuse_a_random_behavior():
    w = ex.PrioritiesForm(segments=["renewal", "new-logo"])
    row = {"name": "Win competitive logos", "what": "behavior", "behavior": NOISE, "segment": "new-logo", "cycle_months": 4, "rank": 1}
    w.set_answer({"priorities": [row], "assumed_attainment": 85})
    assert warns(w.check()) == ["Row 1: the behavior reads as random letters, not words: write it as you would say it."]
    assert not w.done
    # the same row with a behavior in words passes
    w.set_answer({"priorities": [{**row, "behavior": "Take a named account from the main competitor"}], "assumed_attainment": 85})
    assert w.check()[0][0] == "ok" and w.done


def test_decisions_refuse_a_random_ask_and_drop_the_monday_advice():
    asks = {k: {"who": "Krzysztof Brandt", "ask": ask} for k, ask in (
        ("strategy", "Confirm the two ranked priorities"), ("planning", "Build capacity on 85% mean attainment"),
        ("enablement", "Teach the consultative method in Q1"), ("comp", "Approve annual measurement paid monthly and its cost"))}
    answer = {"asks": asks, "review_date": "2028-06-01", "calendar": "Brandt's"}
    w = ex.DecisionsForm(today=TODAY, min_months=4)
    w.set_answer(answer)
    lines = w.check()
    assert w.done and lines[-1][1].startswith("On Monday")  # people's names are not judged as noise
    w.set_answer({**answer, "asks": {**asks, "comp": {"who": "Comp committee", "ask": f"approve {NOISE}"}}})
    lines = w.check()
    assert not w.done and warns(lines) == ["Comp: the ask: it reads as random letters, not sentences."]
    assert not any(t.startswith("Comp: Comp committee is asked") for _, t in lines)
    assert not any(t.startswith("On Monday") for _, t in lines)
