"""Session-wide: tests and nbval kernels save answers in a private folder, never the user's, and read answer keys
from a private copy of the package's, so a test building another course never rewrites the package's keys. A test
that builds a course of its own writes its keys into that copy; the copy is put back after such a test, so what the
next test reads never depends on which tests ran before it on the same worker."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

PACKAGE_KEYS = Path(__file__).parent / "src" / "coursekit" / "data" / "keys"


def pytest_configure(config):
    home = tempfile.mkdtemp(prefix="coursekit-test-home-")
    os.environ["COURSEKIT_HOME"] = home
    keys = Path(home) / "keys"
    shutil.copytree(PACKAGE_KEYS, keys)
    os.environ["COURSEKIT_KEYS"] = str(keys)
    os.environ.pop("COURSEKIT_LEARNER", None)


def _state(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()} if folder.is_dir() else {}


@pytest.fixture(autouse=True)
def _pristine_keys():
    keys = Path(os.environ["COURSEKIT_KEYS"])
    before = _state(keys)
    yield
    if _state(keys) != before:
        shutil.rmtree(keys, ignore_errors=True)
        shutil.copytree(PACKAGE_KEYS, keys)
