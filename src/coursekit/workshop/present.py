"""Present mode: the course as an app (Voila), on loopback, under a throwaway identity."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path

from coursekit.io import atomic_write

PRESENTER = "presenter"
PRESENT_TEMPLATE = "coursekit-present"  # Voila's lab template without its CDN stylesheets
PRESENT_TEMPLATES = Path(str(files("coursekit") / "data" / "jupyter"))  # put on JUPYTER_PATH for Voila to find it
LIVE = "The widgets are live: change a value and the results follow."
_RUN_ALL = re.compile(r"(^|[.!?](?:\*\*)?\s+)([^.!?\n]*Run All Cells[^.!?\n]*[.!?])", re.MULTILINE)
_SAVED = re.compile(r" ?[^.!?\n]*[Yy]our answers are saved[^.!?\n]*[.!?]")  # a presenter's are thrown away


def present_text(markdown: str) -> str:
    """A learner's instructions (run every cell; your answers are saved) turned into what an audience sees in an app."""
    return _SAVED.sub("", _RUN_ALL.sub(lambda m: m[1] + LIVE, markdown))


def present_environment(home: str | Path, base: Mapping[str, str]) -> dict[str, str]:
    """Environment for the presenting server and its kernels: the ``presenter`` learner, answers under
    ``home`` (never the presenter's own), and ``COURSEKIT_PRESENT=1`` for cells that want to know."""
    return {**base, "COURSEKIT_HOME": str(home), "COURSEKIT_LEARNER": PRESENTER, "COURSEKIT_PRESENT": "1"}


def present_copy(notebooks: str | Path, dest: str | Path) -> list[str]:
    """Copy the course's notebooks into ``dest`` for presenting (flat, so links between them work),
    with "Run All Cells" instructions replaced. Returns the notebook names."""
    names = []
    for src in sorted(Path(notebooks).glob("*.ipynb")):
        nb = json.loads(src.read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            if cell.get("cell_type") == "markdown":
                text = "".join(cell["source"]) if isinstance(cell.get("source"), list) else cell.get("source", "")
                cell["source"] = present_text(text)
        atomic_write(Path(dest) / src.name, json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
        names.append(src.name)
    return names
