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
NO_PICK = "— pick a contradiction you mapped —"


def _mark(i: int) -> str:
    """A button's letter: A to Z, then A2, B2, ..."""
    return chr(65 + i % 26) + (str(i // 26 + 1) if i >= 26 else "")


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
        # the verdict: one of the contradictions the learner mapped (consistency with their earlier work); the sentence is theirs
        # lettered buttons under the listed contradictions, not a dropdown: Tab and Space pick one (a focused dropdown lost
        # its arrow keys to JupyterLab's cells)
        self._fix_list = W.HTML()
        self._fix = W.ToggleButtons(options=[("none", "")], value="", description="Fix first",
                                    style={"description_width": "7em", "button_width": "3em"})
        self._watch(self._notes, self._fix)
        self.children = [self.header("Read back what you wrote in the earlier modules, then say what your plan fixes first."),
                         refresh, self._view, self._fix_list, self._fix, self._notes, *self.footer()]

    def _set_fix_options(self, pairs: list[tuple[str, str]]) -> None:
        """The Fix-first pick: "none", then one lettered button per contradiction, each listed with its letter above."""
        shown = [(label, value) for label, value in pairs if value]
        marks = [_mark(i) for i in range(len(shown))]
        self._fix.options = [("none", "")] + [(m, v) for m, (_label, v) in zip(marks, shown, strict=True)]
        self._fix.tooltips = ["no pick"] + [label for label, _v in shown]
        self._fix_list.value = ("<div><b>Your mapped contradictions:</b>" + "".join(
            f"<div style='margin-left:1em'><b>{m}.</b> {esc(label)}</div>" for m, (label, _v) in zip(marks, shown, strict=True)) + "</div>"
            if shown else "<div>No contradiction mapped yet: map one in an earlier module, then press Refresh.</div>")

    def read_inputs(self) -> dict:
        return {"notes": self._notes.value.strip(), "fix_first": self._fix.value}

    def show_answer(self, answer: dict) -> None:
        self._notes.value = str(answer.get("notes", "")) if isinstance(answer, dict) else ""
        pick = answer.get("fix_first") if isinstance(answer, dict) else ""
        opts = [v for _, v in self._fix.options]
        if isinstance(pick, str) and pick and pick not in opts:  # saved from a map since changed: kept, and said in the check
            self._set_fix_options([*self._fix_pairs(), (f"{pick[:100]} (no longer in your maps)", pick)])
        self._fix.value = pick if isinstance(pick, str) and pick in [v for _, v in self._fix.options] else ""

    def _fix_pairs(self) -> list[tuple[str, str]]:
        """(label, value) of each contradiction offered now, as the buttons' tooltips hold them."""
        return [(tip, v) for tip, (_l, v) in zip(self._fix.tooltips or [], self._fix.options, strict=False) if v]

    def mapped(self) -> list[str]:
        """The contradictions the learner wrote in their saved contradiction maps, in course order."""
        if self._answers is None:
            return []
        try:
            fresh = type(self._answers)(self._answers.path)
        except Exception:  # noqa: BLE001 - an unreadable file is reported by the store itself
            fresh = self._answers
        out: list[str] = []
        for k in fresh.keys():
            a = fresh.get(k)
            if k == self.key or not isinstance(a, dict) or a.get("_kind") != "contradiction_map":
                continue
            rows = a.get("rows") if isinstance(a.get("rows"), list) else []
            out += [" ".join(str(r.get("contradiction")).split()) for r in rows
                    if isinstance(r, dict) and isinstance(r.get("contradiction"), str) and r["contradiction"].strip()]
        return list(dict.fromkeys(out))

    def _offer(self) -> None:
        """Offer the mapped contradictions in the Fix-first pick (keeping the learner's pick)."""
        keep = self._fix.value
        updating, self._updating = self._updating, True
        try:
            self._set_fix_options([(m if len(m) <= 100 else m[:99] + "…", m) for m in self.mapped()])
            self._fix.value = keep if keep in [v for _, v in self._fix.options] else ""
        finally:
            self._updating = updating

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
        self._offer()
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
        self._offer()
        mapped = self.mapped()
        pick = answer.get("fix_first") or ""
        if not mapped:
            lines.append((WARN, "Map your contradictions first (module 1 or 4): what your plan fixes first is one of them."))
        elif pick not in mapped:
            lines.append((WARN, "Pick, under Fix first, the contradiction from your own maps that your plan fixes first."))
        else:
            lines.append((OK, f"Your plan fixes first: {pick}"))
        if bad := answer_problem(answer["notes"], 6, (self._notes.placeholder,)):
            lines.append((WARN, f"Say why that one, in your own words (it goes into your brief): {bad}."))
        else:
            lines.append((INFO, f"Why: {answer['notes']}"))
        if not self.rows():
            lines.append((INFO, "No earlier answers saved yet: the modules before this one fill this review."))
        return lines
