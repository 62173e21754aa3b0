"""Saved answers: one JSON file per learner, merged on every save, never silently overwritten.

Location: ``$COURSEKIT_HOME/answers/<learner>.json`` (default ``~/.coursekit``); the learner name
comes from ``$COURSEKIT_LEARNER`` (default ``me``). Keys are ``<module slug>/<exercise id>``; each
value is a dict (what the exercise saved).

Several notebooks (kernels) of one learner may be open at once. Each save therefore takes the lock
file ``<learner>.json.lock`` (created exclusively, which works on the NFS home folders hubs use),
re-reads the file, changes only its own keys, and writes the whole file atomically. One file with a
lock rather than one file per module: the start page, the review and the brief read every module at
once, and two notebooks of the same module (a copy, a restart) would still race on one file.

A file that cannot be used (not JSON, or JSON of another shape) is never overwritten: reading only
reports it (``Answers.problem``; reads never move files); the first save moves it aside as
``<learner>.corrupt-<time>-<random>.json`` and starts fresh. A save that fails raises ``SaveError``
(one line: file, what failed, the fix); the answer stays in memory and goes with the next save.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from pathlib import Path
from typing import Any

from coursekit.errors import CourseError, Problem
from coursekit.io import atomic_write, file_lock

# The four systems a sales organization runs, as answers name them: the columns of a contradiction-map row and the
# owners the capstone asks for a decision (key, as people say it). Written here once.
OWNERS = (("strategy", "Strategy"), ("planning", "Planning"), ("enablement", "Enablement"), ("comp", "Comp"))
SYSTEMS = tuple(key for key, _ in OWNERS)
SAFE_NAME = re.compile(r"^\w[\w.-]{0,63}$")  # letters (any script), digits, _ . -; no separators, no control characters
VERSION = 1


class SaveError(CourseError):
    """An answer could not be saved. ``str()`` is one line naming the file, the problem and the fix."""


def home() -> Path:
    return Path(os.environ.get("COURSEKIT_HOME") or Path.home() / ".coursekit")


def learner_name(learner: str | None = None) -> str:
    """The learner's name (argument, else ``$COURSEKIT_LEARNER``, else ``me``); refuses unsafe names."""
    source = "--learner" if learner else "COURSEKIT_LEARNER"
    name = learner or os.environ.get("COURSEKIT_LEARNER") or "me"
    if not SAFE_NAME.match(name) or not name.isprintable():
        raise CourseError.at(source, "learner", f"{name!r} is not a usable name",
                             "use up to 64 letters, digits, dots, dashes or underscores")
    return name


def brief_dir(learner: str | None = None) -> Path:
    """Where the learner's exported brief goes: a folder of their own, so learners sharing one account never
    overwrite each other's brief (``coursekit handin`` reads it from there)."""
    return home() / "brief" / learner_name(learner)


def answers_path(learner: str | None = None) -> Path:
    return home() / "answers" / f"{learner_name(learner)}.json"


def _parse(raw: bytes) -> dict[str, Any]:
    """The answers in a file's bytes; ValueError (with why) when they are not a coursekit answers file."""
    if not raw.strip():
        return {}  # an empty file (created, never written): nothing saved yet
    data = json.loads(raw.decode("utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        raise ValueError(f"JSON {type(data).__name__} without an 'answers' mapping")
    version = data.get("version", VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version > VERSION:
        raise ValueError(f"written by a newer coursekit (version {version!r}; this one reads {VERSION})")
    # one odd answer (hand-edited) is the widget's and the brief's to tolerate: the rest of the file stays in use
    return data["answers"]


class Answers:
    """A learner's saved answers. ``problem`` says (one line) what is wrong with the file, if anything."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.problem = ""
        self._data: dict[str, Any] = {}
        self._pending: dict[str, Any] = {}  # set, not yet written (a save failed): retried with the next save
        self.reload()

    @classmethod
    def open(cls, learner: str | None = None) -> Answers:
        return cls(answers_path(learner))

    def _read(self) -> tuple[dict[str, Any], str]:
        """(answers on disk, why the file cannot be used or ''). Raises OSError when it cannot be read at all."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}, ""
        try:
            return _parse(raw), ""
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            return {}, " ".join(str(exc).split())[:120] or type(exc).__name__

    def reload(self) -> None:
        """Read the file again (other notebooks may have saved since). Never moves or writes files."""
        try:
            data, why = self._read()
        except OSError as exc:
            self.problem = str(Problem(str(self.path), "answers", f"cannot be read ({exc.strerror or exc})",
                                       "check the file's permissions, or set COURSEKIT_HOME to a folder you own"))
            data = {}
        else:
            self.problem = str(Problem(str(self.path), "answers", f"is not a coursekit answers file ({why})",
                                       "it will be kept aside on the next save and a fresh file started")) if why else ""
        self._data = {**data, **self._pending}

    def get(self, key: str, default: Any = None) -> Any:
        return self._data.get(key, default)

    def set(self, key: str, value: Any) -> None:
        """Save one answer: under the lock, re-read the file, change only this key (and any unsaved ones), write.

        Raises ``TypeError`` for a value JSON cannot hold, ``SaveError`` when the file cannot be written."""
        json.dumps(value)  # refuse what cannot be saved before touching anything
        self._pending[key] = value
        self._data[key] = value
        try:
            with file_lock(self.path):
                data, why = self._read()
                if why:  # kept aside, and the fresh file starts from every answer this notebook knows
                    data = {k: v for k, v in self._data.items() if k not in self._pending}
                    aside = self._set_aside()
                    self.problem = str(Problem(str(self.path), "answers", f"was not a coursekit answers file ({why})",
                                               f"kept aside as {aside.name}; saving to a fresh file"))
                data.update(self._pending)
                text = json.dumps({"version": VERSION, "answers": data}, indent=1, sort_keys=True, ensure_ascii=False)
                atomic_write(self.path, text, mode=0o600)
        except OSError as exc:
            raise SaveError(Problem(str(self.path), "answers", f"could not be saved ({exc.strerror or exc})",
                                    "check the folder exists and is writable, or set COURSEKIT_HOME")) from None
        self._pending.clear()
        self._data = data

    def _set_aside(self) -> Path:
        """Move the unusable file to a name no other file has (called under the lock)."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        while True:
            aside = self.path.with_name(f"{self.path.stem}.corrupt-{stamp}-{secrets.token_hex(4)}.json")
            if not aside.exists():
                os.replace(self.path, aside)
                return aside

    def keys(self) -> list[str]:
        return sorted(self._data)

    def module(self, slug: str) -> dict[str, Any]:
        """Answers of one module, by exercise id."""
        pre = slug + "/"
        return {k[len(pre):]: v for k, v in self._data.items() if k.startswith(pre)}


def course_pandas():
    """pandas, imported when the course first builds a table, with learners' sentences shown whole (up to 120
    characters a cell). A module's setup cell no longer imports pandas: that cost every kernel 1 to 3 s before its
    first exercise showed (issue 27)."""
    import pandas as pd

    if not _PANDAS_SET:
        pd.set_option("display.max_colwidth", 120)
        _PANDAS_SET.append(True)
    return pd


_PANDAS_SET: list[bool] = []  # set once per kernel, so a learner's own pd.set_option afterwards holds


def progress_frame(answers: Answers, course: list[dict]):
    """One row per module: exercises started and done (a check passed), from the saved answers."""
    pd = course_pandas()

    rows = []
    for m in course:
        saved = answers.module(m["slug"])
        done = sum(1 for e in m["exercises"] if isinstance(saved.get(e), dict) and saved[e].get("_done"))
        started = sum(1 for e in m["exercises"] if e in saved)
        rows.append({"module": m["title"], "exercises": len(m["exercises"]), "started": started, "done": done})
    return pd.DataFrame(rows).set_index("module")


def start_page_progress(course: list[dict], learner: str | None = None):
    """The start page's progress cell: the learner's progress table, after one line saying what is wrong with their
    answers file (``Answers.problem``) or their learner name, if anything; never a traceback. None when no table can be shown."""
    try:
        answers = Answers.open(learner)
    except CourseError as exc:  # COURSEKIT_LEARNER is not a usable name
        print(f"Your progress cannot be shown: {' '.join(str(exc).split())}")
        return None
    if answers.problem:
        print(f"Your answers file has a problem: {answers.problem}")
    return progress_frame(answers, course)
