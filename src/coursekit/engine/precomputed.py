"""Results computed at build, out of a kernel's Run All: what depends only on the course's own scenario files.

``coursekit build`` writes one JSON file per note under ``coursekit/data/precomputed/<note>.json`` (beside the answer
keys, ``coursekit.keys``): ``{entry key: value}``. A widget that is about to compute such a result asks ``lookup`` with
the key of its inputs and uses the stored value when there is one; otherwise (a learner's own company, a changed plan,
a saved answer, an edited scenario) it computes live, as it always did. A stored value is only ever used for exactly
the inputs it was computed from, so a stale file can cost time, never show a wrong figure; ``coursekit build --check``
names a stale file, and a test holds every stored value equal to its live computation.

The entry key (``entry_key``) is the SHA-256 of, as sorted JSON:

- ``kind``: what is stored (e.g. ``"plan_tester.charts"``);
- ``inputs``: everything the computation reads, as plain data (plan dicts, options, the scenario's numbers, the
  chosen rep; for a report, a hash of its data);
- ``code``: ``code_hash(parts, dists)``, the SHA-256 of the bytes of the coursekit source files that compute the
  result (``parts``: files or folders under ``src/coursekit``, every ``.py`` in them) and of the installed versions of
  the distributions named in ``dists`` (matplotlib, which draws the charts; the lock pins it).

So a change of the scenario, the plan, the computing code or matplotlib's release gives a new key: the old entry is
not found and the result is computed live until the next build.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from coursekit.keys import changed_files, write_files

STORE_PACKAGE = "coursekit.data"
STORE_DIR = "precomputed"
ENV = "COURSEKIT_PRECOMPUTED"  # the test suite's private copy (conftest.py), as COURSEKIT_KEYS is for the keys
PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # src/coursekit


def store_dir() -> Path:
    """Where ``coursekit build`` writes the results: inside the installed package, or ``$COURSEKIT_PRECOMPUTED``."""
    return Path(os.environ.get(ENV) or str(resources.files(STORE_PACKAGE).joinpath(STORE_DIR)))


@cache
def code_hash(parts: tuple[str, ...], dists: tuple[str, ...] = ()) -> str:
    """SHA-256 of the named coursekit source files (every ``.py`` under a named folder, in path order) and the
    installed versions of ``dists``; computed once per process."""
    h = hashlib.sha256()
    for part in parts:
        base = PACKAGE_ROOT / part
        files = sorted(base.rglob("*.py")) if base.is_dir() else [base]
        for f in files:
            h.update(f.relative_to(PACKAGE_ROOT).as_posix().encode() + b"\0")
            h.update(f.read_bytes() + b"\0")
    for d in dists:
        try:
            v = metadata.version(d)
        except metadata.PackageNotFoundError:
            v = "-"
        h.update(f"{d}=={v}\0".encode())
    return h.hexdigest()


def entry_key(kind: str, inputs: Any, code: str) -> str:
    """The key of a stored result: SHA-256 of (kind, inputs, code) as sorted JSON (``default=str`` for the rest)."""
    text = json.dumps([kind, inputs, code], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def note_of(exercise_key: str) -> str:
    """The note of a widget's answer key ``'<module>/<exercise>'`` ("" for a widget with none: a worked example)."""
    note = exercise_key.split("/", 1)[0] if "/" in exercise_key else ""
    return "" if not note or note.startswith(".") or "\\" in note else note


_LOADED: dict[Path, tuple[int, dict[str, Any]]] = {}


def _note_store(note: str) -> dict[str, Any]:
    path = store_dir() / f"{note}.json"
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return {}
    cached = _LOADED.get(path)
    if cached is None or cached[0] != mtime:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        _LOADED[path] = cached = (mtime, data if isinstance(data, dict) else {})
    return cached[1]


_LIVE: list[bool] = []  # inside ``live()``: nothing is looked up


@contextmanager
def live() -> Iterator[None]:
    """Inside the block every ``lookup`` misses, so widgets compute everything live: what ``coursekit build`` stores is
    computed afresh, never read back from the files it replaces."""
    _LIVE.append(True)
    try:
        yield
    finally:
        _LIVE.pop()


def lookup(note: str, key: str) -> Any | None:
    """The stored result for ``key`` in ``note``'s file, or None (no note, no file, no entry, unreadable, or inside
    ``live()``): then the caller computes live. Never raises."""
    if not note or _LIVE:
        return None
    return _note_store(note).get(key)


def render(entries: dict[str, Any]) -> str:
    """One note's results as the bytes the build writes (sorted, so a rebuild is byte-identical)."""
    return json.dumps(entries, indent=0, sort_keys=True, ensure_ascii=False) + "\n"


def render_store(store: dict[str, dict[str, Any]], folder: Path | None = None) -> dict[Path, str]:
    """The files a build writes (path -> text) for ``store[note][entry key]``; a note with no entry writes none."""
    folder = folder or store_dir()
    return {folder / f"{note}.json": render(entries) for note, entries in sorted(store.items()) if entries}


def stale_store(store: dict[str, dict[str, Any]], folder: Path | None = None) -> list[str]:
    """The result files a build would change (missing or different)."""
    return [str(p) for p in changed_files(render_store(store, folder))]


def write_store(store: dict[str, dict[str, Any]], folder: Path | None = None) -> list[Path]:
    """Write the changed result files, all or none; returns the paths written."""
    return write_files(render_store(store, folder))


__all__ = ["code_hash", "entry_key", "live", "lookup", "note_of", "render", "render_store", "stale_store", "store_dir", "write_store"]
