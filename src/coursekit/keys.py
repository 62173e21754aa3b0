"""Answer keys, out of the learner's notebook: `coursekit build` writes one JSON file per note under
``coursekit/data/keys/<note>.json`` (exercise id -> that exercise's key dict) and the widgets read them
here at run time. This is deterrence, not secrecy: a kernel can read package data, and that is fine.

    key("priority-encoding-via-pay", "action-1")  # -> {"solution": "...", ...}
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

from coursekit.errors import CourseError
from coursekit.io import atomic_write_all

KEYS_PACKAGE = "coursekit.data"
KEYS_DIR = "keys"
_FIX = "run `coursekit build` to write the answer keys, then re-run the notebook"


def keys_dir() -> Path:
    """The folder ``coursekit build`` writes the keys into: inside the installed package, or ``$COURSEKIT_KEYS``
    (the test suite's own copy, so a test building another course never touches the package's keys)."""
    return Path(os.environ.get("COURSEKIT_KEYS") or str(resources.files(KEYS_PACKAGE).joinpath(KEYS_DIR)))


def _load(note: str) -> dict[str, Any]:
    where = f"coursekit/data/keys/{note}.json"
    if not note or "/" in note or "\\" in note or note.startswith("."):
        raise CourseError.at(where, "note", f"{note!r} is not a module slug", "pass the notebook's MODULE")
    path = keys_dir() / f"{note}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CourseError.at(where, "keys", "no answer keys for this module", _FIX) from None
    except (OSError, ValueError):
        raise CourseError.at(where, "keys", "the answer keys cannot be read", _FIX) from None
    if not isinstance(data, dict):
        raise CourseError.at(where, "keys", "the answer keys are not a JSON object", _FIX)
    return data


def note_keys(note: str) -> dict[str, Any]:
    """Every exercise's key of one note (exercise id -> key dict)."""
    return _load(note)


def key(note: str, exercise_id: str) -> dict:
    """The key dict of one exercise; a one-line CourseError when the file or the exercise is missing (stale)."""
    data = _load(note)
    found = data.get(exercise_id)
    if not isinstance(found, dict):
        raise CourseError.at(f"coursekit/data/keys/{note}.json", exercise_id, "no answer key for this exercise (stale keys)", _FIX)
    return found


def render_keys(keys: dict[str, dict[str, Any]]) -> str:
    """One note's keys as the bytes the build writes (sorted, so a rebuild is byte-identical)."""
    return json.dumps(keys, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def render_store(store: dict[str, dict[str, dict[str, Any]]], folder: Path | None = None) -> dict[Path, str]:
    """The key files a build writes (path -> text) for ``store[note][exercise id]``, in ``folder`` or ``keys_dir()``."""
    folder = folder or keys_dir()
    return {folder / f"{note}.json": render_keys(keys) for note, keys in sorted(store.items())}


def stale_store(store: dict[str, dict[str, dict[str, Any]]], folder: Path | None = None) -> list[str]:
    """The key files a build would change (missing or different)."""
    return [str(p) for p in changed_files(render_store(store, folder))]


def write_store(store: dict[str, dict[str, dict[str, Any]]], folder: Path | None = None) -> list[Path]:
    """Write the changed key files, all or none; returns the paths written."""
    return write_files(render_store(store, folder))


def changed_files(files: dict[Path, str]) -> dict[Path, str]:
    """Of the files a build writes (path -> text), those missing or different on disk (the answer keys, and the
    precomputed results: ``coursekit.engine.precomputed``)."""
    return {p: text for p, text in files.items() if not _same(p, text)}


def write_files(files: dict[Path, str]) -> list[Path]:
    """Write the changed ``files``, all or none (their folder made first); returns the paths written."""
    changed = changed_files(files)
    if changed:
        next(iter(changed)).parent.mkdir(parents=True, exist_ok=True)
        atomic_write_all(changed, mode=0o644)
    return list(changed)


def _same(path: Path, text: str) -> bool:
    try:
        return path.read_text(encoding="utf-8") == text
    except (OSError, ValueError):
        return False


__all__ = ["changed_files", "key", "keys_dir", "note_keys", "render_keys", "render_store", "stale_store", "write_files", "write_store"]
