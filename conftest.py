"""Session-wide: tests and nbval kernels save answers in a private folder, never the user's, and read answer keys
and precomputed results (``coursekit.engine.precomputed``) from private copies of the package's, so a test building another
course never rewrites the package's files. A test that builds a course of its own writes into those copies; a copy is
put back after such a test, so what the next test reads never depends on which tests ran before it on the same
worker."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

PACKAGE_KEYS = Path(__file__).parent / "src" / "coursekit" / "data" / "keys"
PACKAGE_PRECOMPUTED = Path(__file__).parent / "src" / "coursekit" / "data" / "precomputed"
PRIVATE = {"COURSEKIT_KEYS": PACKAGE_KEYS, "COURSEKIT_PRECOMPUTED": PACKAGE_PRECOMPUTED}  # env -> the package folder it copies


def pytest_configure(config):
    home = tempfile.mkdtemp(prefix="coursekit-test-home-")
    os.environ["COURSEKIT_HOME"] = home
    for env, package in PRIVATE.items():
        private = Path(home) / package.name
        _copy(package, private)
        os.environ[env] = str(private)
    os.environ.pop("COURSEKIT_LEARNER", None)


def _copy(package: Path, private: Path) -> None:
    shutil.rmtree(private, ignore_errors=True)
    if package.is_dir():
        shutil.copytree(package, private)
    else:
        private.mkdir(parents=True)


def _state(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()} if folder.is_dir() else {}


@pytest.fixture(autouse=True)
def _pristine_keys():
    before = {env: _state(Path(os.environ[env])) for env in PRIVATE}
    yield
    for env, package in PRIVATE.items():
        private = Path(os.environ[env])
        if _state(private) != before[env]:
            _copy(package, private)


# Each notebook nbval runs gets an answers home of its own, set before its kernel starts (nbval starts it when the file's
# first cell is set up, before any fixture): a kernel must never read answers the unit tests saved on the same worker
# (the start page would count them) nor another notebook's.
_NOTEBOOK_HOMES: dict[str, str] = {}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if item.path.suffix == ".ipynb":
        item.stash[_PREVIOUS_HOME] = os.environ.get("COURSEKIT_HOME")
        home = _NOTEBOOK_HOMES.setdefault(str(item.path), tempfile.mkdtemp(prefix="coursekit-nbval-home-"))
        os.environ["COURSEKIT_HOME"] = home


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item):
    if _PREVIOUS_HOME in item.stash:
        previous = item.stash[_PREVIOUS_HOME]
        if previous is None:
            os.environ.pop("COURSEKIT_HOME", None)
        else:
            os.environ["COURSEKIT_HOME"] = previous


_PREVIOUS_HOME = pytest.StashKey[str | None]()
