"""Hand in a brief: copy its JSON into the room's exchange folder, one file per learner, atomically.

The exchange (``$COURSEKIT_EXCHANGE``) works as nbgrader's inbound folder on a shared hub file system:
the folder is writable and enterable by every learner but not listable (mode 1733: sticky, so nobody
can delete another's file), and each learner's file has a name with a random part kept in their own
``~/.coursekit/handin-id``, so others cannot guess it. A second hand-in replaces the first.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
import tempfile
from pathlib import Path
from typing import Any

from coursekit.answers import SAFE_NAME, home
from coursekit.errors import CourseError
from coursekit.room.gather import SCHEMA_PREFIX

EXCHANGE_ENV = "COURSEKIT_EXCHANGE"
INBOUND_MODE = 0o1733  # owner: all; others: write and enter, not list; sticky
FILE_MODE = 0o644  # the facilitator reads it; its name is not guessable


def exchange_dir(exchange: str | Path | None = None) -> Path:
    where = exchange or os.environ.get(EXCHANGE_ENV)
    if not where:
        raise ValueError(f"no exchange folder: set {EXCHANGE_ENV} or pass --exchange DIR (the facilitator gives it)")
    return Path(where)


def _handin_id() -> str:
    path = home() / "handin-id"
    if path.exists():
        value = path.read_text(encoding="utf-8").strip()
        if len(value) == 32 and all(c in "0123456789abcdef" for c in value):
            return value
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(16)
    path.write_text(value + "\n", encoding="utf-8")
    return value


def handin(brief: dict[str, Any], learner: str, exchange: str | Path | None = None) -> Path:
    """Write ``brief`` (``decision_brief.to_json()``) as this learner's file in the exchange; returns its path."""
    if not isinstance(brief, dict) or not str(brief.get("schema", "")).startswith(SCHEMA_PREFIX):
        raise ValueError("brief: not a coursekit brief (export it first: coursekit export)")
    if not SAFE_NAME.match(learner) or learner.startswith("."):
        raise ValueError(f"learner name {learner!r}: use letters, digits, dot, dash or underscore")
    folder = exchange_dir(exchange)
    if not folder.exists():
        folder.mkdir(parents=True)
        os.chmod(folder, INBOUND_MODE)
    elif not folder.is_dir():
        raise ValueError(f"{folder}: the exchange is not a folder (ask the facilitator for the exchange path)")
    target = folder / f"{learner}-{_handin_id()}.json"
    fd, tmp = tempfile.mkstemp(prefix=".handin-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(brief, f, ensure_ascii=False, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def handin_file(path: str | Path, learner: str, exchange: str | Path | None = None) -> Path:
    """Hand in the brief's JSON at ``path`` (what ``coursekit export`` wrote). CourseError for a missing or unreadable
    file, ValueError (one line, with the fix) for no exchange or a file that is not a brief; returns where it went."""
    path = Path(path)
    if not path.is_file():
        raise CourseError.at(path, "brief", "no brief here", "export your brief first (the button or coursekit export), or pass --brief FILE")
    try:
        brief = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise CourseError.at(path, "brief", "is not readable JSON", "export your brief again") from None
    return handin(brief, learner, exchange)


def is_inbound(folder: Path) -> bool:
    """True when the folder has the exchange's permissions (others may write, not list)."""
    mode = stat.S_IMODE(folder.stat().st_mode)
    return mode & 0o033 == 0o033 and not mode & 0o044
