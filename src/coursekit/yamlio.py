"""Safe YAML reading shared by every format: safe loader only, line numbers for errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from coursekit.errors import CourseError
from coursekit.io import read_text

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


MAX_ALIASES = 100  # alias uses (`*name`) per document: plain files need a handful
MAX_ALIAS_NODES = 10_000  # values aliases may add beyond those written out: stops "billion laughs"
MAX_DEPTH = 64  # nesting of mappings and lists


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_graph(root: yaml.Node, file: str | Path, line_offset: int) -> None:
    """Refuse self-referencing aliases, alias bombs and deep nesting, before any object is built.

    Walks the composed node graph (an alias is the same node reached twice) without recursion."""
    def bad(node: yaml.Node, problem: str, fix: str) -> CourseError:
        return CourseError.at(file, "yaml", problem, fix, node.start_mark.line + 1 + line_offset)

    size: dict[int, int] = {}  # expanded number of values under each node, once finished
    open_: set[int] = set()  # nodes on the current path
    aliases, written = 0, 0
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, finished = stack.pop()
        if finished:
            open_.discard(id(node))
            size[id(node)] = 1 + sum(size[id(c)] for c in _children(node))
            if size[id(node)] > written + MAX_ALIAS_NODES:
                raise bad(node, f"aliases expand to more than {written + MAX_ALIAS_NODES:,} values", "write the values out, without `*alias` chains")
            continue
        if id(node) in size:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise bad(node, f"more than {MAX_ALIASES} aliases", "write the values out instead of `*alias` references")
            continue
        if depth > MAX_DEPTH:
            raise bad(node, f"nested more than {MAX_DEPTH} levels deep", "flatten the file")
        if isinstance(node, yaml.MappingNode):
            _unique_keys(node, file, line_offset)
        written += 1
        open_.add(id(node))
        stack.append((node, depth, True))
        for child in _children(node):
            if id(child) in open_:
                raise bad(child, "an alias refers to a value that contains it", "remove the self-referencing `*alias`")
            stack.append((child, depth + 1, False))


MERGE_TAG = "tag:yaml.org,2002:merge"


def _unique_keys(node: yaml.MappingNode, file: str | Path, line_offset: int) -> None:
    """A key written twice in one mapping is refused: YAML keeps the last value silently, so the first is lost."""
    seen: dict[str, int] = {}
    for key, _value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.tag != MERGE_TAG:
            line = key.start_mark.line + 1 + line_offset
            if key.value in seen:
                raise CourseError.at(file, key.value, f"is written twice (first on line {seen[key.value]}); YAML would keep only the last",
                                     "keep one of them", line)
            seen[key.value] = line


TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


def _check_dates(loader: Any, root: yaml.Node, file: str | Path, line_offset: int) -> None:
    """A value YAML reads as a date but no calendar has (2027-02-30) is refused naming the file, the key and the line,
    not left to the loader's bare ValueError."""
    stack: list[tuple[yaml.Node, str]] = [(root, "date")]
    seen: set[int] = set()
    while stack:
        node, key = stack.pop()
        if id(node) in seen:  # an alias: the node was checked where it was anchored
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack += [(v, str(k.value) if isinstance(k, yaml.ScalarNode) else key) for k, v in node.value]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(v, key) for v in node.value]
        elif node.tag == TIMESTAMP_TAG:
            try:
                loader.construct_yaml_timestamp(node)
            except (ValueError, OverflowError) as exc:
                raise CourseError.at(file, key, f"{node.value!r} is not a date ({exc})", "write a real date as YYYY-MM-DD",
                                     node.start_mark.line + 1 + line_offset) from None


def _load(text: str, file: str | Path, line_offset: int) -> Any:
    """Compose, check the node graph, then construct plain data with the safe loader."""
    loader = SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_graph(node, file, line_offset)
        _check_dates(loader, node, file, line_offset)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def parse_mapping(text: str, file: str | Path, line_offset: int = 0) -> tuple[dict[str, Any], Mapping[str, int]]:
    """Parse YAML text that must be a mapping. Returns (data, line of each top-level key).

    Safe loader only; aliases limited in number and expansion, nesting in depth (``_check_graph``)."""
    try:
        data = _load(text, file, line_offset)
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
