"""The learner's workspace: their own copy of the course notebooks, outside the tracked files.

``make lab`` serves ``workspace/`` (git-ignored), so working through the course never changes
``notebooks/`` (which ``coursekit build --check`` compares with what a build writes). ``sync``
creates the workspace on first start; on a later start it brings in new and changed modules the way
nbgitpuller does on a hub, never overwriting a notebook the learner changed:

* a notebook not in the workspace (new, or deleted by the learner) is copied in;
* a notebook the learner has not changed is replaced by the new version;
* a notebook the learner changed keeps their version; when the course's version changed too, the new
  one is put beside it as ``NAME.updated.ipynb`` and the report says so;
* an odd entry (a folder or a link where a notebook was, a dangling link, a notebook that cannot be read) is
  skipped and named in the report, and the rest are synced, so ``make lab`` still opens.

"Changed" compares cell types and sources only: running a notebook (outputs, execution counts,
widget state) is not a change, since answers live in the saved-answers file, not the notebook.
What was last given is recorded in ``.coursekit-workspace.json`` in the workspace. The folder layout
is flat, like ``notebooks/``, so the notebooks' relative links (course map, next module) work.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from coursekit.errors import CourseError
from coursekit.io import atomic_write

MANIFEST = ".coursekit-workspace.json"


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)  # (learner's notebook, new version beside it)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (notebook, why): an odd entry, named and left alone

    def lines(self) -> list[str]:
        out = [f"added {n}" for n in self.added] + [f"updated {n} (you had not changed it)" for n in self.updated]
        out += [f"kept your changed {mine}; the course's new version is beside it as {new}" for mine, new in self.kept]
        out += [f"skipped {n}: {why}" for n, why in self.skipped]
        return out


def fingerprint(data: bytes) -> str:
    """What the learner could change in a notebook: each cell's type and source (not outputs or metadata)."""
    try:
        nb = json.loads(data.decode("utf-8"))
        cells = [[c.get("cell_type"), "".join(c["source"]) if isinstance(c.get("source"), list) else c.get("source")]
                 for c in nb["cells"]]
        payload = json.dumps(cells, ensure_ascii=False).encode("utf-8")
    except (ValueError, UnicodeDecodeError, KeyError, TypeError, AttributeError):
        payload = data  # not a notebook we can read: compare the bytes
    return hashlib.sha256(payload).hexdigest()


def _manifest(workspace: Path) -> dict[str, str]:
    try:
        data = json.loads((workspace / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none yet (or unreadable): every notebook already there counts as the learner's
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _beside(workspace: Path, name: str, manifest: dict[str, str], new: str) -> str | None:
    """Name for the new version beside a learner's notebook; None if it is already there."""
    stem = name.removesuffix(".ipynb")
    for i in range(1, 1000):
        cand = f"{stem}.updated.ipynb" if i == 1 else f"{stem}.updated-{i}.ipynb"
        path = workspace / cand
        if not path.exists():
            return cand
        have = fingerprint(path.read_bytes())
        if have == new:
            return None  # already beside it
        if manifest.get(cand) == have:
            return cand  # our earlier copy, untouched: replace it
    raise CourseError.at(workspace, "workspace", f"too many updated copies of {name}", "remove old *.updated-*.ipynb files")


def _odd(path: Path, where: str, missing_ok: bool = False) -> str | None:
    """Why ``path`` is no notebook file to read or replace (a folder, a link, a dangling link, a device), else None."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None if missing_ok else f"it is gone from {where}"
    except OSError as exc:
        return f"it cannot be reached {where} ({exc.strerror or exc})"
    if stat.S_ISDIR(st.st_mode):
        return f"a folder is where the notebook was {where}: move it away to get the notebook"
    if stat.S_ISLNK(st.st_mode):
        gone = not path.exists()
        return f"{'a dangling link' if gone else 'a link'} is where the notebook was {where}: remove it to get the notebook"
    if not stat.S_ISREG(st.st_mode):
        return f"something that is not a file is where the notebook was {where}: remove it to get the notebook"
    return None


def _sync_one(source: Path, workspace: Path, name: str, manifest: dict[str, str], report: SyncReport) -> None:
    data = (source / name).read_bytes()
    new, dest, given = fingerprint(data), workspace / name, manifest.get(name)
    if not dest.exists():
        atomic_write(dest, data)
        report.added.append(name)
    else:
        have = fingerprint(dest.read_bytes())
        if have == new:
            report.unchanged.append(name)
        elif given is not None and have == given:
            atomic_write(dest, data)
            report.updated.append(name)
        elif given == new:
            report.unchanged.append(name)  # the learner changed it; the course did not
            return
        else:
            cand = _beside(workspace, name, manifest, new)
            if cand:
                atomic_write(workspace / cand, data)
                manifest[cand] = new
                report.kept.append((name, cand))
    manifest[name] = new


def sync(source: str | Path, workspace: str | Path) -> SyncReport:
    """Create or update ``workspace`` from the notebooks in ``source``; see the module docstring."""
    source, workspace = Path(source), Path(workspace)
    names = sorted(p.name for p in source.glob("*.ipynb")) if source.is_dir() else []
    if not names:
        raise CourseError.at(source, "--notebooks", "holds no notebooks", "run `coursekit build` first, or give the notebooks folder")
    if workspace.resolve() == source.resolve():
        raise CourseError.at(workspace, "--dir", "is the notebooks folder itself", "give a separate folder, e.g. workspace")
    try:
        workspace.mkdir(parents=True, exist_ok=True)
        manifest, report = _manifest(workspace), SyncReport()
        for name in names:
            why = _odd(source / name, "in the course's notebooks") or _odd(workspace / name, "in your workspace", missing_ok=True)
            if why:
                report.skipped.append((name, why))
                continue
            try:
                _sync_one(source, workspace, name, manifest, report)
            except OSError as exc:  # one notebook that cannot be read or written: named, the others still synced
                report.skipped.append((name, f"cannot be copied ({exc.strerror or exc})"))
        atomic_write(workspace / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    except OSError as exc:
        raise CourseError.at(exc.filename or workspace, "workspace", f"cannot be written ({exc.strerror or exc})",
                             "check the folder's permissions or give another with --dir") from None
    return report
