"""Typed exercise options: every option a dataclass field (typed, defaulted, documented on its line).
One checker serves `check` and `build` alike; an unknown option gets a did-you-mean."""

from __future__ import annotations

import types
import typing
from dataclasses import MISSING, fields, is_dataclass
from typing import Any, Union

from coursekit.errors import Problem, closest


def type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        return " or ".join(type_name(a) for a in typing.get_args(tp) if a is not type(None))
    if origin is list:
        return f"a list of {type_name(typing.get_args(tp)[0])}"
    if origin is dict:
        return "a mapping"
    if is_dataclass(tp):
        return "a mapping of " + ", ".join(f.name for f in fields(tp))
    return {str: "text", int: "a whole number", float: "a number", bool: "true or false"}.get(tp, getattr(tp, "__name__", str(tp)))


def _fits(value: Any, tp: Any) -> bool:
    """Does plain YAML data fit a type hint (str, int, float, bool, list[X], dict[K, V], X | None, Any)?"""
    if tp is Any:
        return True
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        return any(_fits(value, a) for a in typing.get_args(tp))
    if tp is type(None):
        return value is None
    if tp is bool:
        return isinstance(value, bool)
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if tp is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if tp is str:
        return isinstance(value, str)
    if origin is list:
        (item,) = typing.get_args(tp)
        return isinstance(value, list) and all(_fits(v, item) for v in value)
    if origin is dict:
        k, v = typing.get_args(tp)
        return isinstance(value, dict) and all(_fits(a, k) and _fits(b, v) for a, b in value.items())
    if is_dataclass(tp):
        return isinstance(value, dict)
    return isinstance(value, tp)


def parse_options(cls: type, raw: dict[str, Any], file: str, line: int | None, where: str) -> tuple[Any, list[Problem]]:
    """Build a kind's Options dataclass from the plain mapping a note wrote. Returns (options or None, problems).
    ``where`` names the entry in messages, e.g. "exercise 2 (checklist)"."""
    hints = typing.get_type_hints(cls)
    names = [f.name for f in fields(cls)]
    probs: list[Problem] = []
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in names:
            fix = closest(str(key), names) if names else f"{where.split(' (')[-1].rstrip(')')} takes no options"
            probs.append(Problem(file, "exercises", f"{where}: unknown option `{key}`", fix, line))
            continue
        tp = hints[key]
        if not _fits(value, tp):
            probs.append(Problem(file, "exercises", f"{where}: `{key}` must be {type_name(tp)}, got {value!r:.60}", "see the kind's options in coursekit/kinds/", line))
            continue
        inner = next((a for a in (tp, *typing.get_args(tp)) if is_dataclass(a)), None)
        if inner is not None and isinstance(value, dict):
            value, sub = parse_options(inner, value, file, line, f"{where} {key}")
            probs += sub
        values[key] = value
    for f in fields(cls):
        if f.default is MISSING and f.default_factory is MISSING and f.name not in values:  # type: ignore[misc]
            probs.append(Problem(file, "exercises", f"{where}: `{f.name}` is missing", f"add `{f.name}:`", line))
    if probs:
        return None, probs
    return cls(**values), []
