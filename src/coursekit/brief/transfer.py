"""Take your answers with you: one button writes the learner's company and every answer to one file (and offers it
as a download), another reads such a file back in. A Binder session ends; a learner moves from a workshop hub to a
laptop. The same as ``coursekit answers export`` / ``coursekit answers import``; a problem is one line, never a
traceback, and an import keeps the answers file as it was aside first (``Answers.import_answers``)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import ipywidgets as W
import traitlets as T

from coursekit.answers import Answers, SaveError, home
from coursekit.errors import CourseError
from coursekit.exercises.widget import esc
from coursekit.io import atomic_write

MAX_IMPORT_BYTES = 5_000_000  # an answers export is a few kB; a real one never comes near


def answers_transfer(learner: str | None = None) -> W.Widget:
    """The start page's export and import buttons for the learner's answers; in their place one line saying why, when
    the learner's name cannot be used (``$COURSEKIT_LEARNER``)."""
    try:
        return AnswersTransfer(Answers.open(learner))
    except CourseError as exc:
        return W.HTML(esc(f"Your answers cannot be exported or imported: {' '.join(str(exc).split())}"))


class AnswersTransfer(W.VBox):
    """Export and import of the learner's answers (their company included). ``export()`` and ``import_bytes()`` are
    the buttons' programmatic twins."""

    exported = T.Unicode("", help="Where the last export went ('' until one succeeds)")
    message = T.Unicode("", help="What the last export or import did, or why it failed, in one line")

    def __init__(self, answers: Answers, out_dir: str | Path | None = None, **kw: Any):
        super().__init__(**kw)
        self._answers = answers
        self._out = Path(out_dir) if out_dir else home() / "export"
        self._export = W.Button(description="Export my answers", icon="download", tooltip="Your company and every answer, in one file",
                                layout=W.Layout(width="auto"))
        self._upload = W.FileUpload(accept=".json", multiple=False, description="Import answers", layout=W.Layout(width="auto"))
        self._status = W.HTML()
        self._export.on_click(lambda _b: self.export())
        self._upload.observe(self._uploaded, names="value")
        self.children = [W.HTML("<b>Take your answers with you</b>: export them before a hosted session ends; import them on "
                                "the next machine (your answers there are kept aside first)."),
                         W.HBox([self._export, self._upload]), self._status]

    def export(self) -> Path | None:
        """Programmatic twin of Export: write the file, offer it as a download; the path, or None with why in ``message``."""
        self._answers.reload()
        data = self._answers.export()
        path = self._out / f"{self._answers.path.stem}-answers.json"
        text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False)
        try:
            self._out.mkdir(parents=True, exist_ok=True)
            atomic_write(path, text, mode=0o600)
        except OSError as exc:
            return self._say(f"Could not write {path}: {exc.strerror or exc}. Set COURSEKIT_HOME to a folder you can write.", None)
        self.exported = str(path)
        link = base64.b64encode(text.encode("utf-8")).decode("ascii")
        self._say(f"Wrote {len(data['answers'])} answers to {path}.", path)
        self._status.value += (f' <a download="{esc(path.name)}" href="data:application/json;base64,{link}">Download {esc(path.name)}</a>')
        return path

    def import_bytes(self, raw: bytes, name: str = "answers.json") -> int | None:
        """Programmatic twin of Import: merge an exported file's bytes into the learner's answers; how many were taken,
        or None with why in ``message``. Run the modules' cells again to see them in the widgets."""
        if len(raw) > MAX_IMPORT_BYTES:
            return self._say(f"{name} is {len(raw):,} bytes, not an answers export: import the file Export wrote.", None)
        try:
            n, aside = self._answers.import_answers(Answers.parse_export(raw, name), name)
        except (CourseError, SaveError) as exc:
            return self._say(" ".join(str(exc).split()), None)
        kept = f" Your answers as they were are kept as {aside.name}." if aside else ""
        return self._say(f"Imported {n} answers from {name}.{kept} Run each module's cells again to see them.", n)

    def _uploaded(self, change: dict) -> None:
        files = change["new"]
        if files:
            f = files[0]
            self.import_bytes(bytes(f["content"]), str(f.get("name") or "answers.json"))

    def _say(self, text: str, result: Any) -> Any:
        self.message = text
        self._status.value = esc(text)
        return result
