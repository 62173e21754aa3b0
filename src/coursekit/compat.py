"""The old import paths of coursekit 0.1, kept working for one release: a learner's notebook saved in ``workspace/``
before the feature packages (``from coursekit import exercises as ex``, ``from coursekit.progress import Answers``,
``from coursekit.kinds.plan_tester import compare_changes``, ...) still runs, and each old path warns once, naming the
new one. The old paths go in coursekit 0.3.0; rebuild or re-copy your notebook (``make lab`` offers the new version
beside yours) before then.

This is the one compatibility module: nothing else keeps an old path alive. It imports no coursekit module at import
time, so ``coursekit/__init__`` installs it at no cost."""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings
from types import ModuleType
from typing import Any

DROPPED_IN = "0.3.0"

# an old module path -> the module that holds its code now
MOVED = {
    "coursekit.progress": "coursekit.answers",
    "coursekit.workspace": "coursekit.workshop.workspace",
    "coursekit.handin": "coursekit.room.exchange",
    "coursekit.room_charts": "coursekit.room.charts",
    "coursekit.room_cli": "coursekit.room.cli",
    "coursekit.room_view": "coursekit.room.view",
    "coursekit.decision_brief": "coursekit.brief.compose",
    "coursekit.decision_brief_render": "coursekit.brief.render",
    "coursekit.capstone_checks": "coursekit.capstone.checks",
    "coursekit.signals_report": "coursekit.signals.report",
    "coursekit.engine.crm": "coursekit.signals.crm",
    "coursekit.engine.crmgen": "coursekit.signals.synth",
    "coursekit.engine.signals": "coursekit.signals.detect",
    "coursekit.engine.signals_plot": "coursekit.signals.plot",
    "coursekit.engine.stats": "coursekit.signals.stats",
    "coursekit.exercises.base": "coursekit.exercises.widget",
    "coursekit.exercises.text": "coursekit.feedback",
    "coursekit.exercises.tester_checks": "coursekit.exercises.plan_tester.checks",
    "coursekit.exercises.tester_charts": "coursekit.exercises.plan_tester.charts",
    "coursekit.exercises.brief_button": "coursekit.brief.button",
    "coursekit.kinds": "coursekit.exercises",
    "coursekit.kinds.base": "coursekit.exercises.kind",
    "coursekit.kinds.cells": "coursekit.exercises.cells",
    "coursekit.kinds.options": "coursekit.exercises.options",
    **{f"coursekit.kinds.{k}": f"coursekit.exercises.{k}.kind" for k in (
        "assumption_check", "checklist", "contradiction_map", "decisions", "hypothesis", "pitfall_check", "plan_audit",
        "plan_tester", "priorities", "review", "scenario_editor", "signals_spotter", "traceability")},
}

# a package that took an old module's name -> where that module's names are now (looked up in order)
OLD_NAMES = {
    "coursekit.exercises": ("coursekit.notebook", "coursekit.exercises.widget"),  # the widgets' old package face
    "coursekit.capstone": ("coursekit.capstone.inputs", "coursekit.capstone.checks"),
    "coursekit.room": ("coursekit.room.gather", "coursekit.room.page", "coursekit.room.charts"),
    "coursekit.brief": ("coursekit.exercises.rows",),
    "coursekit.workshop": ("coursekit.workshop.timing", "coursekit.workshop.agenda", "coursekit.workshop.links",
                           "coursekit.workshop.present"),
}


class CoursekitDeprecationWarning(FutureWarning):
    """An old coursekit import path: shown by default, since learners and facilitators meet it, not only developers."""


def _warn(old: str, new: str, stacklevel: int = 3) -> None:
    """Warn at the learner's line: ``stacklevel`` counts this function, its caller and the frames up to that line."""
    warnings.warn(f"`{old}` is now `{new}`; the old path goes in coursekit {DROPPED_IN}", CoursekitDeprecationWarning, stacklevel=stacklevel)


class _OldPaths(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds an old module path and hands back the module that holds its code now."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        return importlib.util.spec_from_loader(fullname, self) if fullname in MOVED else None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        _warn(spec.name, MOVED[spec.name])
        return importlib.import_module(MOVED[spec.name])

    def exec_module(self, module: ModuleType) -> None:
        """The module was run when it was imported under its new name."""


def install() -> None:
    """Serve the old module paths (once per process)."""
    if not any(isinstance(f, _OldPaths) for f in sys.meta_path):
        sys.meta_path.insert(0, _OldPaths())  # before the path finder: `coursekit.kinds.X` must not load exercises/X as a copy


def old_name(package: str, name: str) -> Any:
    """``package.name`` as coursekit 0.1 had it (``coursekit.exercises.PlanTester``), with a warning naming its new home."""
    if not name.startswith("__") and importlib.util.find_spec(f"{package}.{name}") is None:  # a submodule imports as usual
        for module in OLD_NAMES.get(package, ()):
            found = importlib.import_module(module)
            if hasattr(found, name):
                _warn(f"{package}.{name}", f"{module}.{name}", stacklevel=4)  # _warn, old_name, the package's __getattr__
                value = getattr(found, name)
                setattr(sys.modules[package], name, value)  # warned once, as an old module path is
                return value
    raise AttributeError(f"module {package!r} has no attribute {name!r}")
