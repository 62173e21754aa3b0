"""Acting as other Unix users in the room's tests (a facilitator and two learners with no account: setpriv needs none)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from benchmarks.kit.briefs import sample_brief as brief

from coursekit.room.exchange import INBOUND_MODE

LEARNER_A, LEARNER_B, FACILITATOR = 61001, 61002, 61003
needs_users = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"),
                                 reason="needs root and setpriv to act as other Unix users")


def make_exchange(path: Path, mode: int = INBOUND_MODE, uid: int = 0, gid: int = 0) -> Path:
    path.mkdir()
    os.chown(path, uid, gid)
    path.chmod(mode)
    return path


def as_user(uid: int, *args: str, gid: int | None = None, groups: tuple[int, ...] = (), env: dict | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess:
    """``coursekit ARGS`` in a real process as ``uid`` (its own group, or ``gid``; extra ``groups``)."""
    who = [f"--reuid={uid}", f"--regid={gid if gid is not None else uid}"]
    who += [f"--groups={','.join(map(str, groups))}"] if groups else ["--clear-groups"]
    return subprocess.run(["setpriv", *who, sys.executable, "-m", "coursekit", *args], capture_output=True, text=True,
                          env={"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", **(env or {})}, timeout=timeout)


def learner_home(shared: Path, name: str, uid: int) -> tuple[Path, dict]:
    """A learner's own home with their exported brief in it; returns (brief file, environment)."""
    home = shared / f"home-{name}"
    (home / "brief" / name).mkdir(parents=True)
    (home / "brief" / name / "decision-brief.json").write_text(json.dumps(brief(name)))
    for p in (home, home / "brief", home / "brief" / name, home / "brief" / name / "decision-brief.json"):
        os.chown(p, uid, uid)
    return home / "brief" / name / "decision-brief.json", {"COURSEKIT_HOME": str(home), "COURSEKIT_LEARNER": name}
