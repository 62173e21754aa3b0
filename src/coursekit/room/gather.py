"""The room's briefs at a glance: read a folder of handed-in briefs (``coursekit handin``) and aggregate them.

A brief is the JSON of ``decision_brief.to_json()`` (``schemas/brief.schema.json``, ``"schema":
"coursekit-brief/1"``). Reading is defensive: every field is checked for its type before use, a brief
from another version of the course contributes what it has, and a file that is not a brief is reported
in one line (file, field, fix) and left out. Learner names are left out unless asked for. All learner
text reaches the HTML through ``html.escape``.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

SCHEMA_PREFIX = "coursekit-brief/"
SYSTEMS = ("strategy", "planning", "enablement", "comp")
OWNERS = ("Strategy", "Planning", "Enablement", "Comp")
MAX_BYTES = 2_000_000  # a real brief is a few kB
TOP = 5


@dataclass
class Room:
    briefs: int = 0
    problems: list[str] = field(default_factory=list)
    versions: Counter = field(default_factory=Counter)
    learners: list[str] = field(default_factory=list)
    named: dict[str, Counter] = field(default_factory=lambda: {s: Counter() for s in (*SYSTEMS, "contradiction")})
    changes: dict[str, dict[str, list]] = field(default_factory=lambda: defaultdict(lambda: {"passed": [], "cost": []}))
    hypotheses: list[str] = field(default_factory=list)
    asks: dict[str, list[str]] = field(default_factory=lambda: {o: [] for o in OWNERS})
    filled: Counter = field(default_factory=Counter)
    headings: dict[str, str] = field(default_factory=dict)


def _text(v: Any) -> str:
    return " ".join(v.split())[:500] if isinstance(v, str) else ""


def _key(v: str) -> str:
    """Sentences that differ only in case, spacing or a final full stop count as one."""
    return re.sub(r"[\s.!]+$", "", v.casefold())


def _pct(v: Any) -> Decimal | None:
    try:
        return Decimal(v.replace(",", "")) if isinstance(v, str) else None
    except InvalidOperation:
        return None


def read_brief(path: Path) -> dict[str, Any]:
    """One brief; raises ValueError naming the field and the fix."""
    if path.stat().st_size > MAX_BYTES:
        raise ValueError(f"size: {path.stat().st_size} bytes is not a brief (fix: hand in the file `coursekit export` wrote)")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"json: not readable ({type(exc).__name__}) (fix: hand in again with `coursekit handin`)") from None
    if not isinstance(data, dict):
        raise ValueError("top level: not an object (fix: hand in the file `coursekit export` wrote)")
    schema = data.get("schema")
    if not isinstance(schema, str) or not schema.startswith(SCHEMA_PREFIX):
        raise ValueError(f"schema: {str(schema)[:40]!r} is not a coursekit brief (fix: export the brief again with this course)")
    if not isinstance(data.get("sections"), list):
        raise ValueError("sections: missing or not a list (fix: export the brief again)")
    return data


def _add(room: Room, data: dict[str, Any]) -> None:
    room.versions[data["schema"]] += 1
    room.learners.append(_text(data.get("learner")) or "?")
    for sec in data["sections"]:
        if not isinstance(sec, dict) or not isinstance(sec.get("id"), str):
            continue
        sid, d = sec["id"], sec.get("data") if isinstance(sec.get("data"), dict) else {}
        room.headings.setdefault(sid, _text(sec.get("heading")) or sid)
        room.filled[sid] += sec.get("filled") is True
        if sid == "contradictions":
            for row in d.get("contradictions") or []:
                for s in room.named:
                    if isinstance(row, dict) and _text(row.get(s)):
                        room.named[s][_key(_text(row.get(s)))] += 1
        elif sid == "plans":
            aligned = d.get("aligned") if isinstance(d.get("aligned"), dict) else {}
            pop = d.get("population") if isinstance(d.get("population"), dict) else {}
            cost = _pct((pop.get("proposed") or {}).get("cost_of_sales_pct")) if isinstance(pop.get("proposed"), dict) else None
            for change in d.get("changes") or []:
                if _text(change):
                    room.changes[_text(change)]["passed"].append(aligned.get("proposed") is True)
                    if cost is not None:
                        room.changes[_text(change)]["cost"].append(cost)
        elif sid == "hypothesis" and _text(d.get("sentence")):
            room.hypotheses.append(_text(d.get("sentence")))
        elif sid == "decisions":
            for a in d.get("asks") or []:
                if isinstance(a, dict) and a.get("owner") in room.asks and _text(a.get("ask")):
                    room.asks[a["owner"]].append(_text(a.get("ask")))


def gather(folder: str | Path) -> Room:
    """Every ``*.json`` in ``folder`` (not below it); a file that is not a brief becomes one line in ``problems``."""
    room = Room()
    for path in sorted(Path(folder).glob("*.json")):
        try:
            if not path.is_file() or path.is_symlink():
                raise ValueError("file: not a regular file (fix: hand in with `coursekit handin`)")
            data = read_brief(path)
            _add(room, data)
            room.briefs += 1
        except (ValueError, OSError, TypeError, AttributeError) as exc:
            room.problems.append(f"{path}: {' '.join(str(exc).split())}")
    return room
