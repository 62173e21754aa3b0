"""Start JupyterLab (and Voila) on loopback for real-browser tests; drive the system Chromium.

Without Chromium or Playwright every module here is skipped at collection with one reason (none is imported, so
none errors); under CI (CI=true) that is a failure. The session's Chromium is the ``browser`` fixture of
tests/conftest.py, shared with the hub tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from benchmarks.kit.chromium import missing
from benchmarks.kit.net import free_port, wait_http

from tests.capstone_answers import full_answers
from tests.helpers import ROOT, skip_or_fail

_MISSING = missing()  # why no browser can be driven here, or None


class _Unrunnable(pytest.Module):
    """A browser test module where no browser can run: skipped with one reason (under CI, failed), never imported."""

    def collect(self):
        skip_or_fail(_MISSING, "browser")
        return []


def pytest_pycollect_makemodule(module_path, parent):
    return _Unrunnable.from_parent(parent, path=module_path) if _MISSING else None


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: its address and the ``COURSEKIT_HOME`` its kernels save answers in."""

    url: str
    home: Path


@contextmanager
def serve_lab(work: Path) -> Iterator[Lab]:
    """A JupyterLab server over a copy of notebooks/ in ``work`` (so runs never touch the repository's files),
    stopped by its own process handle."""
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    port = free_port()
    settings = work / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    # every cell in the page, so waiting on each cell's prompt sees them all (JupyterLab 4 may window them out)
    tracker = work / "settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(work / "cfg"), "JUPYTER_RUNTIME_DIR": str(work / "rt"),
           "JUPYTERLAB_SETTINGS_DIR": str(work / "settings"), "COURSEKIT_HOME": str(work / "home"),
           "JUPYTER_CONFIG_PATH": str(ROOT / "jupyter-config")}  # what `make lab` uses: news and update checks off
    env.pop("COURSEKIT_LEARNER", None)  # the default learner, "me": its answers are home/answers/me.json
    proc = subprocess.Popen([sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
                             "--IdentityProvider.token=", "--ServerApp.password=", "--allow-root", f"--ServerApp.root_dir={work / 'notebooks'}",
                             "--ServerApp.disable_check_xsrf=True"],
                            cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=open(work / "lab.log", "w"))
    try:
        wait_http(f"http://127.0.0.1:{port}/api", proc)
        yield Lab(f"http://127.0.0.1:{port}", work / "home")
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory) -> Iterator[Lab]:
    with serve_lab(tmp_path_factory.mktemp("lab")) as server:
        yield server


@pytest.fixture(scope="session")
def lab(lab_server: Lab) -> str:
    """The shared JupyterLab's address (its learner's answers accumulate as the tests drive widgets)."""
    return lab_server.url


@pytest.fixture(scope="module")
def answered_lab(tmp_path_factory) -> Iterator[Lab]:
    """A JupyterLab of its own whose learner has answered every module (by the real widgets, as the capstone and
    brief unit tests do), so the capstone opens on a full set of answers whatever other tests did before; stopped
    after the module that uses it."""
    work = tmp_path_factory.mktemp("answered-lab")
    full_answers(work / "home" / "answers" / "me.json")
    with serve_lab(work) as server:
        yield server
