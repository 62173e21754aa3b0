"""Assumption check: which of the note's assumptions hold in your org; a "no" shows what breaks and asks
what you will do instead; "not sure" is not an answer yet. The course cannot check your organization: those answers
count as written, never done. The keyed questions on the module's own case (``keyed``) carry the verdict."""

from __future__ import annotations

import ipywidgets as W

from coursekit.exercises.assumption_check.kind import KIND
from coursekit.exercises.widget import Exercise, esc
from coursekit.feedback import INFO, OK, WARN, answer_problem, keyword_list_reason, pasted_reason

CHOICES = ("not sure", "yes", "no")
# "holds" is a claim about the learner's own organization: it counts only with where it was seen. The course cannot read
# the report, but it can refuse the named misconception: a "yes" nobody checked (an assumption taken on faith).
UNPICKED, UNCHECKED = "— how do you know? —", "I have not checked"
SOURCES = ("a report or CRM data I looked at", "the plan document", "I asked the owner", "my answers earlier in this course")
EVIDENCE = (UNPICKED, *SOURCES, UNCHECKED)
# The selected toggle must show on light and dark themes alike (JupyterLab's dark theme hides it).
TOGGLE_CSS = ("<style>.coursekit-exercise .widget-toggle-button.mod-active{background:var(--jp-brand-color1,#1976d2);"
              "color:#fff;font-weight:600;outline:2px solid var(--jp-brand-color1,#1976d2)}</style>")


class AssumptionCheck(Exercise):
    """``assumptions``: [{text, breaks}] where ``breaks`` says what fails if it does not hold."""

    title = "Do the assumptions hold for you?"
    kind = KIND.name

    def __init__(self, assumptions: list[dict], **kw):
        self.assumptions = [{"text": str(a["text"]), "breaks": str(a.get("breaks", ""))} for a in assumptions]
        super().__init__(**kw)

    def build(self) -> None:
        self._marks = [W.ToggleButtons(options=CHOICES, value="not sure", description="Where I work",
                                       style={"button_width": "6em", "description_width": "8em"},
                                       tooltips=["Not sure yet", "Holds in my org", "Does not hold"])
                       for i in range(len(self.assumptions))]
        self._instead = [W.Textarea(description="Instead, I will", rows=2, continuous_update=False, style={"description_width": "8em"},
                                    layout=W.Layout(width="95%", display="none"),
                                    placeholder="It does not hold here: what will you do instead?") for _ in self.assumptions]
        self._breaks = [W.HTML(layout=W.Layout(display="none")) for _ in self.assumptions]
        # buttons, not a dropdown: Tab and Space pick one (a focused dropdown lost its arrow keys to JupyterLab's cells)
        self._evidence = [W.ToggleButtons(options=EVIDENCE, value=UNPICKED, description="I know because",
                                          style={"description_width": "8em", "button_width": "auto"},
                                          layout=W.Layout(width="95%", display="none")) for _ in self.assumptions]
        self._watch(*self._marks, *self._instead, *self._evidence)
        rows = []
        for i, (a, m) in enumerate(zip(self.assumptions, self._marks)):
            m.observe(lambda ch, i=i: self._show_row(i, ch["new"]), names="value")
            self._breaks[i].value = f"<div style='margin-left:6em'>If it does not hold: {esc(a['breaks'] or 'the advice that rests on it needs testing first.')}</div>"
            rows.append(W.VBox([W.HTML(f"<div style='margin-top:6px'><b>{i + 1}.</b> {esc(a['text'])}</div>"), m, self._evidence[i],
                                self._breaks[i], self._instead[i]]))
        case = " Then answer the question on this module's own case below: that part is checked." if self.keyed_choices else ""
        self.children = [W.HTML(TOGGLE_CSS), self.header("Mark each assumption for your organization: does it hold? The course cannot "
                                                         "check your organization, so these marks are kept as you write them." + case),
                         *rows, *self.footer()]

    def _show_row(self, i: int, mark: str) -> None:
        display = None if mark == "no" else "none"
        self._instead[i].layout.display = display
        self._breaks[i].layout.display = display
        self._evidence[i].layout.display = None if mark == "yes" else "none"

    def read_inputs(self) -> dict:
        return {"marks": [m.value for m in self._marks], "instead": [t.value.strip() for t in self._instead],
                "evidence": [e.value if m.value == "yes" else "" for m, e in zip(self._marks, self._evidence)]}

    def show_answer(self, answer: dict) -> None:
        marks = answer.get("marks", []) if isinstance(answer, dict) else []
        instead = answer.get("instead", []) if isinstance(answer, dict) else []
        evidence = answer.get("evidence", []) if isinstance(answer, dict) else []
        marks, instead, evidence = (x if isinstance(x, list) else [] for x in (marks, instead, evidence))
        for i, m in enumerate(self._marks):
            m.value = marks[i] if i < len(marks) and marks[i] in CHOICES else "not sure"
            self._evidence[i].value = evidence[i] if i < len(evidence) and evidence[i] in EVIDENCE else UNPICKED
            self._instead[i].value = str(instead[i]) if i < len(instead) and instead[i] is not None else ""

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        lines = []
        instead = answer.get("instead", []) + [""] * len(self.assumptions)
        evidence = list(answer.get("evidence") or []) + [""] * len(self.assumptions)
        for i, (a, mark) in enumerate(zip(self.assumptions, answer["marks"])):
            if mark == "no":
                breaks = (a["breaks"] or "the advice that rests on it needs testing before you act on it.").rstrip(". ")
                shown = (self._instead[i].placeholder, a["text"], a["breaks"], f"If it does not hold: {a['breaks']}")
                if bad := answer_problem(instead[i], 4, shown) or pasted_reason(instead[i], shown) or keyword_list_reason(instead[i]):
                    lines.append((WARN, f"“{a['text']}” does not hold: {breaks}. What will you do instead? Write it down: {bad}."))
                else:  # the learner's plan for their own organization: kept, shown back, not judged
                    lines.append((INFO, f"“{a['text']}” does not hold where you work; instead you will: {instead[i]}"))
            elif mark == "yes" and evidence[i] in SOURCES:
                lines.append((INFO, f"“{a['text']}” holds where you work ({evidence[i]}): kept as you wrote it."))
            elif mark == "yes" and evidence[i] == UNCHECKED:
                lines.append((WARN, f"“{a['text']}”: a yes nobody checked is the assumption taken on faith, the way plans fail "
                                    "quietly. Check it (a report, the plan document, the owner), or mark it not sure."))
            elif mark == "yes":
                lines.append((WARN, f"“{a['text']}” holds: say how you know (a report, the plan document, the owner you asked)."))
            else:
                lines.append((WARN, f"“{a['text']}”: not sure yet; find the evidence, then mark yes or no."))
        if all(level != WARN for level, _ in lines):
            lines.append((OK if self.keyed_choices else INFO,
                          "Your organization's answers are kept as written: the course cannot check them, so they count as written, "
                          "not done" + ("; the question on this module's case below carries the check." if self.keyed_choices else ".")))
        return lines

    def rests_on_reasons(self) -> bool:
        """Without a keyed question on the module's own case, nothing here is checkable: written at best, never done."""
        return not self.keyed_choices
