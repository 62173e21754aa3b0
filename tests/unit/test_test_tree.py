"""The test tree stands on helpers, not on itself: no file under tests/ imports a test module (shared code lives in
helper modules: tests/helpers.py, tests/browser/pages.py, the data modules), and benchmarks/ imports nothing from
tests/ (what both use is benchmarks/kit)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import ROOT


def imports(source: str, package: tuple[str, ...]) -> list[tuple[int, str]]:
    """Every module ``source`` (a file of ``package``) imports, as ``(line, dotted name)``, relative imports resolved;
    ``from X import name`` also counts ``X.name`` (it may be a module). Imports inside functions count too."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            module = ".".join([*base, *([node.module] if node.module else [])])
            found += [(node.lineno, module)] + [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def file_imports(path: Path) -> list[tuple[int, str]]:
    return imports(path.read_text(encoding="utf-8"), path.relative_to(ROOT).parent.parts)


def python_files(folder: str) -> list[Path]:
    return sorted(p for p in (ROOT / folder).rglob("*.py") if "__pycache__" not in p.parts)


def is_test_module(dotted: str) -> bool:
    """A name inside ``tests`` that goes through a ``test_*`` module."""
    parts = dotted.split(".")
    return parts[0] == "tests" and any(p.startswith("test_") for p in parts[1:])


def test_the_import_reader_sees_every_form():
    source = ("import tests.unit.test_a\nfrom .test_b import x\nfrom . import test_c\nfrom ..unit.test_d import y\n"
              "from .pages import run_all\n\n\ndef f():\n    from tests.helpers import ROOT\n")
    names = [name for _, name in imports(source, ("tests", "browser"))]
    assert [n for n in names if is_test_module(n)] == ["tests.unit.test_a", "tests.browser.test_b", "tests.browser.test_b.x",
                                                       "tests.browser.test_c", "tests.unit.test_d", "tests.unit.test_d.y"]
    assert {"tests.browser.pages.run_all", "tests.helpers.ROOT"} <= set(names)
    assert not is_test_module("coursekit.exercises.plan_tester.tests") and not is_test_module("tests.helpers")


def test_no_file_under_tests_imports_a_test_module():
    found = [f"{p.relative_to(ROOT)}:{line}: {name}" for p in python_files("tests") for line, name in file_imports(p)
             if is_test_module(name)]
    assert found == []


def test_benchmarks_import_nothing_from_tests():
    found = [f"{p.relative_to(ROOT)}:{line}: {name}" for p in python_files("benchmarks") for line, name in file_imports(p)
             if name == "tests" or name.startswith("tests.")]
    assert found == []
