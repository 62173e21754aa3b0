"""Keep JupyterLab's command-mode keys off the course's widgets: writes ``overrides.json`` beside this file.

JupyterLab runs a notebook's command-mode shortcuts (ArrowDown, J, X, A, B, D D, ...) when the focused element is
anywhere in a notebook in command mode, and a focused widget button is no text box, so the notebook stays in command
mode: a keyboard learner who pressed an arrow key on a toggle button moved the notebook's active cell away from the
exercise, and X cut the exercise's cell. Each such shortcut is disabled and added again with ``:not(.jupyter-widgets *)``
on its selector, so it works as before everywhere but inside a widget. ``make install`` copies the file to the venv's
``share/jupyter/lab/settings/`` (JupyterLab's ``overrides.json`` for a whole installation), Binder's postBuild to its
Python's; ``tests/unit/test_widget_shortcuts.py`` regenerates it from the installed JupyterLab's schema and compares,
so an upgrade that adds a command-mode shortcut is caught. Run ``python jupyter-config/lab-settings/widget_shortcuts.py``
after ``make lock`` if that test fails.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

COMMAND_MODE = ".jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) :focus"
OUTSIDE_WIDGETS = ":not(.jupyter-widgets *)"
HERE = Path(__file__).resolve().parent
TRACKER = Path("share", "jupyter", "lab", "schemas", "@jupyterlab", "notebook-extension", "tracker.json")


def overrides(tracker: dict) -> dict:
    """The overrides for the notebook tracker's schema: every keyed command-mode shortcut, off, then on again outside widgets."""
    shortcuts = []
    for s in tracker.get("jupyter.lab.shortcuts", []):
        if s.get("selector") == COMMAND_MODE and s.get("keys") and not s.get("disabled"):
            shortcuts += [{**s, "disabled": True}, {**s, "selector": COMMAND_MODE + OUTSIDE_WIDGETS}]
    return {"@jupyterlab/shortcuts-extension:shortcuts": {"shortcuts": shortcuts}}


def render(prefix: str = sys.prefix) -> str:
    return json.dumps(overrides(json.loads((Path(prefix) / TRACKER).read_text())), indent=1) + "\n"


if __name__ == "__main__":
    (HERE / "overrides.json").write_text(render())
