"""Safe YAML reading shared by every format: safe loader only, line numbers for errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from .errors import CourseError, read_text

# libyaml's SafeLoader where installed: the same safe subset, parsed in C
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class KeyLines(Mapping):
    """Line of each top-level key, composed only when an error message first asks for one."""

    def __init__(self, text: str, offset: int):
        self._text, self._offset, self._lines = text, offset, None

    def _all(self) -> dict[str, int]:
        if self._lines is None:
            self._lines = {k: v + self._offset for k, v in _key_lines(self._text).items()}
        return self._lines

    def __getitem__(self, key: str) -> int:
        return self._all()[key]

    def __iter__(self):
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def _key_lines(text: str) -> dict[str, int]:
    """Line (1-based) of each top-level key, for error messages. Never constructs objects."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(k.value): k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)
    }


def parse_mapping(text: str, file: str | Path, line_offset: int = 0) -> tuple[dict[str, Any], Mapping[str, int]]:
    """Parse YAML text that must be a mapping. Returns (data, line of each top-level key)."""
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 + line_offset if mark else None
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if "could not determine a constructor" in str(exc):
            what = "uses a YAML tag that is not allowed (only plain data is read)"
        raise CourseError.at(file, "yaml", f"invalid YAML: {what}", "fix the YAML syntax", line) from None
    except RecursionError:
        raise CourseError.at(file, "yaml", "YAML nested too deeply", "flatten the file") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise CourseError.at(
            file, "yaml", f"expected a mapping of fields, got {type(data).__name__}", "write `key: value` lines",
            1 + line_offset,
        )
    return {str(k): v for k, v in data.items()}, KeyLines(text, line_offset)


def load_mapping(path: str | Path, field: str = "file") -> tuple[dict[str, Any], dict[str, int]]:
    """Read and parse a YAML file that must hold a mapping."""
    return parse_mapping(read_text(path, field), path)


def plain(value: Any) -> Any:
    """YAML data reduced to JSON types: dates become ISO strings, tuples lists, keys strings."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
