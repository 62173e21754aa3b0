"""Floor notebooks: what a course notebook costs without the course's computations.

A module's floor keeps its setup cell (the imports, the answers store), imports pandas and matplotlib (every module
shows tables and charts) and every widget class and helper the module names (their modules, as the facade loads
them), then shows one small plain-ipywidgets tree (a heading, a text
area, a button) in place of each exercise. Worked examples, scenario set-up and the exercises' own work (tests,
smallest-change searches, simulations) are left out: the ratio of the module's Run All to its floor's is what the
course computes, not what Jupyter, the libraries and the widgets cost.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
FACADE = "coursekit.notebook"
# what a module may show its tables and charts with, imported by the course when it first needs them: the floor imports
# up front those of them the module's own Run All imported (``LOADED_PROBE``, its last cell in one untimed run), so the ratio is the
# course's own work and not these libraries' import, and a library the course no longer needs (its charts precomputed at
# build) is not in the floor either
SHOWS_WITH = ("pandas", "matplotlib.pyplot", "matplotlib.figure")
LOADED_PROBE = f"import sys\nprint(' '.join(m for m in {SHOWS_WITH!r} if m in sys.modules))"


def code_cells(nb: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def facade_names(source: str, alias: str = "ex") -> set[str]:
    """The facade's names a cell uses: ``ex.Name`` and ``from coursekit.notebook import Name``."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == alias:
            names.add(node.attr)
        elif isinstance(node, ast.ImportFrom) and node.module == FACADE:
            names |= {a.name for a in node.names}
    return names


def _cell(source: str, i: int) -> dict[str, Any]:
    return {"cell_type": "code", "id": f"floor-{i}", "metadata": {}, "execution_count": None, "outputs": [], "source": source}


def floor_notebook(nb: dict[str, Any], shows_with: tuple[str, ...] | list[str] = SHOWS_WITH) -> dict[str, Any]:
    """The floor of a course notebook (a dict in nbformat 4 shape, written with json: no nbformat import here);
    ``shows_with``: the table and chart libraries it imports up front (those the course's Run All imported)."""
    cells = code_cells(nb)
    setup = "".join(cells[0]["source"]) if cells else ""
    used = sorted(set().union(*(facade_names("".join(c["source"])) for c in cells)) - facade_names(setup)) if cells else []
    first = [setup, "import ipywidgets as W" + "".join(f"\nimport {m}" for m in shows_with)]
    if used:
        first.append("from coursekit import notebook as _facade\n" + "\n".join(f"_facade.{n}" for n in used))
    out = [_cell("\n".join(first), 0)]
    exercises = [c for c in cells[1:] if "exercise" in c.get("metadata", {}).get("tags", [])]
    for i, _ in enumerate(exercises, 1):
        out.append(_cell(f"W.VBox([W.HTML('<b>Exercise {i}</b>'), W.Textarea(description='Answer'), "
                         f"W.Button(description='Check')])", i))
    return {"cells": out, "metadata": {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def module_notebooks(folder: Path) -> list[Path]:
    """The course's module notebooks in order (01-..., 02-...; not the start page nor the glossary)."""
    return sorted(p for p in folder.glob("[0-9][0-9]-*.ipynb") if not p.name.startswith("00-"))


def write_floor(course_nb: Path, dest: Path, shows_with: tuple[str, ...] | list[str] = SHOWS_WITH) -> Path:
    nb = json.loads(course_nb.read_text(encoding="utf-8"))
    dest.write_text(json.dumps(floor_notebook(nb, shows_with), indent=1), encoding="utf-8")
    return dest

