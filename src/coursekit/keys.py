"""The answer-key store: keys live in package data, never in a learner notebook, and load at run time.

``src/coursekit/data/keys/<note>.json`` is a JSON object mapping an exercise id to that exercise's key (a dict).
``coursekit build`` writes the files from the content sidecars (``write_store``) and ``build --check`` reports the
ones that differ (``stale_store``). A learner's kernel can read package data: this is deterrence, not secrecy."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from coursekit.errors import CourseError
from coursekit.io import atomic_write_all

FOLDER = "keys"


def store_dir() -> Path:
    """Where the build writes the key files (the package's own data folder)."""
    return Path(str(resources.files("coursekit.data").joinpath(FOLDER)))


def key(note: str, exercise_id: str) -> dict[str, Any]:
    """The key of one exercise of one note. One-line CourseError when the store has none (rebuild the course)."""
    res = resources.files("coursekit.data").joinpath(FOLDER, f"{note}.json")
    where = f"coursekit/data/{FOLDER}/{note}.json"
    try:
        data = json.loads(res.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CourseError.at(where, exercise_id, f"no answer key ({type(exc).__name__})", "run `coursekit build` to write the keys") from None
    found = data.get(exercise_id) if isinstance(data, dict) else None
    if not isinstance(found, dict):
        raise CourseError.at(where, exercise_id, "no answer key for this exercise", "run `coursekit build` to write the keys")
    return found


def render_store(store: dict[str, dict[str, dict[str, Any]]]) -> dict[str, str]:
    """File name -> text, stable (sorted keys) so a rebuild with no change writes nothing."""
    return {f"{note}.json": json.dumps(keys, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
            for note, keys in sorted(store.items()) if keys}


def stale_store(store: dict[str, dict[str, dict[str, Any]]], folder: Path | None = None) -> list[str]:
    """The key files that a build would change (missing or different)."""
    folder = folder or store_dir()
    return [str(folder / name) for name, text in render_store(store).items()
            if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text]


def write_store(store: dict[str, dict[str, dict[str, Any]]], folder: Path | None = None) -> list[Path]:
    """Write the changed key files, all or none. Returns the paths written."""
    folder = folder or store_dir()
    changed = {folder / name: text for name, text in render_store(store).items()
               if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text}
    if changed:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_all(changed, mode=0o644)
    return list(changed)


__all__ = ["key", "render_store", "stale_store", "store_dir", "write_store"]
