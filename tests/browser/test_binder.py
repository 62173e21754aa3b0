"""Play Binder on this machine: a fresh virtual environment from binder/ alone, postBuild with a
temporary HOME, JupyterLab on loopback opening on its default URL, the start page run in Chromium."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv

import pytest
from benchmarks.kit.net import free_port, wait_http
from packaging.utils import canonicalize_name

from tests.browser.pages import ARTIFACTS, error_outputs, run_all, wait_ready
from tests.helpers import ROOT
from tests.lockfile import BINDER, LOCK, pins


@pytest.mark.browser
@pytest.mark.binder  # an environment test, about 4 minutes: `make test-binder`
def test_binder_environment_serves_the_start_page(browser, tmp_path):
    repo = tmp_path / "repo"
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for rel in files.splitlines():  # what a clone holds, as Binder sees it
        src = ROOT / rel
        if src.is_file():
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, repo / rel)
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "PATH": f"{env_dir / 'bin'}:{os.environ['PATH']}", "COURSEKIT_HOME": str(home / ".coursekit")}
    env.pop("JUPYTER_CONFIG_DIR", None)
    pip = [str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-r", "binder/requirements.txt"], cwd=repo, env=env, check=True, timeout=1200)
    subprocess.run(["bash", "binder/postBuild"], cwd=repo, env=env, check=True, timeout=600)
    listed = subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "list", "--format=json"], env=env,
                            capture_output=True, text=True, check=True).stdout
    binder_env = {canonicalize_name(d["name"]): d["version"] for d in json.loads(listed)}
    locked = pins(LOCK)
    differ = {n: (v, locked.get(n)) for n, v in binder_env.items() if n not in ("pip", "setuptools", "coursekit") and locked.get(n) != v}
    assert not differ, f"Binder's environment differs from requirements/lock.txt (binder, lock): {differ}"
    assert binder_env["coursekit"] and set(pins(BINDER)) <= set(binder_env)
    port = free_port()
    proc = subprocess.Popen([str(env_dir / "bin" / "jupyter"), "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
                             "--IdentityProvider.token=", "--ServerApp.password=", "--allow-root"],
                            cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "lab.log", "w"))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        wait_http(f"http://127.0.0.1:{port}/api", proc, 120)
        page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded")  # default_url from postBuild
        wait_ready(page, "00-start-here.ipynb")
        assert "00-start-here.ipynb" in page.url
        run_all(page, "00-start-here.ipynb")
        assert error_outputs(page) == []
        assert "Course map" in page.locator(".jp-Notebook").inner_text()
        assert page.locator(".jp-RenderedHTMLCommon table").count() >= 2  # course map and progress table
        page.screenshot(path=str(ARTIFACTS / "binder-start-page.png"))
    finally:
        page.close()
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert sys.executable  # the test ran with the suite's interpreter; Binder's env was separate
