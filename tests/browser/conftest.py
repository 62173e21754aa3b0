"""Start JupyterLab (and Voila) on loopback for real-browser tests; drive the system Chromium.

Without Chromium these tests skip with one reason; under CI (CI=true) a skip is a failure.
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

from tests.helpers import free_port, wait_http

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return "Chromium not installed (apt-get install -y chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright (Python) not installed"
    return None


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
    from tests.unit.capstone_answers import full_answers

    work = tmp_path_factory.mktemp("answered-lab")
    full_answers(work / "home" / "answers" / "me.json")
    with serve_lab(work) as server:
        yield server
