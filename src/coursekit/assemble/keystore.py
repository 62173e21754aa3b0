"""The answer-key store a build writes (``coursekit.keys``): each exercise's key by note and exercise id, from the
kinds that have one (``Kind.keys``), and the diagnostic bank from ``content/diagnostic.yaml``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coursekit.exercises.kind import Planned
from coursekit.exercises.quiz.kind import BANK_ID, BANK_NOTE, bank_key, load_bank


def course_keys(planned: dict[str, list[Planned]], content: Path) -> tuple[dict[str, dict[str, dict[str, Any]]], list]:
    """(store, problems): ``store[note][exercise id]`` is that exercise's key."""
    store: dict[str, dict[str, dict[str, Any]]] = {}
    for slug, ps in planned.items():
        for p in ps:
            k = getattr(p.kind, "keys", None)
            found = k(p) if callable(k) else None
            if found is not None:
                store.setdefault(slug, {})[p.id] = found
    bank, problems = load_bank(content)
    if bank:
        store[BANK_NOTE] = {BANK_ID: bank_key(bank)}
    return store, problems
