"""One lock for lab, tests and Binder (requirements/lock.txt): what is installed is what is locked, and Binder's
pins are the lock's, so a new upstream release changes nothing until `make lock` is run on purpose."""

from __future__ import annotations

import importlib.metadata
import json

from packaging.utils import canonicalize_name

from tests.lockfile import BINDER, LOCK, NPM, ROOT, declared, npm_pins, pins

# installed beside the lock by design: the project itself (editable, no dependencies) and the venv's own pip
NOT_LOCKED = {"coursekit", "pip", "setuptools"}


def installed() -> dict[str, str]:
    return {canonicalize_name(d.metadata["Name"]): d.version for d in importlib.metadata.distributions()}


def test_every_declared_dependency_is_locked():
    missing = declared() - pins_any(LOCK)
    assert not missing, f"pyproject.toml asks for {sorted(missing)}, which requirements/lock.txt lacks: run `make lock`"


def pins_any(path):
    """Names pinned under any marker (a universal lock pins some packages for other platforms only)."""
    return {canonicalize_name(line.split("==")[0]) for line in path.read_text().splitlines() if "==" in line and not line.startswith("#")}


def test_the_installed_environment_is_the_lock():
    want, have = pins(LOCK), installed()
    wrong = {n: (v, have.get(n)) for n, v in want.items() if have.get(n) != v}
    assert not wrong, f"installed differs from requirements/lock.txt (locked, installed): {wrong}; run `make install`"
    extra = set(have) - set(want) - NOT_LOCKED
    assert not extra, f"installed but not locked: {sorted(extra)}; add them to pyproject.toml and run `make lock`"


def test_binder_pins_are_the_lock():
    lock, binder = pins(LOCK), pins(BINDER)
    assert {"jupyterlab", "ipywidgets", "voila", "nbgitpuller", "pandas"} <= set(binder)
    differ = {n: (v, lock.get(n)) for n, v in binder.items() if lock.get(n) != v}
    assert not differ, f"binder/requirements.txt differs from requirements/lock.txt (binder, lock): {differ}; run `make lock`"
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    post = (ROOT / "binder" / "postBuild").read_text()
    assert "set -e" in post and "00-start-here.ipynb" in post and "--no-deps" in post


def test_make_installs_from_the_lock_only():
    make = (ROOT / "Makefile").read_text()
    install = make[make.index("$(STAMP):"):make.index("\nlock:")]
    assert "uv pip sync" in install and "requirements/lock.txt" in install
    assert "--no-deps -e ." in install
    for line in install.splitlines():  # pip installs only the locked uv
        if "pip install" in line and "uv pip" not in line:
            assert "grep -E '^uv==' requirements/lock.txt" in line, line


def test_the_hub_proxy_is_locked_at_an_exact_version():
    wanted, locked = npm_pins()
    for name, version in wanted.items():
        assert version[0].isdigit() and version == locked[name], f"requirements/npm pins {name} {version!r}, lock has {locked[name]}"
        got = ROOT / ".venv" / "node" / "node_modules" / name / "package.json"
        if got.exists():
            assert json.loads(got.read_text())["version"] == version
    assert NPM.joinpath("package-lock.json").exists()
