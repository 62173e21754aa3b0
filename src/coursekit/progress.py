"""Saved answers: one JSON file per learner, written atomically, never silently overwritten.

Location: ``$COURSEKIT_HOME/answers/<learner>.json`` (default ``~/.coursekit``); the learner name
comes from ``$COURSEKIT_LEARNER`` (default ``me``). Keys are ``<module slug>/<exercise id>``.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any

SAFE_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def home() -> Path:
    return Path(os.environ.get("COURSEKIT_HOME") or Path.home() / ".coursekit")


def answers_path(learner: str | None = None) -> Path:
    learner = learner or os.environ.get("COURSEKIT_LEARNER") or "me"
    if not SAFE_NAME.match(learner) or learner.startswith("."):
        raise ValueError(f"learner name {learner!r}: use letters, digits, dot, dash or underscore")
    return home() / "answers" / f"{learner}.json"


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so a reader sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Answers:
    """A learner's saved answers. ``problem`` says if a corrupt file was set aside on open."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.problem = ""
        self._data: dict[str, Any] = {}
        if self.path.exists():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if not isinstance(data, dict) or not isinstance(data.get("answers", {}), dict):
                    raise ValueError("not a coursekit answers file")
                self._data = data.get("answers", {})
            except (ValueError, UnicodeDecodeError, OSError) as exc:
                aside = self.path.with_name(f"{self.path.stem}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}.json")
                self.path.replace(aside)
                self.problem = f"{self.path}: answers: could not be read ({type(exc).__name__}); kept aside as {aside.name}, starting fresh"

    @classmethod
    def open(cls, learner: str | None = None) -> Answers:
        return cls(answers_path(learner))

    def get(self, key: str, default: Any = None) -> Any:
        return self._data.get(key, default)

    def set(self, key: str, value: Any) -> None:
        json.dumps(value)  # refuse what cannot be saved before touching the file
        self._data[key] = value
        atomic_write(self.path, json.dumps({"version": 1, "answers": self._data}, indent=1, sort_keys=True, ensure_ascii=False))

    def keys(self) -> list[str]:
        return sorted(self._data)

    def module(self, slug: str) -> dict[str, Any]:
        """Answers of one module, by exercise id."""
        pre = slug + "/"
        return {k[len(pre):]: v for k, v in self._data.items() if k.startswith(pre)}


def progress_frame(answers: Answers, course: list[dict]):
    """One row per module: exercises started and done (a check passed), from the saved answers."""
    import pandas as pd

    rows = []
    for m in course:
        saved = answers.module(m["slug"])
        done = sum(1 for e in m["exercises"] if isinstance(saved.get(e), dict) and saved[e].get("_done"))
        started = sum(1 for e in m["exercises"] if e in saved)
        rows.append({"module": m["title"], "exercises": len(m["exercises"]), "started": started, "done": done})
    return pd.DataFrame(rows).set_index("module")
