"""The base of every exercise widget: state in traitlets, a programmatic twin for each handler,
feedback in widget state, answers saved as the learner goes (with the feedback, so a restarted
kernel shows it again), a model answer offered after a first attempt, and, where a heuristic on
free text is unsure, a way to mark the exercise done with a written reason."""

from __future__ import annotations

import asyncio
import hashlib
import html
import sys
from typing import Any

import ipywidgets as W
import traitlets as T

from coursekit.answers import Answers, status_of
from coursekit.errors import CourseError
from coursekit.feedback import INFO, OK, UNSURE, WARN, junk_reason
from coursekit.keys import key as stored_key_of
from coursekit.sanitize import clean_html

AGAIN = (INFO, "You changed this answer after that check: check again.")
# the marks (✔ ⚠ •) need 3:1 against the light and the dark theme alike: JupyterLab's light warn colour is 2.7:1 on
# white, so the warning mark is a darker orange (3.8:1 on white, 5.0:1 on the dark theme's #111)
_COLOURS = {OK: "var(--jp-success-color1, #388e3c)", WARN: "#e65100", INFO: "var(--jp-info-color1, #0288d1)"}
REASON_WORDS = 5
UNPICKED = -1  # a keyed choice not picked yet
LETTERS = "ABCDEFGH"  # a keyed choice's buttons, its options listed above them


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def feedback_html(lines: list[tuple[str, str]]) -> str:
    """Feedback lines (level, text) as HTML using JupyterLab theme colours; text is escaped, the result cleaned by
    ``sanitize.clean_html``."""
    items = "".join(
        f'<li style="color:{_COLOURS.get(level, _COLOURS[INFO])}">{"✔" if level == OK else "⚠" if level == WARN else "•"} '
        f'<span style="color:var(--jp-ui-font-color1)">{esc(text)}</span></li>'
        for level, text in lines
    )
    return clean_html(f'<ul style="list-style:none;padding-left:0;margin:4px 0">{items}</ul>')  # the course's one HTML path


def markdown_html(text: str) -> str:
    """Course markdown (a model answer) as HTML, as the facilitator edition shows it (tables included); raw HTML in it
    shown as text, never run, and the result cleaned by the course's allow-list (``sanitize.clean_html``)."""
    from markdown_it import MarkdownIt

    return clean_html(MarkdownIt("commonmark", {"html": False}).enable("table").render(str(text)))


def shown_order(choice: dict) -> list[int]:
    """A keyed choice's options in the order shown: fixed for the question (the same on every run and rebuild), and not
    the order written, so the right option is not always first."""
    opts = choice.get("options", [])
    return sorted(range(len(opts)), key=lambda i: hashlib.sha256(f"{choice.get('question', '')}|{opts[i]}".encode()).hexdigest())


def stored_key(key: str) -> tuple[dict, str]:
    """(this exercise's answer key from the key store, '') or ({}, one line saying why there is none). ``key`` is the
    widget's '<module>/<exercise>'; a widget without one (a worked example) has no key."""
    module, _, ex_id = str(key).partition("/")
    if not module or not ex_id:
        return {}, ""
    try:
        return stored_key_of(module, ex_id), ""
    except CourseError as exc:
        return {}, " ".join(str(exc).split())


def _lines(raw: Any) -> list[list[str]]:
    """Saved feedback as [level, text] pairs; anything else in a hand-edited file is dropped."""
    if not isinstance(raw, list):
        return []
    return [[str(x[0]), str(x[1])] for x in raw if isinstance(x, (list, tuple)) and len(x) == 2 and x[0] in (OK, WARN, INFO)]


class Exercise(W.VBox):
    """Base class. Subclasses implement ``build()``, ``read_inputs()``, ``show_answer()`` and ``evaluate()``,
    and put ``*self.footer()`` (check and model-answer buttons, feedback, override) at the end of their children."""

    answer = T.Dict(help="The learner's answer as plain JSON-able data (kernel side only)")
    feedback = T.List(help="Feedback lines as [level, text] pairs, from the last check()")
    done = T.Bool(False, help="True when the last check found nothing to fix: the checkable part is right")
    status = T.Unicode("", help="'done' (the checkable part is right), 'written' (kept with a reason the course cannot "
                               "check: shown as a reason, never as a pass) or '' (not finished)")
    checked = T.Bool(False, help="True once the answer has been checked at least once")
    attempted = T.Bool(False, help="True once an answer that differs from the untouched form was checked (unlocks the model answer)")
    overridable = T.Bool(False, help="True when the last check's only doubts came from a heuristic on free text")
    key = T.Unicode("", help="Where the answer is saved: '<module>/<exercise>'")

    title = "Exercise"
    kind = ""  # the exercise kind's registry name, saved with every answer as "_kind"

    def __init__(self, *, answers: Answers | None = None, key: str = "", solution: str | None = None,
                 keyed: list[dict] | None = None, **kw):
        super().__init__(**kw)
        self.key = key
        self.keyed_choices = [dict(c) for c in keyed or [] if isinstance(c, dict)]  # keyed choices: [{question, options}] + their key
        if self.keyed_choices and any("right" not in c for c in self.keyed_choices):  # the notebook's: the keys come from the key store
            stored = getattr(self, "_stored", None)
            if stored is None:
                stored, self._key_problem = stored_key(key)
                self._stored = stored
            keys = stored.get("keyed") if isinstance(stored.get("keyed"), list) else []
            for c, k in zip(self.keyed_choices, keys):
                if isinstance(k, dict):
                    c.update({f: k[f] for f in ("right", "misconceptions") if f in k})
        # lettered buttons, the options listed above them: Tab and Space pick one (radio buttons and dropdowns move with
        # arrow keys, which JupyterLab takes for cell navigation)
        self._choice_picks = [W.ToggleButtons(options=[(LETTERS[n], i) for n, i in enumerate(shown_order(c))], value=None,
                                              description="Your pick", tooltips=[f"{LETTERS[n]}. {c['options'][i]}" for n, i in enumerate(shown_order(c))],
                                              style={"button_width": "3em", "description_width": "6em"}) for c in self.keyed_choices]
        self._choice_box = W.VBox([w for c, pick in zip(self.keyed_choices, self._choice_picks)
                                   for w in (W.HTML(f"<b>{esc(c.get('question', ''))}</b><ul style='list-style:none;padding-left:1em;margin:2px 0'>"
                                                    + "".join(f"<li><b>{LETTERS[n]}.</b> {esc(c['options'][i])}</li>" for n, i in enumerate(shown_order(c)))
                                                    + "</ul>"), pick)])
        for pick in self._choice_picks:
            pick.observe(self._input_changed, names="value")
        if solution is None:  # the model answer stays out of the notebook: read from the key store at run time
            stored = getattr(self, "_stored", None)
            if stored is None:
                stored, self._key_problem = stored_key(key)
            solution = stored.get("solution")
        self.solution = None if solution is None else str(solution)
        self._answers = answers
        self._updating = False
        self._reason = ""
        self._feedback = W.HTML(layout=W.Layout(min_height="1.5em"))
        self._check_button = W.Button(description="Check", button_style="primary", tooltip="Check my answer")
        self._check_button.on_click(lambda _b: self.check())
        self._solution_button = W.Button(description="Show a model answer", disabled=True, layout=W.Layout(width="auto"),
                                         tooltip="Available after you check an answer of your own")
        self._solution_button.on_click(lambda _b: self.show_solution())
        self._solution_view = W.HTML()
        self._reason_box = W.Textarea(description="My reason", rows=2, continuous_update=False, layout=W.Layout(width="95%"),
                                      placeholder="Why your answer is right although the check is unsure (it goes into your brief)")
        mark = W.Button(description="Mark done with this reason", layout=W.Layout(width="max-content"))
        mark.on_click(lambda _b: self.mark_done(self._reason_box.value))
        self._override_box = W.VBox([self._reason_box, mark], layout=W.Layout(display="none"))
        self.build()
        self._untouched = self._shown_answer()  # the form as it opens: checking it unlocks no model answer
        self._solution_button.layout.display = None if self.solution_text() else "none"
        self.add_class("coursekit-exercise")
        saved = answers.get(key) if answers is not None and key else None
        # the saved answer, or what the inputs show: recorded, never written back on opening
        self.set_answer(saved if isinstance(saved, dict) else self._shown_answer(), save=False)
        if isinstance(saved, dict):
            self._restore(saved)
        if answers is not None and getattr(answers, "problem", ""):
            self.feedback = [*self.feedback, [WARN, answers.problem]]

    # --- to implement ---
    def build(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def read_inputs(self) -> dict:  # pragma: no cover - abstract
        """The answer as currently shown in the inputs."""
        raise NotImplementedError

    def show_answer(self, answer: dict) -> None:  # pragma: no cover - abstract
        """Put an answer into the inputs."""
        raise NotImplementedError

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def computed_solution(self) -> str | None:
        """A model answer the widget can work out itself (markdown), shown after the content's own."""
        return None

    # --- layout ---
    def footer(self) -> list[W.Widget]:
        return [self._choice_box, W.HBox([self._check_button, self._solution_button]), self._feedback, self._override_box,
                self._solution_view]

    # --- keyed choices: a verdict the course can check, beside any kind's own inputs ---
    def _shown_answer(self) -> dict:
        """The answer shown: the kind's inputs, and the keyed choices' picks (with the text picked, for the brief)."""
        out = self.read_inputs()
        if self.keyed_choices:
            out["keyed"] = [UNPICKED if p.value is None else p.value for p in self._choice_picks]
            out["keyed_text"] = [str(c["options"][p.value]) if p.value is not None else "" for c, p in zip(self.keyed_choices, self._choice_picks)]
        return out

    def _show_choices(self, answer: dict) -> None:
        picks = answer.get("keyed") if isinstance(answer, dict) and isinstance(answer.get("keyed"), list) else []
        for i, p in enumerate(self._choice_picks):
            v = picks[i] if i < len(picks) else UNPICKED
            p.value = v if v in [o[1] for o in p.options] and not isinstance(v, bool) else None

    def choice_lines(self, answer: dict) -> list[tuple[str, str]]:
        """Each keyed choice: right (OK), unpicked, or a wrong pick answered with the misconception it stands for."""
        picks = answer.get("keyed") if isinstance(answer.get("keyed"), list) else []
        lines = []
        for i, c in enumerate(self.keyed_choices):
            q, opts, right = c.get("question", "The choice"), c.get("options", []), c.get("right")
            mis = c.get("misconceptions") or [""] * len(opts)
            pick = picks[i] if i < len(picks) else UNPICKED
            if not isinstance(right, int):
                lines.append((WARN, f"{q} Cannot be checked: {getattr(self, '_key_problem', '') or 'no answer key'}."))
            elif not isinstance(pick, int) or isinstance(pick, bool) or not 0 <= pick < len(opts):
                lines.append((WARN, f"{q} Pick one."))
            elif pick == right:
                lines.append((OK, f"{q} {opts[pick]}: yes."))
            else:
                lines.append((WARN, f"{q} Not “{opts[pick]}”. The misconception behind that pick: "
                                    f"{str(mis[pick] if pick < len(mis) else '').rstrip('.')}. Look again."))
        return lines

    def header(self, text: str) -> W.HTML:
        return W.HTML(f"<h4 style='margin:4px 0'>{esc(self.title)}</h4><div>{esc(text)}</div>")

    # --- saving ---
    def _store(self, record: dict) -> bool:
        """Write this exercise's record; a failed save is shown in the widget, never raised."""
        if self._answers is None or not self.key:
            return True
        try:
            self._answers.set(self.key, {**record, "_kind": self.kind})
        except Exception as exc:  # noqa: BLE001 - the store may raise OSError or its own error; the learner must see it
            detail = " ".join(str(exc).split()) or type(exc).__name__
            msg = f"Your answer could not be saved ({detail}). Copy it somewhere safe; it is kept in this notebook until the kernel stops."
            if [WARN, msg] not in self.feedback:
                self.feedback = [*self.feedback, [WARN, msg]]
            return False
        return True

    def _input_changed(self, _change=None) -> None:
        if not self._updating:
            self.answer = self._shown_answer()

    def _watch(self, *widgets: W.Widget) -> None:
        for w in widgets:
            w.observe(self._input_changed, names="value")

    @T.observe("answer")
    def _save(self, change) -> None:
        if self._updating:
            return
        self.done, self.status = False, ""
        record: dict[str, Any] = {**change["new"], "_done": False, "_status": ""}
        if self.checked:  # keep the last check's feedback, marked as older than the answer
            record.update({"_feedback": [list(x) for x in self.feedback if list(x) != list(AGAIN)], "_stale": True})
            if not self.feedback or list(self.feedback[-1]) != list(AGAIN):
                self.feedback = [*self.feedback, AGAIN]  # the learner sees it now, not only after a restart
        self._store(record)

    @T.observe("feedback")
    def _render_feedback(self, change) -> None:
        self._feedback.value = feedback_html([tuple(x) for x in change["new"]])

    @T.observe("attempted")
    def _unlock_solution(self, change) -> None:
        self._solution_button.disabled = not change["new"]
        self._solution_button.tooltip = "See a model answer" if change["new"] else "Available after you check an answer of your own"

    @T.observe("overridable")
    def _show_override(self, change) -> None:
        self._override_box.layout.display = None if change["new"] else "none"

    def _restore(self, saved: dict) -> None:
        """Show the feedback saved with an answer (a restarted kernel): no new check, nothing written."""
        lines = _lines(saved.get("_feedback"))
        if not lines:
            return
        self.checked = True
        self.attempted = self._differs(self.answer)
        self.overridable = bool(saved.get("_overridable")) and not saved.get("_done")
        self._reason = str(saved.get("_reason", ""))
        self._reason_box.value = self._reason
        self.status = "" if saved.get("_stale") else status_of(saved)
        self.done = self.status == "done"
        if saved.get("_stale"):
            lines.append(list(AGAIN))
        self.feedback = lines

    def set_answer(self, answer: dict, *, save: bool = True) -> None:
        """Programmatic twin of typing: fill the inputs and record the answer (saved unless ``save=False``)."""
        self._updating = True
        try:
            self.show_answer(answer)
            self._show_choices(answer)
        finally:
            self._updating = False
        if save:
            self.answer = self._shown_answer()
        else:
            self._updating = True  # a restored answer is not written back
            try:
                self.answer = self._shown_answer()
            finally:
                self._updating = False

    def saved_extras(self) -> dict:
        """Extra data saved with a checked answer for the brief (e.g. the plan a tester built)."""
        return {}

    def _record(self) -> dict:
        rec = {**self.answer, **self.saved_extras(), "_done": self.done, "_status": self.status,
               "_feedback": [list(x) for x in self.feedback],
               "_overridable": self.overridable}
        if self._reason:
            rec["_reason"] = self._reason
        return rec

    def check(self) -> list[tuple[str, str]]:
        """Programmatic twin of the Check button: evaluate, show, save (one write) and return feedback."""
        self._updating = True  # the checked record below saves the answer: no separate write for it
        try:
            self.answer = self._shown_answer()
        finally:
            self._updating = False
        raw = self.evaluate(self.answer)
        if self.keyed_choices:
            raw = raw + self.choice_lines(self.answer)
        unsure = any(level == UNSURE for level, _ in raw)
        sure = any(level == WARN for level, _ in raw)
        lines = [(WARN if level == UNSURE else level, text) for level, text in raw]
        if unsure and not sure:
            lines.append((INFO, "The course cannot check the lines marked ⚠: if you are sure your answer is right, keep it "
                                "with your reason below (it goes into your brief as your reason, marked written, not done)."))
        self._reason = ""
        self.overridable = unsure and not sure
        self.done = bool(lines) and all(level != WARN for level, _ in lines)
        self.status = "done" if self.done else ""
        if self.done and self.rests_on_reasons():  # it passes only on reasons the course cannot check: written, not done
            self.done, self.status = False, "written"
        self.checked = True
        self.attempted = self.attempted or self._differs(self.answer)
        self.feedback = [list(x) for x in lines]
        if not self._store(self._record()):
            return [tuple(x) for x in self.feedback]  # the answer is right but unsaved: say so with it
        return lines

    def rests_on_reasons(self) -> bool:
        """True when a check with nothing to fix passes only on reasons the learner gave (kept, not checked)."""
        return False

    def mark_done(self, reason: str) -> list[tuple[str, str]]:
        """Programmatic twin of "Mark done with this reason": accepted only where the last check was unsure."""
        reason = " ".join(str(reason).split())
        base = [x for x in self.feedback if not x[1].startswith(("Kept as written", "A reason"))]
        if not self.overridable:
            why = "check first" if not self.checked else "the check found something definite to fix, not a doubt"
            self.feedback = [*base, [WARN, f"A reason cannot mark this done: {why}."]]
        elif bad := junk_reason(reason, REASON_WORDS):
            self.feedback = [*base, [WARN, f"A reason needs to say why your answer is right: {bad}."]]
        else:
            self._reason = reason
            self.done, self.status = False, "written"  # the course cannot check it: kept as the learner's reason, not a pass
            self.feedback = [*base, [INFO, f"Kept as written, with your reason (the course cannot check it): {reason}"]]
            self._store(self._record())
        return [tuple(x) for x in self.feedback]

    def _differs(self, answer: dict) -> bool:
        """Whether ``answer`` is the learner's own: anything but the form as it opened."""
        return {k: v for k, v in answer.items() if not str(k).startswith("_")} != \
            {k: v for k, v in self._untouched.items() if not str(k).startswith("_")}

    def solution_text(self) -> str:
        return "\n\n".join(x for x in (self.solution, self.computed_solution()) if x)

    def show_solution(self) -> str:
        """Programmatic twin of "Show a model answer": the model answer's markdown, shown after a first check."""
        if not self.attempted:
            self._solution_view.value = ("<p>Try it first: change the form to your own answer and check it, then compare with a "
                                         "model answer.</p>")
            return ""
        text = self.solution_text()
        self._solution_view.value = clean_html(f"<div style='border-left:3px solid var(--jp-brand-color1, #1976d2);padding-left:8px'>"
                                               f"<b>A model answer</b>{markdown_html(text)}</div>") if text else "<p>No model answer for this exercise.</p>"
        return text

    def report(self) -> str:
        """Check, then return the feedback as plain text, one line each: what notebooks print for nbval."""
        lines = self.check()
        return "\n".join(("OK   " if lvl == OK else "FIX  " if lvl == WARN else "NOTE ") + text for lvl, text in lines)

    # --- drawing only what someone can see ---
    _shown = False
    _stale = False

    def draw(self) -> None:
        """Render images (curves, diagrams). Subclasses with images override it."""

    _pending = False  # a first draw is queued on the kernel's loop (see _repr_mimebundle_)

    def redraw(self) -> None:
        """Redraw now if displayed, else when first displayed: unseen widgets (worked examples) skip the PNG work."""
        if self._shown:
            self._pending = False
            self.draw()
        else:
            self._stale = True

    def _repr_mimebundle_(self, **kwargs):
        """Shown: in a kernel the first draw runs just after this cell's output has gone out, so the widget appears
        at once and its images follow before the next cell runs (issue 27); outside a kernel (tests) it draws now."""
        self._shown = True
        if self._stale:
            self._stale = False
            self._pending = True
            if not after_this_cell(self._first_draw):
                self._pending = False
                self.draw()  # no kernel loop: draw now, and let an error raise as before
        return super()._repr_mimebundle_(**kwargs)

    def _first_draw(self) -> None:
        if not self._pending:  # a redraw came first
            return
        self._pending = False
        try:
            self.draw()
        except Exception as e:  # noqa: BLE001 - on the kernel's loop nobody would see it: the widget says it
            self.feedback = [*self.feedback, [WARN, f"The chart could not be drawn: {e}"]]


def after_this_cell(fn) -> bool:
    """Queue ``fn`` on a running kernel's event loop (it runs once the cell has sent its output, before the next cell);
    False when there is no kernel loop to queue on (plain Python, tests), so the caller runs it itself."""
    if "ipykernel" not in sys.modules:
        return False
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return False
    loop.call_soon(fn)
    return True


def clamped(w: W.Widget, v: Any, default: Any) -> Any:
    """``v`` if it is a number inside the bounded input ``w``, else ``default``, cast to the input's type."""
    ok = isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and w.min <= v <= w.max
    cast = int if isinstance(w, W.BoundedIntText) else float
    return cast(v) if ok else cast(default)
