"""The diagnostic bank's place in the answer-key store (``coursekit.keys``): ``content/diagnostic.yaml`` compiled to
``key("diagnostic", "bank")``. Each exercise's own key comes from its kind (``Kind.key_of``; ``assemble.run.key_store``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coursekit.exercises.quiz.kind import BANK_ID, BANK_NOTE, bank_key, load_bank


def bank_store(content: Path) -> tuple[dict[str, dict[str, dict[str, Any]]], list]:
    """(store, problems): ``{"diagnostic": {"bank": ...}}`` when the course has a bank, and the bank's problems."""
    bank, problems = load_bank(Path(content))
    return ({BANK_NOTE: {BANK_ID: bank_key(bank)}} if bank else {}), problems
