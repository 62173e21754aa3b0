"""Course material as content: objectives, key points, per-assumption consequences, per-pitfall
misconceptions and facilitator notes, from the front matter or the sidecar `content/<slug>.course.yaml`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from coursekit.errors import Checker, CourseError, Problem, closest
from coursekit.io import read_text
from coursekit.notes.model import Facilitator, Material
from coursekit.yamlio import parse_mapping

MATERIAL_KEYS = ("objectives", "key_points", "assumptions", "pitfalls", "facilitator")
SIDECAR_KEYS = (*MATERIAL_KEYS, "exercises", "quiz")  # quiz: the retrieval quiz's items (read by the quiz kind)
FACILITATOR_KEYS = ("model_answer", "prompts", "expect")
COUNTS = {"objectives": (3, 4), "key_points": (3, 5)}
SIDECAR_SUFFIX = ".course.yaml"


def sidecar_path(note_path: Path) -> Path:
    return note_path.with_name(note_path.stem + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> tuple[dict[str, Any], Mapping[str, int], list[Problem]]:
    """The sidecar's mapping (empty when there is none) and its unknown-key problems."""
    if not path.exists():
        return {}, {}, []
    try:
        data, lines = parse_mapping(read_text(path, "sidecar"), path)
    except CourseError as exc:
        return {}, {}, exc.problems
    probs = [Problem(str(path), str(k), "unknown key", closest(str(k), list(SIDECAR_KEYS)), lines.get(k)) for k in data if k not in SIDECAR_KEYS]
    return {k: v for k, v in data.items() if k in SIDECAR_KEYS}, lines, probs


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) and x.strip() for x in value)


def material(data: dict[str, Any], lines: Mapping[str, int], file: str, n_assumptions: int, n_pitfalls: int) -> tuple[Material, list[Problem]]:
    """Check the material keys of a mapping (front matter or sidecar)."""
    chk = Checker(file, lines)  # the one validation kit
    probs, bad = chk.problems, chk.bad

    out: dict[str, Any] = {}
    for key, want in (("objectives", None), ("key_points", None), ("assumptions", n_assumptions), ("pitfalls", n_pitfalls)):
        if key not in data:
            continue
        v = data[key]
        if not _texts(v):
            bad(key, "must be a list of sentences", f'write `{key}: ["...", "..."]`')
            continue
        lo, hi = COUNTS.get(key, (want, want))
        if not lo <= len(v) <= hi:
            what = f"{lo}-{hi}" if lo != hi else f"{lo} (one per item under `## {key.capitalize()}`, in order)"
            bad(key, f"has {len(v)} item(s), needs {what}", f"write {what} items")
            continue
        out[key] = tuple(v)
    fac: dict[str, Facilitator] = {}
    raw = data.get("facilitator", {})
    if not isinstance(raw, dict):
        bad("facilitator", "must map exercise ids to notes", "write `facilitator: {action-1: {model_answer: \"...\"}}`")
        raw = {}
    for ex_id, item in raw.items():
        if not isinstance(item, dict):
            bad("facilitator", f"{ex_id}: must be a mapping", "give `model_answer`, `prompts`, `expect`")
            continue
        unknown = [k for k in item if k not in FACILITATOR_KEYS]
        if unknown:
            bad("facilitator", f"{ex_id}: unknown key `{unknown[0]}`", closest(str(unknown[0]), list(FACILITATOR_KEYS)))
            continue
        ans, prompts, expect = item.get("model_answer", ""), item.get("prompts", []), item.get("expect", "")
        if not isinstance(ans, str) or not isinstance(expect, str) or not (prompts == [] or _texts(prompts)):
            bad("facilitator", f"{ex_id}: model_answer and expect must be text, prompts a list of text", "quote the values")
            continue
        fac[str(ex_id)] = Facilitator(ans, tuple(prompts), expect)
    return Material(**out, facilitator=fac), probs
