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
import math
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
MAX_ANSWER_BYTES = 1_000_000  # one exercise's saved answer: a real one is a few kB
VERSION = 2  # 2: every answer says its exercise kind (``_kind``), which the capstone and the brief find answers by
EXPORT_FORMAT = "coursekit-answers"
# v1 answers that predate ``_kind``: the kind read off the answer's own fields (the first that fits)
_V1_KINDS = (("priorities", "priorities"), ("asks", "decisions"), ("lever", "hypothesis"), ("traces", "plan_audit"),
             ("accelerator", "plan_tester"), ("rows", "contradiction_map"), ("items", "checklist"))


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """A version-1 answers mapping as version 2: each answer without ``_kind`` gets the kind its fields say (a plan
    tester's ``accelerator``, a priorities form's ``priorities`` ...); the options editor's by its ``options`` rows."""
    out = {}
    for key, a in data.items():
        if isinstance(a, dict) and "_kind" not in a:
            kind = next((k for f, k in _V1_KINDS if f in a), None)
            if kind is None and isinstance(a.get("options"), list):
                kind = "scenario_editor"
            a = {**a, "_kind": kind} if kind else a
        out[key] = a
    return out


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


def _number(text: str) -> int | float | str:
    """A number in a saved answer as JSON writes it, unless no float can hold it (a hand-edited 400-digit number, 1e400):
    then the text itself, which every reader already treats as an odd answer, never a crash."""
    value = float(text)
    if not math.isfinite(value):
        return text
    return value if any(c in text for c in ".eE") else int(text)


def _parse(raw: bytes) -> dict[str, Any]:
    """The answers in a file's bytes; ValueError (with why) when they are not a coursekit answers file."""
    if not raw.strip():
        return {}  # an empty file (created, never written): nothing saved yet
    data = json.loads(raw.decode("utf-8"), parse_int=_number, parse_float=_number)
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        raise ValueError(f"JSON {type(data).__name__} without an 'answers' mapping")
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version > VERSION:
        raise ValueError(f"written by a newer coursekit (version {version!r}; this one reads {VERSION})")
    # one odd answer (hand-edited) is the widget's and the brief's to tolerate: the rest of the file stays in use
    return data["answers"] if version >= VERSION else migrate(data["answers"])


def _version(raw: bytes) -> int | None:
    try:
        v = json.loads(raw.decode("utf-8")).get("version", 1)
    except (ValueError, UnicodeDecodeError, AttributeError, RecursionError):
        return None
    return v if isinstance(v, int) and not isinstance(v, bool) else None


class Answers:
    """A learner's saved answers. ``problem`` says (one line) what is wrong with the file, if anything."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.problem = ""
        self._data: dict[str, Any] = {}
        self._pending: dict[str, Any] = {}  # set, not yet written (a save failed): retried with the next save
        self.reload()

    @classmethod
    def open(cls, learner: str | None = None, migrate: bool = True) -> Answers:
        """The learner's answers; an older answers file is migrated first (the original kept aside, ``migrate_file``).
        ``migrate=False`` for commands that only read (``coursekit export``): they read an older file as this version
        in memory and leave it as it is."""
        found = cls(answers_path(learner))
        if migrate and found.path.exists() and found.migrate_file() is not None:
            found.reload()
        return found

    def export(self, learner: str = "") -> dict[str, Any]:
        """Everything the learner has saved (their company included, in the options editor's answer) as one mapping
        ``import_answers`` takes back: a Binder session ends, a learner moves from a hub to a laptop."""
        return {"format": EXPORT_FORMAT, "version": VERSION, "learner": learner or self.path.stem, "answers": dict(self._data)}

    @staticmethod
    def parse_export(raw: bytes | str, source: str = "<import>") -> dict[str, Any]:
        """An exported answers file's bytes as the mapping ``import_answers`` takes; CourseError (one line: file, field,
        fix) when they are not JSON, nested too deeply, or hold NaN or Infinity (which no JSON reader but Python's takes,
        and which would then be written into the learner's file)."""
        def constant(name: str) -> Any:
            raise ValueError(f"{name} is not a JSON number")

        try:
            text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
            return json.loads(text, parse_constant=constant)
        except RecursionError:
            raise CourseError.at(source, "answers", "is nested too deeply to be an answers export",
                                 "import the file `coursekit answers export` wrote") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise CourseError.at(source, "answers", f"is not JSON ({' '.join(str(exc).split())[:80]})",
                                 "import the file `coursekit answers export` wrote") from None

    def import_answers(self, data: Any, source: str = "<import>") -> tuple[int, Path | None]:
        """Merge an exported answers mapping into this file; the imported answer wins where both have one. The file as it
        was is kept aside first (``<learner>.before-import-<time>.json``), so nothing is lost. Returns (answers taken,
        the copy kept aside or None when there was no file). CourseError (one line) when ``data`` is not an export."""
        if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT or not isinstance(data.get("answers"), dict):
            raise CourseError.at(source, "format", "is not a coursekit answers export", "export it with `coursekit answers export`")
        v = data.get("version")
        if not isinstance(v, int) or isinstance(v, bool) or v > VERSION:
            raise CourseError.at(source, "version", f"{v!r} is newer than this coursekit reads ({VERSION})", "upgrade coursekit, then import")
        taken = data["answers"] if v >= VERSION else migrate(data["answers"])
        for key, answer in taken.items():  # what a save refuses, an import refuses too: nothing is taken, nothing lost
            try:
                size = len(json.dumps(answer, ensure_ascii=False, allow_nan=False).encode("utf-8"))
            except ValueError:
                raise CourseError.at(source, str(key)[:80], "holds NaN or Infinity, not a number",
                                     "import the file `coursekit answers export` wrote") from None
            if size > MAX_ANSWER_BYTES:
                raise CourseError.at(source, str(key)[:80], f"is {size:,} bytes, more than the {MAX_ANSWER_BYTES:,} one answer "
                                     "may be", "import the file `coursekit answers export` wrote; nothing was imported")
        aside = None
        try:
            with file_lock(self.path):
                if self.path.exists():
                    aside = self.path.with_name(f"{self.path.stem}.before-import-{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}.json")
                    atomic_write(aside, self.path.read_bytes(), mode=0o600)
                current, why = self._read()
                merged = {**({} if why else current), **taken}
                atomic_write(self.path, json.dumps({"version": VERSION, "answers": merged}, indent=1, sort_keys=True, ensure_ascii=False), mode=0o600)
        except OSError as exc:
            raise SaveError(Problem(str(self.path), "answers", f"could not be imported into ({exc.strerror or exc})",
                                    "check the folder exists and is writable, or set COURSEKIT_HOME")) from None
        self.reload()
        return len(taken), aside

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

    def migrate_file(self) -> Path | None:
        """An older answers file rewritten in this version, the original kept aside as ``<learner>.v1.bak.json``
        (never overwritten: a later copy gets a number); the path kept aside, or None when nothing was migrated."""
        try:
            with file_lock(self.path):
                raw = self.path.read_bytes()
                old = _version(raw)
                if old is None or old >= VERSION:
                    return None
                data = _parse(raw)
                aside = self.path.with_name(f"{self.path.stem}.v{old}.bak.json")
                n = 1
                while aside.exists():
                    n += 1
                    aside = self.path.with_name(f"{self.path.stem}.v{old}.bak-{n}.json")
                atomic_write(aside, raw, mode=0o600)
                atomic_write(self.path, json.dumps({"version": VERSION, "answers": data}, indent=1, sort_keys=True, ensure_ascii=False), mode=0o600)
                return aside
        except (OSError, ValueError, UnicodeDecodeError):
            return None  # unreadable or not answers: reading reports it, and the first save keeps it aside

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

        Raises ``TypeError`` for a value JSON cannot hold, ``SaveError`` for one over ``MAX_ANSWER_BYTES`` (nothing kept
        to retry, so later saves work) and when the file cannot be written."""
        size = len(json.dumps(value, ensure_ascii=False).encode("utf-8"))  # refuse what cannot be saved before touching anything
        if size > MAX_ANSWER_BYTES:  # never kept to retry: one oversized answer must not fail every later save
            raise SaveError(Problem(str(self.path), key, f"is {size:,} bytes, more than the {MAX_ANSWER_BYTES:,} one answer may be",
                                    "shorten it (a pasted file belongs in your notes, not in an answer box)"))
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


DONE, WRITTEN = "done", "written"  # an exercise's status: its checkable part is right / kept with a reason the course cannot check


# The picks of a contradiction-map row that carry its verdict (issue 25): the two systems that disagree, the plan component,
# what pay does for what strategy asks. The money difference is the map's, asked once (``MAP_MONEY``): one number from the
# module's own case, not a fact about each priority. A map written without them (saved before they existed) is the
# learner's text, kept and shown, but never a pass.
MAP_VERDICT = ("pulls", "against", "component", "pays")
MAP_MONEY = "money"
_MAP_TEXT = (*SYSTEMS, "contradiction")


def map_money(record: Any) -> str:
    """A contradiction map's money difference as typed: its top-level ``money``, else (the shape saved per row before it was
    asked once per map, never released) the first row's that has one; '' when there is none."""
    if not isinstance(record, dict):
        return ""
    top = record.get(MAP_MONEY)
    if isinstance(top, str) and top.strip():
        return top.strip()
    rows = record.get("rows")
    for r in rows if isinstance(rows, list) else []:
        if isinstance(r, dict) and isinstance(r.get(MAP_MONEY), str) and r[MAP_MONEY].strip():
            return r[MAP_MONEY].strip()
    return ""


def _unchecked_map(record: dict) -> bool:
    """A contradiction map (``_kind``, or a version-1 record by its ``rows``) with a written row lacking a pick, or written
    rows and no money difference: kept as the learner's text, never done."""
    rows = record.get("rows")
    if record.get("_kind", "contradiction_map" if "rows" in record else None) != "contradiction_map" or not isinstance(rows, list):
        return False
    filled = lambda r, keys: [k for k in keys if isinstance(r.get(k), str) and r[k].strip()]  # noqa: E731
    written = [r for r in rows if isinstance(r, dict) and filled(r, _MAP_TEXT)]
    return any(len(filled(r, MAP_VERDICT)) < len(MAP_VERDICT) for r in written) or bool(written and not map_money(record))


def status_of(record: Any) -> str:
    """A saved answer's status: ``done`` only when its checkable part passed its check, ``written`` when the learner kept
    it with a reason the course cannot check (shown as a reason, never as a pass), else ``''``. A record changed since its
    check (``_stale``) has none; files from before statuses read ``_done`` with a ``_reason`` as written; a contradiction
    map saved ``done`` before its rows had their picks (``MAP_VERDICT``) or its money difference reads as written."""
    if not isinstance(record, dict) or record.get("_stale"):
        return ""
    st = record.get("_status")
    if st is None and record.get("_done") is True:
        st = WRITTEN if record.get("_reason") else DONE
    if st == DONE and _unchecked_map(record):
        return WRITTEN
    return st if st in (DONE, WRITTEN) else ""


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
    """One row per module: exercises started, written (kept with a reason the course cannot check) and done (the
    checkable part right), from the saved answers."""
    pd = course_pandas()

    rows = []
    for m in course:
        saved = answers.module(m["slug"])
        marks = [status_of(saved.get(e)) for e in m["exercises"]]
        started = sum(1 for e in m["exercises"] if e in saved)
        rows.append({"module": m["title"], "exercises": len(m["exercises"]), "started": started,
                     "written": marks.count(WRITTEN), "done": marks.count(DONE)})
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
