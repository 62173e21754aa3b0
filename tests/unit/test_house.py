"""The floor plan holds: one package per feature, one folder per exercise kind, the foundation alone at the top,
every import at the top of its module (function-level only for heavy libraries), no import cycle counting every
import (module level, function level, TYPE_CHECKING), and generated notebooks calling one facade."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coursekit.exercises import KINDS, widget_class

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
PKG = SRC / "coursekit"
FOUNDATION = {"errors", "io", "yamlio", "sanitize", "feedback", "answers", "keys"}
FACE = {"cli", "notebook", "compat"}  # the command line, the notebook API, the old paths' map
FEATURES = {"engine", "signals", "room", "brief", "capstone", "workshop", "notes", "assemble", "exercises"}
HEAVY = {"ipywidgets", "matplotlib", "pandas", "nbformat", "nbclient", "jupytext", "jsonschema", "traitlets", "PIL",
         "markdown_it"}  # kept off the fast path: the CLI, `check`, a kernel that has not shown that part yet


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PKG.rglob("*.py")}


def _target(mod: str, is_pkg: bool, node: ast.ImportFrom, name: str) -> str:
    if node.level:
        base = mod.split(".") if is_pkg else mod.split(".")[:-1]
        base = base[: len(base) - node.level + 1] if node.level > 1 else base
        src = ".".join(base + ([node.module] if node.module else []))
    else:
        src = node.module or ""
    return f"{src}.{name}" if f"{src}.{name}" in MODULES else src


def imports() -> list[tuple[str, str, str, int]]:
    """(importer, imported, where: module | function | type_checking, line) for every import of a coursekit module."""
    out = []
    for mod, path in MODULES.items():
        is_pkg = path.name == "__init__.py"

        def visit(node: ast.AST, where: str, mod: str = mod, is_pkg: bool = is_pkg) -> None:
            for child in ast.iter_child_nodes(node):
                here = where
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                    here = "function"
                if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                    here = "type_checking"
                if isinstance(child, ast.Import):
                    for a in child.names:
                        if a.name.split(".")[0] == "coursekit":
                            name = a.name
                            while name not in MODULES and "." in name:
                                name = name.rsplit(".", 1)[0]
                            out.append((mod, name, here, child.lineno))
                elif isinstance(child, ast.ImportFrom):
                    for a in child.names:
                        target = _target(mod, is_pkg, child, a.name)
                        if target.split(".")[0] == "coursekit":
                            out.append((mod, target, here, child.lineno))
                visit(child, here, mod, is_pkg)

        visit(ast.parse(path.read_text()), "module")
    return out


IMPORTS = imports()


def test_no_function_level_import_of_a_coursekit_module():
    inside = [f"{a} line {n} imports {b}" for a, b, where, n in IMPORTS if where == "function"]
    assert not inside, inside


def test_function_level_imports_are_only_of_heavy_libraries():
    found = []
    for mod, path in MODULES.items():
        for fn in ast.walk(ast.parse(path.read_text())):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for node in ast.walk(fn):
                    if isinstance(node, ast.Import):
                        names = [a.name for a in node.names]
                    elif isinstance(node, ast.ImportFrom) and node.level == 0:
                        names = [node.module or ""]
                    else:
                        continue
                    found += [f"{mod} line {node.lineno}: {n}" for n in names
                              if n.split(".")[0] not in HEAVY and n.split(".")[0] not in sys.stdlib_module_names]
    assert not found, f"function-level imports of light libraries (import them at the top): {found}"


def test_no_import_cycle_counting_every_import():
    graph: dict[str, set[str]] = {}
    for a, b, _where, _n in IMPORTS:
        if a != b and not b.startswith(a + "."):  # a package importing its own submodule is a path, not a cycle
            graph.setdefault(a, set()).add(b)
    cycles, index, low, stack, on, counter = [], {}, {}, [], set(), [0]

    def strong(v: str) -> None:  # Tarjan
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in list(graph):
        if v not in index:
            strong(v)
    assert not cycles, cycles


def test_the_top_level_is_the_foundation_and_the_faces():
    top = {p.stem for p in PKG.glob("*.py")} - {"__init__", "__main__"}
    packages = {p.name for p in PKG.iterdir() if (p / "__init__.py").exists()} - {"data"}
    assert len(top) <= 10 and top <= FOUNDATION | FACE, top
    assert packages == FEATURES, packages


def test_the_foundation_imports_no_feature():
    bad = [(a, b) for a, b, _w, _n in IMPORTS if a.split(".")[-1] in FOUNDATION and a.count(".") == 1
           and b.split(".")[1] in FEATURES]
    assert not bad, bad


def test_notes_import_nothing_from_exercises_and_the_engine_nothing_from_above():
    assert not [(a, b) for a, b, _w, _n in IMPORTS if a.startswith("coursekit.notes") and b.startswith("coursekit.exercises")]
    above = ("coursekit.exercises", "coursekit.brief", "coursekit.room", "coursekit.signals", "coursekit.assemble",
             "coursekit.workshop", "coursekit.capstone", "coursekit.notebook", "coursekit.cli")
    assert not [(a, b) for a, b, _w, _n in IMPORTS if a.startswith("coursekit.engine") and b.startswith(above)]


@pytest.mark.parametrize("name", sorted(KINDS))
def test_each_kind_is_one_folder_and_its_widget_takes_its_name_from_the_kind(name):
    kind = KINDS[name]
    folder = PKG / "exercises" / name
    assert (folder / "__init__.py").exists() and (folder / "kind.py").exists()
    cls = widget_class(kind.widget)
    assert cls.__name__ == kind.widget
    if (folder / "widget.py").exists():  # a kind with a widget of its own
        assert cls.__module__ == f"coursekit.exercises.{name}.widget" and cls.kind == name
        assert "kind = KIND.name" in (folder / "widget.py").read_text()


def test_a_widget_imports_its_own_kind_the_shared_base_and_the_layers_below_never_another_kinds_or_the_brief_or_room():
    bad = []
    for a, b, _w, n in IMPORTS:
        parts = a.split(".")
        if len(parts) == 4 and parts[1] == "exercises" and parts[3] == "widget":
            own = f"coursekit.exercises.{parts[2]}"
            other_kind = b.startswith("coursekit.exercises.") and b.split(".")[2] in KINDS and not b.startswith(own)
            if other_kind or b.startswith(("coursekit.brief", "coursekit.room", "coursekit.assemble", "coursekit.notebook")):
                bad.append(f"{a} line {n} imports {b}")
    assert not bad, bad


def test_the_registry_and_the_kinds_load_no_ipywidgets_nor_nbformat():
    code = ("import sys, coursekit.exercises, coursekit.notebook, coursekit.cli; "
            "print(sorted(m for m in ('ipywidgets', 'nbformat', 'pandas', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", out


def test_a_kernel_showing_an_exercise_loads_no_notebook_tooling_nor_the_brief():
    """What a module's setup cell and first exercise cost a kernel: the facade, the answers store, one widget."""
    code = ("import sys\nfrom coursekit import notebook as ex\nfrom coursekit.notebook import Answers\n"
            "ex.Checklist(items=['Map it'], answers=Answers.open(), key='m/action-1')\n"
            "print(sorted(m for m in ('nbformat', 'jsonschema', 'nbclient', 'jupytext', 'pandas', 'matplotlib', "
            "'coursekit.brief.compose', 'coursekit.room.gather', 'coursekit.assemble') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={**os.environ, "COURSEKIT_HOME": "/nonexistent-coursekit-home"})
    assert r.stdout.strip() == "[]", r.stdout


def _coursekit_imports(source: str) -> list[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:  # magics: not ours
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "coursekit"]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "coursekit":
            found += [node.module if node.module != "coursekit" else f"coursekit.{a.name}" for a in node.names]
    return found


def test_generated_notebooks_import_only_the_facade():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks
    seen = set()
    for nb in notebooks:
        for cell in json.loads(nb.read_text())["cells"]:
            if cell["cell_type"] == "code":
                seen |= set(_coursekit_imports("".join(cell["source"])))
    assert seen == {"coursekit.notebook"}, seen


def test_the_facade_lists_what_notebooks_call_and_every_name_resolves():
    from coursekit import notebook

    assert set(notebook.__all__) >= {k.widget for k in KINDS.values()} | {"Answers", "BriefButton", "RoomView"}
    for name in notebook.__all__:
        assert getattr(notebook, name) is not None, name
    with pytest.raises(AttributeError, match="a notebook may call"):
        notebook.NoSuchThing  # noqa: B018
