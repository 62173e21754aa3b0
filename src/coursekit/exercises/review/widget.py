"""Review: the learner's saved answers from earlier modules, for the capstone, and what they take from them."""

from __future__ import annotations

import ipywidgets as W

from coursekit.answers import Answers
from coursekit.exercises.review.kind import KIND
from coursekit.exercises.rows import sections
from coursekit.exercises.widget import Exercise, esc
from coursekit.feedback import INFO, OK, WARN, answer_problem
from coursekit.sanitize import clean_html

# a check's feedback rows say what each line is, not "Check" on every test
ROW_LABELS = {"Check": "✔ passed", "To fix": "⚠ to fix", "Note": "• note"}


class Review(Exercise):
    """Shows what the learner entered so far (read from the saved answers, refreshed on demand) and asks
    which contradiction their plan will fix first; saved and checked like any exercise."""

    title = "Your answers so far"
    kind = KIND.name

    def __init__(self, answers: Answers | None = None, modules: list[str] | None = None, outline: list[dict] | None = None, **kw):
        """``outline``: the course in order ({slug, title, exercises: [{id, kind, title}]}, see ``kinds.review.course_outline``):
        answers then show under module and exercise titles in course order; without it, by their keys."""
        self._modules = modules
        self._outline = outline if isinstance(outline, list) else None
        self._titles = {m["slug"]: str(m.get("title", m["slug"])) for m in self._outline or [] if isinstance(m, dict) and "slug" in m}
        self._ex_titles = {f"{m['slug']}/{e['id']}": str(e.get("title", e["id"])) for m in self._outline or []
                           if isinstance(m, dict) and "slug" in m for e in m.get("exercises", []) if isinstance(e, dict) and "id" in e}
        self._problem = ""
        super().__init__(answers=answers, **kw)
        self.refresh()

    def build(self) -> None:
        self._view = W.HTML()
        refresh = W.Button(description="Refresh", icon="refresh", tooltip="Read my saved answers again")
        refresh.on_click(lambda _b: self.refresh())
        self._notes = W.Textarea(description="Fix first", rows=3, continuous_update=False, style={"description_width": "7em"},
                                 layout=W.Layout(width="95%"),
                                 placeholder="Which contradiction will your plan fix first, and why that one?")
        self._watch(self._notes)
        self.children = [self.header("Read back what you wrote in the earlier modules, then say what your plan fixes first."),
                         refresh, self._view, self._notes, *self.footer()]

    def read_inputs(self) -> dict:
        return {"notes": self._notes.value.strip()}

    def show_answer(self, answer: dict) -> None:
        self._notes.value = str(answer.get("notes", "")) if isinstance(answer, dict) else ""

    def rows(self) -> list[tuple[str, str, list[list[str]]]]:
        if self._answers is None:
            return []
        try:
            fresh = type(self._answers)(self._answers.path)  # other notebooks may have written since
        except Exception:  # noqa: BLE001 - an unreadable file is reported by the store itself; show what we have
            fresh = self._answers
        try:
            found = sections(fresh, self._outline)
        except Exception as exc:  # noqa: BLE001 - a hand-edited answers file must not break the capstone
            self._problem = f"Some saved answers could not be read ({type(exc).__name__}: {exc})."
            return []
        self._problem = ""
        return [s for s in found if (self._modules is None or s[0] in self._modules) and f"{s[0]}/{s[1]}" != self.key]

    def refresh(self) -> str:
        """Programmatic twin of the button; returns the plain-text summary."""
        rows = self.rows()
        if not rows:
            text = self._problem or "No saved answers yet."
            self._view.value = clean_html(f"<p>{esc(text)} Work through the earlier modules, then refresh.</p>")
            return text
        html, text = [], []
        for module, ex, items in rows:
            body = "".join(f"<tr><td><b>{esc(ROW_LABELS.get(k, k))}</b></td><td>{esc(v)}</td></tr>" for k, v in items)
            title = self.title_of(module, ex)
            html.append(f"<details><summary>{esc(title)}</summary><table>{body}</table></details>")
            text.append(f"{title} ({len(items)} entries)")
        self._view.value = clean_html("".join(html))  # learner text escaped above; the course's one HTML path after
        return "\n".join(text)

    def title_of(self, module: str, ex: str) -> str:
        """'Module 1 · Intelligent sales foundation · Map your contradictions'; the key's parts when the course has no title."""
        return f"{self._titles.get(module, module)} · {self._ex_titles.get(f'{module}/{ex}', ex)}"

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        lines: list[tuple[str, str]] = []
        if bad := answer_problem(answer["notes"], 6, (self._notes.placeholder,)):
            lines.append((WARN, f"Say which contradiction your plan fixes first, and why that one: {bad}."))
        else:
            lines.append((OK, f"Your plan fixes first: {answer['notes']}"))
        if not self.rows():
            lines.append((INFO, "No earlier answers saved yet: the modules before this one fill this review."))
        return lines
