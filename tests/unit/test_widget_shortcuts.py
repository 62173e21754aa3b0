"""JupyterLab's command-mode keys are kept off the course's widgets (jupyter-config/lab-settings/widget_shortcuts.py):
the committed overrides cover every keyed command-mode shortcut of the JupyterLab the lock installs, and make install
put them where JupyterLab reads them. The browser half: the keyboard test presses arrows and X on a toggle button."""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest

from tests.helpers import ROOT

SETTINGS = ROOT / "jupyter-config" / "lab-settings"


def _script():
    spec = importlib.util.spec_from_file_location("widget_shortcuts", SETTINGS / "widget_shortcuts.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_the_overrides_cover_every_command_mode_shortcut_of_the_installed_jupyterlab():
    script = _script()
    assert (SETTINGS / "overrides.json").read_text() == script.render(sys.prefix), (
        "jupyter-config/lab-settings/overrides.json is stale for this JupyterLab: run "
        "python jupyter-config/lab-settings/widget_shortcuts.py")
    shortcuts = json.loads((SETTINGS / "overrides.json").read_text())["@jupyterlab/shortcuts-extension:shortcuts"]["shortcuts"]
    keys = {tuple(s["keys"]) for s in shortcuts}
    assert {("ArrowDown",), ("ArrowUp",), ("X",), ("D", "D"), ("A",), ("B",)} <= keys
    for s in shortcuts:  # each one off as JupyterLab ships it, and on again only outside a widget
        assert s.get("disabled") or s["selector"].endswith(":not(.jupyter-widgets *)")


def test_make_install_put_them_where_jupyterlab_reads_them():
    installed = ROOT / ".venv" / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    if sys.prefix != str(ROOT / ".venv"):
        pytest.skip("run from a venv other than make install's .venv")
    assert installed.read_text() == (SETTINGS / "overrides.json").read_text()
