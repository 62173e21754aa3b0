"""Quiz: keyed items answered with lettered toggle buttons (Tab to a letter, Space picks it: no arrow key is needed,
so JupyterLab's command-mode arrows never steal the choice). The key loads at run time from the key store."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import ipywidgets as W

from coursekit import keys as keystore
from coursekit.answers import Answers, learner_name
from coursekit.errors import CourseError
from coursekit.exercises.quiz.kind import ASKS, BANK_ID, BANK_NOTE, KIND, START_KEY
from coursekit.exercises.widget import Exercise, esc
from coursekit.feedback import INFO, OK, WARN

LETTERS = "ABCDE"


def diagnostic_order(ids: list[str], learner: str, phase: str) -> list[str]:
    """The bank's item ids in this learner's order for ``phase``: seeded by the learner, and never the same order
    before and after (the post order is the pre order reversed when the seeds happen to agree)."""
    def shuffled(p: str) -> list[str]:
        out = list(ids)
        random.Random(f"coursekit-diagnostic/{learner}/{p}").shuffle(out)
        return out

    pre = shuffled("pre")
    if phase == "pre":
        return pre
    post = shuffled("post")
    return post if post != pre or len(ids) < 2 else pre[::-1]


def score(picks: dict[str, Any], items: list[dict[str, Any]]) -> tuple[int, list[str]]:
    """(right answers, ids of the items answered right) of a diagnostic's saved picks against the bank."""
    right = [it["id"] for it in items if picks.get(it["id"]) == it["key"]["answer"]]
    return len(right), right


class Quiz(Exercise):
    """``items``: [{prompt, options: [text]}] (a retrieval quiz; its key from ``key("<module>", "<id>")``), or
    ``diagnostic="pre"|"post"`` (the bank from ``key("diagnostic", "bank")``, in this learner's order)."""

    title = "Retrieval quiz"
    kind = KIND.name

    def __init__(self, items: list[dict] | None = None, diagnostic: str | None = None, learner: str | None = None, **kw):
        self.phase = diagnostic or ""
        self.problem = ""
        key = str(kw.get("key", ""))
        try:
            if self.phase:
                bank = keystore.key(BANK_NOTE, BANK_ID)["items"]
                try:
                    who = learner_name(learner)
                except CourseError:
                    who = "me"
                by_id = {it["id"]: it for it in bank}
                self.items = [by_id[i] for i in diagnostic_order(list(by_id), who, self.phase)]
                self.title = "Diagnostic: before the course" if self.phase == "pre" else "Diagnostic: after the capstone"
            else:
                note, _, ex_id = key.partition("/")
                found = keystore.key(note, ex_id)["items"] if key else []
                self.items = [{**it, "key": k} for it, k in zip(items or [], found)]
                if items and len(found) != len(items):
                    raise CourseError.at(f"coursekit/data/keys/{note}.json", ex_id, "the key does not match the quiz",
                                         "run `coursekit build` to write the keys")
        except (CourseError, KeyError, TypeError) as exc:
            self.items = [{**it, "key": None} for it in (items or [])]
            self.problem = " ".join(str(exc).split()) or type(exc).__name__
        super().__init__(**kw)
        if self.problem:
            self.feedback = [[WARN, f"This quiz cannot be checked here: {self.problem}"]]

    def build(self) -> None:
        self._picks = [W.ToggleButtons(options=[(LETTERS[i], i) for i in range(len(it["options"]))], value=None,
                                       description=f"Answer {n}", tooltips=[f"{LETTERS[i]}. {t}" for i, t in enumerate(it["options"])],
                                       style={"button_width": "3em", "description_width": "5em"})
                       for n, it in enumerate(self.items, 1)]
        self._watch(*self._picks)
        rows: list[W.Widget] = []
        for n, (it, pick) in enumerate(zip(self.items, self._picks), 1):
            scene = (f"<div><i>{esc(ASKS.get(it.get('asks', ''), '').capitalize())}.</i> <b>Plan:</b> {esc(it['plan'])}<br>"
                     f"<b>Deals:</b> {esc(it['deals'])}</div>") if it.get("plan") else ""
            opts = "".join(f"<li><b>{LETTERS[i]}.</b> {esc(t)}</li>" for i, t in enumerate(it["options"]))
            rows += [W.HTML(f"<div style='margin:8px 0 2px'><b>{n}.</b> {scene}<p style='margin:2px 0'>{esc(it['prompt'])}</p>"
                            f"<ul style='list-style:none;padding-left:1em;margin:2px 0'>{opts}</ul></div>"), pick]
        how = ("Pick a letter for each question (Tab to the letters, Space to choose), then Check."
               + (" Not graded: your score is saved; the right answers are shown after the second round." if self.phase == "pre" else ""))
        self.children = [self.header(how), *rows, *self.footer()]

    # the answer: a retrieval quiz saves picks in item order; the diagnostic saves them by item id (its order varies)
    def read_inputs(self) -> dict:
        if self.phase:
            return {"phase": self.phase, "picks": {it["id"]: p.value for it, p in zip(self.items, self._picks) if p.value is not None}}
        return {"picks": [p.value for p in self._picks]}

    def show_answer(self, answer: dict) -> None:
        picks = answer.get("picks") if isinstance(answer, dict) else None
        for i, (it, p) in enumerate(zip(self.items, self._picks)):
            if self.phase:
                v = picks.get(it["id"]) if isinstance(picks, dict) else None
            else:
                v = picks[i] if isinstance(picks, list) and i < len(picks) else None
            p.value = v if isinstance(v, int) and not isinstance(v, bool) and 0 <= v < len(it["options"]) else None

    def _pick(self, answer: dict, i: int) -> int | None:
        return self._picks[i].value if i < len(self._picks) else None

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        if self.problem:
            return [(WARN, f"This quiz cannot be checked here: {self.problem}")]
        lines: list[tuple[str, str]] = []
        right = 0
        for n, it in enumerate(self.items, 1):
            pick, k = self._pick(answer, n - 1), it["key"]
            if pick is None:
                lines.append((WARN, f"Question {n}: not answered yet."))
            elif pick == k["answer"]:
                right += 1
                if self.phase != "pre":
                    lines.append((OK, f"Question {n}: yes, {LETTERS[pick]}. {k['why']}"))
            elif self.phase == "pre":
                pass  # the pre round shows no keys: the same items come back after the capstone
            else:
                w = k["wrong"][str(pick)]
                level = INFO if self.phase else WARN  # the post round scores; a retrieval quiz asks for another try
                lines.append((level, f"Question {n}: not {LETTERS[pick]}. That pick believes {w['misconception'].rstrip('.')}. {w['why']}"
                                     + (f" The answer is {LETTERS[k['answer']]}: {k['why']}" if self.phase else "")))
        if self.phase and not any(level == WARN for level, _ in lines):
            lines.append((INFO, f"Your score: {right} of {len(self.items)}." + self._gain(right)))
        return lines

    def _gain(self, right: int) -> str:
        """The post round's comparison with the learner's pre round, when the start page saved one."""
        if self.phase != "post" or self._answers is None:
            return " Saved with your answers; you answer the same questions again after the capstone."
        pre = self._answers.get(START_KEY)
        if not isinstance(pre, dict) or not isinstance(pre.get("score"), int):
            return " (No start-page diagnostic is saved, so there is no before to compare with.)"
        return f" Before the course: {pre['score']} of {pre.get('of', len(self.items))}."

    def saved_extras(self) -> dict:
        if not self.phase or self.problem:
            return {}
        picks = self.read_inputs()["picks"]
        n, ids = score(picks, self.items)
        return {"score": n, "of": len(self.items), "right": ids, "date": dt.date.today().isoformat()}

    def computed_solution(self) -> str | None:
        if self.phase == "pre" or self.problem:
            return None
        return "\n".join(f"{n}. {LETTERS[it['key']['answer']]}: {it['options'][it['key']['answer']]}. {it['key']['why']}"
                         for n, it in enumerate(self.items, 1))


def start_diagnostic(learner: str | None = None) -> Quiz:
    """The start page's pre diagnostic, saved with the learner's answers. An unusable learner name or answers file is
    one line in the widget (the progress cell below says the same), never a traceback; nothing is saved then."""
    try:
        answers: Answers | None = Answers.open(learner)
        problem = ""
    except CourseError as exc:
        answers, problem = None, " ".join(str(exc).split())
    w = Quiz(diagnostic="pre", learner=learner if answers is not None else "me", answers=answers, key=START_KEY)
    if problem:
        w.feedback = [[WARN, f"Your answers cannot be saved: {problem}"]]
    return w
